//! Atomics of the current backend, named, and recording each access in the trace: a report can
//! then show that two threads both read 3 and both wrote 4, or that a compare-and-swap saw 3
//! where it expected 2. loom models their weak-memory behaviour (the `Ordering` given is the one
//! it explores); shuttle treats them as sequentially consistent; std runs them as they are (the
//! ledger calls compile to nothing there).

use super::backend::atomic as raw;
use super::ledger::{self, AtomicAccess, ResourceId, ResourceKind};
use std::fmt::Display;

pub use raw::Ordering;

/// Tells the ledger what a write left in the atomic: its whole content (state caching's
/// fingerprint) and, in loom builds, the value later loads are compared with, so that a load of
/// an older value (weak memory) is marked in the trace.
fn written(id: ResourceId, shown: &dyn Display) {
    ledger::holds_exactly(id, shown);
    #[cfg(interleave_loom)]
    ledger::wrote(id, shown);
}

/// After an atomic operation: what it publishes or takes (the happens-before order a data race
/// is judged by) and, in a build that runs every atomic as `SeqCst` (shuttle), an ordering weaker
/// than that, which the report then says only the loom build checks.
#[inline(always)]
fn ordered(id: ResourceId, access: AtomicAccess, order: Ordering) {
    ledger::atomic_access(id, access, order);
    #[cfg(interleave_shuttle)]
    if order != Ordering::SeqCst {
        ledger::weak_ordering(match order {
            Ordering::Relaxed => "Relaxed",
            Ordering::Acquire => "Acquire",
            Ordering::Release => "Release",
            _ => "AcqRel",
        });
    }
}

/// A memory fence, as std's: with `Release`, the relaxed stores after it publish what came
/// before it; with `Acquire`, what the relaxed loads before it read from is taken.
pub fn fence(order: Ordering) {
    raw::fence(order);
    ledger::fence(order);
    #[cfg(interleave_shuttle)]
    if order != Ordering::SeqCst {
        ledger::weak_ordering(match order {
            Ordering::Acquire => "Acquire",
            Ordering::Release => "Release",
            _ => "AcqRel",
        });
    }
}

/// Records a compare-and-swap: what it saw, and whether it wrote.
fn traced_cas<T: Display + Copy>(
    id: ResourceId,
    verb: &'static str,
    (current, new): (T, T),
    (success, failure): (Ordering, Ordering),
    result: &Result<T, T>,
) {
    match result {
        Ok(_) => ordered(id, AtomicAccess::ReadModifyWrite, success),
        Err(_) => ordered(id, AtomicAccess::Load, failure),
    }
    match result {
        Ok(_) => {
            ledger::step_with(verb, id, &format_args!("{current} -> {new}"));
            written(id, &new);
        }
        Err(seen) => ledger::step_with(verb, id, &format_args!("{seen}, not {current}: unchanged")),
    }
}

/// `f` on the value of the backend's atomic `$inner`, reached through `&mut`: std's and
/// shuttle's `get_mut`; under loom (whose `AtomicBool` has no `with_mut`), the value read
/// without a step and written back.
macro_rules! exclusive {
    ($inner:expr, $f:expr) => {{
        #[cfg(interleave_loom)]
        let r = {
            // SAFETY: `&mut self`: no other thread can write the atomic meanwhile.
            let mut value = unsafe { $inner.unsync_load() };
            let r = $f(&mut value);
            $inner.store(value, Ordering::Relaxed);
            r
        };
        #[cfg(not(interleave_loom))]
        let r = $f($inner.get_mut());
        r
    }};
}

/// The value of the backend's atomic `$inner`, read without a step: loom's `unsync_load`; a
/// plain load elsewhere, where nothing weaker than it is modelled.
macro_rules! unsync {
    ($inner:expr) => {{
        #[cfg(interleave_loom)]
        // SAFETY: the caller's contract, passed on.
        let v = unsafe { $inner.unsync_load() };
        #[cfg(not(interleave_loom))]
        let v = $inner.load(Ordering::Relaxed);
        v
    }};
}

/// The shared part of every traced atomic: construction, load, store, swap, compare-and-swap and
/// `fetch_update`, the operations std gives every atomic type.
macro_rules! traced_common {
    ($name:ident, $t:ty, $show:expr) => {
        impl $name {
            /// An atomic that traces call by its type and where it was made.
            #[track_caller]
            pub fn new(value: $t) -> Self {
                Self::build(None, value)
            }

            /// An atomic that traces call `name` ("counter").
            #[track_caller]
            pub fn named(name: &str, value: $t) -> Self {
                Self::build(Some(name), value)
            }

            #[track_caller]
            fn build(name: Option<&str>, value: $t) -> Self {
                let id = ledger::new_resource(ResourceKind::Data, name);
                written(id, &$show(value));
                $name {
                    id,
                    inner: raw::$name::new(value),
                }
            }

            pub fn load(&self, order: Ordering) -> $t {
                let value = self.inner.load(order);
                ordered(self.id, AtomicAccess::Load, order);
                // Only loom models weak memory: elsewhere a load reads the last write.
                #[cfg(interleave_loom)]
                ledger::loaded(self.id, &$show(value));
                #[cfg(not(interleave_loom))]
                ledger::step_with("load", self.id, &$show(value));
                value
            }

            pub fn store(&self, value: $t, order: Ordering) {
                self.inner.store(value, order);
                ordered(self.id, AtomicAccess::Store, order);
                ledger::step_with("store", self.id, &$show(value));
                written(self.id, &$show(value));
            }

            /// Writes `value` in one indivisible step; returns the previous value.
            pub fn swap(&self, value: $t, order: Ordering) -> $t {
                let old = self.inner.swap(value, order);
                ordered(self.id, AtomicAccess::ReadModifyWrite, order);
                ledger::step_with(
                    "swap",
                    self.id,
                    &format_args!("{} -> {}", $show(old), $show(value)),
                );
                written(self.id, &$show(value));
                old
            }

            /// Writes `new` if the value is `current`, in one indivisible step: `Ok` with the
            /// previous value if it wrote, `Err` with the value it saw if not.
            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let result = self.inner.compare_exchange(current, new, success, failure);
                traced_cas(
                    self.id,
                    "compare_exchange",
                    ($show(current), $show(new)),
                    (success, failure),
                    &result.map($show).map_err($show),
                );
                result
            }

            /// Like [`compare_exchange`](Self::compare_exchange), but may fail even when the
            /// value is `current` (on some processors); call it in a loop.
            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let result = self
                    .inner
                    .compare_exchange_weak(current, new, success, failure);
                traced_cas(
                    self.id,
                    "compare_exchange_weak",
                    ($show(current), $show(new)),
                    (success, failure),
                    &result.map($show).map_err($show),
                );
                result
            }

            /// Applies `f` until a compare-and-swap of its result succeeds, as std does (every
            /// attempt is a step of the trace); `Err` with the value seen if `f` gives `None`.
            pub fn fetch_update(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: impl FnMut($t) -> Option<$t>,
            ) -> Result<$t, $t> {
                let mut seen = self.load(fetch_order);
                while let Some(next) = f(seen) {
                    match self.compare_exchange_weak(seen, next, set_order, fetch_order) {
                        Ok(old) => return Ok(old),
                        Err(now) => seen = now,
                    }
                }
                Err(seen)
            }

            pub fn into_inner(self) -> $t {
                self.inner.into_inner()
            }

            /// loom's access through `&mut self`: no other thread can touch the value meanwhile,
            /// so it is no step of the schedule.
            pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut $t) -> R) -> R {
                exclusive!(self.inner, f)
            }

            /// loom's read of a value no other thread writes meanwhile, not a step of the
            /// schedule.
            ///
            /// # Safety
            /// No other thread may write the atomic concurrently (loom's contract).
            pub unsafe fn unsync_load(&self) -> $t {
                unsync!(self.inner)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("id", &self.id)
                    .finish_non_exhaustive()
            }
        }
    };
}

/// One read-modify-write operation of an integer or flag atomic, traced as `old -> new`.
macro_rules! traced_rmw {
    ($t:ty, $($(#[$doc:meta])* $op:ident($arg:ident) => $apply:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $op(&self, $arg: $t, order: Ordering) -> $t {
                let old = self.inner.$op($arg, order);
                ordered(self.id, AtomicAccess::ReadModifyWrite, order);
                let new: $t = $apply(old, $arg);
                ledger::step_with(stringify!($op), self.id, &format_args!("{old} -> {new}"));
                written(self.id, &new);
                old
            }
        )*
    };
}

macro_rules! traced_int {
    ($name:ident, $int:ty) => {
        #[doc = concat!("A `", stringify!($name), "` whose every access appears in failure traces.")]
        pub struct $name {
            id: ResourceId,
            inner: raw::$name,
        }

        traced_common!($name, $int, |v: $int| v);

        impl $name {
            traced_rmw!($int,
                /// Adds `delta` (wrapping) in one indivisible step; returns the previous value.
                fetch_add(delta) => |old: $int, d| old.wrapping_add(d);
                /// Subtracts `delta` (wrapping) in one indivisible step; returns the previous value.
                fetch_sub(delta) => |old: $int, d| old.wrapping_sub(d);
                /// Bitwise and, in one indivisible step; returns the previous value.
                fetch_and(bits) => |old: $int, b| old & b;
                /// Bitwise or, in one indivisible step; returns the previous value.
                fetch_or(bits) => |old: $int, b| old | b;
                /// Bitwise exclusive or, in one indivisible step; returns the previous value.
                fetch_xor(bits) => |old: $int, b| old ^ b;
                /// The larger of the value and `other`, in one indivisible step; returns the
                /// previous value.
                fetch_max(other) => |old: $int, o: $int| old.max(o);
                /// The smaller of the value and `other`, in one indivisible step; returns the
                /// previous value.
                fetch_min(other) => |old: $int, o: $int| old.min(o);
            );
        }

        impl Default for $name {
            #[track_caller]
            fn default() -> Self {
                Self::new(0)
            }
        }
    };
}

traced_int!(AtomicU8, u8);
traced_int!(AtomicI8, i8);
traced_int!(AtomicU16, u16);
traced_int!(AtomicI16, i16);
traced_int!(AtomicUsize, usize);
traced_int!(AtomicIsize, isize);
traced_int!(AtomicU32, u32);
traced_int!(AtomicI32, i32);
traced_int!(AtomicU64, u64);
traced_int!(AtomicI64, i64);

/// An `AtomicBool` whose every access appears in failure traces.
pub struct AtomicBool {
    id: ResourceId,
    inner: raw::AtomicBool,
}

traced_common!(AtomicBool, bool, |v: bool| v);

impl AtomicBool {
    traced_rmw!(bool,
        /// Logical and, in one indivisible step; returns the previous value.
        fetch_and(value) => |old: bool, v| old & v;
        /// Logical or, in one indivisible step; returns the previous value.
        fetch_or(value) => |old: bool, v| old | v;
        /// Logical exclusive or, in one indivisible step; returns the previous value.
        fetch_xor(value) => |old: bool, v| old ^ v;
    );
}

impl Default for AtomicBool {
    #[track_caller]
    fn default() -> Self {
        Self::new(false)
    }
}

/// An `AtomicPtr` whose every access appears in failure traces. A trace shows a pointer as `null`
/// or by its last four hexadecimal digits (`…3f40`): enough to tell two nodes apart in one
/// execution.
pub struct AtomicPtr<T> {
    id: ResourceId,
    inner: raw::AtomicPtr<T>,
}

/// How a trace shows a pointer.
fn show_ptr<T>(p: *mut T) -> ShownPtr {
    ShownPtr(p as usize)
}

#[derive(Clone, Copy)]
struct ShownPtr(usize);

impl Display for ShownPtr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("null"),
            p => write!(f, "…{:04x}", p & 0xffff),
        }
    }
}

impl<T> AtomicPtr<T> {
    #[track_caller]
    pub fn new(value: *mut T) -> Self {
        Self::build(None, value)
    }

    #[track_caller]
    pub fn named(name: &str, value: *mut T) -> Self {
        Self::build(Some(name), value)
    }

    #[track_caller]
    fn build(name: Option<&str>, value: *mut T) -> Self {
        AtomicPtr {
            id: ledger::new_resource(ResourceKind::Data, name),
            inner: raw::AtomicPtr::new(value),
        }
    }

    pub fn load(&self, order: Ordering) -> *mut T {
        let value = self.inner.load(order);
        ordered(self.id, AtomicAccess::Load, order);
        ledger::step_with("load", self.id, &show_ptr(value));
        value
    }

    pub fn store(&self, value: *mut T, order: Ordering) {
        self.inner.store(value, order);
        ordered(self.id, AtomicAccess::Store, order);
        ledger::step_with("store", self.id, &show_ptr(value));
    }

    pub fn swap(&self, value: *mut T, order: Ordering) -> *mut T {
        let old = self.inner.swap(value, order);
        ordered(self.id, AtomicAccess::ReadModifyWrite, order);
        ledger::step_with(
            "swap",
            self.id,
            &format_args!("{} -> {}", show_ptr(old), show_ptr(value)),
        );
        old
    }

    pub fn compare_exchange(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        let result = self.inner.compare_exchange(current, new, success, failure);
        traced_cas(
            self.id,
            "compare_exchange",
            (show_ptr(current), show_ptr(new)),
            (success, failure),
            &result.map(show_ptr).map_err(show_ptr),
        );
        result
    }

    pub fn compare_exchange_weak(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        let result = self
            .inner
            .compare_exchange_weak(current, new, success, failure);
        traced_cas(
            self.id,
            "compare_exchange_weak",
            (show_ptr(current), show_ptr(new)),
            (success, failure),
            &result.map(show_ptr).map_err(show_ptr),
        );
        result
    }

    pub fn into_inner(self) -> *mut T {
        self.inner.into_inner()
    }

    /// loom's access through `&mut self`, not a step of the schedule (see the integers').
    pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut *mut T) -> R) -> R {
        exclusive!(self.inner, f)
    }

    /// loom's read of a pointer no other thread writes meanwhile, not a step of the schedule.
    ///
    /// # Safety
    /// No other thread may write the atomic concurrently (loom's contract).
    pub unsafe fn unsync_load(&self) -> *mut T {
        unsync!(self.inner)
    }
}

impl<T> std::fmt::Debug for AtomicPtr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicPtr")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
