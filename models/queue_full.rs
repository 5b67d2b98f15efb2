//! Workers fill a bounded queue with `while not q.full(): q.put(1)`, and the main thread waits
//! with `q.join().unwrap()` — with no consumer.
//!
//! Course: 004:3240-3285 `queues_empty_full.py` (`Queue(maxsize=5)`, four workers). The course shows
//! a clean exit, and that is one reachable outcome: if the main thread reaches `q.join().unwrap()` before
//! any `put`, no task is unfinished and `join` returns at once. After any `put`, `join` waits
//! forever for a `task_done` that nobody calls; and two workers that both see "not full" with one
//! slot left leave one of them blocked in `put` on a full queue. Both are hangs (no cycle).
//! The exhaustive report lists the clean outcome beside the hang.
//!
//! The fix: workers `put_nowait` until `Full` (no check-then-act), and the main thread, once the
//! workers are done, consumes every item and marks it done, so `q.join().unwrap()` returns.

use crate::explore::{ensure_ok, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Queue};

pub const MODEL: Model = Model {
    name: "queue-full",
    source: "004:3240-3285 queues_empty_full.py",
    about: "workers fill a bounded queue while not full; main joins the queue with no consumer",
    params: &[
        Param::new(
            "workers",
            "workers putting into the queue (the course: 4)",
            [2, 4, 4],
        ),
        Param::new(
            "maxsize",
            "the queue's bound (the course: 5)",
            [1, 5, 1_000],
        ),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "while not q.full(): q.put(1); main: q.join().unwrap() with no consumer",
            run: |p| fill(p, Fill::CheckThenPut),
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about: "put_nowait until Full; main consumes and marks every item done, then joins",
            run: |p| fill(p, Fill::PutNowait),
        },
    ],
    check: |p, outcome| {
        let maxsize = p.get("maxsize") as i64;
        outcome.expect_value("items put", maxsize, |n| {
            format!("{n} items put in a queue of {maxsize}")
        })
    },
    controls: &[
        Variant {
            name: "task-done-twice",
            expected: Verdict::Invariant,
            about: "fixed, but main marks every item done twice",
            run: |p| fill(p, Fill::TaskDoneTwice),
        },
        Variant {
            name: "one-uncounted",
            expected: Verdict::LostUpdate,
            about: "fixed, but worker-1 does not count its first put",
            run: |p| fill(p, Fill::OneUncounted),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    CheckThenPut,
    PutNowait,
    /// Controls: the fix, with main's task_done called twice, or worker-1 miscounting.
    TaskDoneTwice,
    OneUncounted,
}

fn fill(p: &Params, how: Fill) -> Outcome {
    let queue = Arc::new(Queue::fifo("the queue", p.get("maxsize")));
    let workers: Vec<_> = (0..p.get("workers"))
        .map(|w| {
            let queue = Arc::clone(&queue);
            thread::spawn_named(format!("worker-{}", w + 1), move || {
                let mut put = 0;
                match how {
                    Fill::CheckThenPut => {
                        while !queue.full() {
                            queue.put(1);
                            put += 1;
                        }
                    }
                    _ => {
                        while queue.put_nowait(1).is_ok() {
                            put += 1;
                        }
                    }
                }
                if how == Fill::OneUncounted && w == 0 && put > 0 {
                    put -= 1;
                }
                put
            })
        })
        .collect();
    match how {
        Fill::CheckThenPut => {
            // The course joins the queue first: it returns only if no item was put yet.
            queue.join();
            let put: i64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
            Outcome::new()
                .with("queue joined before any put", 1)
                .with("items put", put)
        }
        _ => {
            let put: i64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
            while queue.get_nowait().is_ok() {
                ensure_ok(queue.task_done(), "task_done matches get");
                if how == Fill::TaskDoneTwice {
                    ensure_ok(queue.task_done(), "task_done matches get");
                }
            }
            queue.join();
            Outcome::new().with("items put", put)
        }
    }
}
