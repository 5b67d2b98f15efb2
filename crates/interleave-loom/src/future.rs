//! `loom::future`: `block_on` drives a future on the current thread, parked while it is pending
//! and unparked by its waker, each wake a step the explorer schedules; `AtomicWaker` keeps the
//! waker of the task to wake next (loom's, a lock-based stand-in for tokio's and futures').

use std::task::Waker;

pub use interleave_check::future::block_on;

/// loom's `AtomicWaker`.
#[derive(Debug, Default)]
pub struct AtomicWaker(interleave_check::future::AtomicWaker);

impl AtomicWaker {
    #[track_caller]
    pub fn new() -> AtomicWaker {
        AtomicWaker(interleave_check::future::AtomicWaker::new())
    }

    /// Keeps `waker` as the one `wake` wakes.
    pub fn register(&self, waker: Waker) {
        self.0.register(waker);
    }

    /// Keeps a clone of `waker` as the one `wake` wakes.
    pub fn register_by_ref(&self, waker: &Waker) {
        self.0.register_by_ref(waker);
    }

    /// Wakes the task registered last.
    pub fn wake(&self) {
        self.0.wake();
    }

    /// Takes the waker registered last, to wake it later.
    pub fn take_waker(&self) -> Option<Waker> {
        self.0.take()
    }
}
