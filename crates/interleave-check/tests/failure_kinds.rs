//! Every kind of failure an exploration meets is reported, not only the first: a program that
//! can both deadlock and panic, checked with each as the expected verdict, gets that verdict's
//! counterexample as the report's failure and the other kind beside it (when the search met it
//! first), each with the line that replays it. A search that stopped at the first failure, or a
//! report that dropped the others, fails these tests.
//!
//! Shuttle builds only: loom's search ends at its first panic, whatever the check expects.
#![cfg(shuttle)]

use interleave_check::sync::atomic::{AtomicBool, Ordering};
use interleave_check::sync::{thread, Arc, Mutex};
use interleave_check::{Check, Mode, Report, Verdict};

/// The child takes `a` then `b`; the main thread asserts that the child has not finished yet,
/// then takes `b` then `a`. Interleaved, the locks deadlock; with the child first, the assertion
/// fails; with the main thread first, all is well.
fn deadlocks_or_panics() {
    let a = Arc::new(Mutex::named("a", ()));
    let b = Arc::new(Mutex::named("b", ()));
    let done = Arc::new(AtomicBool::named("done", false));
    let child = {
        let (a, b, done) = (a.clone(), b.clone(), done.clone());
        thread::spawn_named("child", move || {
            let _a = a.lock().unwrap();
            let _b = b.lock().unwrap();
            done.store(true, Ordering::SeqCst);
        })
    };
    assert!(!done.load(Ordering::SeqCst), "the child finished first");
    {
        let _b = b.lock().unwrap();
        let _a = a.lock().unwrap();
    }
    child.join().unwrap();
}

fn report(mode: Mode, expected: Verdict) -> Report {
    Check::new()
        .mode(mode)
        .schedules(2_000)
        .jobs(1)
        .expect(expected)
        .report(deadlocks_or_panics)
        .expect("a shuttle build runs this mode")
}

#[test]
fn the_expected_verdict_is_reported_whichever_kind_came_first() {
    for mode in [Mode::Bounded, Mode::Random, Mode::Portfolio] {
        let mut others = Vec::new();
        for (expected, other) in [
            (Verdict::Deadlock, Verdict::Panic),
            (Verdict::Panic, Verdict::Deadlock),
        ] {
            let report = report(mode, expected);
            assert!(report.agrees(), "{mode}, expecting {expected}:\n{report}");
            let failure = report.failure.as_ref().expect("a failure");
            assert_eq!(failure.verdict(), Some(expected), "{report}");
            for also in &report.also {
                assert_eq!(also.verdict(), Some(other), "{report}");
                // Each kind met comes with its own replay line.
                assert!(also.schedule.is_some(), "{report}");
                let text = report.to_string();
                assert!(text.contains("the exploration also met:"), "{text}");
                assert!(text.contains("replay it with: interleave replay"), "{text}");
            }
            others.extend(report.also.iter().map(|f| f.verdict()));
        }
        // One of the two kinds comes first in the search: checking for the other, the report
        // names the first too.
        assert!(!others.is_empty(), "{mode}: no report named the other kind");
    }
}

/// A schedule of a kind met beside the reported failure replays that kind.
#[test]
fn the_other_kinds_schedule_replays_it() {
    for expected in [Verdict::Deadlock, Verdict::Panic] {
        let report = report(Mode::Bounded, expected);
        for also in &report.also {
            let schedule = also.schedule.as_deref().expect("a schedule");
            let replayed = Check::new()
                .replay(schedule, deadlocks_or_panics)
                .expect("the schedule fits");
            let failure = replayed.failure.as_ref().expect("the replay fails");
            assert_eq!(failure.verdict(), also.verdict(), "{replayed}");
        }
    }
}

/// Told nothing, a check reports the first failure that ends the search, as before.
#[test]
fn without_an_expectation_the_first_failure_ends_the_search() {
    let report = Check::new()
        .mode(Mode::Bounded)
        .jobs(1)
        .report(deadlocks_or_panics)
        .expect("bounded mode");
    let failure = report.failure.as_ref().expect("a failure");
    assert!(
        matches!(failure.verdict(), Some(Verdict::Deadlock | Verdict::Panic)),
        "{report}"
    );
    assert!(report.also.is_empty(), "{report}");
}
