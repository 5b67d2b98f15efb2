//! Programs that bounded mode's reduction tests explore with and without a reduction: the racy
//! counter, and random programs over every kind of primitive (locks, atomics, a condition
//! variable, shared values, a semaphore), whose final state says what each thread saw.

// Each test file uses only some of these.
#![allow(dead_code)]

use interleave_check::explore::{Reduction, StateCaching};
use interleave_check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use interleave_check::sync::{thread, Arc, Condvar, Mutex, Semaphore, Value};
use interleave_check::{Check, Mode, Outcome, Report};
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Explores `program` in bounded mode at `bound` alone, with `reduction`, its states not cached.
pub fn explore<R: Into<Outcome>>(
    bound: usize,
    reduction: Reduction,
    program: impl Fn() -> R + Send + Sync + 'static,
) -> Report {
    explore_with(bound, reduction, StateCaching::Off, program)
}

/// Explores `program` in bounded mode at `bound` alone, with `reduction` and `caching`, on every
/// core.
pub fn explore_with<R: Into<Outcome>>(
    bound: usize,
    reduction: Reduction,
    caching: StateCaching,
    program: impl Fn() -> R + Send + Sync + 'static,
) -> Report {
    Check::new()
        .mode(Mode::Bounded)
        .preemptions(bound)
        .no_deepening()
        .reduction(reduction)
        .state_caching_as(caching)
        .report(program)
        .expect("bounded mode runs in a shuttle build")
}

/// A control's check: `wrong` (a reduction that must not be trusted) reached fewer final states
/// than `right`.
pub fn assert_loses_states(wrong: &Report, right: &Report, what: &str) {
    assert!(
        states(wrong).len() < states(right).len(),
        "{what} kept all {} final states",
        states(right).len()
    );
}

/// The final states a report saw.
pub fn states(report: &Report) -> BTreeSet<String> {
    report.outcomes.iter().map(ToString::to_string).collect()
}

/// `threads` threads (the caller one of them) each add one `increments` times by a read and a
/// write: the final count and what each thread read last.
pub fn racy_counter(threads: usize, increments: usize) -> Outcome {
    let n = Arc::new(AtomicUsize::named("n", 0));
    let add = |n: Arc<AtomicUsize>| {
        move || {
            let mut seen = 0;
            for _ in 0..increments {
                seen = n.load(SeqCst);
                n.store(seen + 1, SeqCst);
            }
            seen
        }
    };
    let others: Vec<_> = (1..threads)
        .map(|i| thread::spawn_named(format!("t{i}"), add(n.clone())))
        .collect();
    let mine = add(n.clone())();
    let mut outcome = Outcome::new().with("t0", mine as i64);
    for (i, t) in others.into_iter().enumerate() {
        outcome = outcome.with(format!("t{}", i + 1), t.join().unwrap() as i64);
    }
    outcome.with("n", n.load(SeqCst) as i64)
}

/// One operation of a generated thread.
#[derive(Clone, Debug)]
pub enum Op {
    /// Adds the thread's number to cell `0` under its own lock.
    Locked(usize),
    /// Reads atomic `0`; what it saw is part of the final state.
    Load(usize),
    /// Writes the thread's number into atomic `0`.
    Store(usize),
    /// Adds one to atomic `0` in one step.
    FetchAdd(usize),
    /// Reads cell `0` under its lock; what it saw is part of the final state.
    LockedRead(usize),
    /// Lets others run (a free switch, and a thread that gives way for fairness).
    Yield,
    /// Adds one to the slot under its lock and notifies its condition variable.
    Post,
    /// Waits on the condition variable until the slot is not empty, then takes one; what was left
    /// is part of the final state. With more takes than posts, a schedule hangs.
    Take,
    /// Reads shared value `0` (one facade operation); what it saw is part of the final state.
    Get(usize),
    /// Writes the thread's number into shared value `0` (one facade operation).
    Set(usize),
    /// Adds one to shared value `0` holding its own lock (`with v.get_lock(): v.value += 1`).
    AddUnderItsLock(usize),
    /// Takes a permit of a semaphore that starts with one (a facade operation that may block).
    Acquire,
    /// Gives one back.
    Release,
}

/// Runs `threads` (the caller runs the last one) over two locked cells, two atomics, two shared
/// values and a semaphore; the final state is every cell, atomic and value, and every value a
/// read saw.
pub fn generated(threads: &[Vec<Op>]) -> Outcome {
    let cells = Arc::new([Mutex::named("cell 0", 0i64), Mutex::named("cell 1", 0i64)]);
    let atomics = Arc::new([AtomicUsize::named("a0", 0), AtomicUsize::named("a1", 0)]);
    let slot = Arc::new((Mutex::named("slot", 0i64), Condvar::named("posted")));
    let values = Arc::new([Value::new("v0", 0i64), Value::new("v1", 0i64)]);
    let permits = Arc::new(Semaphore::named("permits", 1));
    let body = |me: usize, ops: Vec<Op>| {
        let (cells, atomics, slot) = (cells.clone(), atomics.clone(), slot.clone());
        let (values, permits) = (values.clone(), permits.clone());
        move || {
            let mut seen = 0i64;
            for op in ops {
                match op {
                    Op::Locked(c) => *cells[c].lock().unwrap() += me as i64 + 1,
                    Op::Load(a) => seen = seen * 10 + atomics[a].load(SeqCst) as i64,
                    Op::Store(a) => atomics[a].store(me + 1, SeqCst),
                    Op::FetchAdd(a) => {
                        atomics[a].fetch_add(1, SeqCst);
                    }
                    Op::LockedRead(c) => seen = seen * 10 + *cells[c].lock().unwrap(),
                    Op::Yield => thread::yield_now(),
                    Op::Post => {
                        *slot.0.lock().unwrap() += 1;
                        slot.1.notify_all();
                    }
                    Op::Take => {
                        let mut posted = slot
                            .1
                            .wait_while(slot.0.lock().unwrap(), |n| *n == 0)
                            .unwrap();
                        *posted -= 1;
                        seen = seen * 10 + *posted;
                    }
                    Op::Get(v) => seen = seen * 10 + values[v].get(),
                    Op::Set(v) => values[v].set(me as i64 + 1),
                    Op::AddUnderItsLock(v) => *values[v].get_lock() += 1,
                    Op::Acquire => permits.acquire(),
                    Op::Release => permits.release(),
                }
            }
            seen
        }
    };
    let (last, spawned) = threads.split_last().expect("at least one thread");
    let handles: Vec<_> = spawned
        .iter()
        .enumerate()
        .map(|(i, ops)| thread::spawn_named(format!("t{i}"), body(i, ops.clone())))
        .collect();
    let mine = body(spawned.len(), last.clone())();
    let mut outcome = Outcome::new().with(format!("t{}", spawned.len()), mine);
    for (i, h) in handles.into_iter().enumerate() {
        outcome = outcome.with(format!("t{i}"), h.join().unwrap());
    }
    for (i, c) in cells.iter().enumerate() {
        outcome = outcome.with(format!("cell {i}"), *c.lock().unwrap());
    }
    for (i, a) in atomics.iter().enumerate() {
        outcome = outcome.with(format!("a{i}"), a.load(SeqCst) as i64);
    }
    for (i, v) in values.iter().enumerate() {
        outcome = outcome.with(format!("v{i}"), v.get());
    }
    outcome
}

/// Random operations.
pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize).prop_map(Op::Locked),
        (0..2usize).prop_map(Op::Load),
        (0..2usize).prop_map(Op::Store),
        (0..2usize).prop_map(Op::FetchAdd),
        (0..2usize).prop_map(Op::LockedRead),
        Just(Op::Yield),
        Just(Op::Post),
        Just(Op::Take),
        (0..2usize).prop_map(Op::Get),
        (0..2usize).prop_map(Op::Set),
        (0..2usize).prop_map(Op::AddUnderItsLock),
        Just(Op::Acquire),
        Just(Op::Release),
    ]
}

/// Three threads take two of three locks each, the last in the opposite order: a deadlock.
pub fn crossed_locks() {
    let locks = Arc::new([
        Mutex::named("lock a", ()),
        Mutex::named("lock b", ()),
        Mutex::named("lock c", ()),
    ]);
    let take = |first: usize, second: usize| {
        let locks = locks.clone();
        move || {
            let _one = locks[first].lock().unwrap();
            let _two = locks[second].lock().unwrap();
        }
    };
    let t1 = thread::spawn_named("t1", take(0, 1));
    let t2 = thread::spawn_named("t2", take(1, 2));
    take(2, 0)();
    t1.join().unwrap();
    t2.join().unwrap();
}

/// Three threads (the caller is thread 0) add one twice each to `n` by a read and a write,
/// under one lock where `locked(i)` says so.
pub fn three_adders(locked: fn(usize) -> bool) -> Outcome {
    let n = Arc::new(AtomicUsize::named("n", 0));
    let lock = Arc::new(Mutex::named("lock", ()));
    let add = |i: usize| {
        let (n, lock) = (n.clone(), lock.clone());
        move || {
            for _ in 0..2 {
                let _held = locked(i).then(|| lock.lock().unwrap());
                let seen = n.load(SeqCst);
                n.store(seen + 1, SeqCst);
            }
        }
    };
    let others: Vec<_> = (1..3)
        .map(|i| thread::spawn_named(format!("t{i}"), add(i)))
        .collect();
    add(0)();
    others.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new().with("n", n.load(SeqCst) as i64)
}
