//! Exhaustive exploration with loom, deepening the preemption bound.

use super::check::UNBOUNDED;
use super::found::{ends_of, keep_first_of_kind};
use super::tally::Tally;
use super::{capture, Body, Check, CheckError, Coverage, FailureKind, Report, Stats};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

pub(super) fn explore(check: &Check, body: &Body) -> Result<Report, CheckError> {
    let start = Instant::now();
    let max = check.preemptions;
    // With no bound there is no largest one to deepen to: one pass.
    let first = if check.no_deepening || max == UNBOUNDED {
        max
    } else {
        0
    };
    let tally = Arc::new(Tally::of(check));
    let ends = ends_of(check);
    let mut found = Vec::new();
    let mut coverage = Coverage::Exhaustive { preemptions: max };

    let mut explored = first;
    for bound in first..=max {
        explored = bound;
        if let Some(meter) = &check.meter {
            meter.at_bound(bound);
        }
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = (bound != UNBOUNDED).then_some(bound);
        // The step bound: an execution that runs past it is reported as a livelock.
        builder.max_branches = check.max_steps;
        builder.max_duration = check.time_limit.map(|t| t.saturating_sub(start.elapsed()));
        if builder.max_duration.is_some() {
            // loom looks at the clock every `checkpoint_interval` executions (20,000 by default).
            builder.checkpoint_interval = 1;
        }
        builder.max_permutations = None;
        let before = tally.executions();
        let (tally2, body2) = (tally.clone(), body.clone());
        let result = capture(move || builder.check(move || tally2.execute(&body2)));
        // A lost update does not stop the deepening (unless it is what the check expects): a
        // stuck run or a broken invariant at a higher bound is a worse verdict (the message
        // server reaches both). The report keeps the bound where the lost update first showed.
        let mut ended = false;
        if let Some(mut lost) = tally.take_lost() {
            lost.found_in = None;
            if found.is_empty() {
                coverage = Coverage::Exhaustive { preemptions: bound };
            }
            ended = ends.ends(&lost);
            keep_first_of_kind(&mut found, lost);
        }
        if let Err(f) = result {
            match &f.kind {
                FailureKind::TooBig(limit) => {
                    return Err(CheckError::TooManyThreads {
                        name: check.subject.name.clone(),
                        limit: limit.clone(),
                    })
                }
                FailureKind::Unsupported(what) => {
                    return Err(CheckError::NotForLoom {
                        name: check.subject.name.clone(),
                        what: what.clone(),
                    })
                }
                _ => {}
            }
            // loom's search ends at a panic: whatever else it would meet stays unknown.
            coverage = Coverage::Exhaustive { preemptions: bound };
            keep_first_of_kind(&mut found, f);
            break;
        }
        if ended {
            break;
        }
        if let Some(limit) = check.time_limit {
            if start.elapsed() >= limit {
                coverage = Coverage::Incomplete(format!(
                    "the time limit of {limit:?} ran out {} ({} executions there, {} in all)",
                    super::report::bound_phrase("at", bound),
                    tally.executions() - before,
                    tally.executions()
                ));
                break;
            }
        }
    }

    let (failure, also) = ends.reported(found);
    Ok(Report {
        subject: check.subject.clone(),
        mode: check.mode,
        failure,
        also,
        coverage,
        executions: tally.executions(),
        outcomes: tally.take_outcomes(),
        elapsed: start.elapsed(),
        stats: Stats {
            complete: tally.complete.load(Ordering::Relaxed),
            threads: tally.threads.load(Ordering::Relaxed),
            spins: tally.spins.load(Ordering::Relaxed),
            bound_explored: Some(explored),
            ..Stats::default()
        },
    })
}
