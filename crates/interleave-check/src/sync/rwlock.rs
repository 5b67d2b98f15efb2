//! std's `RwLock`, with std's signatures and poisoning, which tells the ledger who holds it (every
//! reader, or the writer) and who waits for it: a wait-for cycle through it is a deadlock, and
//! what a writer did before it unlocked happens before what the next holder does.

use super::backend::{unpoison, RawReadGuard, RawRwLock, RawWriteGuard};
use super::ledger::{self, ResourceId, ResourceKind};
use super::mutex::poison_if;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

pub struct RwLock<T> {
    id: ResourceId,
    /// Whether a writer panicked while holding it.
    poisoned: AtomicBool,
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
            poisoned: AtomicBool::new(false),
            inner: RawRwLock::new(value),
        }
    }

    /// Takes a shared hold, waiting while a writer holds it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`] if a writer panicked.
    pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
        ledger::waiting(self.id);
        let guard = self.reading(unpoison(self.inner.read()));
        poison_if(self.is_poisoned(), guard)
    }

    /// Takes a shared hold if no writer holds it, without blocking.
    ///
    /// # Errors
    /// [`TryLockError::WouldBlock`] if a writer holds it, [`TryLockError::Poisoned`] with the
    /// guard if a writer panicked.
    pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
        let raw = match self.inner.try_read() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return Err(TryLockError::WouldBlock),
        };
        let guard = self.reading(raw);
        if self.is_poisoned() {
            return Err(TryLockError::Poisoned(PoisonError::new(guard)));
        }
        Ok(guard)
    }

    /// Takes the exclusive hold, waiting while anyone holds it.
    ///
    /// # Errors
    /// The guard as a [`PoisonError`] if a writer panicked.
    pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
        ledger::waiting(self.id);
        let guard = self.writing(unpoison(self.inner.write()));
        poison_if(self.is_poisoned(), guard)
    }

    /// Takes the exclusive hold if no one holds it, without blocking.
    ///
    /// # Errors
    /// [`TryLockError::WouldBlock`] if anyone holds it, [`TryLockError::Poisoned`] with the
    /// guard if a writer panicked.
    pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
        let raw = match self.inner.try_write() {
            Ok(g) => g,
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return Err(TryLockError::WouldBlock),
        };
        let guard = self.writing(raw);
        if self.is_poisoned() {
            return Err(TryLockError::Poisoned(PoisonError::new(guard)));
        }
        Ok(guard)
    }

    /// Whether a writer panicked while holding it.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(Relaxed)
    }

    /// Forgets that a writer panicked.
    pub fn clear_poison(&self) {
        self.poisoned.store(false, Relaxed);
    }

    /// The value, which no one can hold any more.
    ///
    /// # Errors
    /// The value as a [`PoisonError`] if a writer panicked.
    pub fn into_inner(self) -> LockResult<T> {
        let poisoned = self.is_poisoned();
        poison_if(poisoned, unpoison(self.inner.into_inner()))
    }

    /// The value, borrowed exclusively: no lock needed.
    ///
    /// # Errors
    /// The reference as a [`PoisonError`] if a writer panicked.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        let poisoned = self.is_poisoned();
        poison_if(poisoned, unpoison(self.inner.get_mut()))
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
            poisoned: &self.poisoned,
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
    poisoned: &'a AtomicBool,
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
    #[cfg(loom)]
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
        if std::thread::panicking() {
            self.poisoned.store(true, Relaxed);
        }
        let_go(self.id, self.inner.take());
    }
}
