//! Linearizability: does a concurrent history of calls on a shared object look as if each call
//! took effect at one instant between its invocation and its response, in an order a sequential
//! object would accept? Wing and Gong's search, with Lowe's memo of the (calls done, state) pairs
//! already found to be dead ends.
//!
//! Models record their calls in a [`History`], stamped by a clock that is an atomic of the
//! current backend, ticked with read-modify-writes. That is deliberate: under loom's weak memory
//! model, "this call returned before that one was invoked" means nothing unless it also means
//! "happens before" (otherwise a later call may still read stale values, and a correct object
//! would look non-linearizable). Each tick reads the latest tick and synchronizes with it, so the
//! clock's order is a happens-before order, as real time is on real threads. It costs two
//! schedule points per call.

use crate::sync::atomic::{AtomicUsize, Ordering};
use std::collections::HashSet;
use std::fmt::{self, Debug};
use std::hash::Hash;
use std::sync::Mutex;

/// How a call or the value it returned reads in a report, in the course's (Python's) words:
/// `pop() -> 3`, `append(7) -> None`, `contains(1) -> True`.
pub trait Spoken {
    fn spoken(&self) -> String;
}

impl Spoken for bool {
    fn spoken(&self) -> String {
        if *self { "True" } else { "False" }.to_string()
    }
}

/// A value, or Python's `None`.
impl Spoken for Option<i64> {
    fn spoken(&self) -> String {
        self.map_or_else(|| "None".to_string(), |v| v.to_string())
    }
}

/// The sequential specification an object's concurrent history is checked against.
pub trait Sequential: Clone + Eq + Hash {
    type Op: Clone + Debug + Spoken;
    type Ret: Clone + Eq + Debug + Spoken;
    /// Applies `op` to the state and returns what the call should have returned.
    fn apply(&mut self, op: &Self::Op) -> Self::Ret;
}

/// One call, from invocation to response.
#[derive(Clone, Debug)]
pub struct Call<Op, Ret> {
    pub thread: String,
    pub op: Op,
    pub ret: Ret,
    pub invoked: usize,
    pub returned: usize,
}

impl<Op: Spoken, Ret: Spoken> fmt::Display for Call<Op, Ret> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{:>3}..{:<3}] {}: {} -> {}",
            self.invoked,
            self.returned,
            self.thread,
            self.op.spoken(),
            self.ret.spoken()
        )
    }
}

/// The calls made on one object during one run. (The list itself is a ghost, a std mutex the
/// explorers do not see.)
pub struct History<Op, Ret> {
    clock: AtomicUsize,
    calls: Mutex<Vec<Call<Op, Ret>>>,
}

impl<Op: Clone + Debug, Ret: Clone + Debug> History<Op, Ret> {
    pub fn new() -> Self {
        History {
            clock: AtomicUsize::named("clock", 0),
            calls: Mutex::new(Vec::new()),
        }
    }

    /// Runs `call`, the operation `op` made by `thread`, and records it with its return value.
    pub fn record(&self, thread: &str, op: Op, call: impl FnOnce() -> Ret) -> Ret {
        let invoked = self.clock.fetch_add(1, Ordering::SeqCst);
        let ret = call();
        let returned = self.clock.fetch_add(1, Ordering::SeqCst);
        self.calls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Call {
                thread: thread.to_string(),
                op,
                ret: ret.clone(),
                invoked,
                returned,
            });
        ret
    }

    /// Every call recorded, in order of invocation.
    pub fn calls(&self) -> Vec<Call<Op, Ret>> {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner()).clone();
        calls.sort_by_key(|c| c.invoked);
        calls
    }
}

impl<Op: Clone + Debug, Ret: Clone + Debug> Default for History<Op, Ret> {
    fn default() -> Self {
        Self::new()
    }
}

/// Checks that `calls`, made on an object that started as `initial`, are linearizable.
///
/// # Errors
/// A description of the history and of the longest prefix that could be linearized.
pub fn check<S: Sequential>(initial: &S, calls: &[Call<S::Op, S::Ret>]) -> Result<(), String> {
    let mut search = Search {
        calls,
        done: vec![false; calls.len()],
        order: Vec::new(),
        longest: Vec::new(),
        dead_ends: HashSet::new(),
    };
    if search.extend(initial.clone()) {
        return Ok(());
    }
    let mut text = String::from("the history is not linearizable:\n");
    for c in calls {
        text += &format!("    {c}\n");
    }
    text += "  the longest sequential order that explains a prefix of it:\n";
    for &i in &search.longest {
        text += &format!(
            "    {} -> {}\n",
            calls[i].op.spoken(),
            calls[i].ret.spoken()
        );
    }
    text += "  and no call can come next with the value it returned";
    Err(text)
}

struct Search<'a, S: Sequential> {
    calls: &'a [Call<S::Op, S::Ret>],
    done: Vec<bool>,
    order: Vec<usize>,
    longest: Vec<usize>,
    dead_ends: HashSet<(Vec<bool>, S)>,
}

impl<S: Sequential> Search<'_, S> {
    /// Linearizes the remaining calls from `state`, depth first.
    fn extend(&mut self, state: S) -> bool {
        if self.order.len() == self.calls.len() {
            return true;
        }
        if self.order.len() > self.longest.len() {
            self.longest = self.order.clone();
        }
        if !self.dead_ends.insert((self.done.clone(), state.clone())) {
            return false;
        }
        // A call may go next only if no pending call returned before it was invoked.
        let first_return = (0..self.calls.len())
            .filter(|&i| !self.done[i])
            .map(|i| self.calls[i].returned)
            .min()
            .unwrap_or(usize::MAX);
        for i in 0..self.calls.len() {
            if self.done[i] || self.calls[i].invoked > first_return {
                continue;
            }
            let mut next = state.clone();
            if next.apply(&self.calls[i].op) != self.calls[i].ret {
                continue;
            }
            self.done[i] = true;
            self.order.push(i);
            if self.extend(next) {
                return true;
            }
            self.order.pop();
            self.done[i] = false;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A register holding one integer.
    #[derive(Clone, PartialEq, Eq, Hash)]
    struct Register(i64);

    #[derive(Clone, Debug)]
    enum Op {
        Write(i64),
        Read,
    }

    impl Spoken for Op {
        fn spoken(&self) -> String {
            match self {
                Op::Write(v) => format!("write({v})"),
                Op::Read => "read()".to_string(),
            }
        }
    }

    impl Sequential for Register {
        type Op = Op;
        type Ret = Option<i64>;
        fn apply(&mut self, op: &Op) -> Option<i64> {
            match op {
                Op::Write(v) => {
                    self.0 = *v;
                    None
                }
                Op::Read => Some(self.0),
            }
        }
    }

    fn call(op: Op, ret: Option<i64>, invoked: usize, returned: usize) -> Call<Op, Option<i64>> {
        Call {
            thread: "t".into(),
            op,
            ret,
            invoked,
            returned,
        }
    }

    #[test]
    fn overlapping_calls_may_take_effect_in_either_order() {
        let h = [
            call(Op::Write(1), None, 0, 3),
            call(Op::Read, Some(1), 1, 2),
        ];
        assert!(check(&Register(0), &h).is_ok());
        let h = [
            call(Op::Write(1), None, 0, 3),
            call(Op::Read, Some(0), 1, 2),
        ];
        assert!(check(&Register(0), &h).is_ok());
    }

    #[test]
    fn a_read_after_a_write_returned_must_see_it() {
        let h = [
            call(Op::Write(1), None, 0, 1),
            call(Op::Read, Some(0), 2, 3),
        ];
        let err = check(&Register(0), &h).unwrap_err();
        assert!(err.contains("not linearizable"), "{err}");
    }

    #[test]
    fn a_value_never_written_cannot_be_read() {
        let h = [
            call(Op::Write(1), None, 0, 3),
            call(Op::Read, Some(2), 1, 2),
        ];
        assert!(check(&Register(0), &h).is_err());
    }
}
