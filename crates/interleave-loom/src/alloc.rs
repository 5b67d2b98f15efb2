//! `loom::alloc`: the allocator calls and `Track`, kept so that suites which use them build.
//! loom checks that a tracked value is dropped by the end of an execution; this crate does not
//! (yet): a leak of a `Track` goes unreported.

pub use std::alloc::Layout;

/// Allocates as std's allocator does.
///
/// # Safety
/// As `std::alloc::alloc`.
pub unsafe fn alloc(layout: Layout) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    unsafe { std::alloc::alloc(layout) }
}

/// Allocates zeroed memory as std's allocator does.
///
/// # Safety
/// As `std::alloc::alloc_zeroed`.
pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    unsafe { std::alloc::alloc_zeroed(layout) }
}

/// Frees as std's allocator does.
///
/// # Safety
/// As `std::alloc::dealloc`.
pub unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
    // SAFETY: the caller's contract, passed on.
    unsafe { std::alloc::dealloc(ptr, layout) }
}

/// A value loom tracks for leaks (here, a plain wrapper).
#[derive(Debug, Default)]
pub struct Track<T> {
    value: T,
}

impl<T> Track<T> {
    pub fn new(value: T) -> Track<T> {
        Track { value }
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}
