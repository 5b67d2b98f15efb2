//! `interleave bench`: the course's workloads in CPython, written the course's way
//! (`bench/python/*.py`), and in `interleave`'s real mode (the models' own code on std threads),
//! side by side in one run, best of three each, with the ratio. Without `python3`, the Rust
//! column alone, said so.

use super::{seconds, Columns};
use crate::explore::{Model, Params, Scale};
use crate::models::{bounded_buffer, counter, philosophers, ping_pong};
use crate::primes;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs per side; the best is kept (a neighbour's burst on a shared machine only slows a run).
const RUNS: usize = 3;
/// The goal of issue 6: every workload at least this many times faster than CPython.
const GOAL: f64 = 20.0;

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
    },
    Workload {
        name: "primes",
        about: "prime factors of 10,000 numbers, a pool of every core",
        rust: Rust::Primes { count: 10_000 },
        python: ("primes.py", &["10000", "{workers}"]),
    },
];

pub fn run() -> Result<()> {
    let workers = crate::explore::Plan::new(crate::explore::Mode::Real).workers;
    let python = python();
    match &python {
        Ok(version) => println!(
            "CPython ({version}) against interleave's real mode (std threads, release), best of \
             {RUNS} runs each, side by side; {workers} cores"
        ),
        Err(why) => println!("{why}: the Rust column alone, best of {RUNS} runs"),
    }
    let columns = Columns::start(
        2,
        &[
            ("workload", 14),
            ("size", 60),
            ("CPython", 9),
            ("interleave", 10),
            ("ratio", 7),
        ],
    );
    let mut worst: Option<(f64, &str)> = None;
    for workload in &WORKLOADS {
        eprintln!("bench: {}…", workload.name);
        let rust = best_of(|| run_rust(&workload.rust, workers))?;
        let python_time = match &python {
            Ok(_) => Some(best_of(|| run_python(workload.python, workers))?),
            Err(_) => None,
        };
        let ratio = python_time.map(|p| p.as_secs_f64() / rust.as_secs_f64());
        if let Some(r) = ratio {
            if worst.is_none_or(|(w, _)| r < w) {
                worst = Some((r, workload.name));
            }
        }
        columns.row(&[
            workload.name.to_string(),
            workload.about.to_string(),
            python_time.map_or_else(|| "-".to_string(), seconds),
            seconds(rust),
            ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.1}x")),
        ]);
    }
    if let Some((ratio, name)) = worst {
        println!();
        println!(
            "goal: every workload >= {GOAL:.0}x CPython: the slowest ratio is {ratio:.1}x \
             ({name}): {}",
            if ratio >= GOAL { "holds" } else { "MISSED" }
        );
    }
    Ok(())
}

fn best_of(mut run: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        best = best.min(run()?);
    }
    Ok(best)
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
