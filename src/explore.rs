//! What the course's models, tests and CLI import from one place: the checker's explorer
//! (`interleave_check::explore`) and, on top of it, the course's catalogue ([`crate::catalogue`]:
//! models, variants, sizes and the `check` of one variant).

pub use crate::catalogue::{
    check, merge, replay, shard, BlindSpot, Model, Param, Params, Plan, Scale, Variant,
};
pub use interleave_check::explore::*;
