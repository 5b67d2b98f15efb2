//! A double-ended queue shared by several threads, each call checked for linearizability.
//!
//! Course: 004:3288-3480 — `collections.deque('123456')`, `append`, `appendleft`, `pop`,
//! `popleft`, `insert`, `rotate`. CPython's deque methods are atomic (each runs under the GIL),
//! which is what makes a deque usable between threads; the model's deque is a `VecDeque` whose
//! every method holds the deque's lock for the whole call, the same guarantee. Threads run a fixed
//! mix of calls; the model records each call with its result, then checks that the history is
//! linearizable against a sequential deque ([`SequentialDeque`]), with the checker the
//! locked-set model uses. The tests add a control whose `rotate` is two calls (pop, then
//! appendleft), which the checker must reject.
//!
//! Checked: every concurrent history is linearizable; nothing is lost (the final contents hold
//! every item appended and not popped).

use crate::explore::linearizability::{self, History, Sequential, Spoken};
use crate::explore::{ensure, ensure_ok, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Mutex};
use std::collections::VecDeque;

pub const MODEL: Model = Model {
    name: "deque",
    source: "004:3288-3480 collections.deque",
    about: "threads call append/appendleft/pop/popleft/insert/rotate on one deque; linearizable",
    params: &[
        Param::new("threads", "threads calling the deque", [2, 3, 4]),
        Param::new(
            "calls",
            "calls per thread (histories grow as threads x calls)",
            [2, 4, 6],
        )
        .at_most(12),
        Param::new(
            "rounds",
            "fresh deques, each with its own history checked",
            [1, 1, 2_000],
        ),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "every deque method is atomic (CPython's, under the GIL; here, the deque's lock)",
        run: |p| exercise(p, Mutant::None),
    }],
    check: |p, outcome| {
        let calls = (p.get("threads") * p.get("calls")) as i64;
        outcome.expect_value("calls", calls, |n| format!("{n} calls recorded of {calls}"))
    },
    controls: &[
        Variant {
            name: "pop-from-the-left",
            expected: Verdict::Invariant,
            about: "pop takes the first item, not the last: nothing lost, but not a deque",
            run: |p| exercise(p, Mutant::PopFromTheLeft),
        },
        Variant {
            name: "an-item-vanishes",
            expected: Verdict::Invariant,
            about: "once the threads are done, an item leaves the deque with no call",
            run: |p| exercise(p, Mutant::ItemVanishes),
        },
        Variant {
            name: "a-call-skipped",
            expected: Verdict::LostUpdate,
            about: "the first thread skips its last call",
            run: |p| exercise(p, Mutant::CallSkipped),
        },
    ],
    ..Model::DEFAULT
};

/// A call on the deque.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Append(i64),
    AppendLeft(i64),
    Pop,
    PopLeft,
    Insert(usize, i64),
    Rotate(i64),
}

impl Spoken for Op {
    fn spoken(&self) -> String {
        match *self {
            Op::Append(x) => format!("append({x})"),
            Op::AppendLeft(x) => format!("appendleft({x})"),
            Op::Pop => "pop()".to_string(),
            Op::PopLeft => "popleft()".to_string(),
            Op::Insert(i, x) => format!("insert({i}, {x})"),
            Op::Rotate(n) => format!("rotate({n})"),
        }
    }
}

/// What a call returns: the item popped (`None` from an empty deque, where Python raises
/// `IndexError`), or nothing.
pub type Ret = Option<i64>;

/// The specification: a deque used by one thread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SequentialDeque(pub VecDeque<i64>);

impl SequentialDeque {
    /// The deque after `op`, and what the call returns.
    pub fn call(deque: &mut VecDeque<i64>, op: Op) -> Ret {
        match op {
            Op::Append(x) => deque.push_back(x),
            Op::AppendLeft(x) => deque.push_front(x),
            Op::Pop => return deque.pop_back(),
            Op::PopLeft => return deque.pop_front(),
            Op::Insert(i, x) => deque.insert(i.min(deque.len()), x),
            Op::Rotate(n) if !deque.is_empty() => {
                let k = n.rem_euclid(deque.len() as i64) as usize;
                deque.rotate_right(k);
            }
            Op::Rotate(_) => {}
        }
        None
    }
}

impl Sequential for SequentialDeque {
    type Op = Op;
    type Ret = Ret;
    fn apply(&mut self, op: &Op) -> Ret {
        SequentialDeque::call(&mut self.0, *op)
    }
}

/// Thread `t`'s `i`-th call: a fixed mix of every method, with distinct values.
pub fn script(t: usize, i: usize) -> Op {
    let value = (t * 100 + i) as i64 + 10;
    match (t * 3 + i * 5 + t * i) % 6 {
        0 => Op::Append(value),
        1 => Op::PopLeft,
        2 => Op::AppendLeft(value),
        3 => Op::Pop,
        4 => Op::Rotate(1 + (t as i64 % 2)),
        _ => Op::Insert(1, value),
    }
}

/// The deque the course starts from: `deque('123456')`.
pub fn initial() -> VecDeque<i64> {
    (1..=6).collect()
}

/// The controls' changes to the exercise.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    PopFromTheLeft,
    ItemVanishes,
    CallSkipped,
}

/// `op` on the deque, under its lock (the control's `pop` takes from the wrong end).
fn call(deque: &Mutex<VecDeque<i64>>, op: Op, mutant: Mutant) -> Ret {
    match op {
        Op::Pop if mutant == Mutant::PopFromTheLeft => deque.lock().unwrap().pop_front(),
        _ => SequentialDeque::call(&mut deque.lock().unwrap(), op),
    }
}

fn exercise(p: &Params, mutant: Mutant) -> Outcome {
    let (threads, calls) = (p.get("threads"), p.get("calls"));
    let mut recorded = 0;
    for _ in 0..p.get("rounds") {
        let deque = Arc::new(Mutex::named("the deque", initial()));
        let history = Arc::new(History::new());
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (deque, history) = (Arc::clone(&deque), Arc::clone(&history));
                thread::spawn_named(format!("thread-{}", t + 1), move || {
                    let me = thread::current_name();
                    let skipped = usize::from(mutant == Mutant::CallSkipped && t == 0);
                    for i in 0..calls - skipped {
                        let op = script(t, i);
                        history.record(&me, op, || call(&deque, op, mutant));
                    }
                })
            })
            .collect();
        workers.into_iter().for_each(|t| t.join().unwrap());
        let history = history.calls();
        ensure_ok(
            linearizability::check(&SequentialDeque(initial()), &history),
            "every history is linearizable",
        );
        if mutant == Mutant::ItemVanishes {
            deque.lock().unwrap().pop_front();
        }
        // Nothing lost: every item appended or there at the start is popped or still there.
        let mut items: Vec<i64> = initial().into_iter().collect();
        items.extend(history.iter().filter_map(|c| match c.op {
            Op::Append(x) | Op::AppendLeft(x) | Op::Insert(_, x) => Some(x),
            _ => None,
        }));
        let mut accounted: Vec<i64> = deque.lock().unwrap().iter().copied().collect();
        accounted.extend(history.iter().filter_map(|c| c.ret));
        items.sort_unstable();
        accounted.sort_unstable();
        ensure(items == accounted, "nothing is lost", || {
            format!("put {items:?}, popped or left {accounted:?}")
        });
        recorded = history.len();
    }
    Outcome::new().with("calls", recorded as i64)
}
