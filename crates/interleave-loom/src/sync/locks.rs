//! loom's `Mutex` and `RwLock`: the checker's, whose locks the explorer schedules and names,
//! except that they never poison. loom's locks do not: a suite whose code takes a lock while
//! unwinding from a failed assertion (a `Drop` that publishes, flushes, unregisters) gets its
//! guard under loom, and must get it here, or the second panic aborts the test process and the
//! report of the first is lost.

use interleave_check::sync as checker;
use std::sync::{LockResult, TryLockError, TryLockResult};

/// A lock that takes what a panicking holder left, as loom's does.
fn unpoisoned<G>(result: LockResult<G>) -> LockResult<G> {
    Ok(result.unwrap_or_else(std::sync::PoisonError::into_inner))
}

fn tried_unpoisoned<G>(result: TryLockResult<G>) -> TryLockResult<G> {
    match result {
        Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
        other => other,
    }
}

/// loom's `Mutex`.
pub struct Mutex<T>(checker::Mutex<T>);

impl<T> Mutex<T> {
    #[track_caller]
    pub fn new(value: T) -> Mutex<T> {
        Mutex(checker::Mutex::new(value))
    }

    /// Takes the lock, waiting for it; a panic of a holder does not poison it.
    pub fn lock(&self) -> LockResult<checker::MutexGuard<'_, T>> {
        unpoisoned(self.0.lock())
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> TryLockResult<checker::MutexGuard<'_, T>> {
        tried_unpoisoned(self.0.try_lock())
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        unpoisoned(self.0.get_mut())
    }

    pub fn into_inner(self) -> LockResult<T> {
        unpoisoned(self.0.into_inner())
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
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
        self.0.fmt(f)
    }
}

/// loom's `RwLock`.
pub struct RwLock<T>(checker::RwLock<T>);

impl<T> RwLock<T> {
    #[track_caller]
    pub fn new(value: T) -> RwLock<T> {
        RwLock(checker::RwLock::new(value))
    }

    pub fn read(&self) -> LockResult<checker::RwLockReadGuard<'_, T>> {
        unpoisoned(self.0.read())
    }

    pub fn try_read(&self) -> TryLockResult<checker::RwLockReadGuard<'_, T>> {
        tried_unpoisoned(self.0.try_read())
    }

    pub fn write(&self) -> LockResult<checker::RwLockWriteGuard<'_, T>> {
        unpoisoned(self.0.write())
    }

    pub fn try_write(&self) -> TryLockResult<checker::RwLockWriteGuard<'_, T>> {
        tried_unpoisoned(self.0.try_write())
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        unpoisoned(self.0.get_mut())
    }

    pub fn into_inner(self) -> LockResult<T> {
        unpoisoned(self.0.into_inner())
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
        self.0.fmt(f)
    }
}
