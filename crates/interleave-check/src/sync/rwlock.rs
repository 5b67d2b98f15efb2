//! std's `RwLock`, with std's signatures and poisoning, which tells the ledger who holds it (every
//! reader, or the writer) and who waits for it: a wait-for cycle through it is a deadlock, and
//! what a writer did before it unlocked happens before what the next holder does.

use super::backend::{unpoison, RawReadGuard, RawRwLock, RawWriteGuard};
use super::ledger::{self, ResourceId, ResourceKind};
use super::poison::Poison;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, TryLockResult};

pub struct RwLock<T> {
    id: ResourceId,
    /// Raised by a writer that panicked while holding it.
    poison: Poison,
    inner: RawRwLock<T>,
}

impl<T> RwLock<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Self::build(None, value)
    }

    /// A readers-writer lock that failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> Self {
        Self::build(Some(name), value)
    }

    #[track_caller]
    fn build(name: Option<&str>, value: T) -> Self {
        RwLock {
            id: ledger::new_resource(ResourceKind::Lock, name),
            poison: Poison::default(),
            inner: RawRwLock::new(value),
        }
    }

    /// Takes a shared hold, waiting while a writer holds it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`](std::sync::PoisonError) if a writer panicked.
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        ledger::waiting(self.id);
        self.poison
            .result(self.reading(unpoison(self.inner.read())))
    }

    /// Takes a shared hold if no writer holds it, without blocking.
    ///
    /// # Errors
    /// [`TryLockError::WouldBlock`](std::sync::TryLockError::WouldBlock) if a writer holds it, [`TryLockError::Poisoned`](std::sync::TryLockError::Poisoned) with the
    /// guard if a writer panicked.
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        self.poison
            .tried(self.inner.try_read(), |raw| self.reading(raw))
    }

    /// Takes the exclusive hold, waiting while anyone holds it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`](std::sync::PoisonError) if a writer panicked.
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        ledger::waiting(self.id);
        self.poison
            .result(self.writing(unpoison(self.inner.write())))
    }

    /// Takes the exclusive hold if no one holds it, without blocking.
    ///
    /// # Errors
    /// [`TryLockError::WouldBlock`](std::sync::TryLockError::WouldBlock) if anyone holds it, [`TryLockError::Poisoned`](std::sync::TryLockError::Poisoned) with the
    /// guard if a writer panicked.
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        self.poison
            .tried(self.inner.try_write(), |raw| self.writing(raw))
    }

    /// Whether a writer panicked while holding it.
    pub fn is_poisoned(&self) -> bool {
        self.poison.is_poisoned()
    }

    /// Forgets that a writer panicked.
    pub fn clear_poison(&self) {
        self.poison.clear();
    }

    /// The value, which no one can hold any more.
    ///
    /// # Errors
    /// The value as a [`PoisonError`](std::sync::PoisonError) if a writer panicked.
    pub fn into_inner(self) -> LockResult<T> {
        let RwLock { poison, inner, .. } = self;
        poison.result(unpoison(inner.into_inner()))
    }

    /// The value, borrowed exclusively: no lock needed.
    ///
    /// # Errors
    /// The reference as a [`PoisonError`](std::sync::PoisonError) if a writer panicked.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.poison.result(unpoison(self.inner.get_mut()))
    }

    fn reading<'a>(&'a self, raw: RawReadGuard<'a, T>) -> RwLockReadGuard<'a, T> {
        ledger::acquired(self.id);
        ledger::step("read-lock", self.id);
        RwLockReadGuard {
            id: self.id,
            inner: Some(raw),
        }
    }

    fn writing<'a>(&'a self, raw: RawWriteGuard<'a, T>) -> RwLockWriteGuard<'a, T> {
        ledger::acquired(self.id);
        ledger::step("write-lock", self.id);
        RwLockWriteGuard {
            id: self.id,
            poison: &self.poison,
            inner: Some(raw),
        }
    }
}

impl<T: Default> Default for RwLock<T> {
    #[track_caller]
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T> std::fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RwLock")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A shared hold, until dropped.
pub struct RwLockReadGuard<'a, T> {
    id: ResourceId,
    inner: Option<RawReadGuard<'a, T>>,
}

/// The exclusive hold, until dropped.
pub struct RwLockWriteGuard<'a, T> {
    id: ResourceId,
    poison: &'a Poison,
    inner: Option<RawWriteGuard<'a, T>>,
}

impl<T> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard holds the lock")
    }
}

impl<T> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_deref().expect("guard holds the lock")
    }
}

impl<T> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_deref_mut().expect("guard holds the lock")
    }
}

/// Lets go of a hold: recorded, then the backend's guard dropped (see `MutexGuard`'s drop for
/// why loom's is forgotten while a failed execution unwinds).
fn let_go<G>(id: ResourceId, raw: Option<G>) {
    let Some(raw) = raw else { return };
    #[cfg(interleave_loom)]
    if std::thread::panicking() {
        std::mem::forget(raw);
        return;
    }
    ledger::step("unlock", id);
    ledger::released(id);
    drop(raw);
}

impl<T> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        let_go(self.id, self.inner.take());
    }
}

impl<T> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.poison.guard_dropped();
        let_go(self.id, self.inner.take());
    }
}
