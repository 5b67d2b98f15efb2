//! The course's catalogue: how a model declares itself, once, next to its code (its name, course
//! source, parameters with their sizes per mode, variants with their expected verdicts, and the
//! check of its final state), and how one variant is checked: through the checker's one closure
//! API, [`interleave_check::Check`], like anyone's code. Tests, the CLI and the benches all read
//! these declarations.

use interleave_check::explore::{
    checks, Check, CheckError, Mode, Outcome, Progress, Report, Subject, Verdict,
};
use std::fmt;
use std::time::Duration;

/// One course algorithm.
pub struct Model {
    pub name: &'static str,
    /// Where in the course (`shared/course/seeds`) it comes from.
    pub source: &'static str,
    pub about: &'static str,
    pub params: &'static [Param],
    pub variants: &'static [Variant],
    /// Checks the final state a run returns; an `Err` is a lost update.
    pub check: fn(&Params, &Outcome) -> Result<(), String>,
    /// The preemption bound up to which exhaustive mode explores by default (deepening from 0).
    pub preemption_bound: usize,
    /// The number of schedules randomized modes try by default.
    pub schedules: usize,
    /// The depth PCT targets by default: one more than the preemptions the model's bugs need.
    pub pct_depth: usize,
    /// Bugs a mode cannot show, stated rather than hidden: there the variant is expected to pass.
    pub blind_spots: &'static [BlindSpot],
    /// Mutants that break what the model checks (no forks; a permit released twice), each with
    /// the verdict its check must give. They are not the course's code: they show that every
    /// check of the model can fail, and every explored mode must catch each one.
    pub controls: &'static [Variant],
    /// State the model keeps beside the primitives, which bounded mode's state caching cannot
    /// see (a monitor's tally on std's atomics), said as why; `None` where all of it lives in
    /// the primitives.
    pub state_outside_primitives: Option<&'static str>,
}

/// A variant's bug that some modes cannot reach, and why (shuttle and x86 keep atomics in
/// order, so a reordering only loom's memory model shows is invisible to them).
pub struct BlindSpot {
    pub variant: &'static str,
    pub modes: &'static [Mode],
    pub why: &'static str,
}

/// One version of the algorithm: the course's code as printed, or a fix.
pub struct Variant {
    pub name: &'static str,
    pub expected: Verdict,
    pub about: &'static str,
    /// Runs the variant once, start to finish, and returns its final state.
    pub run: fn(&Params) -> Outcome,
}

/// A size the user may set: it becomes a CLI flag of the same name (`--threads 4`).
pub struct Param {
    pub name: &'static str,
    pub help: &'static str,
    /// Default under loom: small enough to explore every schedule.
    pub exhaustive: usize,
    /// Default under shuttle: larger, sampled.
    pub randomized: usize,
    /// Default for real runs: realistic.
    pub real: usize,
    pub min: usize,
    /// The largest value that makes sense (`usize::MAX` if none).
    pub max: usize,
}

/// The three kinds of run, which pick a default size for every parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Exhaustive,
    Randomized,
    Real,
}

impl From<Mode> for Scale {
    /// The sizes a mode runs at: small under loom, larger under shuttle, realistic for real.
    fn from(mode: Mode) -> Scale {
        match mode {
            Mode::Real => Scale::Real,
            Mode::Exhaustive | Mode::Bounded => Scale::Exhaustive,
            Mode::Random | Mode::Pct | Mode::Portfolio => Scale::Randomized,
        }
    }
}

impl Param {
    /// A size of at least 1 and no upper bound, with its defaults under loom, under shuttle and
    /// for real runs.
    pub const fn new(
        name: &'static str,
        help: &'static str,
        [exhaustive, randomized, real]: [usize; 3],
    ) -> Param {
        Param {
            name,
            help,
            exhaustive,
            randomized,
            real,
            min: 1,
            max: usize::MAX,
        }
    }

    /// The same size, allowed down to `min` (0 for "none at all").
    pub const fn at_least(self, min: usize) -> Param {
        Param { min, ..self }
    }

    /// The same size, allowed up to `max` (the largest value that makes sense).
    pub const fn at_most(self, max: usize) -> Param {
        Param { max, ..self }
    }

    pub fn default_for(&self, scale: Scale) -> usize {
        match scale {
            Scale::Exhaustive => self.exhaustive,
            Scale::Randomized => self.randomized,
            Scale::Real => self.real,
        }
    }
}

/// The values of a model's parameters for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, usize)>);

impl Params {
    /// Every parameter of `model` at its default for `scale`, then the given overrides.
    pub fn for_model(
        model: &Model,
        scale: impl Into<Scale>,
        overrides: &[(&str, usize)],
    ) -> Result<Params, String> {
        let scale = scale.into();
        let mut values: Vec<(&'static str, usize)> = model
            .params
            .iter()
            .map(|p| (p.name, p.default_for(scale)))
            .collect();
        for &(name, value) in overrides {
            let Some(param) = model.params.iter().find(|p| p.name == name) else {
                let known: Vec<String> = model
                    .params
                    .iter()
                    .map(|p| format!("--{}", p.name))
                    .collect();
                return Err(if known.is_empty() {
                    format!("model '{}' has no parameters (--{name} given)", model.name)
                } else {
                    format!(
                        "model '{}' has no parameter --{name} (its parameters: {})",
                        model.name,
                        known.join(", ")
                    )
                });
            };
            if value < param.min {
                return Err(format!(
                    "--{name} must be at least {} (got {value})",
                    param.min
                ));
            }
            if value > param.max {
                return Err(format!(
                    "--{name} must be at most {} (got {value}): {}",
                    param.max, param.help
                ));
            }
            if let Some(slot) = values.iter_mut().find(|(n, _)| *n == name) {
                slot.1 = value;
            }
        }
        Ok(Params(values))
    }

    /// The value of a declared parameter.
    ///
    /// # Panics
    /// If the model asks for a parameter it did not declare: a bug in the model.
    pub fn get(&self, name: &str) -> usize {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, v)| v)
            .unwrap_or_else(|| {
                panic!("the model reads parameter '{name}', which it does not declare")
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(n, v)| format!("{n}={v}")).collect();
        f.write_str(&parts.join(" "))
    }
}

impl Model {
    /// What a model says by leaving it out: preemption bound 2, 1,000 sampled schedules, PCT
    /// depth 3, no blind spot, no control, no parameter; a model states its name, source, about,
    /// variants and check (`..Model::DEFAULT` for the rest).
    pub const DEFAULT: Model = Model {
        name: "",
        source: "",
        about: "",
        params: &[],
        variants: &[],
        check: |_, _| Ok(()),
        preemption_bound: 2,
        schedules: 1_000,
        pct_depth: 3,
        blind_spots: &[],
        controls: &[],
        state_outside_primitives: None,
    };

    /// What `variant` must observe in `mode`: its verdict, or `ok` where the mode is blind to
    /// its bug (with the reason).
    pub fn expected_in(&self, variant: &Variant, mode: Mode) -> (Verdict, Option<&'static str>) {
        match self
            .blind_spots
            .iter()
            .find(|b| b.variant == variant.name && b.modes.contains(&mode))
        {
            Some(blind) => (Verdict::Pass, Some(blind.why)),
            None => (variant.expected, None),
        }
    }

    /// The variant, or the control, called `name`.
    pub fn variant(&self, name: &str) -> Result<&'static Variant, String> {
        self.variants
            .iter()
            .chain(self.controls)
            .find(|v| v.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.variants.iter().map(|v| v.name).collect();
                format!(
                    "model '{}' has no variant '{name}' (its variants: {})",
                    self.name,
                    known.join(", ")
                )
            })
    }
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant")
            .field("name", &self.name)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

/// How to run a check of a model; `None` fields take the model's stated defaults.
#[derive(Clone, Debug)]
pub struct Plan {
    pub mode: Mode,
    /// Exhaustive: the largest preemption bound to explore.
    pub preemptions: Option<usize>,
    /// Exhaustive: explore only at the largest bound instead of deepening from 0 (and so collect
    /// every outcome reachable at that bound even when a bug shows up earlier).
    pub no_deepening: bool,
    /// Bounded: skip what follows a state an earlier schedule reached (`Check::state_caching`).
    pub cache_states: bool,
    /// Bounded: dynamic partial-order reduction (`Reduction::Dpor`).
    pub dpor: bool,
    /// Bounded: count distinct behaviours (`Check::count_behaviours`).
    pub count_behaviours: bool,
    /// Randomized: schedules to try. Real: runs.
    pub schedules: Option<usize>,
    /// Randomized: the first seed of the campaign.
    pub seed: u64,
    /// Randomized: run exactly these seeds, `per_seed` schedules each, instead of as many seeds
    /// from `seed` as the budget needs: one range of a campaign spread over several machines.
    pub seeds: Option<std::ops::Range<u64>>,
    /// Randomized: schedules run from each seed.
    pub per_seed: usize,
    /// Randomized: OS threads the seeds are shared among (each runs its own shuttle runner).
    pub workers: usize,
    /// Randomized: stop at the first failing schedule, even a lost update, rather than look on
    /// for a worse verdict (a stuck run or a broken invariant always ends the search).
    pub first_failure: bool,
    /// PCT: the bug depth it targets (priority change points + 1; default: the model's).
    pub pct_depth: Option<usize>,
    /// Randomized: steps after which a schedule counts as not terminating.
    pub max_steps: usize,
    /// Stops exploring after this long; the report is then `incomplete`.
    pub time_limit: Option<Duration>,
    /// Real: how long a run may go without finishing before it is reported stuck.
    pub watchdog: Duration,
    /// Told how far the check has got, now and then (the CLI's progress line).
    pub on_progress: Option<Watch>,
}

/// A watcher of a check's progress; see [`Check::on_progress`].
#[derive(Clone)]
pub struct Watch(pub std::sync::Arc<dyn Fn(&Progress) + Send + Sync>);

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Watch")
    }
}

/// Real runs repeat a variant this many times unless told otherwise.
pub const DEFAULT_RUNS: usize = 5;

impl Plan {
    pub fn new(mode: Mode) -> Plan {
        Plan {
            mode,
            preemptions: None,
            no_deepening: false,
            cache_states: false,
            dpor: false,
            count_behaviours: false,
            schedules: None,
            seed: 0x1417_E4EA_4E00,
            seeds: None,
            per_seed: 100,
            first_failure: false,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            pct_depth: None,
            max_steps: 100_000,
            time_limit: None,
            watchdog: Duration::from_secs(10),
            on_progress: None,
        }
    }

    /// The checker's options for `model`: this plan, the model's defaults where it says nothing.
    pub fn for_model(&self, model: &Model) -> Check {
        let mut check = Check::new()
            .mode(self.mode)
            .preemptions(self.preemptions.unwrap_or(model.preemption_bound))
            .schedules(self.schedules.unwrap_or(model.schedules))
            .runs(self.schedules.unwrap_or(DEFAULT_RUNS))
            .seed(self.seed)
            .per_seed(self.per_seed)
            .jobs(self.workers)
            .pct_depth(self.pct_depth.unwrap_or(model.pct_depth))
            .max_steps(self.max_steps)
            .watchdog(self.watchdog)
            .state_caching(self.cache_states);
        if self.dpor {
            check = check.reduction(interleave_check::explore::Reduction::Dpor);
        }
        if self.count_behaviours {
            check = check.count_behaviours();
        }
        if self.no_deepening {
            check = check.no_deepening();
        }
        if let Some(seeds) = &self.seeds {
            check = check.seeds(seeds.clone());
        }
        if self.first_failure {
            check = check.first_failure();
        }
        if let Some(limit) = self.time_limit {
            check = check.time_limit(limit);
        }
        if let Some(Watch(watch)) = self.on_progress.clone() {
            check = check.on_progress(move |p| watch(p));
        }
        check
    }
}

/// What the reports of `variant` of `model` at `params` say about it, in `mode`.
pub fn subject(model: &Model, variant: &Variant, params: &Params, mode: Mode) -> Subject {
    let mut replay = format!(
        "interleave replay {} {} {{schedule}}",
        model.name, variant.name
    );
    for (name, value) in params.iter() {
        replay.push_str(&format!(" --{name} {value}"));
    }
    Subject {
        name: format!("{} / {}", model.name, variant.name),
        fields: vec![
            ("model", model.name.to_string()),
            ("variant", variant.name.to_string()),
        ],
        sizes: params.iter().map(|(n, v)| (n.to_string(), v)).collect(),
        expected: Some(variant.expected),
        blind_spot: model.expected_in(variant, mode).1.map(str::to_string),
        replay: Some(replay),
        explore_hint: Some(format!(
            "Run `interleave check {} {}` to see the schedule that does it",
            model.name, variant.name
        )),
    }
}

/// The closure the checker runs for one variant: the variant's run, its final state checked by
/// the model's check.
fn body(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> (Check, impl Fn() -> Outcome + Send + Sync + 'static) {
    let check_params = params.clone();
    let check = plan
        .for_model(model)
        .subject(subject(model, variant, params, plan.mode))
        .final_state(move |outcome| (model.check)(&check_params, outcome));
    let params = params.clone();
    let run = move || {
        checks::running(model.name);
        (variant.run)(&params)
    };
    (check, run)
}

/// Checks `variant` of `model` with `params` as `plan` says.
///
/// # Errors
/// When this build lacks the mode's backend (build with `--cfg loom` for exhaustive, `--cfg
/// shuttle` for random and pct; the CLI does it for you), or the size is beyond loom.
pub fn check(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> Result<Report, String> {
    let (check, run) = body(model, variant, params, plan);
    check.report(run).map_err(course_words)
}

/// Explores shard `index` of `count` of a bounded check of `variant` (see `Check::shard`).
///
/// # Errors
/// Outside bounded mode or a shuttle build.
pub fn shard(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
    shard: (usize, usize),
) -> Result<interleave_check::ShardReport, String> {
    let (check, run) = body(model, variant, params, plan);
    check.shard(shard, run).map_err(course_words)
}

/// The report of a bounded check of `variant`, from the reports of its shards (see
/// `Check::merge`).
///
/// # Errors
/// When the reports are not every shard's of this very check.
pub fn merge(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
    shards: &[interleave_check::ShardReport],
) -> Result<Report, String> {
    let (check, run) = body(model, variant, params, plan);
    check.merge(shards, run).map_err(course_words)
}

/// Re-runs exactly the shuttle schedule a random or pct check printed.
///
/// # Errors
/// Outside a shuttle build, or when `schedule` is not a schedule shuttle printed.
pub fn replay(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    schedule: &str,
) -> Result<Report, String> {
    let (check, run) = body(model, variant, params, &Plan::new(Mode::Random));
    check.replay(schedule, run).map_err(course_words)
}

/// The checker's error, with the course's command line where it names one.
fn course_words(e: CheckError) -> String {
    match e {
        CheckError::TooManyThreads { name, limit } => format!(
            "{name} needs more threads than loom explores ({limit}): check it at this size with \
             --mode bounded (every schedule up to a bound, no thread limit) or --mode portfolio \
             (random and PCT), or give a smaller size"
        ),
        CheckError::NotASchedule(s) => format!(
            "'{s}' is not a schedule: pass the string that a random or pct check printed after \
             `replay`"
        ),
        CheckError::ScheduleDoesNotFit(what) => format!(
            "the schedule does not fit {what}: replay takes a schedule that a random, pct or \
             portfolio check of this same model, variant and sizes printed"
        ),
        other => other.to_string(),
    }
}

/// Plays the scheduler on `variant` of `model` (shuttle builds): where the game stands after the
/// player's `moves`; see [`Check::play`].
///
/// # Errors
/// When a move names a thread that cannot run at that point.
#[cfg(shuttle)]
pub fn play(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    moves: &[usize],
) -> Result<interleave_check::explore::Board, interleave_check::explore::BadMove> {
    let (check, run) = body(model, variant, params, &Plan::new(Mode::Random));
    check.play(moves, run)
}
