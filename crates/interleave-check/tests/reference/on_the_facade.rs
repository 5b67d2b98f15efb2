//! A [`Program`] run through the facade, as a user's code runs: real atomics, mutexes, condition
//! variables, a semaphore and threads of whichever backend the build has, so that every engine
//! (loom's, bounded mode, random, PCT) explores it; its final state is an [`Outcome`] whose
//! entries are [`Program::state_names`], in order.

use super::brute_force::Asserts;
use super::program::{AtomicOp, Locked, Op, Program, Val, ATOMICS, MUTEXES, REGISTERS};
use interleave_check::sync::atomic::{AtomicI64, Ordering::SeqCst};
use interleave_check::sync::thread::{self, JoinHandle};
use interleave_check::sync::{Arc, Condvar, Mutex, Semaphore, Value};
use interleave_check::Outcome;
use std::collections::HashMap;

/// What the shared objects are, for one execution.
struct World {
    program: Program,
    asserts: Asserts,
    atomics: Vec<AtomicI64>,
    mutexes: Vec<(Mutex<i64>, Condvar)>,
    semaphore: Semaphore,
    shared: Value<i64>,
}

/// What a thread leaves: its registers and failed assertions, and those of the threads it
/// joined.
type Ends = Vec<(usize, [i64; REGISTERS], i64)>;

/// Runs `program` once (thread 0 on the caller's thread) and returns its final state.
pub fn run(program: &Program, asserts: Asserts) -> Outcome {
    let world = Arc::new(World {
        program: program.clone(),
        asserts,
        atomics: (0..ATOMICS)
            .map(|a| AtomicI64::named(&format!("a{a}"), 0))
            .collect(),
        mutexes: (0..MUTEXES)
            .map(|m| {
                (
                    Mutex::named(&format!("m{m}"), 0),
                    Condvar::named(&format!("c{m}")),
                )
            })
            .collect(),
        semaphore: Semaphore::named("s", program.permits as usize),
        shared: Value::new("v", 0),
    });
    let mut ends = thread_body(&world, 0);
    ends.sort_unstable();
    let mut values: Vec<i64> = world.atomics.iter().map(|a| a.load(SeqCst)).collect();
    values.extend(world.mutexes.iter().map(|(m, _)| *m.lock().unwrap()));
    values.push(world.semaphore.available() as i64);
    values.push(world.shared.get());
    for (_, regs, failed) in ends {
        values.extend(regs);
        values.push(failed);
    }
    program
        .state_names()
        .into_iter()
        .zip(values)
        .fold(Outcome::new(), |o, (name, v)| o.with(name, v))
}

/// The final state `outcome` as the reference writes it.
pub fn state_of(program: &Program, outcome: &Outcome) -> Vec<i64> {
    program
        .state_names()
        .iter()
        .map(|n| outcome.value(n))
        .collect()
}

struct Running<'w> {
    world: &'w Arc<World>,
    me: usize,
    regs: [i64; REGISTERS],
    failed: i64,
    children: HashMap<usize, JoinHandle<Ends>>,
    ends: Ends,
}

fn thread_body(world: &Arc<World>, me: usize) -> Ends {
    let mut t = Running {
        world,
        me,
        regs: [0; REGISTERS],
        failed: 0,
        children: HashMap::new(),
        ends: Vec::new(),
    };
    let ops = world.program.threads[me].clone();
    t.ops(&ops);
    t.ends.push((me, t.regs, t.failed));
    t.ends
}

impl Running<'_> {
    fn ops(&mut self, ops: &[Op]) {
        for op in ops {
            self.op(op);
        }
    }

    fn op(&mut self, op: &Op) {
        let world = self.world;
        match op {
            Op::Atomic(a) => self.atomic(*a),
            Op::Locked { mutex, body } => {
                let (lock, changed) = &world.mutexes[*mutex];
                let mut number = lock.lock().unwrap();
                for l in body {
                    match *l {
                        Locked::Add(v) => *number += v,
                        Locked::Read { into } => self.regs[into] = *number,
                        Locked::Wait {
                            at_least,
                            looped: true,
                        } => {
                            while *number < at_least {
                                number = changed.wait(number).unwrap();
                            }
                        }
                        Locked::Wait {
                            at_least,
                            looped: false,
                        } => {
                            if *number < at_least {
                                number = changed.wait(number).unwrap();
                            }
                        }
                        Locked::Notify { all } => notify(changed, all),
                        Locked::Atomic(a) => self.atomic(a),
                    }
                }
            }
            Op::Notify { mutex, all } => notify(&world.mutexes[*mutex].1, *all),
            Op::Acquire => world.semaphore.acquire(),
            Op::Release => world.semaphore.release(),
            Op::Get { into } => self.regs[*into] = world.shared.get(),
            Op::Set { value } => world.shared.set(self.value(*value)),
            Op::Spawn(child) => {
                let (world, child) = (world.clone(), *child);
                let handle =
                    thread::spawn_named(Program::name(child), move || thread_body(&world, child));
                self.children.insert(child, handle);
            }
            Op::Join(child) => {
                let handle = self.children.remove(child).expect("spawned before joined");
                self.ends.extend(handle.join().unwrap());
            }
            Op::Repeat { times, body } => {
                for _ in 0..*times {
                    self.ops(body);
                }
            }
            Op::Assert { reg, not } => {
                if self.regs[*reg] == *not {
                    self.failed += 1;
                    if world.asserts == Asserts::Panic {
                        panic!("{}: register r{reg} holds {not}", Program::name(self.me));
                    }
                }
            }
        }
    }

    fn value(&self, v: Val) -> i64 {
        match v {
            Val::Const(c) => c,
            Val::Reg(r) => self.regs[r],
        }
    }

    fn atomic(&mut self, op: AtomicOp) {
        let atomics = &self.world.atomics;
        match op {
            AtomicOp::Load { atomic, into } => self.regs[into] = atomics[atomic].load(SeqCst),
            AtomicOp::Store { atomic, value } => atomics[atomic].store(self.value(value), SeqCst),
            AtomicOp::Swap {
                atomic,
                value,
                into,
            } => self.regs[into] = atomics[atomic].swap(self.value(value), SeqCst),
            AtomicOp::CompareExchange {
                atomic,
                current,
                new,
                into,
            } => {
                let found =
                    atomics[atomic].compare_exchange(current, self.value(new), SeqCst, SeqCst);
                self.regs[into] = found.unwrap_or_else(|actual| actual);
            }
            AtomicOp::FetchAdd {
                atomic,
                value,
                into,
            } => self.regs[into] = atomics[atomic].fetch_add(value, SeqCst),
        }
    }
}

fn notify(changed: &Condvar, all: bool) {
    if all {
        changed.notify_all();
    } else {
        changed.notify_one();
    }
}
