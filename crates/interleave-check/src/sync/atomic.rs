//! Atomics of the current backend, named, and recording each access in the trace: a report can
//! then show that two threads both read 3 and both wrote 4. loom models their weak-memory
//! behaviour; shuttle treats them as sequentially consistent; std runs them as they are (the
//! ledger calls compile to nothing there).

use super::backend::atomic as raw;
use super::ledger::{self, ResourceId, ResourceKind};

pub use raw::Ordering;

macro_rules! traced_atomic {
    ($name:ident, $int:ty) => {
        #[doc = concat!("A `", stringify!($name), "` whose loads and stores appear in failure traces.")]
        pub struct $name {
            id: ResourceId,
            inner: raw::$name,
        }

        impl $name {
            /// An atomic that traces call `atomic#N`.
            #[track_caller]
            pub fn new(value: $int) -> Self {
                Self::build(None, value)
            }

            /// An atomic that traces call `name` ("counter").
            #[track_caller]
            pub fn named(name: &str, value: $int) -> Self {
                Self::build(Some(name), value)
            }

            #[track_caller]
            fn build(name: Option<&str>, value: $int) -> Self {
                $name {
                    id: ledger::new_resource(ResourceKind::Data, name),
                    inner: raw::$name::new(value),
                }
            }

            pub fn load(&self, order: Ordering) -> $int {
                let value = self.inner.load(order);
                ledger::step_with("load", self.id, &value);
                value
            }

            pub fn store(&self, value: $int, order: Ordering) {
                self.inner.store(value, order);
                ledger::step_with("store", self.id, &value);
            }

            /// Adds `delta` in one indivisible step; returns the previous value.
            pub fn fetch_add(&self, delta: $int, order: Ordering) -> $int {
                let old = self.inner.fetch_add(delta, order);
                ledger::step_with(
                    "fetch_add",
                    self.id,
                    &format_args!("{old} -> {}", old.wrapping_add(delta)),
                );
                old
            }

            /// Subtracts `delta` in one indivisible step; returns the previous value.
            pub fn fetch_sub(&self, delta: $int, order: Ordering) -> $int {
                let old = self.inner.fetch_sub(delta, order);
                ledger::step_with(
                    "fetch_sub",
                    self.id,
                    &format_args!("{old} -> {}", old.wrapping_sub(delta)),
                );
                old
            }

            /// Writes `value` in one indivisible step; returns the previous value.
            pub fn swap(&self, value: $int, order: Ordering) -> $int {
                let old = self.inner.swap(value, order);
                ledger::step_with("swap", self.id, &format_args!("{old} -> {value}"));
                old
            }

            pub fn into_inner(self) -> $int {
                self.inner.into_inner()
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

traced_atomic!(AtomicUsize, usize);
traced_atomic!(AtomicI64, i64);

/// An `AtomicBool` whose loads and stores appear in failure traces.
pub struct AtomicBool {
    id: ResourceId,
    inner: raw::AtomicBool,
}

impl AtomicBool {
    /// An atomic flag that traces call `name` ("Kant eating").
    #[track_caller]
    pub fn named(name: &str, value: bool) -> Self {
        AtomicBool {
            id: ledger::new_resource(ResourceKind::Data, Some(name)),
            inner: raw::AtomicBool::new(value),
        }
    }

    pub fn load(&self, order: Ordering) -> bool {
        let value = self.inner.load(order);
        ledger::step_with("load", self.id, &value);
        value
    }

    pub fn store(&self, value: bool, order: Ordering) {
        self.inner.store(value, order);
        ledger::step_with("store", self.id, &value);
    }
}

impl std::fmt::Debug for AtomicBool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AtomicBool")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
