//! Exhaustive exploration with loom, deepening the preemption bound.

use super::{
    capture, execute, Coverage, Failure, FailureKind, Model, Outcome, Params, Plan, Report, Stats,
    Variant,
};
use crate::sync::ledger;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub(super) fn explore(
    model: &'static Model,
    variant: &'static Variant,
    params: &Params,
    plan: &Plan,
) -> Result<Report, String> {
    let start = Instant::now();
    let max = plan.preemptions.unwrap_or(model.preemption_bound);
    let first = if plan.no_deepening { max } else { 0 };
    let executions = Arc::new(AtomicUsize::new(0));
    let complete = Arc::new(AtomicUsize::new(0));
    let threads = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(BTreeSet::<Outcome>::new()));
    let lost = Arc::new(Mutex::new(None::<Failure>));
    let mut failure = None;
    let mut coverage = Coverage::Exhaustive { preemptions: max };

    let mut explored = first;
    for bound in first..=max {
        explored = bound;
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(bound);
        // The step bound: an execution that runs past it is reported as a livelock.
        builder.max_branches = plan.max_steps;
        builder.max_duration = plan.time_limit.map(|t| t.saturating_sub(start.elapsed()));
        if builder.max_duration.is_some() {
            // loom looks at the clock every `checkpoint_interval` executions (20,000 by default).
            builder.checkpoint_interval = 1;
        }
        builder.max_permutations = None;
        let before = executions.load(Ordering::Relaxed);
        let (params2, executions2, outcomes2, lost2) = (
            params.clone(),
            executions.clone(),
            outcomes.clone(),
            lost.clone(),
        );
        let (complete2, threads2) = (complete.clone(), threads.clone());
        let result = capture(move || {
            builder.check(move || {
                ledger::reset();
                executions2.fetch_add(1, Ordering::Relaxed);
                let (outcome, verdict) = execute(model, variant, &params2);
                if let Err(message) = verdict {
                    let mut lost = lost2.lock().unwrap_or_else(|e| e.into_inner());
                    lost.get_or_insert_with(|| Failure::lost_update(message));
                }
                outcomes2
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(outcome);
                complete2.fetch_add(1, Ordering::Relaxed);
                threads2.fetch_max(ledger::thread_count(), Ordering::Relaxed);
            })
        });
        if let Err(f) = result {
            if let FailureKind::TooBig(limit) = &f.kind {
                return Err(format!(
                    "{} / {} with {params} needs more threads than exhaustive mode can explore \
                     ({limit}): check it at this size with --mode portfolio (random and PCT), or \
                     give a smaller size",
                    model.name, variant.name
                ));
            }
            coverage = Coverage::Exhaustive { preemptions: bound };
            failure = Some(f);
            break;
        }
        // A lost update does not stop the deepening: a stuck run or a broken invariant at a
        // higher bound is a worse verdict (the message server reaches both). The report keeps
        // the bound where the lost update first showed.
        if failure.is_none() {
            coverage = Coverage::Exhaustive { preemptions: bound };
            failure = lost.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
        if let Some(limit) = plan.time_limit {
            if start.elapsed() >= limit {
                coverage = Coverage::Incomplete(format!(
                    "the time limit of {limit:?} ran out at preemption bound {bound} after {} executions",
                    executions.load(Ordering::Relaxed) - before
                ));
                break;
            }
        }
    }

    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(Report {
        model,
        variant,
        mode: plan.mode,
        params: params.clone(),
        failure,
        coverage,
        executions: executions.load(Ordering::Relaxed),
        outcomes,
        elapsed: start.elapsed(),
        stats: Stats {
            complete: complete.load(Ordering::Relaxed),
            threads: threads.load(Ordering::Relaxed),
            bound_explored: Some(explored),
            ..Stats::default()
        },
    })
}
