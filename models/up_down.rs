//! Two workers pull one counter in opposite directions: A increments it up to +B, B decrements it
//! down to −B.
//!
//! Course: 004:896-941 `concurrency7.py` (B = 1000, unsynchronized, a random sleep between
//! steps): the course says the scheduler may "switch between worker A and worker B an infinite
//! number of times and never finish" (004:893). Under a fair scheduler that strict alternation
//! is a real schedule: A adds one, B takes it back, forever — a livelock, caught as the step
//! bound exceeded under the fair schedule (and by loom at preemption bound 0, where threads only
//! switch when they yield). 004:2200-2222 is the same under one lock held for the whole loop:
//! whoever gets it first reaches its target, then the other reaches its own.
//!
//! Checked: the run ends with the counter at +B or −B.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicI64, Ordering};
use crate::sync::{thread, Arc, Lock};

pub const MODEL: Model = Model {
    name: "up-down",
    source: "004:893-941 concurrency7.py; 004:2200-2222 (locked)",
    about: "worker A counts up to +B while worker B counts down to -B, on one counter",
    params: &[Param::new(
        "bound",
        "B: A stops at +B, B stops at -B (the course: 1000, then 10)",
        [2, 10, 1_000],
    )
    .at_least(2)],
    variants: &[
        Variant {
            name: "unlocked",
            expected: Verdict::Livelock,
            about: "no lock: a fair schedule alternates the two forever",
            run: |p| pull(p, false, false),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "each worker holds one lock for its whole loop (004:2200-2222)",
            run: |p| pull(p, true, false),
        },
    ],
    check: |p, outcome| {
        let bound = p.get("bound") as i64;
        match outcome.value("counter") {
            c if c == bound || c == -bound => Ok(()),
            c => Err(format!("the counter ended at {c}, not at +/-{bound}")),
        }
    },
    pct_depth: 2,
    controls: &[Variant {
        name: "overshoots",
        expected: Verdict::LostUpdate,
        about: "locked, but each loop runs while the counter is at most the bound",
        run: |p| pull(p, true, true),
    }],
    ..Model::DEFAULT
};

/// `overshoot`: the control, whose loops go one step past the bound.
fn pull(p: &Params, locked: bool, overshoot: bool) -> Outcome {
    let bound = p.get("bound") as i64;
    let counter = Arc::new(AtomicI64::named("counter", 1));
    let lock = Arc::new(Lock::named("lock"));
    let worker = |name: &str, step: i64| {
        let (counter, lock) = (Arc::clone(&counter), Arc::clone(&lock));
        thread::spawn_named(name, move || {
            let _held = locked.then(|| lock.hold());
            // while counter < 1000: counter += 1 (or > -1000: -= 1), a sleep between steps
            let past = |c: i64| c * step > bound || (!overshoot && c * step == bound);
            while !past(counter.load(Ordering::SeqCst)) {
                let read = counter.load(Ordering::SeqCst);
                counter.store(read + step, Ordering::SeqCst);
                thread::yield_now();
            }
        })
    };
    let a = worker("worker A", 1);
    let b = worker("worker B", -1);
    a.join().unwrap();
    b.join().unwrap();
    Outcome::new().with("counter", counter.load(Ordering::SeqCst))
}
