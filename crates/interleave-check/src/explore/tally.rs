//! What the executions of one exploration add up to: the figure each backend's closure updates
//! as it runs the checked code, execution after execution.

use super::progress::Meter;
use super::{Body, Failure, Outcome};
use crate::sync::ledger;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
pub(crate) struct Tally {
    /// The check's count for its watcher, if it has one.
    pub meter: Option<Arc<Meter>>,
    /// Whether the checked code's condition variables may wake spuriously.
    pub spurious_wakeups: bool,
    /// Executions started.
    pub executions: AtomicUsize,
    /// Executions that ran to their end.
    pub complete: AtomicUsize,
    /// The most threads one execution ran.
    pub threads: AtomicUsize,
    /// The most spin-loop turns one execution took.
    pub spins: AtomicUsize,
    /// Orderings weaker than `SeqCst` the code used, in a build that runs them as `SeqCst`.
    pub weak_orderings: Mutex<BTreeSet<&'static str>>,
    /// Every final state reached.
    pub outcomes: Mutex<BTreeSet<Outcome>>,
    /// The first wrong final state: the explorers record it and go on looking for a worse
    /// verdict (a stuck run or a broken invariant outranks a lost update).
    pub lost: Mutex<Option<Failure>>,
}

impl Tally {
    /// The tally of one check's exploration.
    pub fn of(check: &super::Check) -> Tally {
        Tally {
            meter: check.meter.clone(),
            spurious_wakeups: check.spurious_wakeups,
            ..Tally::default()
        }
    }

    /// Runs one execution of `body` and counts it.
    pub fn execute(&self, body: &Body) {
        ledger::reset();
        ledger::allow_spurious_wakeups(self.spurious_wakeups);
        let _orderings = GatherOrderings(self);
        let n = self.executions.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(meter) = &self.meter {
            meter.count();
        }
        let (outcome, verdict) = body();
        lock(&self.outcomes).insert(outcome);
        self.complete.fetch_add(1, Ordering::Relaxed);
        self.threads
            .fetch_max(ledger::thread_count(), Ordering::Relaxed);
        self.spins
            .fetch_max(ledger::spin_count(), Ordering::Relaxed);

        if let Err(message) = verdict {
            lock(&self.lost).get_or_insert_with(|| Failure {
                found_in: Some(n),
                ..Failure::lost_update(message)
            });
        }
    }

    pub fn executions(&self) -> usize {
        self.executions.load(Ordering::Relaxed)
    }

    pub fn take_outcomes(&self) -> BTreeSet<Outcome> {
        std::mem::take(&mut *lock(&self.outcomes))
    }

    pub fn take_lost(&self) -> Option<Failure> {
        lock(&self.lost).take()
    }
}

/// At the end of an execution, failed or not: the weak orderings it used.
struct GatherOrderings<'a>(&'a Tally);

impl Drop for GatherOrderings<'_> {
    fn drop(&mut self) {
        let weak = ledger::weak_orderings();
        if !weak.is_empty() {
            lock(&self.0.weak_orderings).extend(weak);
        }
    }
}

/// A lock that a panicking execution may have poisoned: the figures stay good.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
