//! The one entry point: a check is one call on a closure, as in loom and shuttle.
//!
//! ```
//! interleave_check::check(|| { /* spawn, lock, assert! … */ });
//! interleave_check::Check::new().preemptions(3).schedules(10_000).run(|| { /* … */ });
//! ```
//!
//! The closure runs under whichever backend the build has: in a `--cfg loom` build every
//! schedule is explored up to a preemption bound (deepening from 0), in a `--cfg shuttle` build
//! the randomized portfolio samples schedules, and in a plain build the closure runs for real,
//! many times (a stress run). [`Check::run`] panics with the whole report when a schedule fails;
//! [`Check::report`] returns the [`Report`] for tools.

use super::{Mode, Outcome, Report, Verdict};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

/// What the explorers run: one execution, start to finish, with its final state and the verdict
/// of the final-state check.
pub(crate) type Body = Arc<dyn Fn() -> (Outcome, Result<(), String>) + Send + Sync>;

/// The preemption "bound" of a check with none ([`Check::no_preemption_bound`]).
pub const UNBOUNDED: usize = usize::MAX;

/// A final-state check: an `Err` is a lost update, with its words.
type FinalCheck = Arc<dyn Fn(&Outcome) -> Result<(), String> + Send + Sync>;

/// How to check a closure: the mode and its budgets, and what to call it in reports. Every
/// option has a default; the environment variables `INTERLEAVE_PREEMPTIONS` (a number, or `all`),
/// `INTERLEAVE_SCHEDULES` and `INTERLEAVE_RUNS` change the defaults without touching the code,
/// `INTERLEAVE_REPLAY` (a schedule a failure printed) replays that one schedule instead, and
/// `INTERLEAVE_PLAY` (a list of moves) gives `interleave play --test` one board of its game.
#[derive(Clone)]
pub struct Check {
    pub(crate) mode: Mode,
    pub(crate) preemptions: usize,
    pub(crate) no_deepening: bool,
    pub(crate) schedules: usize,
    pub(crate) runs: usize,
    pub(crate) seed: u64,
    pub(crate) seeds: Option<Range<u64>>,
    pub(crate) per_seed: usize,
    pub(crate) workers: usize,
    pub(crate) first_failure: bool,
    pub(crate) pct_depth: usize,
    pub(crate) max_steps: usize,
    pub(crate) time_limit: Option<Duration>,
    pub(crate) watchdog: Duration,
    pub(crate) reduction: Reduction,
    pub(crate) state_caching: StateCaching,
    pub(crate) spurious_wakeups: bool,
    /// Sharded bounded mode: pieces per shard to split each bound's tree into, and schedules
    /// per shard the split may run (see `bounded::split`).
    pub(crate) shard_split: (usize, usize),
    /// Bounded mode: the distinct behaviours met so far, when counted (see
    /// [`Check::count_behaviours`]).
    pub(crate) behaviours: Option<Arc<std::sync::Mutex<std::collections::HashSet<u64>>>>,
    pub(crate) subject: Subject,
    final_state: Option<FinalCheck>,
    on_progress: Option<super::progress::OnProgress>,
    /// The running check's count of executions, for its watcher.
    pub(crate) meter: Option<Arc<super::progress::Meter>>,
}

/// How bounded mode skips schedules that only reorder independent steps (see
/// [`Check::reduction`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// Sleep sets over steps on different resources, as the primitives record them, kept to
    /// the threads whose reordering costs no preemption more: the sound default.
    SleepSets,
    /// None: every order of every step within the bound is explored (a facade's operation, once
    /// begun, is one step, as always).
    None,
    /// None, and not even a facade's operation is one step: every scheduling point inside its
    /// inner locks is a place to switch (what the operations-as-steps rule is tested against).
    Unsealed,
    /// The textbook's sleep sets, every explored option asleep: unsound under a preemption
    /// bound (a control the tests must catch).
    TextbookSleepSets,
    /// Dynamic partial-order reduction: at each choice point, only the threads that some race of
    /// an execution below it asks for (source sets, with the conservative points that keep them
    /// sound under a preemption bound), with the sleep sets above; states are not cached.
    Dpor,
    /// Dynamic partial-order reduction without bounded POR's conservative points: unsound under
    /// a preemption bound (a control the tests must catch).
    DporAtTheRaceOnly,
    /// Every two steps taken to commute: wrong (a control the tests must catch).
    EverythingCommutes,
    /// No sleep sets, and a facade's operation kept running from its very start, before it has
    /// done anything: wrong, it hides the switch just before the operation (a control).
    SealedFromTheStart,
}

#[cfg(interleave_shuttle)]
impl Reduction {
    /// Whether choice points try only what races ask for (DPOR, or its control).
    pub(crate) fn is_dpor(self) -> bool {
        matches!(self, Reduction::Dpor | Reduction::DporAtTheRaceOnly)
    }
}

/// Whether bounded mode skips what follows a state an earlier schedule reached (see
/// [`Check::state_caching`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateCaching {
    Off,
    On,
    /// A fingerprint blind to what the threads have seen: wrong (a control the tests must catch).
    ForgettingThreads,
}

/// What a report is about: its name, sizes and expectations, as whoever runs the check words
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// "philosophers / naive", or a test's name.
    pub name: String,
    /// Named facts for tools, copied into the report's JSON ("model": "philosophers").
    pub fields: Vec<(&'static str, String)>,
    /// The sizes it runs at, for the report's header ("threads=4 increments=10").
    pub sizes: Vec<(String, usize)>,
    /// The verdict it must get; `None` means "no failure", the usual expectation of a test.
    pub expected: Option<Verdict>,
    /// Why this mode cannot show the expected bug, where it cannot.
    pub blind_spot: Option<String>,
    /// The command that replays a failing schedule, with `{schedule}` where the schedule goes.
    pub replay: Option<String>,
    /// What to run to see the schedule of a real run that got stuck.
    pub explore_hint: Option<String>,
}

impl Subject {
    /// The named fact `name` ("model"), if the subject states it.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a check could not run at all (its verdict, good or bad, is in the [`Report`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error(
        "{mode} mode needs the {needs} backend, and this build has {has}: build it with {build}"
    )]
    ModeUnavailable {
        mode: Mode,
        needs: &'static str,
        has: &'static str,
        build: String,
    },
    #[error(
        "{name} needs more threads than loom explores ({limit}): check it at this size in bounded \
         mode, which has no thread limit (Mode::Bounded, `--mode bounded`, a --cfg shuttle \
         build), or give a smaller size"
    )]
    TooManyThreads { name: String, limit: String },
    #[error(
        "{name} cannot be checked in exhaustive mode (loom): it has {what}; check it in bounded \
         mode, which explores every schedule too (Mode::Bounded, `--mode bounded`, a --cfg \
         shuttle build)"
    )]
    NotForLoom { name: String, what: String },
    #[error("cannot write the replay's page to {path}: {why}")]
    Html { path: String, why: String },
    #[error(
        "'{0}' is not a schedule: pass the string that a random, pct or portfolio check printed"
    )]
    NotASchedule(String),
    #[error(
        "the schedule does not fit {0}: replay takes a schedule that a random, pct or portfolio \
         check of this same code and sizes printed"
    )]
    ScheduleDoesNotFit(String),
    #[error(
        "replay needs the shuttle backend, and this build has {0}: build with RUSTFLAGS=\"--cfg shuttle\""
    )]
    ReplayNeedsShuttle(&'static str),
    #[error(
        "the scheduler game needs the shuttle backend, and this build has {0}: run it with \
         `interleave play --test NAME`, which builds the test with --cfg shuttle"
    )]
    PlayNeedsShuttle(&'static str),
    #[error("INTERLEAVE_PLAY='{0}' is not a list of moves: write thread numbers as 1,0,2")]
    NotMoves(String),
    #[error("cannot write the game's board to {path}: {why}")]
    Board { path: String, why: String },
    /// Shards that cannot be explored or merged (the words say why and what to do).
    #[error("{0}")]
    Shards(String),
}

/// Checks `f` with every default: see [`Check`].
///
/// # Panics
/// With the whole report, when some schedule fails.
#[track_caller]
pub fn check<F, R>(f: F)
where
    F: Fn() -> R + Send + Sync + 'static,
    R: Into<Outcome>,
{
    Check::new().run(f);
}

/// The size for this build: small under loom, which explores every schedule; larger under
/// shuttle, which samples; realistic for real runs. `per_build(2, 4, 1_000)`.
pub fn per_build<T>(exhaustive: T, randomized: T, real: T) -> T {
    match crate::sync::BACKEND {
        "loom" => exhaustive,
        "shuttle" => randomized,
        _ => real,
    }
}

/// What a replay that reproduced its failure prints on standard output, for the command that
/// asked for it.
pub const REPRODUCED: &str = "interleave: the replayed schedule reproduced the failure";

/// The schedule `INTERLEAVE_REPLAY` asks to replay, if it is set.
fn replay_schedule() -> Option<String> {
    std::env::var("INTERLEAVE_REPLAY")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `word` as one word of a shell command line: quoted unless it is plain.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_:.-/".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

impl Default for Check {
    fn default() -> Self {
        Check::new()
    }
}

impl Check {
    /// Every default: this build's mode (real, exhaustive or portfolio), preemption bound 2, 1,000
    /// sampled schedules, 100 real runs, the current thread's name (a test's name under `cargo
    /// test`) as the report's name.
    pub fn new() -> Check {
        let mode = match crate::sync::BACKEND {
            "loom" => Mode::Exhaustive,
            "shuttle" => Mode::Portfolio,
            _ => Mode::Real,
        };
        // Under `cargo test`, the thread is named after the test: the name a replay needs.
        let test = std::thread::current()
            .name()
            .filter(|n| *n != "main")
            .map(str::to_string);
        // Outside a test, reports call the check after the program that runs it.
        let name = test.clone().unwrap_or_else(|| {
            std::env::args_os()
                .next()
                .and_then(|p| {
                    std::path::Path::new(&p)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .map_or_else(|| "the check".to_string(), |p| format!("the check in {p}"))
        });
        let replay = match &test {
            // A loom suite run through the loom-compatible crate replays under its own switch.
            Some(test) if cfg!(all(loom, interleave_shuttle)) => format!(
                "INTERLEAVE_REPLAY={{schedule}} RUSTFLAGS=\"--cfg loom\" cargo test -- --exact {}",
                shell_word(test)
            ),
            Some(test) => format!("interleave replay --test {} {{schedule}}", shell_word(test)),
            None => "INTERLEAVE_REPLAY={schedule} (set, the program's Check::run or Check::report \
                     replays that schedule)"
                .to_string(),
        };
        Check {
            mode,
            preemptions: match std::env::var("INTERLEAVE_PREEMPTIONS") {
                Ok(all) if all.trim() == "all" => UNBOUNDED,
                _ => from_env("INTERLEAVE_PREEMPTIONS", 2),
            },
            no_deepening: false,
            schedules: from_env("INTERLEAVE_SCHEDULES", 1000),
            runs: from_env("INTERLEAVE_RUNS", 100),
            seed: 0x1417_E4EA_4E00,
            seeds: None,
            per_seed: 100,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            first_failure: false,
            pct_depth: 3,
            max_steps: 100_000,
            time_limit: None,
            watchdog: Duration::from_secs(10),
            reduction: Reduction::SleepSets,
            state_caching: StateCaching::Off,
            spurious_wakeups: false,
            shard_split: (16, 64),
            behaviours: None,
            subject: Subject {
                replay: Some(replay),
                explore_hint: Some(
                    "Run the test in a --cfg loom or --cfg shuttle build (`interleave test`) to \
                     see the schedule that does it"
                        .to_string(),
                ),
                name,
                ..Subject::default()
            },
            final_state: None,
            on_progress: None,
            meter: None,
        }
    }

    /// The name reports give the check. The replay line keeps naming the test that runs it,
    /// which is what `interleave replay --test` and `cargo test` filter by.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.subject.name = name.into();
        self
    }

    /// The mode to run in; the build must have its backend (see [`Mode::available`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Exhaustive: the largest preemption bound, explored from 0 upwards.
    pub fn preemptions(mut self, bound: usize) -> Self {
        self.preemptions = bound;
        self
    }

    /// Exhaustive and bounded: no preemption bound at all, every schedule, in one pass (there
    /// is no largest bound to deepen to). Bounded mode with [`state_caching`](Self::state_caching)
    /// then verifies a program whose states are finite outright, as SPIN does.
    pub fn no_preemption_bound(mut self) -> Self {
        self.preemptions = UNBOUNDED;
        self.no_deepening = true;
        self
    }

    /// Exhaustive: explore only at the largest bound, and so collect every final state reachable
    /// within it even when a bug shows at a smaller one.
    pub fn no_deepening(mut self) -> Self {
        self.no_deepening = true;
        self
    }

    /// Random, pct and portfolio: the schedules to sample after the fair one.
    pub fn schedules(mut self, schedules: usize) -> Self {
        self.schedules = schedules;
        self
    }

    /// Real: how many times to run the closure.
    pub fn runs(mut self, runs: usize) -> Self {
        self.runs = runs.max(1);
        self
    }

    /// Randomized: the first seed of the campaign.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Randomized: run exactly these seeds, [`Check::per_seed`] schedules each (one share of a
    /// campaign spread over several machines).
    pub fn seeds(mut self, seeds: Range<u64>) -> Self {
        self.seeds = Some(seeds);
        self
    }

    /// Randomized: schedules run from each seed (100 by default).
    pub fn per_seed(mut self, schedules: usize) -> Self {
        self.per_seed = schedules.max(1);
        self
    }

    /// Randomized: OS threads the seeds are shared among (default: every core). The verdict and
    /// the reported failure do not depend on it.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.workers = jobs.max(1);
        self
    }

    /// Randomized: stop at the first failing schedule, even a lost update, rather than look on
    /// for a worse verdict.
    pub fn first_failure(mut self) -> Self {
        self.first_failure = true;
        self
    }

    /// PCT: the bug depth targeted (priority change points + 1; default 3). The portfolio also
    /// runs depths 2, 3 and at least 4.
    pub fn pct_depth(mut self, depth: usize) -> Self {
        self.pct_depth = depth.max(1);
        self
    }

    /// Explored: steps after which a schedule counts as never ending (a livelock).
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = steps;
        self
    }

    /// Stop exploring after this long; the report is then `incomplete`, nothing verified.
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.time_limit = Some(limit);
        self
    }

    /// Bounded: how schedules that only reorder independent steps are skipped. The default,
    /// [`Reduction::SleepSets`], is the sound one; the others exist to measure the reduction and
    /// to show that its tests can fail.
    #[doc(hidden)]
    pub fn reduction(mut self, reduction: Reduction) -> Self {
        self.reduction = reduction;
        self
    }

    /// Explored builds: a condition variable's wait may also wake with no notify, as std allows
    /// (once per thread and condition variable in an execution, in the schedules where nobody
    /// notifies meanwhile), so that a wait that should have been a loop (`if` where `while`
    /// belongs) is caught even with a single waiter. The trace labels such a wake-up
    /// ("woke … (spuriously: nobody notified)"). Off by default. Real runs wake as the OS does.
    pub fn spurious_wakeups(mut self, on: bool) -> Self {
        self.spurious_wakeups = on;
        self
    }

    /// Bounded: skips a schedule from the point where it reaches a state an earlier one reached
    /// (with no more preemptions spent and no fewer threads left to try), as the primitives see
    /// the state. Sound only where everything that decides the outcome lives in the facade's
    /// primitives: no state on std's atomics, behind an `UnsafeCell`, or in a `static`.
    pub fn state_caching(mut self, on: bool) -> Self {
        self.state_caching = if on {
            StateCaching::On
        } else {
            StateCaching::Off
        };
        self
    }

    /// Bounded: counts the distinct behaviours among the executions (`Stats::behaviours`):
    /// their Mazurkiewicz traces, the orders of their dependent steps. Costs each execution a
    /// pass over its steps; for measuring reductions.
    #[doc(hidden)]
    pub fn count_behaviours(mut self) -> Self {
        self.behaviours = Some(Arc::default());
        self
    }

    /// Bounded: state caching with a wrong fingerprint, for the tests' control.
    #[doc(hidden)]
    pub fn state_caching_as(mut self, caching: StateCaching) -> Self {
        self.state_caching = caching;
        self
    }

    /// Real: how long a run may go without finishing before it is reported stuck.
    pub fn watchdog(mut self, window: Duration) -> Self {
        self.watchdog = window;
        self
    }

    /// Checks the final state the closure returns after every execution that ran to its end;
    /// an `Err` is a lost update, with the error's words and the trace that led there.
    pub fn final_state(
        mut self,
        check: impl Fn(&Outcome) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        self.final_state = Some(Arc::new(check));
        self
    }

    /// The verdict the code must get, for a known-buggy version ("this must deadlock"): then
    /// [`Check::run`] panics unless the explorer finds that verdict. The search looks on past
    /// failures of other kinds until it meets this one (shuttle builds; loom's search ends at
    /// its first panic), and the report gives its counterexample, with the first of each other
    /// kind met beside it ([`Report::also`]). A real run, which follows only the schedules the
    /// OS picks, agrees with any failure or with none.
    pub fn expect(mut self, verdict: Verdict) -> Self {
        self.subject.expected = Some(verdict);
        self
    }

    /// What reports say about the check: for a catalogue of models, which names its variants,
    /// states their expected verdicts and prints its own replay command.
    pub fn subject(mut self, subject: Subject) -> Self {
        self.subject = subject;
        self
    }

    /// Calls `watch` now and then while the check runs (about ten times a second at most), with
    /// how far it has got: for a progress display.
    pub fn on_progress(mut self, watch: impl Fn(&super::Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(watch));
        self
    }

    /// The mode this check runs in.
    pub fn current_mode(&self) -> Mode {
        self.mode
    }

    /// Checks `f` and panics with the whole report if some schedule fails (or the exploration was
    /// cut short and so verified nothing), or, for a check told what to [`expect`](Check::expect),
    /// unless it gets that verdict; returns the report otherwise.
    ///
    /// # Panics
    /// With the report's text: `#[should_panic(expected = "deadlock")]` works.
    #[track_caller]
    pub fn run<F, R>(&self, f: F) -> Report
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        use super::shards::{self, FromEnv};
        let report = match shards::from_env() {
            None => self.report(f),
            Some(Err(e)) => Err(e),
            Some(Ok(FromEnv::Shard { shard, dir })) => {
                return self
                    .run_shard(shard, &dir, f)
                    .unwrap_or_else(|e| panic!("{e}"))
            }
            Some(Ok(FromEnv::Merge { dir })) => {
                let bounded = self.clone().mode(Mode::Bounded);
                shards::read(&dir, &self.subject.name).and_then(|s| bounded.merge(&s, f))
            }
        };
        let report = report.unwrap_or_else(|e| panic!("{e}"));
        if replay_schedule().is_some() {
            // A replay is run to see the failure again: one that ends well reproduced nothing.
            if report.failure.is_none() {
                panic!(
                    "{report}  the replayed schedule reproduced no failure: a schedule replays \
                     only the check, code and sizes that printed it"
                );
            }
            // What `interleave replay --test` reads to tell a replay that did its job.
            println!("{REPRODUCED}");
        }
        if !report.agrees() {
            panic!("{report}");
        }
        // What was verified, on one line: shown with `--nocapture`, as a test's name is.
        eprintln!("{}: {}", report.subject.name, report.summary());
        report
    }

    /// Checks `f` and returns what happened, failure or not; with `INTERLEAVE_REPLAY` set (a
    /// schedule a failure printed), replays that schedule instead, and with `INTERLEAVE_HTML`
    /// set too, writes the replay's page (see [`Report::html`]) to that file.
    ///
    /// # Errors
    /// When the check cannot run: this build lacks the mode's backend, the code has more
    /// threads than loom explores, or the schedule to replay is not this check's.
    pub fn report<F, R>(&self, f: F) -> Result<Report, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        if let Ok(moves) = std::env::var("INTERLEAVE_PLAY") {
            return self.play_for_another_process(&moves, f);
        }
        if let Some(schedule) = replay_schedule() {
            let report = self.replay(&schedule, f)?;
            // `interleave replay --test NAME SCHEDULE --html FILE` asks for the page too.
            if let Ok(path) = std::env::var("INTERLEAVE_HTML") {
                std::fs::write(&path, report.html()).map_err(|e| CheckError::Html {
                    path: path.clone(),
                    why: e.to_string(),
                })?;
            }
            return Ok(report);
        }
        self.mode_available()?;
        let body = self.body(f);
        let mut check = self.clone();
        check.meter = self.on_progress.clone().map(|on| {
            let planned = match self.mode {
                Mode::Exhaustive => None,
                Mode::Real => Some(self.runs),
                _ => Some(self.schedules + 1),
            };
            super::progress::Meter::new(on, self.mode, planned)
        });
        #[cfg(interleave_loom)]
        let report = super::exhaustive::explore(&check, &body);
        #[cfg(interleave_shuttle)]
        let report = Ok(if self.mode == Mode::Bounded {
            super::bounded::explore(&check, &body)
        } else {
            super::randomized::explore(&check, &body)
        });
        #[cfg(not(any(interleave_loom, interleave_shuttle)))]
        let report = Ok(super::real::run(&check, &body));
        if let Some(meter) = &check.meter {
            meter.finish();
        }
        report
    }

    /// Re-runs exactly the schedule a random, pct or portfolio check printed.
    ///
    /// # Errors
    /// Outside a shuttle build, or when `schedule` is not a schedule of this code.
    pub fn replay<F, R>(&self, schedule: &str, f: F) -> Result<Report, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        #[cfg(interleave_shuttle)]
        return super::randomized::replay(self, &self.body(f), schedule);
        #[cfg(not(interleave_shuttle))]
        {
            let _ = (schedule, f);
            Err(CheckError::ReplayNeedsShuttle(crate::sync::BACKEND))
        }
    }

    /// Explores shard `index` of `count` (from 0) of this bounded exploration (shuttle builds):
    /// every shard splits each bound's schedule tree into the same pieces, whatever its workers
    /// or its machine's speed, and explores every `count`-th of them. The shards can run on as
    /// many machines; [`Check::merge`] makes their reports one.
    ///
    /// # Errors
    /// Outside bounded mode, or outside a shuttle build.
    pub fn shard<F, R>(
        &self,
        (index, count): (usize, usize),
        f: F,
    ) -> Result<super::ShardReport, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        self.can_shard()?;
        if index >= count {
            return Err(CheckError::Shards(format!(
                "there is no shard {index} of {count}: shards are numbered from 0 to {}",
                count.saturating_sub(1)
            )));
        }
        #[cfg(interleave_shuttle)]
        return Ok(super::shards::explore(self, &self.body(f), (index, count)));
        #[cfg(not(interleave_shuttle))]
        {
            drop(f);
            unreachable!("can_shard refuses every other build")
        }
    }

    /// The report one bounded exploration of `f` would have given, from the reports of its
    /// shards (see [`Check::shard`]): the same verdict and first counterexample in depth-first
    /// order (replayed here for its steps), every final state, the executions summed, and the
    /// longest shard's time.
    ///
    /// # Errors
    /// When the reports are not those of every shard of this check, or a failure's schedule
    /// does not show it again here.
    pub fn merge<F, R>(&self, shards: &[super::ShardReport], f: F) -> Result<Report, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        self.can_shard()?;
        #[cfg(interleave_shuttle)]
        return super::shards::merge(self, &self.body(f), shards);
        #[cfg(not(interleave_shuttle))]
        {
            drop((f, shards));
            unreachable!("can_shard refuses every other build")
        }
    }

    /// One shard of this check in bounded mode, as `INTERLEAVE_SHARD` asks: its report written
    /// into `dir` for the merge (`INTERLEAVE_MERGE`), and a report that says only that.
    fn run_shard<F, R>(
        &self,
        shard: (usize, usize),
        dir: &std::path::Path,
        f: F,
    ) -> Result<Report, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        let bounded = self.clone().mode(Mode::Bounded);
        let part = bounded.shard(shard, f)?;
        let path = super::shards::write(dir, &self.subject.name, &part)?;
        let failures = part.failures();
        let met = if failures.is_empty() {
            "no failure".to_string()
        } else {
            format!("met {}", failures.join(", "))
        };
        let why = format!(
            "shard {} of {} only ({} executions, {met}), written to {}: the verdict is the \
             merge's (INTERLEAVE_MERGE={})",
            shard.0,
            shard.1,
            part.executions(),
            path.display(),
            dir.display()
        );
        eprintln!("{}: {why}", self.subject.name);
        Ok(Report {
            subject: self.subject.clone(),
            mode: Mode::Bounded,
            failure: None,
            also: Vec::new(),
            coverage: super::Coverage::Incomplete(why),
            executions: part.executions(),
            outcomes: Default::default(),
            elapsed: part.elapsed(),
            stats: Default::default(),
        })
    }

    /// How a sharded exploration splits each bound's tree: into `pieces` per shard, running at
    /// most `splits` schedules per shard to split it (16 and 64 unless told). Tests make both
    /// small, so that small trees are still dealt out in pieces.
    #[doc(hidden)]
    pub fn shard_split(mut self, pieces: usize, splits: usize) -> Self {
        self.shard_split = (pieces.max(1), splits.max(1));
        self
    }

    /// Whether this build has the check's mode: an error naming the build that does otherwise.
    fn mode_available(&self) -> Result<(), CheckError> {
        if self.mode.available() {
            return Ok(());
        }
        Err(CheckError::ModeUnavailable {
            mode: self.mode,
            needs: self.mode.backend(),
            has: crate::sync::BACKEND,
            build: crate::sync::build_command(self.mode.backend()),
        })
    }

    /// Whether this check can be sharded: bounded mode, in a shuttle build.
    fn can_shard(&self) -> Result<(), CheckError> {
        if self.mode != Mode::Bounded {
            return Err(CheckError::Shards(format!(
                "only bounded mode explores in shards, not {} mode: use Mode::Bounded",
                self.mode
            )));
        }
        self.mode_available()
    }

    /// Plays the scheduler (shuttle builds): runs `f` along the player's `moves` (at each point
    /// where several threads could run, the number of the one that does) and says where the
    /// game stands: the bug reached, the run ended, or the threads that may move next.
    ///
    /// # Errors
    /// When a move names a thread that cannot run at that point.
    #[cfg(interleave_shuttle)]
    pub fn play<F, R>(&self, moves: &[usize], f: F) -> Result<super::Board, super::BadMove>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        super::play::board(self, &self.body(f), moves)
    }

    /// One position of a game that `interleave play --test` runs from another process: plays
    /// `moves` (the `INTERLEAVE_PLAY` list), writes the board as JSON to the file
    /// `INTERLEAVE_BOARD` names (standard output without it), and ends the process, which was
    /// started for that board alone.
    fn play_for_another_process<F, R>(&self, moves: &str, f: F) -> Result<Report, CheckError>
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        let moves: Vec<usize> = moves
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| CheckError::NotMoves(moves.to_string()))?;
        #[cfg(interleave_shuttle)]
        {
            let json = match self.play(&moves, f) {
                Ok(board) => board.json(moves.len()),
                Err(bad) => serde_json::json!({ "bad_move": bad.to_string() }),
            };
            match std::env::var("INTERLEAVE_BOARD") {
                Ok(path) => {
                    std::fs::write(&path, json.to_string()).map_err(|e| CheckError::Board {
                        path,
                        why: e.to_string(),
                    })?
                }
                Err(_) => println!("{json}"),
            }
            std::process::exit(0)
        }
        #[cfg(not(interleave_shuttle))]
        {
            let _ = (moves, f);
            Err(CheckError::PlayNeedsShuttle(crate::sync::BACKEND))
        }
    }

    fn body<F, R>(&self, f: F) -> Body
    where
        F: Fn() -> R + Send + Sync + 'static,
        R: Into<Outcome>,
    {
        let check = self.final_state.clone();
        Arc::new(move || {
            let outcome: Outcome = f().into();
            let verdict = match &check {
                Some(check) => {
                    super::checks::made(super::checks::FINAL_STATE);
                    check(&outcome)
                        .map_err(|e| format!("lost update: {e} (final state: {outcome})"))
                }
                None => Ok(()),
            };
            (outcome, verdict)
        })
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.subject.name)
            .field("mode", &self.mode)
            .field("preemptions", &self.preemptions)
            .field("schedules", &self.schedules)
            .field("runs", &self.runs)
            .finish_non_exhaustive()
    }
}
