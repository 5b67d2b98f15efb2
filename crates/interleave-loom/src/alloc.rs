//! `loom::alloc`: the allocator calls and `Track`, each checked for leaks as loom checks them:
//! an allocation not freed, or a `Track` not dropped, by the end of an execution that ended well
//! fails that execution ("leaked: … was never dropped"), with its steps and replay line.

use interleave_check::sync::tracked::{track, Tracked};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;

pub use std::alloc::Layout;

std::thread_local! {
    /// The allocations not yet freed, by address (an execution's threads share its OS thread).
    static ALLOCATIONS: RefCell<HashMap<usize, Tracked>> = RefCell::new(HashMap::new());
}

/// Where a suite's call was made, as reports name places.
fn made_at(at: &Location<'_>) -> String {
    interleave_check::sync::ledger::place(at)
}

/// Notes an allocation at `ptr`, until it is freed.
fn noted(ptr: *mut u8, at: &Location<'_>) -> *mut u8 {
    if !ptr.is_null() {
        let note = track(format!("the allocation made at {}", made_at(at)));
        ALLOCATIONS.with(|a| a.borrow_mut().insert(ptr as usize, note));
    }
    ptr
}

/// Allocates as std's allocator does.
///
/// # Safety
/// As `std::alloc::alloc`.
#[track_caller]
pub unsafe fn alloc(layout: Layout) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    noted(unsafe { std::alloc::alloc(layout) }, Location::caller())
}

/// Allocates zeroed memory as std's allocator does.
///
/// # Safety
/// As `std::alloc::alloc_zeroed`.
#[track_caller]
pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
    // SAFETY: the caller's contract, passed on.
    noted(
        unsafe { std::alloc::alloc_zeroed(layout) },
        Location::caller(),
    )
}

/// Frees as std's allocator does.
///
/// # Safety
/// As `std::alloc::dealloc`.
pub unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
    ALLOCATIONS.with(|a| a.borrow_mut().remove(&(ptr as usize)));
    // SAFETY: the caller's contract, passed on.
    unsafe { std::alloc::dealloc(ptr, layout) }
}

/// A value loom checks for leaks: one not dropped by the end of an execution fails it.
#[derive(Debug)]
pub struct Track<T> {
    value: T,
    _note: Tracked,
}

impl<T> Track<T> {
    #[track_caller]
    pub fn new(value: T) -> Track<T> {
        Track {
            value,
            _note: track(format!("the Track made at {}", made_at(Location::caller()))),
        }
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

impl<T: Default> Default for Track<T> {
    #[track_caller]
    fn default() -> Self {
        Track::new(T::default())
    }
}
