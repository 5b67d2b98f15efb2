//! The swappable primitives: one facade, three backends.
//!
//! Models write `use crate::sync::{Arc, Mutex, Condvar, Semaphore, atomic::AtomicUsize, thread}`
//! and never name a backend. The backend is chosen at build time, in the style of tokio's
//! `src/loom/`:
//!
//! | build | backend | what it is for |
//! |---|---|---|
//! | `cargo build` | `std` | real threads, real runs, timings |
//! | `RUSTFLAGS="--cfg loom"` | `loom` | exhaustive exploration at small sizes |
//! | `RUSTFLAGS="--cfg shuttle"` | `shuttle` | randomized and PCT exploration at larger sizes |
//!
//! The backends differ in small ways (poisoning, `wait_while`, thread names, no `Barrier` in
//! loom); those differences are smoothed here, inside small wrappers, never at call sites. What
//! the course uses and loom lacks (Python's `Lock`, `RLock`, `Condition`, `Semaphore`, `Event`,
//! `Barrier`, `Queue`, `Pipe`, a System V style message queue, a thread pool, shared `Value` and
//! `Array`) is written once on top of this facade's own
//! `Mutex` and `Condvar`, so that every backend explores it. The wrappers also record, in explored
//! builds, who holds and who waits (see [`ledger`]), which is how a report tells a deadlock (a
//! cycle) from a hang.
//!
//! The std build only runs, so there the facade is built for speed, all of it in `std_only`:
//! a futex mutex watched as `parking_lot` watches its own, `Lock` and `Semaphore` counting in one atomic word, and a condition
//! variable that spins a moment before it parks, spinning only while it pays. None of it is
//! compiled into the explored builds, which see exactly the primitives above.

pub mod atomic;
#[doc(hidden)]
pub mod backend;
mod barrier;
pub mod cell;
mod condition;
mod condvar;
mod event;
pub mod hint;
pub mod ledger;
mod lock;
pub mod message_queue;
pub mod mpsc;
mod mutex;
mod once;
pub mod panics;
mod permits;
pub mod pipe;
mod poison;
pub mod pool;
pub mod queue;
mod resource;
mod rlock;
mod rwlock;
mod scope;
mod semaphore;
mod shared;
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
mod std_only;
pub mod thread;
pub mod tracked;

pub use barrier::{Barrier, BarrierWait, BarrierWaitResult};
pub use condition::{Condition, ConditionGuard};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use event::Event;
pub use lock::{Lock, LockGuard, UnlockedError};
pub use message_queue::MessageQueue;
pub use mutex::{Mutex, MutexGuard};
pub use once::{LazyLock, Once, OnceLock};
pub use pipe::{pipe, Connection};
pub use pool::{Future, ThreadPool};
pub use queue::Queue;
pub use resource::{Operation as ResourceOperation, Resource};
pub use rlock::{NotOwnerError, RLock, RLockGuard};
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use semaphore::{BoundedSemaphore, ReleaseError, Semaphore};
pub use shared::{Array, Value};

/// Shared ownership is std's `Arc` in every backend.
///
/// `loom::sync::Arc` checks for leaks when an execution ends; when an execution deadlocks, the
/// blocked threads never drop their clones, so the leak check panics inside a destructor while the
/// deadlock panic unwinds, and the whole test binary aborts. It also triples the executions loom
/// explores, modelling reference-count races that no algorithm of the course is about.
pub use std::sync::Arc;

/// std's poisoning and lock results, as std's.
pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

/// Which backend this build explores with, for reports.
pub const BACKEND: &str = backend::NAME;

/// The command that builds this crate with `backend` ("std", "loom" or "shuttle"), each in a
/// target directory of its own, so that no build overwrites another's binary.
pub fn build_command(backend: &str) -> String {
    match backend {
        "loom" | "shuttle" => {
            format!(
                "RUSTFLAGS=\"--cfg {backend}\" cargo build --release --target-dir target/{backend}"
            )
        }
        _ => "cargo build --release, with no --cfg in RUSTFLAGS (in target/, which the explored \
              builds leave alone when built with their own --target-dir)"
            .to_string(),
    }
}
