//! Bounded mode's reduction (shuttle builds): with sleep sets, the final states reachable within
//! a preemption bound are exactly those reachable without them, in fewer executions. Each program
//! (three written here, and random ones) is explored twice at the same bound, with the reduction
//! and without. The controls are two wrong reductions that lose final states the tests notice:
//! one that takes every two steps to commute, and the textbook's sleep sets, which a preemption
//! bound makes unsound.
#![cfg(shuttle)]

mod programs;

use interleave_check::explore::Reduction;
use interleave_check::sync::{thread, Arc, Condvar, Mutex};
use interleave_check::{Outcome, Report};
use programs::{assert_loses_states, explore, generated, racy_counter, states, Op};

/// Two writers, each under a lock of its own, and a reader that looks under both locks in turn:
/// what the reader saw depends on how its looks fall among the writes.
fn two_locks() -> Outcome {
    let x = Arc::new(Mutex::named("x", 0i64));
    let y = Arc::new(Mutex::named("y", 0i64));
    let writer = |m: Arc<Mutex<i64>>| {
        move || {
            for _ in 0..2 {
                *m.lock().unwrap() += 1;
            }
        }
    };
    let a = thread::spawn_named("a", writer(x.clone()));
    let b = thread::spawn_named("b", writer(y.clone()));
    let seen_x = *x.lock().unwrap();
    let seen_y = *y.lock().unwrap();
    a.join().unwrap();
    b.join().unwrap();
    Outcome::new().with("x", seen_x).with("y", seen_y)
}

/// A producer hands two items, one at a time, to two consumers through a slot and a condition
/// variable: who got which depends on the schedule.
fn hand_off() -> Outcome {
    let slot = Arc::new((Mutex::named("slot", None::<i64>), Condvar::named("changed")));
    let consumer = |slot: Arc<(Mutex<Option<i64>>, Condvar)>| {
        move || {
            let (m, changed) = &*slot;
            let mut guard = changed
                .wait_while(m.lock().unwrap(), |s| s.is_none())
                .unwrap();
            let item = guard.take().unwrap_or(0);
            changed.notify_all();
            item
        }
    };
    let c1 = thread::spawn_named("c1", consumer(slot.clone()));
    let c2 = thread::spawn_named("c2", consumer(slot.clone()));
    let (m, changed) = &*slot;
    for item in [1, 2] {
        let mut guard = changed
            .wait_while(m.lock().unwrap(), |s| s.is_some())
            .unwrap();
        *guard = Some(item);
        changed.notify_all();
    }
    Outcome::new()
        .with("c1", c1.join().unwrap())
        .with("c2", c2.join().unwrap())
}

/// Explores `program` at `bound` with and without the reduction: the same final states (or, if
/// some schedule gets stuck, a failure of the same kind in both), and no more executions with
/// it; returns (with, without) executions.
fn same_states<R: Into<Outcome>>(
    name: &str,
    bound: usize,
    program: impl Fn() -> R + Send + Sync + Clone + 'static,
) -> (usize, usize) {
    let verdict = |r: &Report| r.failure.as_ref().map(|f| f.verdict());
    let reduced = explore(bound, Reduction::SleepSets, program.clone());
    let dpor = explore(bound, Reduction::Dpor, program.clone());
    let full = explore(bound, Reduction::None, program);
    assert_eq!(
        verdict(&dpor),
        verdict(&full),
        "{name} at bound {bound}: with DPOR {dpor}\nwithout: {full}"
    );
    if dpor.failure.is_none() {
        assert_eq!(
            states(&dpor),
            states(&full),
            "{name} at bound {bound}: DPOR changed the reachable final states"
        );
    }
    assert_eq!(
        verdict(&reduced),
        verdict(&full),
        "{name} at bound {bound}: with the reduction {reduced}\nwithout: {full}"
    );
    if reduced.failure.is_some() {
        // Each search stopped at its first failure, at different places.
        return (reduced.executions, full.executions);
    }
    assert_eq!(
        states(&reduced),
        states(&full),
        "{name} at bound {bound}: the reduction changed the reachable final states"
    );
    assert!(
        reduced.executions <= full.executions,
        "{name} at bound {bound}: {} executions with sleep sets, {} without",
        reduced.executions,
        full.executions
    );
    (reduced.executions, full.executions)
}

#[test]
fn sleep_sets_keep_every_final_state_within_the_bound() {
    let mut saved = 0;
    for bound in 0..=2 {
        let (with, without) = same_states("racy counter", bound, || racy_counter(3, 2));
        saved += without - with;
        let (with, without) = same_states("two locks", bound, two_locks);
        saved += without - with;
        let (with, without) = same_states("hand-off", bound, hand_off);
        saved += without - with;
    }
    assert!(saved > 0, "the reduction skipped nothing");
}

#[test]
fn independent_threads_are_explored_in_one_order() {
    let (with, without) = same_states("two locks", 3, two_locks);
    assert!(
        with * 2 < without,
        "{with} executions with sleep sets, {without} without"
    );
}

/// The control: taking every two steps to commute keeps only one order of everything, and the
/// lost update's final states disappear — the comparison above would fail.
#[test]
fn an_unsound_reduction_loses_final_states() {
    let wrong = explore(2, Reduction::EverythingCommutes, || racy_counter(3, 2));
    let right = explore(2, Reduction::SleepSets, || racy_counter(3, 2));
    assert!(
        states(&wrong).len() < states(&right).len(),
        "{} final states wrongly reduced, {} soundly",
        states(&wrong).len(),
        states(&right).len()
    );
    assert!(states(&right).iter().any(|s| s.contains("n=2")), "{right}");
}

/// The control of the bound's share: the textbook's sleep sets put every explored option to
/// sleep, and the schedule a skipped one reorders into can cost a preemption more. Here (the
/// smallest program the random tests find) one reader and two writers of one atomic lose a
/// final state at bound 1 that the bound-aware sleep sets keep.
#[test]
fn textbook_sleep_sets_lose_final_states_within_the_bound() {
    let program = || generated(&[vec![Op::Load(1)], vec![Op::Store(1)], vec![Op::Store(1)]]);
    let full = explore(1, Reduction::None, program);
    let textbook = explore(1, Reduction::TextbookSleepSets, program);
    let ours = explore(1, Reduction::SleepSets, program);
    assert_eq!(states(&ours), states(&full));
    assert_loses_states(&textbook, &full, "the textbook's sleep sets");
}

mod generated_programs {
    use super::*;
    use programs::op;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Random programs of two to four threads over shared locks, atomics, a condition
        /// variable, shared values and a semaphore reach the same final states (or get stuck
        /// alike) within bounds 0 to 3 with and without sleep sets.
        #[test]
        fn sleep_sets_keep_every_final_state(
            threads in prop::collection::vec(prop::collection::vec(op(), 1..5), 2..5),
            bound in 0..4usize,
        ) {
            let program = move || generated(&threads);
            same_states("a generated program", bound, program);
        }
    }
}
