//! The explorer: runs a closure ([`Check`]) in one of five modes and turns what happens into a
//! [`Report`] with a [`Verdict`].
//!
//! - `real` (std build): repeated runs on real threads, timed;
//! - `exhaustive` (loom build): loom's search, deepening the preemption bound from 0 up to the
//!   stated maximum, so a bug is reported at the smallest bound that shows it; correct code gets
//!   "no bug found by loom's search", not a proof, since loom's search is known to skip schedules
//!   (tests/differential.rs shows one) — or "incomplete" if a budget stopped loom first (loom
//!   itself stops quietly, as if everything passed);
//! - `bounded` (shuttle build): every schedule within the bound (or with none), so correct code
//!   is "verified": the differential tests hold this search against a brute-force explorer;
//! - `random`, `pct` and `portfolio` (shuttle build): a stated number of schedules from a seed; a
//!   failure comes with the schedule that replays it exactly.

mod check;
pub mod checks;
pub mod explain;
mod failure;
mod html;
pub mod linearizability;
mod monitor;
mod outcome;
mod progress;
mod report;
mod shards;
#[cfg(any(interleave_loom, interleave_shuttle))]
mod tally;
mod verdict;

#[cfg(interleave_shuttle)]
mod bounded;
#[cfg(interleave_loom)]
mod exhaustive;
#[cfg(any(interleave_loom, interleave_shuttle))]
mod found;
#[cfg(interleave_shuttle)]
mod play;
#[cfg(interleave_shuttle)]
mod races;
#[cfg(interleave_shuttle)]
mod randomized;
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
mod real;
#[cfg(interleave_shuttle)]
mod visits;
#[cfg(interleave_shuttle)]
mod work_pool;

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
use crate::sync::panics::set_quiet;
pub(crate) use check::Body;
pub use check::{
    check, per_build, Check, CheckError, Reduction, StateCaching, Subject, REPRODUCED, UNBOUNDED,
};
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
use failure::lost_update;
pub use failure::{
    capture, ensure, ensure_ok, ensure_taken_once, invariant, Failure, FailureKind,
    InvariantViolation, LostUpdate,
};
pub use monitor::Monitor;
pub use outcome::Outcome;
#[cfg(interleave_shuttle)]
pub use play::{BadMove, Board, Choice};
pub use progress::Progress;
pub use report::{Coverage, Mode, Observed, Report, Stats};
pub use shards::{parse_shard, ShardReport};
pub use verdict::Verdict;
