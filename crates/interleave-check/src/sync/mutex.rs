//! std's `Mutex`, with std's signatures and poisoning (a guard dropped while its thread panics
//! poisons the lock, and later `lock`s say so), which tells the ledger who holds it and who waits
//! for it.

use super::backend::{unpoison, RawMutex, RawMutexGuard};
use super::ledger::{self, ResourceId, ResourceKind};
use super::poison::Poison;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, TryLockResult};

pub struct Mutex<T> {
    id: ResourceId,
    poison: Poison,
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
            poison: Poison::default(),
            inner: RawMutex::new(value),
        }
    }

    /// The value, which no one can hold any more.
    ///
    /// # Errors
    /// The value as a [`PoisonError`](std::sync::PoisonError) if a holder panicked.
    pub fn into_inner(self) -> LockResult<T> {
        let Mutex { poison, inner, .. } = self;
        poison.result(unpoison(inner.into_inner()))
    }

    /// Takes the lock, waiting while another thread holds it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`](std::sync::PoisonError) if a holder panicked.
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        self.poison.result(self.lock_unpoisoned())
    }

    /// Takes the lock whether or not a holder panicked: the facade's own primitives, whose
    /// state no panic of theirs leaves broken, and the course's, where the panic itself is what
    /// the explorer reports.
    pub(crate) fn lock_unpoisoned(&self) -> MutexGuard<'_, T> {
        ledger::waiting(self.id);
        self.taken(unpoison(self.inner.lock()))
    }

    /// Takes the lock if it is free, without blocking.
    ///
    /// # Errors
    /// [`TryLockError::WouldBlock`](std::sync::TryLockError::WouldBlock) if another thread holds it, [`TryLockError::Poisoned`](std::sync::TryLockError::Poisoned) with
    /// the guard if a holder panicked.
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        self.poison
            .tried(self.inner.try_lock(), |raw| self.taken(raw))
    }

    /// Whether a holder panicked.
    pub fn is_poisoned(&self) -> bool {
        self.poison.is_poisoned()
    }

    /// Forgets that a holder panicked.
    pub fn clear_poison(&self) {
        self.poison.clear();
    }

    /// The value, borrowed exclusively: no lock needed.
    ///
    /// # Errors
    /// The reference as a [`PoisonError`](std::sync::PoisonError) if a holder panicked.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.poison.result(unpoison(self.inner.get_mut()))
    }

    /// Records that this thread took the lock, and wraps the backend's guard.
    fn taken<'a>(&'a self, inner: RawMutexGuard<'a, T>) -> MutexGuard<'a, T> {
        ledger::acquired(self.id);
        ledger::step("lock", self.id);
        MutexGuard {
            id: self.id,
            poison: &self.poison,
            #[cfg(any(interleave_loom, interleave_shuttle))]
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

impl<T> From<T> for Mutex<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T> std::fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mutex")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Holds the lock until dropped.
pub struct MutexGuard<'a, T> {
    id: ResourceId,
    /// Raised if the guard drops while its thread panics.
    poison: &'a Poison,
    /// The lock itself, for a timed wait of the explored builds, which lets go of it and takes
    /// it again (see `Condvar::wait_timeout`).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    lock: &'a RawMutex<T>,
    // `None` only while a `Condvar` wait has handed the raw guard to the backend.
    inner: Option<RawMutexGuard<'a, T>>,
}

impl<'a, T> MutexGuard<'a, T> {
    /// The poison of the lock this guard holds: what a condition variable's wait reports when
    /// it gives the guard back.
    pub(super) fn poison(&self) -> &'a Poison {
        self.poison
    }

    /// Hands the raw guard to a condition variable, recording that the lock is released.
    pub(super) fn into_raw(mut self) -> RawParts<'a, T> {
        ledger::released(self.id);
        let raw = self.inner.take().expect("guard holds the lock");
        RawParts {
            id: self.id,
            poison: self.poison,
            #[cfg(any(interleave_loom, interleave_shuttle))]
            lock: self.lock,
            guard: raw,
        }
    }

    /// Rebuilds the guard once a condition variable has taken the lock back.
    pub(super) fn from_raw(parts: RawParts<'a, T>) -> Self {
        ledger::acquired(parts.id);
        MutexGuard {
            id: parts.id,
            poison: parts.poison,
            #[cfg(any(interleave_loom, interleave_shuttle))]
            lock: parts.lock,
            inner: Some(parts.guard),
        }
    }
}

/// A guard taken apart for a condition variable: the ledger's name and the backend's guard.
pub(super) struct RawParts<'a, T> {
    pub id: ResourceId,
    pub poison: &'a Poison,
    #[cfg(any(interleave_loom, interleave_shuttle))]
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

impl<T: std::fmt::Debug> std::fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<T: std::fmt::Display> std::fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&**self, f)
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        let Some(raw) = self.inner.take() else { return };
        self.poison.guard_dropped();
        // When a loom execution fails (a deadlock, say), loom drops the stacks of the threads still
        // blocked, unwinding them after its runtime is gone: a raw guard released then panics
        // inside a destructor, and the whole process aborts. The execution is over by then, so
        // the lock is left as it is. (std must release: real threads may still be waiting.)
        #[cfg(interleave_loom)]
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
