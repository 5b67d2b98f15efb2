//! `loom::sync::atomic`: std's atomics over the explorer, each one word in size as loom's are
//! (suites assert it: arcstr checks that an `AtomicUsize` is as large as a `usize`), by keeping
//! the checker's traced atomic behind a box. Every one is sequentially consistent here: see the
//! crate's documentation.

use interleave_check::sync::atomic as traced;

pub use traced::{fence, Ordering};

/// The operations every atomic has, passed to the boxed traced one.
macro_rules! boxed_common {
    ([$($g:ident)?] $name:ident, $t:ty) => {
        #[doc = concat!("loom's `", stringify!($name), "`: one word, the traced atomic boxed.")]
        pub struct $name<$($g)?>(Box<traced::$name<$($g)?>>);

        impl<$($g)?> $name<$($g)?> {
            #[track_caller]
            pub fn new(value: $t) -> Self {
                $name(Box::new(traced::$name::new(value)))
            }

            pub fn load(&self, order: Ordering) -> $t {
                self.0.load(order)
            }

            pub fn store(&self, value: $t, order: Ordering) {
                self.0.store(value, order)
            }

            pub fn swap(&self, value: $t, order: Ordering) -> $t {
                self.0.swap(value, order)
            }

            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                self.0.compare_exchange(current, new, success, failure)
            }

            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                self.0.compare_exchange_weak(current, new, success, failure)
            }

            pub fn into_inner(self) -> $t {
                self.0.into_inner()
            }

            /// loom's access through `&mut self` (not a step of the schedule).
            pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut $t) -> R) -> R {
                self.0.with_mut(f)
            }

            /// loom's read of a value no other thread writes meanwhile.
            ///
            /// # Safety
            /// No other thread may write the atomic concurrently (loom's contract).
            pub unsafe fn unsync_load(&self) -> $t {
                // SAFETY: the caller's contract, passed on.
                unsafe { self.0.unsync_load() }
            }
        }

        impl<$($g)?> std::fmt::Debug for $name<$($g)?> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl<$($g)?> From<$t> for $name<$($g)?> {
            #[track_caller]
            fn from(value: $t) -> Self {
                $name::new(value)
            }
        }
    };
}

/// An integer's or a flag's read-modify-write operations and `fetch_update`.
macro_rules! boxed_rmw {
    ($name:ident, $t:ty, $($op:ident),*) => {
        impl $name {
            $(
                pub fn $op(&self, value: $t, order: Ordering) -> $t {
                    self.0.$op(value, order)
                }
            )*

            pub fn fetch_update(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                f: impl FnMut($t) -> Option<$t>,
            ) -> Result<$t, $t> {
                self.0.fetch_update(set_order, fetch_order, f)
            }
        }

        impl Default for $name {
            #[track_caller]
            fn default() -> Self {
                $name::new(<$t>::default())
            }
        }
    };
}

macro_rules! boxed_int {
    ($($name:ident($t:ty)),*) => {
        $(
            boxed_common!([] $name, $t);
            boxed_rmw!(
                $name, $t, fetch_add, fetch_sub, fetch_and, fetch_or, fetch_xor, fetch_max,
                fetch_min
            );
        )*
    };
}

boxed_int!(
    AtomicU8(u8),
    AtomicI8(i8),
    AtomicU16(u16),
    AtomicI16(i16),
    AtomicU32(u32),
    AtomicI32(i32),
    AtomicU64(u64),
    AtomicI64(i64),
    AtomicUsize(usize),
    AtomicIsize(isize)
);

boxed_common!([] AtomicBool, bool);
boxed_common!([T] AtomicPtr, *mut T);
boxed_rmw!(AtomicBool, bool, fetch_and, fetch_or, fetch_xor);

impl<T> Default for AtomicPtr<T> {
    #[track_caller]
    fn default() -> Self {
        AtomicPtr::new(std::ptr::null_mut())
    }
}
