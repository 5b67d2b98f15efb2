//! A resource of the user's own making — a lock built from atomics, or from a `Mutex` and a
//! `Condvar` — declared to the ledger, so that a report names it as it names the facade's own
//! locks: "A holds my-lock and waits for B's, held by B, who waits for my-lock". Without it, a
//! cycle through such a lock shows only threads waiting on a condition variable nobody owns: a
//! hang, with the cycle unseen.
//!
//! The calls say what the thread does, at the moment it does it: [`waiting`](Resource::waiting)
//! before it waits (spins or sleeps) for the resource, [`acquired`](Resource::acquired) once it
//! holds it, [`released`](Resource::released) when it lets go. In a std build they cost nothing.

use super::ledger::{self, Action, ResourceId, ResourceKind};
use super::{Condvar, MutexGuard};

#[derive(Debug)]
pub struct Resource {
    id: ResourceId,
}

impl Resource {
    /// A lock only its holder can release (a mutex, a reentrant lock): a cycle of threads each
    /// waiting for one held by the next is a deadlock the moment it closes.
    #[track_caller]
    pub fn new(name: &str) -> Resource {
        Resource {
            id: ledger::new_resource(ResourceKind::Mutex, Some(name)),
        }
    }

    /// A lock any thread may release (Python's `Lock`, a binary semaphore): a cycle of waits on
    /// these is a deadlock only once no running thread is left to release one.
    #[track_caller]
    pub fn releasable_by_anyone(name: &str) -> Resource {
        Resource {
            id: ledger::new_resource(ResourceKind::Lock, Some(name)),
        }
    }

    /// The current thread starts waiting for the resource (before it spins or sleeps).
    pub fn waiting(&self) {
        ledger::waiting(self.id);
    }

    /// The current thread now holds the resource (its wait, if any, is over).
    pub fn acquired(&self) {
        ledger::acquired(self.id);
    }

    /// The current thread no longer holds the resource.
    pub fn released(&self) {
        ledger::released(self.id);
    }

    /// Waits on `condvar` for this resource: the report says the thread waits for the resource
    /// (and so for its holder), not for a notification nobody owns.
    pub fn wait_on<'a, T>(&self, condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        condvar.wait_on(self.id, guard)
    }

    /// Starts one operation on the resource (an acquire built of a mutex, a condition variable
    /// and a counter): until the returned value drops, the trace shows only the steps it records
    /// itself ("acquire my-lock"), not the mutex and atomics the operation is made of.
    pub fn operation(&self) -> Operation<'_> {
        Operation {
            resource: self,
            inner: ledger::operation(false),
        }
    }
}

/// One operation on a [`Resource`] in progress; see [`Resource::operation`].
pub struct Operation<'a> {
    resource: &'a Resource,
    inner: ledger::Operation,
}

impl Operation<'_> {
    /// Records the operation's step ("acquire my-lock").
    pub fn step(&self, verb: &'static str) {
        self.inner.act(self.resource.id, || Action::Plain(verb));
    }

    /// Records the operation's step with how deep its owner holds the resource after it
    /// ("acquire my-lock (held 2 deep)").
    pub fn step_with_depth(&self, verb: &'static str, depth: usize) {
        self.inner
            .act(self.resource.id, || Action::Depth { verb, depth });
    }
}
