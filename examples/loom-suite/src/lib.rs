//! A counter shared by threads, written against loom's types under `--cfg loom` and std's
//! otherwise, as a crate with a loom suite writes it.

#[cfg(loom)]
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
#[cfg(not(loom))]
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Hits counted by several threads.
#[derive(Default)]
pub struct Hits(AtomicUsize);

impl Hits {
    /// One more hit, counted whatever the others do.
    pub fn hit(&self) {
        self.0.fetch_add(1, SeqCst);
    }

    /// One more hit, counted by reading then writing: two at once may count one.
    pub fn hit_racily(&self) {
        let seen = self.0.load(SeqCst);
        self.0.store(seen + 1, SeqCst);
    }

    pub fn count(&self) -> usize {
        self.0.load(SeqCst)
    }
}
