//! Workers move values from one queue to another, each adding its own id on the way.
//!
//! Course: 001:60-80 `add_pid(queue_in, queue_out)`: `queue0` holds `k*10000` for k in
//! range(4); four processes each get one value, add their PID, and put the sum on `queue1`; the
//! main process reads four results. The model's workers loop until a sentinel (so that the real
//! runs can move many values) and their ids are 1..N rather than PIDs.
//!
//! Checked: the output multiset equals the inputs plus ids: every input value comes out exactly
//! once, each with the id of a worker added.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Queue};

pub const MODEL: Model = Model {
    name: "double-queue",
    source: "001:60-80 add_pid(queue_in, queue_out)",
    about: "workers move k*10000 from queue0 to queue1, adding their id",
    params: &[
        Param::new(
            "values",
            "values k*10000 put in queue0 (the course: 4)",
            [2, 8, 100_000],
        )
        .at_least(0),
        Param::new(
            "workers",
            "workers moving values (the course: 4)",
            [2, 4, 4],
        )
        .at_most(STEP as usize - 1),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "each worker: val = queue0.get(); queue1.put(id + val) until the sentinel",
        run: |p| move_values(p, Mutant::None),
    }],
    check: |p, outcome| {
        let values = p.get("values") as i64;
        outcome.expect_value("values out", values, |n| {
            format!("{n} values came out of {values} put in")
        })
    },
    controls: &[
        Variant {
            name: "no-id",
            expected: Verdict::Invariant,
            about: "the first worker puts the value without adding its id",
            run: |p| move_values(p, Mutant::NoId),
        },
        Variant {
            name: "put-twice",
            expected: Verdict::Invariant,
            about: "the first worker puts its first value twice",
            run: |p| move_values(p, Mutant::PutTwice),
        },
        Variant {
            name: "one-dropped",
            expected: Verdict::LostUpdate,
            about: "the first worker drops its first value",
            run: |p| move_values(p, Mutant::Dropped),
        },
    ],
    ..Model::DEFAULT
};

/// Input k is `k * STEP`; an id is below `STEP`, so `output / STEP` is k and `output % STEP` the id.
const STEP: i64 = 10_000;

/// The controls' changes to the first worker.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    NoId,
    PutTwice,
    Dropped,
}

fn move_values(p: &Params, mutant: Mutant) -> Outcome {
    let workers = p.get("workers");
    let queue0 = Arc::new(Queue::fifo("queue0", 0));
    let queue1 = Arc::new(Queue::fifo("queue1", 0));
    for k in 0..p.get("values") as i64 {
        queue0.put(Some(k * STEP));
    }
    for _ in 0..workers {
        queue0.put(None);
    }
    let handles: Vec<_> = (1..=workers as i64)
        .map(|id| {
            let (queue0, queue1) = (Arc::clone(&queue0), Arc::clone(&queue1));
            thread::spawn_named(format!("worker-{id}"), move || {
                let mutant = if id == 1 { mutant } else { Mutant::None };
                let mut first = true;
                while let Some(val) = queue0.get() {
                    match mutant {
                        Mutant::NoId => queue1.put(val),
                        Mutant::PutTwice if first => {
                            queue1.put(id + val);
                            queue1.put(id + val);
                        }
                        Mutant::Dropped if first => {}
                        _ => queue1.put(id + val),
                    }
                    first = false;
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|t| t.join().unwrap());
    let mut inputs = Vec::new();
    while let Ok(out) = queue1.get_nowait() {
        let (k, id) = (out / STEP, out % STEP);
        ensure(
            (1..=workers as i64).contains(&id),
            "each output is an input plus a worker's id",
            || format!("{out} is {k}*{STEP} + {id}, and {id} is no worker's id"),
        );
        inputs.push(k);
    }
    let out = ensure_taken_once("every input comes out once", inputs);
    Outcome::new().with("values out", out as i64)
}
