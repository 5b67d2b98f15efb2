//! Python's `threading.Lock`: explicit `acquire` and `release`, by any thread, beside the
//! guard-based `Mutex`. The course's lock bugs (a lock never released on an error path,
//! 001:225-233) cannot be written with guards alone. A lock is one permit ([`Permits`]): in
//! explored builds it is counted under the facade's own `Mutex` and `Condvar`, so loom and
//! shuttle explore it; in the std build, in one atomic word.

use super::ledger::{self, ResourceId, ResourceKind};
use super::permits::Permits;

/// Releasing a lock that is not locked: in Python, `RuntimeError: release unlocked lock`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("release of an unlocked lock")]
pub struct UnlockedError;

/// A lock with no owner: `acquire` waits until it is free, `release` frees it.
#[derive(Debug)]
pub struct Lock {
    id: ResourceId,
    /// One permit, free while the lock is.
    free: Permits,
}

impl Lock {
    #[track_caller]
    pub fn new() -> Self {
        Self::build(None)
    }

    /// A lock that failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str) -> Self {
        Self::build(Some(name))
    }

    #[track_caller]
    fn build(name: Option<&str>) -> Self {
        Lock {
            id: ledger::new_resource(ResourceKind::Lock, name),
            free: Permits::new(1),
        }
    }

    /// Takes the lock, waiting while another acquire holds it.
    pub fn acquire(&self) {
        let op = ledger::operation(true);
        self.free.take(self.id, |_| {
            ledger::acquired(self.id);
            op.step("acquire", self.id);
        });
    }

    /// Takes the lock, waiting at most `timeout` (Python's `acquire(timeout=…)`); says whether
    /// it did. See [`Condvar::wait_timeout`](super::Condvar::wait_timeout) for how the explored
    /// builds time a wait out.
    pub fn acquire_timeout(&self, timeout: std::time::Duration) -> bool {
        let op = ledger::operation(true);
        self.free.take_timeout(timeout, |taken| match taken {
            Some(_) => {
                ledger::acquired(self.id);
                op.step("acquire", self.id);
            }
            None => op.step("acquire (timed out)", self.id),
        })
    }

    /// Takes the lock if it is free; says whether it did.
    pub fn try_acquire(&self) -> bool {
        let op = ledger::operation(true);
        self.free.try_take(|taken| match taken {
            Some(_) => {
                ledger::acquired(self.id);
                op.step("acquire", self.id);
            }
            None => op.step("try_acquire (busy)", self.id),
        })
    }

    /// Frees the lock and wakes one waiter.
    ///
    /// # Errors
    /// If the lock is not locked.
    pub fn release(&self) -> Result<(), UnlockedError> {
        let op = ledger::operation(true);
        let released = self.free.give(1, |given| match given {
            Some(_) => {
                op.step("release", self.id);
                ledger::released(self.id);
            }
            None => op.step("release (not locked)", self.id),
        });
        if released {
            Ok(())
        } else {
            Err(UnlockedError)
        }
    }

    pub fn locked(&self) -> bool {
        let op = ledger::operation(true);
        let locked = self.free.free() == 0;
        op.step_with("read", self.id, &locked);
        locked
    }

    /// Python's `with lock:` — takes the lock and frees it when the guard is dropped, on every
    /// path out of the block.
    pub fn hold(&self) -> LockGuard<'_> {
        self.acquire();
        LockGuard(self)
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

/// Frees its [`Lock`] when dropped.
#[must_use = "the lock is freed as soon as the guard is dropped"]
pub struct LockGuard<'a>(&'a Lock);

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        // As with `MutexGuard`: under loom, a stack unwound after the execution failed is left as
        // it is.
        #[cfg(interleave_loom)]
        if std::thread::panicking() {
            return;
        }
        self.0
            .release()
            .expect("a held lock is locked until its guard frees it");
    }
}
