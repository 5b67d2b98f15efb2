//! The condition variable under the facade's [`Condvar`](super::Condvar) in the std build: it
//! spins a moment before it parks.
//!
//! A thread parked in the kernel takes several microseconds to wake, far more than the hardware
//! needs to pass a cache line between cores (~0.1 µs); hand-offs (a condition's notify, a
//! permit given to a semaphore's waiting taker) pay that price every time. So a waiter first
//! lets go of the lock and watches a generation counter that every notify bumps, for a bounded
//! number of spins. A notify
//! in that window is caught without a system call, and the wait returns (as a spurious wake-up,
//! which every caller already handles by checking its condition again). If no notify comes, the
//! wait also returns, and the caller's next wait parks for real: a waiter never spins twice
//! in a row, so threads that outnumber the cores soon sleep rather than burn them. A notify
//! with no parked waiter makes no system call.
//!
//! Why no wake-up is lost: a waiter parks only from a wait entered right after its caller found
//! the condition false under the lock, and it counts itself as parked under that same lock; a
//! notifier changes the condition under the lock, then reads the count, so it either sees the
//! waiter counted (and wakes it) or changed the condition before the waiter looked.
//!
//! Explored builds use the backend's own condition variable: loom and shuttle must see every
//! wait as a wait, and spinning would only add schedules.

use super::parking_lot_as_std::{Mutex, MutexGuard};
use crossbeam_utils::CachePadded;
use parking_lot::Condvar;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// How many times a waiter checks for a notify before it gives up spinning (a few microseconds
/// of `spin_loop` hints).
const SPINS: u32 = 2_000;

thread_local! {
    /// Whether this thread's last wait spun without being notified: its next one parks.
    static SPUN_IN_VAIN: Cell<bool> = const { Cell::new(false) };
}

/// Spinning helps only when the notifier can run on another core at the same time.
pub(super) fn cores_to_spare() -> bool {
    static MANY: OnceLock<bool> = OnceLock::new();
    *MANY.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

#[derive(Default)]
pub struct SpinThenPark {
    inner: Condvar,
    /// On a cache line of their own, so that neighbouring data written meanwhile does not
    /// disturb a spinning waiter's watch.
    counts: CachePadded<Counts>,
}

#[derive(Default)]
struct Counts {
    /// Bumped by every notify: what a spinning waiter watches.
    generation: AtomicUsize,
    /// Waiters parked in `inner`, counted under the waiter's lock.
    parked: AtomicUsize,
}

impl SpinThenPark {
    pub fn new() -> Self {
        Self::default()
    }

    /// Releases `guard`'s lock, waits for a notify (or returns spuriously), retakes the lock.
    pub fn wait<'a, T>(
        &self,
        lock: &'a Mutex<T>,
        mut guard: MutexGuard<'a, T>,
    ) -> MutexGuard<'a, T> {
        let counts = &*self.counts;
        if cores_to_spare() && !SPUN_IN_VAIN.get() {
            let seen = counts.generation.load(Ordering::Acquire);
            drop(guard);
            let notified = (0..SPINS).any(|_| {
                std::hint::spin_loop();
                counts.generation.load(Ordering::Acquire) != seen
            });
            SPUN_IN_VAIN.set(!notified);
            return lock.raw().lock();
        }
        SPUN_IN_VAIN.set(false);
        counts.parked.fetch_add(1, Ordering::SeqCst);
        self.inner.wait(&mut guard);
        counts.parked.fetch_sub(1, Ordering::SeqCst);
        guard
    }

    pub fn notify_one(&self) {
        if self.announce() {
            self.inner.notify_one();
        }
    }

    pub fn notify_all(&self) {
        if self.announce() {
            self.inner.notify_all();
        }
    }

    /// Tells spinning waiters of a notify; returns whether any waiter is parked and needs the
    /// system call.
    fn announce(&self) -> bool {
        let counts = &*self.counts;
        counts.generation.fetch_add(1, Ordering::SeqCst);
        counts.parked.load(Ordering::SeqCst) > 0
    }
}
