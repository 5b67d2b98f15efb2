//! Randomized exploration with shuttle (uniform random and PCT schedulers), and exact replay of a
//! failing schedule.

use super::found::{ends_of, keep_first_of_kind, Ends};
use super::tally::{lock, Tally};
use super::{
    capture, Body, Check, CheckError, Coverage, Failure, FailureKind, Mode, Outcome, Report, Stats,
};
use crate::sync::panics::reporting_uncaught;
use shuttle::scheduler::{
    PctScheduler, RandomScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId,
};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
use shuttle_engine::scheduler::serialization::{deserialize_schedule, serialize_schedule};
use std::collections::BTreeSet;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Wraps a scheduler and keeps the schedule of the execution in progress, so that a failure can
/// be reported with the exact schedule that replays it.
struct Recording<S> {
    inner: S,
    current: Arc<Mutex<Schedule>>,
    /// The most scheduling decisions one execution has taken so far.
    steps: Arc<AtomicUsize>,
    /// The first lost update, which gets its schedule once its execution has ended.
    lost: Arc<Mutex<Option<Failure>>>,
    /// In a campaign: this runner's seed index, and the lowest index where any worker has found
    /// a failure; a runner whose seed comes after it stops.
    stop: Option<(Arc<AtomicUsize>, usize)>,
    /// The plan's time limit: no execution starts past it.
    deadline: Option<Instant>,
    /// The failures of executions that a failing thread stopped, each with its schedule: the
    /// first of each kind.
    found: Arc<Mutex<Vec<Failure>>>,
    /// Whether a failure ends the search: no execution starts after it.
    ends: Ends,
    /// The executions so far, to say which one failed.
    tally: Arc<Tally>,
    /// Whether the scheduler cut the execution in progress short (it gave no thread to run, as
    /// a replayed schedule that runs out does): its threads never ended, and what they made was
    /// not dropped, which is no leak.
    cut_short: Arc<AtomicBool>,
}

/// Gives the lost update found in the execution that just ended its complete schedule.
fn complete_lost_update(lost: &Mutex<Option<Failure>>, current: &Mutex<Schedule>) {
    if let Some(failure) = lock(lost).as_mut() {
        failure
            .schedule
            .get_or_insert_with(|| printable(&lock(current)));
    }
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        // Read and cleared whether or not anything is left: it is the ended execution's alone.
        let cut_short = self.cut_short.swap(false, Ordering::SeqCst);
        let leaked = crate::sync::tracked::leaked().filter(|_| !cut_short);
        // Only an execution that ended well can have leaked: a failed one left things behind.
        let failure =
            super::failure::take_stopped_failure().or_else(|| leaked.map(super::failure::leaked));
        if let Some(mut failure) = failure {
            failure.schedule = Some(printable(&lock(&self.current)));
            failure.found_in = Some(self.tally.executions());
            let ends = self.ends.ends(&failure);
            keep_first_of_kind(&mut lock(&self.found), failure);
            if ends {
                return None;
            }
        }
        complete_lost_update(&self.lost, &self.current);
        // Only a check that asks for the first failure ends at a lost update.
        if lock(&self.lost).as_ref().is_some_and(|f| self.ends.ends(f)) {
            return None;
        }
        if let Some((stop_at, mine)) = &self.stop {
            if stop_at.load(Ordering::SeqCst) < *mine {
                return None;
            }
        }
        if past(self.deadline) {
            return None;
        }
        self.steps
            .fetch_max(lock(&self.current).len(), Ordering::Relaxed);
        let schedule = self.inner.new_execution()?;
        *lock(&self.current) = schedule.clone();
        Some(schedule)
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        if super::failure::execution_stopped() {
            return None;
        }
        let Some(next) = self.inner.next_task(runnable, current, is_yielding) else {
            self.cut_short.store(true, Ordering::SeqCst);
            return None;
        };
        // A wait recorded by the thread about to run takes effect now.
        crate::sync::ledger::switched_to(usize::from(next));
        lock(&self.current).push_task(next);
        Some(next)
    }

    fn next_u64(&mut self) -> u64 {
        lock(&self.current).push_random();
        self.inner.next_u64()
    }
}

/// shuttle's uniform random scheduler, without its farewell: dropped before its budget is spent
/// (after a failure, or when a campaign stops it), it prints "failing seed: …" and how to replay
/// that seed with shuttle's own API. Here a failure replays from the schedule the report
/// prints, so the message would only mislead. The scheduler owns no heap memory (two RNG states
/// and counters), so not running its drop leaks nothing.
struct QuietRandom(ManuallyDrop<RandomScheduler>);

impl QuietRandom {
    fn new(seed: u64, schedules: usize) -> QuietRandom {
        QuietRandom(ManuallyDrop::new(RandomScheduler::new_from_seed(
            seed, schedules,
        )))
    }
}

impl Scheduler for QuietRandom {
    fn new_execution(&mut self) -> Option<Schedule> {
        self.0.new_execution()
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        self.0.next_task(runnable, current, is_yielding)
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
}

/// The fair schedule: cooperative round-robin. The running thread keeps running until it yields
/// or blocks; then the next runnable thread in spawn order runs. Every thread that yields lets
/// every other one run, so a busy-wait that some thread can end does end; a schedule that still
/// runs forever (two threads undoing each other's work in strict alternation, a thread spinning
/// on a lock it holds) is a livelock.
struct Fair {
    runs: usize,
}

impl Scheduler for Fair {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.runs == 0 {
            return None;
        }
        self.runs -= 1;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let first = runnable.first()?.id();
        let Some(current) = current else {
            return Some(first);
        };
        if !is_yielding && runnable.iter().any(|t| t.id() == current) {
            return Some(current);
        }
        Some(
            runnable
                .iter()
                .map(|t| t.id())
                .find(|&id| id > current)
                .unwrap_or(first),
        )
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

/// The runnable threads' numbers (their order of creation, the main thread 0), for the
/// schedulers that choose by number: the scheduler game's and bounded mode's.
pub(super) fn task_numbers(runnable: &[&Task]) -> Vec<usize> {
    runnable.iter().map(|t| usize::from(t.id())).collect()
}

/// The runnable thread numbered `n`.
pub(super) fn task_numbered(runnable: &[&Task], n: usize) -> Option<TaskId> {
    runnable
        .iter()
        .map(|t| t.id())
        .find(|&id| usize::from(id) == n)
}

/// Whether the time limit, if any, has run out.
fn past(deadline: Option<Instant>) -> bool {
    deadline.is_some_and(|d| Instant::now() >= d)
}

/// A schedule as one word, the way `replay` takes it.
fn printable(schedule: &Schedule) -> String {
    serialize_schedule(schedule).split_whitespace().collect()
}

pub(super) fn config(plan_max_steps: usize) -> Config {
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    config.max_steps = MaxSteps::FailAfter(plan_max_steps);
    config.silence_warnings = true;
    config
}

#[derive(Default)]
pub(super) struct Run {
    /// The failure reported (see `Ends::reported`).
    pub failure: Option<Failure>,
    /// The first failure of each other kind the run met.
    pub also: Vec<Failure>,
    pub executions: usize,
    pub outcomes: BTreeSet<Outcome>,
    pub stats: Stats,
    /// Bounded mode: the share of the bound's schedule tree its executions stand for (see
    /// `Progress::estimate`): 1 for a bound explored through.
    pub covered: f64,
}

impl Run {
    /// Adds the figures and failures of `earlier`, an earlier run of the same check.
    fn absorb(&mut self, earlier: Run, ends: &Ends) {
        let mine: Vec<Failure> = self
            .failure
            .take()
            .into_iter()
            .chain(std::mem::take(&mut self.also))
            .collect();
        let before = earlier.executions;
        let mut found = Vec::new();
        for f in self.add_counts(earlier) {
            keep_first_of_kind(&mut found, f);
        }
        for mut f in mine {
            if let Some(found_in) = f.found_in.as_mut() {
                *found_in += before;
            }
            keep_first_of_kind(&mut found, f);
        }
        (self.failure, self.also) = ends.reported(found);
    }

    /// Adds the executions, final states and figures of `other`; returns its failures, the one
    /// it reports first.
    pub(super) fn add_counts(&mut self, other: Run) -> Vec<Failure> {
        self.executions += other.executions;
        self.covered += other.covered;
        self.outcomes.extend(other.outcomes);
        self.stats.complete += other.stats.complete;
        self.stats.threads = self.stats.threads.max(other.stats.threads);
        self.stats.spins = self.stats.spins.max(other.stats.spins);
        self.stats.steps = self.stats.steps.max(other.stats.steps);
        self.stats.weak_orderings.extend(other.stats.weak_orderings);
        other.failure.into_iter().chain(other.also).collect()
    }
}

pub(super) fn run<S: Scheduler + 'static>(
    scheduler: S,
    check: &Check,
    body: &Body,
    stop: Option<(Arc<AtomicUsize>, usize)>,
    deadline: Option<Instant>,
) -> Run {
    let current = Arc::new(Mutex::new(Schedule::new(0)));
    let steps = Arc::new(AtomicUsize::new(0));
    // A wrong final value does not stop the sampling: like exhaustive mode, the report gives
    // the worst verdict found, and a run that gets stuck or breaks an invariant outranks a lost
    // update (the rendezvous reaches both).
    let tally = Arc::new(Tally::of(check));
    let lost = Arc::new(Mutex::new(None::<Failure>));
    let found = Arc::new(Mutex::new(Vec::new()));
    let ends = ends_of(check);
    let cut_short = Arc::new(AtomicBool::new(false));
    let runner = Runner::new(
        Recording {
            inner: scheduler,
            current: current.clone(),
            steps: steps.clone(),
            lost: lost.clone(),
            stop,
            deadline,
            found: found.clone(),
            ends,
            tally: tally.clone(),
            cut_short: cut_short.clone(),
        },
        config(check.max_steps),
    );
    let (tally2, body2, lost2) = (tally.clone(), body.clone(), lost.clone());
    let result = capture(move || {
        runner.run(move || {
            // A panic of the checked code ends the execution as a spawned thread's does, once it
            // has unwound out of the execution's own figures.
            reporting_uncaught(|| tally2.execute(&body2));
            // The recording scheduler completes the lost update's schedule when the execution
            // ends, and stops the runner at once if the check asks for the first failure.
            if let Some(f) = tally2.take_lost() {
                lock(&lost2).get_or_insert(f);
            }
        })
    });
    let mut found = std::mem::take(&mut *lock(&found));
    // A stopped execution that was the runner's last, with no new one starting after it; and
    // a failure that unwound out of the runner: one shuttle raised itself (a hang it found, a
    // schedule past the step bound), which ends the runner. Both failed in the last execution.
    let leaked = crate::sync::tracked::leaked()
        .filter(|_| result.is_ok() && !cut_short.load(Ordering::SeqCst));
    let last = super::failure::take_stopped_failure()
        .or_else(|| leaked.map(super::failure::leaked))
        .into_iter();
    for mut failure in last.chain(result.err()) {
        failure.schedule = Some(printable(&lock(&current)));
        failure.found_in = Some(tally.executions());
        keep_first_of_kind(&mut found, failure);
    }
    complete_lost_update(&lost, &current);
    if let Some(lost) = lock(&lost).take() {
        keep_first_of_kind(&mut found, lost);
    }
    let (failure, also) = ends.reported(found);
    // The last execution's schedule, which no new execution folded in.
    steps.fetch_max(lock(&current).len(), Ordering::Relaxed);
    let weak_orderings = std::mem::take(&mut *lock(&tally.weak_orderings));
    Run {
        failure,
        also,
        executions: tally.executions(),
        outcomes: tally.take_outcomes(),
        stats: Stats {
            complete: tally.complete.load(Ordering::Relaxed),
            threads: tally.threads.load(Ordering::Relaxed),
            spins: tally.spins.load(Ordering::Relaxed),
            steps: steps.load(Ordering::Relaxed),
            weak_orderings,
            ..Stats::default()
        },
        covered: 0.0,
    }
}

pub(super) fn explore(check: &Check, body: &Body) -> Report {
    let start = Instant::now();
    let deadline = check.time_limit.map(|t| start + t);
    let schedules = check.schedules;
    // The fair schedule first: the one a livelock needs (random schedules end most spins by
    // chance), and a cheap first look for everything else.
    let fair = run(Fair { runs: 1 }, check, body, None, None);
    let campaign = campaign(check, schedules);
    // Only a run that got stuck or broke an invariant ends the search there; after a lost
    // update, the sampling still looks for a worse verdict.
    let r = if fair
        .failure
        .as_ref()
        .is_some_and(|f| ends_of(check).ends(f))
    {
        fair
    } else {
        let mut sampled = sample(&campaign, check, body, deadline);
        let ends = ends_of(check);
        sampled.absorb(fair, &ends);
        sampled
    };
    let planned: usize = campaign.iter().map(|&(_, n)| n).sum();
    let seeds = campaign.first().map_or(check.seed, |c| c.0)
        ..campaign.last().map_or(check.seed, |c| c.0 + 1);
    let coverage = match check.time_limit {
        Some(limit) if r.executions < planned + 1 && past(deadline) => {
            Coverage::Incomplete(format!(
                "the time limit of {limit:?} ran out after {} of the {planned} schedules (seeds \
                 {seeds:?})",
                r.executions.saturating_sub(1)
            ))
        }
        _ => Coverage::Sampled {
            schedules: planned,
            seeds,
        },
    };
    Report {
        subject: check.subject.clone(),
        mode: check.mode,
        failure: r.failure,
        also: r.also,
        coverage,
        executions: r.executions,
        outcomes: r.outcomes,
        elapsed: start.elapsed(),
        stats: r.stats,
    }
}

/// A randomized campaign: the seeds it runs and how many schedules each. The budget of
/// `schedules` is cut into seeds `seed, seed + 1, …` of `per_seed` schedules (the last may run
/// fewer), unless `seeds` names the range. Each seed is an independent shuttle runner, so the
/// seeds can be shared among workers, cores or machines, and the failure reported (the one of
/// the lowest seed, at its first failing schedule) does not depend on how they were shared.
pub(crate) fn campaign(check: &Check, schedules: usize) -> Vec<(u64, usize)> {
    let per_seed = check.per_seed.max(1);
    match &check.seeds {
        Some(range) => range.clone().map(|s| (s, per_seed)).collect(),
        None => (0..schedules.div_ceil(per_seed))
            .map(|c| {
                let seed = check.seed.wrapping_add(c as u64);
                (seed, per_seed.min(schedules - c * per_seed))
            })
            .collect(),
    }
}

/// The seeds of `campaign`, shared among the plan's workers, each seed run by its own shuttle
/// runner. A worker stops taking seeds, and a runner stops, past the lowest seed where a run got
/// stuck or broke an invariant; the report is that seed's failure (or, if the only failures are
/// lost updates, the lowest seed's), so it is the same whatever the number of workers.
fn sample(campaign: &[(u64, usize)], check: &Check, body: &Body, deadline: Option<Instant>) -> Run {
    let (done, stop_at) = share(
        campaign.len(),
        check.workers,
        deadline,
        |f| ends_of(check).ends(f),
        |c, stop| {
            let (seed, count) = campaign[c];
            run_seed(
                seed,
                count,
                Sampler::for_seed(c, check),
                stop,
                check,
                body,
                deadline,
            )
        },
    );
    // The failure of the lowest seed that got stuck or broke an invariant (seeds past it may
    // have failed too before they heard of it: their failures are not the campaign's first);
    // failing that, the lowest seed's lost update.
    let mut failures: Vec<Failure> = Vec::new();
    let mut merged = Run {
        failure: None,
        also: Vec::new(),
        executions: 0,
        outcomes: BTreeSet::new(),
        stats: Stats {
            pct_depth: (check.mode == Mode::Pct).then_some(check.pct_depth),
            ..Stats::default()
        },
        covered: 0.0,
    };
    for (c, r) in done {
        for mut f in merged.add_counts(r).into_iter().filter(|_| c <= stop_at) {
            if let Some(found_in) = f.found_in.as_mut() {
                *found_in += campaign[..c].iter().map(|&(_, n)| n).sum::<usize>();
            }
            keep_first_of_kind(&mut failures, f);
        }
    }
    let ends = ends_of(check);
    (merged.failure, merged.also) = ends.reported(failures);
    merged
}

/// Runs jobs `0..jobs` on `workers` OS threads, each with its own runner, taken in order. A job
/// whose failure `ends` the search stops the jobs after it (a runner stops past the lowest such
/// job: it is given the shared mark and its own number). Returns the runs in job order and the
/// lowest job that ended the search (`usize::MAX` if none did): what the jobs found does not
/// depend on the number of workers.
pub(super) fn share(
    jobs: usize,
    workers: usize,
    deadline: Option<Instant>,
    ends: impl Fn(&Failure) -> bool + Sync,
    job: impl Fn(usize, (Arc<AtomicUsize>, usize)) -> Run + Sync,
) -> (Vec<(usize, Run)>, usize) {
    let stop_at = Arc::new(AtomicUsize::new(usize::MAX));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::<(usize, Run)>::new());
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.max(1)) {
            scope.spawn(|| loop {
                let c = next.fetch_add(1, Ordering::SeqCst);
                if c >= jobs || c > stop_at.load(Ordering::SeqCst) || past(deadline) {
                    break;
                }
                let r = job(c, (stop_at.clone(), c));
                if r.failure.as_ref().is_some_and(&ends) {
                    stop_at.fetch_min(c, Ordering::SeqCst);
                }
                lock(&done).push((c, r));
            });
        }
    });
    let mut done = std::mem::take(&mut *lock(&done));
    done.sort_by_key(|(c, _)| *c);
    (done, stop_at.load(Ordering::SeqCst))
}

/// Which scheduler a seed of the campaign runs: the plan's, or in a portfolio, one in turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sampler {
    Uniform,
    Pct { depth: usize },
}

impl Sampler {
    /// The scheduler of the campaign's `c`-th seed. A portfolio takes turns: uniform random, then
    /// PCT at depths 2, 3 and the model's (at least 4), so that a quarter of the budget goes to
    /// each and the campaign finds what any of them finds.
    fn for_seed(c: usize, check: &Check) -> Sampler {
        let depth = check.pct_depth;
        match check.mode {
            Mode::Pct => Sampler::Pct { depth },
            Mode::Portfolio => match c % 4 {
                0 => Sampler::Uniform,
                1 => Sampler::Pct { depth: 2 },
                2 => Sampler::Pct { depth: 3 },
                _ => Sampler::Pct {
                    depth: depth.max(4),
                },
            },
            _ => Sampler::Uniform,
        }
    }
}

/// `count` schedules of `sampler` from `seed`.
fn run_seed(
    seed: u64,
    count: usize,
    sampler: Sampler,
    stop: (Arc<AtomicUsize>, usize),
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
) -> Run {
    let random = |stop| {
        run(
            QuietRandom::new(seed, count),
            check,
            body,
            Some(stop),
            deadline,
        )
    };
    let Sampler::Pct { depth } = sampler else {
        return random(stop);
    };
    let r = run(
        PctScheduler::new_from_seed(seed, depth, count),
        check,
        body,
        Some(stop.clone()),
        deadline,
    );
    // PCT refuses a run in which no two threads were ever runnable at once (a parent that
    // joins its only child at once): there is nothing to prioritise, every schedule is the
    // same, and a uniform sampler runs the budget just as well.
    let sequential = r.failure.as_ref().is_some_and(|f| {
        f.message()
            .contains("test closure did not exercise any concurrency")
    });
    if sequential {
        random(stop)
    } else {
        r
    }
}

pub(super) fn replay(check: &Check, body: &Body, schedule: &str) -> Result<Report, CheckError> {
    let start = Instant::now();
    // shuttle's decoder panics on some malformed strings rather than returning `None`.
    let decoded = capture(|| deserialize_schedule(schedule))
        .ok()
        .flatten()
        .ok_or_else(|| CheckError::NotASchedule(schedule.to_string()))?;
    let mut replaying = check.clone();
    replaying.mode = Mode::Random;
    replaying.first_failure = false;
    let r = run(
        ReplayScheduler::new_from_schedule(decoded),
        &replaying,
        body,
        None,
        None,
    );
    // shuttle's replayer panics when the schedule asks for a thread that is not there or not
    // runnable, or ends before the run does: the schedule was not this check's.
    let given: String = schedule.split_whitespace().collect();
    let fits = r.failure.as_ref().is_none_or(|f| {
        !matches!(f.kind, FailureKind::Crash(_)) && f.schedule.as_ref().is_none_or(|s| *s == given)
    });
    if !fits {
        let mut what = check.subject.name.clone();
        let sizes: Vec<String> = check
            .subject
            .sizes
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        if !sizes.is_empty() {
            what.push_str(&format!(" with {}", sizes.join(" ")));
        }
        return Err(CheckError::ScheduleDoesNotFit(what));
    }
    Ok(Report {
        subject: check.subject.clone(),
        mode: Mode::Random,
        failure: r.failure,
        also: r.also,
        coverage: Coverage::Replayed,
        executions: r.executions,
        outcomes: r.outcomes,
        elapsed: start.elapsed(),
        stats: r.stats,
    })
}
