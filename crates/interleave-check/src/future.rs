//! Futures driven on the explored threads: `block_on` polls a future on the calling thread and
//! parks it while the future is pending, and the waker it hands out unparks it, so that every
//! wake is a step the explorer sees and schedules (an `unpark`), and a wake-up nobody sends
//! leaves the thread parked: a hang, with the trace that lost it. `AtomicWaker` (futures' and
//! tokio's) keeps the waker of the task to wake next, behind one of the facade's locks.

use crate::sync::ledger;
use crate::sync::thread::{self, Thread};
use crate::sync::Mutex;
use std::future::Future;
use std::task::{Context, Poll, Wake, Waker};

/// Runs `future` to its end on the current thread, parking the thread while it is pending.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(std::sync::Arc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        thread::park();
    }
}

/// A waker that unparks the thread blocked on its future.
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

/// The waker of the task to wake next: a task registers its waker before it looks for what it
/// waits for, and whoever makes that happen wakes the last one registered.
pub struct AtomicWaker {
    waker: Mutex<Option<Waker>>,
}

impl AtomicWaker {
    #[track_caller]
    pub fn new() -> AtomicWaker {
        let made = ledger::place(std::panic::Location::caller());
        AtomicWaker {
            waker: Mutex::named(&format!("the waker made at {made}"), None),
        }
    }

    /// Keeps `waker` as the one to wake (in place of the one kept, unless it wakes the same
    /// task).
    pub fn register_by_ref(&self, waker: &Waker) {
        let mut kept = self.waker.lock_unpoisoned();
        if !kept.as_ref().is_some_and(|k| k.will_wake(waker)) {
            *kept = Some(waker.clone());
        }
    }

    /// Keeps `waker` as the one to wake.
    pub fn register(&self, waker: Waker) {
        *self.waker.lock_unpoisoned() = Some(waker);
    }

    /// Wakes the task registered last, if one is.
    pub fn wake(&self) {
        if let Some(waker) = self.take() {
            waker.wake();
        }
    }

    /// Takes the waker registered last, to wake it later.
    pub fn take(&self) -> Option<Waker> {
        self.waker.lock_unpoisoned().take()
    }
}

impl Default for AtomicWaker {
    #[track_caller]
    fn default() -> Self {
        AtomicWaker::new()
    }
}

impl std::fmt::Debug for AtomicWaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicWaker").finish_non_exhaustive()
    }
}
