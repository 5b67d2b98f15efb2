//! The bounded buffer: producers write into a circular buffer of `size` slots, a consumer reads
//! from it; `empty` counts the free slots, `full` the written ones, a lock guards the indices.
//!
//! Course: 000:305-345 (`BUFFER_SIZE = 5`, `producer(n, buffer, full, empty, lock)` and
//! `consumer(buffer, full, empty, lock)`, the sentinel −1). As printed, the producer never
//! increments `i` and the consumer never initialises `q`; the model does both, as the code
//! intends, and its items are numbered rather than Fibonacci. Variants: the course's order
//! (`empty.acquire()`, then the lock); `swapped`, which takes the lock first and then waits for
//! a free slot while holding it, so the consumer can never take the lock to free one — a
//! deadlock; and `no-lock`, where two producers share the write index without the lock (one
//! sentinel each), so both can write the same slot.
//!
//! Checked: the consumer receives every item once, and each producer's items in order; the
//! buffer never holds more than `size` items nor fewer than 0.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Array, Lock, Mutex, Semaphore, Value};

pub const MODEL: Model = Model {
    name: "bounded-buffer",
    source: "000:305-345 producer/consumer, full/empty semaphores + lock",
    about: "producers and a consumer share a circular buffer guarded by full/empty semaphores",
    params: &[
        Param::new(
            "items",
            "items each producer writes before its sentinel (the course: 10)",
            [2, 10, 50_000],
        )
        .at_most(999_999),
        Param::new(
            "size",
            "slots in the buffer (the course: BUFFER_SIZE = 5)",
            [2, 5, 5],
        ),
    ],
    variants: &[
        Variant {
            name: "semaphores",
            expected: Verdict::Pass,
            about: "the course's: empty.acquire(); with lock: write; full.release()",
            run: |p| produce_and_consume(p, Style::Semaphores),
        },
        Variant {
            name: "swapped",
            expected: Verdict::Deadlock,
            about: "with lock: empty.acquire(); write — waits for a slot while holding the lock",
            run: |p| produce_and_consume(p, Style::Swapped),
        },
        Variant {
            name: "no-lock",
            expected: Verdict::Invariant,
            about: "two producers share the write index without the lock",
            run: |p| produce_and_consume(p, Style::NoLock),
        },
    ],
    check: |p, outcome| {
        let items = p.get("items") as i64;
        let producers = outcome.get("producers").unwrap_or(1);
        match outcome.value("consumed") {
            n if n == items * producers => Ok(()),
            n => Err(format!("{n} items consumed of {}", items * producers)),
        }
    },
    controls: &[
        Variant {
            name: "no-empty-wait",
            expected: Verdict::Invariant,
            about: "the producer writes without taking an empty slot",
            run: |p| produce_and_consume(p, Style::NoEmptyWait),
        },
        Variant {
            name: "one-uncounted",
            expected: Verdict::LostUpdate,
            about: "the consumer reads every item but counts one fewer",
            run: |p| produce_and_consume(p, Style::OneUncounted),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Semaphores,
    Swapped,
    NoLock,
    /// Controls: no wait for an empty slot; the course's code, but the consumer miscounts.
    NoEmptyWait,
    OneUncounted,
}

const END: i64 = -1;
/// Item `seq` of producer `k` is written as `k * PER_PRODUCER + seq`.
const PER_PRODUCER: i64 = 1_000_000;

struct Buffer {
    slots: Array<i64>,
    /// The write index `p` and the read index `q`.
    p: Value<usize>,
    q: Value<usize>,
    lock: Lock,
    full: Semaphore,
    empty: Semaphore,
    /// Ghost: the items in the buffer, checked against its bounds at every write and read.
    held: Mutex<i64>,
}

impl Buffer {
    fn new(size: usize) -> Self {
        Buffer {
            slots: Array::new("buffer", (0..size as i64).collect()),
            p: Value::new("p", 0),
            q: Value::new("q", 0),
            lock: Lock::named("lock"),
            full: Semaphore::named("full", 0),
            empty: Semaphore::named("empty", size),
            held: Mutex::named("items held", 0),
        }
    }

    fn count(&self, change: i64) {
        let mut held = self.held.lock().unwrap();
        *held += change;
        let (now, size) = (*held, self.slots.len());
        ensure(
            (0..=size as i64).contains(&now),
            "the buffer never over- or underflows",
            || format!("{now} items in a buffer of {size}"),
        );
    }

    /// `buffer[p] = a; p = (p+1) % BUFFER_SIZE`.
    fn write(&self, a: i64) {
        let p = self.p.get();
        self.slots.set(p, a);
        self.p.set((p + 1) % self.slots.len());
        self.count(1);
    }

    fn put(&self, a: i64, style: Style) {
        match style {
            Style::Semaphores | Style::OneUncounted => {
                self.empty.acquire();
                let _with = self.lock.hold();
                self.write(a);
            }
            Style::Swapped => {
                let _with = self.lock.hold();
                self.empty.acquire();
                self.write(a);
            }
            Style::NoLock => {
                self.empty.acquire();
                self.write(a);
            }
            Style::NoEmptyWait => {
                let _with = self.lock.hold();
                self.write(a);
            }
        }
        self.full.release();
    }

    fn get(&self) -> i64 {
        self.full.acquire();
        let res = {
            let _with = self.lock.hold();
            let q = self.q.get();
            let res = self.slots.get(q);
            self.q.set((q + 1) % self.slots.len());
            self.count(-1);
            res
        };
        self.empty.release();
        res
    }
}

fn produce_and_consume(p: &Params, style: Style) -> Outcome {
    let items = p.get("items") as i64;
    let producers = if style == Style::NoLock { 2 } else { 1 };
    let buffer = Arc::new(Buffer::new(p.get("size")));
    let writers: Vec<_> = (0..producers)
        .map(|k| {
            let buffer = Arc::clone(&buffer);
            let name = if producers == 1 {
                "producer".to_string()
            } else {
                format!("producer-{}", k + 1)
            };
            thread::spawn_named(name, move || {
                for seq in 0..items {
                    buffer.put(k * PER_PRODUCER + seq, style);
                }
                buffer.put(END, style);
            })
        })
        .collect();
    let consumer = thread::spawn_named("consumer", move || {
        let mut next = vec![0; producers as usize];
        let (mut ends, mut consumed) = (0, 0);
        while ends < producers {
            let res = buffer.get();
            if res == END {
                ends += 1;
                continue;
            }
            let (k, seq) = (res / PER_PRODUCER, res % PER_PRODUCER);
            let expected = next.get(k as usize).copied();
            ensure(
                expected == Some(seq),
                "every item is consumed once, each producer's in order",
                || match expected {
                    Some(due) => {
                        format!("read {res} (producer {k}, item {seq}) when item {due} was due")
                    }
                    None => format!("read {res}, from producer {k}, who does not exist"),
                },
            );
            next[k as usize] += 1;
            consumed += 1;
        }
        consumed - i64::from(style == Style::OneUncounted)
    });
    writers.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new()
        .with("producers", producers)
        .with("consumed", consumer.join().unwrap())
}
