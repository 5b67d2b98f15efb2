//! `loom::cell`: `UnsafeCell`, whose every access the explorer checks against the ones before
//! it (two that nothing orders, one a write, are a data race), and `Cell` on top of it.

pub use interleave_check::cell::{ConstPtr, MutPtr};

/// loom's `UnsafeCell`: std's, reached through closures so that each access is checked. Shared
/// between threads as loom 0.5's is (`Sync` for a `Send` value: every access is `unsafe` code
/// that the explorer checks), so that suites written for 0.5 build; 0.7's suites build too.
pub struct UnsafeCell<T: ?Sized>(interleave_check::cell::UnsafeCell<T>);

// SAFETY: the value is reached only through raw pointers in `unsafe` code, whose accesses the
// explorer checks for races; loom 0.5's `UnsafeCell` is `Sync` on the same terms.
unsafe impl<T: ?Sized + Send> Sync for UnsafeCell<T> {}

impl<T> UnsafeCell<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        UnsafeCell(interleave_check::cell::UnsafeCell::new(value))
    }

    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

impl<T: ?Sized> UnsafeCell<T> {
    /// Reads through a `*const T` (a checked read).
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        self.0.with(f)
    }

    /// Writes through a `*mut T` (a checked write).
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        self.0.with_mut(f)
    }

    /// A read pointer, checked when it is used.
    #[track_caller]
    pub fn get(&self) -> ConstPtr<T> {
        self.0.get()
    }

    /// A write pointer, checked when it is used.
    #[track_caller]
    pub fn get_mut(&self) -> MutPtr<T> {
        self.0.get_mut()
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

impl<T: ?Sized> std::fmt::Debug for UnsafeCell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

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
