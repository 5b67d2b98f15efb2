//! Every check a model makes can fail: for each model, every named invariant it checks mid-run
//! and its final-state check is made to fail by one of its buggy variants or by one of its
//! controls (mutants declared next to the model that break what it checks). A check that nothing
//! can make fail is not a check.
//!
//! Not every check has its control yet: those are listed below, by model, and the test fails if
//! the list is not exactly what is found, so a new control must strike its line and a new check
//! must come with a control.

#![cfg(shuttle)]

use interleave::explore::{check, checks, Mode, Params, Plan, Verdict};
use interleave::models;
use std::collections::BTreeSet;

/// Checks that no variant or control of their model makes fail yet.
const WITHOUT_A_CONTROL: &[(&str, &str)] = &[
    ("barrier", "the final state"),
    ("bounded-buffer", "the buffer never over- or underflows"),
    ("bounded-buffer", "the final state"),
    ("bounded-concurrency", "the final state"),
    ("condition-subscriber", "every integer is popped once"),
    ("condition-subscriber", "the final state"),
    ("deque", "nothing is lost"),
    ("deque", "the final state"),
    ("double-queue", "each output is an input plus a worker's id"),
    ("double-queue", "every input comes out once"),
    ("double-queue", "the final state"),
    ("event-stop", "a thread stops only after its event is set"),
    ("event-stop", "the final state"),
    ("exceptions", "a result is the child's own"),
    ("exceptions", "an error names the child that raised it"),
    ("exceptions", "one message per child"),
    ("exceptions", "the final state"),
    ("lock-leak", "the final state"),
    ("locked-set", "the final state"),
    ("message-server", "each client gets its own reply"),
    ("message-server", "the final state"),
    ("multi-consumer", "every value is taken at most once"),
    ("multi-consumer", "the final state"),
    ("ping-pong", "the final state"),
    ("pipe", "recv after the child closed reports end-of-stream"),
    ("pipe", "the child's send succeeds"),
    ("pipe", "the final state"),
    ("pipe", "the parent receives the reversed sentence"),
    ("pipe-many-writers", "each message arrives whole"),
    ("pipe-many-writers", "every child's send succeeds"),
    ("pipe-many-writers", "one message per child"),
    ("pipe-many-writers", "the final state"),
    ("queue-check-then-act", "every item is consumed once"),
    ("queue-check-then-act", "the final state"),
    ("queue-full", "the final state"),
    ("queue-pipeline", "the final state"),
    ("queue-pipeline", "the reader gets every line in order"),
    ("reentrant", "the final state"),
    (
        "rendezvous",
        "the consumers stay within one value of each other",
    ),
    ("rendezvous", "the final state"),
    ("shared-array-flag", "the final state"),
    (
        "shared-array-flag",
        "the reader sees every number the writer wrote before the flag",
    ),
    ("thread-pool", "a future holds its task's value"),
    ("thread-pool", "a pool refuses work after shutdown"),
    ("thread-pool", "a task's panic reaches the caller"),
    ("thread-pool", "apply_async returns its task's value"),
    ("thread-pool", "every submitted task runs once"),
    ("thread-pool", "imap yields results in input order"),
    ("thread-pool", "map returns results in input order"),
    ("thread-pool", "shutdown waits for every submitted task"),
    ("thread-pool", "the final state"),
    ("ticket-sellers", "the final state"),
    ("up-down", "the final state"),
    ("wine-stock", "no order is served twice"),
    ("wine-stock", "the final state"),
    ("worker-event-queue", "a result equals the sequential one"),
    ("worker-event-queue", "a worker computes on the whole data"),
    ("worker-event-queue", "each task runs once"),
    ("worker-event-queue", "the final state"),
];

#[test]
fn every_check_of_every_model_is_made_to_fail_by_a_variant_or_a_control() {
    let mut uncontrolled = BTreeSet::new();
    let mut failed_by = Vec::new();
    for model in models::ALL {
        let params = Params::for_model(model, Mode::Portfolio.scale(), &[]).unwrap();
        let mut failed = BTreeSet::new();
        for variant in model.variants.iter().chain(model.controls) {
            let mut plan = Plan::new(Mode::Portfolio);
            if variant.expected == Verdict::Ok {
                // Enough schedules to make every check; the verdicts are the other tests' job.
                plan.schedules = Some(100);
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
    let expected: BTreeSet<(&str, &str)> = WITHOUT_A_CONTROL.iter().copied().collect();
    assert_eq!(
        uncontrolled,
        expected,
        "checks that no variant or control makes fail (left: found; right: listed). Give each a \
         control, or list it. Failed by:\n{}",
        failed_by.join("\n")
    );
}
