//! Exhaustive exploration past loom (shuttle builds): every schedule with at most b preemptions,
//! counted as CHESS counts them — a switch away from a thread that could have gone on (a thread
//! that blocks, ends or yields is not preempted) — deepening b from 0, as exhaustive mode does.
//! It runs on shuttle's scheduler interface, which has no thread limit: loom explores 4 spawned
//! threads at most. A schedule is a list of choices at the points where several threads could
//! run; after its prefix of choices, an execution goes on without preempting (the running thread
//! keeps running; a yield passes to the next thread). Each execution's choice points are kept,
//! and the next schedule is found by depth-first backtracking: the deepest choice point with an
//! untried option that the bound still allows.

use super::randomized::{is_lost_update, run, task_numbered, task_numbers, Run};
use super::tally::lock;
use super::{Body, Check, Coverage, Report, Stats};
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One point where several threads could run.
#[derive(Clone, Debug)]
struct Branch {
    /// The threads that could run, in the order they are tried: the one that goes on without a
    /// preemption first.
    options: Vec<usize>,
    /// Which option this execution took.
    taken: usize,
    /// Whether taking an option other than the first is a preemption here.
    preempts: bool,
}

/// Depth-first over the schedules within `bound` preemptions.
struct Dfs {
    bound: usize,
    /// The choices the next execution makes first.
    prefix: Vec<usize>,
    /// The branches of the execution in progress.
    branches: Arc<Mutex<Vec<Branch>>>,
    started: bool,
    /// Set when every schedule within the bound has run.
    exhausted: Arc<AtomicBool>,
}

impl Dfs {
    /// The next prefix after the execution whose branches are `done`, if any is left.
    fn next_prefix(&self, done: &[Branch]) -> Option<Vec<usize>> {
        let cost = |b: &Branch, k: usize| usize::from(b.preempts && k > 0);
        let mut spent: Vec<usize> = Vec::with_capacity(done.len() + 1);
        spent.push(0);
        for b in done {
            spent.push(spent.last().unwrap() + cost(b, b.taken));
        }
        (0..done.len()).rev().find_map(|i| {
            let b = &done[i];
            let k =
                (b.taken + 1..b.options.len()).find(|&k| spent[i] + cost(b, k) <= self.bound)?;
            let mut prefix: Vec<usize> = done[..i].iter().map(|b| b.options[b.taken]).collect();
            prefix.push(b.options[k]);
            Some(prefix)
        })
    }
}

impl Scheduler for Dfs {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started {
            let done = std::mem::take(&mut *lock(&self.branches));
            match self.next_prefix(&done) {
                Some(prefix) => self.prefix = prefix,
                None => {
                    self.exhausted.store(true, Ordering::SeqCst);
                    return None;
                }
            }
        }
        self.started = true;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let ids = task_numbers(runnable);
        if ids.len() == 1 {
            return Some(runnable[0].id());
        }
        let current = current.map(usize::from);
        let goes_on = current.filter(|c| ids.contains(c));
        // Without a preemption: the running thread goes on; after a yield (or when it cannot go
        // on), the next thread after it in creation order.
        let options: Vec<usize> = match (goes_on, is_yielding) {
            (Some(c), false) => std::iter::once(c)
                .chain(ids.iter().copied().filter(|&i| i != c))
                .collect(),
            _ => {
                let after = current.unwrap_or(0);
                let mut rest: Vec<usize> = ids.iter().copied().filter(|&i| i > after).collect();
                rest.extend(ids.iter().copied().filter(|&i| i <= after));
                rest
            }
        };
        let mut branches = lock(&self.branches);
        let i = branches.len();
        let choice = self.prefix.get(i).copied().unwrap_or(options[0]);
        let taken = options.iter().position(|&o| o == choice).unwrap_or(0);
        branches.push(Branch {
            taken,
            preempts: goes_on.is_some() && !is_yielding,
            options: options.clone(),
        });
        let chosen = options[taken];
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
        let exhausted = Arc::new(AtomicBool::new(false));
        let dfs = Dfs {
            bound,
            prefix: Vec::new(),
            branches: Arc::new(Mutex::new(Vec::new())),
            started: false,
            exhausted: exhausted.clone(),
        };
        let mut r = run(dfs, check, body, None, deadline);
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
        if !exhausted.load(Ordering::SeqCst) {
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
