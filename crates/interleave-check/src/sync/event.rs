//! Python's `threading.Event`: a flag threads wait on until another sets it. Course: 004 (a
//! thread polls `is_set` until its event is set; two events stopping 2 × 4 threads), 000 (the
//! worker that waits for `data_ready`). Built on the facade's [`Mutex`] and [`Condvar`].

use super::ledger;
use super::{Condvar, Mutex};

#[derive(Debug)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// An event, initially clear, that failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str) -> Self {
        Event {
            flag: Mutex::named(name, false),
            changed: Condvar::named(name),
        }
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        let op = ledger::operation(true);
        *self.flag.lock_unpoisoned() = true;
        op.step("set", self.changed.id());
        self.changed.notify_all();
    }

    /// Clears the flag: later waiters wait again.
    pub fn clear(&self) {
        let op = ledger::operation(true);
        *self.flag.lock_unpoisoned() = false;
        op.step("clear", self.changed.id());
    }

    pub fn is_set(&self) -> bool {
        let op = ledger::operation(true);
        let set = *self.flag.lock_unpoisoned();
        op.step_with("is_set", self.changed.id(), &set);
        set
    }

    /// Waits until the flag is set, for at most `timeout`; returns the flag (Python's
    /// `wait(timeout)`: `false` if the time ran out first).
    pub fn wait_timeout(&self, timeout: std::time::Duration) -> bool {
        let op = ledger::operation(true);
        let (set, _) = self.changed.wait_timeout_while_unpoisoned(
            self.flag.lock_unpoisoned(),
            timeout,
            |set| !*set,
        );
        let set = *set;
        op.step(
            if set { "wait" } else { "wait (timed out)" },
            self.changed.id(),
        );
        set
    }

    /// Waits until the flag is set (at once if it already is).
    pub fn wait(&self) {
        let op = ledger::operation(true);
        drop(
            self.changed
                .wait_while_unpoisoned(self.flag.lock_unpoisoned(), |set| !*set),
        );
        op.step("wait", self.changed.id());
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::named("an event")
    }
}
