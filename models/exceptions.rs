//! Children whose work fails hand their failure to the parent through a queue.
//!
//! Course: 004:3483-3535 — `my_worker` raises an exception, catches it with `except:` and puts
//! `sys.exc_info()` on a `queue.Queue`; `main` gets it and prints it. In Rust a child's failure
//! is a panic; [`thread::catch_panic`] turns it into a value (the thread's name and message),
//! which the child puts on the queue, as the course does. The model runs several children, and
//! every other one succeeds, so the parent must tell results from errors.
//!
//! Checked: the parent receives one message per child, each child's own, errors naming the child
//! that raised them; nothing is lost.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::thread::{self, Panicked};
use crate::sync::{Arc, Queue};

pub const MODEL: Model = Model {
    name: "exceptions",
    source: "004:3483-3535 my_worker puts sys.exc_info() on a queue",
    about: "children catch their panics and send them to the parent through a queue",
    params: &[Param::new(
        "children",
        "child threads; every odd-numbered one fails (the course: 1, failing)",
        [2, 6, 6],
    )],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "try: work except: queue.put(exc_info); the parent gets one message per child",
        run: |p| raise_and_report(p, Mutant::None),
    }],
    check: |p, outcome| {
        let children = p.get("children") as i64;
        let failing = (children + 1) / 2;
        match (outcome.value("errors"), outcome.value("results")) {
            (e, r) if e == failing && r == children - failing => Ok(()),
            (e, r) => Err(format!(
                "{e} errors and {r} results received from {children} children"
            )),
        }
    },
    controls: &[
        Variant {
            name: "wrong-name",
            expected: Verdict::Invariant,
            about: "Thread-1's exception names the next child",
            run: |p| raise_and_report(p, Mutant::WrongName),
        },
        Variant {
            name: "wrong-result",
            expected: Verdict::Invariant,
            about: "Thread-2 sends a result one off its own",
            run: |p| raise_and_report(p, Mutant::WrongResult),
        },
        Variant {
            name: "sent-twice",
            expected: Verdict::Invariant,
            about: "Thread-1 puts its message on the queue twice",
            run: |p| raise_and_report(p, Mutant::SentTwice),
        },
        Variant {
            name: "errors-as-results",
            expected: Verdict::LostUpdate,
            about: "the parent counts every message as a result",
            run: |p| raise_and_report(p, Mutant::ErrorsAsResults),
        },
    ],
    ..Model::DEFAULT
};

/// The controls' changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    WrongName,
    WrongResult,
    SentTwice,
    ErrorsAsResults,
}

fn raise_and_report(p: &Params, mutant: Mutant) -> Outcome {
    let children = p.get("children");
    let queue: Arc<Queue<(usize, Result<usize, Panicked>)>> = Arc::new(Queue::fifo("my_queue", 0));
    let handles: Vec<_> = (1..=children)
        .map(|child| {
            let queue = Arc::clone(&queue);
            thread::spawn_named(format!("Thread-{child}"), move || {
                let result = thread::catch_panic(|| {
                    thread::yield_now(); // time.sleep(2)
                    if child % 2 == 1 {
                        let named = child + usize::from(mutant == Mutant::WrongName);
                        panic!("Exception Thrown In Child Thread {named}");
                    }
                    child * 10 + usize::from(mutant == Mutant::WrongResult)
                });
                if mutant == Mutant::SentTwice && child == 1 {
                    queue.put((child, result.clone()));
                }
                queue.put((child, result));
            })
        })
        .collect();
    let mut from = Vec::new();
    let (mut errors, mut results) = (0, 0);
    for _ in 0..children {
        let (child, message) = queue.get();
        match message {
            Err(_) if mutant == Mutant::ErrorsAsResults => results += 1,
            Err(error) => {
                ensure(
                    error.thread == format!("Thread-{child}")
                        && error.message.ends_with(&format!("Thread {child}")),
                    "an error names the child that raised it",
                    || format!("from child {child}: {error}"),
                );
                errors += 1;
            }
            Ok(value) => {
                ensure(value == child * 10, "a result is the child's own", || {
                    format!("child {child} sent {value}")
                });
                results += 1;
            }
        }
        from.push(child);
    }
    ensure_taken_once("one message per child", from);
    handles.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new()
        .with("errors", errors)
        .with("results", results)
}
