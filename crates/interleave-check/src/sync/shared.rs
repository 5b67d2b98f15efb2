//! `multiprocessing.Value` and `Array`: a cell or a slice shared between workers, each access
//! taking the object's own lock, and `get_lock()` to hold that lock across several accesses.
//! Course: 002 `SommeArray` (`with Sommetotal.get_lock(): Sommetotal.value += Somme`), 001:281-303
//! (`val.value += 1` without it, which loses updates: the read and the write are two accesses).

use super::ledger;
use super::{Mutex, MutexGuard};
use std::fmt::Debug;

/// One shared value.
#[derive(Debug)]
pub struct Value<T> {
    cell: Mutex<T>,
}

impl<T: Copy + Debug> Value<T> {
    /// A value that failure reports call `name`.
    pub fn new(name: &str, value: T) -> Self {
        Value {
            cell: Mutex::named(name, value),
        }
    }

    /// Reads the value (one locked access: `v.value`).
    pub fn get(&self) -> T {
        let op = ledger::operation(true);
        let value = *self.cell.lock_unpoisoned();
        op.step_with("load", self.cell.id(), &format_args!("{value:?}"));
        self.holds(value);
        value
    }

    /// Writes the value (one locked access: `v.value = x`).
    pub fn set(&self, value: T) {
        let op = ledger::operation(true);
        *self.cell.lock_unpoisoned() = value;
        op.step_with("store", self.cell.id(), &format_args!("{value:?}"));
        self.holds(value);
    }

    /// Tells the ledger the cell's whole content, where its debug text says all of it (explored
    /// builds only: real runs keep no ledger).
    fn holds(&self, value: T) {
        if cfg!(any(interleave_loom, interleave_shuttle)) && shown_whole::<T>() {
            ledger::holds_exactly(self.cell.id(), &format_args!("{value:?}"));
        }
    }

    /// Holds the value's lock (`with v.get_lock():`) and gives access to the value meanwhile.
    pub fn get_lock(&self) -> MutexGuard<'_, T> {
        self.cell.lock_unpoisoned()
    }
}

/// Whether a value's debug text says all of it: the integers, `bool` and `char` (not floats:
/// every NaN reads `NaN`).
fn shown_whole<T>() -> bool {
    matches!(
        std::any::type_name::<T>(),
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "bool"
            | "char"
    )
}

/// A shared array of fixed length.
#[derive(Debug)]
pub struct Array<T> {
    cells: Mutex<Vec<T>>,
    len: usize,
}

impl<T: Copy + Debug> Array<T> {
    /// An array that failure reports call `name`, holding `values`.
    pub fn new(name: &str, values: Vec<T>) -> Self {
        Array {
            len: values.len(),
            cells: Mutex::named(name, values),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads element `i` (one locked access: `a[i]`).
    ///
    /// # Panics
    /// If `i` is out of bounds, as Python raises `IndexError`.
    pub fn get(&self, i: usize) -> T {
        let op = ledger::operation(true);
        let value = self.cells.lock_unpoisoned()[i];
        op.step_with("load", self.cells.id(), &format_args!("[{i}] {value:?}"));
        value
    }

    /// Writes element `i` (one locked access: `a[i] = x`).
    ///
    /// # Panics
    /// If `i` is out of bounds.
    pub fn set(&self, i: usize, value: T) {
        let op = ledger::operation(true);
        self.cells.lock_unpoisoned()[i] = value;
        op.step_with("store", self.cells.id(), &format_args!("[{i}] {value:?}"));
    }

    /// Holds the array's lock (`with a.get_lock():`) and gives access to the elements meanwhile.
    pub fn get_lock(&self) -> MutexGuard<'_, Vec<T>> {
        self.cells.lock_unpoisoned()
    }

    /// A copy of every element (`a[:]`).
    pub fn to_vec(&self) -> Vec<T> {
        self.cells.lock_unpoisoned().clone()
    }
}
