//! `loom::lazy_static`: what the [`lazy_static!`](crate::lazy_static!) macro's statics are.

pub use interleave_check::thread::AccessError;
