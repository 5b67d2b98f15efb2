//! A condition variable over the facade's [`Mutex`](super::Mutex), with std's `wait_while` on
//! every backend (loom has none) and no poisoning. In the std build it spins a moment before it
//! parks (see `std_only/spin_then_park.rs`); loom and shuttle wait with their own.

use super::backend::{unpoison, RawCondvar};
use super::ledger::{self, ResourceId, ResourceKind};
use super::MutexGuard;
use std::time::{Duration, Instant};

pub struct Condvar {
    id: ResourceId,
    inner: RawCondvar,
    /// Explored builds: notifies so far, which tells a timed waiter whether it was notified
    /// while it let the others run (a plain counter: an explored execution runs on one OS thread,
    /// and the explorers need not see it).
    #[cfg(any(loom, shuttle))]
    notified: std::sync::atomic::AtomicUsize,
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
            #[cfg(any(loom, shuttle))]
            notified: Default::default(),
        }
    }

    /// Releases the guard's lock, sleeps until notified (or spuriously woken), then retakes it.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        ledger::step("wait", self.id);
        let guard = self.wait_on(self.id, guard);
        ledger::step("woke", self.id);
        guard
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
        parts.guard = unpoison(self.inner.wait(parts.guard));
        MutexGuard::from_raw(parts)
    }

    /// Like [`wait`](Self::wait), but gives up after `timeout`.
    ///
    /// Neither loom nor shuttle ever times a wait out (their `wait_timeout` waits for a notify), so
    /// the explored builds make "it timed out" reachable themselves: the waiter lets go of the
    /// lock and lets every other thread run (a yield, where the explorer may run any of them for
    /// as long as it likes), takes the lock back, and has timed out unless it was notified
    /// meanwhile. So every schedule in which the time runs out before the awaited notify, and
    /// every one in which the notify comes first, is explored; a timed waiter never counts as
    /// blocked. The real build waits on its futex with a deadline.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        ledger::step("wait (timed)", self.id);
        let (guard, timed_out) = self.wait_timeout_on(guard, timeout);
        ledger::step(if timed_out { "timed out" } else { "woke" }, self.id);
        (guard, WaitTimeoutResult(timed_out))
    }

    #[cfg(any(loom, shuttle))]
    fn wait_timeout_on<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        _timeout: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        use std::sync::atomic::Ordering::SeqCst;
        let before = self.notified.load(SeqCst);
        let parts = guard.into_raw();
        let lock = parts.lock;
        let id = parts.id;
        drop(parts.guard);
        super::backend::raw_thread::yield_now();
        let guard = unpoison(lock.lock());
        let guard = MutexGuard::from_raw(super::mutex::RawParts { id, lock, guard });
        (guard, self.notified.load(SeqCst) == before)
    }

    #[cfg(not(any(loom, shuttle)))]
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
    pub fn wait_timeout_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> (MutexGuard<'a, T>, WaitTimeoutResult) {
        let deadline = Instant::now() + timeout;
        while condition(&mut guard) {
            let left = deadline.saturating_duration_since(Instant::now());
            let (g, result) = self.wait_timeout(guard, left);
            guard = g;
            if result.timed_out() {
                let still = condition(&mut guard);
                return (guard, WaitTimeoutResult(still));
            }
        }
        (guard, WaitTimeoutResult(false))
    }

    /// Waits while `condition` holds, re-checking it after every wake-up.
    pub fn wait_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> MutexGuard<'a, T> {
        while condition(&mut guard) {
            guard = self.wait(guard);
        }
        guard
    }

    pub fn notify_one(&self) {
        ledger::step("notify", self.id);
        #[cfg(any(loom, shuttle))]
        self.notified
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        ledger::step("notify_all", self.id);
        #[cfg(any(loom, shuttle))]
        self.notified
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.notify_all();
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
