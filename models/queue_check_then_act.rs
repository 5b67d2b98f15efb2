//! Subscribers drain a queue with `while not q.empty(): q.get()`.
//!
//! Course: 004:2998-3021 (FIFO `queue.Queue`), 004:3081-3105 (`LifoQueue`), 004:3166-3191
//! (`PriorityQueue`): the main thread puts 10 items, starts 4 subscribers, then `q.join().unwrap()`. A
//! subscriber sees "not empty", another takes the last item, and the first blocks in `get` forever:
//! no thread will ever put again (a hang, not a deadlock). The fix takes with `get_nowait` and
//! stops on `Empty`, so that checking and taking are one step.
//!
//! Checked: every item is consumed exactly once; each subscriber receives its items in the
//! queue's order (increasing for FIFO and priority, decreasing for LIFO, as items are put in
//! increasing order of insertion, priorities shuffled); all threads finish.

use crate::explore::{
    ensure, ensure_ok, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict,
};
use crate::sync::{queue::Order, thread, Arc, Queue};

pub const MODEL: Model = Model {
    name: "queue-check-then-act",
    source: "004:2998-3021 FIFO, 004:3081-3105 LIFO, 004:3166-3191 priority",
    about: "subscribers drain a queue with `while not q.empty(): q.get()`",
    params: &[
        Param::new(
            "items",
            "items put before the subscribers start (the course: 10)",
            [2, 10, 100_000],
        ),
        Param::new(
            "subscribers",
            "subscriber threads (the course: 4)",
            [2, 4, 4],
        ),
        Param::new(
            "order",
            "0: FIFO (Queue), 1: LIFO (LifoQueue), 2: priority (PriorityQueue)",
            [0, 0, 0],
        )
        .at_least(0)
        .at_most(2),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "while not q.empty(): item = q.get(); q.task_done()",
            run: |p| drain(p, Take::CheckThenGet, Mutant::None),
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about: "loop: item = q.get_nowait() until Empty; q.task_done()",
            run: |p| drain(p, Take::GetNowait, Mutant::None),
        },
    ],
    check: |p, outcome| {
        let items = p.get("items") as i64;
        outcome.expect_value("consumed", items, |n| {
            format!("{n} items consumed of {items}")
        })
    },
    controls: &[
        Variant {
            name: "kept-twice",
            expected: Verdict::Invariant,
            about: "fixed, but subscriber-1 keeps its first item twice",
            run: |p| drain(p, Take::GetNowait, Mutant::KeptTwice),
        },
        Variant {
            name: "out-of-order",
            expected: Verdict::Invariant,
            about: "fixed, but subscriber-1 records its first item after its second",
            run: |p| drain(p, Take::GetNowait, Mutant::OutOfOrder),
        },
        Variant {
            name: "task-done-twice",
            expected: Verdict::Invariant,
            about: "fixed, but subscriber-1 calls task_done twice for its first item",
            run: |p| drain(p, Take::GetNowait, Mutant::TaskDoneTwice),
        },
        Variant {
            name: "one-dropped",
            expected: Verdict::LostUpdate,
            about: "fixed, but subscriber-1 drops its first item",
            run: |p| drain(p, Take::GetNowait, Mutant::Dropped),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy)]
enum Take {
    CheckThenGet,
    GetNowait,
}

/// The controls' changes to subscriber-1's first item.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    KeptTwice,
    OutOfOrder,
    TaskDoneTwice,
    Dropped,
}

/// The queue the `order` parameter names.
pub(crate) fn queue_of_order(order: usize, name: &str, maxsize: usize) -> Queue<usize> {
    match order {
        0 => Queue::fifo(name, maxsize),
        1 => Queue::lifo(name, maxsize),
        2 => Queue::priority(name, maxsize),
        other => panic!("--order must be 0 (FIFO), 1 (LIFO) or 2 (priority), not {other}"),
    }
}

/// The item put `i`-th: its insertion index, or a shuffled priority for a priority queue (a
/// fixed permutation: multiplying by a number coprime with `n`).
fn item(order: Order, i: usize, n: usize) -> usize {
    match order {
        Order::Priority => (i * coprime_step(n)) % n,
        Order::Fifo | Order::Lifo => i,
    }
}

fn coprime_step(n: usize) -> usize {
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    (n / 2 + 1..=n + 1).find(|&k| gcd(k, n) == 1).unwrap_or(1)
}

fn drain(p: &Params, take: Take, mutant: Mutant) -> Outcome {
    let (items, subscribers) = (p.get("items"), p.get("subscribers"));
    let queue = Arc::new(queue_of_order(p.get("order"), "the queue", 0));
    let order = queue.order();
    for i in 0..items {
        queue.put(item(order, i, items));
    }
    let threads: Vec<_> = (0..subscribers)
        .map(|s| {
            let queue = Arc::clone(&queue);
            thread::spawn_named(format!("subscriber-{}", s + 1), move || {
                let mut got = Vec::new();
                let mutant = if s == 0 { mutant } else { Mutant::None };
                let mut held_back = None;
                loop {
                    let item = match take {
                        Take::CheckThenGet if queue.empty() => break,
                        Take::CheckThenGet => queue.get(),
                        Take::GetNowait => match queue.get_nowait() {
                            Ok(item) => item,
                            Err(_) => break,
                        },
                    };
                    let first = got.is_empty() && held_back.is_none();
                    match mutant {
                        Mutant::OutOfOrder if first => held_back = Some(item),
                        Mutant::Dropped if first => held_back = Some(item),
                        _ => {
                            in_order(order, &got, item);
                            got.push(item);
                            if mutant == Mutant::OutOfOrder {
                                if let Some(early) = held_back.take() {
                                    in_order(order, &got, early);
                                    got.push(early);
                                }
                            }
                        }
                    }
                    if mutant == Mutant::KeptTwice && got.len() == 1 {
                        got.push(item);
                    }
                    ensure_ok(queue.task_done(), "task_done matches get");
                    if mutant == Mutant::TaskDoneTwice && first {
                        ensure_ok(queue.task_done(), "task_done matches get");
                    }
                    thread::yield_now();
                }
                got
            })
        })
        .collect();
    queue.join();
    let consumed = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let consumed = ensure_taken_once("every item is consumed once", consumed);
    Outcome::new().with("consumed", consumed as i64)
}

/// A subscriber's items come in the queue's order.
fn in_order(order: Order, got: &[usize], item: usize) {
    let Some(&last) = got.last() else { return };
    let ok = match order {
        Order::Fifo | Order::Priority => last < item,
        Order::Lifo => last > item,
    };
    ensure(
        ok,
        "each subscriber receives items in the queue's order",
        || {
            format!(
                "{} got {item} after {last} from a {order:?} queue",
                thread::current_name()
            )
        },
    );
}
