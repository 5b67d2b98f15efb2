//! Ghost state for mid-run invariants: who is inside which critical section right now.
//!
//! A monitor watches the model without being part of it: its flags are plain std atomics, which
//! loom and shuttle do not see, so checking an invariant adds no schedule point and cannot change
//! what is explored. (Both explorers run every model thread on one OS thread, so the monitor's
//! view is exact; on real threads its sequentially consistent flags still catch any overlap, as
//! in Dekker's algorithm: of two overlapping entrants, at least one sees the other.)

use super::invariant;
use crossbeam_utils::CachePadded;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Which of `n` actors are inside a section that some of them must not share.
pub struct Monitor {
    invariant: &'static str,
    /// One cache line per actor: on real threads, an actor's entries then disturb only the
    /// neighbours that look at it, not every actor of the monitor.
    actors: Vec<CachePadded<Actor>>,
    names: Vec<String>,
}

#[derive(Default)]
struct Actor {
    inside: AtomicBool,
    entries: AtomicUsize,
}

impl Monitor {
    /// A monitor of the invariant called `invariant` over actors with these names.
    pub fn new(invariant: &'static str, names: Vec<String>) -> Self {
        Monitor {
            invariant,
            actors: names.iter().map(|_| CachePadded::default()).collect(),
            names,
        }
    }

    /// Actor `who` enters; the invariant breaks if any of `excluded` is inside.
    pub fn enter(&self, who: usize, excluded: &[usize]) {
        let me = &self.actors[who];
        me.inside.store(true, Ordering::SeqCst);
        me.entries.fetch_add(1, Ordering::SeqCst);
        if let Some(&other) = excluded
            .iter()
            .find(|&&o| self.actors[o].inside.load(Ordering::SeqCst))
        {
            invariant(
                self.invariant,
                format!("{} and {} at once", self.names[who], self.names[other]),
            );
        }
    }

    /// Actor `who` leaves.
    pub fn leave(&self, who: usize) {
        self.actors[who].inside.store(false, Ordering::SeqCst);
    }

    /// How many times actor `who` has entered.
    pub fn entries(&self, who: usize) -> usize {
        self.actors[who].entries.load(Ordering::SeqCst)
    }
}
