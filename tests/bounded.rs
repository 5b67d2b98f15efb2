//! `bounded` mode (shuttle builds): every schedule within a preemption bound counted as CHESS
//! counts it, with no thread limit. The course's models get their catalogue verdicts (all but
//! the philosophers, whose trees take minutes; the table runs those, see the README), with and
//! without their states cached; the racy counter's bug needs exactly one preemption (none is not
//! enough: the control), and a size past loom's thread limit is explored completely.
#![cfg(shuttle)]

#[macro_use]
mod common;

use interleave::explore::{check, Coverage, Mode, Model, Observed, Params, Plan, Verdict};
use interleave::models;

/// Models whose trees at their stated bound take minutes in bounded mode (the philosophers'
/// `tanenbaum`: 1.6 million schedules): the table checks them, not this test.
const SLOW: [&str; 1] = ["philosophers"];

#[test]
fn course_models_get_their_verdicts_in_bounded_mode() {
    let mut checked = 0;
    for model in models::ALL.iter().filter(|m| !SLOW.contains(&m.name)) {
        common::assert_every_variant(model, Mode::Bounded);
        checked += 1;
    }
    assert!(checked >= 29, "only {checked} models checked");
}

/// With their states cached, the same models get the same verdicts (all but those that keep
/// state beside the primitives, which caching cannot see): caching skips what an earlier schedule
/// already reached, never a bug (the controls among the variants must still be caught).
#[test]
fn course_models_get_their_verdicts_with_states_cached() {
    let mut plan = Plan::new(Mode::Bounded);
    plan.cache_states = true;
    let mut checked = 0;
    let cacheable = |m: &&&Model| m.state_outside_primitives.is_none();
    for model in models::ALL
        .iter()
        .filter(|m| !SLOW.contains(&m.name))
        .filter(cacheable)
    {
        common::assert_every_variant_under(model, &plan);
        checked += 1;
    }
    assert!(checked >= 28, "only {checked} models checked");
}

/// The racy counter's lost update needs one preemption in CHESS's sense (a thread preempted
/// between its read and its write); at bound 0 every schedule runs each thread's increments
/// whole, and nothing is lost.
#[test]
fn the_racy_counter_needs_one_preemption() {
    let model = &models::counter::MODEL;
    let racy = model.variant("racy").unwrap();
    let params = Params::for_model(model, Mode::Bounded, &[]).unwrap();
    let at = |bound| {
        let mut plan = Plan::new(Mode::Bounded);
        plan.preemptions = Some(bound);
        check(model, racy, &params, &plan).unwrap()
    };
    let none = at(0);
    assert_eq!(none.observed(), Observed::Verdict(Verdict::Pass), "{none}");
    assert_eq!(none.coverage, Coverage::Exhaustive { preemptions: 0 });
    let one = at(1);
    assert_eq!(
        one.observed(),
        Observed::Verdict(Verdict::LostUpdate),
        "{one}"
    );
    assert_eq!(
        one.coverage,
        Coverage::Exhaustive { preemptions: 1 },
        "{one}"
    );
}

/// Five incrementers are past loom's limit (four spawned threads); bounded mode explores them
/// all at bound 1 and finds the lost update.
#[test]
fn more_threads_than_loom_explores() {
    let model = &models::counter::MODEL;
    let params =
        Params::for_model(model, Mode::Bounded, &[("threads", 5), ("increments", 1)]).unwrap();
    let mut plan = Plan::new(Mode::Bounded);
    plan.preemptions = Some(1);
    let report = check(model, model.variant("racy").unwrap(), &params, &plan).unwrap();
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::LostUpdate),
        "{report}"
    );
    assert!(
        report.stats.threads >= 6,
        "five incrementers and main: {report}"
    );
    // The control: the locked counter at the same size is verified, completely.
    let locked = check(model, model.variant("locked").unwrap(), &params, &plan).unwrap();
    assert_eq!(
        locked.observed(),
        Observed::Verdict(Verdict::Pass),
        "{locked}"
    );
    assert_eq!(
        locked.coverage,
        Coverage::Exhaustive { preemptions: 1 },
        "{locked}"
    );
}

/// With no preemption bound and its states cached, bounded mode verifies the ordered
/// philosophers outright (every schedule, as SPIN does; four at the table to keep the test short:
/// `bench --explore` runs five beside SPIN); the controls, the naive philosophers' deadlock and
/// the fork-less ones' broken exclusion, are found the same way.
#[test]
fn the_ordered_philosophers_are_verified_with_no_preemption_bound() {
    let model = &models::philosophers::MODEL;
    let params =
        Params::for_model(model, Mode::Bounded, &[("philosophers", 4), ("meals", 1)]).unwrap();
    let mut plan = Plan::new(Mode::Bounded);
    plan.preemptions = Some(interleave_check::explore::UNBOUNDED);
    plan.cache_states = true;
    let run =
        |variant: &str| check(model, model.variant(variant).unwrap(), &params, &plan).unwrap();
    let ordered = run("ordered");
    assert!(ordered.verified(), "{ordered}");
    assert!(
        ordered.summary().contains("with no preemption bound"),
        "{ordered}"
    );
    let naive = run("naive");
    assert_eq!(
        naive.observed(),
        Observed::Verdict(Verdict::Deadlock),
        "{naive}"
    );
    let no_forks = run("no-forks");
    assert_eq!(
        no_forks.observed(),
        Observed::Verdict(Verdict::Invariant),
        "{no_forks}"
    );
}
