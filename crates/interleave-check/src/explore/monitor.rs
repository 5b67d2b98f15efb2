//! Mid-run invariants of critical sections: who is inside which section right now.
//!
//! Each actor's "inside" flag is an atomic of the facade, so in the explored builds entering and
//! leaving a section are schedule points: the explorer can stop an actor inside its section and
//! run another one into its own, so any overlap the program allows is reachable (a philosopher who
//! takes no fork is caught eating beside a neighbour). The flags are sequentially consistent: on
//! real threads too, of two overlapping entrants at least one sees the other (as in Dekker's
//! algorithm). How many times each actor entered is ghost state, kept where no explorer looks.

use super::invariant;
use crate::cache_padded::CachePadded;
use crate::sync::atomic::{AtomicBool, Ordering};
use std::sync::atomic::AtomicUsize;

/// Which of `n` actors are inside a section that some of them must not share.
pub struct Monitor {
    invariant: &'static str,
    /// One cache line per actor: on real threads, an actor's entries then disturb only the
    /// neighbours that look at it, not every actor of the monitor.
    actors: Vec<CachePadded<Actor>>,
    names: Vec<String>,
}

struct Actor {
    inside: AtomicBool,
    entries: AtomicUsize,
}

impl Monitor {
    /// A monitor of the invariant called `invariant` over actors with these names, inside a
    /// section that traces call by the actor's name and `section` ("Kant eating").
    pub fn new(invariant: &'static str, section: &str, names: Vec<String>) -> Self {
        Monitor {
            invariant,
            actors: names
                .iter()
                .map(|name| {
                    CachePadded::new(Actor {
                        inside: AtomicBool::named(&format!("{name} {section}"), false),
                        entries: AtomicUsize::new(0),
                    })
                })
                .collect(),
            names,
        }
    }

    /// Actor `who` enters; the invariant breaks if any of `excluded` is inside.
    pub fn enter(&self, who: usize, excluded: &[usize]) {
        let me = &self.actors[who];
        me.inside.store(true, Ordering::SeqCst);
        me.entries
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
        self.actors[who]
            .entries
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}
