//! A readers-writer lock built from a mutex and a condition variable, the way one writes it by
//! hand: many readers at once, or one writer alone. Not an algorithm of the course: this crate
//! plays a user who checks their own code with `interleave-check`, through its public API only.
//!
//! The lock is written once, against `interleave_check::sync`, so the same code runs on real
//! threads (`cargo test`), is explored exhaustively (`--cfg loom`) and is sampled
//! (`--cfg shuttle`).

use interleave_check::sync::{Condvar, Mutex};

/// Who is inside.
#[derive(Default)]
struct State {
    readers: usize,
    writing: bool,
}

/// How a writer waits for the room to empty. The classic mistake is to look once (`if`) rather
/// than until it holds (`while`): by the time a woken writer has the mutex back, a new reader may
/// have come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// `if` the room is busy, wait once, then go in.
    LooksOnce,
    /// `while` the room is busy, wait.
    LooksUntilFree,
}

pub struct ReadersWriter {
    state: Mutex<State>,
    changed: Condvar,
    waiting: Waiting,
}

impl ReadersWriter {
    pub fn new(waiting: Waiting) -> Self {
        ReadersWriter {
            state: Mutex::named("the room", State::default()),
            changed: Condvar::named("room changed"),
            waiting,
        }
    }

    pub fn read<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let mut state = self.state.lock().unwrap();
            while state.writing {
                state = self.changed.wait(state).unwrap();
            }
            state.readers += 1;
        }
        let r = f();
        let mut state = self.state.lock().unwrap();
        state.readers -= 1;
        if state.readers == 0 {
            self.changed.notify_all();
        }
        r
    }

    pub fn write<R>(&self, f: impl FnOnce() -> R) -> R {
        {
            let mut state = self.state.lock().unwrap();
            match self.waiting {
                Waiting::LooksOnce => {
                    if state.readers > 0 || state.writing {
                        state = self.changed.wait(state).unwrap();
                    }
                }
                Waiting::LooksUntilFree => {
                    while state.readers > 0 || state.writing {
                        state = self.changed.wait(state).unwrap();
                    }
                }
            }
            state.writing = true;
        }
        let r = f();
        self.state.lock().unwrap().writing = false;
        self.changed.notify_all();
        r
    }
}
