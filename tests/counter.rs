//! The counter's verdicts in every mode, and its reachable final values under loom.

mod common;

use interleave::explore::Mode;
use interleave::models::counter::MODEL;

#[cfg(not(any(loom, shuttle)))]
#[test]
fn correct_variants_count_every_increment_on_real_threads() {
    use interleave::explore::{check, Params, Plan, Verdict};
    let params = Params::for_model(&MODEL, Mode::Real, &[]).unwrap();
    for variant in MODEL
        .variants
        .iter()
        .filter(|v| v.expected == Verdict::Pass)
    {
        let report = check(&MODEL, variant, &params, &Plan::new(Mode::Real)).unwrap();
        assert!(report.failure.is_none(), "{report}");
        let total = (params.get("threads") * params.get("increments")) as i64;
        assert!(
            report
                .outcomes
                .iter()
                .all(|o| o.get("counter") == Some(total)),
            "{report}"
        );
    }
}

#[cfg(loom)]
#[test]
fn every_variant_reaches_its_verdict_exhaustively() {
    common::assert_every_variant(&MODEL, Mode::Exhaustive);
}

#[cfg(loom)]
#[test]
fn racy_reachable_finals_are_exactly_what_theory_says() {
    use interleave::explore::{check, Params, Plan};
    use std::collections::BTreeSet;
    // Every thread's last write can clobber all but one increment of the others: with K ≥ 2 the
    // finals are 2..=T·K, with K = 1 they are 1..=T. Each read and each write is one step (as in
    // CPython), so reaching 2 takes four preemptions once K ≥ 3: bound 3 reaches only 3..=T·K
    // for (2, 3) (measured), bound 4 reaches them all. (3, 3) at bound 4 takes 71,416 executions,
    // ~7 s: left to `interleave check counter racy --threads 3 --increments 3 --preemptions 4`.
    let racy = MODEL.variant("racy").unwrap();
    for (threads, increments) in [(2, 1), (3, 1), (2, 2), (2, 3), (3, 2)] {
        let params = Params::for_model(
            &MODEL,
            Mode::Exhaustive,
            &[("threads", threads), ("increments", increments)],
        )
        .unwrap();
        let mut plan = Plan::new(Mode::Exhaustive);
        plan.preemptions = Some(4);
        plan.no_deepening = true;
        let report = check(&MODEL, racy, &params, &plan).unwrap();
        let reached: BTreeSet<i64> = report
            .outcomes
            .iter()
            .filter_map(|o| o.get("counter"))
            .collect();
        let lowest = if increments >= 2 { 2 } else { 1 };
        let theory: BTreeSet<i64> = (lowest..=(threads * increments) as i64).collect();
        assert_eq!(reached, theory, "T={threads} K={increments}:\n{report}");
    }
}

#[cfg(loom)]
#[test]
fn correct_variants_reach_only_the_full_count() {
    use interleave::explore::{check, Params, Plan};
    let params = Params::for_model(
        &MODEL,
        Mode::Exhaustive,
        &[("threads", 3), ("increments", 2)],
    )
    .unwrap();
    for name in ["locked", "atomic"] {
        let report = check(
            &MODEL,
            MODEL.variant(name).unwrap(),
            &params,
            &Plan::new(Mode::Exhaustive),
        )
        .unwrap();
        let finals: Vec<i64> = report
            .outcomes
            .iter()
            .filter_map(|o| o.get("counter"))
            .collect();
        assert_eq!(finals, vec![6], "{report}");
    }
}

#[cfg(shuttle)]
#[test]
fn every_variant_reaches_its_verdict_under_random_schedules() {
    common::assert_every_variant(&MODEL, Mode::Random);
}

#[cfg(shuttle)]
#[test]
fn every_variant_reaches_its_verdict_under_pct() {
    common::assert_every_variant(&MODEL, Mode::Pct);
}

#[cfg(shuttle)]
#[test]
fn every_variant_reaches_its_verdict_under_the_portfolio() {
    common::assert_every_variant(&MODEL, Mode::Portfolio);
}

#[cfg(shuttle)]
#[test]
fn a_lost_update_replays_from_its_schedule() {
    use interleave::explore::Verdict;
    let (found, replayed) = common::find_then_replay(&MODEL, "racy", Mode::Random);
    assert_eq!(replayed.executions, 1);
    assert_eq!(
        replayed.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::LostUpdate)
    );
    // The replay ends in the very final state of the failing schedule, among those the sampling
    // reached, with the same message.
    assert_eq!(replayed.outcomes.len(), 1, "{replayed}");
    assert!(
        found.outcomes.is_superset(&replayed.outcomes),
        "{found}\n{replayed}"
    );
    assert_eq!(
        replayed.failure.as_ref().map(|f| f.message()),
        found.failure.as_ref().map(|f| f.message()),
        "{found}\n{replayed}"
    );
}

#[cfg(shuttle)]
#[test]
fn first_failure_stops_at_the_lost_update_and_finds_the_same_one() {
    use interleave::explore::{check, Params, Plan};
    let racy = MODEL.variant("racy").unwrap();
    let params = Params::for_model(&MODEL, Mode::Random, &[]).unwrap();
    let mut plan = Plan::new(Mode::Random);
    plan.schedules = Some(500);
    plan.workers = 1;
    // By default a lost update does not end the search: the whole budget runs.
    let looked_on = check(&MODEL, racy, &params, &plan).unwrap();
    plan.first_failure = true;
    let first = check(&MODEL, racy, &params, &plan).unwrap();
    let found_in = |r: &interleave::explore::Report| r.failure.as_ref().and_then(|f| f.found_in);
    assert_eq!(looked_on.executions, 501, "{looked_on}");
    assert_eq!(
        found_in(&first),
        found_in(&looked_on),
        "{first}\n{looked_on}"
    );
    assert_eq!(Some(first.executions), found_in(&first), "{first}");
    assert!(first.executions < 501, "{first}");
    assert_eq!(
        first.failure.as_ref().and_then(|f| f.schedule.clone()),
        looked_on.failure.as_ref().and_then(|f| f.schedule.clone())
    );
}
