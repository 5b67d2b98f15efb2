//! `loom::cell`: `UnsafeCell`, whose every access the explorer checks against the ones before
//! it (two that nothing orders, one a write, are a data race), and `Cell` on top of it.

pub use interleave_check::cell::{ConstPtr, MutPtr, UnsafeCell};

/// loom's `Cell`: std's API, each access checked as an `UnsafeCell`'s.
#[derive(Debug)]
pub struct Cell<T> {
    cell: UnsafeCell<T>,
}

impl<T> Cell<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Cell {
            cell: UnsafeCell::new(value),
        }
    }

    pub fn set(&self, value: T) {
        drop(self.replace(value));
    }

    pub fn swap(&self, other: &Self) {
        if std::ptr::eq(self, other) {
            return;
        }
        // SAFETY: a `Cell` is not `Sync`: no other thread reaches either value meanwhile.
        self.cell
            .with_mut(|a| other.cell.with_mut(|b| unsafe { std::ptr::swap(a, b) }));
    }

    pub fn replace(&self, value: T) -> T {
        // SAFETY: as in `swap`.
        self.cell
            .with_mut(|p| unsafe { std::mem::replace(&mut *p, value) })
    }

    pub fn into_inner(self) -> T {
        self.cell.into_inner()
    }
}

impl<T: Copy> Cell<T> {
    pub fn get(&self) -> T {
        // SAFETY: as in `swap`.
        self.cell.with(|p| unsafe { *p })
    }
}

impl<T: Default> Cell<T> {
    pub fn take(&self) -> T {
        self.replace(T::default())
    }
}

impl<T: Default> Default for Cell<T> {
    #[track_caller]
    fn default() -> Self {
        Cell::new(T::default())
    }
}
