//! The std build's count of permits for `Lock` and `Semaphore`: one atomic word that takers wait
//! on (a futex, through `atomic-wait`), as a POSIX semaphore's; see `sync/permits.rs` for the
//! contract the explored builds' version shares.

use super::spin;
use crate::cache_padded::CachePadded;
use crate::sync::ledger::ResourceId;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Permits {
    /// Free permits: the word takers wait on (a futex on Linux), as a POSIX semaphore's.
    free: CachePadded<AtomicU32>,
    /// Takers about to wait or waiting: a giver makes the system call only when there are.
    waiting: CachePadded<AtomicU32>,
}

impl Permits {
    #[track_caller]
    pub fn new(free: usize) -> Self {
        Permits {
            free: CachePadded::new(AtomicU32::new(count(free))),
            waiting: CachePadded::new(AtomicU32::new(0)),
        }
    }

    pub fn take(&self, _on: ResourceId, then: impl FnOnce(usize)) {
        // A look at an empty count writes nothing (`grab` gives up before its exchange).
        let mut left = None;
        if !spin::spin_until(|| {
            left = self.grab();
            left.is_some()
        }) {
            // Why no give is missed: a taker counts itself as waiting, then looks at the
            // count; a giver raises the count, then looks at the waiters; all four are
            // sequentially consistent, so either the taker sees the permit or the giver
            // sees the taker and wakes it. A wake that comes between the taker's look and
            // its wait is not lost either: the wait returns at once unless the count is
            // still 0.
            self.waiting.fetch_add(1, Ordering::SeqCst);
            left = loop {
                if let Some(left) = self.grab() {
                    break Some(left);
                }
                atomic_wait::wait(&self.free, 0);
            };
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        then(left.expect("a permit was taken"));
    }

    /// Takes a permit, waiting at most `timeout`; `then` gets how many are left, or `None`.
    pub fn take_timeout(
        &self,
        timeout: std::time::Duration,
        then: impl FnOnce(Option<usize>),
    ) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        let mut left = self.grab();
        if left.is_none() {
            // As in `take`: counted as waiting before the look that precedes each sleep.
            self.waiting.fetch_add(1, Ordering::SeqCst);
            loop {
                left = self.grab();
                let now = std::time::Instant::now();
                if left.is_some() || now >= deadline {
                    break;
                }
                super::futex_timeout::wait(&self.free, 0, deadline - now);
            }
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        then(left);
        left.is_some()
    }

    pub fn try_take(&self, then: impl FnOnce(Option<usize>)) -> bool {
        let left = self.grab();
        then(left);
        left.is_some()
    }

    pub fn give(&self, limit: usize, then: impl FnOnce(Option<usize>)) -> bool {
        let limit = count(limit);
        let given = self
            .free
            .fetch_update(Ordering::SeqCst, Ordering::Relaxed, |free| {
                (free < limit).then_some(free + 1)
            })
            .ok()
            .map(|before| before as usize + 1);
        then(given);
        if given.is_some() && self.waiting.load(Ordering::SeqCst) > 0 {
            atomic_wait::wake_one(&*self.free);
        }
        given.is_some()
    }

    pub fn free(&self) -> usize {
        self.free.load(Ordering::SeqCst) as usize
    }

    /// Takes a free permit, if there is one; returns how many are left.
    fn grab(&self) -> Option<usize> {
        self.free
            .fetch_update(Ordering::SeqCst, Ordering::Relaxed, |free| {
                free.checked_sub(1)
            })
            .ok()
            .map(|before| before as usize - 1)
    }
}

/// A count of permits as the futex word holds it (more than 4 billion permits is as good as
/// unbounded).
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl std::fmt::Debug for Permits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Permits")
            .field("free", &self.free())
            .finish_non_exhaustive()
    }
}
