//! std's lock poisoning, kept by the facade itself (the backends' own poisoning is taken over:
//! loom's and shuttle's locks poison at different moments than std's): a guard dropped while its
//! thread panics poisons its lock, and every later taking of it says so.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

/// Whether a holder of a lock panicked (a plain flag: only holders raise it).
#[derive(Debug, Default)]
pub(super) struct Poison(AtomicBool);

impl Poison {
    pub fn is_poisoned(&self) -> bool {
        self.0.load(Relaxed)
    }

    pub fn clear(&self) {
        self.0.store(false, Relaxed);
    }

    /// A guard of this lock is dropped: poisons it if the thread is panicking.
    pub fn guard_dropped(&self) {
        if std::thread::panicking() {
            self.0.store(true, Relaxed);
        }
    }

    /// `value` (a guard, the lock's data), as a [`PoisonError`] if the lock is poisoned.
    pub fn result<G>(&self, value: G) -> LockResult<G> {
        if self.is_poisoned() {
            Err(PoisonError::new(value))
        } else {
            Ok(value)
        }
    }

    /// A backend's try at the lock, its guard made the facade's by `take`: `WouldBlock` as it
    /// was, the guard poisoned if the lock is.
    pub fn tried<R, G>(
        &self,
        raw: TryLockResult<R>,
        take: impl FnOnce(R) -> G,
    ) -> TryLockResult<G> {
        let raw = match raw {
            Ok(raw) => raw,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return Err(TryLockError::WouldBlock),
        };
        self.result(take(raw)).map_err(TryLockError::Poisoned)
    }
}
