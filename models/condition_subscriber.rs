//! A publisher and subscribers share a list of integers under a `threading.Condition`.
//!
//! Course: 004:2470-2535. The publisher acquires the condition, appends an integer, notifies,
//! releases, sleeps. As printed, a subscriber acquires the condition and then spins
//! (`while True: if self.integers: pop; break`) *while holding it*: when the list is empty, the
//! publisher can never get in to fill it, and the subscriber spins forever — a livelock, which a
//! fair scheduler shows. (After popping, the printed subscriber also `wait()`s before releasing;
//! the course's publisher never stops, so a later `notify` always comes. The model's publisher
//! publishes a stated number of integers and then, standing in for its endless loop, keeps
//! notifying until every subscriber has stopped.) The fix is the classic one: `while not
//! integers: wait()`, then pop; the publisher closes the list after the last integer and notifies
//! everyone, so no subscriber is left waiting.
//!
//! Checked: every published integer is popped exactly once; every subscriber stops.

use crate::explore::{ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Condition};

pub const MODEL: Model = Model {
    name: "condition-subscriber",
    source: "004:2470-2535",
    about: "a publisher appends integers under a Condition; subscribers pop them",
    params: &[
        Param::new(
            "integers",
            "integers the publisher publishes (the course: endless)",
            [2, 6, 10_000],
        ),
        Param::new(
            "subscribers",
            "subscriber threads (the course: 2)",
            [1, 2, 2],
        ),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Livelock,
            about: "the subscriber spins on the empty list while holding the condition",
            run: |p| publish(p, Style::AsPrinted),
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about: "while not integers: wait(); the publisher closes and notifies all at the end",
            run: |p| publish(p, Style::Fixed),
        },
    ],
    check: |p, outcome| {
        let integers = p.get("integers") as i64;
        outcome.expect_value("popped", integers, |n| {
            format!("{n} integers popped of {integers} published")
        })
    },
    pct_depth: 2,
    controls: &[
        Variant {
            name: "published-twice",
            expected: Verdict::Invariant,
            about: "the fix, but the publisher pushes its first integer twice",
            run: |p| publish(p, Style::PublishedTwice),
        },
        Variant {
            name: "one-unpublished",
            expected: Verdict::LostUpdate,
            about: "the fix, but the publisher stops one integer short",
            run: |p| publish(p, Style::OneUnpublished),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    AsPrinted,
    Fixed,
    /// Controls: the fix with a publisher that pushes its first integer twice, or stops short.
    PublishedTwice,
    OneUnpublished,
}

#[derive(Default)]
struct Board {
    integers: Vec<usize>,
    popped: usize,
    /// The fix's end of publication.
    closed: bool,
    /// Subscribers that have stopped (the as-printed publisher notifies until all have).
    stopped: usize,
}

fn publish(p: &Params, style: Style) -> Outcome {
    let (integers, subscribers) = (p.get("integers"), p.get("subscribers"));
    let condition = Arc::new(Condition::named("the condition", Board::default()));
    let publisher = {
        let condition = Arc::clone(&condition);
        thread::spawn_named("publisher", move || {
            let last = integers - usize::from(style == Style::OneUnpublished);
            for integer in 0..last {
                let mut board = condition.acquire();
                board.integers.push(integer);
                if style == Style::PublishedTwice && integer == 0 {
                    board.integers.push(integer);
                }
                board.notify();
                drop(board);
                thread::yield_now(); // time.sleep(1)
            }
            match style {
                Style::AsPrinted => loop {
                    let board = condition.acquire();
                    if board.stopped == subscribers {
                        break;
                    }
                    board.notify_all();
                    drop(board);
                    thread::yield_now();
                },
                _ => {
                    let mut board = condition.acquire();
                    board.closed = true;
                    board.notify_all();
                }
            }
        })
    };
    let readers: Vec<_> = (0..subscribers)
        .map(|s| {
            let condition = Arc::clone(&condition);
            thread::spawn_named(format!("subscriber-{}", s + 1), move || match style {
                Style::AsPrinted => subscribe_as_printed(&condition, integers),
                _ => subscribe_fixed(&condition),
            })
        })
        .collect();
    publisher.join().unwrap();
    let popped = readers
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let popped = ensure_taken_once("every integer is popped once", popped);
    Outcome::new().with("popped", popped as i64)
}

/// The course's subscriber, 004:2500-2511.
fn subscribe_as_printed(condition: &Condition<Board>, integers: usize) -> Vec<usize> {
    let mut mine = Vec::new();
    loop {
        let mut board = condition.acquire();
        // while True: if self.integers: pop; break — spinning with the condition held.
        let integer = loop {
            if let Some(integer) = board.integers.pop() {
                break Some(integer);
            }
            if board.popped == integers {
                break None; // everything was published and popped: the model's end
            }
            thread::yield_now();
        };
        let Some(integer) = integer else {
            board.stopped += 1;
            return mine;
        };
        board.popped += 1;
        mine.push(integer);
        board = board.wait();
        drop(board);
    }
}

/// The fix: wait (releasing the condition) while the list is empty.
fn subscribe_fixed(condition: &Condition<Board>) -> Vec<usize> {
    let mut mine = Vec::new();
    loop {
        let mut board = condition
            .acquire()
            .wait_for(|b| !b.integers.is_empty() || b.closed);
        match board.integers.pop() {
            Some(integer) => {
                board.popped += 1;
                mine.push(integer);
            }
            None => {
                board.stopped += 1;
                return mine;
            }
        }
    }
}
