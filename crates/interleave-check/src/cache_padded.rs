//! A value alone on its cache line(s), so that threads writing neighbouring values do not slow
//! each other down.
//!
//! crossbeam-utils' `CachePadded` does this, but this crate cannot depend on crossbeam: behind
//! interleave-loom it *is* `loom`, and crossbeam-utils depends on `loom` (under its
//! `crossbeam_loom` cfg), which cargo refuses as a cycle even where that cfg is off.

use std::ops::{Deref, DerefMut};

/// `T`, aligned to (and so padded to a multiple of) 128 bytes: two 64-byte lines, since x86's
/// spatial prefetcher pulls pairs of lines and Apple's and many Arm cores have 128-byte lines.
#[derive(Debug, Default)]
#[repr(align(128))]
pub(crate) struct CachePadded<T>(T);

impl<T> CachePadded<T> {
    pub(crate) const fn new(value: T) -> Self {
        CachePadded(value)
    }

    #[cfg_attr(any(interleave_loom, interleave_shuttle), allow(dead_code))]
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for CachePadded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for CachePadded<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::CachePadded;

    #[test]
    fn two_padded_values_never_share_a_line() {
        let pair = [CachePadded::new(1u8), CachePadded::new(2u8)];
        let first = &*pair[0] as *const u8 as usize;
        let second = &*pair[1] as *const u8 as usize;
        assert!(second - first >= 128);
        assert_eq!(first % 128, 0);
        assert_eq!(*pair[1], 2);
    }
}
