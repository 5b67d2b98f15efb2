//! Bounded mode's state caching (`Check::state_caching`): the states reached at scheduling
//! points so far, and whether a visit is covered by an earlier one. The fingerprints come from
//! the ledger (`sync/ledger/fingerprint.rs`) and the scheduler (`bounded.rs`).

use super::bounded::Footprint;
use super::tally::lock;
use std::collections::HashMap;
use std::sync::Mutex;

/// The states reached at scheduling points so far, by their fingerprint (the ledger's, with the
/// scheduler's own: who runs, who waits after a yield): a schedule that reaches one again with
/// no more preemptions spent and at least the same threads asleep has nothing new below it.
/// Each visit keeps its place in depth-first order (its choices), and prunes only schedules
/// after it in that order: workers then explore what one worker would, and maybe more, never
/// less, and report the same first failure.
pub(super) struct Visits {
    by_state: Mutex<HashMap<u64, Vec<Visit>>>,
    /// The control's fingerprint, blind to what the threads have seen (wrong: the tests must
    /// notice).
    forget_threads: bool,
}

/// Choice points past which no state is cached: past them only long runs go (a livelock's), and
/// keeping every visit would cost more than it saves.
pub(super) const MAX_CACHED_DEPTH: usize = 256;

/// One state's visit: where it came in depth-first order, preemptions spent, threads asleep.
pub(super) struct Visit {
    pub choices: Box<[usize]>,
    pub spent: usize,
    pub asleep: Vec<(usize, Footprint)>,
}

impl Visits {
    pub fn new(forget_threads: bool) -> Visits {
        Visits {
            by_state: Mutex::default(),
            forget_threads,
        }
    }

    /// Whether the fingerprint is the control's, blind to the threads.
    pub fn forget_threads(&self) -> bool {
        self.forget_threads
    }

    /// Whether an earlier schedule covered this state's future; if not, records this visit.
    pub fn covered(&self, state: u64, visit: Visit) -> bool {
        let mut by_state = lock(&self.by_state);
        let visits = by_state.entry(state).or_default();
        let covers = |v: &Visit| {
            v.choices < visit.choices
                && v.spent <= visit.spent
                && v.asleep.iter().all(|a| visit.asleep.contains(a))
        };
        if visits.iter().any(covers) {
            return true;
        }
        if !visits.iter().any(|v| v.choices == visit.choices) {
            visits.push(visit);
        }
        false
    }
}
