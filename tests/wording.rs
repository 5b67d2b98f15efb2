//! The wording a newcomer met and should not have, kept as snapshots (`insta`), one per leak:
//! a real run's figures ("1 runs (0 ran to the end)"), a header without parameters ("(pct mode,
//! )"), a stuck run's message printed once, and the command line's one-line errors for a count
//! of 0, a backwards range of seeds, or a parameter a model does not have. Times are replaced by
//! `<time>` and rates by `<rate>`, which change from run to run.
#![cfg(not(any(loom, shuttle)))]

use interleave::explore::{check, Check, Mode, Params, Plan};
use interleave::models;
use std::process::Command;
use std::time::Duration;

/// `text` without what changes from run to run: durations and rates.
fn steady(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive([' ', '\n', ',']) {
        let core = word.trim_end_matches([' ', '\n', ',']);
        let tail = &word[core.len()..];
        let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
        let replaced = if let Some(n) = core.strip_suffix("/s") {
            number(n).then_some("<rate>")
        } else {
            ["ns", "µs", "ms", "s"]
                .iter()
                .find_map(|unit| core.strip_suffix(unit).filter(|n| number(n)))
                .map(|_| "<time>")
        };
        out.push_str(replaced.unwrap_or(core));
        out.push_str(tail);
    }
    out
}

#[test]
fn steady_hides_times_and_rates_only() {
    assert_eq!(
        steady("2 runs (2 ran to the end), 3.5ms, 571/s, 12 µs, bound 3\n"),
        "2 runs (2 ran to the end), <time>, <rate>, 12 µs, bound 3\n"
    );
}

/// A real run that finished: "1 run (1 ran to the end)", a header without empty parentheses.
#[test]
fn a_finished_real_run() {
    let model = &models::bank::MODEL;
    let params = Params::for_model(model, Mode::Real, &[]).unwrap();
    let mut plan = Plan::new(Mode::Real);
    plan.schedules = Some(1);
    let report = check(model, model.variant("locked").unwrap(), &params, &plan).unwrap();
    insta::assert_snapshot!(steady(&report.to_string()));
}

/// A stuck real run says so once, with what to run to see the schedule.
#[test]
fn a_stuck_real_run() {
    let report = Check::new()
        .name("a lock taken twice")
        .runs(1)
        .watchdog(Duration::from_millis(100))
        .report(|| {
            let lock = interleave::sync::Mutex::named("the lock", ());
            let _first = lock.lock().unwrap();
            let _second = lock.lock().unwrap();
        })
        .unwrap();
    insta::assert_snapshot!(steady(&report.to_string()));
}

/// The command line's one-line errors, each as a user reads it.
#[test]
fn errors_for_bad_counts_ranges_and_parameters() {
    let errors: Vec<String> = [
        &["run", "counter", "--runs", "0"][..],
        &["check", "counter", "--mode", "random", "--seeds", "5..2"],
        &["run", "bank", "--threads", "3"],
        &["run", "counter", "--meals", "3"],
    ]
    .iter()
    .map(|args| {
        let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
            .args(*args)
            .env("INTERLEAVE_DELEGATED", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        format!("$ interleave {}\n{}", args.join(" "), err.trim_end())
    })
    .collect();
    insta::assert_snapshot!(errors.join("\n\n"));
}
