//! A set shared by threads, with and without the course's `LockedSet`.
//!
//! Course: 004:2927-2961 `LockedSet(set)`: `add` and `remove` each take the set's lock (the text
//! says `contains` is locked too). Each call is then safe on its own, but a client's
//! "if not s.contains(x): s.add(x)" is still two calls: two threads can both find `x` absent and
//! both add it, each believing it was first. Without any lock, the set's own insertion (write the
//! slot, then bump the length) can lose an element outright.
//!
//! The set here is a small array-backed set (slots and a length, all atomics, so every access is
//! visible to the explorers). Every call is recorded in a history, and each run's history is
//! checked for linearizability against a sequential set: key by key, since each call touches one
//! key (a set is the product of independent membership bits).

use crate::explore::linearizability::{self, History, Sequential, Spoken};
use crate::explore::{ensure_ok, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, Arc, Mutex, MutexGuard};

pub const MODEL: Model = Model {
    name: "locked-set",
    source: "004:2927-2961 LockedSet",
    about: "threads add, remove, test and add-if-absent on one shared set",
    params: &[
        Param::new("threads", "threads calling the set", [2, 3, 4]),
        Param::new("calls", "calls per thread", [2, 6, 2_000]),
        Param::new("keys", "distinct elements the calls use", [1, 3, 8]),
    ],
    variants: &[
        Variant {
            name: "unlocked",
            expected: Verdict::Invariant,
            about: "no lock at all",
            run: |p| exercise(p, Locking::None, false),
        },
        Variant {
            name: "per-call",
            expected: Verdict::Invariant,
            about: "the course's LockedSet: each call locked on its own",
            run: |p| exercise(p, Locking::PerCall, false),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "add-if-absent holds the lock across its check and its add",
            run: |p| exercise(p, Locking::Compound, false),
        },
    ],
    check: |p, outcome| {
        let calls = (p.get("threads") * p.get("calls")) as i64;
        outcome.expect_value("calls", calls, |n| format!("{n} calls recorded of {calls}"))
    },
    controls: &[Variant {
        name: "a-call-skipped",
        expected: Verdict::LostUpdate,
        about: "locked, but thread-1 skips its last call",
        run: |p| exercise(p, Locking::Compound, true),
    }],
    ..Model::DEFAULT
};

/// A call on the set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Add(usize),
    Remove(usize),
    Contains(usize),
    /// A client's `if not s.contains(x): s.add(x)`, returning whether it added.
    AddIfAbsent(usize),
}

impl Spoken for Call {
    fn spoken(&self) -> String {
        match *self {
            Call::Add(k) => format!("add({k})"),
            Call::Remove(k) => format!("remove({k})"),
            Call::Contains(k) => format!("contains({k})"),
            Call::AddIfAbsent(k) => format!("add_if_absent({k})"),
        }
    }
}

impl Call {
    fn key(self) -> usize {
        match self {
            Call::Add(k) | Call::Remove(k) | Call::Contains(k) | Call::AddIfAbsent(k) => k,
        }
    }
}

/// The sequential set: the specification. `Add` returns `true`; `Remove` whether `x` was there
/// (Python raises `KeyError` otherwise); `Contains` membership; `AddIfAbsent` whether it added.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
struct SequentialSet(std::collections::BTreeSet<usize>);

impl Sequential for SequentialSet {
    type Op = Call;
    type Ret = bool;
    fn apply(&mut self, call: &Call) -> bool {
        match *call {
            Call::Add(k) => {
                self.0.insert(k);
                true
            }
            Call::Remove(k) => self.0.remove(&k),
            Call::Contains(k) => self.0.contains(&k),
            Call::AddIfAbsent(k) => self.0.insert(k),
        }
    }
}

#[derive(Clone, Copy)]
enum Locking {
    None,
    PerCall,
    Compound,
}

/// An array-backed set: `len` filled slots, each holding an element.
struct Slots {
    slots: Vec<AtomicUsize>,
    len: AtomicUsize,
}

impl Slots {
    fn position(&self, x: usize) -> Option<usize> {
        (0..self.len.load(Ordering::SeqCst)).find(|&i| self.slots[i].load(Ordering::SeqCst) == x)
    }

    fn contains(&self, x: usize) -> bool {
        self.position(x).is_some()
    }

    /// Adds `x` unless present: writes the next free slot, then bumps the length.
    fn add(&self, x: usize) -> bool {
        if !self.contains(x) {
            let n = self.len.load(Ordering::SeqCst);
            self.slots[n].store(x, Ordering::SeqCst);
            self.len.store(n + 1, Ordering::SeqCst);
        }
        true
    }

    /// Removes `x` if present: moves the last element into its slot, then shortens the array.
    fn remove(&self, x: usize) -> bool {
        let Some(i) = self.position(x) else {
            return false;
        };
        // Unlocked, another remove may have emptied the array since the search: x is gone.
        let Some(last) = self.len.load(Ordering::SeqCst).checked_sub(1) else {
            return false;
        };
        self.slots[i].store(self.slots[last].load(Ordering::SeqCst), Ordering::SeqCst);
        self.len.store(last, Ordering::SeqCst);
        true
    }
}

/// The shared set: its slots, and the lock of the locking variants.
struct SharedSet {
    slots: Slots,
    lock: Mutex<()>,
    locking: Locking,
}

impl SharedSet {
    fn locked(&self) -> Option<MutexGuard<'_, ()>> {
        match self.locking {
            Locking::None => None,
            Locking::PerCall | Locking::Compound => Some(self.lock.lock().unwrap()),
        }
    }

    fn call(&self, call: Call) -> bool {
        match call {
            Call::Add(x) => {
                let _held = self.locked();
                self.slots.add(x)
            }
            Call::Remove(x) => {
                let _held = self.locked();
                self.slots.remove(x)
            }
            Call::Contains(x) => {
                let _held = self.locked();
                self.slots.contains(x)
            }
            Call::AddIfAbsent(x) => match self.locking {
                Locking::Compound => {
                    let _held = self.locked();
                    !self.slots.contains(x) && self.slots.add(x)
                }
                Locking::None | Locking::PerCall => {
                    !self.call(Call::Contains(x)) && self.call(Call::Add(x))
                }
            },
        }
    }
}

/// Thread `t`'s `i`-th call: every thread starts with add-if-absent of the same element (the
/// check-then-act race), then a fixed pseudo-random mix.
fn script(t: usize, i: usize, keys: usize) -> Call {
    if i == 0 {
        return Call::AddIfAbsent(0);
    }
    let z = (t * 31 + i * 17 + (t * i) % 7) % 4;
    let key = (t * 5 + i * 3) % keys;
    match z {
        0 => Call::Add(key),
        1 => Call::Remove(key),
        2 => Call::Contains(key),
        _ => Call::AddIfAbsent(key),
    }
}

/// `skip`: the control, whose first thread skips its last call.
fn exercise(p: &Params, locking: Locking, skip: bool) -> Outcome {
    let (threads, calls, keys) = (p.get("threads"), p.get("calls"), p.get("keys"));
    let set = Arc::new(SharedSet {
        slots: Slots {
            // Even a racy add writes within the slots: at most one slot per add call.
            slots: (0..threads * calls + 1)
                .map(|i| AtomicUsize::named(&format!("slot {i}"), usize::MAX))
                .collect(),
            len: AtomicUsize::named("length", 0),
        },
        lock: Mutex::named("the set's lock", ()),
        locking,
    });
    let history = Arc::new(History::new());
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (set, history) = (Arc::clone(&set), Arc::clone(&history));
            thread::spawn_named(format!("thread-{}", t + 1), move || {
                let me = thread::current_name();
                for i in 0..calls - usize::from(skip && t == 0) {
                    let call = script(t, i, keys);
                    history.record(&me, call, || set.call(call));
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|t| t.join().unwrap());
    // The final contents, read once everyone is done.
    for key in 0..keys {
        history.record("main", Call::Contains(key), || {
            set.call(Call::Contains(key))
        });
    }
    let recorded = history.calls();
    for key in 0..keys {
        let of_key: Vec<_> = recorded
            .iter()
            .filter(|c| c.op.key() == key)
            .cloned()
            .collect();
        ensure_ok(
            linearizability::check(&SequentialSet::default(), &of_key)
                .map_err(|why| format!("element {key}: {why}")),
            "every history is linearizable",
        );
    }
    // The threads' calls, without the main thread's final look at each key.
    Outcome::new().with("calls", (recorded.len() - keys) as i64)
}
