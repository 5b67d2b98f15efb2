//! Bounded mode on several cores (shuttle builds): the schedule tree is split among workers by
//! the choices at its first choice points, and what the exploration finds — the verdict, the
//! failing schedule reported, the final states — does not depend on how many workers share it.
//! Each check runs with one, two and three workers and compares; the deadlock and the lost
//! update are the controls that a failure is found at all.
#![cfg(shuttle)]

mod programs;

use interleave_check::sync::{thread, Arc, Mutex};
use interleave_check::{Check, Mode, Outcome, Report, Verdict};
use programs::{crossed_locks, three_adders};

fn with_jobs(jobs: usize, bound: usize) -> Check {
    Check::new()
        .mode(Mode::Bounded)
        .preemptions(bound)
        .jobs(jobs)
}

/// The verdict, the schedule that replays it, and the final states.
fn found(report: &Report) -> (Option<Verdict>, Option<String>, Vec<String>) {
    let failure = report.failure.as_ref();
    (
        failure.and_then(|f| f.verdict()),
        failure.and_then(|f| f.schedule.clone()),
        report.outcomes.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn a_deadlock_is_found_and_reported_alike_on_any_number_of_workers() {
    let reports: Vec<Report> = (1..=3)
        .map(|jobs| with_jobs(jobs, 2).report(crossed_locks).unwrap())
        .collect();
    let one = found(&reports[0]);
    assert_eq!(one.0, Some(Verdict::Deadlock), "{}", reports[0]);
    assert!(one.1.is_some(), "a replayable schedule: {}", reports[0]);
    for r in &reports[1..] {
        assert_eq!(found(r), one, "{r}");
    }
}

#[test]
fn a_lost_update_and_the_final_states_do_not_depend_on_the_workers() {
    let check = |jobs| {
        with_jobs(jobs, 2)
            .final_state(|o| match o.value("n") {
                6 => Ok(()),
                n => Err(format!("n is {n}, not 6")),
            })
            .report(|| three_adders(|_| false))
            .unwrap()
    };
    let one = check(1);
    assert_eq!(
        found(&one).0,
        Some(Verdict::LostUpdate),
        "the control: {one}"
    );
    for jobs in [2, 3] {
        let many = check(jobs);
        assert_eq!(found(&many), found(&one), "{jobs} workers: {many}");
        assert_eq!(many.executions, one.executions, "{jobs} workers: {many}");
    }
}

#[test]
fn correct_code_is_verified_alike_on_any_number_of_workers() {
    let locked = || {
        let n = Arc::new(Mutex::named("n", 0i64));
        let add = |n: Arc<Mutex<i64>>| {
            move || {
                for _ in 0..2 {
                    *n.lock().unwrap() += 1;
                }
            }
        };
        let others: Vec<_> = (1..3)
            .map(|i| thread::spawn_named(format!("t{i}"), add(n.clone())))
            .collect();
        add(n.clone())();
        others.into_iter().for_each(|t| t.join().unwrap());
        let n = *n.lock().unwrap();
        Outcome::new().with("n", n)
    };
    let reports: Vec<Report> = (1..=3)
        .map(|jobs| with_jobs(jobs, 3).report(locked).unwrap())
        .collect();
    for r in &reports {
        assert!(r.failure.is_none(), "{r}");
        assert_eq!(r.stats.bound_explored, Some(3), "{r}");
        assert_eq!(found(r), found(&reports[0]), "{r}");
        assert_eq!(r.executions, reports[0].executions, "{r}");
    }
}
