//! Python's `threading.Semaphore` and `BoundedSemaphore`, built once on the facade's own
//! [`Mutex`] and [`Condvar`] so that loom and shuttle explore them like everything else (loom has
//! no semaphore). Course: 004 (Semaphore, BoundedSemaphore), 000 (Tanenbaum's philosophers, the
//! bounded buffer), 001 (`semaphoreFonc`).

use super::ledger::{self, ResourceId, ResourceKind};
use super::{Condvar, Mutex};

/// A counting semaphore: `acquire` takes a permit, waiting while there is none; `release` gives
/// one back, and may be called by a thread that never acquired (signalling).
#[derive(Debug)]
pub struct Semaphore {
    id: ResourceId,
    permits: Mutex<usize>,
    available: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self::build(None, permits)
    }

    /// A semaphore that failure reports call `name` ("seats", "empty slots").
    pub fn named(name: &str, permits: usize) -> Self {
        Self::build(Some(name), permits)
    }

    fn build(name: Option<&str>, permits: usize) -> Self {
        Semaphore {
            id: ledger::new_resource(ResourceKind::Semaphore, name),
            permits: Mutex::new(permits),
            available: Condvar::new(),
        }
    }

    /// Takes a permit, waiting until one is free.
    pub fn acquire(&self) {
        let op = ledger::operation();
        let mut permits = self.permits.lock();
        while *permits == 0 {
            permits = self.available.wait_on(self.id, permits);
        }
        *permits -= 1;
        ledger::acquired(self.id);
        op.step_with("acquire", self.id, &*permits);
    }

    /// Takes a permit if one is free, without waiting; says whether it did.
    pub fn try_acquire(&self) -> bool {
        let op = ledger::operation();
        let mut permits = self.permits.lock();
        if *permits == 0 {
            op.step("try_acquire (none free)", self.id);
            return false;
        }
        *permits -= 1;
        ledger::acquired(self.id);
        op.step_with("acquire", self.id, &*permits);
        true
    }

    /// Gives a permit back and wakes one waiter.
    pub fn release(&self) {
        let op = ledger::operation();
        let mut permits = self.permits.lock();
        *permits += 1;
        ledger::released(self.id);
        op.step_with("release", self.id, &*permits);
        self.available.notify_one();
    }

    /// Permits free right now.
    pub fn available(&self) -> usize {
        let op = ledger::operation();
        let permits = *self.permits.lock();
        op.step_with("read", self.id, &permits);
        permits
    }
}

/// A release that would raise the count above a bounded semaphore's initial value: in Python,
/// `ValueError: Semaphore released too many times`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("semaphore released too many times (its bound is {bound})")]
pub struct ReleaseError {
    pub bound: usize,
}

/// A semaphore that refuses to be released above its initial count.
#[derive(Debug)]
pub struct BoundedSemaphore {
    bound: usize,
    inner: Semaphore,
}

impl BoundedSemaphore {
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            bound: permits,
            inner: Semaphore::new(permits),
        }
    }

    /// A bounded semaphore that failure reports call `name`.
    pub fn named(name: &str, permits: usize) -> Self {
        BoundedSemaphore {
            bound: permits,
            inner: Semaphore::named(name, permits),
        }
    }

    pub fn acquire(&self) {
        self.inner.acquire()
    }

    pub fn try_acquire(&self) -> bool {
        self.inner.try_acquire()
    }

    /// Gives a permit back, unless every permit is already free.
    pub fn release(&self) -> Result<(), ReleaseError> {
        let op = ledger::operation();
        let mut permits = self.inner.permits.lock();
        if *permits >= self.bound {
            op.step("release (refused: all free)", self.inner.id);
            return Err(ReleaseError { bound: self.bound });
        }
        *permits += 1;
        ledger::released(self.inner.id);
        op.step_with("release", self.inner.id, &*permits);
        self.inner.available.notify_one();
        Ok(())
    }

    pub fn available(&self) -> usize {
        self.inner.available()
    }

    /// The initial (and maximal) number of permits.
    pub fn bound(&self) -> usize {
        self.bound
    }
}
