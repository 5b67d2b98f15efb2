//! A condition variable over the facade's [`Mutex`](super::Mutex), with std's `wait_while` on
//! every backend (loom has none) and no poisoning. In the std build it spins a moment before it
//! parks (see `std_only/spin_then_park.rs`); loom and shuttle wait with their own.

use super::backend::{unpoison, RawCondvar};
use super::ledger::{self, ResourceId, ResourceKind};
use super::MutexGuard;

pub struct Condvar {
    id: ResourceId,
    inner: RawCondvar,
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
        self.inner.notify_one();
    }

    pub fn notify_all(&self) {
        ledger::step("notify_all", self.id);
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
