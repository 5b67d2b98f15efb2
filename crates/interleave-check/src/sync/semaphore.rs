//! Python's `threading.Semaphore` and `BoundedSemaphore`, counted by [`Permits`]: in explored
//! builds on the facade's own `Mutex` and `Condvar`, so that loom and shuttle explore them like
//! everything else (loom has no semaphore); in the std build in one atomic word. Course: 004
//! (Semaphore, BoundedSemaphore), 000 (Tanenbaum's philosophers, the bounded buffer), 001
//! (`semaphoreFonc`).

use super::ledger::{self, Action, ResourceId, ResourceKind};
use super::permits::Permits;

/// A counting semaphore: `acquire` takes a permit, waiting while there is none; `release` gives
/// one back, and may be called by a thread that never acquired (signalling).
#[derive(Debug)]
pub struct Semaphore {
    id: ResourceId,
    permits: Permits,
}

impl Semaphore {
    #[track_caller]
    pub fn new(permits: usize) -> Self {
        Self::build(None, permits)
    }

    /// A semaphore that failure reports call `name` ("seats", "empty slots").
    #[track_caller]
    pub fn named(name: &str, permits: usize) -> Self {
        Self::build(Some(name), permits)
    }

    #[track_caller]
    fn build(name: Option<&str>, permits: usize) -> Self {
        Semaphore {
            id: ledger::new_resource(ResourceKind::Semaphore, name),
            permits: Permits::new(permits),
        }
    }

    /// Takes a permit, waiting until one is free.
    pub fn acquire(&self) {
        let op = ledger::operation(true);
        self.permits.take(self.id, |left| {
            ledger::acquired(self.id);
            op.act(self.id, || Action::Permits {
                verb: "acquire",
                free: left,
            });
        });
    }

    /// Takes a permit, waiting at most `timeout` (Python's `acquire(timeout=…)`); says whether it
    /// did. See [`Condvar::wait_timeout`](super::Condvar::wait_timeout) for how the explored
    /// builds time a wait out.
    pub fn acquire_timeout(&self, timeout: std::time::Duration) -> bool {
        let op = ledger::operation(true);
        self.permits.take_timeout(timeout, |left| match left {
            Some(left) => {
                ledger::acquired(self.id);
                op.act(self.id, || Action::Permits {
                    verb: "acquire",
                    free: left,
                });
            }
            None => op.step("acquire (timed out)", self.id),
        })
    }

    /// Takes a permit if one is free, without waiting; says whether it did.
    pub fn try_acquire(&self) -> bool {
        let op = ledger::operation(true);
        self.permits.try_take(|left| match left {
            Some(left) => {
                ledger::acquired(self.id);
                op.act(self.id, || Action::Permits {
                    verb: "acquire",
                    free: left,
                });
            }
            None => op.step("try_acquire (none free)", self.id),
        })
    }

    /// Gives a permit back and wakes one waiter.
    pub fn release(&self) {
        self.release_below(usize::MAX);
    }

    /// Gives a permit back unless `bound` are free already; says whether it did.
    fn release_below(&self, bound: usize) -> bool {
        let op = ledger::operation(true);
        self.permits.give(bound, |free| match free {
            Some(free) => {
                ledger::released(self.id);
                op.act(self.id, || Action::Permits {
                    verb: "release",
                    free,
                });
            }
            None => op.step("release (refused: all free)", self.id),
        })
    }

    /// Permits free right now.
    pub fn available(&self) -> usize {
        let op = ledger::operation(true);
        let permits = self.permits.free();
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
    #[track_caller]
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            bound: permits,
            inner: Semaphore::new(permits),
        }
    }

    /// A bounded semaphore that failure reports call `name`.
    #[track_caller]
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
        if self.inner.release_below(self.bound) {
            Ok(())
        } else {
            Err(ReleaseError { bound: self.bound })
        }
    }

    pub fn available(&self) -> usize {
        self.inner.available()
    }

    /// The initial (and maximal) number of permits.
    pub fn bound(&self) -> usize {
        self.bound
    }
}
