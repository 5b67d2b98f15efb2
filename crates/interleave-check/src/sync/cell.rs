//! Shareable mutable containers, as std's `cell`, and an `UnsafeCell` with loom's API whose every
//! access the explored builds check for data races.
//!
//! Code that shares data through raw pointers (a lock-free queue's slots, a lazily initialised
//! value) writes it in an [`UnsafeCell`] and reaches it through [`UnsafeCell::with`] (to read)
//! and [`UnsafeCell::with_mut`] (to write), as loom asks. The real build runs these as plain
//! pointer accesses. The explored builds record each as a step of the trace and check it against
//! the accesses before it: two accesses from different threads, one of them a write, that no
//! lock, join, condition variable, semaphore, channel or `Release`/`Acquire` pair puts in order
//! are a **data race**, reported with both threads, both places in the source and both steps,
//! even in an execution where the values happened to come out right.

use super::backend::RawUnsafeCell;
use super::ledger::{self, ResourceId, ResourceKind};
use std::fmt;

pub use std::cell::{Cell, OnceCell, Ref, RefCell, RefMut};

/// std's `UnsafeCell`, reached through closures (loom's API) so that each access can be checked.
pub struct UnsafeCell<T: ?Sized> {
    id: ResourceId,
    inner: RawUnsafeCell<T>,
}

impl<T> UnsafeCell<T> {
    /// A cell that reports call by where it was made ("the cell made at src/lazy.rs:12").
    #[track_caller]
    pub fn new(value: T) -> Self {
        Self::build(None, value)
    }

    /// A cell that reports call `name` ("slot 3", "the value").
    #[track_caller]
    pub fn named(name: &str, value: T) -> Self {
        Self::build(Some(name), value)
    }

    #[track_caller]
    fn build(name: Option<&str>, value: T) -> Self {
        UnsafeCell {
            id: ledger::new_resource(ResourceKind::Cell, name),
            inner: RawUnsafeCell::new(value),
        }
    }

    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Reads: `f` gets a pointer it may read through (and must not write through).
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        ledger::cell_access(self.id, false, std::panic::Location::caller());
        #[cfg(interleave_loom)]
        return self.inner.with(f);
        #[cfg(not(interleave_loom))]
        f(self.inner.get())
    }

    /// Writes: `f` gets a pointer it may read and write through.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        ledger::cell_access(self.id, true, std::panic::Location::caller());
        #[cfg(interleave_loom)]
        return self.inner.with_mut(f);
        #[cfg(not(interleave_loom))]
        f(self.inner.get())
    }

    /// A pointer to read through while it lives: the access is checked when it is made.
    #[track_caller]
    pub fn get(&self) -> ConstPtr<T> {
        ledger::cell_access(self.id, false, std::panic::Location::caller());
        #[cfg(interleave_loom)]
        let guard = self.inner.get();
        ConstPtr {
            #[cfg(interleave_loom)]
            ptr: guard.with(|p| p),
            #[cfg(interleave_loom)]
            _guard: guard,
            #[cfg(not(interleave_loom))]
            ptr: self.inner.get(),
        }
    }

    /// A pointer to read and write through while it lives: the access is checked when it is
    /// made.
    #[track_caller]
    pub fn get_mut(&self) -> MutPtr<T> {
        ledger::cell_access(self.id, true, std::panic::Location::caller());
        #[cfg(interleave_loom)]
        let guard = self.inner.get_mut();
        MutPtr {
            #[cfg(interleave_loom)]
            ptr: guard.with(|p| p),
            #[cfg(interleave_loom)]
            _guard: guard,
            #[cfg(not(interleave_loom))]
            ptr: self.inner.get(),
        }
    }
}

impl<T: Default> Default for UnsafeCell<T> {
    #[track_caller]
    fn default() -> Self {
        UnsafeCell::new(T::default())
    }
}

impl<T> From<T> for UnsafeCell<T> {
    #[track_caller]
    fn from(value: T) -> Self {
        UnsafeCell::new(value)
    }
}

impl<T: ?Sized> fmt::Debug for UnsafeCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnsafeCell").finish_non_exhaustive()
    }
}

/// A read access to an [`UnsafeCell`] (loom's `ConstPtr`).
pub struct ConstPtr<T: ?Sized> {
    ptr: *const T,
    #[cfg(interleave_loom)]
    _guard: super::backend::RawConstPtr<T>,
}

impl<T: ?Sized> ConstPtr<T> {
    /// # Safety
    /// As dereferencing the raw pointer: no write to the cell while the reference lives.
    pub unsafe fn deref(&self) -> &T {
        &*self.ptr
    }

    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.ptr)
    }
}

/// A write access to an [`UnsafeCell`] (loom's `MutPtr`).
pub struct MutPtr<T: ?Sized> {
    ptr: *mut T,
    #[cfg(interleave_loom)]
    _guard: super::backend::RawMutPtr<T>,
}

impl<T: ?Sized> MutPtr<T> {
    /// # Safety
    /// As dereferencing the raw pointer: no other access to the cell while the reference lives.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn deref(&self) -> &mut T {
        &mut *self.ptr
    }

    pub fn with<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.ptr)
    }
}
