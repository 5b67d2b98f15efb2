//! Algorithms beyond the course, as a user writes them on `interleave-check`'s primitives: each
//! in a buggy and a fixed version, checked by this crate's tests in the three builds through the
//! public API only.
//!
//! - [`treiber`]: a lock-free stack; pushing with a load then a store loses a push, a
//!   compare-and-swap does not.
//! - [`spin_lock`]: a compare-and-swap spin lock; with `Relaxed` ordering the critical section may
//!   read stale data (only loom's memory model shows it), with `Acquire`/`Release` it cannot.
//! - [`timed_handoff`]: a consumer that waits for items with a timeout; giving up on a timeout
//!   once the producer is done drops an item the producer put meanwhile.
//! - [`own_rlock`]: a reentrant lock built from a mutex and a condition variable, declared to the
//!   checker as a resource, so that a deadlock through it is reported with its name.

pub mod own_rlock;
pub mod spin_lock;
pub mod timed_handoff;
pub mod treiber;
