//! loom's API on interleave's explorer. A crate's loom tests run unchanged: rename the
//! dependency in its `Cargo.toml`,
//!
//! ```toml
//! [target.'cfg(loom)'.dev-dependencies]
//! loom = { package = "interleave-loom", version = "0.7", path = "…/crates/interleave-loom" }
//! ```
//!
//! and run its suite as before (`RUSTFLAGS="--cfg loom" cargo test …`, or whatever switch the
//! suite has: `--cfg crossbeam_loom`, a `loom` feature; this crate explores whenever it is
//! built). Where dependencies use loom too (crossbeam-epoch's suite runs crossbeam-utils on
//! it), a `[patch.crates-io]` entry, `loom = { path = "…/crates/interleave-loom/shims/loom-0.7" }`
//! (or `loom-0.5`), puts this crate in loom's place for all of them. Each `loom::model`
//! then explores every schedule up to the preemption bound loom would use
//! (`LOOM_MAX_PREEMPTIONS`; none when unset, as loom), with interleave's bounded engine: with no
//! limit of threads, and a failure reported as interleave reports one (the execution step by
//! step, a deadlock's cycle, a data race's two accesses, the line that replays it) rather than
//! as a bare panic. Executions run one at a time, as loom runs them: suites keep state outside
//! the model (a counter the closure clears first) that executions on several cores would share.
//! `INTERLEAVE_JOBS=N` shares the schedule tree among N cores for a suite whose models share
//! nothing outside themselves.
//!
//! Its locks never poison, as loom's: a `Drop` that takes a lock while a failed assertion
//! unwinds gets it.
//!
//! What differs from loom: every atomic is sequentially consistent here (loom also explores the
//! older values a `Relaxed` or `Acquire` load may read).
//!
//! ```
//! use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
//! use loom::sync::Arc;
//! use loom::thread;
//!
//! loom::model(|| {
//!     let n = Arc::new(AtomicUsize::new(0));
//!     let m = n.clone();
//!     let t = thread::spawn(move || m.fetch_add(1, SeqCst));
//!     n.fetch_add(1, SeqCst);
//!     t.join().unwrap();
//!     assert_eq!(n.load(SeqCst), 2);
//! });
//! ```

pub mod alloc;
pub mod cell;
pub mod future;
pub mod hint;
pub mod lazy_static;
pub mod model;
pub mod sync;
pub mod thread;

pub use model::model;

/// The most threads loom runs in one execution, the main one included. Suites size per-thread
/// tables by it; this crate's engine has no such limit.
pub const MAX_THREADS: usize = 5;

/// loom's mark that the part of an execution worth exploring begins here
/// (`Builder::expect_explicit_explore`). This crate explores every execution whole: a no-op.
pub fn explore() {}

/// loom's mark that the rest of this branch need not be explored. This crate explores it
/// anyway: more schedules, never fewer.
pub fn skip_branch() {}

/// loom's mark that exploring may stop here. This crate explores on: a no-op.
pub fn stop_exploring() {}

#[doc(hidden)]
pub use interleave_check as __interleave;

/// loom's `thread_local!`: a value per thread of the explored program, made afresh in every
/// execution.
#[macro_export]
macro_rules! thread_local {
    ($($tokens:tt)*) => {
        $crate::__interleave::thread_local! { $($tokens)* }
    };
}

/// loom's `lazy_static!`: a `static` made once per execution, the first time it is used, and
/// dropped at the execution's end.
#[macro_export]
macro_rules! lazy_static {
    ($($tokens:tt)*) => {
        $crate::__interleave::sync::backend::raw_lazy_static! { $($tokens)* }
    };
}
