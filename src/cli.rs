//! The command line: `list`, `run`, `check`, `replay`, `table`, `bench`, and the course's real
//! programs: `serve` and `order` (the wine merchant), `ping`, `primes`.
//!
//! Every parameter a model declares becomes a flag of the same name (`--threads`, `--meals`),
//! checked against the chosen model. A mode this build cannot run (exhaustive needs loom, random
//! and pct need shuttle) is handed to a build of the right configuration, made with cargo in its
//! own target directory, so that one command is enough.

mod bench;
mod columns;
mod course;
pub(crate) mod delegate;
mod list;
mod play;
#[cfg(not(any(loom, shuttle)))]
mod programs;
mod progress;
mod table;
mod user_crate;

use crate::explore::{parse_shard, Mode, Plan};
use crate::models;
use anyhow::{bail, Context, Result};
use clap::{
    value_parser, Arg, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand,
};
use std::process::ExitCode;
use std::time::Duration;

/// The version, and which backend this binary was built with.
const VERSION: &str = if cfg!(loom) {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (loom backend: exhaustive mode)"
    )
} else if cfg!(shuttle) {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (shuttle backend: random, pct and portfolio modes)"
    )
} else {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (std backend: real runs; hands explored modes to the other builds)"
    )
};

#[derive(Parser, Debug)]
#[command(
    name = "interleave",
    version = VERSION,
    about = "A concurrency course's algorithms, run for real and explored schedule by schedule"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the models, their variants, expected verdicts and course sources.
    List {
        /// Print the README's table of models (Markdown) instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Run a model for real (std threads), timed.
    Run {
        model: String,
        /// One variant (default: every variant).
        variant: Option<String>,
        /// How many times to run each variant.
        #[arg(long, default_value_t = 5, value_parser = at_least_one)]
        runs: u64,
    },
    /// Explore a model's schedules and give its verdict.
    Check {
        model: String,
        /// One variant (default: every variant).
        variant: Option<String>,
        /// exhaustive (loom), random, pct, portfolio or bounded (shuttle), or real (std
        /// threads).
        #[arg(long, value_parser = mode_parser(), default_value = "exhaustive")]
        mode: Mode,
        #[command(flatten)]
        exploration: Exploration,
        /// text for people; json for tools (one object per variant and line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also write the report as one self-contained HTML page to FILE: the timeline to step
        /// through, who holds and waits after each step, the wait-for graph (one variant).
        #[arg(long, value_name = "FILE")]
        html: Option<std::path::PathBuf>,
        /// Bounded: explore only shard I of N (from 0: 0/4 is the first of four) of each bound's
        /// schedule tree, split the same way on every machine, and write its report to --out;
        /// `interleave merge` makes the N reports the one a single run gives (one variant).
        #[arg(long, value_name = "I/N", value_parser = parse_shard, requires = "out", conflicts_with_all = ["html", "format"])]
        shard: Option<(usize, usize)>,
        /// With --shard: the file the shard's report is written to (JSON).
        #[arg(long, value_name = "FILE", requires = "shard")]
        out: Option<std::path::PathBuf>,
    },
    /// Merge the reports of a bounded check's shards (`check … --shard I/N --out FILE`) into the
    /// report one run gives: the same verdict and first counterexample, every final state, the
    /// executions summed; exit 1 if the verdict is not the expected one.
    Merge {
        /// Every shard's report, in any order.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        /// text for people; json for tools.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Re-run exactly the schedule a random, pct or portfolio check printed: a model's
    /// (`replay MODEL VARIANT SCHEDULE`), or a test's of your own crate (`replay --test NAME
    /// SCHEDULE`).
    Replay {
        /// MODEL VARIANT SCHEDULE, or SCHEDULE alone with --test; a schedule may be @FILE, a
        /// file the check wrote it to.
        #[arg(value_name = "MODEL VARIANT SCHEDULE", num_args = 1..=3, required = true)]
        args: Vec<String>,
        /// The test whose failure printed the schedule, in the crate at --manifest-path.
        #[arg(long, value_name = "NAME")]
        test: Option<String>,
        /// With --test: the crate's Cargo.toml (default: the current directory's).
        #[arg(long, value_name = "PATH", requires = "test")]
        manifest_path: Option<std::path::PathBuf>,
        /// text for people; json for tools.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also write the replayed execution as one self-contained HTML page to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<std::path::PathBuf>,
    },
    /// Be the scheduler: pick which thread moves until the bug shows, in a course model (`play
    /// MODEL VARIANT`; without one, list the levels, easiest first) or in a test of your own
    /// crate (`play --test NAME`).
    Play {
        model: Option<String>,
        variant: Option<String>,
        /// A test of your own crate to play, in the crate at --manifest-path.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["model", "variant"])]
        test: Option<String>,
        /// With --test: the crate's Cargo.toml (default: the current directory's).
        #[arg(long, value_name = "PATH", requires = "test")]
        manifest_path: Option<std::path::PathBuf>,
        /// Play these moves (thread numbers, comma-separated, as the board numbers them) without
        /// a terminal; exit 0 if they reach the bug, 1 if not.
        #[arg(long, value_name = "LIST")]
        moves: Option<String>,
        /// The fewest preemptions the exhaustive explorer needs (given by the std build).
        #[arg(long, hide = true)]
        explorer_bound: Option<usize>,
    },
    /// Run a crate's tests in the three configurations (std, --cfg loom, --cfg shuttle), each in
    /// its own target directory, and print one table of test × real / exhaustive / random; exit
    /// 1 if a test failed.
    Test {
        /// The crate's Cargo.toml (default: the current directory's).
        #[arg(long, value_name = "PATH")]
        manifest_path: Option<std::path::PathBuf>,
        /// Arguments for the test binaries, after `--` (a name filter, --exact, …).
        #[arg(last = true)]
        args: Vec<String>,
        /// text: the table (and failed tests' reports); json: one object per test, per line.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Also write the results as JUnit XML to FILE (one suite per build), for CI.
        #[arg(long, value_name = "FILE", conflicts_with = "loom_suite")]
        junit: Option<std::path::PathBuf>,
        /// Run the crate's existing loom suite (its tests under --cfg loom), unchanged, under
        /// real loom and under interleave-loom, and table each test under both.
        #[arg(long)]
        loom_suite: bool,
        /// With --loom-suite: the features the suite needs (its `loom` feature, say).
        #[arg(long, value_name = "FEATURES", requires = "loom_suite")]
        features: Option<String>,
        /// With --loom-suite: the cfg that switches the suite on, where it is not `loom`
        /// (crossbeam's `crossbeam_loom`).
        #[arg(long, value_name = "NAME", requires = "loom_suite")]
        loom_cfg: Option<String>,
    },
    /// Check every model and variant, in every mode (each in its own build) or in one; exit 1 if
    /// any disagrees with its expected verdict.
    Table {
        /// One mode only (default: real, exhaustive, random and pct side by side).
        #[arg(long, value_parser = mode_parser())]
        mode: Option<Mode>,
        #[command(flatten)]
        exploration: Exploration,
        /// Also write the table as Markdown to FILE; a file holding the markers
        /// `<!-- verdicts:start -->` and `<!-- verdicts:end -->` (the README) gets it between them.
        #[arg(long, value_name = "FILE")]
        markdown: Option<std::path::PathBuf>,
        /// Also write a page per variant and mode to DIR (as `check --html`), and DIR/index.html
        /// linking them with their verdicts.
        #[arg(long, value_name = "DIR")]
        html: Option<std::path::PathBuf>,
        /// text for people; json for tools (one object per variant and mode, one per line).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The course's threaded wine server: one thread per client, orders of 1-99 bottles served
    /// from a shared stock until it is empty (003 part IV).
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The port to listen on (0: any free port, printed at start).
        #[arg(long, default_value_t = WINE_PORT)]
        port: u16,
        /// Bottles in stock at the start.
        #[arg(long, default_value_t = 300, value_parser = value_parser!(u32))]
        stock: u32,
    },
    /// Order bottles from a wine server, as the course's client does.
    Order {
        /// Bottles to order, 1 to 99 (default: a random number, as in the course).
        #[arg(value_parser = value_parser!(u32).range(1..=99))]
        bottles: Option<u32>,
        /// The server's host.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The server's port.
        #[arg(long, default_value_t = WINE_PORT)]
        port: u16,
    },
    /// The course's threaded ping: probe hosts concurrently (a TCP connection to each), print
    /// each one ALIVE, FAILING ? or UNKNOWN (003 part I).
    Ping {
        /// Hosts to probe: names or addresses, each with an optional :PORT.
        #[arg(required = true, value_name = "HOST")]
        hosts: Vec<String>,
        /// The port probed on hosts given without one.
        #[arg(long, default_value_t = 80)]
        port: u16,
        /// Seconds to wait for each host (the course's `ping -w 3`).
        #[arg(long, default_value_t = 3, value_parser = value_parser!(u64).range(1..=60))]
        delay: u64,
        /// Print every result from the main thread after joining the probes (threaded_ping2),
        /// instead of each probe printing its own block under a lock.
        #[arg(long)]
        gather: bool,
    },
    /// The course's number crunching: prime factors of random numbers of 20,000 to 100,000,000,
    /// sequentially and on a pool of workers, timed; the results must be identical (004, 000).
    Primes {
        /// How many numbers (the course: 10,000).
        #[arg(long, default_value_t = 10_000, value_parser = value_parser!(u64).range(1..=10_000_000))]
        count: u64,
        /// Worker threads (default: every core).
        #[arg(long, value_parser = value_parser!(u64).range(1..=1024))]
        workers: Option<u64>,
        /// The seed of the numbers (the same seed, the same numbers).
        #[arg(long, default_value_t = 2024)]
        seed: u64,
    },
    /// Print benchmark tables: the course's workloads in CPython and in real mode, side by side;
    /// with --explore, what exploring the counter and the philosophers costs as they grow
    /// (executions, time, rate; loom and shuttle), and the course-size goals.
    Bench {
        /// The cost of exploring (runs the loom and shuttle builds).
        #[arg(long, conflicts_with = "load")]
        explore: bool,
        /// What `interleave test` costs a new crate beside its three `cargo test` runs (builds
        /// it from empty target directories: minutes).
        #[arg(long, conflicts_with = "explore")]
        user_crate: bool,
        /// Run N busy threads of the bench's own throughout, as a machine whose cores are taken.
        #[arg(long, value_name = "N", default_value_t = 0, value_parser = value_parser!(u64).range(0..=256))]
        load: u64,
    },
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// How far to explore; every field defaults to the model's stated budget.
#[derive(Args, Debug, Clone)]
struct Exploration {
    /// Random/pct: schedules to try (default: the model's stated budget). Real: runs.
    #[arg(long, value_parser = at_least_one)]
    schedules: Option<u64>,
    /// Random/pct: the first seed; the budget runs from seeds SEED, SEED+1, … (--per-seed
    /// schedules each).
    #[arg(long)]
    seed: Option<u64>,
    /// Random/pct: run exactly the seeds A..B (B excluded), --per-seed schedules each: one slice
    /// of a campaign spread over machines; any failure replays on one.
    #[arg(long, value_name = "A..B", value_parser = parse_seeds)]
    seeds: Option<std::ops::Range<u64>>,
    /// Random/pct: schedules run from each seed.
    #[arg(long, value_parser = at_least_one)]
    per_seed: Option<u64>,
    /// Random/pct/portfolio/bounded: OS threads sharing the seeds or the schedule tree (default:
    /// every core). Named as cargo's, so that no model parameter (`--workers`, `--threads`) is
    /// ever shadowed.
    #[arg(long, short = 'j', value_parser = at_least_one)]
    jobs: Option<u64>,
    /// Random/pct: stop at the first failing schedule, even a lost update (by default the search
    /// goes on for a worse verdict: a deadlock or a broken invariant).
    #[arg(long)]
    first_failure: bool,
    /// Pct: the bug depth to target (default: the model's stated depth).
    #[arg(long, value_parser = at_least_one)]
    depth: Option<u64>,
    /// Exhaustive/bounded: the largest preemption bound (default: the model's stated bound), or
    /// `all` for none: every schedule, in one pass (with `--cache-states`, bounded mode then
    /// verifies a program with finitely many states outright).
    #[arg(long, value_parser = preemption_bound)]
    preemptions: Option<usize>,
    /// Exhaustive/bounded: explore only at the largest bound rather than deepening from 0.
    #[arg(long)]
    no_deepening: bool,
    /// Bounded: stop following a schedule where it reaches a state an earlier one reached (as
    /// the primitives see the state). Sound where everything that decides the outcome lives in
    /// interleave's primitives (the counter's, say; not a model whose monitor keeps its own
    /// tally, as the philosophers').
    #[arg(long)]
    cache_states: bool,
    /// Bounded: dynamic partial-order reduction — at each choice point, try only the threads
    /// that a race found below it asks for (not with --cache-states).
    #[arg(long)]
    dpor: bool,
    /// Bounded: also count the distinct behaviours among the executions (orders of dependent
    /// steps: Mazurkiewicz traces), to see how many executions each costs.
    #[arg(long)]
    count_behaviours: bool,
    /// Explored modes: steps after which a schedule counts as never ending (a livelock).
    #[arg(long, value_parser = value_parser!(u64).range(100..))]
    max_steps: Option<u64>,
    /// Stop exploring after this many seconds (the result is then "incomplete").
    #[arg(long, value_parser = at_least_one)]
    time_limit: Option<u64>,
}

/// The modes, listed in `--help` and in the error for a mode that does not exist.
fn mode_parser() -> impl clap::builder::TypedValueParser<Value = Mode> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Mode::ALL.map(Mode::as_str))
        .map(|s| s.parse::<Mode>().expect("a listed mode"))
}

impl Exploration {
    fn plan(&self, mode: Mode) -> Plan {
        let mut plan = Plan::new(mode);
        plan.preemptions = self.preemptions;
        plan.no_deepening = self.no_deepening;
        plan.cache_states = self.cache_states;
        plan.dpor = self.dpor;
        plan.count_behaviours = self.count_behaviours;
        plan.first_failure = self.first_failure;
        plan.schedules = self.schedules.map(|s| s as usize);
        plan.pct_depth = self.depth.map(|d| d as usize);
        if let Some(seed) = self.seed {
            plan.seed = seed;
        }
        plan.seeds = self.seeds.clone();
        if let Some(n) = self.per_seed {
            plan.per_seed = n as usize;
        }
        if let Some(n) = self.jobs {
            plan.workers = n as usize;
        }
        plan.time_limit = self.time_limit.map(Duration::from_secs);
        if let Some(steps) = self.max_steps {
            plan.max_steps = steps as usize;
        }
        plan
    }

    /// The flags that give this exploration to another build.
    fn flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        let mut give = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                flags.push(format!("--{name}"));
                flags.push(v);
            }
        };
        give("schedules", self.schedules.map(|v| v.to_string()));
        give("seed", self.seed.map(|v| v.to_string()));
        give(
            "seeds",
            self.seeds
                .as_ref()
                .map(|r| format!("{}..{}", r.start, r.end)),
        );
        give("per-seed", self.per_seed.map(|v| v.to_string()));
        give("jobs", self.jobs.map(|v| v.to_string()));
        give("depth", self.depth.map(|v| v.to_string()));
        give("preemptions", self.preemptions.map(|v| v.to_string()));
        give("max-steps", self.max_steps.map(|v| v.to_string()));
        give("time-limit", self.time_limit.map(|v| v.to_string()));
        if self.no_deepening {
            flags.push("--no-deepening".to_string());
        }
        if self.cache_states {
            flags.push("--cache-states".to_string());
        }
        if self.dpor {
            flags.push("--dpor".to_string());
        }
        if self.count_behaviours {
            flags.push("--count-behaviours".to_string());
        }
        if self.first_failure {
            flags.push("--first-failure".to_string());
        }
        flags
    }
}

/// Reads a count that must be at least 1 (clap's own range error would print `1..` as
/// `1..18446744073709551615`).
/// A preemption bound: a number, or `all` for none.
fn preemption_bound(text: &str) -> Result<usize, String> {
    match text.trim() {
        "all" => Ok(interleave_check::explore::UNBOUNDED),
        n => n
            .parse()
            .map_err(|_| "give a number of preemptions, or all for no bound".to_string()),
    }
}

fn at_least_one(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("it must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err("it must be a whole number, at least 1".to_string()),
    }
}

/// Reads `A..B`, a non-empty range of seeds.
fn parse_seeds(text: &str) -> Result<std::ops::Range<u64>, String> {
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("'{text}' is not a range of seeds: write A..B, as 0..100"))?;
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("'{s}' in '{text}' is not a seed (a whole number)"))
    };
    let (a, b) = (number(a)?, number(b)?);
    if a >= b {
        return Err(format!(
            "the range {a}..{b} holds no seed: B must be larger than A"
        ));
    }
    Ok(a..b)
}

/// Every parameter any model declares, once, as a flag.
fn param_args() -> Vec<Arg> {
    let mut seen: Vec<&str> = Vec::new();
    let mut args = Vec::new();
    for model in models::ALL {
        for p in model.params {
            if !seen.contains(&p.name) {
                seen.push(p.name);
                args.push(
                    Arg::new(p.name)
                        .long(p.name)
                        .value_name("N")
                        .value_parser(value_parser!(usize))
                        .help(format!("{} ({})", p.help, model.name))
                        .help_heading("Model parameters"),
                );
            }
        }
    }
    args
}

fn overrides(m: &ArgMatches) -> Vec<(&'static str, usize)> {
    let mut out = Vec::new();
    for model in models::ALL {
        for p in model.params {
            if let Ok(Some(&v)) = m.try_get_one::<usize>(p.name) {
                if !out.iter().any(|&(n, _)| n == p.name) {
                    out.push((p.name, v));
                }
            }
        }
    }
    out
}

/// The whole command line, with every model's parameters as flags of `run`, `check` and
/// `replay`.
pub fn command() -> clap::Command {
    Cli::command()
        .mut_subcommand("run", |c| c.args(param_args()))
        .mut_subcommand("check", |c| c.args(param_args()))
        // A user replaying a test of their own crate has no use for the course's sizes: apart,
        // and refused beside --test.
        .mut_subcommand("replay", |c| {
            c.args(param_args().into_iter().map(|a| {
                a.help_heading("Sizes of a course model (MODEL VARIANT SCHEDULE; not with --test)")
                    .conflicts_with("test")
            }))
        })
        .mut_subcommand("play", |c| {
            c.args(param_args().into_iter().map(|a| {
                a.help_heading("Sizes of a course model (MODEL VARIANT; not with --test)")
                    .conflicts_with("test")
            }))
        })
}

/// Parses the command line and does what it says. `Ok` carries the exit code: 0 when every
/// verdict agrees with the expected one, 1 when one does not; errors exit 2.
pub fn run() -> Result<ExitCode> {
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches)
        .map_err(|e| e.exit())
        .unwrap_or_else(|e| e);
    let sub = matches.subcommand().map(|(_, m)| m);
    let given = sub.map(overrides).unwrap_or_default();

    match cli.command {
        Command::List { markdown } => {
            if markdown {
                list::list_markdown();
            } else {
                list::list();
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            model,
            variant,
            runs,
        } => {
            let mut plan = Plan::new(Mode::Real);
            plan.schedules = Some(runs as usize);
            course::check_variants(
                &model,
                variant.as_deref(),
                &given,
                &plan,
                Format::Text,
                None,
            )
        }
        Command::Check {
            model,
            variant,
            mode,
            exploration,
            shard: Some((index, count)),
            out,
            ..
        } => {
            if mode != Mode::Bounded {
                bail!("--shard splits bounded mode's exploration: add --mode bounded");
            }
            let Some(variant) = variant else {
                bail!(
                    "--shard explores one variant: name it (interleave check {model} VARIANT \
                     --mode bounded --shard {index}/{count} --out FILE)"
                );
            };
            course::reduction_allowed(&model, mode, exploration.cache_states, exploration.dpor)?;
            if !mode.available() {
                return delegate::delegate(mode.backend());
            }
            let out = out.expect("clap requires --out with --shard");
            course::check_shard(
                &model,
                &variant,
                &given,
                &exploration.plan(mode),
                (index, count),
                &out,
            )
        }
        Command::Merge { files, format } => {
            // Read first: a missing or foreign file is said before any build starts.
            let shards = course::read_shards(&files)?;
            if !Mode::Bounded.available() {
                return delegate::delegate(Mode::Bounded.backend());
            }
            course::merge(&shards, format)
        }
        Command::Check {
            model,
            variant,
            mode,
            exploration,
            format,
            html,
            ..
        } => {
            if html.is_some() && variant.is_none() {
                bail!("--html writes the page of one variant: name it (interleave check {model} VARIANT --html FILE)");
            }
            course::reduction_allowed(&model, mode, exploration.cache_states, exploration.dpor)?;
            if !mode.available() {
                return delegate::delegate(mode.backend());
            }
            course::check_variants(
                &model,
                variant.as_deref(),
                &given,
                &exploration.plan(mode),
                format,
                html.as_deref(),
            )
        }
        Command::Test {
            manifest_path,
            args,
            loom_suite: true,
            features,
            loom_cfg,
            ..
        } => user_crate::run_loom_suite(
            manifest_path.as_deref(),
            features.as_deref(),
            loom_cfg.as_deref().unwrap_or("loom"),
            &args,
        ),
        Command::Test {
            manifest_path,
            args,
            format,
            junit,
            ..
        } => user_crate::run(manifest_path.as_deref(), &args, format, junit.as_deref()),
        Command::Play {
            model,
            variant,
            test,
            manifest_path,
            moves,
            explorer_bound,
        } => match (model, variant) {
            _ if test.is_some() => user_crate::play(
                manifest_path.as_deref(),
                test.as_deref().unwrap_or_default(),
                moves.as_deref(),
            ),
            (None, _) => play::levels(),
            (Some(model), None) => bail!(
                "play takes MODEL VARIANT (interleave play {model} VARIANT); `interleave play` \
                 lists the levels"
            ),
            (Some(model), Some(variant)) => {
                #[cfg(shuttle)]
                let played = play::game(&model, &variant, moves.as_deref(), explorer_bound, &given);
                #[cfg(not(shuttle))]
                let played = {
                    let _ = explorer_bound;
                    play::play(&model, &variant, moves.as_deref(), &given)
                };
                played
            }
        },
        Command::Replay {
            args,
            test,
            manifest_path,
            format,
            html,
        } => {
            let (model, variant, schedule) = match (test.as_deref(), args.as_slice()) {
                (Some(_), [schedule]) => (String::new(), String::new(), schedule.clone()),
                (Some(_), _) => bail!(
                    "replay --test NAME takes the schedule alone (got {} arguments)",
                    args.len()
                ),
                (None, [model, variant, schedule]) => {
                    (model.clone(), variant.clone(), schedule.clone())
                }
                (None, _) => bail!(
                    "replay takes MODEL VARIANT SCHEDULE, or --test NAME SCHEDULE for a test of \
                     your own crate"
                ),
            };
            let schedule = match schedule.strip_prefix('@') {
                Some(path) => std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the schedule file {path}"))?
                    .trim()
                    .to_string(),
                None => schedule,
            };
            match &test {
                Some(test) => {
                    user_crate::replay(manifest_path.as_deref(), test, &schedule, html.as_deref())
                }
                None => {
                    course::replay(&model, &variant, &schedule, &given, format, html.as_deref())
                }
            }
        }
        Command::Table {
            mode,
            exploration,
            markdown,
            html,
            format,
        } => table::run(
            mode,
            &exploration,
            markdown.as_deref(),
            html.as_deref(),
            format,
        ),
        Command::Bench {
            explore,
            user_crate,
            load,
        } => bench::run(explore, user_crate, load as usize),
        #[cfg(not(any(loom, shuttle)))]
        Command::Serve { host, port, stock } => programs::serve(&host, port, stock),
        #[cfg(not(any(loom, shuttle)))]
        Command::Order {
            bottles,
            host,
            port,
        } => programs::order(&host, port, bottles),
        #[cfg(not(any(loom, shuttle)))]
        Command::Ping {
            hosts,
            port,
            delay,
            gather,
        } => programs::ping(&hosts, port, delay, gather),
        #[cfg(not(any(loom, shuttle)))]
        Command::Primes {
            count,
            workers,
            seed,
        } => programs::primes(count, workers, seed),
        #[cfg(any(loom, shuttle))]
        Command::Serve { .. }
        | Command::Order { .. }
        | Command::Ping { .. }
        | Command::Primes { .. } => bail!(
            "the course's real programs (serve, order, ping, primes) run in the std build only \
             (this build explores with {}): run them without RUSTFLAGS",
            crate::sync::BACKEND
        ),
    }
}

/// The wine server's port when none is given.
const WINE_PORT: u16 = 50_007;
