//! std's `Condvar` over the facade's [`Mutex`](super::Mutex), with std's signatures (a wait
//! returns its guard in a `LockResult`, poisoned if a holder of the lock panicked) and std's
//! `wait_while` on every backend (loom has none). In the std build it spins a moment before it
//! parks (see `std_only/spin_then_park.rs`); loom and shuttle wait with their own.

use super::backend::{unpoison, RawCondvar};
use super::ledger::{self, ResourceId, ResourceKind};
use super::MutexGuard;
use std::sync::LockResult;
use std::time::{Duration, Instant};

pub struct Condvar {
    id: ResourceId,
    inner: RawCondvar,
    /// Explored builds: notifies so far, which tells a timed waiter whether it was notified
    /// while it let the others run (the backend's own atomic, so that loom sees that a notify
    /// and a timed waiter's look depend on each other, and explores both orders).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    notified: super::backend::atomic::AtomicUsize,
    /// Explored builds: whether a timed wait has used this condition variable; only then do its
    /// notifies count (a plain flag: the explored threads share one OS thread; a notify before
    /// the first timed wait began cannot concern it).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    timed: std::sync::atomic::AtomicBool,
    /// Explored builds: notifies so far, ghost state for the trace (a waiter woken with none
    /// since its wait woke spuriously).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    notifies: std::sync::atomic::AtomicUsize,
}

/// Whether a timed wait ended because its time ran out (std's type of the same name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    #[track_caller]
    pub fn new() -> Self {
        Self::build(None)
    }

    /// A condition variable that failure reports call `name` ("not empty", "seat free").
    #[track_caller]
    pub fn named(name: &str) -> Self {
        Self::build(Some(name))
    }

    #[track_caller]
    fn build(name: Option<&str>) -> Self {
        Condvar {
            id: ledger::new_resource(ResourceKind::Condition, name),
            inner: RawCondvar::new(),
            #[cfg(any(interleave_loom, interleave_shuttle))]
            notified: super::backend::atomic::AtomicUsize::new(0),
            #[cfg(any(interleave_loom, interleave_shuttle))]
            timed: std::sync::atomic::AtomicBool::new(false),
            #[cfg(any(interleave_loom, interleave_shuttle))]
            notifies: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Releases the guard's lock, sleeps until notified (or spuriously woken), then retakes it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`](std::sync::PoisonError) if a holder of the lock panicked.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let guard = self.wait_unpoisoned(guard);
        guard.poison().result(guard)
    }

    /// [`wait`](Self::wait), for the facade's own primitives, which take a poisoned lock over.
    pub(crate) fn wait_unpoisoned<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        ledger::step_where_it_takes_effect("wait", self.id);
        // A spurious wake-up, where the check allows them: the waiter lets go of the lock and
        // takes it back, and if nobody notified in between, it wakes with no notify.
        #[cfg(any(interleave_loom, interleave_shuttle))]
        if ledger::may_wake_spuriously(self.id) {
            let (guard, no_notify) = self.let_go_and_retake(guard, false);
            if no_notify {
                ledger::woke_spuriously(self.id);
            } else {
                ledger::step("woke", self.id);
            }
            return guard;
        }
        #[cfg(any(interleave_loom, interleave_shuttle))]
        let before = self.notifies();
        let guard = self.wait_on(self.id, guard);
        #[cfg(any(interleave_loom, interleave_shuttle))]
        if self.notifies() == before {
            ledger::woke_spuriously(self.id);
            return guard;
        }
        ledger::step("woke", self.id);
        guard
    }

    #[cfg(any(interleave_loom, interleave_shuttle))]
    fn notifies(&self) -> usize {
        self.notifies.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Like [`wait`](Self::wait), but records the wait as being on `on`: a semaphore built on
    /// this condition variable reports its waiters as waiting for the semaphore.
    pub(super) fn wait_on<'a, T>(
        &self,
        on: ResourceId,
        guard: MutexGuard<'a, T>,
    ) -> MutexGuard<'a, T> {
        let mut parts = guard.into_raw();
        ledger::waiting(on);
        #[cfg(interleave_shuttle)]
        if ledger::blocks_for_good(Some(parts.id)) {
            std::panic::panic_any(ledger::PermanentCycle);
        }
        parts.guard = unpoison(self.inner.wait(parts.guard));
        MutexGuard::from_raw(parts)
    }

    /// Like [`wait`](Self::wait), but gives up after `timeout`.
    ///
    /// # Errors
    /// The guard and the result as a [`PoisonError`](std::sync::PoisonError) if a holder of the
    /// lock panicked.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let (guard, result) = self.wait_timeout_unpoisoned(guard, timeout);
        guard.poison().result((guard, result))
    }

    /// [`wait_timeout`](Self::wait_timeout), for the facade's own primitives.
    ///
    ///
    /// Neither loom nor shuttle ever times a wait out (their `wait_timeout` waits for a notify), so
    /// the explored builds make "it timed out" reachable themselves. The waiter lets go of the
    /// lock and takes it back: in between, the explorer may run the other threads (and one may
    /// notify) or not. Not notified meanwhile, the wait has timed out; the time that passed is
    /// then a yield, where the others run before the waiter looks again, so that a loop of timed
    /// waits lets them progress rather than spin. So the schedules in which the time runs out
    /// before the awaited notify and those in which the notify comes first are both explored,
    /// and a timed waiter never counts as blocked. The real build waits on its futex with a
    /// deadline.
    pub(crate) fn wait_timeout_unpoisoned<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        ledger::step("wait (timed)", self.id);
        let (guard, timed_out) = self.wait_timeout_on(guard, timeout);
        ledger::step(if timed_out { "timed out" } else { "woke" }, self.id);
        (guard, WaitTimeoutResult(timed_out))
    }

    #[cfg(any(interleave_loom, interleave_shuttle))]
    fn wait_timeout_on<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        // Not notified meanwhile: timed out, and the time that passed lets the others run first.
        self.let_go_and_retake(guard, true)
    }

    /// Lets go of the guard's lock and takes it back, the others free to run in between; whether
    /// nobody notified meanwhile. `then_yield`: if nobody did, let the others run once more
    /// before taking it back (time passing, for a timed wait).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    fn let_go_and_retake<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        then_yield: bool,
    ) -> (MutexGuard<'a, T>, bool) {
        use super::backend::atomic::Ordering::SeqCst;
        self.timed.store(true, std::sync::atomic::Ordering::Relaxed);
        let before = self.notified.load(SeqCst);
        let parts = guard.into_raw();
        let (id, lock, poison) = (parts.id, parts.lock, parts.poison);
        drop(parts.guard);
        let mut guard = unpoison(lock.lock());
        let not_notified = self.notified.load(SeqCst) == before;
        if not_notified && then_yield {
            drop(guard);
            super::backend::raw_thread::yield_now();
            guard = unpoison(lock.lock());
        }
        let parts = super::mutex::RawParts {
            id,
            poison,
            lock,
            guard,
        };
        (MutexGuard::from_raw(parts), not_notified)
    }

    #[cfg(not(any(interleave_loom, interleave_shuttle)))]
    fn wait_timeout_on<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        let mut parts = guard.into_raw();
        let (guard, timed_out) = unpoison(self.inner.wait_timeout(parts.guard, timeout));
        parts.guard = guard;
        (MutexGuard::from_raw(parts), timed_out)
    }

    /// Waits while `condition` holds, for at most `timeout` in all: timed out if it still holds
    /// when the time runs out.
    ///
    /// # Errors
    /// The guard and the result as a [`PoisonError`](std::sync::PoisonError) if a holder of the
    /// lock panicked.
    pub fn wait_timeout_while<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
        condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        let (guard, result) = self.wait_timeout_while_unpoisoned(guard, timeout, condition);
        guard.poison().result((guard, result))
    }

    /// [`wait_timeout_while`](Self::wait_timeout_while), for the facade's own primitives.
    pub(crate) fn wait_timeout_while_unpoisoned<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let deadline = Instant::now() + timeout;
        while condition(&mut guard) {
            let left = deadline.saturating_duration_since(Instant::now());
            let (g, result) = self.wait_timeout_unpoisoned(guard, left);
            guard = g;
            if result.timed_out() {
                let still = condition(&mut guard);
                return (guard, WaitTimeoutResult(still));
            }
        }
        (guard, WaitTimeoutResult(false))
    }

    /// Waits while `condition` holds, re-checking it after every wake-up.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`](std::sync::PoisonError) if a holder of the lock panicked.
    pub fn wait_while<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<MutexGuard<'a, T>> {
        let guard = self.wait_while_unpoisoned(guard, condition);
        guard.poison().result(guard)
    }

    /// [`wait_while`](Self::wait_while), for the facade's own primitives.
    pub(crate) fn wait_while_unpoisoned<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        while condition(&mut guard) {
            guard = self.wait_unpoisoned(guard);
        }
        guard
    }

    pub fn notify_one(&self) {
        ledger::step("notify", self.id);
        #[cfg(any(interleave_loom, interleave_shuttle))]
        self.count_notify();
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        ledger::step("notify_all", self.id);
        #[cfg(any(interleave_loom, interleave_shuttle))]
        self.count_notify();
        self.inner.notify_all();
    }

    /// Tells timed waiters of a notify, once there have been any.
    #[cfg(any(interleave_loom, interleave_shuttle))]
    fn count_notify(&self) {
        self.notifies
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.timed.load(std::sync::atomic::Ordering::Relaxed) {
            self.notified
                .fetch_add(1, super::backend::atomic::Ordering::SeqCst);
        }
    }

    /// The ledger's name for this condition variable, for primitives built on it.
    pub(super) fn id(&self) -> ResourceId {
        self.id
    }
}

impl Default for Condvar {
    fn default() -> Self {
        Condvar::new()
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
