//! Several children send one message each on one shared end of a pipe; the parent receives as
//! many messages as there are children, then joins them.
//!
//! Course: 002:72-96 — `sortie, entre = Pipe()`; each `Compil` process sends the name of its
//! object file on `entre` (and, being a process with its own copy of the end, closes it); the
//! parent does `nameo.append(sortie.recv())` once per child. Threads share a single end, so the
//! model's children do not close it (one child's close would break the others' sends); the parent
//! closes it once they are all done. Each message is a whole list (the child's name, repeated),
//! so a message mixed with another would show.
//!
//! Checked: the parent receives exactly N messages, one per child, each whole.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{pipe, thread, Arc};

pub const MODEL: Model = Model {
    name: "pipe-many-writers",
    source: "002:72-96 Compil children send on one shared Pipe end",
    about: "N children each send one message on a shared Pipe end; the parent receives N",
    params: &[
        Param::new(
            "children",
            "children sending on the shared end (the course: one per .c file)",
            [3, 8, 8],
        ),
        Param::new("length", "words in each message", [2, 4, 10_000]),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "each child: entre.send(name); the parent: recv() once per child, then join",
        run: |p| gather(p, Mutant::None),
    }],
    check: |p, outcome| {
        let children = p.get("children") as i64;
        outcome.expect_value("messages", children, |n| {
            format!("{n} messages from {children} children")
        })
    },
    controls: &[
        Variant {
            name: "torn",
            expected: Verdict::Invariant,
            about: "Compil-1 sends its message in two halves",
            run: |p| gather(p, Mutant::Torn),
        },
        Variant {
            name: "sent-twice",
            expected: Verdict::Invariant,
            about: "Compil-1 sends its message twice",
            run: |p| gather(p, Mutant::SentTwice),
        },
        Variant {
            name: "one-short",
            expected: Verdict::LostUpdate,
            about: "the parent receives one message fewer than there are children",
            run: |p| gather(p, Mutant::OneShort),
        },
    ],
    ..Model::DEFAULT
};

/// The controls' changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    Torn,
    SentTwice,
    OneShort,
}

fn gather(p: &Params, mutant: Mutant) -> Outcome {
    let (children, length) = (p.get("children"), p.get("length"));
    let (sortie, entre) = pipe::<Vec<usize>>("the pipe");
    let entre = Arc::new(entre);
    let handles: Vec<_> = (0..children)
        .map(|c| {
            let entre = Arc::clone(&entre);
            thread::spawn_named(format!("Compil-{}", c + 1), move || {
                // The parent keeps the reading end open until every child is joined, so no send
                // can meet a broken pipe.
                let send = |words| {
                    entre
                        .send(words)
                        .expect("the reading end stays open until every child is joined")
                };
                match mutant {
                    Mutant::Torn if c == 0 => {
                        let half = length.div_ceil(2);
                        send(vec![c; half]);
                        send(vec![c; length - half]);
                    }
                    Mutant::SentTwice if c == 0 => {
                        send(vec![c; length]);
                        send(vec![c; length]);
                    }
                    _ => send(vec![c; length]),
                }
            })
        })
        .collect();
    let mut senders: Vec<usize> = Vec::new();
    for _ in 0..children - usize::from(mutant == Mutant::OneShort) {
        let message = sortie.recv();
        let whole = message.as_ref().ok().and_then(|m| {
            m.first()
                .filter(|&&c| m.len() == length && m.iter().all(|&w| w == c))
        });
        ensure(whole.is_some(), "each message arrives whole", || {
            format!("received {message:?}")
        });
        senders.extend(whole.copied());
    }
    handles.into_iter().for_each(|t| t.join().unwrap());
    entre.close();
    let messages = ensure_taken_once("one message per child", senders);
    Outcome::new().with("messages", messages as i64)
}
