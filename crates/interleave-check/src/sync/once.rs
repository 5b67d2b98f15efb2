//! std's one-time initialisation: [`Once`], [`OnceLock`] and [`LazyLock`], with std's
//! signatures, built on the facade's [`Mutex`] so that every backend explores them: each look at
//! whether the value is there is a step (a scheduling point, as std's atomic load is), the first
//! caller runs the initialiser while the others wait for it, and the initialisation happens
//! before every later look that sees it.
//!
//! Unlike std's, `new` is not `const`: the explored builds run a program many times in one
//! process, and a `static` would keep its value from one execution to the next. Make them where
//! the program runs (in an `Arc`, or a struct the threads share).

use super::Mutex;
use std::fmt;
use std::ops::Deref;

/// Runs an initialiser once, whoever calls first (std's `Once`).
pub struct Once {
    done: Mutex<bool>,
}

impl Once {
    #[track_caller]
    pub fn new() -> Self {
        Once {
            done: Mutex::named(
                &format!(
                    "the Once made at {}",
                    super::ledger::place(std::panic::Location::caller())
                ),
                false,
            ),
        }
    }

    /// Runs `f` if no call has run it yet; returns once it has run, by whichever caller.
    pub fn call_once(&self, f: impl FnOnce()) {
        let mut done = self.done.lock_unpoisoned();
        if !*done {
            f();
            *done = true;
        }
    }

    /// Whether an initialiser has run to its end.
    pub fn is_completed(&self) -> bool {
        *self.done.lock_unpoisoned()
    }
}

impl Default for Once {
    #[track_caller]
    fn default() -> Self {
        Once::new()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once").finish_non_exhaustive()
    }
}

/// A value set at most once (std's `OnceLock`).
pub struct OnceLock<T> {
    /// Held while the value is looked at or set: what the explorer schedules and the ledger sees.
    guard: Mutex<()>,
    value: std::sync::OnceLock<T>,
}

impl<T> OnceLock<T> {
    #[track_caller]
    pub fn new() -> Self {
        OnceLock {
            guard: Mutex::named(
                &format!(
                    "the OnceLock made at {}",
                    super::ledger::place(std::panic::Location::caller())
                ),
                (),
            ),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The value, if it has been set.
    pub fn get(&self) -> Option<&T> {
        let _looking = self.guard.lock_unpoisoned();
        self.value.get()
    }

    /// The value, set by `f` first if nobody has set it; a second caller waits for the first.
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        let _setting = self.guard.lock_unpoisoned();
        self.value.get_or_init(f)
    }

    /// Sets the value if nobody has.
    ///
    /// # Errors
    /// The value back, if one was already set.
    pub fn set(&self, value: T) -> Result<(), T> {
        let _setting = self.guard.lock_unpoisoned();
        self.value.set(value)
    }

    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.value.get_mut()
    }

    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    pub fn take(&mut self) -> Option<T> {
        self.value.take()
    }
}

impl<T> Default for OnceLock<T> {
    #[track_caller]
    fn default() -> Self {
        OnceLock::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OnceLock").field(&self.value.get()).finish()
    }
}

/// A value computed on first use (std's `LazyLock`).
pub struct LazyLock<T, F = fn() -> T> {
    init: Mutex<Option<F>>,
    value: std::sync::OnceLock<T>,
}

impl<T, F: FnOnce() -> T> LazyLock<T, F> {
    #[track_caller]
    pub fn new(f: F) -> Self {
        LazyLock {
            init: Mutex::named(
                &format!(
                    "the LazyLock made at {}",
                    super::ledger::place(std::panic::Location::caller())
                ),
                Some(f),
            ),
            value: std::sync::OnceLock::new(),
        }
    }

    /// The value, computed first if nobody has: a second caller waits for the first.
    pub fn force(this: &LazyLock<T, F>) -> &T {
        let mut init = this.init.lock_unpoisoned();
        if let Some(f) = init.take() {
            let _ = this.value.set(f());
        }
        this.value
            .get()
            .expect("a LazyLock whose initialiser panicked")
    }
}

impl<T, F: FnOnce() -> T> Deref for LazyLock<T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        LazyLock::force(self)
    }
}

impl<T: fmt::Debug, F> fmt::Debug for LazyLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyLock").field(&self.value.get()).finish()
    }
}
