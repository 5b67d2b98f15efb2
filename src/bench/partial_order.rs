//! `interleave bench --explore`, partial-order reduction: bounded mode's goals explored with
//! sleep sets alone (the default) and with dynamic partial-order reduction (`--dpor`), side by
//! side, one worker each, every cell counting its distinct behaviours (`--count-behaviours`:
//! Mazurkiewicz traces, executions that only reorder independent steps counted once) so that
//! each prints its executions per behaviour — 1.00 is the optimum, one execution per behaviour —
//! and loom's executions on the same check where loom can run it. Times include the counting
//! (a pass over each execution's steps), the same in both columns. Printed, never asserted.

use super::bounded_vs_loom::{bounded_within, check, holds, Found};
use super::{seconds, thousands, Columns};
use anyhow::Result;

/// How long a cell may explore before it is cut off.
const LIMIT: &str = "60";

/// One goal's check, what loom may say of it, and the goal's time.
struct Goal {
    name: &'static str,
    size: &'static str,
    args: &'static [&'static str],
    loom: bool,
    goal_seconds: Option<f64>,
}

const GOALS: &[Goal] = &[
    Goal {
        name: "counter racy",
        size: "4 threads x 1, no bound",
        args: &[
            "counter",
            "racy",
            "--threads",
            "4",
            "--increments",
            "1",
            "--preemptions",
            "all",
        ],
        loom: false,
        goal_seconds: None,
    },
    Goal {
        name: "counter racy",
        size: "3 threads x 2, bound 2",
        args: &[
            "counter",
            "racy",
            "--threads",
            "3",
            "--increments",
            "2",
            "--preemptions",
            "2",
            "--no-deepening",
        ],
        loom: true,
        goal_seconds: None,
    },
    Goal {
        name: "counter racy",
        size: "8 threads x 1, bound 2",
        args: &[
            "counter",
            "racy",
            "--threads",
            "8",
            "--increments",
            "1",
            "--preemptions",
            "2",
        ],
        loom: false,
        goal_seconds: Some(5.0),
    },
    Goal {
        name: "philosophers ordered",
        size: "5 philosophers, bound 3",
        args: &["philosophers", "ordered", "--preemptions", "3"],
        loom: true,
        goal_seconds: Some(1.0),
    },
    Goal {
        name: "philosophers ordered",
        size: "8 philosophers, bound 2",
        args: &[
            "philosophers",
            "ordered",
            "--philosophers",
            "8",
            "--preemptions",
            "2",
        ],
        loom: false,
        goal_seconds: Some(30.0),
    },
];

/// A cell: executions, time, executions per behaviour, verdict.
fn cell(found: &Found) -> [String; 4] {
    let per = found.behaviours.map_or_else(
        || "-".to_string(),
        |b| format!("{:.2}", found.executions as f64 / b.max(1) as f64),
    );
    [
        thousands(found.executions),
        seconds(found.time),
        per,
        found.verdict(),
    ]
}

pub fn run() -> Result<()> {
    println!(
        "partial-order reduction: sleep sets alone beside DPOR (--dpor), one worker each; \
         executions per distinct behaviour (1.00: one execution per behaviour) and loom's \
         executions where loom runs the check"
    );
    let columns = Columns::start(
        2,
        &[
            ("check", 20),
            ("size, bound", 24),
            ("loom", 9),
            ("sleep sets", 10),
            ("time", 8),
            ("per behaviour", 13),
            ("DPOR", 9),
            ("time", 8),
            ("per behaviour", 13),
            ("DPOR verdict", 26),
        ],
    );
    let mut summary = Vec::new();
    for goal in GOALS {
        let loom = if goal.loom {
            check("loom", goal.args).map_or_else(|_| "error".into(), |f| thousands(f.executions))
        } else {
            "-".to_string()
        };
        let mut counted: Vec<&str> = goal.args.to_vec();
        counted.push("--count-behaviours");
        let sleep = bounded_within(&counted, 1, LIMIT)?;
        counted.push("--dpor");
        let dpor = bounded_within(&counted, 1, LIMIT)?;
        let [se, st, sp, _] = cell(&sleep);
        let [de, dt, dp, dv] = cell(&dpor);
        columns.row(&[
            goal.name.into(),
            goal.size.into(),
            loom,
            se,
            st,
            sp,
            de,
            dt,
            dp,
            dv,
        ]);
        if let Some(limit) = goal.goal_seconds {
            summary.push(format!(
                "goal: {} {} complete in under {limit} s: {} in {}: {}",
                goal.name,
                goal.size,
                dpor.verdict(),
                seconds(dpor.time),
                holds(dpor.complete() && dpor.time.as_secs_f64() < limit)
            ));
        }
    }
    println!();
    for line in summary {
        println!("{line}");
    }
    Ok(())
}
