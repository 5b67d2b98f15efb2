//! `loom::model` and `loom::model::Builder`: the fields and environment variables loom reads,
//! mapped onto interleave's bounded exploration.

use interleave_check::{Check, Coverage, Mode};
use std::path::PathBuf;
use std::time::Duration;

/// loom's default for `max_branches`.
const DEFAULT_MAX_BRANCHES: usize = 1_000;

/// How a model is explored, with loom's public fields (suites build one and set them).
#[derive(Debug)]
#[non_exhaustive]
pub struct Builder {
    /// loom's limit of threads per execution: this crate's engine has none, and ignores it.
    pub max_threads: usize,
    /// Steps after which an execution counts as never ending (a livelock).
    pub max_branches: usize,
    /// loom's cap on the executions explored: this crate explores them all.
    pub max_permutations: Option<usize>,
    /// How long to explore; once past, the exploration ends and says what it covered.
    pub max_duration: Option<Duration>,
    /// The preemption bound; `None` (loom's default) explores every schedule.
    pub preemption_bound: Option<usize>,
    /// loom's checkpoint file, kept for suites that set it; not used.
    pub checkpoint_file: Option<PathBuf>,
    /// loom's checkpoint interval, kept for suites that set it; not used.
    pub checkpoint_interval: usize,
    /// loom's explicit `explore()` mode: every execution is explored whole here.
    pub expect_explicit_explore: bool,
    /// loom's switch for tracking where objects were made: reports always name places here.
    pub location: bool,
    /// loom's log switch: a failure's report gives the execution step by step anyway.
    pub log: bool,
}

/// The value of the environment variable `name`, parsed, as loom reads it: an unparsable value
/// is an error, as in loom.
fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().map(|v| {
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("invalid value for `{name}`"))
    })
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// The defaults, changed by the environment variables loom reads: `LOOM_MAX_PREEMPTIONS`,
    /// `LOOM_MAX_BRANCHES`, `LOOM_MAX_DURATION` (seconds), `LOOM_MAX_PERMUTATIONS`,
    /// `LOOM_CHECKPOINT_INTERVAL`, `LOOM_CHECKPOINT_FILE`, `LOOM_LOCATION`, `LOOM_LOG`.
    pub fn new() -> Builder {
        Builder {
            max_threads: crate::MAX_THREADS,
            max_branches: env("LOOM_MAX_BRANCHES").unwrap_or(DEFAULT_MAX_BRANCHES),
            max_permutations: env("LOOM_MAX_PERMUTATIONS"),
            max_duration: env("LOOM_MAX_DURATION").map(Duration::from_secs),
            preemption_bound: env("LOOM_MAX_PREEMPTIONS"),
            checkpoint_file: env("LOOM_CHECKPOINT_FILE"),
            checkpoint_interval: env("LOOM_CHECKPOINT_INTERVAL").unwrap_or(20_000),
            expect_explicit_explore: false,
            location: std::env::var_os("LOOM_LOCATION").is_some(),
            log: std::env::var_os("LOOM_LOG").is_some(),
        }
    }

    /// Sets the checkpoint file (kept, not used).
    pub fn checkpoint_file(&mut self, file: &str) -> &mut Self {
        self.checkpoint_file = Some(file.into());
        self
    }

    /// The check these settings make: bounded mode, the bound loom would use, one execution at
    /// a time as loom runs them (suites keep counters outside the model, which executions on
    /// several cores at once would share) unless `INTERLEAVE_JOBS` asks for more.
    fn interleave_check(&self) -> Check {
        let jobs = env("INTERLEAVE_JOBS").unwrap_or(1);
        let mut check = Check::new().mode(Mode::Bounded).jobs(jobs);
        check = match self.preemption_bound {
            Some(bound) => check.preemptions(bound),
            None => check.no_preemption_bound(),
        };
        // loom counts a thread's every step as a branch; a step here is a scheduling decision,
        // of which a spin takes many: the step bound is never below the checker's default.
        check = check.max_steps(self.max_branches.max(100_000));
        if let Some(limit) = self.max_duration {
            check = check.time_limit(limit);
        }
        check
    }

    /// Explores every schedule of `f` within the bound, and panics with interleave's report of
    /// the first failing one. An exploration that `max_duration` cut short passes, as loom's
    /// does, and says on standard error what it covered.
    #[track_caller]
    pub fn check<F>(&self, f: F)
    where
        F: Fn() + Sync + Send + 'static,
    {
        let check = self.interleave_check();
        if self.max_duration.is_none() {
            check.run(f);
            return;
        }
        let report = check.report(f).unwrap_or_else(|e| panic!("{e}"));
        if let Coverage::Incomplete(why) = &report.coverage {
            if report.failure.is_none() {
                eprintln!(
                    "{}: no failure found before {why}: not verified",
                    report.subject.name
                );
                return;
            }
        }
        if !report.agrees() {
            panic!("{report}");
        }
        eprintln!("{}: {}", report.subject.name, report.summary());
    }
}

/// Explores every schedule of `f` with loom's defaults and environment (see [`Builder`]).
#[track_caller]
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    Builder::new().check(f);
}
