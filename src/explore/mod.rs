//! The explorer: runs a model's variant in one of four modes and turns what happens into a
//! [`Report`] with a [`Verdict`].
//!
//! - `real` (std build): repeated runs on real threads, timed;
//! - `exhaustive` (loom build): every schedule, deepening the preemption bound from 0 up to the
//!   stated maximum, so a bug is reported at the smallest bound that shows it and a correct
//!   variant is "verified up to bound b, exploration complete" — or "incomplete" if a budget
//!   stopped loom first (loom itself stops quietly, as if everything passed);
//! - `random` and `pct` (shuttle build): a stated number of schedules from a seed; a failure comes
//!   with the schedule that `replay` re-runs exactly.

pub mod checks;
pub mod explain;
mod failure;
pub mod linearizability;
mod monitor;
mod report;
mod spec;
mod verdict;

#[cfg(loom)]
mod exhaustive;
#[cfg(shuttle)]
mod randomized;
#[cfg(not(any(loom, shuttle)))]
mod real;

#[cfg(not(any(loom, shuttle)))]
use failure::lost_update;
pub use failure::{
    capture, ensure, ensure_ok, ensure_taken_once, invariant, Failure, FailureKind,
    InvariantViolation, LostUpdate,
};
pub(crate) use failure::{catch, panic_text, quiet, set_quiet};
pub use monitor::Monitor;
pub use report::{Coverage, Mode, Observed, Report, Stats};
pub use spec::{BlindSpot, Model, Outcome, Param, Params, Scale, Variant};
pub use verdict::Verdict;

use std::time::Duration;

/// How to run a check; `None` fields take the model's stated defaults.
#[derive(Clone, Debug)]
pub struct Plan {
    pub mode: Mode,
    /// Exhaustive: the largest preemption bound to explore.
    pub preemptions: Option<usize>,
    /// Exhaustive: explore only at the largest bound instead of deepening from 0 (and so collect
    /// every outcome reachable at that bound even when a bug shows up earlier).
    pub no_deepening: bool,
    /// Randomized: schedules to try. Real: runs.
    pub schedules: Option<usize>,
    /// Randomized: the first seed of the campaign (see [`Plan::campaign`]).
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
}

impl Plan {
    pub fn new(mode: Mode) -> Plan {
        Plan {
            mode,
            preemptions: None,
            no_deepening: false,
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
        }
    }
}

impl Plan {
    /// A randomized campaign: the seeds it runs and how many schedules each. The budget of
    /// `schedules` is cut into seeds `seed, seed + 1, …` of `per_seed` schedules (the last may run
    /// fewer), unless `seeds` names the range. Each seed is an independent shuttle runner, so the
    /// seeds can be shared among workers, cores or machines, and the failure reported (the one of
    /// the lowest seed, at its first failing schedule) does not depend on how they were shared.
    pub fn campaign(&self, schedules: usize) -> Vec<(u64, usize)> {
        let per_seed = self.per_seed.max(1);
        match &self.seeds {
            Some(range) => range.clone().map(|s| (s, per_seed)).collect(),
            None => (0..schedules.div_ceil(per_seed))
                .map(|c| {
                    let seed = self.seed.wrapping_add(c as u64);
                    (seed, per_seed.min(schedules - c * per_seed))
                })
                .collect(),
        }
    }
}

/// Runs `variant` of `model` with `params` as `plan` says.
///
/// # Errors
/// When this build lacks the mode's backend (build with `--cfg loom` for exhaustive, `--cfg
/// shuttle` for random and pct; the CLI does it for you).
pub fn check(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> Result<Report, String> {
    if !plan.mode.available() {
        return Err(format!(
            "{} mode needs the {} backend, and this build has {}: build it with {}",
            plan.mode,
            plan.mode.backend(),
            crate::sync::BACKEND,
            crate::sync::build_command(plan.mode.backend())
        ));
    }
    let _ = (model, variant, params);
    #[cfg(loom)]
    return exhaustive::explore(model, variant, params, plan);
    #[cfg(shuttle)]
    return Ok(randomized::explore(model, variant, params, plan));
    #[cfg(not(any(loom, shuttle)))]
    return Ok(real::run(model, variant, params, plan));
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
    #[cfg(shuttle)]
    return randomized::replay(model, variant, params, schedule);
    #[cfg(not(shuttle))]
    {
        let _ = (model, variant, params, schedule);
        Err(format!(
            "replay needs the shuttle backend, and this build has {}: build with RUSTFLAGS=\"--cfg shuttle\"",
            crate::sync::BACKEND
        ))
    }
}

/// One execution of a variant: runs it, then checks its final state. The caller decides what a
/// failed check does: exhaustive mode records it and keeps exploring (to gather every reachable
/// outcome), the others stop there with a [`LostUpdate`].
pub(crate) fn execute(
    model: &Model,
    variant: &Variant,
    params: &Params,
) -> (Outcome, Result<(), String>) {
    checks::running(model.name);
    let outcome = (variant.run)(params);
    checks::made(checks::FINAL_STATE);
    let verdict = (model.check)(params, &outcome)
        .map_err(|e| format!("lost update: {e} (final state: {outcome})"));
    (outcome, verdict)
}
