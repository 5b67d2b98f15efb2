//! Bounded mode's state caching (shuttle builds): a schedule that reaches a state an earlier one
//! reached, with no more preemptions spent, is not followed further. The final states reachable
//! within a bound are the same with and without it (random programs over every primitive, and a
//! racy counter on a shared value), in fewer executions, and a lost update is reported alike on
//! any number of workers. The control is a fingerprint blind to what the threads have seen: it
//! takes states that differ in a thread's local variables for one, and loses final states.
#![cfg(shuttle)]

mod programs;

use interleave_check::explore::{Reduction, StateCaching};
use interleave_check::sync::{thread, Arc, Value};
use interleave_check::{Check, Mode, Outcome, Report};
use programs::{assert_loses_states, explore_with, generated, states, Op};

/// `threads` threads each add one `increments` times to a shared value by a read and a write
/// (two operations: `temp = n.value; n.value = temp + 1`).
fn racy_value(threads: usize, increments: usize) -> Outcome {
    let n = Arc::new(Value::new("n", 0usize));
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let n = n.clone();
            thread::spawn_named(format!("t{i}"), move || {
                for _ in 0..increments {
                    let seen = n.get();
                    n.set(seen + 1);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    Outcome::new().with("n", n.get() as i64)
}

#[test]
fn caching_keeps_the_racy_counters_final_states_in_fewer_executions() {
    let program = || racy_value(4, 2);
    let cached = explore_with(2, Reduction::SleepSets, StateCaching::On, program);
    let plain = explore_with(2, Reduction::SleepSets, StateCaching::Off, program);
    let full = explore_with(2, Reduction::None, StateCaching::Off, program);
    assert_eq!(states(&cached), states(&full));
    assert_eq!(states(&plain), states(&full));
    assert!(states(&full).contains("n=2"), "{full}");
    // At least a third fewer.
    assert!(
        cached.executions * 3 < plain.executions * 2,
        "{} executions with caching, {} without",
        cached.executions,
        plain.executions
    );
}

/// The control: a fingerprint that forgets what each thread has seen takes a thread that has
/// loaded an atomic for one that has not yet, and final states disappear.
#[test]
fn a_fingerprint_blind_to_the_threads_loses_final_states() {
    let program = || {
        generated(&[
            vec![Op::Load(0), Op::Store(0)],
            vec![Op::Load(0), Op::Store(0)],
            vec![Op::Load(0)],
        ])
    };
    let blind = explore_with(
        1,
        Reduction::SleepSets,
        StateCaching::ForgettingThreads,
        program,
    );
    let ours = explore_with(1, Reduction::SleepSets, StateCaching::On, program);
    let full = explore_with(1, Reduction::None, StateCaching::Off, program);
    assert_eq!(states(&ours), states(&full));
    assert_loses_states(&blind, &full, "the blind fingerprint");
}

#[test]
fn a_lost_update_and_the_final_states_do_not_depend_on_the_workers() {
    let check = |jobs| {
        Check::new()
            .mode(Mode::Bounded)
            .preemptions(2)
            .state_caching(true)
            .jobs(jobs)
            .final_state(|o: &Outcome| match o.get("n") {
                Some(3) => Ok(()),
                n => Err(format!("n is {n:?}, not 3")),
            })
            .report(|| racy_value(3, 1))
            .expect("bounded mode runs in a shuttle build")
    };
    let one = check(1);
    let failure = |r: &Report| {
        r.failure
            .as_ref()
            .map(|f| (f.verdict(), f.schedule.clone()))
    };
    assert!(one.failure.is_some(), "{one}");
    for jobs in [2, 3] {
        let many = check(jobs);
        assert_eq!(failure(&many), failure(&one), "{jobs} workers: {many}");
        assert_eq!(states(&many), states(&one), "{jobs} workers: {many}");
    }
}

mod generated_programs {
    use super::*;
    use programs::op;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Random programs of two to four threads over every kind of primitive reach the same
        /// final states (or get stuck alike) within bounds 0 to 3 with caching and without any
        /// reduction.
        #[test]
        fn caching_keeps_every_final_state(
            threads in prop::collection::vec(prop::collection::vec(op(), 1..5), 2..5),
            bound in 0..4usize,
        ) {
            let program = move || generated(&threads);
            let cached = explore_with(bound, Reduction::SleepSets, StateCaching::On, program.clone());
            let full = explore_with(bound, Reduction::None, StateCaching::Off, program);
            let verdict = |r: &Report| r.failure.as_ref().map(|f| f.verdict());
            prop_assert_eq!(verdict(&cached), verdict(&full), "{}\n{}", cached, full);
            if full.failure.is_none() {
                prop_assert_eq!(states(&cached), states(&full));
            }
        }
    }
}
