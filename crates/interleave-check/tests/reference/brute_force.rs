//! The reference explorer: too simple to be wrong, and trusted for that alone. It interprets a
//! [`Program`] itself (no facade, no backend, no ledger) and enumerates, depth-first, every
//! interleaving of its steps, with no reduction, no caching, one thread; optionally within a
//! preemption bound counted as CHESS counts it (a switch away from a thread whose next step could
//! run; a thread that blocks or ends is not preempted).
//!
//! A step is one synchronization operation (an atomic's operation, a lock, an unlock, a wait, a
//! wake-up's retaking of the lock, a notify, a semaphore's acquire or release, the shared value's
//! get or set, a spawn, a join)
//! together with what the thread then does alone until its next one (reading and writing the
//! number it holds the lock of, its registers, its assertions): as in the facade, where a thread
//! is switched away from only just before a synchronization operation.

use super::program::{AtomicOp, Locked, Op, Program, Val, ATOMICS, MUTEXES, REGISTERS};
use std::collections::BTreeSet;

/// What every schedule of a program led to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Behaviours {
    /// The final states of the executions that ended, in [`Program::state_names`]' order.
    pub finals: BTreeSet<Vec<i64>>,
    /// Whether some execution failed an assertion.
    pub panics: bool,
    /// Whether some execution got stuck: threads left, none of which can move.
    pub stuck: bool,
    /// Executions enumerated.
    pub executions: usize,
    /// Whether the enumeration stopped at its limit of executions, before the end.
    pub cut_short: bool,
}

/// Which waiter a `notify_one` wakes: any of them (what std promises, and shuttle does), or the
/// one that waited first (loom's queue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotifyOne {
    AnyWaiter,
    FirstWaiter,
}

/// How assertions fail: a panic that ends the execution, or a count kept in the final state (so
/// that programs whose assertions fail still compare their final states).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asserts {
    Panic,
    Count,
}

/// Every execution of `program` within `bound` preemptions (`None`: every execution), or the
/// first `limit` of them.
pub fn explore(
    program: &Program,
    bound: Option<usize>,
    notify_one: NotifyOne,
    asserts: Asserts,
    limit: usize,
) -> Behaviours {
    let code: Vec<Vec<Instr>> = program.threads.iter().map(|ops| compile(ops)).collect();
    let mut threads = vec![Thread::default(); code.len()];
    threads[0].status = Status::Ready;
    let start = State {
        atomics: [0; ATOMICS],
        numbers: [0; MUTEXES],
        owner: [None; MUTEXES],
        permits: program.permits,
        shared: 0,
        threads,
        waits: 0,
        panicked: false,
    };
    let mut out = Behaviours::default();
    let explorer = Explorer {
        code,
        bound,
        notify_one,
        asserts,
        limit,
    };
    explorer.dfs(start, None, 0, &mut out);
    out
}

/// One thread's code, flattened: loops unrolled, a locked block as lock, body, unlock.
#[derive(Clone, Copy, Debug)]
enum Instr {
    Atomic(AtomicOp),
    Lock(usize),
    Unlock(usize),
    /// Done alone, holding the mutex.
    Add(usize, i64),
    Read(usize, usize),
    /// Looks at the number (alone); waits (a step) if it is below `at_least`.
    WaitBelow {
        mutex: usize,
        at_least: i64,
        looped: bool,
    },
    Notify(usize, bool),
    Acquire,
    Release,
    Get(usize),
    Set(Val),
    Spawn(usize),
    Join(usize),
    Assert(usize, i64),
}

fn compile(ops: &[Op]) -> Vec<Instr> {
    let mut code = Vec::new();
    for op in ops {
        match op {
            Op::Atomic(a) => code.push(Instr::Atomic(*a)),
            Op::Locked { mutex, body } => {
                code.push(Instr::Lock(*mutex));
                for l in body {
                    code.push(match *l {
                        Locked::Add(v) => Instr::Add(*mutex, v),
                        Locked::Read { into } => Instr::Read(*mutex, into),
                        Locked::Wait { at_least, looped } => Instr::WaitBelow {
                            mutex: *mutex,
                            at_least,
                            looped,
                        },
                        Locked::Notify { all } => Instr::Notify(*mutex, all),
                        Locked::Atomic(a) => Instr::Atomic(a),
                    });
                }
                code.push(Instr::Unlock(*mutex));
            }
            Op::Notify { mutex, all } => code.push(Instr::Notify(*mutex, *all)),
            Op::Acquire => code.push(Instr::Acquire),
            Op::Release => code.push(Instr::Release),
            Op::Get { into } => code.push(Instr::Get(*into)),
            Op::Set { value } => code.push(Instr::Set(*value)),
            Op::Spawn(c) => code.push(Instr::Spawn(*c)),
            Op::Join(c) => code.push(Instr::Join(*c)),
            Op::Repeat { times, body } => {
                for _ in 0..*times {
                    code.extend(compile(body));
                }
            }
            Op::Assert { reg, not } => code.push(Instr::Assert(*reg, *not)),
        }
    }
    code
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Status {
    #[default]
    NotStarted,
    Ready,
    /// Waiting on mutex `.0`'s condition variable since wait number `.1`.
    Waiting(usize, usize),
    /// Notified: retakes the mutex next.
    Woken(usize),
    Finished,
}

#[derive(Clone, Debug, Default)]
struct Thread {
    status: Status,
    pc: usize,
    regs: [i64; REGISTERS],
    failed: i64,
    /// Whether its first step has run (the one that does what it does alone before its first
    /// synchronization operation).
    started: bool,
}

#[derive(Clone, Debug)]
struct State {
    atomics: [i64; ATOMICS],
    numbers: [i64; MUTEXES],
    owner: [Option<usize>; MUTEXES],
    permits: i64,
    shared: i64,
    threads: Vec<Thread>,
    /// Waits so far, which orders the waiters.
    waits: usize,
    panicked: bool,
}

struct Explorer {
    code: Vec<Vec<Instr>>,
    bound: Option<usize>,
    notify_one: NotifyOne,
    asserts: Asserts,
    limit: usize,
}

impl Explorer {
    fn dfs(&self, state: State, last: Option<usize>, spent: usize, out: &mut Behaviours) {
        if out.executions >= self.limit {
            out.cut_short = true;
            return;
        }
        if state.panicked {
            out.panics = true;
            out.executions += 1;
            return;
        }
        let enabled: Vec<usize> = (0..state.threads.len())
            .filter(|&t| self.enabled(&state, t))
            .collect();
        if enabled.is_empty() {
            out.executions += 1;
            if state
                .threads
                .iter()
                .all(|t| matches!(t.status, Status::Finished | Status::NotStarted))
            {
                out.finals.insert(final_state(&state));
            } else {
                out.stuck = true;
            }
            return;
        }
        for &t in &enabled {
            let preempts = last.is_some_and(|l| l != t && enabled.contains(&l));
            let spent = spent + usize::from(preempts);
            if self.bound.is_some_and(|b| spent > b) {
                continue;
            }
            for next in self.step(&state, t) {
                self.dfs(next, Some(t), spent, out);
            }
        }
    }

    /// Whether thread `t`'s next step can run.
    fn enabled(&self, s: &State, t: usize) -> bool {
        let th = &s.threads[t];
        if th.status == Status::Ready && !th.started {
            // What it does alone comes first: a failed assertion there is a step it can take.
            let mut first = s.clone();
            first.threads[t].started = true;
            self.alone(&mut first, t);
            let th = &first.threads[t];
            return first.panicked || th.status == Status::Finished || self.enabled(&first, t);
        }
        match th.status {
            Status::NotStarted | Status::Finished | Status::Waiting(..) => false,
            Status::Woken(m) => s.owner[m].is_none(),
            Status::Ready => match self.code[t].get(th.pc) {
                Some(Instr::Lock(m)) => s.owner[*m].is_none(),
                Some(Instr::Acquire) => s.permits > 0,
                Some(Instr::Join(c)) => s.threads[*c].status == Status::Finished,
                _ => true,
            },
        }
    }

    /// The states thread `t`'s next step may lead to (more than one where a `notify_one` has
    /// several waiters to choose from).
    fn step(&self, s: &State, t: usize) -> Vec<State> {
        let mut s = s.clone();
        if !s.threads[t].started {
            s.threads[t].started = true;
            self.alone(&mut s, t);
            if s.panicked || s.threads[t].status == Status::Finished {
                return vec![s];
            }
        }
        let mut after = Vec::new();
        if let Status::Woken(m) = s.threads[t].status {
            s.owner[m] = Some(t);
            s.threads[t].status = Status::Ready;
            if let Instr::WaitBelow { looped: false, .. } = self.code[t][s.threads[t].pc] {
                s.threads[t].pc += 1;
            }
            after.push(s);
        } else {
            let instr = self.code[t][s.threads[t].pc];
            s.threads[t].pc += 1;
            match instr {
                Instr::Atomic(op) => {
                    atomic(&mut s, t, op);
                    after.push(s);
                }
                Instr::Lock(m) => {
                    s.owner[m] = Some(t);
                    after.push(s);
                }
                Instr::Unlock(m) => {
                    s.owner[m] = None;
                    after.push(s);
                }
                Instr::WaitBelow { mutex, .. } => {
                    // The look that found the number too low was done alone; this is the wait.
                    s.threads[t].pc -= 1;
                    s.owner[mutex] = None;
                    s.threads[t].status = Status::Waiting(mutex, s.waits);
                    s.waits += 1;
                    return vec![s];
                }
                Instr::Notify(m, all) => after.extend(self.notify(s, m, all)),
                Instr::Acquire => {
                    s.permits -= 1;
                    after.push(s);
                }
                Instr::Release => {
                    s.permits += 1;
                    after.push(s);
                }
                Instr::Get(into) => {
                    s.threads[t].regs[into] = s.shared;
                    after.push(s);
                }
                Instr::Set(v) => {
                    s.shared = value(&s.threads[t], v);
                    after.push(s);
                }
                Instr::Spawn(c) => {
                    s.threads[c].status = Status::Ready;
                    after.push(s);
                }
                Instr::Join(_) => after.push(s),
                Instr::Add(..) | Instr::Read(..) | Instr::Assert(..) => {
                    unreachable!("done alone, never a step of its own")
                }
            }
        }
        for s in &mut after {
            self.alone(s, t);
        }
        after
    }

    /// Every way a notify of mutex `m`'s condition variable can go.
    fn notify(&self, s: State, m: usize, all: bool) -> Vec<State> {
        let mut waiters: Vec<(usize, usize)> = s
            .threads
            .iter()
            .enumerate()
            .filter_map(|(t, th)| match th.status {
                Status::Waiting(w, since) if w == m => Some((since, t)),
                _ => None,
            })
            .collect();
        waiters.sort_unstable();
        if waiters.is_empty() {
            return vec![s];
        }
        let wake = |mut s: State, ts: &[(usize, usize)]| {
            for &(_, t) in ts {
                s.threads[t].status = Status::Woken(m);
            }
            s
        };
        if all {
            return vec![wake(s, &waiters)];
        }
        match self.notify_one {
            NotifyOne::FirstWaiter => vec![wake(s, &waiters[..1])],
            NotifyOne::AnyWaiter => waiters
                .iter()
                .map(|w| wake(s.clone(), std::slice::from_ref(w)))
                .collect(),
        }
    }

    /// What thread `t` does alone until its next synchronization operation (or its end).
    fn alone(&self, s: &mut State, t: usize) {
        loop {
            let th = &mut s.threads[t];
            let Some(&instr) = self.code[t].get(th.pc) else {
                th.status = Status::Finished;
                return;
            };
            match instr {
                Instr::Add(m, v) => s.numbers[m] += v,
                Instr::Read(m, r) => th.regs[r] = s.numbers[m],
                Instr::Assert(r, not) => {
                    if th.regs[r] == not {
                        th.failed += 1;
                        if self.asserts == Asserts::Panic {
                            s.panicked = true;
                            return;
                        }
                    }
                }
                Instr::WaitBelow {
                    mutex, at_least, ..
                } if s.numbers[mutex] >= at_least => {}
                _ => return,
            }
            s.threads[t].pc += 1;
        }
    }
}

fn value(th: &Thread, v: Val) -> i64 {
    match v {
        Val::Const(c) => c,
        Val::Reg(r) => th.regs[r],
    }
}

fn atomic(s: &mut State, t: usize, op: AtomicOp) {
    let th = &mut s.threads[t];
    match op {
        AtomicOp::Load { atomic, into } => th.regs[into] = s.atomics[atomic],
        AtomicOp::Store { atomic, value: v } => s.atomics[atomic] = value(th, v),
        AtomicOp::Swap {
            atomic,
            value: v,
            into,
        } => {
            let new = value(th, v);
            th.regs[into] = std::mem::replace(&mut s.atomics[atomic], new);
        }
        AtomicOp::CompareExchange {
            atomic,
            current,
            new,
            into,
        } => {
            let new = value(th, new);
            let found = s.atomics[atomic];
            if found == current {
                s.atomics[atomic] = new;
            }
            th.regs[into] = found;
        }
        AtomicOp::FetchAdd {
            atomic,
            value: v,
            into,
        } => {
            th.regs[into] = s.atomics[atomic];
            s.atomics[atomic] += v;
        }
    }
}

fn final_state(s: &State) -> Vec<i64> {
    let mut out: Vec<i64> = s.atomics.to_vec();
    out.extend(s.numbers);
    out.push(s.permits);
    out.push(s.shared);
    for th in &s.threads {
        out.extend(th.regs);
        out.push(th.failed);
    }
    out
}
