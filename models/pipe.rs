//! A child process reverses a sentence and sends it back to its parent through a pipe.
//!
//! Course: 000:68-85 — `conn_par, conn_child = Pipe()`; the child does
//! `conn.send(sentence[::-1])` and `conn.close()`; the parent `recv()`s, prints, joins. The model
//! repeats it for a stated number of sentences (a new pipe and child each time), and after
//! reading the reply the parent receives once more, to see the end of the stream.
//!
//! Checked: the parent receives exactly the reversed sentence; a `recv` after the child closed
//! its end reports end-of-stream instead of blocking.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{pipe, thread};

pub const MODEL: Model = Model {
    name: "pipe",
    source: "000:68-85 child(conn, sentence) sends sentence[::-1]",
    about: "a child reverses a sentence and sends it back through a Pipe, then closes its end",
    params: &[Param::new(
        "sentences",
        "sentences, each through a new pipe to a new child (the course: 1)",
        [1, 3, 2_000],
    )],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "child: conn.send(sentence[::-1]); conn.close(); parent: recv(), then end",
        run: |p| reverse_sentences(p, Mutant::None),
    }],
    check: |p, outcome| {
        let sentences = p.get("sentences") as i64;
        match (outcome.value("reversed"), outcome.value("ends seen")) {
            (r, e) if r == sentences && e == sentences => Ok(()),
            (r, e) => Err(format!(
                "{r} sentences came back reversed and {e} ends were seen, of {sentences}"
            )),
        }
    },
    preemption_bound: 3,
    controls: &[
        Variant {
            name: "not-reversed",
            expected: Verdict::Invariant,
            about: "the child sends the sentence as it is",
            run: |p| reverse_sentences(p, Mutant::NotReversed),
        },
        Variant {
            name: "sent-twice",
            expected: Verdict::Invariant,
            about: "the child sends the reversed sentence twice",
            run: |p| reverse_sentences(p, Mutant::SentTwice),
        },
        Variant {
            name: "send-after-close",
            expected: Verdict::Invariant,
            about: "the child sends, closes, then sends again and reports that send",
            run: |p| reverse_sentences(p, Mutant::SendAfterClose),
        },
        Variant {
            name: "one-short",
            expected: Verdict::LostUpdate,
            about: "the parent stops one sentence short",
            run: |p| reverse_sentences(p, Mutant::OneShort),
        },
    ],
    ..Model::DEFAULT
};

/// The controls' changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    NotReversed,
    SentTwice,
    SendAfterClose,
    OneShort,
}

fn reverse_sentences(p: &Params, mutant: Mutant) -> Outcome {
    let (mut reversed, mut ends) = (0, 0);
    for n in 0..p.get("sentences") - usize::from(mutant == Mutant::OneShort) {
        let sentence = format!("la phrase numéro {n} à l'envers");
        let (conn_par, conn_child) = pipe::<String>("the pipe");
        let child = {
            let sentence = sentence.clone();
            thread::spawn_named("child", move || {
                // A broken pipe cannot happen here: the parent keeps its end open until the end.
                let reply: String = match mutant {
                    Mutant::NotReversed => sentence,
                    _ => sentence.chars().rev().collect(),
                };
                if mutant == Mutant::SentTwice {
                    let _ = conn_child.send(reply.clone());
                }
                let sent = conn_child.send(reply.clone());
                conn_child.close();
                match mutant {
                    Mutant::SendAfterClose => conn_child.send(reply).is_ok(),
                    _ => sent.is_ok(),
                }
            })
        };
        let reply = conn_par.recv();
        let expected: String = sentence.chars().rev().collect();
        ensure(
            reply.as_ref() == Ok(&expected),
            "the parent receives the reversed sentence",
            || format!("received {reply:?}, expected {expected:?}"),
        );
        reversed += 1;
        let after = conn_par.recv();
        ensure(
            after.is_err(),
            "recv after the child closed reports end-of-stream",
            || format!("received {after:?} after the only message"),
        );
        ends += 1;
        ensure(
            child.join().unwrap(),
            "the child's send succeeds",
            String::new,
        );
        conn_par.close();
    }
    Outcome::new()
        .with("reversed", reversed)
        .with("ends seen", ends)
}
