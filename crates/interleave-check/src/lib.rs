//! `interleave-check`: check your own concurrent code schedule by schedule.
//!
//! Write the code once against the primitives of [`sync`], [`thread`] and [`cell`] — std's API
//! (`Mutex`, `Condvar`, `RwLock`, atomics, `mpsc`, `OnceLock`, `thread::spawn`…), loom's
//! `UnsafeCell`, and Python's `Lock`, `Semaphore`, `Event`, `Queue`… on top — then check a
//! closure that runs it:
//!
//! ```
//! use interleave_check::sync::{thread, Arc, Mutex};
//!
//! // In a test of your crate: `#[test] fn two_increments_make_two() { … }`.
//! interleave_check::check(|| {
//!     let n = Arc::new(Mutex::new(0));
//!     let t = {
//!         let n = n.clone();
//!         thread::spawn(move || *n.lock().unwrap() += 1)
//!     };
//!     *n.lock().unwrap() += 1;
//!     t.join().unwrap();
//!     assert_eq!(*n.lock().unwrap(), 2);
//! });
//! ```
//!
//! A data race on an [`cell::UnsafeCell`] is a verdict of its own; its report names both
//! accesses:
//!
//! ```
//! use interleave_check::cell::UnsafeCell;
//! use interleave_check::sync::{thread, Arc};
//! use interleave_check::{Check, Verdict};
//!
//! struct Shared(UnsafeCell<u32>);
//! unsafe impl Sync for Shared {}
//!
//! let report = Check::new()
//!     .report(|| {
//!         let shared = Arc::new(Shared(UnsafeCell::new(0)));
//!         let writer = {
//!             let shared = shared.clone();
//!             thread::spawn(move || shared.0.with_mut(|p| unsafe { *p = 1 }))
//!         };
//!         // Nothing orders this read after the write: no lock, no join before it.
//!         let _seen = shared.0.with(|p| unsafe { *p });
//!         writer.join().unwrap();
//!     })
//!     .unwrap();
//! // Real runs cannot see a data race; the explored builds find it in every mode.
//! if interleave_check::sync::BACKEND != "std" {
//!     assert_eq!(report.failure.unwrap().verdict(), Some(Verdict::DataRace));
//! }
//! ```
//!
//! The same test runs three ways, chosen by the build: `cargo test` runs the closure for real
//! on std threads, many times; `RUSTFLAGS="--cfg loom"` explores every schedule up to a
//! preemption bound with loom; `RUSTFLAGS="--cfg shuttle"` samples schedules with shuttle's
//! random and PCT schedulers. A failing schedule panics with a readable report: the verdict
//! (deadlock, hang, lost update, broken invariant, livelock, data race, panic), the execution
//! step by step in one column per thread, the cycle of a deadlock with its threads and locks
//! named, and the command that replays it.

mod cache_padded;
pub mod explore;
pub mod future;
pub mod sync;

/// std's module names at the crate's root, as `std::cell` and `std::thread`.
pub use sync::{cell, thread};

pub use explore::{
    check, ensure, ensure_ok, ensure_taken_once, invariant, per_build, Check, CheckError, Coverage,
    Failure, FailureKind, Mode, Observed, Outcome, Report, ShardReport, Stats, Subject, Verdict,
};

/// std's `thread_local!`: a value per thread; in the explored builds, per thread of the checked
/// program (loom's and shuttle's own), so that one execution's values never leak into the next.
/// A `const { … }` initialiser is taken as a plain one (loom's and shuttle's have no such form).
#[macro_export]
macro_rules! thread_local {
    () => {};
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr }; $($rest:tt)*) => {
        $crate::sync::backend::raw_thread_local! { $(#[$attr])* $vis static $name: $t = $init; }
        $crate::thread_local! { $($rest)* }
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr }) => {
        $crate::sync::backend::raw_thread_local! { $(#[$attr])* $vis static $name: $t = $init; }
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr; $($rest:tt)*) => {
        $crate::sync::backend::raw_thread_local! { $(#[$attr])* $vis static $name: $t = $init; }
        $crate::thread_local! { $($rest)* }
    };
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = $init:expr) => {
        $crate::sync::backend::raw_thread_local! { $(#[$attr])* $vis static $name: $t = $init; }
    };
}
