//! A typed message queue in the style of System V's (`sysv_ipc.MessageQueue` in the course):
//! every message carries a positive type; a receiver asks for the first message of one type, of
//! any type, or of the lowest type up to a bound. Course: 000:110-160 (clients send type 1 to ask
//! the time, type 2 to stop the server; the server answers on type 3), 000:262-285 (a pool
//! server answering on type pid + 3).
//!
//! `remove()` is `msgctl(IPC_RMID)`: the queue is gone at once, its messages with it; a sender
//! gets [`Removed`] back with its message, and so does every receiver, including those already
//! waiting (System V's `EIDRM`). Built on the facade's [`Mutex`] and [`Condvar`].

use super::ledger;
use super::{Condvar, Mutex};
use std::collections::VecDeque;

/// Which message `receive` takes (System V's `msgtyp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Select {
    /// The first message of any type (`msgtyp` 0).
    Any,
    /// The first message of this type (`msgtyp` > 0).
    Type(u64),
    /// The first message of the lowest type ≤ this bound (`msgtyp` < 0).
    UpTo(u64),
}

/// The queue was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the message queue was removed")]
pub struct Removed;

/// What `send` can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError<T> {
    #[error("the message queue was removed")]
    Removed(T),
    #[error("a message's type must be positive (got 0)")]
    ZeroType(T),
}

struct State<T> {
    messages: VecDeque<(u64, T)>,
    removed: bool,
}

/// A queue of `T` messages, each with a positive type.
pub struct MessageQueue<T> {
    state: Mutex<State<T>>,
    arrived: Condvar,
}

impl<T> MessageQueue<T> {
    /// An empty queue that failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str) -> Self {
        MessageQueue {
            state: Mutex::named(
                name,
                State {
                    messages: VecDeque::new(),
                    removed: false,
                },
            ),
            arrived: Condvar::named(&format!("a message on {name}")),
        }
    }

    /// Appends `message` with type `mtype`.
    ///
    /// # Errors
    /// The message back, if `mtype` is 0 or the queue was removed.
    pub fn send(&self, message: T, mtype: u64) -> Result<(), SendError<T>> {
        if mtype == 0 {
            return Err(SendError::ZeroType(message));
        }
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        if state.removed {
            op.step("send (queue removed)", self.arrived.id());
            return Err(SendError::Removed(message));
        }
        state.messages.push_back((mtype, message));
        op.step_with("send type", self.arrived.id(), &mtype);
        self.arrived.notify_all();
        Ok(())
    }

    /// Takes the first message `select` matches, waiting for one; returns it with its type.
    ///
    /// # Errors
    /// [`Removed`] if the queue is removed, before or while waiting.
    pub fn receive(&self, select: Select) -> Result<(T, u64), Removed> {
        let op = ledger::operation(true);
        let mut state = self
            .arrived
            .wait_while_unpoisoned(self.state.lock_unpoisoned(), |s| {
                !s.removed && position(&s.messages, select).is_none()
            });
        let taken = Self::take(&mut state, select);
        self.record_receive(&op, taken.as_ref());
        taken.ok_or(Removed)
    }

    fn record_receive(&self, op: &ledger::Operation, taken: Option<&(T, u64)>) {
        match taken {
            Some((_, mtype)) => op.step_with("receive type", self.arrived.id(), mtype),
            None => op.step("receive (nothing)", self.arrived.id()),
        }
    }

    /// Takes the first message `select` matches, if there is one now (`block=False`).
    ///
    /// # Errors
    /// [`Removed`] if the queue was removed.
    pub fn try_receive(&self, select: Select) -> Result<Option<(T, u64)>, Removed> {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        if state.removed {
            op.step("receive (queue removed)", self.arrived.id());
            return Err(Removed);
        }
        let taken = Self::take(&mut state, select);
        self.record_receive(&op, taken.as_ref());
        Ok(taken)
    }

    fn take(state: &mut State<T>, select: Select) -> Option<(T, u64)> {
        if state.removed {
            return None;
        }
        let i = position(&state.messages, select)?;
        state
            .messages
            .remove(i)
            .map(|(mtype, message)| (message, mtype))
    }

    /// Removes the queue: its messages are dropped, every waiting and later call fails.
    pub fn remove(&self) {
        let op = ledger::operation(true);
        op.step("remove", self.arrived.id());
        let mut state = self.state.lock_unpoisoned();
        state.removed = true;
        state.messages.clear();
        self.arrived.notify_all();
    }

    /// Messages in the queue now (`current_messages`).
    pub fn len(&self) -> usize {
        let op = ledger::operation(true);
        let len = self.state.lock_unpoisoned().messages.len();
        op.step_with("size", self.arrived.id(), &len);
        len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn position<T>(messages: &VecDeque<(u64, T)>, select: Select) -> Option<usize> {
    match select {
        Select::Any => (!messages.is_empty()).then_some(0),
        Select::Type(t) => messages.iter().position(|&(m, _)| m == t),
        Select::UpTo(bound) => messages
            .iter()
            .enumerate()
            .filter(|(_, &(m, _))| m <= bound)
            .min_by_key(|&(i, &(m, _))| (m, i))
            .map(|(i, _)| i),
    }
}
