//! std's `mpsc` channels with std's signatures and documented behaviour, built on the facade's
//! [`Mutex`] and [`Condvar`] so that every backend explores them: `channel` (unbounded),
//! `sync_channel(bound)` (a sender waits while `bound` items wait; with 0, until its item is
//! taken), cloned senders, and disconnection on both sides (a `recv` with every sender gone and
//! nothing left is an error; a `send` with the receiver gone gives its value back).
//!
//! Each send and receive is one step of the trace ("send jobs (2 in it)"); every item sent
//! happens before its receipt.

use super::ledger::{self, Action};
use super::{Condvar, Mutex, MutexGuard};
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

struct State<T> {
    items: VecDeque<T>,
    senders: usize,
    receiver: bool,
    /// Items received so far: a rendezvous sender waits until its own has been.
    received: u64,
    /// Items sent so far.
    sent: u64,
    /// Receivers blocked in `recv`: a rendezvous `try_send` succeeds only with one there.
    receiving: usize,
}

struct Channel<T> {
    /// `None`: unbounded.
    bound: Option<usize>,
    state: Mutex<State<T>>,
    changed: Condvar,
}

impl<T> Channel<T> {
    #[track_caller]
    fn new(bound: Option<usize>) -> Arc<Self> {
        let state = State {
            items: VecDeque::new(),
            senders: 1,
            receiver: true,
            received: 0,
            sent: 0,
            receiving: 0,
        };
        let name = format!(
            "the channel made at {}",
            ledger::place(std::panic::Location::caller())
        );
        Arc::new(Channel {
            bound,
            changed: Condvar::named(&format!("a change in {name}")),
            state: Mutex::named(&name, state),
        })
    }

    /// Whether a sender must wait before it puts an item in.
    fn full(&self, state: &State<T>) -> bool {
        match self.bound {
            None => false,
            // A rendezvous channel holds at most the one item being handed over.
            Some(bound) => state.items.len() >= bound.max(1),
        }
    }

    fn put(&self, state: &mut MutexGuard<'_, State<T>>, op: &ledger::Operation, item: T) -> u64 {
        state.items.push_back(item);
        state.sent += 1;
        let len = state.items.len();
        op.act(self.state.id(), || Action::Items {
            verb: "send to",
            len,
        });
        self.changed.notify_all();
        state.sent
    }

    fn take(&self, mut state: MutexGuard<'_, State<T>>, op: &ledger::Operation) -> T {
        let item = state.items.pop_front().expect("an item to take");
        state.received += 1;
        let len = state.items.len();
        op.act(self.state.id(), || Action::Items {
            verb: "recv from",
            len,
        });
        self.changed.notify_all();
        item
    }

    fn send(&self, item: T) -> Result<(), SendError<T>> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let mut state = self
            .changed
            .wait_while_unpoisoned(state, |s| s.receiver && self.full(s));
        if !state.receiver {
            op.step("send (disconnected)", self.state.id());
            return Err(SendError(item));
        }
        let ticket = self.put(&mut state, &op, item);
        if self.bound != Some(0) {
            return Ok(());
        }
        let mut state = self
            .changed
            .wait_while_unpoisoned(state, |s| s.receiver && s.received < ticket);
        if state.received >= ticket {
            return Ok(());
        }
        // The receiver left before taking it: the item comes back.
        let item = state.items.pop_back().expect("the item not taken");
        Err(SendError(item))
    }

    fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        if !state.receiver {
            op.step("try_send (disconnected)", self.state.id());
            return Err(TrySendError::Disconnected(item));
        }
        let room = match self.bound {
            Some(0) => state.receiving > state.items.len(),
            _ => !self.full(&state),
        };
        if !room {
            op.step("try_send (full)", self.state.id());
            return Err(TrySendError::Full(item));
        }
        self.put(&mut state, &op, item);
        Ok(())
    }

    fn recv(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        state.receiving += 1;
        // A rendezvous sender may be waiting for a receiver to come.
        self.changed.notify_all();
        while state.items.is_empty() && state.senders > 0 {
            match deadline {
                None => state = self.changed.wait_unpoisoned(state),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    let (s, timeout) = self.changed.wait_timeout_unpoisoned(state, left);
                    state = s;
                    if timeout.timed_out() && state.items.is_empty() {
                        state.receiving -= 1;
                        op.step("recv (timed out)", self.state.id());
                        return Err(RecvTimeoutError::Timeout);
                    }
                }
            }
        }
        state.receiving -= 1;
        if state.items.is_empty() {
            op.step("recv (disconnected)", self.state.id());
            return Err(RecvTimeoutError::Disconnected);
        }
        Ok(self.take(state, &op))
    }

    fn try_recv(&self) -> Result<T, TryRecvError> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        if !state.items.is_empty() {
            return Ok(self.take(state, &op));
        }
        if state.senders == 0 {
            op.step("try_recv (disconnected)", self.state.id());
            Err(TryRecvError::Disconnected)
        } else {
            op.step("try_recv (empty)", self.state.id());
            Err(TryRecvError::Empty)
        }
    }

    fn sender_added(&self) {
        let op = ledger::operation(true);
        self.state.lock_unpoisoned().senders += 1;
        op.step("clone a sender of", self.state.id());
    }

    fn sender_dropped(&self) {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        state.senders -= 1;
        if state.senders == 0 {
            op.step("hang up (last sender)", self.state.id());
            self.changed.notify_all();
        }
    }

    fn receiver_dropped(&self) {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        state.receiver = false;
        op.step("hang up (receiver)", self.state.id());
        self.changed.notify_all();
    }
}

/// Creates an unbounded channel: `send` never blocks.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let channel = Channel::new(None);
    let sender = SenderEnd {
        channel: channel.clone(),
    };
    (Sender(sender), Receiver { channel })
}

/// Creates a channel holding at most `bound` items: `send` blocks while it is full; with 0, each
/// `send` waits until a receiver takes its item (a rendezvous).
#[track_caller]
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let channel = Channel::new(Some(bound));
    let sender = SenderEnd {
        channel: channel.clone(),
    };
    (SyncSender(sender), Receiver { channel })
}

/// One sender's hold on a channel, whichever kind: counted while it lives, so that the channel
/// hangs up when the last one goes.
struct SenderEnd<T> {
    channel: Arc<Channel<T>>,
}

impl<T> Clone for SenderEnd<T> {
    fn clone(&self) -> Self {
        self.channel.sender_added();
        SenderEnd {
            channel: self.channel.clone(),
        }
    }
}

impl<T> Drop for SenderEnd<T> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.channel.sender_dropped();
        }
    }
}

/// The sending half of [`channel`]; clone it for more senders.
pub struct Sender<T>(SenderEnd<T>);

impl<T> Sender<T> {
    /// Sends `t`, or gives it back if the receiver is gone.
    ///
    /// # Errors
    /// [`SendError`] with the value if the receiver has been dropped.
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.0.channel.send(t)
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Sender(self.0.clone())
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

/// The sending half of [`sync_channel`]; clone it for more senders.
pub struct SyncSender<T>(SenderEnd<T>);

impl<T> SyncSender<T> {
    /// Sends `t`, waiting while the channel is full (with bound 0, until it is received).
    ///
    /// # Errors
    /// [`SendError`] with the value if the receiver has been dropped.
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.0.channel.send(t)
    }

    /// Sends `t` if there is room now (with bound 0, if a receiver is waiting).
    ///
    /// # Errors
    /// [`TrySendError::Full`] or [`TrySendError::Disconnected`], with the value.
    pub fn try_send(&self, t: T) -> Result<(), TrySendError<T>> {
        self.0.channel.try_send(t)
    }
}

impl<T> Clone for SyncSender<T> {
    fn clone(&self) -> Self {
        SyncSender(self.0.clone())
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSender").finish_non_exhaustive()
    }
}

/// The receiving half of a channel.
pub struct Receiver<T> {
    channel: Arc<Channel<T>>,
}

impl<T> Receiver<T> {
    /// Takes the next item, waiting for one.
    ///
    /// # Errors
    /// [`RecvError`] once every sender is gone and nothing is left.
    pub fn recv(&self) -> Result<T, RecvError> {
        self.channel.recv(None).map_err(|_| RecvError)
    }

    /// Takes the next item if there is one now.
    ///
    /// # Errors
    /// [`TryRecvError::Empty`], or [`TryRecvError::Disconnected`] once every sender is gone
    /// and nothing is left.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.channel.try_recv()
    }

    /// Takes the next item, waiting at most `timeout` for one. The explored builds make both
    /// "it came" and "the time ran out" reachable, as the facade's `Condvar::wait_timeout` does.
    ///
    /// # Errors
    /// [`RecvTimeoutError::Timeout`], or [`RecvTimeoutError::Disconnected`] once every sender
    /// is gone and nothing is left.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.channel.recv(Some(Instant::now() + timeout))
    }

    /// The items, waiting for each, until every sender is gone.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { receiver: self }
    }

    /// The items there now, without waiting.
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.channel.receiver_dropped();
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// See [`Receiver::iter`].
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

/// See [`Receiver::try_iter`].
pub struct TryIter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.try_recv().ok()
    }
}

/// The items of a receiver it owns, until every sender is gone.
pub struct IntoIter<T> {
    receiver: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { receiver: self }
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}
