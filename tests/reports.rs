//! What a student reads, kept as snapshots (`insta`): one report per verdict kind, as `interleave
//! check` prints it in exhaustive mode (deterministic: loom explores in a fixed order), less the
//! stats line, whose times change from run to run. A change of wording shows in review as a
//! change of a `.snap` file under `tests/snapshots/`.
#![cfg(loom)]

use interleave::explore::{check, Mode, Model, Params, Plan};
use interleave::models;

/// The report of `variant` of `model`, in exhaustive mode at the model's sizes, without its
/// stats line.
fn report(model: &'static Model, variant: &str) -> String {
    let params = Params::for_model(model, Mode::Exhaustive, &[]).unwrap();
    let variant = model.variant(variant).unwrap();
    let report = check(model, variant, &params, &Plan::new(Mode::Exhaustive)).unwrap();
    assert!(report.agrees(), "{report}");
    report
        .to_string()
        .lines()
        .filter(|l| !l.trim_start().starts_with("stats:"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_deadlock() {
    insta::assert_snapshot!(report(&models::philosophers::MODEL, "naive"));
}

#[test]
fn a_lost_update() {
    insta::assert_snapshot!(report(&models::counter::MODEL, "racy"));
}

#[test]
fn a_hang() {
    insta::assert_snapshot!(report(&models::lock_leak::MODEL, "as-printed"));
}

#[test]
fn a_broken_invariant() {
    insta::assert_snapshot!(report(&models::ticket_sellers::MODEL, "bounded4"));
}

#[test]
fn a_livelock() {
    insta::assert_snapshot!(report(&models::up_down::MODEL, "unlocked"));
}

#[test]
fn a_history_that_is_not_linearizable() {
    insta::assert_snapshot!(report(&models::deque::MODEL, "pop-from-the-left"));
}

#[test]
fn a_verified_variant() {
    insta::assert_snapshot!(report(&models::counter::MODEL, "locked"));
}
