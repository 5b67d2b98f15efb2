//! Real runs: std threads, the OS's own schedule, timed.

use super::{
    capture, execute, lost_update, set_quiet, Coverage, Failure, FailureKind, Model, Params, Plan,
    Report, Stats, Variant,
};
use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::Instant;

/// Real runs repeat a variant this many times unless told otherwise.
pub const DEFAULT_RUNS: usize = 5;

pub(super) fn run(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> Report {
    let start = Instant::now();
    let runs = plan.schedules.unwrap_or(DEFAULT_RUNS);
    let mut outcomes = BTreeSet::new();
    let mut failure = None;
    let mut executions = 0;
    for _ in 0..runs {
        executions += 1;
        match run_once(model, variant, params, plan) {
            Ok(outcome) => {
                outcomes.insert(outcome);
            }
            Err(f) => {
                failure = Some(f);
                break;
            }
        }
    }
    let failure_seen = failure.is_some();
    Report {
        model,
        variant,
        mode: plan.mode,
        params: params.clone(),
        failure,
        coverage: Coverage::Repeated { runs: executions },
        executions,
        outcomes,
        elapsed: start.elapsed(),
        stats: Stats {
            complete: executions - usize::from(failure_seen),
            ..Stats::default()
        },
    }
}

/// One run on its own thread, watched: a run that does not finish within the watchdog's time is
/// reported stuck (its threads are left blocked; the process ends them when it exits).
fn run_once(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> Result<super::Outcome, Failure> {
    let (tx, rx) = mpsc::channel();
    let params = params.clone();
    std::thread::Builder::new()
        .name("main".into())
        .spawn(move || {
            set_quiet(true);
            let result = capture(|| {
                let (outcome, verdict) = execute(model, variant, &params);
                if let Err(message) = verdict {
                    lost_update(message);
                }
                outcome
            });
            let _ = tx.send(result);
        })
        .expect("cannot spawn a thread");
    match rx.recv_timeout(plan.watchdog) {
        Ok(result) => result,
        Err(_) => Err(Failure {
            kind: FailureKind::Stuck(format!(
                    "stuck: the run did not finish within {:?}; its threads are blocked (deadlocked or hung). \
                     Run `interleave check {} {}` to see the schedule that does it",
                plan.watchdog, model.name, variant.name
            )),
            snapshot: Default::default(),
            schedule: None,
            found_in: None,
            thread: None,
        }),
    }
}
