//! A writer fills a shared array with Fibonacci numbers and ends it with a −1 flag; a reader
//! reads the numbers. The suite's memory-model lesson.
//!
//! Course: 000:88-111 — a child process writes Fibonacci numbers into a shared `Array` and −1 at
//! the end; the parent reads the array after `join()`. That is the `join` variant: `join`
//! orders everything the child wrote before everything the parent reads. The two polling
//! variants read while the writer runs, spinning until they see the flag. With `Relaxed`
//! atomics nothing orders the data before the flag: the C11 memory model lets the reader see the
//! flag and still read a number as 0 (`polling-relaxed`). With a `Release` store of the flag
//! and an `Acquire` load, seeing the flag means seeing the numbers (`polling-release-acquire`).
//!
//! Only loom explores the C11 memory model, so only exhaustive mode can show the relaxed bug.
//! shuttle runs atomics as sequentially consistent, and x86 keeps stores in order (its "total
//! store order"), so random, pct and real runs on x86 cannot show it: the model declares that
//! blind spot instead of pretending otherwise (a weakly ordered machine such as ARM might show it
//! for real, rarely).
//!
//! Checked: the reader sees exactly the numbers the writer wrote, ending at the flag.

use crate::explore::{ensure, BlindSpot, Mode, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicI64, Ordering};
use crate::sync::{thread, Arc};

pub const MODEL: Model = Model {
    name: "shared-array-flag",
    source: "000:88-111 Fibonacci into a shared Array, -1 as the stop flag",
    about: "a writer fills an array and sets a -1 flag; a reader reads after join, or polls",
    params: &[
        Param::new(
            "numbers",
            "Fibonacci numbers written before the flag (at most 90, to fit in 64 bits)",
            [2, 20, 90],
        )
        .at_most(90),
        Param::new(
            "rounds",
            "times the array is written and read",
            [1, 1, 2_000],
        ),
    ],
    variants: &[
        Variant {
            name: "join",
            expected: Verdict::Pass,
            about: "the course's: the parent reads after p.join().unwrap()",
            run: |p| share(p, Read::AfterJoin),
        },
        Variant {
            name: "polling-relaxed",
            expected: Verdict::Invariant,
            about: "the reader polls the flag while the writer runs; Relaxed everywhere",
            run: |p| share(p, Read::Polling(Ordering::Relaxed, Ordering::Relaxed)),
        },
        Variant {
            name: "polling-release-acquire",
            expected: Verdict::Pass,
            about: "the same, with a Release store of the flag and an Acquire load",
            run: |p| share(p, Read::Polling(Ordering::Release, Ordering::Acquire)),
        },
    ],
    check: |p, outcome| {
        let numbers = (p.get("numbers") * p.get("rounds")) as i64;
        outcome.expect_value("numbers read", numbers, |n| {
            format!("{n} numbers read of {numbers} written in all rounds")
        })
    },
    pct_depth: 2,
    controls: &[
        Variant {
            name: "flag-first",
            expected: Verdict::Invariant,
            about: "polling, but the writer sets the flag before it writes the numbers",
            run: |p| share(p, Read::FlagFirst),
        },
        Variant {
            name: "round-skipped",
            expected: Verdict::LostUpdate,
            about: "after join, but the parent skips the last round",
            run: |p| share(p, Read::RoundSkipped),
        },
    ],
    blind_spots: &[BlindSpot {
        variant: "polling-relaxed",
        modes: &[Mode::Random, Mode::Pct, Mode::Portfolio, Mode::Bounded],
        why: "shuttle runs atomics as sequentially consistent, so the reader never sees the flag \
              before the numbers; only loom's exploration of the C11 memory model shows it",
    }],
    ..Model::DEFAULT
};

#[derive(Clone, Copy)]
enum Read {
    AfterJoin,
    /// Polls the flag; the orderings of the flag's store and load.
    Polling(Ordering, Ordering),
    /// Controls: polling, with the flag set before the numbers; after join, a round short.
    FlagFirst,
    RoundSkipped,
}

const FLAG: i64 = -1;

/// The name of the shared array's cell `i`: a number's, or the flag's (the last).
fn cell(i: usize, numbers: usize) -> String {
    if i == numbers {
        "the flag".to_string()
    } else {
        format!("array[{i}]")
    }
}

fn fibonacci(n: usize) -> Vec<i64> {
    let (mut a, mut b) = (0i64, 1i64);
    (0..n)
        .map(|_| {
            (a, b) = (b, a + b);
            a
        })
        .collect()
}

fn share(p: &Params, read: Read) -> Outcome {
    let numbers = p.get("numbers");
    let expected = fibonacci(numbers);
    let mut read_in_all = 0;
    let rounds = p.get("rounds") - usize::from(matches!(read, Read::RoundSkipped));
    for _ in 0..rounds {
        // The shared Array: the numbers, then the flag's slot.
        let array: Arc<Vec<AtomicI64>> = Arc::new(
            (0..=numbers)
                .map(|i| AtomicI64::named(&cell(i, numbers), 0))
                .collect(),
        );
        let (store_flag, load_flag) = match read {
            Read::Polling(store, load) => (store, load),
            _ => (Ordering::Relaxed, Ordering::Relaxed),
        };
        let flag_first = matches!(read, Read::FlagFirst);
        let writer = {
            let (array, values) = (Arc::clone(&array), expected.clone());
            thread::spawn_named("writer", move || {
                if flag_first {
                    array[numbers].store(FLAG, store_flag);
                }
                for (cell, value) in array.iter().zip(values) {
                    cell.store(value, Ordering::Relaxed);
                }
                array[numbers].store(FLAG, store_flag);
            })
        };
        let running = match read {
            Read::AfterJoin | Read::RoundSkipped => {
                writer.join().unwrap();
                None
            }
            Read::Polling(..) | Read::FlagFirst => {
                while array[numbers].load(load_flag) != FLAG {
                    thread::yield_now();
                }
                Some(writer)
            }
        };
        let seen: Vec<i64> = array[..numbers]
            .iter()
            .map(|cell| cell.load(Ordering::Relaxed))
            .collect();
        ensure(
            seen == expected,
            "the reader sees every number the writer wrote before the flag",
            || format!("read {seen:?} after the flag, the writer wrote {expected:?}"),
        );
        read_in_all += seen.len();
        if let Some(writer) = running {
            writer.join().unwrap();
        }
    }
    Outcome::new().with("numbers read", read_in_all as i64)
}
