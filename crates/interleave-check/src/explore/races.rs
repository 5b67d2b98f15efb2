//! The races of one execution, for dynamic partial-order reduction (bounded mode's
//! [`Reduction::Dpor`]): its events, from one scheduling decision to the next, each with what it
//! touched and a vector clock of what happens before it; and, as each event ends, the races it
//! closes — an earlier event of another thread that touched what it touches, with no chain of
//! such touches between them — each answered by the choice it asks an earlier decision to try:
//! source-set DPOR (Abdulla, Aronis, Jonsson, Sagonas, POPL'14), the threads that could run first
//! in the race's reversal (its *initials*). Under a preemption bound the reversal may cost a
//! preemption the bound refuses, so each race also asks the decision where the block before it
//! began (bounded POR's conservative point: Coons, Musuvathi, McKinley, OOPSLA'13, as DejaFu
//! does it), where running the other thread first costs no preemption more.

use super::bounded::Footprint;
use super::check::Reduction;

/// One event: a thread's run from a scheduling decision to the next one that could switch.
struct Event {
    thread: usize,
    /// The choice point before it, if the decision there had options.
    branch: Option<usize>,
    footprint: Footprint,
    /// Its place among its thread's events, from 1.
    seq: u32,
    /// For each thread, how many of its events happen before this one (this one included).
    clock: Vec<u32>,
}

impl Event {
    /// Whether `self` happens before an event whose clock is `clock`.
    fn before(&self, clock: &[u32]) -> bool {
        clock.get(self.thread).is_some_and(|&c| c >= self.seq)
    }
}

/// What a race asks: that one of `initials` runs at the choice point before its first event
/// (`at`), and, under a bound, at the one where the block before that event began
/// (`conservative`).
#[derive(Debug)]
pub(super) struct Request {
    pub at: Option<usize>,
    pub conservative: Option<usize>,
    pub initials: Vec<usize>,
}

/// The events of the execution in progress.
#[derive(Default)]
pub(super) struct Races {
    events: Vec<Event>,
    /// Each thread's last event.
    last: Vec<Option<usize>>,
    /// For each thread, the event during which it was spawned (it could not run before that).
    born: Vec<Option<usize>>,
}

impl Races {
    /// Notes that `thread` exists from now on: the event still to be recorded spawned it.
    pub fn saw(&mut self, thread: usize) {
        if self.born.len() <= thread {
            self.born.resize(thread + 1, None);
        }
        if self.born[thread].is_none() {
            self.born[thread] = Some(self.events.len());
        }
    }

    /// Records `thread`'s event after the choice point `branch` (if any), which touched
    /// `footprint`: the requests of the races it closes.
    pub fn record(
        &mut self,
        thread: usize,
        branch: Option<usize>,
        footprint: Footprint,
        reduction: Reduction,
        bounded: bool,
    ) -> Vec<Request> {
        let previous = self.last.get(thread).copied().flatten();
        let mut clock = previous.map_or_else(Vec::new, |e| self.events[e].clock.clone());
        let seq = previous.map_or(1, |e| self.events[e].seq + 1);
        let born = self.born.get(thread).copied().flatten();
        let mut requests = Vec::new();
        // Latest first: an earlier event that happens before a later one it races with is
        // ordered through it, and is no race of its own.
        for i in (0..self.events.len()).rev() {
            let other = &self.events[i];
            if other.thread == thread
                || other.before(&clock)
                || !other.footprint.conflicts(&footprint, reduction)
            {
                continue;
            }
            // The event that spawned this thread cannot come after it: no race to reverse.
            if born != Some(i) {
                requests.push(Request {
                    at: self.events[i].branch,
                    conservative: self.conservative(i, reduction, bounded),
                    initials: self.initials(i, thread, &clock),
                });
            }
            let other = &self.events[i].clock;
            if clock.len() < other.len() {
                clock.resize(other.len(), 0);
            }
            for (c, o) in clock.iter_mut().zip(other) {
                *c = (*c).max(*o);
            }
        }
        if clock.len() <= thread {
            clock.resize(thread + 1, 0);
        }
        clock[thread] = seq;
        if self.last.len() <= thread {
            self.last.resize(thread + 1, None);
        }
        self.last[thread] = Some(self.events.len());
        self.events.push(Event {
            thread,
            branch,
            footprint,
            seq,
            clock,
        });
        requests
    }

    /// A fingerprint of the execution's Mazurkiewicz trace: which events each thread took, and
    /// which events of every thread happen before each — the same for every execution that
    /// only reorders independent events.
    pub fn trace(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut order: Vec<&Event> = self.events.iter().collect();
        order.sort_by_key(|e| (e.thread, e.seq));
        let mut h = std::hash::DefaultHasher::new();
        for e in order {
            let clock = &e.clock[..e.clock.iter().rposition(|&c| c > 0).map_or(0, |i| i + 1)];
            (e.thread, e.seq, clock).hash(&mut h);
        }
        h.finish()
    }

    /// Bounded POR's conservative point for a race with the event `i`: the choice point where
    /// the block of the event before it began (the latest switch of threads before it) — under
    /// a bound, unless the reduction is the control that leaves it out.
    fn conservative(&self, i: usize, reduction: Reduction, bounded: bool) -> Option<usize> {
        if !bounded || reduction == Reduction::DporAtTheRaceOnly || i == 0 {
            return None;
        }
        let thread = self.events[i - 1].thread;
        let start = (0..i)
            .rev()
            .take_while(|&k| self.events[k].thread == thread)
            .last()
            .unwrap_or(i - 1);
        self.events[start]
            .branch
            .filter(|&b| Some(b) != self.events[i].branch)
    }

    /// The threads that could run first in the reversal of the race between event `i` and the
    /// event of `thread` about to be recorded (whose clock, without event `i`, is `clock`): the
    /// events after `i` that do not happen after it, then that event; a thread is an initial if
    /// its first event there has nothing of those before it.
    fn initials(&self, i: usize, thread: usize, clock: &[u32]) -> Vec<usize> {
        let racer = &self.events[i];
        // Each thread's first event among those after `i` that do not happen after it.
        let mut first: Vec<Option<usize>> = Vec::new();
        for k in i + 1..self.events.len() {
            let e = &self.events[k];
            if racer.before(&e.clock) {
                continue;
            }
            if first.len() <= e.thread {
                first.resize(e.thread + 1, None);
            }
            first[e.thread].get_or_insert(k);
        }
        let after = |t: usize, clock: &[u32]| {
            first
                .iter()
                .enumerate()
                .any(|(u, f)| u != t && f.is_some_and(|k| self.events[k].before(clock)))
        };
        // The racing thread first, where it is one: the reversal itself.
        let has_events = first.get(thread).is_some_and(Option::is_some);
        let mut initials: Vec<usize> = Vec::new();
        if !has_events && !after(thread, clock) {
            initials.push(thread);
        }
        initials.extend(
            first
                .iter()
                .enumerate()
                .filter_map(|(t, f)| Some((t, (*f)?)))
                .filter(|&(t, k)| !after(t, &self.events[k].clock))
                .map(|(t, _)| t),
        );
        initials
    }
}
