//! Exhaustive exploration past loom (shuttle builds): every schedule with at most b preemptions,
//! counted as CHESS counts them — a switch away from a thread that could have gone on (a thread
//! that blocks, ends or yields is not preempted) — deepening b from 0, as exhaustive mode does.
//! It runs on shuttle's scheduler interface, which has no thread limit: loom explores 4 spawned
//! threads at most. A schedule is a list of choices at the points where several threads could
//! run; after its prefix of choices, an execution goes on without preempting (the running thread
//! keeps running; a yield passes to the next thread). Each execution's choice points are kept,
//! and the next schedule is found by depth-first backtracking: the deepest choice point with an
//! untried option that the bound still allows.

use super::check::Reduction;
use super::randomized::{is_lost_update, run, share, task_numbered, task_numbers, Run};
use super::tally::lock;
use super::{Body, Check, Coverage, Report, Stats};
use crate::sync::ledger;
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What one step of a thread (from one choice point to its next) touched, as the primitives
/// recorded it: some resources, or anything at all when they recorded nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Footprint {
    Anything,
    /// Each resource once, with whether the step may have changed it.
    Resources(Vec<(usize, bool)>),
}

impl Footprint {
    /// Whether running the two steps in either order could end differently.
    fn conflicts(&self, other: &Footprint, reduction: Reduction) -> bool {
        match (reduction, self, other) {
            (Reduction::None, _, _) => true,
            (Reduction::EverythingCommutes, _, _) => false,
            (_, Footprint::Anything, _) | (_, _, Footprint::Anything) => true,
            (_, Footprint::Resources(a), Footprint::Resources(b)) => a.iter().any(|&(r, w)| {
                b.iter()
                    .any(|&(other, other_w)| other == r && (w || other_w))
            }),
        }
    }
}

/// An option of a choice point that an execution has taken, and what its step did.
#[derive(Clone, Debug)]
struct Seen {
    thread: usize,
    footprint: Footprint,
    /// Whether the step left the thread unable to go on (blocked or ended).
    stops: bool,
}

/// One point where several threads could run.
#[derive(Clone, Debug)]
struct Branch {
    /// The threads that could run and are not asleep, in the order they are tried: the one that
    /// goes on without a preemption first, where there is one.
    options: Vec<usize>,
    /// Which option this execution took.
    taken: usize,
    /// The running thread, when it could go on (not blocked, ended or yielding): switching away
    /// from it here is a preemption.
    goes_on: Option<usize>,
    /// The options taken here so far, by this execution and the ones before it.
    seen: Vec<Seen>,
}

impl Branch {
    /// Preemptions spent by taking option `k`.
    fn cost(&self, k: usize) -> usize {
        usize::from(self.goes_on.is_some_and(|c| self.options[k] != c))
    }
}

/// A choice the next execution makes at one of its first choice points.
#[derive(Clone, Debug)]
struct Choice {
    thread: usize,
    /// The options taken there by earlier executions.
    seen: Vec<Seen>,
}

/// The choices an execution made at `branches`, as the prefix of another.
fn taken(branches: &[Branch]) -> Vec<Choice> {
    branches
        .iter()
        .map(|b| Choice {
            thread: b.options[b.taken],
            seen: b.seen.clone(),
        })
        .collect()
}

/// Depth-first over the schedules within `bound` preemptions, with sleep sets: once an option of
/// a choice point has been explored, the later options explore with that thread asleep — not
/// run until some thread touches what its step touches, since running it earlier would only
/// reorder independent steps into a schedule already explored.
///
/// Sleep sets and a preemption bound do not mix freely: the schedule a skipped one reorders into
/// may cost one preemption more (a thread moved ahead of others is preempted after its step), and
/// then lie past the bound, so that the bound's coverage would have holes. A thread sleeps only
/// where the reordering costs no more: when it is the thread that goes on without a preemption,
/// or when its step blocked or ended it (then nobody is preempted after it).
struct Dfs {
    bound: usize,
    reduction: Reduction,
    /// The choices the next execution makes first.
    prefix: Vec<Choice>,
    /// The branches of the execution in progress.
    branches: Arc<Mutex<Vec<Branch>>>,
    started: bool,
    /// Set when every schedule within the bound has run.
    exhausted: Arc<AtomicBool>,
    /// Backtracking stays at or below this choice point: the ones above are a subtree's prefix.
    floor: usize,
    /// When splitting the tree: backtracking stays above this choice point, and each execution's
    /// choices above it are kept here, one subtree's prefix each.
    split: Option<(usize, Arc<Mutex<Vec<Vec<Choice>>>>)>,
    now: Execution,
}

/// The execution in progress, as the scheduler follows it.
#[derive(Default)]
struct Execution {
    /// The thread running since the last choice point, where its touches start, and the branch
    /// whose option it took, if any.
    running: Option<(usize, usize, Option<usize>)>,
    /// Each thread's touches in its previous step: a primitive may record an operation just
    /// before the scheduling point that precedes it (an unlock, a wait), so a step also counts
    /// what its thread recorded in the step before.
    previous: HashMap<usize, Vec<(usize, bool)>>,
    /// Sleeping threads and what their next step touches.
    asleep: Vec<(usize, Footprint)>,
    /// Every runnable thread fell asleep: the rest is a reordering of an explored schedule.
    redundant: bool,
}

impl Dfs {
    fn new(bound: usize, reduction: Reduction) -> Dfs {
        Dfs {
            bound,
            reduction,
            prefix: Vec::new(),
            branches: Arc::new(Mutex::new(Vec::new())),
            started: false,
            exhausted: Arc::new(AtomicBool::new(false)),
            floor: 0,
            split: None,
            now: Execution::default(),
        }
    }

    /// The subtree of the schedules that start with `prefix`.
    fn below(bound: usize, reduction: Reduction, prefix: Vec<Choice>) -> Dfs {
        Dfs {
            floor: prefix.len(),
            prefix,
            ..Dfs::new(bound, reduction)
        }
    }

    /// The top of the tree, down to `depth` choice points, each execution's choices kept in
    /// `prefixes`.
    fn top(
        bound: usize,
        reduction: Reduction,
        depth: usize,
        prefixes: Arc<Mutex<Vec<Vec<Choice>>>>,
    ) -> Dfs {
        Dfs {
            split: Some((depth, prefixes)),
            ..Dfs::new(bound, reduction)
        }
    }

    /// The next prefix after the execution whose branches are `done`, if any is left.
    fn next_prefix(&self, done: &[Branch]) -> Option<Vec<Choice>> {
        let mut spent: Vec<usize> = Vec::with_capacity(done.len() + 1);
        spent.push(0);
        for b in done {
            spent.push(spent.last().unwrap() + b.cost(b.taken));
        }
        let top = self.split.as_ref().map_or(done.len(), |(depth, _)| *depth);
        (self.floor..done.len().min(top)).rev().find_map(|i| {
            let b = &done[i];
            let k = (b.taken + 1..b.options.len()).find(|&k| spent[i] + b.cost(k) <= self.bound)?;
            let mut prefix = taken(&done[..i]);
            prefix.push(Choice {
                thread: b.options[k],
                seen: b.seen.clone(),
            });
            Some(prefix)
        })
    }

    /// Ends the running thread's step (the threads that can run now are `runnable`): what it
    /// touched wakes the sleepers it conflicts with.
    fn end_step(&mut self, runnable: &[usize]) {
        let Some((thread, start, branch)) = self.now.running.take() else {
            return;
        };
        let own = ledger::touched_since(start);
        let before = self.now.previous.insert(thread, own.clone());
        let mut all = before.unwrap_or_default();
        all.extend(own);
        let footprint = if all.is_empty() {
            Footprint::Anything
        } else {
            // One entry per resource, a change if any touch was one.
            all.sort_unstable_by_key(|&(r, w)| (r, std::cmp::Reverse(w)));
            all.dedup_by_key(|&mut (r, _)| r);
            Footprint::Resources(all)
        };
        if let Some(i) = branch {
            if let Some(b) = lock(&self.branches).get_mut(i) {
                if !b.seen.iter().any(|s| s.thread == thread) {
                    b.seen.push(Seen {
                        thread,
                        footprint: footprint.clone(),
                        stops: !runnable.contains(&thread),
                    });
                }
            }
        }
        let reduction = self.reduction;
        self.now
            .asleep
            .retain(|(t, f)| *t != thread && !f.conflicts(&footprint, reduction));
    }

    /// The thread to run next among `ids`, recording the choice point if there is one; the
    /// branch it is an option of, if it is one.
    fn choose(
        &mut self,
        ids: &[usize],
        current: Option<usize>,
        is_yielding: bool,
    ) -> (usize, Option<usize>) {
        let goes_on = current.filter(|c| ids.contains(c) && !is_yielding);
        // Without a preemption: the running thread goes on; after a yield (or when it cannot go
        // on), the next thread after it in creation order.
        let in_order: Vec<usize> = match goes_on {
            Some(c) => std::iter::once(c)
                .chain(ids.iter().copied().filter(|&i| i != c))
                .collect(),
            None => {
                let after = current.unwrap_or(0);
                let mut rest: Vec<usize> = ids.iter().copied().filter(|&i| i > after).collect();
                rest.extend(ids.iter().copied().filter(|&i| i <= after));
                rest
            }
        };
        if self.now.redundant {
            return (in_order[0], None);
        }
        let options: Vec<usize> = in_order
            .iter()
            .copied()
            .filter(|t| !self.now.asleep.iter().any(|(s, _)| s == t))
            .collect();
        if options.is_empty() {
            // Every thread that could run is asleep: whatever follows reorders independent steps
            // of a schedule already explored.
            self.now.redundant = true;
            return (in_order[0], None);
        }
        if options.len() == 1 {
            return (options[0], None);
        }
        let mut branches = lock(&self.branches);
        let i = branches.len();
        let planned = self.prefix.get(i);
        let taken = planned
            .and_then(|p| options.iter().position(|&o| o == p.thread))
            .unwrap_or(0);
        let seen = planned.map(|p| p.seen.clone()).unwrap_or_default();
        let chosen = options[taken];
        for s in &seen {
            let costs_no_more = goes_on == Some(s.thread) || s.stops;
            let textbook = self.reduction == Reduction::TextbookSleepSets;
            if s.thread != chosen && (costs_no_more || textbook) {
                self.now.asleep.push((s.thread, s.footprint.clone()));
            }
        }
        branches.push(Branch {
            options,
            taken,
            goes_on,
            seen,
        });
        (chosen, Some(i))
    }
}

impl Scheduler for Dfs {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started {
            let done = std::mem::take(&mut *lock(&self.branches));
            if let Some((depth, prefixes)) = &self.split {
                lock(prefixes).push(taken(&done[..done.len().min(*depth)]));
            }
            match self.next_prefix(&done) {
                Some(prefix) => self.prefix = prefix,
                None => {
                    self.exhausted.store(true, Ordering::SeqCst);
                    return None;
                }
            }
        }
        self.started = true;
        self.now = Execution::default();
        // The touches of the execution to come start from nothing.
        ledger::reset();
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let ids = task_numbers(runnable);
        self.end_step(&ids);
        let (chosen, branch) = self.choose(&ids, current.map(usize::from), is_yielding);
        self.now.running = Some((chosen, ledger::touch_count(), branch));
        task_numbered(runnable, chosen)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

pub(super) fn explore(check: &Check, body: &Body) -> Report {
    let start = Instant::now();
    let deadline = check.time_limit.map(|t| start + t);
    let max = check.preemptions;
    let first = if check.no_deepening { max } else { 0 };
    let mut all = Run {
        failure: None,
        executions: 0,
        outcomes: BTreeSet::new(),
        stats: Stats::default(),
    };
    let mut lost = None;
    let mut coverage = Coverage::Exhaustive { preemptions: max };
    let mut explored = first;
    for bound in first..=max {
        explored = bound;
        if let Some(meter) = &check.meter {
            meter.at_bound(bound);
        }
        let (mut r, exhausted) = explore_bound(bound, check, body, deadline);
        let failure = r.failure.take();
        all.executions += r.executions;
        all.outcomes.extend(std::mem::take(&mut r.outcomes));
        all.stats.complete += r.stats.complete;
        all.stats.threads = all.stats.threads.max(r.stats.threads);
        all.stats.steps = all.stats.steps.max(r.stats.steps);
        all.stats.spins = all.stats.spins.max(r.stats.spins);
        match failure {
            Some(f) if !is_lost_update(&f) => {
                coverage = Coverage::Exhaustive { preemptions: bound };
                all.failure = Some(f);
                break;
            }
            Some(f) if lost.is_none() => {
                coverage = Coverage::Exhaustive { preemptions: bound };
                lost = Some(f);
            }
            _ => {}
        }
        if !exhausted {
            coverage = Coverage::Incomplete(format!(
                "the time limit ran out at preemption bound {bound} after {} executions",
                r.executions
            ));
            break;
        }
    }
    let failure = all.failure.or(lost);
    if failure.is_none() && !matches!(coverage, Coverage::Incomplete(_)) {
        coverage = Coverage::Exhaustive {
            preemptions: explored,
        };
    }
    Report {
        subject: check.subject.clone(),
        mode: check.mode,
        failure: failure.map(|mut f| {
            f.found_in = None;
            f
        }),
        coverage,
        executions: all.executions,
        outcomes: all.outcomes,
        elapsed: start.elapsed(),
        stats: Stats {
            bound_explored: Some(explored),
            ..all.stats
        },
    }
}

/// Every schedule within `bound`: the run, and whether it went through them all. With several
/// workers, the tree is split into subtrees by the choices made at its first choice points, which
/// the workers explore in the order one worker would; the first failure in that order is the
/// one reported, whatever the number of workers.
fn explore_bound(
    bound: usize,
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
) -> (Run, bool) {
    let one = || {
        let dfs = Dfs::new(bound, check.reduction);
        let exhausted = dfs.exhausted.clone();
        let r = run(dfs, check, body, None, deadline);
        (r, exhausted.load(Ordering::SeqCst))
    };
    if check.workers <= 1 {
        return one();
    }
    let split = subtrees(bound, check, body, deadline);
    if std::env::var("DFS_DEBUG").is_ok() {
        eprintln!(
            "DEBUG bound {bound}: {:?} subtrees",
            split.as_ref().map(Vec::len)
        );
    }
    let Some(prefixes) = split else {
        // The time ran out while splitting.
        return one();
    };
    let exhausted: Vec<Arc<AtomicBool>> = prefixes
        .iter()
        .map(|_| Arc::new(AtomicBool::new(false)))
        .collect();
    let (done, stop_at) = share(
        prefixes.len(),
        check.workers,
        deadline,
        |f| !is_lost_update(f),
        |i, stop| {
            let mut dfs = Dfs::below(bound, check.reduction, prefixes[i].clone());
            dfs.exhausted = exhausted[i].clone();
            run(dfs, check, body, Some(stop), deadline)
        },
    );
    let mut merged = Run {
        failure: None,
        executions: 0,
        outcomes: BTreeSet::new(),
        stats: Stats::default(),
    };
    let mut first_lost = None;
    for (i, r) in done {
        match merged.add_counts(r) {
            Some(f) if i <= stop_at && !is_lost_update(&f) && merged.failure.is_none() => {
                merged.failure = Some(f);
            }
            Some(f) if i <= stop_at && is_lost_update(&f) && first_lost.is_none() => {
                first_lost = Some(f);
            }
            _ => {}
        }
    }
    merged.failure = merged.failure.or(first_lost);
    let all_done = exhausted.iter().all(|e| e.load(Ordering::SeqCst));
    (merged, all_done)
}

/// The prefixes of the subtrees the workers share, in depth-first order: the choices at the top
/// `d` choice points of every schedule within the bound, `d` growing until there are a few
/// subtrees per worker. An execution of the top that gets stuck or breaks an invariant is the
/// first of its subtree, the last one that matters (the first failure in depth-first order is in
/// it or before it). `None` if the time ran out.
fn subtrees(
    bound: usize,
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
) -> Option<Vec<Vec<Choice>>> {
    let wanted = 8 * check.workers;
    let mut depth = 1;
    loop {
        let prefixes = Arc::new(Mutex::new(Vec::new()));
        let top = Dfs::top(bound, check.reduction, depth, prefixes.clone());
        let (whole, failing) = (top.exhausted.clone(), top.branches.clone());
        let r = run(top, check, body, None, deadline);
        let mut prefixes = std::mem::take(&mut *lock(&prefixes));
        if r.failure.as_ref().is_some_and(|f| !is_lost_update(f)) {
            let failing = lock(&failing);
            prefixes.push(taken(&failing[..failing.len().min(depth)]));
            return Some(prefixes);
        }
        if !whole.load(Ordering::SeqCst) {
            return None;
        }
        let deepest = prefixes.iter().map(Vec::len).max().unwrap_or(0);
        // Enough subtrees, or the tree has no choice point below this depth.
        if prefixes.len() >= wanted || deepest < depth || depth >= 64 {
            return Some(prefixes);
        }
        depth += 1;
    }
}
