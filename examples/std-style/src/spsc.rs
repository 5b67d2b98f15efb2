//! A lock-free ring for one producer and one consumer: slots in `UnsafeCell`s, the producer's
//! `tail` and the consumer's `head` as atomics. A slot belongs to the producer until `tail`
//! moves past it, then to the consumer until `head` does.

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::UnsafeCell;

/// How the producer publishes a written slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Publish {
    /// The bug: `tail` moves past the slot before the slot is written.
    TailFirst,
    /// The bug: `tail` stored and loaded `Relaxed`: the consumer is not ordered after the write.
    Relaxed,
    /// The fix: the slot written, then `tail` stored `Release` and loaded `Acquire`.
    ReleaseAcquire,
}

pub struct Ring<T> {
    slots: Box<[UnsafeCell<Option<T>>]>,
    head: AtomicUsize,
    tail: AtomicUsize,
    publish: Publish,
}

// SAFETY: each slot has one owner at a time, handed over through `head` and `tail` (in the fixed
// version).
unsafe impl<T: Send> Sync for Ring<T> {}

impl<T> Ring<T> {
    pub fn new(capacity: usize, publish: Publish) -> Self {
        Ring {
            slots: (0..capacity).map(|_| UnsafeCell::new(None)).collect(),
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            publish,
        }
    }

    fn orderings(&self) -> (Ordering, Ordering) {
        match self.publish {
            Publish::Relaxed => (Ordering::Relaxed, Ordering::Relaxed),
            Publish::TailFirst | Publish::ReleaseAcquire => (Ordering::Release, Ordering::Acquire),
        }
    }

    /// Adds `value` if there is room (the producer only).
    ///
    /// # Errors
    /// The value back if the ring is full.
    pub fn push(&self, value: T) -> Result<(), T> {
        let (store, load) = self.orderings();
        let tail = self.tail.load(Ordering::Relaxed);
        if tail - self.head.load(load) == self.slots.len() {
            return Err(value);
        }
        let slot = &self.slots[tail % self.slots.len()];
        if self.publish == Publish::TailFirst {
            self.tail.store(tail + 1, store);
        }
        slot.with_mut(|p| unsafe { *p = Some(value) });
        if self.publish != Publish::TailFirst {
            self.tail.store(tail + 1, store);
        }
        Ok(())
    }

    /// Takes the oldest value, if there is one (the consumer only).
    pub fn pop(&self) -> Option<T> {
        let (store, load) = self.orderings();
        let head = self.head.load(Ordering::Relaxed);
        if head == self.tail.load(load) {
            return None;
        }
        let value = self.slots[head % self.slots.len()].with_mut(|p| unsafe { (*p).take() });
        self.head.store(head + 1, store);
        value
    }
}
