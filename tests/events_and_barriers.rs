//! `Event` and `Barrier`: their sequential contract as properties (std build), and their
//! concurrent contract explored (loom and shuttle), each with a control that must fail.

mod common;

use interleave::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use interleave::sync::{thread, Arc, Barrier, Event};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Waiters wait for an event that the main thread sets (or, in the control, never sets).
fn await_event(p: &Params, set: bool) -> Outcome {
    let event = Arc::new(Event::named("the event"));
    let waiters: Vec<_> = (0..p.get("threads"))
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
    let woke = waiters.into_iter().map(thread::JoinHandle::join).count();
    Outcome::new().with("woke", woke as i64)
}

pub const EVENT: Model = Model {
    name: "event-wait",
    source: "004 Event",
    about: "threads wait for an event another thread sets",
    params: &[Param::new("threads", "waiting threads", [2, 4, 8])],
    variants: &[
        Variant {
            name: "set",
            expected: Verdict::Ok,
            about: "the main thread sets the event",
            run: |p| await_event(p, true),
        },
        Variant {
            name: "never-set",
            expected: Verdict::Hang,
            about: "control: nobody sets it",
            run: |p| await_event(p, false),
        },
    ],
    check: |p, o| match o.get("woke") {
        Some(n) if n == p.get("threads") as i64 => Ok(()),
        n => Err(format!("{n:?} waiters woke")),
    },
    preemption_bound: 2,
    schedules: 300,
    pct_depth: 2,
    controls: &[],
    blind_spots: &[],
};

/// `parties` threads go through `rounds` rounds of a barrier; a ghost count of arrivals per round
/// checks that nobody leaves a round before everyone has arrived, and that each round has one
/// leader. The control skips the barrier.
fn rounds(p: &Params, use_barrier: bool) -> Outcome {
    let (parties, rounds) = (p.get("parties"), p.get("rounds"));
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
    threads.into_iter().for_each(thread::JoinHandle::join);
    let single_leaders = leaders
        .iter()
        .filter(|l| l.load(Ordering::SeqCst) == 1)
        .count();
    Outcome::new().with("rounds with one leader", single_leaders as i64)
}

pub const BARRIER: Model = Model {
    name: "barrier-rounds",
    source: "004 Barrier(4)",
    about: "parties meet at a reusable barrier, round after round",
    params: &[
        Param::new("parties", "threads meeting at the barrier", [2, 4, 4]),
        Param::new("rounds", "rounds", [2, 5, 10_000]),
    ],
    variants: &[
        Variant {
            name: "barrier",
            expected: Verdict::Ok,
            about: "everyone waits at the barrier each round",
            run: |p| rounds(p, true),
        },
        Variant {
            name: "no-barrier",
            expected: Verdict::Invariant,
            about: "control: nobody waits",
            run: |p| rounds(p, false),
        },
    ],
    check: |p, o| {
        let rounds = p.get("rounds") as i64;
        match o.get("rounds with one leader") {
            Some(n) if n == rounds => Ok(()),
            n => Err(format!("{n:?} of {rounds} rounds had exactly one leader")),
        }
    },
    preemption_bound: 2,
    schedules: 300,
    pct_depth: 3,
    controls: &[],
    blind_spots: &[],
};

#[cfg(loom)]
#[test]
fn events_wake_and_barriers_hold_exhaustively() {
    use interleave::explore::Mode;
    common::assert_every_variant(&EVENT, Mode::Exhaustive);
    common::assert_every_variant(&BARRIER, Mode::Exhaustive);
}

#[cfg(shuttle)]
#[test]
fn events_wake_and_barriers_hold_under_random_and_pct() {
    use interleave::explore::Mode;
    for mode in [Mode::Random, Mode::Pct] {
        common::assert_every_variant(&EVENT, mode);
        common::assert_every_variant(&BARRIER, mode);
    }
}

#[cfg(not(any(loom, shuttle)))]
#[test]
fn events_and_barriers_run_on_real_threads() {
    common::assert_correct_variants_run_for_real(&EVENT);
    common::assert_correct_variants_run_for_real(&BARRIER);
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
