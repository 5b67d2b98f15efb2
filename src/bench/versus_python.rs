//! `interleave bench`: the course's workloads in CPython, written the course's way
//! (`bench/python/*.py`), by hand with std's `Mutex` and `Condvar` (`bench/plain_std.rs`), and in
//! `interleave`'s real mode (the models' own code on std threads), side by side in one run, best
//! of three each, with the ratios. `--load N` runs N busy threads of the bench's own for the
//! whole run, as a machine whose cores are taken (tests in parallel, a build). Without `python3`,
//! the Rust columns alone, said so.

use super::load::Load;
use super::{seconds, Columns};
use crate::explore::{Model, Params, Scale};
use crate::models::{bounded_buffer, counter, philosophers, ping_pong};
use crate::primes;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Rounds per workload, each running every side once, in turn, so that the sides meet the same
/// moments of a shared machine; each side's best is kept (a neighbour's burst only slows a run).
const RUNS: usize = 3;
/// Under load, where runs vary more, more rounds.
const LOADED_RUNS: usize = 7;
/// Within a round, the Rust sides of a short workload run again until each has had about this
/// much time, at most `MAX_REPEATS` times.
const RUST_ROUND: Duration = Duration::from_millis(200);
const MAX_REPEATS: usize = 25;
/// The goals: every workload at least this many times faster than CPython on an idle machine…
const GOAL: f64 = 20.0;
/// …and, on a loaded one, this many times, and at least as fast as plain std.
const LOADED_GOAL: f64 = 5.0;

#[path = "../../bench/plain_std.rs"]
mod plain_std;

/// What runs on the Rust side.
enum Rust {
    /// A model's variant at the given sizes, its check run on the result.
    Model {
        model: &'static Model,
        variant: &'static str,
        sizes: &'static [(&'static str, usize)],
    },
    /// The prime factors of this many course numbers on a pool of every core.
    Primes { count: usize },
}

struct Workload {
    name: &'static str,
    about: &'static str,
    rust: Rust,
    /// The script in `bench/python/` and its arguments (`{workers}`: every core).
    python: (&'static str, &'static [&'static str]),
    /// The same workload by hand with std's primitives, given every core.
    plain: fn(usize) -> Duration,
}

const WORKLOADS: [Workload; 5] = [
    Workload {
        name: "counter",
        about: "2 threads x 1,000,000 increments under a lock",
        rust: Rust::Model {
            model: &counter::MODEL,
            variant: "locked",
            sizes: &[("threads", 2), ("increments", 1_000_000)],
        },
        python: ("counter.py", &["2", "1000000"]),
        plain: |_| plain_std::counter(2, 1_000_000),
    },
    Workload {
        name: "bounded buffer",
        about: "200,000 items, 5 slots, full/empty semaphores + lock",
        rust: Rust::Model {
            model: &bounded_buffer::MODEL,
            variant: "semaphores",
            sizes: &[("items", 200_000), ("size", 5)],
        },
        python: ("bounded_buffer.py", &["200000", "5"]),
        plain: |_| plain_std::bounded_buffer(200_000, 5),
    },
    Workload {
        name: "philosophers",
        about: "5 x 100,000 meals, ordered forks",
        rust: Rust::Model {
            model: &philosophers::MODEL,
            variant: "ordered",
            sizes: &[("philosophers", 5), ("meals", 100_000)],
        },
        python: ("philosophers.py", &["5", "100000"]),
        plain: |_| plain_std::philosophers(5, 100_000),
    },
    Workload {
        name: "ping-pong",
        about: "2 threads x 100,000 turns, strict alternation on a condition",
        rust: Rust::Model {
            model: &ping_pong::MODEL,
            variant: "condition",
            sizes: &[("rounds", 1), ("turns", 100_000)],
        },
        python: ("ping_pong.py", &["100000"]),
        plain: |_| plain_std::ping_pong(100_000),
    },
    Workload {
        name: "primes",
        about: "prime factors of 10,000 numbers, a pool of every core",
        rust: Rust::Primes { count: 10_000 },
        python: ("primes.py", &["10000", "{workers}"]),
        plain: |workers| {
            let numbers = primes::course_numbers(10_000, 2024);
            let (factors, elapsed) = plain_std::parallel(&numbers, primes::prime_factors, workers);
            assert_eq!(factors.len(), numbers.len());
            elapsed
        },
    },
];

/// Runs the table, with `load` busy threads running meanwhile.
pub fn run(load: usize) -> Result<()> {
    let workers = crate::explore::Plan::new(crate::explore::Mode::Real).workers;
    let python = python();
    let machine = if load == 0 {
        format!("{workers} cores, idle but for the bench")
    } else {
        format!("{workers} cores, {load} of the bench's own busy threads running throughout")
    };
    let rounds = if load == 0 { RUNS } else { LOADED_RUNS };
    match &python {
        Ok(version) => println!(
            "CPython ({version}), plain std (Mutex + Condvar by hand) and interleave's real mode \
             (std threads, release), side by side, each side's best of {rounds} rounds taken in \
             turn (the Rust sides of a short workload several times a round); {machine}"
        ),
        Err(why) => println!(
            "{why}: the Rust columns alone, best of {rounds} rounds taken in turn; {machine}"
        ),
    }
    println!(
        "(plain std runs twice per round: `std again` is its first best against its second, how \
         far a side strays from itself: the bench's resolution)"
    );
    let _load = Load::start(load);
    let columns = Columns::start(
        2,
        &[
            ("workload", 14),
            ("size", 60),
            ("CPython", 9),
            ("plain std", 9),
            ("interleave", 10),
            ("x CPython", 9),
            ("x std", 6),
            ("std again", 9),
        ],
    );
    let mut worst_python: Option<(f64, &str)> = None;
    let mut worst_std: Option<(f64, &str)> = None;
    // The bench's resolution: the lowest ratio plain std shows against itself (run twice a round).
    let mut resolution = 1.0f64;
    for workload in &WORKLOADS {
        eprintln!("bench: {}…", workload.name);
        let (mut rust, mut plain, mut python_time) = (Duration::MAX, Duration::MAX, None);
        let mut plain_again = Duration::MAX;
        let mut draws = 0;
        for _ in 0..rounds {
            // A few milliseconds are a time slice or two on a busy machine: short workloads
            // run their Rust sides again within the round, so each is a best of more draws.
            let repeats = if plain == Duration::MAX {
                1
            } else {
                (RUST_ROUND.as_secs_f64() / plain.as_secs_f64()).ceil() as usize
            };
            for _ in 0..repeats.clamp(1, MAX_REPEATS) {
                // Each draw starts with the next side, so that no side always follows another.
                for turn in 0..3 {
                    match (turn + draws) % 3 {
                        0 => rust = rust.min(run_rust(&workload.rust, workers)?),
                        1 => plain = plain.min((workload.plain)(workers)),
                        _ => plain_again = plain_again.min((workload.plain)(workers)),
                    }
                }
                draws += 1;
            }
            if python.is_ok() {
                let p = run_python(workload.python, workers)?;
                python_time = Some(python_time.map_or(p, |best: Duration| best.min(p)));
            }
        }
        let ratio = python_time.map(|p| p.as_secs_f64() / rust.as_secs_f64());
        let versus_std = plain.as_secs_f64() / rust.as_secs_f64();
        let spread = plain.as_secs_f64() / plain_again.as_secs_f64();
        resolution = resolution.min(spread).min(1.0 / spread);
        if let Some(r) = ratio {
            keep_worst(&mut worst_python, r, workload.name);
        }
        keep_worst(&mut worst_std, versus_std, workload.name);
        columns.row(&[
            workload.name.to_string(),
            workload.about.to_string(),
            python_time.map_or_else(|| "-".to_string(), seconds),
            seconds(plain),
            seconds(rust),
            ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.1}x")),
            format!("{versus_std:.2}x"),
            format!("{spread:.2}x"),
        ]);
    }
    println!();
    let verdict = |holds: bool| if holds { "holds" } else { "MISSED" };
    if let Some((ratio, name)) = worst_python {
        let goal = if load == 0 { GOAL } else { LOADED_GOAL };
        println!(
            "goal: every workload >= {goal:.0}x CPython{}: the slowest ratio is {ratio:.1}x \
             ({name}): {}",
            if load == 0 { "" } else { " under load" },
            verdict(ratio >= goal)
        );
    }
    if let Some((ratio, name)) = worst_std {
        if load == 0 {
            println!(
                "interleave against plain std: the slowest ratio is {ratio:.2}x ({name}) \
                 (a goal under load only: run with --load 2)"
            );
        } else {
            // A ratio that plain std also shows against itself says nothing either way.
            let within = if ratio < 1.0 && ratio >= resolution {
                format!(
                    ", within the bench's resolution (plain std against itself: down to \
                     {resolution:.2}x)"
                )
            } else {
                String::new()
            };
            println!(
                "goal: every workload under load at least as fast as plain std: the slowest \
                 ratio is {ratio:.2}x ({name}){within}: {}",
                verdict(ratio >= resolution)
            );
        }
    }
    Ok(())
}

fn keep_worst<'a>(worst: &mut Option<(f64, &'a str)>, ratio: f64, name: &'a str) {
    if worst.is_none_or(|(w, _)| ratio < w) {
        *worst = Some((ratio, name));
    }
}

fn run_rust(rust: &Rust, workers: usize) -> Result<Duration> {
    match *rust {
        Rust::Model {
            model,
            variant,
            sizes,
        } => {
            let variant = model.variant(variant).map_err(anyhow::Error::msg)?;
            let params =
                Params::for_model(model, Scale::Real, sizes).map_err(anyhow::Error::msg)?;
            let start = Instant::now();
            let outcome = (variant.run)(&params);
            let elapsed = start.elapsed();
            if let Err(why) = (model.check)(&params, &outcome) {
                bail!("{} {} went wrong: {why}", model.name, variant.name);
            }
            Ok(elapsed)
        }
        Rust::Primes { count } => {
            let numbers = primes::course_numbers(count, 2024);
            let start = Instant::now();
            let factors = primes::parallel(&numbers, primes::prime_factors, workers);
            let elapsed = start.elapsed();
            if factors.len() != count {
                bail!("primes went wrong: {} results for {count}", factors.len());
            }
            Ok(elapsed)
        }
    }
}

/// Where the Python programs are: beside the sources this program was built from.
fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/python")
}

/// The version of `python3`, or why it cannot be used.
fn python() -> Result<String, String> {
    if !scripts().join("counter.py").exists() {
        return Err(format!(
            "the Python programs are not at {}",
            scripts().display()
        ));
    }
    let out = Command::new("python3")
        .arg("--version")
        .output()
        .map_err(|_| "python3 is not installed".to_string())?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || version.is_empty() {
        return Err("python3 does not run".to_string());
    }
    Ok(version)
}

/// Runs one Python program; it prints the seconds its threads took on its last line.
fn run_python((script, args): (&str, &[&str]), workers: usize) -> Result<Duration> {
    let workers = workers.to_string();
    let args: Vec<&str> = args
        .iter()
        .map(|&a| {
            if a == "{workers}" {
                workers.as_str()
            } else {
                a
            }
        })
        .collect();
    let out = Command::new("python3")
        .arg(scripts().join(script))
        .args(&args)
        .output()
        .with_context(|| format!("cannot run python3 {script}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "python3 {script} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let secs: f64 = stdout
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .with_context(|| format!("python3 {script} printed no time: {stdout:?}"))?;
    Ok(Duration::from_secs_f64(secs))
}
