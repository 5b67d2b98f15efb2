//! Python's `threading.RLock`: a lock its owner may take again, freed when released as many
//! times as it was taken. Course: 004:2240-2346 (`modifyBoth` calls `modifyA` and `modifyB`, each
//! of which takes the same lock). Built on the facade's [`Mutex`] and [`Condvar`].

use super::ledger::{self, Action, ResourceId, ResourceKind};
use super::thread::{self, ThreadId};
use super::{Condvar, Mutex};

/// Releasing a reentrant lock the caller does not hold: in Python, `RuntimeError: cannot release
/// un-acquired lock`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("release of a reentrant lock the current thread does not hold")]
pub struct NotOwnerError;

#[derive(Debug, Default)]
struct Ownership {
    owner: Option<ThreadId>,
    depth: usize,
}

/// A reentrant lock: an owner and how many times it holds the lock.
#[derive(Debug)]
pub struct RLock {
    id: ResourceId,
    state: Mutex<Ownership>,
    freed: Condvar,
}

impl RLock {
    #[track_caller]
    pub fn new() -> Self {
        Self::build(None)
    }

    /// A reentrant lock that failure reports call `name`.
    #[track_caller]
    pub fn named(name: &str) -> Self {
        Self::build(Some(name))
    }

    #[track_caller]
    fn build(name: Option<&str>) -> Self {
        RLock {
            id: ledger::new_resource(ResourceKind::Mutex, name),
            state: Mutex::new(Ownership::default()),
            freed: Condvar::new(),
        }
    }

    /// Takes the lock, or takes it once more if the current thread already owns it.
    pub fn acquire(&self) {
        let op = ledger::operation(true);
        let me = thread::current_id();
        let mut state = self.state.lock_unpoisoned();
        while state.owner.is_some_and(|owner| owner != me) {
            state = self.freed.wait_on(self.id, state);
        }
        self.enter(&mut state, me, &op);
    }

    /// Takes the lock if it is free or already the current thread's (once more), without
    /// waiting; says whether it did (Python's `acquire(blocking=False)`).
    pub fn try_acquire(&self) -> bool {
        let op = ledger::operation(true);
        let me = thread::current_id();
        let mut state = self.state.lock_unpoisoned();
        if state.owner.is_some_and(|owner| owner != me) {
            op.step("try_acquire (held by another)", self.id);
            return false;
        }
        self.enter(&mut state, me, &op);
        true
    }

    /// The lock is free or `me`'s: `me` holds it once more.
    fn enter(&self, state: &mut Ownership, me: thread::ThreadId, op: &ledger::Operation) {
        state.owner = Some(me);
        state.depth += 1;
        if state.depth == 1 {
            ledger::acquired(self.id);
        }
        let depth = state.depth;
        op.act(self.id, || Action::Depth {
            verb: "acquire",
            depth,
        });
    }

    /// Gives back one acquisition; the last one frees the lock.
    ///
    /// # Errors
    /// If the current thread does not own the lock.
    pub fn release(&self) -> Result<(), NotOwnerError> {
        let op = ledger::operation(true);
        let mut state = self.state.lock_unpoisoned();
        if state.owner != Some(thread::current_id()) {
            op.step("release (not the owner)", self.id);
            return Err(NotOwnerError);
        }
        state.depth -= 1;
        let depth = state.depth;
        op.act(self.id, || Action::Depth {
            verb: "release",
            depth,
        });
        if state.depth == 0 {
            state.owner = None;
            ledger::released(self.id);
            self.freed.notify_one();
        }
        Ok(())
    }

    /// How many times the current thread holds the lock (0 if it does not own it).
    pub fn depth(&self) -> usize {
        let op = ledger::operation(true);
        let state = self.state.lock_unpoisoned();
        let depth = if state.owner == Some(thread::current_id()) {
            state.depth
        } else {
            0
        };
        op.act(self.id, || Action::Depth {
            verb: "look at",
            depth,
        });
        depth
    }

    /// Python's `with rlock:` — one acquisition, given back when the guard is dropped.
    pub fn hold(&self) -> RLockGuard<'_> {
        self.acquire();
        RLockGuard(self)
    }
}

impl Default for RLock {
    fn default() -> Self {
        RLock::new()
    }
}

/// Gives back one acquisition of its [`RLock`] when dropped.
#[must_use = "the acquisition is given back as soon as the guard is dropped"]
pub struct RLockGuard<'a>(&'a RLock);

impl Drop for RLockGuard<'_> {
    fn drop(&mut self) {
        #[cfg(interleave_loom)]
        if std::thread::panicking() {
            return;
        }
        self.0
            .release()
            .expect("a guard's thread owns the lock until the guard is dropped");
    }
}
