//! Two producers fill two queues; two consumers empty them in lock-step, each handing the turn
//! to the other with a semaphore.
//!
//! Course: 002:30-62 — P1 and P2 put 100 values each into Q1 and Q2; C1 and C2 consume them,
//! alternating through `sem1 = Semaphore(1)` and `sem2 = Semaphore(0)`. As printed, both
//! consumers loop `while not Q1.empty()` (C2 tests Q1, not its own Q2), and the test can run
//! before the producers have put anything: a consumer that finds its queue empty leaves at once,
//! and the other then waits forever on the semaphore only the first would release — a hang.
//! Runs that do end can stop short, with consumed counts such as (1, 0). The fix is a
//! rendezvous that does not test emptiness: each producer ends its queue with a sentinel, and
//! each consumer takes its turn, gets a value, hands the turn over, and stops at the sentinel.
//!
//! Checked: after each consumption, the other consumer has consumed the same count ±1; each
//! consumer consumes every value of its queue.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Mutex, Queue, Semaphore};

pub const MODEL: Model = Model {
    name: "rendezvous",
    source: "002:30-62 P1/P2, C1/C2 with sem1/sem2",
    about: "two consumers take turns through two semaphores to empty two queues",
    params: &[Param::new(
        "values",
        "values each producer puts in its queue (the course: 100)",
        [2, 5, 20_000],
    )],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "consumers loop while not Q1.empty(), which may be before anything was put",
            run: |p| meet(p, Loop::WhileNotEmpty),
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about:
                "sentinel-terminated queues; each consumer: P(mine), get, V(other) until the end",
            run: |p| meet(p, Loop::UntilSentinel),
        },
    ],
    check: |p, outcome| {
        let values = p.get("values") as i64;
        match (outcome.value("C1 consumed"), outcome.value("C2 consumed")) {
            (a, b) if a == values && b == values => Ok(()),
            (a, b) => Err(format!(
                "C1 consumed {a} and C2 {b} of {values} values per queue"
            )),
        }
    },
    controls: &[
        Variant {
            name: "two-first-turns",
            expected: Verdict::Invariant,
            about: "fixed, but sem1 starts with two permits",
            run: |p| meet(p, Loop::TwoFirstTurns),
        },
        Variant {
            name: "p2-one-short",
            expected: Verdict::LostUpdate,
            about: "fixed, but P2 puts one value fewer",
            run: |p| meet(p, Loop::P2OneShort),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Loop {
    WhileNotEmpty,
    UntilSentinel,
    /// Controls: sentinel-terminated, with sem1 starting at two, or P2 a value short.
    TwoFirstTurns,
    P2OneShort,
}

/// What both consumers share: the two queues, the two turns, and the counts consumed so far.
struct Table {
    queues: [Queue<Option<usize>>; 2],
    turns: [Semaphore; 2],
    consumed: Mutex<[usize; 2]>,
}

impl Table {
    /// Consumer `me` (0 for C1, 1 for C2) until its loop ends; returns its count.
    fn consume(&self, me: usize, how: Loop) -> usize {
        let other = 1 - me;
        loop {
            // C1 and C2 both test Q1 (002:40 and 002:46).
            if how == Loop::WhileNotEmpty && self.queues[0].empty() {
                break;
            }
            self.turns[me].acquire();
            let value = self.queues[me].get();
            if value.is_some() {
                // print(val): the consumption, counted before the turn is handed over.
                let mut consumed = self.consumed.lock().unwrap();
                consumed[me] += 1;
                let (mine, theirs) = (consumed[me], consumed[other]);
                ensure(
                    mine.abs_diff(theirs) <= 1,
                    "the consumers stay within one value of each other",
                    || {
                        format!(
                            "C{} consumed {mine} while the other consumed {theirs}",
                            me + 1
                        )
                    },
                );
            }
            self.turns[other].release();
            if value.is_none() {
                break;
            }
        }
        self.consumed.lock().unwrap()[me]
    }
}

fn meet(p: &Params, how: Loop) -> Outcome {
    let values = p.get("values");
    let table = Arc::new(Table {
        queues: [Queue::fifo("Q1", 0), Queue::fifo("Q2", 0)],
        turns: [
            Semaphore::named("sem1", if how == Loop::TwoFirstTurns { 2 } else { 1 }),
            Semaphore::named("sem2", 0),
        ],
        consumed: Mutex::named("the counts", [0, 0]),
    });
    let producers: Vec<_> = (0..2)
        .map(|q| {
            let table = Arc::clone(&table);
            thread::spawn_named(format!("P{}", q + 1), move || {
                for v in 0..values - usize::from(how == Loop::P2OneShort && q == 1) {
                    table.queues[q].put(Some(v));
                }
                if how != Loop::WhileNotEmpty {
                    table.queues[q].put(None);
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..2)
        .map(|me| {
            let table = Arc::clone(&table);
            thread::spawn_named(format!("C{}", me + 1), move || table.consume(me, how))
        })
        .collect();
    producers.into_iter().for_each(|t| t.join().unwrap());
    let consumed: Vec<usize> = consumers.into_iter().map(|t| t.join().unwrap()).collect();
    Outcome::new()
        .with("C1 consumed", consumed[0] as i64)
        .with("C2 consumed", consumed[1] as i64)
}
