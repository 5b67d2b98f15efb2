//! `interleave bench --explore`, last table: bounded mode (the shuttle build: CHESS's preemption
//! bound, sleep sets, every core) side by side with loom's exhaustive mode on the same models
//! and bounds, and bounded mode's goals. Each cell is one `interleave check … --format json` in
//! the build that runs it, so both explorers run as a user runs them; the times are the
//! explorations' own, read from the reports (not the processes', which include cargo's start).
//! The two explorers count preemptions differently (loom counts its own way; bounded mode as
//! CHESS does, one per synchronization call: a facade's operation is one step), so at one bound
//! they need not explore the same schedules: the table says what each found there. The 8-thread
//! racy counter runs with its states cached (`--cache-states`): all its state lives in the
//! facade's primitives.

use super::{seconds, thousands, Columns};
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

/// How long a cell may explore before it is cut off.
const LIMIT: &str = "60";
/// The 8-thread racy counter needs a few million executions even with its states cached.
const CACHED_LIMIT: &str = "400";

/// What one check said, read from its JSON line.
pub(super) struct Found {
    pub observed: String,
    pub executions: usize,
    pub time: Duration,
    outcomes: BTreeSet<String>,
    /// The bound up to which every schedule was explored, if the exploration went through.
    bound: Option<u64>,
    /// Bounded mode went through every schedule with no bound and found no failure.
    unbounded_proof: bool,
    /// The distinct behaviours among the executions, when counted (`--count-behaviours`).
    pub behaviours: Option<usize>,
}

impl Found {
    pub fn complete(&self) -> bool {
        self.bound.is_some() || self.unbounded_proof
    }

    /// The verdict, and how far it holds.
    pub fn verdict(&self) -> String {
        match self.bound {
            None if self.unbounded_proof => "verified (no bound)".to_string(),
            Some(b) => format!("{} (bound {b})", self.observed),
            None if self.observed == "incomplete" => "incomplete".to_string(),
            None => format!("{}, incomplete", self.observed),
        }
    }
}

/// `interleave check ARGS --format json` in the build with `backend`.
pub(super) fn check(backend: &str, args: &[&str]) -> Result<Found> {
    let mut command = crate::cli::delegate::delegated_command(backend)?;
    command.arg("check").args(args).args(["--format", "json"]);
    let (_, stdout) = crate::cli::delegate::run_delegated(command, true)?;
    let line = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .with_context(|| format!("`interleave check {}` printed no report", args.join(" ")))?;
    let report: Value = serde_json::from_str(line).context("the report is not JSON")?;
    let stats = &report["stats"];
    let observed = report["observed"].as_str().unwrap_or("error").to_string();
    Ok(Found {
        observed,
        executions: stats["executions"].as_u64().unwrap_or(0) as usize,
        time: Duration::from_secs_f64(stats["seconds"].as_f64().unwrap_or(0.0)),
        outcomes: report["outcomes"]
            .as_array()
            .map(|o| {
                o.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        bound: stats["preemption_bound"].as_u64(),
        unbounded_proof: report["verified"].as_bool() == Some(true)
            && stats["preemption_bound"].is_null(),
        behaviours: stats["behaviours"].as_u64().map(|b| b as usize),
    })
}

/// The same check in bounded mode on `jobs` workers.
fn bounded(args: &[&str], jobs: usize) -> Result<Found> {
    bounded_within(args, jobs, LIMIT)
}

/// The same check in bounded mode on `jobs` workers, stopped after `limit` seconds.
pub(super) fn bounded_within(args: &[&str], jobs: usize, limit: &str) -> Result<Found> {
    let jobs = jobs.to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--mode", "bounded", "-j", &jobs, "--time-limit", limit]);
    check("shuttle", &all)
}

pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

pub(super) fn holds(ok: bool) -> &'static str {
    if ok {
        "holds"
    } else {
        "MISSED"
    }
}

fn cell(found: &Found) -> [String; 3] {
    [
        thousands(found.executions),
        seconds(found.time),
        found.verdict(),
    ]
}

pub fn run() -> Result<()> {
    let cores = cores();
    println!(
        "bounded mode (shuttle: CHESS's preemption bound, sleep sets, {cores} worker(s)) beside \
         exhaustive mode (loom), the same models and bounds; each cell one `interleave check`"
    );
    let columns = Columns::start(
        2,
        &[
            ("check", 24),
            ("size, bound", 26),
            ("loom", 9),
            ("loom time", 9),
            ("loom verdict", 16),
            ("bounded", 9),
            ("1 worker", 9),
            (&format!("{cores} workers"), 9),
            ("bounded verdict", 22),
        ],
    );
    // Past loom's thread limit, bounded mode alone, on every core.
    let row = |name: &str, size: &str, loom: Option<&Found>, one: Option<&Found>, many: &Found| {
        let [le, lt, lv] = loom.map_or_else(
            || {
                [
                    "-".to_string(),
                    "-".to_string(),
                    "(4 threads max)".to_string(),
                ]
            },
            cell,
        );
        let [be, _, bv] = cell(many);
        columns.row(&[
            name.to_string(),
            size.to_string(),
            le,
            lt,
            lv,
            be,
            one.map_or_else(|| "-".to_string(), |o| seconds(o.time)),
            seconds(many.time),
            bv,
        ]);
    };

    // The course's ordered philosophers at bound 3, as a user checks them (deepening 0 to 3).
    let philosophers = ["philosophers", "ordered", "--preemptions", "3"];
    let loom = check("loom", &philosophers)?;
    let one = bounded(&philosophers, 1)?;
    let many = bounded(&philosophers, cores)?;
    row(
        "philosophers ordered",
        "5 philosophers, bound 3",
        Some(&loom),
        Some(&one),
        &many,
    );
    let speed_up = one.time.as_secs_f64() / many.time.as_secs_f64().max(1e-9);

    // The racy counter's final states at one bound, explored at that bound alone.
    let racy = [
        "counter",
        "racy",
        "--threads",
        "3",
        "--increments",
        "2",
        "--preemptions",
        "2",
        "--no-deepening",
    ];
    let loom_racy = check("loom", &racy)?;
    let one_racy = bounded(&racy, 1)?;
    let many_racy = bounded(&racy, cores)?;
    row(
        "counter racy",
        "3 threads x 2, bound 2",
        Some(&loom_racy),
        Some(&one_racy),
        &many_racy,
    );

    let eight_racy = [
        "counter",
        "racy",
        "--threads",
        "8",
        "--increments",
        "1",
        "--preemptions",
        "2",
        "--no-deepening",
        "--cache-states",
    ];
    let eight_racy_many = bounded_within(&eight_racy, cores, CACHED_LIMIT)?;
    row(
        "counter racy, cached",
        "8 threads x 1, bound 2",
        None,
        None,
        &eight_racy_many,
    );
    let eight = [
        "philosophers",
        "ordered",
        "--philosophers",
        "8",
        "--preemptions",
        "2",
        "--no-deepening",
    ];
    let eight_many = bounded(&eight, cores)?;
    row(
        "philosophers ordered",
        "8 philosophers, bound 2",
        None,
        None,
        &eight_many,
    );
    let sums = [
        "monte-carlo-pi",
        "per-thread-sums",
        "--threads",
        "8",
        "--preemptions",
        "2",
        "--no-deepening",
    ];
    let sums_many = bounded(&sums, cores)?;
    row(
        "monte-carlo-pi own sums",
        "8 threads, bound 2",
        None,
        None,
        &sums_many,
    );

    println!();
    println!(
        "goal: the 5 ordered philosophers verified at bound 3 faster than loom on 1 core: {} in \
         {} against loom's {}: {}",
        one.verdict(),
        seconds(one.time),
        seconds(loom.time),
        holds(one.observed == "ok" && one.complete() && one.time < loom.time)
    );
    if cores >= 2 {
        println!(
            "goal: on 2 cores at least 1.8x faster than on 1: {speed_up:.2}x on {cores} cores: {}",
            holds(many.complete() && speed_up >= 1.8)
        );
    } else {
        println!("goal: on 2 cores at least 1.8x faster than on 1: not measured, one core here");
    }
    let loom_only: Vec<&String> = loom_racy.outcomes.difference(&one_racy.outcomes).collect();
    let bounded_only: Vec<&String> = one_racy.outcomes.difference(&loom_racy.outcomes).collect();
    let same = loom_only.is_empty() && bounded_only.is_empty() && !loom_racy.outcomes.is_empty();
    println!(
        "goal: the racy counter's final states equal loom's at the same bound (3 threads x 2, \
         bound 2): {} final states in each{}: {}",
        one_racy.outcomes.len(),
        if same {
            String::new()
        } else {
            format!(" (loom only: {loom_only:?}; bounded only: {bounded_only:?})")
        },
        holds(same)
    );
    let at_bound_2 = |found: &Found| {
        format!(
            "{} after {} executions in {} on {cores} worker(s)",
            found.verdict(),
            thousands(found.executions),
            seconds(found.time),
        )
    };
    println!(
        "goal: the racy counter with 8 threads explored completely at bound 2 (its states \
         cached, --cache-states): {}: {}",
        at_bound_2(&eight_racy_many),
        holds(eight_racy_many.complete())
    );
    println!(
        "goal: an 8-thread program explored completely at bound 2: monte-carlo-pi's per-thread \
         sums (each thread on its own sum), {}: {}",
        at_bound_2(&sums_many),
        holds(sums_many.complete())
    );
    println!(
        "  (8 ordered philosophers, where neighbours share a fork: {})",
        at_bound_2(&eight_many)
    );
    if !loom.complete() || !one_racy.complete() {
        bail!("a check the goals compare did not run to its end");
    }
    Ok(())
}
