//! A writer thread sends lines through a queue to a reader thread, and ends with a sentinel.
//!
//! Course: 003:520-560 — `writer(fifo, …)` puts each line on a `Queue`, then `None`; `reader(fifo)`
//! gets lines (`fifo.get()` blocks) until it gets `None`. Also 001:36-58, the same with
//! processes, an `mp.Queue` and the sentinel −1. The model's lines are numbered.
//!
//! Checked: the reader receives every line, in the order written, then stops.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Queue};

pub const MODEL: Model = Model {
    name: "queue-pipeline",
    source: "003:520-560 writer/reader with None; 001:36-58 producteur/consommateur with -1",
    about: "a writer sends lines through a Queue to a reader, then a None sentinel",
    params: &[
        Param::new("lines", "lines the writer sends", [3, 20, 200_000]).at_least(0),
        Param::new(
            "maxsize",
            "the queue's bound, 0 for none (the course: Queue())",
            [1, 2, 0],
        )
        .at_least(0),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "writer: put each line, then None; reader: get until None",
        run: |p| pipeline(p, Mutant::None),
    }],
    check: |p, outcome| {
        let lines = p.get("lines") as i64;
        outcome.expect_value("lines read", lines, |n| {
            format!("{n} lines read of {lines} written")
        })
    },
    controls: &[
        Variant {
            name: "line-skipped",
            expected: Verdict::Invariant,
            about: "the writer skips its first line",
            run: |p| pipeline(p, Mutant::LineSkipped),
        },
        Variant {
            name: "last-line-unsent",
            expected: Verdict::LostUpdate,
            about: "the writer sends None in place of its last line",
            run: |p| pipeline(p, Mutant::LastLineUnsent),
        },
    ],
    ..Model::DEFAULT
};

/// The controls' changes to the writer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    LineSkipped,
    LastLineUnsent,
}

fn pipeline(p: &Params, mutant: Mutant) -> Outcome {
    let lines = p.get("lines");
    let fifo = Arc::new(Queue::fifo("Fifo", p.get("maxsize")));
    let writer = {
        let fifo = Arc::clone(&fifo);
        thread::spawn_named("writer", move || {
            let sent = lines - usize::from(mutant == Mutant::LastLineUnsent && lines > 0);
            for line in 0..sent {
                if !(mutant == Mutant::LineSkipped && line == 0) {
                    fifo.put(Some(line));
                }
            }
            fifo.put(None);
        })
    };
    let reader = thread::spawn_named("reader", move || {
        let mut read = 0;
        while let Some(line) = fifo.get() {
            ensure(line == read, "the reader gets every line in order", || {
                format!("line {line} read when line {read} was due")
            });
            read += 1;
        }
        read
    });
    writer.join().unwrap();
    Outcome::new().with("lines read", reader.join().unwrap() as i64)
}
