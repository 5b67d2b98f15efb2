//! Python's `queue.Queue`, `LifoQueue` and `PriorityQueue`, built the way CPython builds them:
//! one lock, three conditions ("not empty", "not full", "all tasks done") and a count of
//! unfinished tasks. Course: 004:2998-3285 (FIFO, LIFO and priority subscribers,
//! `queues_empty_full.py`), 003 and 001 (producer and consumer).
//!
//! `empty()`, `full()` and `qsize()` are answers that may be stale by the time the caller acts on
//! them; the course's `while not q.empty(): q.get()` is exactly that bug, which is why they exist.

use super::ledger::{self, Action};
use super::{Condvar, Mutex, MutexGuard};
use std::collections::VecDeque;

/// `put_nowait` on a full queue (Python's `queue.Full`); the item comes back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the queue is full")]
pub struct Full<T>(pub T);

/// `get_nowait` on an empty queue (Python's `queue.Empty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the queue is empty")]
pub struct Empty;

/// `task_done` called more times than items were put (Python's `ValueError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("task_done() called too many times")]
pub struct TaskDoneError;

/// Which item `get` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The oldest (`queue.Queue`).
    Fifo,
    /// The newest (`queue.LifoQueue`).
    Lifo,
    /// The smallest (`queue.PriorityQueue`).
    Priority,
}

struct State<T> {
    items: VecDeque<T>,
    unfinished: usize,
}

/// A queue of `T`, bounded if `maxsize > 0` (as in Python, 0 means unbounded).
pub struct Queue<T> {
    order: Order,
    maxsize: usize,
    /// Where `get` takes from: set once, by the constructor of the order.
    take: fn(&VecDeque<T>) -> usize,
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    all_done: Condvar,
}

impl<T> Queue<T> {
    /// A FIFO queue that reports call `name`.
    pub fn fifo(name: &str, maxsize: usize) -> Self {
        Self::build(name, Order::Fifo, maxsize, |_| 0)
    }

    /// A LIFO queue (a stack) that reports call `name`.
    pub fn lifo(name: &str, maxsize: usize) -> Self {
        Self::build(name, Order::Lifo, maxsize, |items| items.len() - 1)
    }

    fn build(name: &str, order: Order, maxsize: usize, take: fn(&VecDeque<T>) -> usize) -> Self {
        Queue {
            order,
            maxsize,
            take,
            state: Mutex::named(
                name,
                State {
                    items: VecDeque::new(),
                    unfinished: 0,
                },
            ),
            not_empty: Condvar::named(&format!("an item in {name}")),
            not_full: Condvar::named(&format!("a free slot in {name}")),
            all_done: Condvar::named(&format!("task_done on every item of {name}")),
        }
    }

    pub fn order(&self) -> Order {
        self.order
    }

    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    fn is_full(&self, state: &State<T>) -> bool {
        self.maxsize > 0 && state.items.len() >= self.maxsize
    }

    fn push(&self, mut state: MutexGuard<'_, State<T>>, item: T) {
        state.items.push_back(item);
        state.unfinished += 1;
        self.not_empty.notify_one();
    }

    fn pop(&self, mut state: MutexGuard<'_, State<T>>) -> T {
        let at = (self.take)(&state.items);
        let item = state.items.remove(at).expect("the queue holds an item");
        self.not_full.notify_one();
        item
    }

    /// Adds `item`, waiting while the queue is full.
    pub fn put(&self, item: T) {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let state = self
            .not_full
            .wait_while_unpoisoned(state, |s| self.is_full(s));
        let len = state.items.len() + 1;
        op.act(self.state.id(), || Action::Items { verb: "put", len });
        self.push(state, item);
    }

    /// Adds `item` if there is room.
    ///
    /// # Errors
    /// [`Full`], with the item, if the queue is full.
    pub fn put_nowait(&self, item: T) -> Result<(), Full<T>> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        if self.is_full(&state) {
            op.step("put_nowait (full)", self.state.id());
            return Err(Full(item));
        }
        let len = state.items.len() + 1;
        op.act(self.state.id(), || Action::Items { verb: "put", len });
        self.push(state, item);
        Ok(())
    }

    /// Takes an item, waiting while the queue is empty.
    pub fn get(&self) -> T {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let state = self
            .not_empty
            .wait_while_unpoisoned(state, |s| s.items.is_empty());
        let len = state.items.len() - 1;
        op.act(self.state.id(), || Action::Items { verb: "get", len });
        self.pop(state)
    }

    /// Adds `item`, waiting at most `timeout` while the queue is full (Python's
    /// `put(item, timeout=…)`).
    ///
    /// # Errors
    /// [`Full`], with the item, if the queue was still full when the time ran out.
    pub fn put_timeout(&self, item: T, timeout: std::time::Duration) -> Result<(), Full<T>> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let (state, result) = self
            .not_full
            .wait_timeout_while_unpoisoned(state, timeout, |s| self.is_full(s));
        if result.timed_out() {
            op.step("put (timed out)", self.state.id());
            return Err(Full(item));
        }
        let len = state.items.len() + 1;
        op.act(self.state.id(), || Action::Items { verb: "put", len });
        self.push(state, item);
        Ok(())
    }

    /// Takes an item, waiting at most `timeout` while the queue is empty (Python's
    /// `get(timeout=…)`).
    ///
    /// # Errors
    /// [`Empty`] if the queue was still empty when the time ran out.
    pub fn get_timeout(&self, timeout: std::time::Duration) -> Result<T, Empty> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let (state, result) = self
            .not_empty
            .wait_timeout_while_unpoisoned(state, timeout, |s| s.items.is_empty());
        if result.timed_out() {
            op.step("get (timed out)", self.state.id());
            return Err(Empty);
        }
        let len = state.items.len() - 1;
        op.act(self.state.id(), || Action::Items { verb: "get", len });
        Ok(self.pop(state))
    }

    /// Takes an item if there is one.
    ///
    /// # Errors
    /// [`Empty`] if the queue is empty.
    pub fn get_nowait(&self) -> Result<T, Empty> {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        if state.items.is_empty() {
            op.step("get_nowait (empty)", self.state.id());
            return Err(Empty);
        }
        let len = state.items.len() - 1;
        op.act(self.state.id(), || Action::Items { verb: "get", len });
        Ok(self.pop(state))
    }

    /// Says one item taken earlier has been dealt with.
    ///
    /// # Errors
    /// If there are more `task_done` calls than items put.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let op = ledger::operation(true);
        op.step("task_done", self.state.id());
        let mut state = self.state.lock_unpoisoned();
        if state.unfinished == 0 {
            return Err(TaskDoneError);
        }
        state.unfinished -= 1;
        if state.unfinished == 0 {
            self.all_done.notify_all();
        }
        Ok(())
    }

    /// Waits until every item put has been marked done with `task_done`.
    pub fn join(&self) {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        drop(
            self.all_done
                .wait_while_unpoisoned(state, |s| s.unfinished > 0),
        );
        op.step("join", self.state.id());
    }

    /// Whether the queue is empty right now (the answer may be stale when the caller acts).
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether the queue is full right now (the answer may be stale when the caller acts).
    pub fn full(&self) -> bool {
        self.maxsize > 0 && self.qsize() >= self.maxsize
    }

    /// Items in the queue right now.
    pub fn qsize(&self) -> usize {
        let op = ledger::operation(true);
        let len = self.state.lock_unpoisoned().items.len();
        op.step_with("size", self.state.id(), &len);
        len
    }
}

impl<T: Ord> Queue<T> {
    /// A priority queue (smallest first) that reports call `name`.
    pub fn priority(name: &str, maxsize: usize) -> Self {
        Self::build(name, Order::Priority, maxsize, |items| {
            (0..items.len())
                .min_by(|&a, &b| items[a].cmp(&items[b]))
                .expect("the queue holds an item")
        })
    }
}

impl<T> std::fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("order", &self.order)
            .field("maxsize", &self.maxsize)
            .finish_non_exhaustive()
    }
}
