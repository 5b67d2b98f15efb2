//! One producer fills a queue with values and one "fin" per consumer; each consumer takes at
//! most a stated number of items and stops early at a "fin". What is left in the queue at the
//! end depends on the schedule.
//!
//! Course: 001:88-106 — `[1, …, 10, "fin", "fin", "fin"]` in an `mp.Queue`, three processes
//! each running `for i in range(6): v = q.get(); if v == "fin": break`, then
//! `print(VALEURS.qsize())`. The course fills the queue before starting the consumers; so does
//! the model.
//!
//! Checked: every value is taken at most once; values taken, "fin"s taken and items left add up
//! to what was put. Exhaustive mode's report lists every reachable count of items left.

use crate::explore::{ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Queue};

pub const MODEL: Model = Model {
    name: "multi-consumer",
    source: "001:88-106 one queue, 3 consumers, 3 \"fin\"",
    about: "consumers take at most N items each from one queue, stopping at a \"fin\"",
    params: &[
        Param::new(
            "values",
            "values put before the fins (the course: 10)",
            [2, 10, 100_000],
        )
        .at_least(0),
        Param::new(
            "consumers",
            "consumers, and fins (the course: 3)",
            [2, 3, 3],
        ),
        Param::new(
            "takes",
            "items a consumer takes at most (the course: 6)",
            [2, 6, 40_000],
        ),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "for i in range(takes): v = q.get(); if v == 'fin': break",
        run: |p| consume(p, Mutant::None),
    }],
    check: |p, outcome| {
        let put = (p.get("values") + p.get("consumers")) as i64;
        let get = |name| outcome.get(name).unwrap_or(-1);
        let accounted = get("values taken") + get("fins taken") + get("left in the queue");
        if accounted == put {
            Ok(())
        } else {
            Err(format!("{accounted} items accounted for of {put} put"))
        }
    },
    preemption_bound: 3,
    controls: &[
        Variant {
            name: "kept-twice",
            expected: Verdict::Invariant,
            about: "consumer-1 keeps its first value twice",
            run: |p| consume(p, Mutant::KeptTwice),
        },
        Variant {
            name: "one-dropped",
            expected: Verdict::LostUpdate,
            about: "consumer-1 drops its first value",
            run: |p| consume(p, Mutant::Dropped),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy)]
enum Item {
    Value(usize),
    Fin,
}

/// The controls' changes to the first consumer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    KeptTwice,
    Dropped,
}

fn consume(p: &Params, mutant: Mutant) -> Outcome {
    let (consumers, takes) = (p.get("consumers"), p.get("takes"));
    let valeurs = Arc::new(Queue::fifo("VALEURS", 0));
    for v in 1..=p.get("values") {
        valeurs.put(Item::Value(v));
    }
    for _ in 0..consumers {
        valeurs.put(Item::Fin);
    }
    let handles: Vec<_> = (0..consumers)
        .map(|c| {
            let valeurs = Arc::clone(&valeurs);
            thread::spawn_named(format!("consumer-{}", c + 1), move || {
                let (mut values, mut fin) = (Vec::new(), false);
                let mut first = c == 0;
                for _ in 0..takes {
                    match valeurs.get() {
                        Item::Value(v) => {
                            match mutant {
                                Mutant::Dropped if first => {}
                                Mutant::KeptTwice if first => values.extend([v, v]),
                                _ => values.push(v),
                            }
                            first = false;
                        }
                        Item::Fin => {
                            fin = true;
                            break;
                        }
                    }
                }
                (values, fin)
            })
        })
        .collect();
    let (mut taken, mut fins) = (Vec::new(), 0);
    for handle in handles {
        let (values, fin) = handle.join().unwrap();
        taken.extend(values);
        fins += i64::from(fin);
    }
    let taken = ensure_taken_once("every value is taken at most once", taken);
    Outcome::new()
        .with("left in the queue", valeurs.qsize() as i64)
        .with("values taken", taken as i64)
        .with("fins taken", fins)
}
