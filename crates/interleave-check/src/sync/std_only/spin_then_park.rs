//! The condition variable under the facade's [`Condvar`](super::Condvar) in the std build: it
//! spins a moment before it parks.
//!
//! A thread parked in the kernel takes several microseconds to wake, far more than the hardware
//! needs to pass a cache line between cores (~0.1 µs); hand-offs (a condition's notify) pay that
//! price every time. So a waiter lets go of the lock and watches a generation counter that every
//! notify bumps, for a moment, when spinning has been paying on its thread ([`spin`](super::spin)
//! decides: tens of microseconds at most, and backing off after spins that missed, so that on a
//! busy machine waiters park at once, as std's do). A notify in that window is caught without a
//! system call. Otherwise the waiter sleeps on the counter's own word (a futex, through
//! `atomic-wait`), as std's condition variable does; a notify makes the system call only when a
//! waiter sleeps or is about to.
//!
//! Why no wake-up is lost: the waiter reads the generation under the lock, right after its
//! caller found the condition false; a notifier changes the condition under the lock, so after
//! the waiter let go of it, then bumps the generation. Before it sleeps, the waiter counts itself
//! as sleeping and reads the generation again; the notifier bumps it, then reads the count; all
//! four are sequentially consistent, so either the waiter sees the bump (and returns) or the
//! notifier sees the sleeper (and wakes it), and a wake between the waiter's look and its sleep
//! is not lost: the sleep returns at once if the generation moved.
//!
//! Explored builds use the backend's own condition variable: loom and shuttle must see every
//! wait as a wait, and spinning would only add schedules.

use super::spin;
use super::std_locks::MutexGuard;
use crate::cache_padded::CachePadded;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LockResult;

#[derive(Default)]
pub struct SpinThenPark {
    /// On a cache line of their own, so that neighbouring data written meanwhile does not
    /// disturb a spinning waiter's watch.
    counts: CachePadded<Counts>,
}

#[derive(Default)]
struct Counts {
    /// Bumped by every notify: what a waiter watches, and sleeps on.
    generation: AtomicU32,
    /// Waiters asleep or about to sleep.
    sleeping: AtomicU32,
}

impl SpinThenPark {
    pub fn new() -> Self {
        Self::default()
    }

    /// Releases `guard`'s lock, waits for a notify (or returns spuriously), retakes the lock;
    /// std's signature (it never poisons).
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let lock = MutexGuard::mutex(&guard);
        let counts = &*self.counts;
        let seen = counts.generation.load(Ordering::SeqCst);
        drop(guard);
        let moved = || counts.generation.load(Ordering::SeqCst) != seen;
        if !(spin::worth_trying() && spin::watch(moved)) {
            counts.sleeping.fetch_add(1, Ordering::SeqCst);
            if !moved() {
                atomic_wait::wait(&counts.generation, seen);
            }
            counts.sleeping.fetch_sub(1, Ordering::SeqCst);
        }
        Ok(lock.lock())
    }

    /// Like [`wait`](Self::wait), but gives up after `timeout`: then the result says it timed
    /// out (std's signature).
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: std::time::Duration,
    ) -> LockResult<(MutexGuard<'a, T>, bool)> {
        let lock = MutexGuard::mutex(&guard);
        let counts = &*self.counts;
        let seen = counts.generation.load(Ordering::SeqCst);
        drop(guard);
        let deadline = std::time::Instant::now() + timeout;
        let moved = || counts.generation.load(Ordering::SeqCst) != seen;
        let mut timed_out = false;
        if !(spin::worth_trying() && spin::watch(moved)) {
            counts.sleeping.fetch_add(1, Ordering::SeqCst);
            while !moved() {
                let now = std::time::Instant::now();
                if now >= deadline {
                    timed_out = true;
                    break;
                }
                super::futex_timeout::wait(&counts.generation, seen, deadline - now);
            }
            counts.sleeping.fetch_sub(1, Ordering::SeqCst);
        }
        Ok((lock.lock(), timed_out))
    }

    pub fn notify_one(&self) {
        if self.announce() {
            atomic_wait::wake_one(&self.counts.generation);
        }
    }

    pub fn notify_all(&self) {
        if self.announce() {
            atomic_wait::wake_all(&self.counts.generation);
        }
    }

    /// Tells waiters of a notify; returns whether any sleeps and needs the system call.
    fn announce(&self) -> bool {
        let counts = &*self.counts;
        counts.generation.fetch_add(1, Ordering::SeqCst);
        counts.sleeping.load(Ordering::SeqCst) > 0
    }
}
