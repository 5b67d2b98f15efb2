//! `Event` and `Barrier`: their sequential contract as properties (std build), and their
//! concurrent contract explored (loom and shuttle), each with a control that must fail.

mod common;

#[cfg(any(loom, shuttle))]
use interleave::explore::Verdict;
use interleave::explore::{ensure, per_build, Check, Outcome};
use interleave::sync::{thread, Arc, Barrier, Event};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Waiters wait for an event that the main thread sets (or, in the control, never sets).
fn await_event(threads: usize, set: bool) -> Outcome {
    let event = Arc::new(Event::named("the event"));
    let waiters: Vec<_> = (0..threads)
        .map(|i| {
            let event = event.clone();
            thread::spawn_named(format!("waiter-{}", i + 1), move || {
                event.wait();
                ensure(
                    event.is_set(),
                    "a waiter wakes only once the event is set",
                    || "woke with the event clear".into(),
                );
            })
        })
        .collect();
    if set {
        event.set();
    }
    let woke = waiters.into_iter().map(|t| t.join().unwrap()).count();
    Outcome::new().with("woke", woke as i64)
}

#[test]
fn a_set_event_wakes_every_waiter() {
    let threads = per_build(2, 4, 8);
    Check::new()
        .schedules(300)
        .final_state(common::final_count("woke", threads))
        .run(move || await_event(threads, true));
}

/// The control: nobody sets the event.
#[test]
#[cfg(any(loom, shuttle))]
fn an_event_nobody_sets_leaves_its_waiters_hanging() {
    let threads = per_build(2, 4, 8);
    Check::new()
        .schedules(300)
        .final_state(common::final_count("woke", threads))
        .expect(Verdict::Hang)
        .run(move || await_event(threads, false));
}

/// `parties` threads go through `rounds` rounds of a barrier; a ghost count of arrivals per round
/// checks that nobody leaves a round before everyone has arrived, and that each round has one
/// leader. The control skips the barrier.
fn meet(parties: usize, rounds: usize, use_barrier: bool) -> Outcome {
    let barrier = Arc::new(Barrier::named("the barrier", parties));
    let arrived: Arc<Vec<AtomicUsize>> =
        Arc::new((0..rounds).map(|_| AtomicUsize::new(0)).collect());
    let leaders: Arc<Vec<AtomicUsize>> =
        Arc::new((0..rounds).map(|_| AtomicUsize::new(0)).collect());
    let threads: Vec<_> = (0..parties)
        .map(|i| {
            let (barrier, arrived, leaders) = (barrier.clone(), arrived.clone(), leaders.clone());
            thread::spawn_named(format!("party-{}", i + 1), move || {
                for r in 0..rounds {
                    arrived[r].fetch_add(1, Ordering::SeqCst);
                    if use_barrier {
                        let wait = barrier.wait();
                        ensure(
                            wait.index < parties,
                            "arrival indexes are below parties",
                            || format!("index {}", wait.index),
                        );
                        if wait.is_leader {
                            leaders[r].fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    let now = arrived[r].load(Ordering::SeqCst);
                    ensure(
                        now == parties,
                        "nobody leaves a round before all arrive",
                        || format!("round {r}: left with {now} of {parties} arrived"),
                    );
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let single_leaders = leaders
        .iter()
        .filter(|l| l.load(Ordering::SeqCst) == 1)
        .count();
    Outcome::new().with("rounds with one leader", single_leaders as i64)
}

#[test]
fn parties_meet_at_a_barrier_round_after_round() {
    let (parties, rounds) = (per_build(2, 4, 4), per_build(2, 5, 10_000));
    Check::new()
        .schedules(300)
        .runs(2)
        .final_state(common::final_count("rounds with one leader", rounds))
        .run(move || meet(parties, rounds, true));
}

/// The control: nobody waits at the barrier.
#[test]
#[cfg(any(loom, shuttle))]
fn parties_that_skip_the_barrier_leave_before_all_arrive() {
    let (parties, rounds) = (per_build(2, 4, 4), per_build(2, 5, 10_000));
    Check::new()
        .schedules(300)
        .final_state(common::final_count("rounds with one leader", rounds))
        .expect(Verdict::Invariant)
        .run(move || meet(parties, rounds, false));
}

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use interleave::sync::{Barrier, Event};
    use proptest::prelude::*;

    proptest! {
        /// An event is a flag: set and clear in any order, is_set tells the last one; wait returns
        /// at once when it is set.
        #[test]
        fn event_is_a_flag(ops in prop::collection::vec(any::<bool>(), 0..32)) {
            let event = Event::named("e");
            let mut set = false;
            for op in ops {
                if op { event.set() } else { event.clear() }
                set = op;
                prop_assert_eq!(event.is_set(), set);
            }
            if set {
                event.wait();
            }
        }

        /// A barrier of one party never waits, and leads every round.
        #[test]
        fn a_barrier_of_one_leads_alone(rounds in 1usize..20) {
            let barrier = Barrier::named("b", 1);
            for _ in 0..rounds {
                let wait = barrier.wait();
                prop_assert!(wait.is_leader);
                prop_assert_eq!(wait.index, 0);
            }
        }
    }
}
