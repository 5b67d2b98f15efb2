//! Catalogue sections A and B (all but the counter and the philosophers, which have their own
//! files): every variant reaches its expected verdict exhaustively (loom), under random and PCT
//! schedules (shuttle), and every correct variant runs for real at realistic size; then the
//! checks particular to each model.

#[macro_use]
mod common;

use interleave::explore::{Mode, Observed, Verdict};
use interleave::models;

/// `verdicts::<model>::<mode>`.
mod verdicts {
    every_mode!(
        bank,
        monte_carlo_pi,
        parallel_sum,
        up_down,
        locked_set,
        reentrant,
        ticket_sellers,
        queue_check_then_act,
        queue_full,
        condition_subscriber,
        lock_leak,
    );
}

#[cfg(any(loom, shuttle))]
fn message(report: &interleave::explore::Report) -> String {
    report
        .failure
        .as_ref()
        .map(|f| f.message().to_string())
        .unwrap_or_default()
}

#[cfg(loom)]
#[test]
fn bank_reachable_balances_are_exactly_1000_6000_7000_racy_and_6000_locked() {
    use interleave::explore::{check, Params, Plan};
    use std::collections::BTreeSet;
    let params = Params::for_model(&models::bank::MODEL, Mode::Exhaustive, &[]).unwrap();
    let mut plan = Plan::new(Mode::Exhaustive);
    plan.no_deepening = true;
    for (variant, expected) in [("racy", vec![1000, 6000, 7000]), ("locked", vec![6000])] {
        let report = check(
            &models::bank::MODEL,
            models::bank::MODEL.variant(variant).unwrap(),
            &params,
            &plan,
        )
        .unwrap();
        let balances: BTreeSet<i64> = report
            .outcomes
            .iter()
            .filter_map(|o| o.get("balance"))
            .collect();
        assert_eq!(balances, expected.into_iter().collect(), "{report}");
    }
}

#[cfg(any(loom, shuttle))]
#[test]
fn reentrant_lock_is_a_one_thread_cycle() {
    let mode = common::explored_mode();
    let report = common::check_with(&models::reentrant::MODEL, "lock", mode, &[("workers", 1)]);
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::Deadlock),
        "{report}"
    );
    let failure = report.failure.as_ref().unwrap();
    assert_eq!(
        failure.snapshot.cycle,
        Some(vec!["worker-1".to_string()]),
        "{report}"
    );
    let worker = &failure
        .snapshot
        .threads
        .iter()
        .find(|t| t.name == "worker-1")
        .unwrap();
    assert_eq!(worker.holds, ["lock"], "{report}");
    assert_eq!(
        worker.waits_for.as_ref().unwrap().resource,
        "lock",
        "{report}"
    );
}

#[cfg(any(loom, shuttle))]
#[test]
fn a_leaked_lock_leaves_the_others_waiting_on_a_finished_holder() {
    let mode = common::explored_mode();
    for (model, variant, lock) in [
        (&models::lock_leak::MODEL, "as-printed", "lock"),
        (&models::ticket_sellers::MODEL, "as-printed", "semaphore"),
    ] {
        let report = common::check_with(model, variant, mode, &[]);
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Hang),
            "{report}"
        );
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        assert!(snapshot.cycle.is_none(), "{report}");
        let holder = snapshot
            .threads
            .iter()
            .find(|t| t.holds.iter().any(|h| h == lock))
            .unwrap_or_else(|| panic!("someone holds the {lock}:\n{report}"));
        assert!(holder.finished, "the holder has finished:\n{report}");
        assert!(
            snapshot.blocked().any(|t| t
                .waits_for
                .as_ref()
                .is_some_and(|w| w.resource == lock && w.held_by == [holder.name.clone()])),
            "another waits for the {lock} held by {}:\n{report}",
            holder.name
        );
    }
}

#[cfg(any(loom, shuttle))]
#[test]
fn bounded4_oversells_and_names_the_broken_invariant() {
    let mode = common::explored_mode();
    let report = common::check_with(&models::ticket_sellers::MODEL, "bounded4", mode, &[]);
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::Invariant),
        "{report}"
    );
    let text = message(&report);
    assert!(
        text.contains("sold twice") || text.contains("never goes negative"),
        "{report}"
    );
}

#[cfg(any(loom, shuttle))]
#[test]
fn queue_check_then_act_hangs_and_its_fix_keeps_order_for_fifo_lifo_and_priority() {
    let mode = common::explored_mode();
    for order in 0..=2 {
        let report = common::check_with(
            &models::queue_check_then_act::MODEL,
            "as-printed",
            mode,
            &[("order", order)],
        );
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Hang),
            "{report}"
        );
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        assert!(
            snapshot.blocked().any(|t| t.name.starts_with("subscriber")
                && t.waits_for.as_ref().unwrap().resource == "an item in the queue"),
            "a subscriber waits forever in get:\n{report}"
        );
        let report = common::check_with(
            &models::queue_check_then_act::MODEL,
            "fixed",
            mode,
            &[("order", order)],
        );
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Pass),
            "{report}"
        );
        common::assert_complete(
            &report,
            models::queue_check_then_act::MODEL.preemption_bound,
        );
    }
}

#[cfg(loom)]
#[test]
fn queue_full_lists_the_clean_exit_beside_the_hang() {
    let report = common::check_with(
        &models::queue_full::MODEL,
        "as-printed",
        Mode::Exhaustive,
        &[],
    );
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::Hang),
        "{report}"
    );
    assert!(
        report
            .outcomes
            .iter()
            .any(|o| o.get("queue joined before any put") == Some(1)),
        "the course's clean exit is reachable too:\n{report}"
    );
}

#[cfg(any(loom, shuttle))]
#[test]
fn livelocks_leave_threads_running_not_blocked() {
    let mode = common::explored_mode();
    for (model, variant, spinning) in [
        (&models::up_down::MODEL, "unlocked", "worker A"),
        (
            &models::condition_subscriber::MODEL,
            "as-printed",
            "subscriber-1",
        ),
    ] {
        let report = common::check_with(model, variant, mode, &[]);
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Livelock),
            "{report}"
        );
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        let running: Vec<&str> = snapshot.running().map(|t| t.name.as_str()).collect();
        assert!(
            running
                .iter()
                .any(|t| t.starts_with(&spinning[..spinning.len() - 1])),
            "{spinning} (or a sibling) spins:\n{report}"
        );
    }
}

#[cfg(shuttle)]
#[test]
fn up_down_livelock_needs_the_fair_schedule_not_luck() {
    // Random schedules end the tug of war by chance; the fair schedule (the first one a random
    // check runs) does not, and that is what the verdict rests on.
    let report = common::check_with(&models::up_down::MODEL, "unlocked", Mode::Random, &[]);
    assert_eq!(
        report.executions, 1,
        "caught by the first, fair, schedule:\n{report}"
    );
}

#[cfg(any(loom, shuttle))]
#[test]
fn locked_set_failures_show_a_non_linearizable_history() {
    let mode = common::explored_mode();
    for variant in ["unlocked", "per-call"] {
        let report = common::check_with(&models::locked_set::MODEL, variant, mode, &[]);
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Invariant),
            "{report}"
        );
        assert!(message(&report).contains("not linearizable"), "{report}");
    }
}

#[cfg(not(any(loom, shuttle)))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parallel_sum_segments_cover_the_array_exactly(length in 0usize..10_000, workers in 1usize..64) {
            let segments = models::parallel_sum::segments(length, workers);
            prop_assert_eq!(segments.len(), workers);
            prop_assert_eq!(segments.first().map(|s| s.start), Some(0));
            prop_assert_eq!(segments.last().map(|s| s.end), Some(length));
            for pair in segments.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
                prop_assert!(pair[0].len() >= pair[1].len() && pair[0].len() <= pair[1].len() + 1);
            }
        }
    }

    #[test]
    fn the_course_segmentation_drops_the_remainder() {
        // SommeMultiProcess: segments of len // n, n of them.
        let (length, workers) = (10, 4);
        let course_covered = (length / workers) * workers;
        assert_eq!(course_covered, 8);
        let ours: usize = models::parallel_sum::segments(length, workers)
            .iter()
            .map(|s| s.len())
            .sum();
        assert_eq!(ours, length);
    }

    #[test]
    fn monte_carlo_estimates_pi_on_real_threads() {
        let report = common::check_with(
            &models::monte_carlo_pi::MODEL,
            "per-thread-sums",
            Mode::Real,
            &[],
        );
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Pass),
            "{report}"
        );
    }
}
