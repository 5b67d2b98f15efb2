//! `loom::thread`: std's thread API over the explored threads.

pub use interleave_check::thread::{
    current, panicking, park, spawn, yield_now, AccessError, Builder, JoinHandle, LocalKey, Thread,
    ThreadId,
};
