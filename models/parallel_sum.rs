//! Summing an array in segments, one worker per segment, into one shared total.
//!
//! Course: 002 `SommeArray` / `SommeMultiProcess` (002:123-158): each process sums its segment
//! and adds it to a shared `Value` with `with Sommetotal.get_lock(): Sommetotal.value += Somme`.
//! Without `get_lock()`, `+=` is a read and a write (two locked accesses, not one) and partial sums
//! are lost. The course's segments are `len // n` long, so the last `len % n` elements are never
//! summed; the model's segments cover the whole array.
//!
//! Checked: the total equals the sequential sum.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Array, Value};
use std::ops::Range;

pub const MODEL: Model = Model {
    name: "parallel-sum",
    source: "002:123-158 SommeArray with Value.get_lock()",
    about: "workers sum segments of a shared Array into a shared Value",
    params: &[
        Param::new(
            "length",
            "elements in the array (the course: 1,000,000)",
            [3, 103, 1_000_000],
        ),
        Param::new(
            "workers",
            "workers, one segment each (the course: os.cpu_count())",
            [2, 4, 4],
        ),
    ],
    variants: &[
        Variant {
            name: "racy",
            expected: Verdict::LostUpdate,
            about: "total.value += sum without get_lock(): a read, then a write",
            run: |p| sum(p, false),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "with total.get_lock(): total.value += sum",
            run: |p| sum(p, true),
        },
    ],
    check: |p, outcome| {
        let expected: i64 = (0..p.get("length")).map(element).sum();
        match outcome.value("total") {
            t if t == expected => Ok(()),
            t => Err(format!("the total is {t}, the array sums to {expected}")),
        }
    },
    pct_depth: 2,
    ..Model::DEFAULT
};

/// The array's `i`-th element (the course fills it with `randint(0, 1000)`; a fixed formula
/// keeps every schedule on the same data).
fn element(i: usize) -> i64 {
    ((i * 7_919 + 13) % 1_001) as i64
}

/// `workers` consecutive segments covering `0..length` exactly: the first `length % workers`
/// are one element longer.
pub fn segments(length: usize, workers: usize) -> Vec<Range<usize>> {
    let (base, extra) = (length / workers, length % workers);
    let mut start = 0;
    (0..workers)
        .map(|w| {
            let end = start + base + usize::from(w < extra);
            let segment = start..end;
            start = end;
            segment
        })
        .collect()
}

fn sum(p: &Params, locked: bool) -> Outcome {
    let length = p.get("length");
    let array = Arc::new(Array::new("the array", (0..length).map(element).collect()));
    let total = Arc::new(Value::new("the total", 0i64));
    let workers: Vec<_> = segments(length, p.get("workers"))
        .into_iter()
        .enumerate()
        .map(|(w, segment)| {
            let (array, total) = (Arc::clone(&array), Arc::clone(&total));
            thread::spawn_named(format!("worker-{}", w + 1), move || {
                let partial: i64 = segment.map(|i| array.get(i)).sum();
                if locked {
                    *total.get_lock() += partial;
                } else {
                    let read = total.get();
                    total.set(read + partial);
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new().with("total", total.get())
}
