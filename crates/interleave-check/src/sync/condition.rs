//! Python's `threading.Condition`: a lock and a condition variable used as one. Course:
//! 004:2470-2535 (publisher and subscribers), 003 (ping-pong).
//!
//! ```text
//! with condition:                      let mut items = condition.acquire();
//!     while not items:                 while items.is_empty() {
//!         condition.wait()                 items = items.wait();
//!     items.pop()                      }
//!                                      items.pop();
//! ```
//!
//! The data the condition protects lives inside it, as with [`Mutex`], so it cannot be touched
//! without holding the lock.

use super::{Condvar, Mutex, MutexGuard};
use std::ops::{Deref, DerefMut};

pub struct Condition<T> {
    lock: Mutex<T>,
    changed: Condvar,
}

impl<T> Condition<T> {
    #[track_caller]
    pub fn new(value: T) -> Self {
        Condition {
            lock: Mutex::new(value),
            changed: Condvar::new(),
        }
    }

    /// A condition whose lock failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str, value: T) -> Self {
        Condition {
            lock: Mutex::named(name, value),
            changed: Condvar::named(&format!("a notify on {name}")),
        }
    }

    /// Takes the condition's lock (`with condition:`); it is released when the guard is dropped.
    pub fn acquire(&self) -> ConditionGuard<'_, T> {
        ConditionGuard {
            condition: self,
            guard: self.lock.lock_unpoisoned(),
        }
    }

    /// Wakes one thread waiting on the condition.
    pub fn notify(&self) {
        self.changed.notify_one();
    }

    /// Wakes every thread waiting on the condition.
    pub fn notify_all(&self) {
        self.changed.notify_all();
    }
}

/// The condition's lock, held; derefs to the protected data.
pub struct ConditionGuard<'a, T> {
    condition: &'a Condition<T>,
    guard: MutexGuard<'a, T>,
}

impl<'a, T> ConditionGuard<'a, T> {
    /// Releases the lock, sleeps until notified (or woken spuriously), then takes it back.
    pub fn wait(self) -> Self {
        let ConditionGuard { condition, guard } = self;
        ConditionGuard {
            condition,
            guard: condition.changed.wait_unpoisoned(guard),
        }
    }

    /// Python's `wait_for(predicate)`: waits until `ready` holds, checking it after every wake-up.
    pub fn wait_for(mut self, mut ready: impl FnMut(&T) -> bool) -> Self {
        while !ready(&self.guard) {
            self = self.wait();
        }
        self
    }

    pub fn notify(&self) {
        self.condition.notify();
    }

    pub fn notify_all(&self) {
        self.condition.notify_all();
    }
}

impl<T> Deref for ConditionGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for ConditionGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}
