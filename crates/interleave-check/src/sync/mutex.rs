//! A mutual-exclusion lock whose `lock()` always returns a guard, and which tells the ledger who
//! holds it and who waits for it.

use super::backend::{unpoison, RawMutex, RawMutexGuard};
use super::ledger::{self, ResourceId, ResourceKind};
use std::ops::{Deref, DerefMut};

pub struct Mutex<T> {
    id: ResourceId,
    inner: RawMutex<T>,
}

impl<T> Mutex<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Self::build(None, value)
    }

    /// A mutex that failure reports call `name` ("fork 3", "balance").
    #[track_caller]
    pub fn named(name: &str, value: T) -> Self {
        Self::build(Some(name), value)
    }

    #[track_caller]
    fn build(name: Option<&str>, value: T) -> Self {
        Mutex {
            id: ledger::new_resource(ResourceKind::Mutex, name),
            inner: RawMutex::new(value),
        }
    }

    pub fn into_inner(self) -> T {
        unpoison(self.inner.into_inner())
    }

    pub fn lock(&self) -> MutexGuard<'_, T> {
        ledger::waiting(self.id);
        self.taken(unpoison(self.inner.lock()))
    }

    /// Takes the lock if it is free, without blocking.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        let inner = match self.inner.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return None,
        };
        Some(self.taken(inner))
    }

    /// Records that this thread took the lock, and wraps the backend's guard.
    fn taken<'a>(&'a self, inner: RawMutexGuard<'a, T>) -> MutexGuard<'a, T> {
        ledger::acquired(self.id);
        ledger::step("lock", self.id);
        MutexGuard {
            id: self.id,
            #[cfg(any(loom, shuttle))]
            lock: &self.inner,
            inner: Some(inner),
        }
    }

    /// The ledger's name for this mutex, for primitives built on it that record steps of their
    /// own (a queue's put and get).
    pub(super) fn id(&self) -> ResourceId {
        self.id
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mutex")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Holds the lock until dropped.
pub struct MutexGuard<'a, T> {
    id: ResourceId,
    /// The lock itself, for a timed wait of the explored builds, which lets go of it and takes
    /// it again (see `Condvar::wait_timeout`).
    #[cfg(any(loom, shuttle))]
    lock: &'a RawMutex<T>,
    // `None` only while a `Condvar` wait has handed the raw guard to the backend.
    inner: Option<RawMutexGuard<'a, T>>,
}

impl<'a, T> MutexGuard<'a, T> {
    /// Hands the raw guard to a condition variable, recording that the lock is released.
    pub(super) fn into_raw(mut self) -> RawParts<'a, T> {
        ledger::released(self.id);
        let raw = self.inner.take().expect("guard holds the lock");
        RawParts {
            id: self.id,
            #[cfg(any(loom, shuttle))]
            lock: self.lock,
            guard: raw,
        }
    }

    /// Rebuilds the guard once a condition variable has taken the lock back.
    pub(super) fn from_raw(parts: RawParts<'a, T>) -> Self {
        ledger::acquired(parts.id);
        MutexGuard {
            id: parts.id,
            #[cfg(any(loom, shuttle))]
            lock: parts.lock,
            inner: Some(parts.guard),
        }
    }
}

/// A guard taken apart for a condition variable: the ledger's name and the backend's guard.
pub(super) struct RawParts<'a, T> {
    pub id: ResourceId,
    #[cfg(any(loom, shuttle))]
    pub lock: &'a RawMutex<T>,
    pub guard: RawMutexGuard<'a, T>,
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard holds the lock")
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_deref_mut().expect("guard holds the lock")
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        let Some(raw) = self.inner.take() else { return };
        // When a loom execution fails (a deadlock, say), loom drops the stacks of the threads still
        // blocked, unwinding them after its runtime is gone: a raw guard released then panics
        // inside a destructor, and the whole process aborts. The execution is over by then, so
        // the lock is left as it is. (std must release: real threads may still be waiting.)
        #[cfg(loom)]
        if std::thread::panicking() {
            std::mem::forget(raw);
            return;
        }
        ledger::step("unlock", self.id);
        // A mutex that guards nothing (a fork) holds no more than whether it is held: once
        // free, it is the same whoever held it.
        if std::mem::size_of::<T>() == 0 {
            ledger::holds_exactly(self.id, &"()");
        }
        ledger::released(self.id);
        drop(raw);
    }
}
