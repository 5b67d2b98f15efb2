//! A readers-writer lock whose `read()` and `write()` always return guards (no poisoning).
//! Not recorded in the ledger yet: no model of the course blocks on one.

use super::backend::{unpoison, RawReadGuard, RawRwLock, RawWriteGuard};

pub type RwLockReadGuard<'a, T> = RawReadGuard<'a, T>;
pub type RwLockWriteGuard<'a, T> = RawWriteGuard<'a, T>;

pub struct RwLock<T>(RawRwLock<T>);

impl<T> RwLock<T> {
    pub fn new(value: T) -> Self {
        RwLock(RawRwLock::new(value))
    }

    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        unpoison(self.0.read())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        unpoison(self.0.write())
    }
}
