//! The shared counter: T threads each increment one counter K times.
//!
//! Course: 003 `incremente.py` (003:444-450 locks `compteur += 1`; 003:477-492 explains that
//! without the lock the update is really `temp = compteur; temp += 1; compteur = temp` and loses
//! increments), 001:281-303 (`val.value += 1` on a shared `Value`), 004:2076-2092 (the race
//! table: both threads read 0, both write 1).
//!
//! Exhaustively, the reachable final values are exactly `2..=T·K` for K ≥ 2 and `1..=T` for
//! K = 1: each thread's last write can clobber all but one increment of the others.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, Arc, Mutex, Value};

pub const MODEL: Model = Model {
    name: "counter",
    source: "003:444-492 incremente.py; 001:281-303; 004:2076-2092",
    about: "T threads each increment a shared counter K times",
    params: &[
        Param::new("threads", "threads incrementing the counter", [2, 4, 4]),
        Param::new("increments", "increments per thread", [2, 10, 1_000_000]),
    ],
    variants: &[
        Variant {
            name: "racy",
            expected: Verdict::LostUpdate,
            about: "temp = counter; temp += 1; counter = temp (a separate read and write)",
            run: |p| count(p, Increment::ReadThenWrite),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "the read and the write under one lock (with lock: counter += 1)",
            run: |p| count(p, Increment::Locked),
        },
        Variant {
            name: "atomic",
            expected: Verdict::Pass,
            about: "one atomic fetch_add",
            run: |p| count(p, Increment::FetchAdd),
        },
    ],
    check: |p, outcome| {
        let expected = (p.get("threads") * p.get("increments")) as i64;
        match outcome.get("counter") {
            Some(c) if c == expected => Ok(()),
            Some(c) => Err(format!(
                "counter is {c}, expected {expected}: {} increments lost",
                expected - c
            )),
            None => Err("the run reported no counter".into()),
        }
    },
    preemption_bound: 3,
    pct_depth: 2,
    ..Model::DEFAULT
};

/// How one thread adds one to the counter.
#[derive(Clone, Copy)]
enum Increment {
    ReadThenWrite,
    Locked,
    FetchAdd,
}

/// The shared counter, one field per way of incrementing it. The racy variant reads and writes
/// a shared `Value`, each access indivisible on its own as in CPython (`temp = counter` and
/// `counter = temp` are each one step), so what it shows is an interleaving of whole reads and
/// writes, not a weak-memory effect; the atomic variant uses one `fetch_add`; the locked one a
/// mutex held across both.
struct Counter {
    shared: Value<usize>,
    atomic: AtomicUsize,
    locked: Mutex<usize>,
}

fn count(p: &Params, how: Increment) -> Outcome {
    let (threads, increments) = (p.get("threads"), p.get("increments"));
    let counter = Arc::new(Counter {
        shared: Value::new("counter", 0),
        atomic: AtomicUsize::named("counter", 0),
        locked: Mutex::named("counter", 0),
    });
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let counter = Arc::clone(&counter);
            thread::spawn_named(format!("incrementer-{}", i + 1), move || {
                for _ in 0..increments {
                    match how {
                        Increment::ReadThenWrite => {
                            let temp = counter.shared.get();
                            counter.shared.set(temp + 1);
                        }
                        Increment::Locked => *counter.locked.lock().unwrap() += 1,
                        Increment::FetchAdd => {
                            counter.atomic.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let total = match how {
        Increment::ReadThenWrite => counter.shared.get(),
        Increment::FetchAdd => counter.atomic.load(Ordering::SeqCst),
        Increment::Locked => *counter.locked.lock().unwrap(),
    };
    Outcome::new().with("counter", total as i64)
}
