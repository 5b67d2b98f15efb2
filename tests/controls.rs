//! Every check a model makes can fail: for each model, every named invariant it checks mid-run
//! and its final-state check is made to fail by one of its buggy variants or by one of its
//! controls (mutants declared next to the model that break what it checks). A check that nothing
//! can make fail is not a check.
//!
//! A check still without a control would be listed below, by model, with the reason; the test
//! fails if the list is not exactly what is found, so a new check must come with a control.

#![cfg(any(loom, shuttle))]

use interleave::explore::{check, checks, Mode, Params, Plan, Verdict};
use interleave::models;
use std::collections::BTreeSet;

/// Checks that no variant or control of their model makes fail yet, each with the reason it has
/// none (empty: every check of every model has one).
const WITHOUT_A_CONTROL: &[(&str, &str)] = &[];

#[test]
fn every_check_of_every_model_is_made_to_fail_by_a_variant_or_a_control() {
    let mut uncontrolled = BTreeSet::new();
    let mut failed_by = Vec::new();
    let mode = if cfg!(loom) {
        Mode::Exhaustive
    } else {
        Mode::Portfolio
    };
    for model in models::ALL {
        let params = Params::for_model(model, mode, &[]).unwrap();
        let mut failed = BTreeSet::new();
        for variant in model.variants.iter().chain(model.controls) {
            let mut plan = Plan::new(mode);
            if variant.expected == Verdict::Pass {
                // Enough schedules to make every check; the verdicts are the other tests' job.
                plan.schedules = Some(100);
                plan.preemptions = Some(1);
            }
            let report = check(model, variant, &params, &plan).unwrap();
            if let Some(c) = report.failure.as_ref().and_then(|f| f.check) {
                failed.insert(c);
                failed_by.push(format!("{} / {}: {c}", model.name, variant.name));
            }
        }
        for made in checks::made_by(model.name) {
            if !failed.contains(made) {
                uncontrolled.insert((model.name, made));
            }
        }
    }
    let listed: BTreeSet<(&str, &str)> = WITHOUT_A_CONTROL.iter().copied().collect();
    let lines = |set: &BTreeSet<(&str, &str)>| -> String {
        set.iter()
            .map(|(model, check)| format!("    (\"{model}\", \"{check}\"),\n"))
            .collect()
    };
    assert!(
        uncontrolled == listed,
        "the checks that no variant or control makes fail are not the ones listed.\n\
         Found without a control, not listed:\n{}Listed, but a variant or control makes them fail \
         now (strike them):\n{}Failed by:\n{}",
        lines(&uncontrolled.difference(&listed).copied().collect()),
        lines(&listed.difference(&uncontrolled).copied().collect()),
        failed_by.join("\n")
    );
}
