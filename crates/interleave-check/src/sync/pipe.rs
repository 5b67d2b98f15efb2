//! `multiprocessing.Pipe()`: two connected ends, each able to `send` and `recv`, and `close`.
//! Course: 000 (a child reverses a sentence and sends it back), 002:72-96 (N children send their
//! results on one shared end). Built on the facade's [`Mutex`] and [`Condvar`].
//!
//! `recv` waits for an item; once the other end is closed and everything it sent has been read,
//! it reports end-of-stream instead of blocking forever. Sending to an end whose peer is closed
//! fails (Python's `BrokenPipeError`). An end is closed by `close()`, or when dropped.

use super::ledger;
use super::{Arc, Condvar, Mutex};
use std::collections::VecDeque;

/// `recv` on an empty pipe whose other end is closed (Python's `EOFError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("end of stream: the other end of the pipe is closed")]
pub struct EndOfStream;

/// `send` to a pipe whose other end is closed (Python's `BrokenPipeError`); the item comes back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("broken pipe: the other end is closed")]
pub struct BrokenPipe<T>(pub T);

struct Direction<T> {
    items: VecDeque<T>,
    writer_closed: bool,
    reader_closed: bool,
}

/// One direction of the pipe.
struct Channel<T> {
    state: Mutex<Direction<T>>,
    readable: Condvar,
}

impl<T> Channel<T> {
    fn new(name: &str) -> Arc<Self> {
        Arc::new(Channel {
            state: Mutex::named(
                name,
                Direction {
                    items: VecDeque::new(),
                    writer_closed: false,
                    reader_closed: false,
                },
            ),
            readable: Condvar::named(name),
        })
    }
}

/// One end of a pipe.
pub struct Connection<T> {
    outgoing: Arc<Channel<T>>,
    incoming: Arc<Channel<T>>,
}

/// A duplex pipe whose ends failure reports call `name`: what one end sends, the other receives.
pub fn pipe<T>(name: &str) -> (Connection<T>, Connection<T>) {
    let a_to_b = Channel::new(&format!("data on {name} (second end)"));
    let b_to_a = Channel::new(&format!("data on {name} (first end)"));
    (
        Connection {
            outgoing: a_to_b.clone(),
            incoming: b_to_a.clone(),
        },
        Connection {
            outgoing: b_to_a,
            incoming: a_to_b,
        },
    )
}

impl<T> Connection<T> {
    /// Sends `item` to the other end.
    ///
    /// # Errors
    /// [`BrokenPipe`], with the item, if the other end is closed (or this one is).
    pub fn send(&self, item: T) -> Result<(), BrokenPipe<T>> {
        let op = ledger::operation(true);
        let mut state = self.outgoing.state.lock_unpoisoned();
        if state.reader_closed || state.writer_closed {
            op.step("send (broken pipe)", self.outgoing.readable.id());
            return Err(BrokenPipe(item));
        }
        state.items.push_back(item);
        op.step("send", self.outgoing.readable.id());
        self.outgoing.readable.notify_all();
        Ok(())
    }

    /// Receives the next item, waiting for one.
    ///
    /// # Errors
    /// [`EndOfStream`] once the other end is closed and all it sent has been received.
    pub fn recv(&self) -> Result<T, EndOfStream> {
        let op = ledger::operation(true);
        let state = self.incoming.state.lock_unpoisoned();
        let mut state = self
            .incoming
            .readable
            .wait_while_unpoisoned(state, |s| s.items.is_empty() && !s.writer_closed);
        let item = state.items.pop_front();
        let verb = if item.is_some() {
            "recv"
        } else {
            "recv (end of stream)"
        };
        op.step(verb, self.incoming.readable.id());
        item.ok_or(EndOfStream)
    }

    /// Whether an item is ready to be received now (Python's `poll()`).
    pub fn poll(&self) -> bool {
        let op = ledger::operation(true);
        let ready = !self.incoming.state.lock_unpoisoned().items.is_empty();
        op.step_with("poll", self.incoming.readable.id(), &ready);
        ready
    }

    /// Closes this end: the other end reads what was sent, then end-of-stream; its sends fail.
    pub fn close(&self) {
        let op = ledger::operation(true);
        op.step("close", self.outgoing.readable.id());
        self.outgoing.state.lock_unpoisoned().writer_closed = true;
        self.outgoing.readable.notify_all();
        self.incoming.state.lock_unpoisoned().reader_closed = true;
    }
}

impl<T> Drop for Connection<T> {
    fn drop(&mut self) {
        // Under loom, a stack unwound after a failed execution must not touch the model again.
        if !std::thread::panicking() {
            self.close();
        }
    }
}

impl<T> std::fmt::Debug for Connection<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection").finish_non_exhaustive()
    }
}
