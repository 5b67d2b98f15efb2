//! The command line: `list`, `run`, `check`, `replay`, `table`, `bench`, and the course's real
//! programs: `serve` and `order` (the wine merchant), `ping`, `primes`.
//!
//! Every parameter a model declares becomes a flag of the same name (`--threads`, `--meals`),
//! checked against the chosen model. A mode this build cannot run (exhaustive needs loom, random
//! and pct need shuttle) is handed to a build of the right configuration, made with cargo in its
//! own target directory, so that one command is enough.

mod columns;
mod play;
#[cfg(not(any(loom, shuttle)))]
mod programs;
mod progress;
mod table;
mod test_crate;

use crate::bench::thousands;
use crate::explore::{self, Mode, Model, Params, Plan, Report, Variant};
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
    /// Be the scheduler: pick which thread moves until the bug shows (without a model, list the
    /// levels, easiest first).
    Play {
        model: Option<String>,
        variant: Option<String>,
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
        #[arg(long, value_name = "FILE")]
        junit: Option<std::path::PathBuf>,
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
        .mut_subcommand("play", |c| c.args(param_args()))
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
                list_markdown();
            } else {
                list();
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
            check_variants(
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
            format,
            html,
        } => {
            if html.is_some() && variant.is_none() {
                bail!("--html writes the page of one variant: name it (interleave check {model} VARIANT --html FILE)");
            }
            if exploration.cache_states {
                cached_states_allowed(&model, mode)?;
            }
            if !mode.available() {
                return delegate(mode.backend());
            }
            check_variants(
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
            format,
            junit,
        } => test_crate::run(manifest_path.as_deref(), &args, format, junit.as_deref()),
        Command::Play {
            model,
            variant,
            moves,
            explorer_bound,
        } => match (model, variant) {
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
            if let Some(test) = &test {
                return test_crate::replay(
                    manifest_path.as_deref(),
                    test,
                    &schedule,
                    html.as_deref(),
                );
            }
            if crate::sync::BACKEND != "shuttle" {
                return delegate("shuttle");
            }
            let model = models::find(&model).map_err(anyhow::Error::msg)?;
            let variant = model.variant(&variant).map_err(anyhow::Error::msg)?;
            let params =
                Params::for_model(model, Mode::Random, &given).map_err(anyhow::Error::msg)?;
            let mut report =
                explore::replay(model, variant, &params, &schedule).map_err(anyhow::Error::msg)?;
            stash_long_schedule(&mut report)?;
            print_report(&report, format);
            if let Some(path) = &html {
                write_page(&report, path)?;
            }
            Ok(exit_code(report.agrees()))
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
        Command::Bench { explore, load } => bench(explore, load as usize),
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

fn list() {
    for model in models::ALL {
        println!("{} — {}", model.name, model.about);
        println!("  source: {}", model.source);
        let params: Vec<String> = model
            .params
            .iter()
            .map(|p| {
                format!(
                    "--{} (exhaustive {}, randomized {}, real {})",
                    p.name, p.exhaustive, p.randomized, p.real
                )
            })
            .collect();
        println!("  parameters: {}", params.join("; "));
        println!(
            "  explored: exhaustive to preemption bound {}; {} random or pct schedules (pct depth {})",
            model.preemption_bound, model.schedules, model.pct_depth
        );
        let width = model
            .variants
            .iter()
            .chain(model.controls)
            .map(|v| v.name.len())
            .max()
            .unwrap_or(0);
        for v in model.variants {
            println!(
                "  {:<width$}  expected {:<11} {}",
                v.name, v.expected, v.about
            );
        }
        for c in model.controls {
            println!(
                "  {:<width$}  control  {:<11} {}",
                c.name, c.expected, c.about
            );
        }
        println!();
    }
}

/// The README's table: one row per variant, the model's sizes on its first row.
fn list_markdown() {
    let sizes = |model: &Model, pick: fn(&explore::Param) -> usize| -> String {
        let all: Vec<String> = model
            .params
            .iter()
            .map(|p| format!("{} {}", p.name, thousands(pick(p))))
            .collect();
        if all.is_empty() {
            "as in the course".to_string()
        } else {
            all.join(", ")
        }
    };
    println!("| model | source | variant | expected | exhaustive size (bound) | randomized size (budget) | real size |");
    println!("|---|---|---|---|---|---|---|");
    for model in models::ALL {
        for (i, v) in model.variants.iter().enumerate() {
            let expected = if model.blind_spots.iter().any(|b| b.variant == v.name) {
                format!("{} (loom only)", v.expected)
            } else {
                v.expected.to_string()
            };
            if i == 0 {
                println!(
                    "| {} | {} | `{}` | {} | {} (bound {}) | {} ({}; PCT depth {}) | {} |",
                    model.name,
                    model.source,
                    v.name,
                    expected,
                    sizes(model, |p| p.exhaustive),
                    model.preemption_bound,
                    sizes(model, |p| p.randomized),
                    thousands(model.schedules),
                    model.pct_depth,
                    sizes(model, |p| p.real),
                );
            } else {
                println!("| | | `{}` | {} | | | |", v.name, expected);
            }
        }
    }
}

fn selected(model: &str, variant: Option<&str>) -> Result<(&'static Model, Vec<&'static Variant>)> {
    let model = models::find(model).map_err(anyhow::Error::msg)?;
    let variants = match variant {
        Some(v) => vec![model.variant(v).map_err(anyhow::Error::msg)?],
        None => model.variants.iter().collect(),
    };
    Ok((model, variants))
}

/// `--cache-states` is bounded mode's, and only for a model whose state all lives in the
/// primitives: said before anything runs (or is handed to another build).
fn cached_states_allowed(model: &str, mode: Mode) -> Result<()> {
    if mode != Mode::Bounded {
        bail!("--cache-states is bounded mode's: add --mode bounded, or drop it");
    }
    let (model, _) = selected(model, None)?;
    if let Some(why) = model.state_outside_primitives {
        bail!(
            "{} keeps state the primitives do not see ({why}): caching its states could merge \
             schedules that differ there; drop --cache-states",
            model.name
        );
    }
    Ok(())
}

fn check_variants(
    model: &str,
    variant: Option<&str>,
    given: &[(&str, usize)],
    plan: &Plan,
    format: Format,
    html: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let (model, variants) = selected(model, variant)?;
    let params = Params::for_model(model, plan.mode, given).map_err(anyhow::Error::msg)?;
    let mut agree = true;
    for variant in variants {
        eprintln!(
            "checking {} / {} ({} mode, {params})…",
            model.name, variant.name, plan.mode
        );
        let line = match format {
            Format::Text => progress::Line::on_terminal(),
            Format::Json => progress::Line::none(),
        };
        let mut watched = plan.clone();
        watched.on_progress = line.watch();
        let checked = explore::check(model, variant, &params, &watched);
        line.clear();
        let mut report = checked.map_err(anyhow::Error::msg)?;
        stash_long_schedule(&mut report)?;
        print_report(&report, format);
        if let Some(path) = html {
            write_page(&report, path)?;
        }
        if format == Format::Text {
            if plan.mode == Mode::Real {
                print_timing(&report);
            }
            println!();
        }
        agree &= report.agrees();
    }
    Ok(exit_code(agree))
}

/// Writes the report's HTML page to `path`, and says where.
fn write_page(report: &Report, path: &std::path::Path) -> Result<()> {
    std::fs::write(path, report.html())
        .with_context(|| format!("cannot write the page to {}", path.display()))?;
    eprintln!("interleave: the page is in {}", path.display());
    Ok(())
}

/// 0 when every verdict agrees with the expected one, 1 when one does not.
pub(crate) fn exit_code(agree: bool) -> ExitCode {
    if agree {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_report(report: &Report, format: Format) {
    match format {
        Format::Text => print!("{report}"),
        Format::Json => println!("{}", report.json()),
    }
}

/// A schedule longer than this is written to a file rather than printed (a livelock's schedule
/// runs to the step bound: hundreds of thousands of characters).
const LONGEST_PRINTED_SCHEDULE: usize = 200;

/// Moves a long schedule into a file under the system's temporary directory, and leaves `@FILE`
/// in its place, which `replay` reads back.
fn stash_long_schedule(report: &mut Report) -> Result<()> {
    let Some(schedule) = report.failure.as_mut().and_then(|f| f.schedule.as_mut()) else {
        return Ok(());
    };
    if schedule.len() <= LONGEST_PRINTED_SCHEDULE {
        return Ok(());
    }
    let dir = std::env::temp_dir().join("interleave");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create {} for the schedule", dir.display()))?;
    let path = dir.join(format!(
        "{}-{}.schedule",
        report.subject.name.replace(" / ", "-"),
        report.mode
    ));
    std::fs::write(&path, schedule.as_bytes())
        .with_context(|| format!("cannot write the schedule to {}", path.display()))?;
    *schedule = format!("@{}", path.display());
    Ok(())
}

fn print_timing(report: &Report) {
    let per_run = report.elapsed / report.executions.max(1) as u32;
    let outcomes: Vec<String> = report
        .outcomes
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect();
    println!(
        "  {per_run:.2?} per run; final states seen: {}",
        outcomes.join(" | ")
    );
}

/// The wine server's port when none is given.
const WINE_PORT: u16 = 50_007;

/// The std build times real runs against CPython (and what blocked threads cost), and hands
/// `--explore` to the loom and shuttle builds, one half each.
#[cfg(not(any(loom, shuttle)))]
fn bench(explore: bool, load: usize) -> Result<ExitCode> {
    if !explore {
        crate::bench::versus_python::run(load)?;
        #[cfg(unix)]
        {
            println!();
            crate::bench::idle_waiters::run()?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    for backend in ["loom", "shuttle"] {
        let mut command = delegated_command(backend)?;
        command.args(["bench", "--explore"]);
        let (status, _) = run_delegated(command, false)?;
        if !status.success() {
            bail!("the {backend} half of the bench failed ({status})");
        }
        println!();
    }
    crate::bench::bounded_vs_loom::run()?;
    println!();
    crate::bench::versus_spin::run()?;
    Ok(ExitCode::SUCCESS)
}

/// An explored build prints its half of `--explore`; real runs are the std build's.
#[cfg(any(loom, shuttle))]
fn bench(explore: bool, _load: usize) -> Result<ExitCode> {
    if !explore {
        bail!(
            "`interleave bench` times real runs: run it in the std build (without RUSTFLAGS); \
             this build runs `bench --explore`"
        );
    }
    crate::bench::explore_cost::run()?;
    #[cfg(shuttle)]
    {
        println!();
        crate::bench::race_clocks::run()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Hands the same command line to a build with the `backend` configuration.
pub(crate) fn delegate(backend: &str) -> Result<ExitCode> {
    let mut command = delegated_command(backend)?;
    command.args(std::env::args_os().skip(1));
    let (status, _) = run_delegated(command, false)?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(c) => ExitCode::from(u8::try_from(c).unwrap_or(2)),
        None => ExitCode::from(2),
    })
}

/// Runs a build `delegated_command` made, its standard output captured (when `capture_stdout`)
/// or passed through, its standard error passed through without shuttle's "test panicked in
/// task '…'" and "Test deadlocked…" lines: shuttle prints one for every failing schedule it
/// meets, and the report already says which thread failed and why.
pub(crate) fn run_delegated(
    mut command: std::process::Command,
    capture_stdout: bool,
) -> Result<(std::process::ExitStatus, String)> {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    command.stderr(Stdio::piped());
    if capture_stdout {
        command.stdout(Stdio::piped());
    }
    let mut child = command
        .spawn()
        .context("cannot start cargo to build the explorer")?;
    let stderr = child.stderr.take().context("no standard error to read")?;
    let forward = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // cargo's lines about which test binary runs say nothing a report does not.
            let trimmed = line.trim_start();
            let chatter = ["Running ", "Doc-tests ", "Finished "]
                .iter()
                .any(|p| trimmed.starts_with(p));
            let shuttle = line.starts_with("test panicked in")
                || line.starts_with("Test deadlocked, and SHUTTLE_CAPTURE_BACKTRACE is not set")
                || line == "Task failed, serializing schedule";
            if !shuttle && !chatter {
                eprintln!("{line}");
            }
        }
    });
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)
            .context("cannot read what the explorer printed")?;
    }
    let status = child.wait().context("the explorer did not end")?;
    let _ = forward.join();
    Ok((status, stdout))
}

/// Whether `target/<backend>/release/interleave` is newer than every source it is built from (a
/// guess from modification times, to say "building" only when cargo will build).
fn built_from_current_sources(manifest_dir: &str, target: &std::path::Path) -> bool {
    fn newest(path: &std::path::Path) -> Option<std::time::SystemTime> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_file() {
            return meta.modified().ok();
        }
        std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| newest(&e.ok()?.path()))
            .max()
    }
    let Some(binary) = newest(&target.join("release").join("interleave")) else {
        return false;
    };
    let root = std::path::Path::new(manifest_dir);
    [
        "src",
        "models",
        "bench",
        "crates",
        "Cargo.toml",
        "Cargo.lock",
    ]
    .iter()
    .filter_map(|p| newest(&root.join(p)))
    .all(|source| source <= binary)
}

/// `cargo run` of this program built with the `backend` configuration, in its own target
/// directory so that the three builds do not rebuild each other; the caller adds the arguments.
pub(crate) fn delegated_command(backend: &str) -> Result<std::process::Command> {
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    if std::env::var_os("INTERLEAVE_DELEGATED").is_some()
        || !std::path::Path::new(manifest_dir)
            .join("Cargo.toml")
            .exists()
    {
        bail!(
            "this build has the {} backend; for {backend}, build with {}",
            crate::sync::BACKEND,
            crate::sync::build_command(backend)
        );
    }
    let target = std::path::Path::new(manifest_dir)
        .join("target")
        .join(backend);
    let building = !built_from_current_sources(manifest_dir, &target);
    if building {
        eprintln!(
            "interleave: building the {backend} configuration in target/{backend} first (a few \
             minutes the first time; cargo's progress follows)…"
        );
    }
    let mut command =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.arg("run");
    if !building {
        command.arg("--quiet");
    }
    command
        .args(["--release", "--bin", "interleave", "--manifest-path"])
        .arg(format!("{manifest_dir}/Cargo.toml"))
        .arg("--target-dir")
        .arg(format!("{manifest_dir}/target/{backend}"))
        .arg("--")
        .env("RUSTFLAGS", format!("--cfg {backend}"))
        .env("INTERLEAVE_DELEGATED", "1");
    Ok(command)
}
