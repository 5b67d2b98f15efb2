//! The differential tests' programs: a small language of threads over two atomics, two mutexes
//! (each guarding a number, with a condition variable), a semaphore, a shared value (the
//! facade's `Value`, whose get and set are operations of its own), spawn and join, loops that
//! terminate and assertions on what was read; and a proptest generator of random programs.
//!
//! A program is data, so that the same program can be run through the facade by every engine
//! (`on_the_facade.rs`) and enumerated by the brute-force reference (`brute_force.rs`).

use proptest::prelude::*;

/// How many atomics, mutexes (each with its number and its condition variable) and registers
/// per thread a program has.
pub const ATOMICS: usize = 2;
pub const MUTEXES: usize = 2;
pub const REGISTERS: usize = 2;

/// A value an operation writes: a constant, or what one of the thread's registers holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Val {
    Const(i64),
    Reg(usize),
}

/// An operation on an atomic, sequentially consistent; the value it read goes to a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicOp {
    Load {
        atomic: usize,
        into: usize,
    },
    Store {
        atomic: usize,
        value: Val,
    },
    Swap {
        atomic: usize,
        value: Val,
        into: usize,
    },
    /// `compare_exchange(current, new)`: the value it found goes to the register, whether or not
    /// it was `current`.
    CompareExchange {
        atomic: usize,
        current: i64,
        new: Val,
        into: usize,
    },
    FetchAdd {
        atomic: usize,
        value: i64,
        into: usize,
    },
}

/// What a thread does holding a mutex, to the number it guards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locked {
    Add(i64),
    Read {
        into: usize,
    },
    /// Waits on the mutex's condition variable until the number is at least `at_least`: in a
    /// `while` loop, or (the classic mistake) looking once with an `if`.
    Wait {
        at_least: i64,
        looped: bool,
    },
    Notify {
        all: bool,
    },
    Atomic(AtomicOp),
}

/// One operation of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Atomic(AtomicOp),
    /// Takes the mutex, does `body`, lets go.
    Locked {
        mutex: usize,
        body: Vec<Locked>,
    },
    /// Notifies the mutex's condition variable without holding the mutex.
    Notify {
        mutex: usize,
        all: bool,
    },
    Acquire,
    Release,
    /// Reads the shared value into a register.
    Get {
        into: usize,
    },
    /// Writes the shared value.
    Set {
        value: Val,
    },
    /// Starts thread number `child` (always a higher number than the spawner's).
    Spawn(usize),
    Join(usize),
    Repeat {
        times: usize,
        body: Vec<Op>,
    },
    /// `assert_ne!(register, value)`.
    Assert {
        reg: usize,
        not: i64,
    },
}

/// A program: thread 0 runs first and spawns others, which may spawn others; every thread joins
/// the ones it spawned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub threads: Vec<Vec<Op>>,
    /// Permits the semaphore starts with.
    pub permits: i64,
}

impl Program {
    /// Thread `i`'s name in reports and final states.
    pub fn name(i: usize) -> String {
        format!("t{i}")
    }

    /// The names of the final state's entries, in the order both runners give them.
    pub fn state_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..ATOMICS).map(|a| format!("a{a}")).collect();
        names.extend((0..MUTEXES).map(|m| format!("m{m}")));
        names.push("permits".into());
        names.push("v".into());
        for t in 0..self.threads.len() {
            names.extend((0..REGISTERS).map(|r| format!("t{t}.r{r}")));
            names.push(format!("t{t} asserts failed"));
        }
        names
    }
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![3 => (0..3i64).prop_map(Val::Const), 1 => (0..REGISTERS).prop_map(Val::Reg)]
}

fn atomic_op() -> impl Strategy<Value = AtomicOp> {
    let a = 0..ATOMICS;
    let r = 0..REGISTERS;
    prop_oneof![
        (a.clone(), r.clone()).prop_map(|(atomic, into)| AtomicOp::Load { atomic, into }),
        (a.clone(), val()).prop_map(|(atomic, value)| AtomicOp::Store { atomic, value }),
        (a.clone(), val(), r.clone()).prop_map(|(atomic, value, into)| AtomicOp::Swap {
            atomic,
            value,
            into
        }),
        (a.clone(), 0..3i64, val(), r.clone()).prop_map(|(atomic, current, new, into)| {
            AtomicOp::CompareExchange {
                atomic,
                current,
                new,
                into,
            }
        }),
        (a, 1..3i64, r).prop_map(|(atomic, value, into)| AtomicOp::FetchAdd {
            atomic,
            value,
            into
        }),
    ]
}

fn locked() -> impl Strategy<Value = Locked> {
    prop_oneof![
        2 => (1..3i64).prop_map(Locked::Add),
        1 => (0..REGISTERS).prop_map(|into| Locked::Read { into }),
        1 => (1..3i64, any::<bool>()).prop_map(|(at_least, looped)| Locked::Wait { at_least, looped }),
        2 => any::<bool>().prop_map(|all| Locked::Notify { all }),
        1 => atomic_op().prop_map(Locked::Atomic),
    ]
}

/// One operation that neither spawns nor joins.
fn plain_op() -> impl Strategy<Value = Op> {
    let leaf = prop_oneof![
        4 => atomic_op().prop_map(Op::Atomic),
        3 => (0..MUTEXES, prop::collection::vec(locked(), 1..3))
            .prop_map(|(mutex, body)| Op::Locked { mutex, body }),
        1 => (0..MUTEXES, any::<bool>()).prop_map(|(mutex, all)| Op::Notify { mutex, all }),
        1 => Just(Op::Acquire),
        1 => Just(Op::Release),
        1 => (0..REGISTERS).prop_map(|into| Op::Get { into }),
        1 => val().prop_map(|value| Op::Set { value }),
        1 => (0..REGISTERS, 0..3i64).prop_map(|(reg, not)| Op::Assert { reg, not }),
    ];
    leaf.prop_recursive(1, 4, 2, |inner| {
        (2..3usize, prop::collection::vec(inner, 1..3))
            .prop_map(|(times, body)| Op::Repeat { times, body })
    })
}

/// Random programs of 2 to `max_threads` threads, each of a few operations (`max_ops` at most
/// besides its spawns and joins): thread 0 spawns the others, except that with four threads
/// the last may be spawned by thread 1.
pub fn program(max_threads: usize, max_ops: usize) -> impl Strategy<Value = Program> {
    (2..=max_threads, any::<bool>(), 0..2i64).prop_flat_map(move |(n, nested, permits)| {
        let bodies = prop::collection::vec(
            (
                prop::collection::vec(plain_op(), 0..=max_ops),
                0..=max_ops,
                0..=max_ops,
            ),
            n,
        );
        bodies.prop_map(move |bodies| {
            let parent = |child: usize| if nested && n == 4 && child == 3 { 1 } else { 0 };
            let threads = bodies
                .iter()
                .enumerate()
                .map(|(me, (ops, spawn_at, join_at))| {
                    let children: Vec<usize> = (1..n).filter(|&c| parent(c) == me).collect();
                    let spawn_at = (*spawn_at).min(ops.len());
                    let join_at = (*join_at).clamp(spawn_at, ops.len());
                    let mut all = ops[..spawn_at].to_vec();
                    all.extend(children.iter().map(|&c| Op::Spawn(c)));
                    all.extend_from_slice(&ops[spawn_at..join_at]);
                    all.extend(children.iter().map(|&c| Op::Join(c)));
                    all.extend_from_slice(&ops[join_at..]);
                    all
                })
                .collect();
            Program { threads, permits }
        })
    })
}
