//! `interleave bench --explore`, SPIN's table: the course's ordered philosophers verified with
//! no preemption bound, every state, by bounded mode with its states cached (`--preemptions all
//! --cache-states`) and by SPIN on a Promela model of the same algorithm
//! (`bench/spin/philosophers.pml`), side by side: states or executions, and time (and bounded
//! mode with DPOR instead of the state cache, `--dpor`, on one worker). SPIN's model
//! is also run naive (left fork, then right), the control: SPIN must find that deadlock, so its
//! "no error" on the ordered ones means something. SPIN is Debian's `spin` package; without it
//! the table says so and the rest of the bench goes on.

use super::bounded_vs_loom::{bounded_within, cores, holds};
use super::{seconds, thousands, Columns};
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The Promela model, compiled into the binary so that the bench runs from any directory.
const MODEL: &str = include_str!("../../bench/spin/philosophers.pml");

/// How long bounded mode may explore before it is cut off.
const LIMIT: &str = "400";

/// What SPIN's safety search reported.
struct Spin {
    states: usize,
    errors: usize,
    /// The search's own time, as pan prints it (not the compilation's).
    time: Duration,
}

/// Compiles and runs SPIN's verifier on the model, naive or not, with `n` philosophers.
fn spin(dir: &Path, n: usize, naive: bool) -> Result<Spin> {
    let run = |program: &str, args: &[String]| -> Result<String> {
        let out = Command::new(program)
            .args(args)
            .current_dir(dir)
            .output()
            .with_context(|| format!("could not run {program}"))?;
        if !out.status.success() && program != "./pan" {
            bail!(
                "{program} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let mut defines = vec![format!("-DN={n}")];
    if naive {
        defines.push("-DNAIVE".into());
    }
    let mut spin_args = defines.clone();
    spin_args.extend(["-a".into(), "philosophers.pml".into()]);
    run("spin", &spin_args)?;
    run(
        "cc",
        &["-O2", "-DSAFETY", "-o", "pan", "pan.c"].map(String::from),
    )?;
    let out = run("./pan", &[])?;
    let number_before = |label: &str| -> Option<f64> {
        out.lines()
            .find(|l| l.contains(label))?
            .split_whitespace()
            .find_map(|w| w.trim_end_matches(',').parse().ok())
    };
    let after = |label: &str| -> Option<f64> {
        let line = out.lines().find(|l| l.contains(label))?;
        line.split(label)
            .nth(1)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    Ok(Spin {
        states: number_before("states, stored").context("pan printed no state count")? as usize,
        errors: after("errors:").context("pan printed no error count")? as usize,
        time: Duration::from_secs_f64(after("elapsed time").unwrap_or(0.0)),
    })
}

pub fn run() -> Result<()> {
    let n = 5;
    println!(
        "{n} ordered philosophers, 1 meal each, verified with no preemption bound: bounded mode \
         (--preemptions all --cache-states) beside SPIN on a Promela model of the same algorithm"
    );
    if Command::new("spin").arg("-V").output().is_err() {
        println!("  SPIN is not installed (Debian's package `spin`): its side is left out");
        return Ok(());
    }
    let dir = tempfile_dir()?;
    std::fs::write(dir.join("philosophers.pml"), MODEL)?;
    let ordered = spin(&dir, n, false)?;
    let naive = spin(&dir, n, true)?;
    let _ = std::fs::remove_dir_all(&dir);

    let cores = cores();
    let args = [
        "philosophers",
        "ordered",
        "--philosophers",
        "5",
        "--meals",
        "1",
        "--preemptions",
        "all",
        "--cache-states",
    ];
    let bounded = bounded_within(&args, cores, LIMIT)?;
    // The same check with DPOR instead of the state cache, on one worker.
    let mut dpor_args = args[..args.len() - 1].to_vec();
    dpor_args.push("--dpor");
    let dpor = bounded_within(&dpor_args, 1, LIMIT)?;
    let columns = Columns::start(
        2,
        &[
            ("explorer", 40),
            ("states", 10),
            ("executions", 11),
            ("time", 9),
            ("verdict", 22),
        ],
    );
    columns.row(&[
        "SPIN (safety, every state)".into(),
        thousands(ordered.states),
        "-".into(),
        spin_time(ordered.time),
        if ordered.errors == 0 {
            "verified".into()
        } else {
            format!("{} errors", ordered.errors)
        },
    ]);
    columns.row(&[
        format!("bounded mode, states cached, {cores} workers"),
        "-".into(),
        thousands(bounded.executions),
        seconds(bounded.time),
        bounded.verdict(),
    ]);
    columns.row(&[
        "bounded mode, DPOR, 1 worker".into(),
        "-".into(),
        thousands(dpor.executions),
        seconds(dpor.time),
        dpor.verdict(),
    ]);
    columns.row(&[
        "SPIN on the naive ones (control)".into(),
        thousands(naive.states),
        "-".into(),
        spin_time(naive.time),
        if naive.errors == 0 {
            "no error: the control failed".into()
        } else {
            "deadlock found".into()
        },
    ]);
    println!(
        "goal: the ordered philosophers verified with no bound by bounded mode: {}; SPIN's \
         control finds the naive ones' deadlock: {}; bounded mode took {:.0}x SPIN's time \
         (states cached), {:.0}x (DPOR)",
        holds(bounded.complete() && bounded.observed == "ok"),
        holds(naive.errors > 0),
        bounded.time.as_secs_f64() / ordered.time.as_secs_f64().max(0.001),
        dpor.time.as_secs_f64() / ordered.time.as_secs_f64().max(0.001)
    );
    println!(
        "goal: DPOR within 10x of SPIN's time with no bound: {}",
        holds(
            dpor.complete()
                && dpor.observed == "ok"
                && dpor.time.as_secs_f64() <= 10.0 * ordered.time.as_secs_f64().max(0.001)
        )
    );
    Ok(())
}

/// SPIN's time as pan prints it, to the hundredth of a second: below that, it says so.
fn spin_time(time: Duration) -> String {
    if time.is_zero() {
        "< 10 ms".to_string()
    } else {
        seconds(time)
    }
}

/// A fresh directory for SPIN's generated verifier.
fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("interleave-spin-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
