//! The counting core that [`Lock`](super::Lock), [`Semaphore`](super::Semaphore) and
//! [`BoundedSemaphore`](super::BoundedSemaphore) share: a number of free permits, taken one at a
//! time (waiting while none is free) and given back by any thread.
//!
//! Explored builds count under the facade's own [`Mutex`](super::Mutex) and wait on its
//! [`Condvar`](super::Condvar), so loom and shuttle explore every take and give; each
//! operation's `then` runs under that lock, so that what it records (who holds a permit now) is
//! true at the moment it is recorded.
//!
//! The std build counts in one atomic word: taking a free permit, or giving one back while nobody
//! waits, is a single atomic instruction on one cache line, where a mutex and a condition
//! variable pass several lines between the cores (CPython 3.11's `Lock` is a POSIX semaphore,
//! one atomic word too). A taker that finds none free watches the count a moment (if spinning
//! pays, see `std_only/spin.rs`), then waits on that very word (a futex, through
//! `atomic-wait`), as a POSIX semaphore does; `then` runs after the count changed (in std it
//! records nothing).

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub(super) use super::std_only::Permits;
#[cfg(any(interleave_loom, interleave_shuttle))]
pub(super) use explored::Permits;

#[cfg(any(interleave_loom, interleave_shuttle))]
mod explored {
    use crate::sync::ledger::ResourceId;
    use crate::sync::{Condvar, Mutex};

    #[derive(Debug)]
    pub struct Permits {
        free: Mutex<usize>,
        given: Condvar,
    }

    impl Permits {
        #[track_caller]
        pub fn new(free: usize) -> Self {
            Permits {
                free: Mutex::new(free),
                given: Condvar::new(),
            }
        }

        /// Takes a permit, waiting (recorded as a wait on `on`) while none is free; `then` gets
        /// how many are left.
        pub fn take(&self, on: ResourceId, then: impl FnOnce(usize)) {
            let mut free = self.free.lock_unpoisoned();
            while *free == 0 {
                free = self.given.wait_on(on, free);
            }
            *free -= 1;
            then(*free);
        }

        /// Takes a permit, waiting at most `timeout` (see `Condvar::wait_timeout` for how the
        /// explorers time a wait out); `then` gets how many are left, or `None` if it timed out.
        pub fn take_timeout(
            &self,
            timeout: std::time::Duration,
            then: impl FnOnce(Option<usize>),
        ) -> bool {
            let free = self.free.lock_unpoisoned();
            let (mut free, result) = self
                .given
                .wait_timeout_while_unpoisoned(free, timeout, |f| *f == 0);
            let taken = !result.timed_out();
            if taken {
                *free -= 1;
            }
            then(taken.then_some(*free));
            taken
        }

        /// Takes a permit if one is free; `then` gets how many are left, or `None`.
        pub fn try_take(&self, then: impl FnOnce(Option<usize>)) -> bool {
            let mut free = self.free.lock_unpoisoned();
            let taken = *free > 0;
            if taken {
                *free -= 1;
            }
            then(taken.then_some(*free));
            taken
        }

        /// Gives a permit back, unless `limit` are free already, and wakes one taker; `then`
        /// gets how many are free now, or `None` if the permit was refused.
        pub fn give(&self, limit: usize, then: impl FnOnce(Option<usize>)) -> bool {
            let mut free = self.free.lock_unpoisoned();
            let given = *free < limit;
            if given {
                *free += 1;
            }
            then(given.then_some(*free));
            if given {
                self.given.notify_one();
            }
            given
        }

        pub fn free(&self) -> usize {
            *self.free.lock_unpoisoned()
        }
    }
}
