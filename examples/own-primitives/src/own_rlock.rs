//! A reentrant lock of one's own, built from a mutex and a condition variable: its owner may take
//! it again, and frees it when it has given back every acquisition. It tells the checker who
//! holds it and who waits for it (`Resource`), so that a deadlock through it is reported as a
//! cycle with its name, as the facade's own locks are; without that, the waiters would seem to
//! wait on a condition variable nobody owns (a hang).

use interleave_check::sync::thread::{self, ThreadId};
use interleave_check::sync::{Condvar, Mutex, Resource};

#[derive(Default)]
struct State {
    owner: Option<ThreadId>,
    depth: usize,
}

pub struct OwnRLock {
    state: Mutex<State>,
    freed: Condvar,
    /// `None`: the lock keeps its holders to itself (the control).
    declared: Option<Resource>,
}

impl OwnRLock {
    /// A lock that tells the checker about itself, called `name` in reports.
    #[track_caller]
    pub fn declared(name: &str) -> OwnRLock {
        OwnRLock {
            state: Mutex::named(name, State::default()),
            freed: Condvar::named(name),
            declared: Some(Resource::new(name)),
        }
    }

    /// The same lock, silent about who holds it.
    #[track_caller]
    pub fn undeclared(name: &str) -> OwnRLock {
        OwnRLock {
            declared: None,
            ..OwnRLock::declared(name)
        }
    }

    pub fn acquire(&self) {
        let me = thread::current_id();
        let op = self.declared.as_ref().map(Resource::operation);
        let mut state = self.state.lock().unwrap();
        while state.owner.is_some_and(|owner| owner != me) {
            state = match &self.declared {
                Some(resource) => resource.wait_on(&self.freed, state),
                None => self.freed.wait(state).unwrap(),
            };
        }
        state.owner = Some(me);
        state.depth += 1;
        if let Some(resource) = &self.declared {
            if state.depth == 1 {
                resource.acquired();
            }
        }
        if let Some(op) = &op {
            op.step_with_depth("acquire", state.depth);
        }
    }

    pub fn release(&self) {
        let op = self.declared.as_ref().map(Resource::operation);
        let mut state = self.state.lock().unwrap();
        assert_eq!(
            state.owner,
            Some(thread::current_id()),
            "released by its owner"
        );
        state.depth -= 1;
        if let Some(op) = &op {
            op.step_with_depth("release", state.depth);
        }
        if state.depth == 0 {
            state.owner = None;
            if let Some(resource) = &self.declared {
                resource.released();
            }
            self.freed.notify_all();
        }
    }
}
