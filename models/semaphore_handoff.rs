//! A semaphore as a signal: process 2 blocks on `P(s)` until process 1 does `V(s)`.
//!
//! Course: 001:195-215 ("je génère un jeton [V(s)]" / "je me bloque sur le sémaphore [P(s)]"),
//! with `s` created at 0. The model repeats the hand-off a stated number of times; process 1
//! counts its releases in a ghost counter *before* each `V(s)`.
//!
//! Checked: every time process 2 gets through `P(s)`, process 1 has released at least as many
//! tokens as process 2 has taken.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Mutex, Semaphore};

pub const MODEL: Model = Model {
    name: "semaphore-handoff",
    source: "001:195-215 P(s)/V(s)",
    about: "process 2 blocks on P(s) until process 1 does V(s)",
    params: &[Param::new(
        "tokens",
        "tokens process 1 hands to process 2 (the course: 1)",
        [2, 5, 100_000],
    )],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "s = Semaphore(0); process 1: V(s); process 2: P(s)",
        run: |p| hand_off(p, Mutant::None),
    }],
    check: |p, outcome| {
        let tokens = p.get("tokens") as i64;
        outcome.expect_value("tokens taken", tokens, |n| {
            format!("{n} tokens taken of {tokens} released")
        })
    },
    preemption_bound: 3,
    controls: &[
        Variant {
            name: "released-early",
            expected: Verdict::Invariant,
            about: "process 1 releases s before it counts the release",
            run: |p| hand_off(p, Mutant::ReleasedEarly),
        },
        Variant {
            name: "one-token-short",
            expected: Verdict::LostUpdate,
            about: "process 2 takes one token fewer than process 1 releases",
            run: |p| hand_off(p, Mutant::OneTokenShort),
        },
    ],
    ..Model::DEFAULT
};

/// The controls' changes to the hand-off.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    ReleasedEarly,
    OneTokenShort,
}

fn hand_off(p: &Params, mutant: Mutant) -> Outcome {
    let tokens = p.get("tokens");
    let s = Arc::new(Semaphore::named("s", 0));
    let released = Arc::new(Mutex::named("releases", 0));
    let process_1 = {
        let (s, released) = (Arc::clone(&s), Arc::clone(&released));
        thread::spawn_named("process-1", move || {
            for _ in 0..tokens {
                if mutant == Mutant::ReleasedEarly {
                    s.release();
                    *released.lock().unwrap() += 1;
                } else {
                    *released.lock().unwrap() += 1;
                    s.release(); // V(s)
                }
            }
        })
    };
    let process_2 = thread::spawn_named("process-2", move || {
        let mut taken = 0;
        for _ in 0..tokens - usize::from(mutant == Mutant::OneTokenShort) {
            s.acquire(); // P(s)
            taken += 1;
            let released = *released.lock().unwrap();
            ensure(
                released >= taken,
                "process 2 proceeds only after process 1 released",
                || format!("token {taken} taken after {released} releases"),
            );
        }
        taken
    });
    process_1.join().unwrap();
    Outcome::new().with("tokens taken", process_2.join().unwrap() as i64)
}
