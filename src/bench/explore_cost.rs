//! `interleave bench --explore`: what exploring the counter and the philosophers costs as they
//! grow (threads, increments or meals, preemption bound), so that a user can choose a size and
//! a bound; and the course-size goals, measured end to end. The loom build prints the exhaustive
//! half, the shuttle build the randomized half; `interleave bench --explore` runs both.

use super::{per_second, seconds, thousands, Columns};
use crate::explore::{self, Mode, Model, Observed, Params, Plan, Report};
use crate::models::{counter, philosophers};
use anyhow::{bail, Context, Result};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One variant of one model at several sizes.
struct Sweep {
    model: &'static Model,
    variant: &'static str,
    sizes: &'static [&'static [(&'static str, usize)]],
}

impl Sweep {
    fn cells(
        &self,
    ) -> impl Iterator<Item = (&'static Model, &'static explore::Variant, Params)> + '_ {
        let variant = self
            .model
            .variant(self.variant)
            .expect("a bench names a declared variant");
        self.sizes.iter().map(move |size| {
            let params = Params::for_model(self.model, Mode::Exhaustive, size)
                .expect("a bench names declared parameters within bounds");
            (self.model, variant, params)
        })
    }
}

fn label(model: &Model, variant: &explore::Variant) -> String {
    format!("{} {}", model.name, variant.name)
}

/// What a cell found, in a word: `verified` (bounded mode's proof), `no bug found` (loom's
/// search, which can skip schedules), `ok (sampled)`, the verdict of a failure, or `stopped`.
fn result(report: &Report) -> String {
    match report.observed() {
        Observed::Verdict(explore::Verdict::Pass) if report.verified() => "verified".to_string(),
        Observed::Verdict(explore::Verdict::Pass) if report.mode == Mode::Exhaustive => {
            "no bug found".to_string()
        }
        Observed::Verdict(explore::Verdict::Pass) => "ok (sampled)".to_string(),
        Observed::Incomplete => "stopped at the limit".to_string(),
        other => other.to_string(),
    }
}

/// Runs this very program with `args`, as a user would, and returns its wall time.
fn end_to_end(args: &[&str]) -> Result<Duration> {
    let exe = std::env::current_exe().context("cannot find this program to time it")?;
    let start = Instant::now();
    let status = Command::new(exe)
        .args(args)
        .env("INTERLEAVE_DELEGATED", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run this program to time it")?;
    let wall = start.elapsed();
    if !status.success() {
        bail!(
            "`interleave {}` did not give its expected verdict ({status})",
            args.join(" ")
        );
    }
    Ok(wall)
}

/// Whether a goal holds, in a word.
fn holds(ok: bool) -> &'static str {
    if ok {
        "holds"
    } else {
        "MISSED"
    }
}

#[cfg(loom)]
pub use exhaustive::run;
#[cfg(shuttle)]
pub use randomized::run;

#[cfg(loom)]
mod exhaustive {
    use super::*;

    /// How long one cell may explore before it is cut off (and shown as stopped).
    const CELL_LIMIT: Duration = Duration::from_secs(10);
    const BOUNDS: std::ops::RangeInclusive<usize> = 1..=3;

    /// Correct variants: the cost of verifying them, bound by bound.
    const VERIFY: [Sweep; 2] = [
        Sweep {
            model: &counter::MODEL,
            variant: "locked",
            sizes: &[
                &[("threads", 2), ("increments", 1)],
                &[("threads", 2), ("increments", 2)],
                &[("threads", 2), ("increments", 3)],
                &[("threads", 3), ("increments", 1)],
                &[("threads", 3), ("increments", 2)],
                &[("threads", 4), ("increments", 1)],
            ],
        },
        Sweep {
            model: &philosophers::MODEL,
            variant: "ordered",
            sizes: &[
                &[("philosophers", 3), ("meals", 1)],
                &[("philosophers", 4), ("meals", 1)],
                &[("philosophers", 5), ("meals", 1)],
                &[("philosophers", 3), ("meals", 2)],
                &[("philosophers", 4), ("meals", 2)],
                &[("philosophers", 5), ("meals", 2)],
            ],
        },
    ];

    /// Buggy variants: the cost of finding the bug, deepening the bound from 0.
    const FIND: [Sweep; 2] = [
        Sweep {
            model: &counter::MODEL,
            variant: "racy",
            sizes: &[
                &[("threads", 2), ("increments", 1)],
                &[("threads", 2), ("increments", 3)],
                &[("threads", 3), ("increments", 2)],
                &[("threads", 4), ("increments", 1)],
            ],
        },
        Sweep {
            model: &philosophers::MODEL,
            variant: "naive",
            sizes: &[
                &[("philosophers", 3), ("meals", 1)],
                &[("philosophers", 4), ("meals", 1)],
                &[("philosophers", 5), ("meals", 1)],
                &[("philosophers", 5), ("meals", 2)],
            ],
        },
    ];

    pub fn run() -> Result<()> {
        println!(
            "exhaustive (loom): loom's search over the schedules with at most `bound` preemptions, \
             that bound alone; a cell stops after {CELL_LIMIT:?}"
        );
        let columns = Columns::start(
            2,
            &[
                ("model variant", 20),
                ("size", 26),
                ("bound", 5),
                ("executions", 10),
                ("time", 9),
                ("executions/s", 12),
                ("result", 8),
            ],
        );
        for sweep in &VERIFY {
            for (model, variant, params) in sweep.cells() {
                for bound in BOUNDS {
                    let mut plan = Plan::new(Mode::Exhaustive);
                    plan.preemptions = Some(bound);
                    plan.no_deepening = true;
                    plan.time_limit = Some(CELL_LIMIT);
                    let report = check(model, variant, &params, &plan)?;
                    columns.row(&[
                        label(model, variant),
                        params.to_string(),
                        bound.to_string(),
                        thousands(report.executions),
                        seconds(report.elapsed),
                        per_second(report.executions, report.elapsed),
                        result(&report),
                    ]);
                }
            }
        }

        println!();
        println!(
            "exhaustive (loom): finding the bug, deepening the bound from 0 (`interleave check`)"
        );
        let columns = Columns::start(
            2,
            &[
                ("model variant", 20),
                ("size", 26),
                ("found at bound", 14),
                ("executions", 10),
                ("time", 9),
                ("result", 8),
            ],
        );
        for sweep in &FIND {
            for (model, variant, params) in sweep.cells() {
                let plan = Plan::new(Mode::Exhaustive);
                let report = check(model, variant, &params, &plan)?;
                let bound = match report.coverage {
                    explore::Coverage::Exhaustive { preemptions } if report.failure.is_some() => {
                        preemptions.to_string()
                    }
                    _ => "-".to_string(),
                };
                columns.row(&[
                    label(model, variant),
                    params.to_string(),
                    bound,
                    thousands(report.executions),
                    seconds(report.elapsed),
                    result(&report),
                ]);
            }
        }
        course_size_goal()
    }

    /// The course's 5 philosophers, one meal each, explored by loom's search at bound 3
    /// (deepening 0..3), as a user runs it.
    fn course_size_goal() -> Result<()> {
        let model = &philosophers::MODEL;
        let variant = model.variant("ordered").map_err(anyhow::Error::msg)?;
        let params = Params::for_model(model, Mode::Exhaustive, &[]).map_err(anyhow::Error::msg)?;
        let mut plan = Plan::new(Mode::Exhaustive);
        plan.preemptions = Some(3);
        let report = check(model, variant, &params, &plan)?;
        let args = ["check", "philosophers", "ordered", "--preemptions", "3"];
        let wall = end_to_end(&args)?;
        println!();
        println!(
            "goal: the course's 5 philosophers explored by loom's search at bound >= 3 in < 5 s: \
             {} ({} executions, bounds 0 to 3) in {} of exploring, {} end to end (`interleave {}`): {}",
            result(&report),
            thousands(report.executions),
            seconds(report.elapsed),
            seconds(wall),
            args.join(" "),
            holds(report.agrees() && wall < Duration::from_secs(5)),
        );
        Ok(())
    }
}

#[cfg(shuttle)]
mod randomized {
    use super::*;

    /// Schedules per cell when measuring the rate.
    const RATE_BUDGET: usize = 1_000;
    /// Independent seeds per cell when measuring how soon a bug is found.
    const CAMPAIGNS: u64 = 51;
    /// Schedules one seed may run looking for the bug before it counts as a miss.
    const FIND_BUDGET: usize = 10_000;
    /// Process runs timed for the end-to-end goal.
    const PROCESS_RUNS: u64 = 11;
    const MODES: [Mode; 2] = [Mode::Random, Mode::Pct];

    /// Correct variants: the cost of a schedule as the model grows.
    const RATE: [Sweep; 2] = [
        Sweep {
            model: &counter::MODEL,
            variant: "locked",
            sizes: &[
                &[("threads", 2), ("increments", 10)],
                &[("threads", 4), ("increments", 10)],
                &[("threads", 8), ("increments", 10)],
                &[("threads", 4), ("increments", 100)],
            ],
        },
        Sweep {
            model: &philosophers::MODEL,
            variant: "ordered",
            sizes: &[
                &[("philosophers", 5), ("meals", 1)],
                &[("philosophers", 5), ("meals", 3)],
                &[("philosophers", 5), ("meals", 30)],
                &[("philosophers", 10), ("meals", 3)],
            ],
        },
    ];

    /// The naive deadlock of N philosophers needs N - 1 of them preempted between their two
    /// forks: a bug of depth N, beyond PCT's default depth once N grows. Run again at that depth.
    const DEEP_PCT: Sweep = Sweep {
        model: &philosophers::MODEL,
        variant: "naive",
        sizes: &[&[("philosophers", 10), ("meals", 3)]],
    };
    const DEEP_PCT_DEPTH: usize = 10;

    /// Buggy variants: how many schedules, and how long, until the bug shows.
    const FIND: [Sweep; 2] = [
        Sweep {
            model: &counter::MODEL,
            variant: "racy",
            sizes: &[
                &[("threads", 2), ("increments", 1)],
                &[("threads", 2), ("increments", 10)],
                &[("threads", 4), ("increments", 10)],
            ],
        },
        Sweep {
            model: &philosophers::MODEL,
            variant: "naive",
            sizes: &[
                &[("philosophers", 5), ("meals", 1)],
                &[("philosophers", 5), ("meals", 3)],
                &[("philosophers", 5), ("meals", 30)],
                &[("philosophers", 10), ("meals", 3)],
            ],
        },
    ];

    pub fn run() -> Result<()> {
        let workers = Plan::new(Mode::Random).workers;
        println!(
            "random and pct (shuttle): the cost of a schedule, {} schedules per cell on {workers} \
             worker(s)",
            thousands(RATE_BUDGET)
        );
        let columns = Columns::start(
            2,
            &[
                ("model variant", 20),
                ("size", 26),
                ("mode", 6),
                ("steps", 6),
                ("time", 9),
                ("schedules/s", 11),
                ("result", 8),
            ],
        );
        for sweep in &RATE {
            for (model, variant, params) in sweep.cells() {
                for mode in MODES {
                    let mut plan = Plan::new(mode);
                    plan.schedules = Some(RATE_BUDGET);
                    let report = check(model, variant, &params, &plan)?;
                    columns.row(&[
                        label(model, variant),
                        params.to_string(),
                        mode.to_string(),
                        thousands(report.stats.steps),
                        seconds(report.elapsed),
                        per_second(report.executions, report.elapsed),
                        result(&report),
                    ]);
                }
            }
        }
        workers_goal()?;

        println!();
        println!(
            "random and pct (shuttle): schedules until the bug shows (the fair schedule counts as \
             one) and time to the report, over {CAMPAIGNS} seeds, one worker, stopping at the \
             first failure; a seed that runs {} without finding it is a miss",
            thousands(FIND_BUDGET)
        );
        let columns = Columns::start(
            2,
            &[
                ("model variant", 20),
                ("size", 26),
                ("mode", 9),
                ("median", 6),
                ("90%", 6),
                ("max", 6),
                ("missed", 6),
                ("median time", 11),
            ],
        );
        let deep = DEEP_PCT
            .cells()
            .map(|cell| (cell, Mode::Pct, Some(DEEP_PCT_DEPTH)));
        let cells = FIND
            .iter()
            .flat_map(Sweep::cells)
            .flat_map(|cell| MODES.map(|mode| (cell.clone(), mode, None)))
            .chain(deep);
        for ((model, variant, params), mode, depth) in cells {
            let depth = (mode == Mode::Pct).then(|| depth.unwrap_or(model.pct_depth));
            let found = schedules_to_find(model, variant, &params, mode, depth)?;
            columns.row(&[
                label(model, variant),
                params.to_string(),
                depth.map_or_else(|| mode.to_string(), |d| format!("{mode} d={d}")),
                found.schedules(0.5),
                found.schedules(0.9),
                found.schedules(1.0),
                found.missed.to_string(),
                seconds(found.median_time()),
            ]);
        }
        course_size_goal()
    }

    /// How soon each of several independent seeds found a bug.
    struct Found {
        /// Schedules until the bug showed, sorted, one per seed that found it.
        schedules: Vec<usize>,
        times: Vec<Duration>,
        missed: usize,
    }

    impl Found {
        /// The `q` quantile of the schedules, counting a miss as more than the budget.
        fn schedules(&self, q: f64) -> String {
            let total = self.schedules.len() + self.missed;
            let rank = ((total as f64 * q).ceil() as usize).clamp(1, total) - 1;
            match self.schedules.get(rank) {
                Some(&n) => thousands(n),
                None => format!(">{}", thousands(FIND_BUDGET)),
            }
        }

        fn median_time(&self) -> Duration {
            let mut times = self.times.clone();
            times.sort();
            times[times.len() / 2]
        }
    }

    fn schedules_to_find(
        model: &'static Model,
        variant: &'static explore::Variant,
        params: &Params,
        mode: Mode,
        depth: Option<usize>,
    ) -> Result<Found> {
        let mut found = Found {
            schedules: Vec::new(),
            times: Vec::new(),
            missed: 0,
        };
        let plan_for = |seed| {
            let mut plan = Plan::new(mode);
            plan.seeds = Some(seed..seed + 1);
            plan.per_seed = FIND_BUDGET;
            plan.workers = 1;
            plan.first_failure = true;
            plan.pct_depth = depth;
            plan
        };
        announce(
            model,
            variant,
            params,
            &plan_for(0),
            &format!(", {CAMPAIGNS} seeds"),
        );
        for seed in 0..CAMPAIGNS {
            let report = explore::check(model, variant, params, &plan_for(seed))
                .map_err(anyhow::Error::msg)?;
            found.times.push(report.elapsed);
            match report.failure.as_ref().and_then(|f| f.found_in) {
                Some(_) if !report.agrees() => bail!(
                    "{} {} found {} where {} was expected",
                    model.name,
                    variant.name,
                    report.observed(),
                    report.expected()
                ),
                Some(n) => found.schedules.push(n),
                None => found.missed += 1,
            }
        }
        found.schedules.sort_unstable();
        Ok(found)
    }

    /// Schedules per second with one worker and with every core, side by side.
    fn workers_goal() -> Result<()> {
        let model = &philosophers::MODEL;
        let variant = model.variant("ordered").map_err(anyhow::Error::msg)?;
        let params = Params::for_model(model, Mode::Random, &[]).map_err(anyhow::Error::msg)?;
        let all = Plan::new(Mode::Random).workers;
        // The best of three runs each, alternating, so that a neighbour's burst on this shared
        // machine does not decide the ratio.
        let mut rates = [0.0f64; 2];
        for _ in 0..3 {
            for (rate, workers) in rates.iter_mut().zip([1, all]) {
                let mut plan = Plan::new(Mode::Random);
                plan.schedules = Some(20 * RATE_BUDGET);
                plan.workers = workers;
                let report = check(model, variant, &params, &plan)?;
                *rate = rate.max(report.executions as f64 / report.elapsed.as_secs_f64());
            }
        }
        println!();
        println!(
            "goal: schedules per second from 1 to 2 workers >= 1.8x (philosophers ordered, {params}, \
             {} schedules, best of 3): {:.0}/s on 1, {:.0}/s on {all}: {:.2}x: {}",
            thousands(20 * RATE_BUDGET),
            rates[0],
            rates[1],
            rates[1] / rates[0],
            if all < 2 {
                "not measurable on one core"
            } else {
                holds(rates[1] / rates[0] >= 1.8)
            }
        );
        Ok(())
    }

    /// The course's 5 philosophers' deadlock, found and explained by a fresh process, as a user
    /// runs it.
    fn course_size_goal() -> Result<()> {
        println!();
        for mode in MODES {
            let mut walls = Vec::new();
            for seed in 1..=PROCESS_RUNS {
                let seed = seed.to_string();
                let args = [
                    "check",
                    "philosophers",
                    "naive",
                    "--mode",
                    mode.as_str(),
                    "--seed",
                    &seed,
                ];
                walls.push(end_to_end(&args)?);
            }
            walls.sort();
            let (median, max) = (walls[walls.len() / 2], walls[walls.len() - 1]);
            println!(
                "goal: the course's 5 philosophers' deadlock found, with its trace, in < 0.3 s end \
                 to end (`interleave check philosophers naive --mode {mode} --seed S`, {PROCESS_RUNS} \
                 seeds): median {}, slowest {}: {}",
                seconds(median),
                seconds(max),
                holds(max < Duration::from_millis(300))
            );
        }
        Ok(())
    }
}

fn check(
    model: &'static Model,
    variant: &'static explore::Variant,
    params: &Params,
    plan: &Plan,
) -> Result<Report> {
    announce(model, variant, params, plan, "");
    explore::check(model, variant, params, plan).map_err(anyhow::Error::msg)
}

/// Progress, on stderr: what the bench explores next (`more` adds to the parenthesis).
fn announce(
    model: &'static Model,
    variant: &'static explore::Variant,
    params: &Params,
    plan: &Plan,
    more: &str,
) {
    eprintln!(
        "bench: {} {} ({params}, {}{more})…",
        model.name, variant.name, plan.mode
    );
}
