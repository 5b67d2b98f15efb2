//! The one place that names a backend: everything else in the crate goes through `crate::sync`.

#[cfg(all(loom, shuttle))]
compile_error!("choose one backend: build with `--cfg loom` or with `--cfg shuttle`, not both");

#[cfg(interleave_loom)]
pub use loom::cell::{ConstPtr as RawConstPtr, MutPtr as RawMutPtr, UnsafeCell as RawUnsafeCell};
#[cfg(interleave_loom)]
pub use loom::hint::spin_loop as raw_spin_loop;
#[cfg(interleave_loom)]
pub use loom::thread_local as raw_thread_local;
#[cfg(interleave_loom)]
pub use loom::{
    sync::{
        atomic, Condvar as RawCondvar, Mutex as RawMutex, MutexGuard as RawMutexGuard,
        RwLock as RawRwLock, RwLockReadGuard as RawReadGuard, RwLockWriteGuard as RawWriteGuard,
    },
    thread as raw_thread,
};
#[cfg(interleave_loom)]
pub const NAME: &str = "loom";

#[cfg(interleave_shuttle)]
pub use shuttle::hint::spin_loop as raw_spin_loop;
/// A `static` made once per execution and dropped at its end (loom's `lazy_static!`).
#[cfg(interleave_shuttle)]
pub use shuttle::lazy_static as raw_lazy_static;
#[cfg(interleave_shuttle)]
pub use shuttle::thread_local as raw_thread_local;
#[cfg(interleave_shuttle)]
pub use shuttle::{
    sync::{
        atomic, Condvar as RawCondvar, Mutex as RawMutex, MutexGuard as RawMutexGuard,
        RwLock as RawRwLock, RwLockReadGuard as RawReadGuard, RwLockWriteGuard as RawWriteGuard,
    },
    thread as raw_thread,
};
#[cfg(interleave_shuttle)]
pub const NAME: &str = "shuttle";

/// Whether a thread of the execution other than the current one can run now, or may wake on
/// its own (shuttle lets some waits wake spuriously).
#[cfg(interleave_shuttle)]
pub fn another_thread_can_run() -> bool {
    use shuttle_engine::runtime::execution::ExecutionState;
    use shuttle_engine::scheduler::TaskId;
    ExecutionState::try_with(|state| {
        let me = state.current().id();
        (0..)
            .map_while(|n: usize| state.try_get(TaskId::from(n)))
            .any(|t| t.id() != me && !t.finished() && (t.runnable() || t.can_spuriously_wakeup()))
    })
    .unwrap_or(true)
}

/// Lets the execution end without the current thread: shuttle ends it once every thread not so
/// marked has finished, and tears this one down wherever it is (a daemon thread).
#[cfg(interleave_shuttle)]
pub fn detach_current_thread() {
    use shuttle_engine::runtime::execution::ExecutionState;
    ExecutionState::with(|state| {
        let me = state.current().id();
        state.detach(me);
    });
}

// Real threads: the std build's own speed code (`std_only`).
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub(super) use super::std_only::{
    RawCondvar, RawMutex, RawMutexGuard, RawReadGuard, RawRwLock, RawWriteGuard,
};
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub use std::thread_local as raw_thread_local;
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub use std::{hint::spin_loop as raw_spin_loop, sync::atomic, thread as raw_thread};
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub const NAME: &str = "std";

/// Outside loom, a cell is std's: the shuttle build checks its accesses in the ledger alone.
#[cfg(not(interleave_loom))]
pub type RawUnsafeCell<T> = std::cell::UnsafeCell<T>;

/// Poisoning is not part of the course's model: a panic in a model thread is itself the failure
/// the explorer reports, so a poisoned lock is simply taken over.
pub fn unpoison<G>(r: Result<G, std::sync::PoisonError<G>>) -> G {
    r.unwrap_or_else(std::sync::PoisonError::into_inner)
}
