//! The progress line's estimate of a bounded exploration (shuttle builds): each execution
//! stands for the share of the tree a random descent would end in, and the shares of a bound's
//! executions sum to the whole tree, so that once the bound is through the estimate is exactly
//! its count — with sleep sets, with states cached, on one worker or two. A share computed over
//! every option rather than those the bound allows (tried by hand) leaves the sum short and the
//! final estimate above the count.
#![cfg(shuttle)]

use interleave_check::explore::Progress;
mod programs;

use interleave_check::{Check, Coverage, Mode};
use programs::three_adders;

/// Every progress report of a bounded check of the counter at `bound` in one pass.
fn watched(jobs: usize, cached: bool, bound: usize) -> (usize, Vec<Progress>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = seen.clone();
    let report = Check::new()
        .mode(Mode::Bounded)
        .preemptions(bound)
        .no_deepening()
        .jobs(jobs)
        .state_caching(cached)
        .on_progress(move |p| keep.lock().unwrap().push(p.clone()))
        .report(|| three_adders(|i| i == 1))
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    (report.executions, seen)
}

#[test]
fn a_bound_explored_through_is_estimated_at_its_count() {
    for (jobs, cached, bound) in [(1, false, 2), (2, false, 2), (1, true, 3), (2, true, 2)] {
        let (executions, seen) = watched(jobs, cached, bound);
        let last = seen.last().expect("the final count is told");
        assert_eq!(
            last.estimate,
            Some(executions),
            "{jobs} jobs, cached {cached}, bound {bound}"
        );
        assert_eq!(last.left.map(|l| l.as_millis()), Some(0));
        assert!(executions > 100, "{executions}");
    }
}

/// A time limit ends a bound part-way, and the report says how much of it the executions run
/// stand for.
#[test]
fn a_bound_cut_short_by_the_time_limit_says_how_much_it_covered() {
    let report = Check::new()
        .mode(Mode::Bounded)
        .preemptions(3)
        .no_deepening()
        .jobs(1)
        .time_limit(std::time::Duration::from_millis(1))
        .report(|| three_adders(|_| false))
        .unwrap();
    let Coverage::Incomplete(why) = &report.coverage else {
        panic!("a tree of thousands of schedules done in a millisecond: {report}");
    };
    let percent: f64 = why
        .split("about ")
        .nth(1)
        .and_then(|rest| rest.split('%').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no share in: {why}"));
    assert!((0.0..100.0).contains(&percent), "{why}");
}
