//! The one place that says which `sync` this crate runs on: std's in the real build,
//! interleave-check's (std's API, explored schedule by schedule) in the loom and shuttle builds,
//! as tokio's `src/loom/` swaps std for loom.

#[cfg(any(loom, shuttle))]
pub use interleave_check::{
    cell::UnsafeCell,
    sync::{atomic, mpsc, Arc, Mutex},
    thread,
};

#[cfg(not(any(loom, shuttle)))]
pub use std::{
    sync::{atomic, mpsc, Arc, Mutex},
    thread,
};

/// std's `UnsafeCell` reached through loom's closures, so that the code reads the same in every
/// build (tokio keeps the same shim).
#[cfg(not(any(loom, shuttle)))]
#[derive(Debug, Default)]
pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(any(loom, shuttle)))]
impl<T> UnsafeCell<T> {
    pub fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
