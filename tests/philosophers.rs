//! The dining philosophers' verdicts in every mode, and the deadlock report.

mod common;

use interleave::explore::Mode;
use interleave::models::philosophers::MODEL;

#[cfg(not(any(loom, shuttle)))]
#[test]
fn correct_variants_finish_every_meal_on_real_threads() {
    use interleave::explore::{check, Params, Plan, Verdict};
    let params = Params::for_model(&MODEL, Mode::Real.scale(), &[]).unwrap();
    for variant in MODEL.variants.iter().filter(|v| v.expected == Verdict::Ok) {
        let report = check(&MODEL, variant, &params, &Plan::new(Mode::Real)).unwrap();
        assert!(report.failure.is_none(), "{report}");
        let meals = params.get("meals") as i64;
        assert!(
            report
                .outcomes
                .iter()
                .all(|o| o.values().all(|(_, m)| m == meals)),
            "{report}"
        );
    }
}

#[cfg(any(loom, shuttle))]
fn assert_naive_deadlock_is_the_five_fork_cycle(report: &interleave::explore::Report) {
    let failure = report
        .failure
        .as_ref()
        .expect("the naive philosophers deadlock");
    let cycle = failure
        .snapshot
        .cycle
        .clone()
        .expect("a deadlock is a cycle");
    let mut sorted = cycle.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["Aristotle", "Kant", "Marx", "Russell", "Spinoza"],
        "{report}"
    );
    for philosopher in failure.snapshot.blocked() {
        assert_eq!(philosopher.holds.len(), 1, "each holds one fork:\n{report}");
        assert_eq!(
            philosopher.waits_for.as_ref().unwrap().held_by.len(),
            1,
            "{report}"
        );
    }
}

#[cfg(loom)]
#[test]
fn every_variant_reaches_its_verdict_exhaustively() {
    let reports = common::assert_every_variant(&MODEL, Mode::Exhaustive);
    assert_naive_deadlock_is_the_five_fork_cycle(&reports[0]);
}

#[cfg(shuttle)]
#[test]
fn every_variant_reaches_its_verdict_under_random_schedules() {
    let reports = common::assert_every_variant(&MODEL, Mode::Random);
    assert_naive_deadlock_is_the_five_fork_cycle(&reports[0]);
}

#[cfg(shuttle)]
#[test]
fn every_variant_reaches_its_verdict_under_pct() {
    common::assert_every_variant(&MODEL, Mode::Pct);
}

#[cfg(shuttle)]
#[test]
fn the_deadlock_replays_from_its_schedule() {
    use interleave::explore::Verdict;
    let (_, replayed) = common::find_then_replay(&MODEL, "naive", Mode::Pct);
    assert_eq!(
        replayed.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::Deadlock),
        "{replayed}"
    );
    assert_naive_deadlock_is_the_five_fork_cycle(&replayed);
}
