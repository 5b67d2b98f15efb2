//! Python's `threading.Event`: a flag threads wait on until another sets it. Course: 004 (a
//! thread polls `is_set` until its event is set; two events stopping 2 × 4 threads), 000 (the
//! worker that waits for `data_ready`). Built on the facade's [`Mutex`] and [`Condvar`].

use super::{Condvar, Mutex};

#[derive(Debug)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// An event, initially clear, that failure reports call `name`.
    pub fn named(name: &str) -> Self {
        Event {
            flag: Mutex::new(false),
            changed: Condvar::named(name),
        }
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        *self.flag.lock() = true;
        self.changed.notify_all();
    }

    /// Clears the flag: later waiters wait again.
    pub fn clear(&self) {
        *self.flag.lock() = false;
    }

    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// Waits until the flag is set (at once if it already is).
    pub fn wait(&self) {
        drop(self.changed.wait_while(self.flag.lock(), |set| !*set));
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::named("an event")
    }
}
