//! An execution's state as the primitives see it, in 64-bit fingerprints, for bounded mode's
//! state caching: two schedules that reach the same fingerprints have the same futures, so the
//! second need not be explored past that point.
//!
//! Each thread's fingerprint folds in everything it has seen: every touch of a resource with
//! that resource's fingerprint at the time, the numbers of the resources it made (the scheduler
//! adds how many scheduling points it passed), and, for a new thread, its parent's fingerprint at the spawn (its
//! closure). A thread's local state is a function of those (its code is deterministic), so equal
//! fingerprints mean equal local states. Each resource's fingerprint folds in, at every touch
//! that may change it, the toucher's fingerprint: the content is a function of who changed it
//! from what. Where a primitive knows a resource's whole content (a shared number just read or
//! written), the fingerprint becomes that value alone, forgetting how it came about: that is
//! where different orders of the same updates meet. A finished thread whose result carries
//! nothing (a `()`) is forgotten too.
//!
//! What this cannot see, it cannot compare: state outside the facade's primitives (a ghost
//! counter on std's atomics, data behind an `UnsafeCell` guarded by a facade atomic, a `static`)
//! must not matter to the outcome, which is why state caching is asked for, never the default.

use std::hash::{DefaultHasher, Hash, Hasher};

/// A finished thread, and a finished thread's result that carries nothing.
pub const FINISHED: u64 = 0x5EED_F1E1_D0E5_0001;

fn mix(parts: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// What a touch does, as far as fingerprints go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// The thread asks for the resource and will see it when it gets it (about to wait, a new
    /// resource's number): it learns nothing yet.
    Asks,
    /// The thread sees what the resource holds.
    Sees,
    /// The thread sees it and may change it.
    Changes,
}

/// A thread with fingerprint `history` touched resource `res` holding `content`.
pub fn seen(history: u64, res: usize, content: u64, effect: Effect) -> u64 {
    mix(&[1, history, res as u64, content, effect as u64])
}

/// A resource holding `content` changed by a thread whose fingerprint is now `history`.
pub fn changed(content: u64, history: u64) -> u64 {
    mix(&[2, content, history])
}

/// A resource whose whole content is the value `shown`.
pub fn value(shown: &dyn std::fmt::Display) -> u64 {
    let mut h = DefaultHasher::new();
    4u64.hash(&mut h);
    shown.to_string().hash(&mut h);
    h.finish()
}

/// The whole state: each thread's fingerprint by the number of the resource that stands for it
/// (sorted), then each resource's in order.
#[cfg(interleave_shuttle)]
pub fn state(threads: &[(usize, u64)], contents: impl Iterator<Item = u64>) -> u64 {
    let mut h = DefaultHasher::new();
    threads.hash(&mut h);
    for c in contents {
        c.hash(&mut h);
    }
    h.finish()
}
