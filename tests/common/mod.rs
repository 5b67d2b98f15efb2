//! Helpers shared by the test files: check a variant in a mode and assert it agrees with its
//! expected verdict, with the whole report in the failure message.
#![allow(dead_code)]

/// For each model, one test module with one test per mode: `exhaustive` (loom), `random`, `pct`
/// and `portfolio` (shuttle), `real`.
#[allow(unused_macros)]
macro_rules! every_mode {
    ($($module:ident),* $(,)?) => { $(
        mod $module {
            #[allow(unused_imports)]
            use crate::common;
            #[allow(unused_imports)]
            use interleave::explore::Mode;

            #[cfg(loom)]
            #[test]
            fn exhaustive() {
                common::assert_every_variant(&interleave::models::$module::MODEL, Mode::Exhaustive);
            }

            #[cfg(shuttle)]
            #[test]
            fn random() {
                common::assert_every_variant(&interleave::models::$module::MODEL, Mode::Random);
            }

            #[cfg(shuttle)]
            #[test]
            fn pct() {
                common::assert_every_variant(&interleave::models::$module::MODEL, Mode::Pct);
            }

            #[cfg(shuttle)]
            #[test]
            fn portfolio() {
                common::assert_every_variant(&interleave::models::$module::MODEL, Mode::Portfolio);
            }

            #[cfg(not(any(loom, shuttle)))]
            #[test]
            fn real() {
                common::assert_correct_variants_run_for_real(&interleave::models::$module::MODEL);
            }
        }
    )* };
}

use interleave::explore::{check, Coverage, Mode, Model, Observed, Params, Plan, Report, Verdict};

/// Checks every variant and every control of `model` in `mode` at the model's stated sizes and
/// budgets, and asserts each reaches its expected verdict: a buggy variant's bug is found, a
/// control's broken check is caught, a correct variant is verified (exhaustive: the exploration
/// completed; randomized: the whole budget ran).
pub fn assert_every_variant(model: &'static Model, mode: Mode) -> Vec<Report> {
    assert_every_variant_under(model, &Plan::new(mode))
}

/// Like [`assert_every_variant`], under `plan` (bounded mode with states cached, say).
pub fn assert_every_variant_under(model: &'static Model, plan: &Plan) -> Vec<Report> {
    let mode = plan.mode;
    let params = Params::for_model(model, mode, &[]).expect("default parameters are valid");
    model
        .variants
        .iter()
        .chain(model.controls)
        .map(|variant| {
            let report = check(model, variant, &params, plan).expect("this build runs this mode");
            assert_eq!(
                report.observed(),
                Observed::Verdict(report.expected()),
                "{} / {} in {mode} mode:\n{report}",
                model.name,
                variant.name
            );
            if report.expected() == Verdict::Pass {
                assert_complete(&report, model.preemption_bound);
            }
            report
        })
        .collect()
}

/// A verified `ok` means the whole budget was explored, not that a budget cut it short.
/// `bound` is the preemption bound an exhaustive check must have reached.
pub fn assert_complete(report: &Report, bound: usize) {
    match &report.coverage {
        Coverage::Exhaustive { preemptions } => {
            assert_eq!(*preemptions, bound, "{report}");
            assert!(
                report.executions > 1,
                "one execution explores nothing:\n{report}"
            );
        }
        Coverage::Sampled { schedules, .. } => {
            assert_eq!(
                report.executions,
                *schedules + 1,
                "the fair schedule, then the budget:\n{report}"
            )
        }
        Coverage::Repeated { runs } => assert!(*runs >= 1, "{report}"),
        Coverage::Replayed => assert_eq!(report.executions, 1, "{report}"),
        Coverage::Incomplete(why) => panic!("exploration incomplete ({why}):\n{report}"),
    }
}

/// Checks `variant` of `model` in a shuttle `mode` at the stated size, then replays the schedule
/// of the failure it found; returns both reports.
#[cfg(shuttle)]
pub fn find_then_replay(model: &'static Model, variant: &str, mode: Mode) -> (Report, Report) {
    let variant = model.variant(variant).unwrap();
    let params = Params::for_model(model, mode, &[]).unwrap();
    let found = check(model, variant, &params, &Plan::new(mode)).unwrap();
    let schedule = found
        .failure
        .as_ref()
        .and_then(|f| f.schedule.clone())
        .unwrap_or_else(|| panic!("a failure with its schedule:\n{found}"));
    let replayed = interleave::explore::replay(model, variant, &params, &schedule).unwrap();
    (found, replayed)
}

/// Runs every correct variant of `model` on real threads at the model's realistic size, and
/// asserts each finishes with its check passing.
#[cfg(not(any(loom, shuttle)))]
pub fn assert_correct_variants_run_for_real(model: &'static Model) -> Vec<Report> {
    let params = Params::for_model(model, Mode::Real, &[]).expect("default parameters");
    let mut plan = Plan::new(Mode::Real);
    plan.schedules = Some(2);
    model
        .variants
        .iter()
        .filter(|v| v.expected == Verdict::Pass)
        .map(|variant| {
            let report = check(model, variant, &params, &plan).expect("a std build runs real mode");
            assert_eq!(
                report.observed(),
                Observed::Verdict(Verdict::Pass),
                "{} / {} on real threads:\n{report}",
                model.name,
                variant.name
            );
            assert_eq!(report.executions, 2, "{report}");
            report
        })
        .collect()
}

/// Checks `variant` of `model` in `mode` with some parameters overridden.
pub fn check_with(
    model: &'static Model,
    variant: &str,
    mode: Mode,
    overrides: &[(&str, usize)],
) -> Report {
    let variant = model.variant(variant).expect("a declared variant");
    let params = Params::for_model(model, mode, overrides).expect("valid parameters");
    check(model, variant, &params, &Plan::new(mode)).expect("this build runs this mode")
}

/// The mode an explored build checks a particular finding in: exhaustive under loom, random
/// under shuttle.
pub fn explored_mode() -> Mode {
    if cfg!(loom) {
        Mode::Exhaustive
    } else {
        Mode::Random
    }
}

/// Checks `variant` of `model` in the explored build's mode at the stated sizes (with
/// `overrides`) and asserts it reaches `verdict`; returns the report for the finer checks.
pub fn check_reaches(
    model: &'static Model,
    variant: &str,
    verdict: Verdict,
    overrides: &[(&str, usize)],
) -> Report {
    let report = check_with(model, variant, explored_mode(), overrides);
    assert_eq!(
        report.observed(),
        Observed::Verdict(verdict),
        "{} / {variant}:\n{report}",
        model.name
    );
    report
}

/// A final-state check: the value `name` must be `n`.
pub fn final_count(
    name: &'static str,
    n: usize,
) -> impl Fn(&interleave::explore::Outcome) -> Result<(), String> + Send + Sync + 'static {
    move |o| match o.value(name) {
        v if v == n as i64 => Ok(()),
        v => Err(format!("{name} is {v}, not {n}")),
    }
}
