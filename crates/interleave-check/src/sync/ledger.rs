//! The primitives' own record of who holds what and who waits for what.
//!
//! loom and shuttle both say "deadlock" whenever every live thread is blocked. The course
//! distinguishes a *deadlock* (a cycle: each thread waits for a resource the next one holds) from
//! a *hang* (a thread waits for something no live thread will ever provide). Telling them apart
//! needs to know, at the moment the run got stuck, which thread holds which lock and which one
//! waits for what; the facade's primitives write that here, and the explorer reads a
//! [`Snapshot`] of it when a run fails.
//!
//! The ledger exists only in the explored builds (`--cfg loom`, `--cfg shuttle`): both run every
//! model thread on one OS thread, one execution at a time, so a plain thread-local is exact and
//! adds no schedule point. In the std build every call here compiles to nothing, so real runs
//! pay nothing for it.

use std::fmt;

/// Identifies one primitive (a lock, a semaphore, a thread to join) within one execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub(crate) usize);

/// What kind of thing a thread waits on; it decides what the wait-for edge points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    /// Held by at most one thread; a waiter waits for the holder. Any thread may free it
    /// (Python's `Lock`), so a cycle of these may still untie.
    Lock,
    /// Owned: only the thread holding it can free it (`Mutex`, `RLock`). A cycle of waits on
    /// these can never untie, so it is reported the moment it closes, while other threads run.
    Mutex,
    /// Counted permits; a waiter waits for the threads holding permits, and for the threads
    /// blocked on a lock or another semaphore that might release one once they get through.
    Semaphore,
    /// A condition variable; a waiter waits for a notification nobody owns.
    Condition,
    /// A thread being joined; a joiner waits for that thread to finish.
    Thread,
    /// Shared data nobody waits on (an atomic, a queue's contents): named only for the trace.
    Data,
    /// An `UnsafeCell`: data read and written with no synchronisation of its own.
    Cell,
}

/// What an atomic operation did to its atomic, for the happens-before order it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtomicAccess {
    Load,
    Store,
    /// A read-modify-write that wrote (a swap, a fetch-op, a compare-exchange that succeeded).
    ReadModifyWrite,
}

mod data_race;
pub use data_race::{DataRace, RacingAccess};

/// Panic payload raised by a thread whose wait can never end: it closes a cycle of owned locks
/// (the threads in it are blocked for good whatever the others do), or no other thread is left
/// that could wake it. The execution stops there.
#[derive(Clone, Copy, Debug)]
pub struct PermanentCycle;

/// One step of an execution that touched shared state, as the trace shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// Index into [`Trace::threads`].
    pub thread: usize,
    /// What the thread did, with what it read, wrote or left behind.
    #[serde(flatten)]
    pub action: Action,
    /// The lock, semaphore, queue, variable or thread it did it to.
    pub object: String,
}

impl Step {
    /// What the thread did: lock, unlock, wait, woke, notify, acquire, release, put, get, load,
    /// store, spawn, join, finish…
    pub fn verb(&self) -> &'static str {
        self.action.verb()
    }

    /// The number or value the step carries, as text, where it carries one.
    pub fn value(&self) -> Option<String> {
        self.action.value()
    }
}

/// What one step did, typed: which number a step carries (permits left, a lock's depth, items in
/// a queue) is said by the primitive that records it, never guessed from its verb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// An operation with nothing more to say: lock, unlock, wait, woke, notify, spawn, join,
    /// finish, set, send…
    Plain(&'static str),
    /// A value read or written: load, store, swap, fetch_add, read, is_set, poll, size…
    Value { verb: &'static str, value: String },
    /// A permit taken or given back: `free` permits left after it.
    Permits { verb: &'static str, free: usize },
    /// A reentrant lock entered or left by its owner: how deep the owner holds it after it.
    Depth { verb: &'static str, depth: usize },
    /// An item put into or taken from a queue: `len` items in it after it.
    Items { verb: &'static str, len: usize },
    /// An arrival at a barrier: `arrived` there with this one.
    Arrived { arrived: usize },
    /// A load that read `value` where the last write in the trace's order wrote `latest`: an
    /// older value, which weak memory allows (loom models it; `Relaxed`, `Acquire`).
    OlderValue { value: String, latest: String },
    /// A waiter woken with no notify since its wait (loom wakes waiters spuriously, as std
    /// allows).
    Spurious,
}

impl Action {
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Plain(verb)
            | Action::Value { verb, .. }
            | Action::Permits { verb, .. }
            | Action::Depth { verb, .. }
            | Action::Items { verb, .. } => verb,
            Action::Arrived { .. } => "arrive",
            Action::OlderValue { .. } => "load",
            Action::Spurious => "woke",
        }
    }

    /// Whether the step only looked at its object, changing nothing (a load, a read, a size, a
    /// join of a thread that has ended).
    pub fn only_looks(&self) -> bool {
        matches!(
            self.verb(),
            "load" | "read" | "is_set" | "size" | "poll" | "look at" | "join"
        )
    }

    pub fn value(&self) -> Option<String> {
        match self {
            Action::Plain(_) | Action::Spurious => None,
            Action::Value { value, .. } | Action::OlderValue { value, .. } => Some(value.clone()),
            Action::Permits { free: n, .. }
            | Action::Depth { depth: n, .. }
            | Action::Items { len: n, .. }
            | Action::Arrived { arrived: n } => Some(n.to_string()),
        }
    }
}

/// For tools: `{"verb": "acquire", "value": "2"}`, as the text's step reads.
impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let value = self.value();
        let mut map = serializer.serialize_map(Some(1 + usize::from(value.is_some())))?;
        map.serialize_entry("verb", self.verb())?;
        if let Some(value) = value {
            map.serialize_entry("value", &value)?;
        }
        map.end()
    }
}

/// Every step of one execution, in the order it happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Trace {
    /// The threads, in the order they first appeared (a thread that played another part, as the
    /// caller playing the fifth philosopher, has one entry per name).
    pub threads: Vec<String>,
    pub steps: Vec<Step>,
}

/// One thread as a failure report shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ThreadView {
    pub name: String,
    pub finished: bool,
    /// Names of the resources this thread holds (locks, semaphore permits).
    pub holds: Vec<String>,
    /// The resource this thread is blocked on, if any, and who holds it.
    pub waits_for: Option<Wait>,
}

/// A blocked thread's wait.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Wait {
    pub resource: String,
    pub kind: ResourceKind,
    pub held_by: Vec<String>,
}

/// The state of every thread of an execution at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Snapshot {
    pub threads: Vec<ThreadView>,
    /// A cycle in the wait-for graph, as thread names in order, if there is one.
    pub cycle: Option<Vec<String>>,
    /// The steps that led here.
    pub trace: Trace,
    /// The data race that stopped the run, if one did: its two accesses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub race: Option<DataRace>,
}

impl Snapshot {
    /// Threads that are neither finished nor running: the ones a hang or deadlock leaves behind.
    pub fn blocked(&self) -> impl Iterator<Item = &ThreadView> {
        self.threads.iter().filter(|t| t.waits_for.is_some())
    }

    /// Threads neither finished nor blocked: the ones a livelock leaves spinning.
    pub fn running(&self) -> impl Iterator<Item = &ThreadView> {
        self.threads
            .iter()
            .filter(|t| !t.finished && t.waits_for.is_none())
    }
}

impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .threads
            .iter()
            .map(|t| t.name.chars().count())
            .max()
            .unwrap_or(0);
        for t in &self.threads {
            write!(f, "  {:<width$}", t.name)?;
            if t.finished {
                write!(f, " finished")?;
            } else if let Some(w) = &t.waits_for {
                match w.kind {
                    ResourceKind::Thread => write!(f, " waits for {} to finish", w.resource)?,
                    ResourceKind::Semaphore if !w.held_by.is_empty() => write!(
                        f,
                        " waits for {} (which {} may release)",
                        w.resource,
                        w.held_by.join(" or ")
                    )?,
                    _ if w.held_by.is_empty() => write!(f, " waits for {}", w.resource)?,
                    _ => write!(
                        f,
                        " waits for {} (held by {})",
                        w.resource,
                        w.held_by.join(", ")
                    )?,
                }
            } else {
                write!(f, " running")?;
            }
            if !t.holds.is_empty() {
                write!(f, "; holds {}", t.holds.join(", "))?;
            }
            writeln!(f)?;
        }
        if let Some(cycle) = &self.cycle {
            let mut ring = cycle.clone();
            ring.push(cycle[0].clone());
            writeln!(f, "  cycle: {}", ring.join(" -> "))?;
        }
        Ok(())
    }
}

/// A place in the source as a reader finds it: `models/counter.rs:101` (the crate compiles the
/// models from `src/../models/`).
pub fn place(at: &std::panic::Location<'_>) -> String {
    format!(
        "{}:{}",
        at.file().trim_start_matches("src/../").replace('\\', "/"),
        at.line()
    )
}

#[cfg(any(interleave_loom, interleave_shuttle))]
pub(crate) use recorded::*;

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub(crate) use unrecorded::*;

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
mod unrecorded {
    //! Real runs record nothing: these are the ledger's calls with empty bodies.
    use super::{ResourceId, ResourceKind, Snapshot};

    #[inline(always)]
    #[track_caller]
    pub fn new_resource(_kind: ResourceKind, _name: Option<&str>) -> ResourceId {
        ResourceId(0)
    }
    #[inline(always)]
    pub fn waiting(_res: ResourceId) {}
    #[inline(always)]
    pub fn acquired(_res: ResourceId) {}
    #[inline(always)]
    pub fn released(_res: ResourceId) {}
    #[inline(always)]
    pub fn woke() {}
    #[inline(always)]
    pub fn spawning(_name: Option<&str>) -> ResourceId {
        ResourceId(0)
    }
    #[inline(always)]
    pub fn thread_started(_res: ResourceId) {}
    #[inline(always)]
    pub fn thread_finished(_returns_nothing: bool) {}
    #[inline(always)]
    pub fn holds_exactly(_res: ResourceId, _shown: &dyn std::fmt::Display) {}
    #[inline(always)]
    pub fn step_where_it_takes_effect(_verb: &'static str, _res: ResourceId) {}
    #[inline(always)]
    pub fn spun() {}
    #[inline(always)]
    pub fn atomic_access(
        _res: ResourceId,
        _access: super::AtomicAccess,
        _order: std::sync::atomic::Ordering,
    ) {
    }
    #[inline(always)]
    pub fn fence(_order: std::sync::atomic::Ordering) {}
    #[inline(always)]
    pub fn cell_access(
        _res: ResourceId,
        _write: bool,
        _at: &'static std::panic::Location<'static>,
    ) {
    }

    #[inline(always)]
    pub fn rename_current(_name: &str) -> Option<String> {
        None
    }
    #[inline(always)]
    pub fn step(_verb: &'static str, _res: ResourceId) {}
    #[inline(always)]
    pub fn step_with(_verb: &'static str, _res: ResourceId, _value: &dyn std::fmt::Display) {}
    #[inline(always)]
    pub fn operation(_sealed: bool) -> Operation {
        Operation
    }
    /// See the recorded version: a composite primitive's operation.
    pub struct Operation;
    impl Operation {
        #[inline(always)]
        pub fn step(&self, _verb: &'static str, _res: ResourceId) {}
        #[inline(always)]
        pub fn step_with(
            &self,
            _verb: &'static str,
            _res: ResourceId,
            _value: &dyn std::fmt::Display,
        ) {
        }
        #[inline(always)]
        pub fn act(&self, _res: ResourceId, _action: impl FnOnce() -> super::Action) {}
    }
    pub fn snapshot() -> Snapshot {
        Snapshot::default()
    }
    pub fn current_thread_name() -> String {
        std::thread::current().name().unwrap_or("main").to_string()
    }
}

#[cfg(any(interleave_loom, interleave_shuttle))]
mod fingerprint;
#[cfg(any(interleave_loom, interleave_shuttle))]
mod happens_before;

#[cfg(any(interleave_loom, interleave_shuttle))]
mod recorded {
    use super::fingerprint::{self, Effect};
    use super::happens_before::{HappensBefore, Place};
    use super::{
        Action, AtomicAccess, DataRace, PermanentCycle, RacingAccess, ResourceId, ResourceKind,
        Snapshot, Step, ThreadView, Trace, Wait,
    };
    use std::cell::RefCell;
    use std::collections::HashMap;

    // The explored backend's threads: one OS thread runs them all, so std's ids would not tell
    // them apart.
    use crate::sync::backend::raw_thread::{current, ThreadId};

    struct Resource {
        name: String,
        kind: ResourceKind,
        /// Threads holding it (a lock: the owner; a semaphore: one entry per permit held).
        holders: Vec<usize>,
        /// What it holds, as a fingerprint (see `super::fingerprint`).
        content: u64,
        /// loom builds: what the last write to it (an atomic) wrote, in the trace's order.
        #[cfg(interleave_loom)]
        latest: Option<String>,
    }

    struct ThreadRecord {
        name: String,
        /// Its column in the trace (one per name it went by).
        column: usize,
        /// How many composite operations (a semaphore's acquire, a queue's put) it is inside:
        /// their inner locks and waits are not steps of their own.
        nesting: usize,
        /// How many of those are the facade's own, made only of locks and condition variables
        /// no one else sees (not a user's `Resource::operation`).
        sealed: usize,
        /// Whether its outermost sealed operation has done anything yet (more than ask for the
        /// lock it is made of): before that, switching away from it is switching before it.
        sealed_begun: bool,
        /// The nesting of its outermost sealed operation, 0 outside any: that operation's own
        /// steps say what it touched; the locks and waits inside are no one else's (see
        /// [`Ledger::touch`]).
        sealed_at: usize,
        /// Its task number in a shuttle execution, for the scheduler.
        #[cfg(interleave_shuttle)]
        task: usize,
        /// A step it took that takes effect only once it runs again, past the scheduling point
        /// just after it (a wait): recorded then (see [`step_where_it_takes_effect`]).
        #[cfg(interleave_shuttle)]
        pending: Option<(ResourceId, &'static str)>,
        finished: bool,
        waiting: Option<ResourceId>,
        /// The resource that stands for this thread, for those who join it.
        as_resource: ResourceId,
        /// What it has seen, as a fingerprint (see `super::fingerprint`).
        history: u64,
    }

    struct StepRecord {
        column: usize,
        action: Action,
        resource: ResourceId,
    }

    #[derive(Default)]
    struct Ledger {
        threads: Vec<ThreadRecord>,
        by_id: HashMap<ThreadId, usize>,
        resources: Vec<Resource>,
        columns: Vec<String>,
        steps: Vec<StepRecord>,
        /// Every resource any call here concerned, in order, nested operations' included: what
        /// each stretch of a thread touched, for an explorer that skips reorderings of steps on
        /// different resources.
        /// Whether each touch may have changed the resource (a load or a look did not).
        touched: Vec<(ResourceId, bool)>,
        /// Spin-loop turns taken in this execution.
        spins: usize,
        /// shuttle builds: orderings weaker than `SeqCst` the code used, which this build runs
        /// as `SeqCst`.
        #[cfg(interleave_shuttle)]
        weak_orderings: Vec<&'static str>,
        /// Whether touches keep the fingerprints up to date (bounded mode caching states).
        fingerprinting: bool,
        /// While an operation's own step is recorded, the operation's nesting.
        own_step: Option<usize>,
        /// Which accesses the synchronisation so far orders (see `super::happens_before`).
        happens_before: HappensBefore,
        /// Whether a condition variable's wait may wake with no notify, as std allows (once per
        /// thread and condition variable in an execution); set for each execution.
        spurious_wakeups: bool,
        /// The waits that have woken spuriously in this execution: thread, condition variable.
        woke_spuriously: Vec<(usize, ResourceId)>,
        /// The last access to a cell: the one loom's own race check is about, when it raises.
        #[cfg(interleave_loom)]
        last_cell_access: Option<(usize, ResourceId, bool, Place, Option<usize>)>,
    }

    thread_local! {
        static LEDGER: RefCell<Ledger> = RefCell::new(Ledger::default());
    }

    impl Ledger {
        fn add_resource(&mut self, kind: ResourceKind, name: String) -> ResourceId {
            self.resources.push(Resource {
                name,
                kind,
                holders: Vec::new(),
                content: 0,
                #[cfg(interleave_loom)]
                latest: None,
            });
            ResourceId(self.resources.len() - 1)
        }

        /// The current model thread's index, registering it (as "main") the first time.
        fn me(&mut self) -> usize {
            let id = current().id();
            if let Some(&i) = self.by_id.get(&id) {
                return i;
            }
            // shuttle calls the thread that runs the test "main-thread"; loom and std, "main".
            let name = match current().name() {
                None | Some("main-thread") => "main".to_string(),
                Some(name) => name.to_string(),
            };
            self.register(id, name)
        }

        fn column(&mut self, name: &str) -> usize {
            match self.columns.iter().position(|c| c == name) {
                Some(c) => c,
                None => {
                    self.columns.push(name.to_string());
                    self.columns.len() - 1
                }
            }
        }

        fn register(&mut self, id: ThreadId, name: String) -> usize {
            let as_resource = ResourceId(usize::MAX);
            let column = self.column(&name);
            self.threads.push(ThreadRecord {
                name,
                column,
                nesting: 0,
                sealed: 0,
                sealed_begun: false,
                sealed_at: 0,
                #[cfg(interleave_shuttle)]
                task: usize::from(id),
                #[cfg(interleave_shuttle)]
                pending: None,
                finished: false,
                waiting: None,
                as_resource,
                history: 0,
            });
            let i = self.threads.len() - 1;
            self.by_id.insert(id, i);
            self.happens_before.registered(i);
            i
        }

        /// Where raw step `k` shows in the trace (see [`Ledger::in_order`]).
        fn trace_row(&self, k: usize) -> Option<usize> {
            self.in_order().iter().position(|&j| j == k)
        }

        /// A racing access of this execution as a report names it.
        fn racing(&self, t: usize, write: bool, place: Place, step: Option<usize>) -> RacingAccess {
            // The name it went by then (a thread playing a part has one per part).
            let name = match step {
                Some(k) => &self.columns[self.steps[k].column],
                None => &self.threads[t].name,
            };
            RacingAccess {
                thread: name.clone(),
                write,
                place: super::place(place),
                step: step.and_then(|k| self.trace_row(k)),
            }
        }

        /// Thread `t` concerned `res` (`writes`: it may have changed it), to this `effect`: its
        /// footprint, and the fingerprints of what `t` has seen and of what `res` holds.
        /// Whether a wait on `res` (or its end) changes it: a lock's does, a join's only looks
        /// whether the thread has ended (so that a join asked early commutes with the thread's
        /// start).
        fn wait_changes(&self, res: ResourceId) -> bool {
            self.resources
                .get(res.0)
                .is_none_or(|r| r.kind != ResourceKind::Thread)
        }

        /// A touch inside a sealed operation is in its footprint only if it is the operation's
        /// own step (or a wait it left pending), or a look at an inner lock it asks for: its
        /// inner locks and waits are no one else's, and their changes would make two loads of
        /// one value look as if they conflicted.
        fn touch(&mut self, t: usize, res: ResourceId, writes: bool, effect: Effect) {
            let sealed_at = self.threads[t].sealed_at;
            if sealed_at == 0 || self.own_step == Some(sealed_at) {
                self.touched.push((res, writes));
            } else if effect == Effect::Asks {
                // Asking for an inner lock only looks whether code outside the operation holds
                // it (`get_lock`): such a holder's lock changes it.
                self.touched.push((res, false));
            }
            if self.threads[t].sealed > 0 && effect != Effect::Asks {
                self.threads[t].sealed_begun = true;
            }
            // Only bounded mode with its states cached compares them; other executions need
            // not pay.
            if !self.fingerprinting {
                return;
            }
            let content = match effect {
                Effect::Asks => 0,
                Effect::Sees | Effect::Changes => {
                    self.resources.get(res.0).map_or(0, |r| r.content)
                }
            };
            let history = fingerprint::seen(self.threads[t].history, res.0, content, effect);
            self.threads[t].history = history;
            if effect == Effect::Changes {
                if let Some(r) = self.resources.get_mut(res.0) {
                    r.content = fingerprint::changed(r.content, history);
                }
            }
        }

        /// Who a blocked thread is waiting for: the wait-for graph's edges out of `t`.
        fn waits_on(&self, t: usize) -> Vec<usize> {
            let Some(res) = self.threads[t].waiting else {
                return Vec::new();
            };
            let r = &self.resources[res.0];
            match r.kind {
                ResourceKind::Lock | ResourceKind::Mutex => r.holders.clone(),
                ResourceKind::Semaphore => {
                    let mut edges: Vec<usize> =
                        r.holders.iter().copied().filter(|&h| h != t).collect();
                    // A semaphore used as a signal (the bounded buffer's empty slots) is released
                    // by threads that never acquired it, so holding a permit is not the only way
                    // to provide one. Any other thread blocked on a lock or on another semaphore
                    // may, once it gets through, release this one: it is waited for too. Threads
                    // blocked on this same semaphore, on a join or on a condition are not, so a
                    // permit that left with a finished thread stays a hang.
                    for (u, other) in self.threads.iter().enumerate() {
                        let blocked_elsewhere = other.waiting.is_some_and(|w| {
                            w != res
                                && matches!(
                                    self.resources[w.0].kind,
                                    ResourceKind::Lock
                                        | ResourceKind::Mutex
                                        | ResourceKind::Semaphore
                                )
                        });
                        if u != t && !other.finished && blocked_elsewhere && !edges.contains(&u) {
                            edges.push(u);
                        }
                    }
                    edges
                }
                ResourceKind::Thread => self
                    .threads
                    .iter()
                    .position(|th| th.as_resource == res)
                    .into_iter()
                    .collect(),
                ResourceKind::Condition | ResourceKind::Data | ResourceKind::Cell => Vec::new(),
            }
        }

        /// A cycle through `t` in which every wait is on an owned lock or a thread to join: only
        /// the threads in it could end it, and each of them is blocked.
        fn permanent_cycle_through(&self, t: usize) -> bool {
            let mut at = t;
            for _ in 0..=self.threads.len() {
                let Some(res) = self.threads[at].waiting else {
                    return false;
                };
                let next = match self.resources[res.0].kind {
                    ResourceKind::Mutex => self.resources[res.0].holders.first().copied(),
                    ResourceKind::Thread => {
                        self.threads.iter().position(|th| th.as_resource == res)
                    }
                    _ => None,
                };
                match next {
                    Some(n) if n == t => return true,
                    Some(n) => at = n,
                    None => return false,
                }
            }
            false
        }

        fn trace(&self) -> Trace {
            Trace {
                threads: self.columns.clone(),
                steps: self
                    .in_order()
                    .into_iter()
                    .map(|k| &self.steps[k])
                    .map(|s| Step {
                        thread: s.column,
                        action: s.action.clone(),
                        object: self.resources[s.resource.0].name.clone(),
                    })
                    .collect(),
            }
        }

        /// The steps in the order they took effect. In loom builds, a condition variable's wait
        /// is recorded before loom's own scheduling point, where others may run first: a thread
        /// still waiting on it after another's `notify_all` there missed that notify, so its
        /// wait took effect after it, and is shown there. (Shuttle builds record a wait when the
        /// waiter next runs: see `step_where_it_takes_effect`.)
        fn in_order(&self) -> Vec<usize> {
            #[cfg_attr(not(interleave_loom), allow(unused_mut))]
            let mut order: Vec<usize> = (0..self.steps.len()).collect();
            #[cfg(interleave_loom)]
            for th in self.threads.iter().filter(|t| !t.finished) {
                let Some(c) = th.waiting else { continue };
                if self.resources.get(c.0).map(|r| r.kind) != Some(ResourceKind::Condition) {
                    continue;
                }
                let on_c = |k: usize, verb: &str| {
                    let s = &self.steps[k];
                    s.resource == c && s.action.verb() == verb
                };
                let Some(wait) = order
                    .iter()
                    .rposition(|&k| self.steps[k].column == th.column && on_c(k, "wait"))
                else {
                    continue;
                };
                let missed = order
                    .iter()
                    .rposition(|&k| self.steps[k].column != th.column && on_c(k, "notify_all"));
                if let Some(missed) = missed.filter(|&m| m > wait) {
                    let k = order.remove(wait);
                    order.insert(missed, k);
                }
            }
            order
        }

        /// Records a step of thread `t` if it is inside exactly `depth` composite operations: 0
        /// for a plain primitive's step, 1 for an outermost operation's own.
        fn record(
            &mut self,
            t: usize,
            depth: usize,
            res: ResourceId,
            action: impl FnOnce() -> Action,
        ) {
            #[cfg(interleave_shuttle)]
            self.flush_pending(t);
            if self.threads[t].nesting != depth || res.0 >= self.resources.len() {
                // Not a step of the trace: its action is never made, and the touch counts as a
                // change.
                self.touch(t, res, true, Effect::Changes);
                return;
            }
            self.push_step(t, res, action());
        }

        /// Records the step that thread `t` left pending, if any (see `pending`).
        #[cfg(interleave_shuttle)]
        fn flush_pending(&mut self, t: usize) {
            let Some((res, verb)) = self.threads[t].pending.take() else {
                return;
            };
            let own = self.own_step.replace(self.threads[t].sealed_at);
            if self.threads[t].nesting != 0 || res.0 >= self.resources.len() {
                self.touch(t, res, true, Effect::Changes);
            } else {
                self.push_step(t, res, Action::Plain(verb));
            }
            self.own_step = own;
        }

        /// Adds thread `t`'s step `action` on `res` to the trace, and touches `res`.
        fn push_step(&mut self, t: usize, res: ResourceId, action: Action) {
            let looks = action.only_looks();
            // Taking a mutex changes nothing its holder will not say itself: the data changes
            // by the holder's hand, counted when it lets go.
            let takes_mutex =
                action.verb() == "lock" && self.resources[res.0].kind == ResourceKind::Mutex;
            let effect = if looks || takes_mutex {
                Effect::Sees
            } else {
                Effect::Changes
            };
            self.touch(t, res, !looks, effect);
            let column = self.threads[t].column;
            self.steps.push(StepRecord {
                column,
                action,
                resource: res,
            });
        }

        /// A cycle of blocked threads, each waiting for a resource held by the next.
        fn find_cycle(&self) -> Option<Vec<usize>> {
            // Depth-first search with colours: 0 unvisited, 1 on the current path, 2 done.
            fn visit(
                l: &Ledger,
                t: usize,
                colour: &mut [u8],
                path: &mut Vec<usize>,
            ) -> Option<Vec<usize>> {
                colour[t] = 1;
                path.push(t);
                for next in l.waits_on(t) {
                    if colour[next] == 1 {
                        let start = path.iter().position(|&p| p == next).unwrap_or(0);
                        return Some(path[start..].to_vec());
                    }
                    if colour[next] == 0 {
                        if let Some(c) = visit(l, next, colour, path) {
                            return Some(c);
                        }
                    }
                }
                path.pop();
                colour[t] = 2;
                None
            }
            let mut colour = vec![0u8; self.threads.len()];
            (0..self.threads.len()).find_map(|t| {
                if colour[t] == 0 {
                    visit(self, t, &mut colour, &mut Vec::new())
                } else {
                    None
                }
            })
        }

        fn snapshot(&self) -> Snapshot {
            let threads = self
                .threads
                .iter()
                .enumerate()
                .map(|(i, th)| ThreadView {
                    name: th.name.clone(),
                    finished: th.finished,
                    holds: self
                        .resources
                        .iter()
                        .filter(|r| r.holders.contains(&i))
                        .map(|r| r.name.clone())
                        .collect(),
                    waits_for: th.waiting.map(|res| {
                        let r = &self.resources[res.0];
                        Wait {
                            resource: r.name.clone(),
                            kind: r.kind,
                            held_by: self
                                .waits_on(i)
                                .iter()
                                .map(|&h| self.threads[h].name.clone())
                                .collect(),
                        }
                    }),
                })
                .collect();
            let cycle = self.find_cycle().map(|c| {
                c.into_iter()
                    .map(|t| self.threads[t].name.clone())
                    .collect()
            });
            Snapshot {
                threads,
                cycle,
                trace: self.trace(),
                race: None,
            }
        }
    }

    fn with<R>(f: impl FnOnce(&mut Ledger) -> R) -> R {
        LEDGER.with(|l| f(&mut l.borrow_mut()))
    }

    /// Forget everything: called at the start of each execution (whether fingerprints are kept
    /// stays as it was).
    pub fn reset() {
        with(|l| {
            *l = Ledger {
                fingerprinting: l.fingerprinting,
                ..Ledger::default()
            }
        });
    }

    /// Whether touches keep the state's fingerprints (see [`state_fingerprint`]) on this thread,
    /// from the next execution on: bounded mode's workers caching states ask for it.
    #[cfg(interleave_shuttle)]
    pub fn keep_fingerprints(on: bool) {
        with(|l| l.fingerprinting = on);
    }

    /// A resource called `name`; one without a name is called by its kind and the place in the
    /// source where it was made ("the lock made at models/counter.rs:101"): every constructor
    /// between the user's code and here passes the caller's place on (`#[track_caller]`).
    #[track_caller]
    pub fn new_resource(kind: ResourceKind, name: Option<&str>) -> ResourceId {
        let made_at = std::panic::Location::caller();
        with(|l| {
            let name = match name {
                Some(n) => n.to_string(),
                None => {
                    let word = match kind {
                        ResourceKind::Lock | ResourceKind::Mutex => "lock",
                        ResourceKind::Semaphore => "semaphore",
                        ResourceKind::Condition => "condition",
                        ResourceKind::Thread => "thread",
                        ResourceKind::Data => "atomic",
                        ResourceKind::Cell => "cell",
                    };
                    format!("the {word} made at {}", super::place(made_at))
                }
            };
            let res = l.add_resource(kind, name);
            if kind == ResourceKind::Cell {
                l.me();
                let threads = l.threads.len();
                l.happens_before.start(threads);
            }
            // Which number the resource got depends on the other threads: its maker sees it.
            if l.fingerprinting {
                let me = l.me();
                l.threads[me].history =
                    fingerprint::seen(l.threads[me].history, res.0, 0, Effect::Asks);
            }
            res
        })
    }

    /// The current thread is about to block on `res`. If that closes a cycle of owned locks, the
    /// execution stops with [`PermanentCycle`]: a deadlock, even if other threads still run.
    pub fn waiting(res: ResourceId) {
        let knot = with(|l| {
            let me = l.me();
            let changes = l.wait_changes(res);
            l.touch(me, res, changes, Effect::Asks);
            l.threads[me].waiting = Some(res);
            l.permanent_cycle_through(me)
        });
        if knot {
            std::panic::panic_any(PermanentCycle);
        }
    }

    /// Whether the current thread, about to block (after [`waiting`]), would block for good:
    /// no other thread can run, and every other one is blocked where nothing it waits for can
    /// come: joining a thread, or waiting for a `Mutex` other than the one this wait lets go of
    /// (`released`), which only its blocked holder could free. (A thread waiting on a condition
    /// variable may have been notified and wait only to take its lock back: then nothing is
    /// concluded.) The execution is stuck, and stops here, before the backend finds it stuck
    /// itself (shuttle prints a line of its own for each such execution).
    #[cfg(interleave_shuttle)]
    pub fn blocks_for_good(released: Option<ResourceId>) -> bool {
        if crate::sync::backend::another_thread_can_run() {
            return false;
        }
        with(|l| {
            let me = l.me();
            let stuck = |waiting: Option<ResourceId>| {
                waiting.is_some_and(|r| {
                    Some(r) != released
                        && matches!(
                            l.resources.get(r.0).map(|res| res.kind),
                            Some(ResourceKind::Mutex | ResourceKind::Thread)
                        )
                })
            };
            let for_good = l
                .threads
                .iter()
                .enumerate()
                .all(|(i, t)| i == me || t.finished || stuck(t.waiting));
            if for_good {
                // The wait takes effect now, as it would have at the switch away from it.
                l.flush_pending(me);
            }
            for_good
        })
    }

    pub fn acquired(res: ResourceId) {
        with(|l| {
            let me = l.me();
            l.touch(me, res, true, Effect::Sees);
            l.threads[me].waiting = None;
            l.happens_before.acquire(me, res.0);
            if let Some(r) = l.resources.get_mut(res.0) {
                r.holders.push(me);
            }
        })
    }

    pub fn released(res: ResourceId) {
        with(|l| {
            let me = l.me();
            l.touch(me, res, true, Effect::Changes);
            l.happens_before.release(me, res.0);
            if let Some(r) = l.resources.get_mut(res.0) {
                // A semaphore may be released by a thread that never acquired it: then the
                // permit leaves whichever holder came first.
                let pos = r
                    .holders
                    .iter()
                    .position(|&h| h == me)
                    .or(if r.holders.is_empty() { None } else { Some(0) });
                if let Some(p) = pos {
                    r.holders.remove(p);
                }
            }
        })
    }

    /// The waiting thread stopped waiting without taking anything (a join returned).
    pub fn woke() {
        with(|l| {
            let me = l.me();
            if let Some(res) = l.threads[me].waiting {
                let changes = l.wait_changes(res);
                l.touch(me, res, changes, Effect::Sees);
                // A joined thread's end happens before the join returns.
                l.happens_before.acquire(me, res.0);
            }
            l.threads[me].waiting = None;
        })
    }

    /// Called by the parent before a spawn: the resource that stands for the new thread, which a
    /// joiner waits on, named `name` or `thread-N`: the N-th spawn of the execution, as loom
    /// numbers its threads (spawns that have not started yet count too).
    pub fn spawning(name: Option<&str>) -> ResourceId {
        with(|l| {
            let name = name.map(str::to_string).unwrap_or_else(|| {
                let spawned = l
                    .resources
                    .iter()
                    .filter(|r| r.kind == ResourceKind::Thread)
                    .count();
                format!("thread-{}", spawned + 1)
            });
            let res = l.add_resource(ResourceKind::Thread, name);
            // The new thread starts from what its parent had seen (its closure).
            let me = l.me();
            l.touch(me, res, true, Effect::Changes);
            l.happens_before.release(me, res.0);
            res
        })
    }

    /// Called by the new thread first thing: binds it to the resource its parent made.
    pub fn thread_started(res: ResourceId) {
        with(|l| {
            let name = l.resources[res.0].name.clone();
            let i = l.register(current().id(), name);
            // Only looks: what the parent gave it (the spawn changed it).
            l.touch(i, res, false, Effect::Sees);
            l.happens_before.acquire(i, res.0);
            l.threads[i].as_resource = res;
        })
    }

    /// The current thread ends; `returns_nothing`: its result carries no information (a `()`),
    /// so that what it had seen no longer matters to anyone.
    pub fn thread_finished(returns_nothing: bool) {
        with(|l| {
            let me = l.me();
            let res = l.threads[me].as_resource;
            l.record(me, 0, res, || Action::Plain("finish"));
            if res.0 < l.resources.len() {
                l.happens_before.release(me, res.0);
            }
            l.threads[me].finished = true;
            l.threads[me].waiting = None;
            if !l.fingerprinting {
                return;
            }
            // A thread that ends holding something (a guard it forgot) is not forgotten.
            let holds = l.resources.iter().any(|r| r.holders.contains(&me));
            let history = l.threads[me].history;
            if !holds {
                l.threads[me].history = fingerprint::FINISHED;
            }
            if let Some(r) = l.resources.get_mut(res.0) {
                r.content = if returns_nothing {
                    fingerprint::FINISHED
                } else {
                    fingerprint::changed(fingerprint::FINISHED, history)
                };
            }
        })
    }

    /// `res` now holds exactly the value `shown` (a shared number, all of it): its fingerprint
    /// forgets how it came to hold it.
    pub fn holds_exactly(res: ResourceId, shown: &dyn std::fmt::Display) {
        with(|l| {
            if !l.fingerprinting {
                return;
            }
            if let Some(r) = l.resources.get_mut(res.0) {
                r.content = fingerprint::value(shown);
            }
        })
    }

    /// `res` (an atomic) now holds `shown`, as a write left it: a later load that reads
    /// anything else reads an older value (weak memory).
    #[cfg(interleave_loom)]
    pub fn wrote(res: ResourceId, shown: &dyn std::fmt::Display) {
        with(|l| {
            if let Some(r) = l.resources.get_mut(res.0) {
                r.latest = Some(shown.to_string());
            }
        })
    }

    /// A load of `res` read `shown`: recorded as a load, marked where the last write in the
    /// trace's order wrote something else.
    #[cfg(interleave_loom)]
    pub fn loaded(res: ResourceId, shown: &dyn std::fmt::Display) {
        let value = shown.to_string();
        let latest = with(|l| l.resources.get(res.0).and_then(|r| r.latest.clone()));
        act(res, || match latest {
            Some(latest) if latest != value => Action::OlderValue { value, latest },
            _ => Action::Value {
                verb: "load",
                value,
            },
        })
    }

    /// The current thread woke from a wait on `res` that nobody notified.
    pub fn woke_spuriously(res: ResourceId) {
        act(res, || Action::Spurious)
    }

    /// Whether waits on condition variables may wake spuriously in this execution.
    pub fn allow_spurious_wakeups(on: bool) {
        with(|l| l.spurious_wakeups = on);
    }

    /// Whether the current thread's wait on `res` may wake spuriously: spurious wake-ups are
    /// allowed and this thread has not woken spuriously from `res` in this execution yet (once
    /// is what a wait that should have been a loop needs to be caught; more would only loop).
    /// Counts this one.
    pub fn may_wake_spuriously(res: ResourceId) -> bool {
        with(|l| {
            if !l.spurious_wakeups {
                return false;
            }
            let me = l.me();
            if l.woke_spuriously.contains(&(me, res)) {
                return false;
            }
            l.woke_spuriously.push((me, res));
            true
        })
    }

    /// The state of the execution so far as the primitives saw it: every thread's fingerprint
    /// and every resource's (see `super::fingerprint`); safe to ask from inside a scheduler.
    /// `forget_threads`: the tests' control, blind to what the threads have seen (wrong).
    #[cfg(interleave_shuttle)]
    pub fn state_fingerprint(forget_threads: bool) -> u64 {
        LEDGER.with(|l| {
            l.try_borrow().map_or(0, |l| {
                let mut threads: Vec<(usize, u64)> = l
                    .threads
                    .iter()
                    .filter(|_| !forget_threads)
                    .map(|t| (t.as_resource.0, t.history))
                    .collect();
                threads.sort_unstable();
                fingerprint::state(&threads, l.resources.iter().map(|r| r.content))
            })
        })
    }

    /// Gives the current thread another name in reports; returns the old one.
    pub fn rename_current(name: &str) -> Option<String> {
        with(|l| {
            let me = l.me();
            let old = std::mem::replace(&mut l.threads[me].name, name.to_string());
            l.threads[me].column = l.column(name);
            if let Some(r) = l.resources.get_mut(l.threads[me].as_resource.0) {
                r.name = name.to_string();
            }
            Some(old)
        })
    }

    /// Records that the current thread did `verb` to `res` (a lock, an atomic), unless it is
    /// inside a composite operation, whose own step stands for it.
    pub fn step(verb: &'static str, res: ResourceId) {
        act(res, || Action::Plain(verb))
    }

    /// Like [`step`], with the value read or written.
    pub fn step_with(verb: &'static str, res: ResourceId, value: &dyn std::fmt::Display) {
        act(res, || Action::Value {
            verb,
            value: value.to_string(),
        })
    }

    /// Records that the current thread did `action` to `res` (made only if it is recorded).
    pub fn act(res: ResourceId, action: impl FnOnce() -> Action) {
        with(|l| {
            let me = l.me();
            l.record(me, 0, res, action);
        })
    }

    /// Records a step whose effect comes past the scheduling point that the backend puts at its
    /// start (a condition variable's wait: the lock is let go and the waiter queued only once
    /// the waiter runs again): in shuttle builds, when the scheduler next runs the thread
    /// ([`switched_to`]), so that a notify made meanwhile by another thread shows before it, as
    /// it happened. loom offers no such hook: there the step is recorded at once.
    pub fn step_where_it_takes_effect(verb: &'static str, res: ResourceId) {
        #[cfg(interleave_shuttle)]
        with(|l| {
            let me = l.me();
            l.threads[me].pending = Some((res, verb));
        });
        #[cfg(not(interleave_shuttle))]
        step(verb, res);
    }

    /// The scheduler runs task number `task` next: a step it left pending is recorded now.
    /// Safe to call from inside a scheduler.
    #[cfg(interleave_shuttle)]
    pub fn switched_to(task: usize) {
        LEDGER.with(|l| {
            let Ok(mut l) = l.try_borrow_mut() else {
                return;
            };
            let Some(t) = l.threads.iter().position(|th| th.task == task) else {
                return;
            };
            l.flush_pending(t);
        })
    }

    /// Starts a composite operation of the current thread (a semaphore's acquire built on a
    /// mutex and a condition variable): until the returned guard drops, only the steps it
    /// records itself appear in the trace. A facade's own operation is `sealed`: made only of
    /// locks and condition variables that no other code sees, so that what happens between its
    /// first and last touch matters to no one (only where it blocks).
    pub fn operation(sealed: bool) -> Operation {
        with(|l| {
            let me = l.me();
            let t = &mut l.threads[me];
            t.nesting += 1;
            t.sealed += usize::from(sealed);
            if sealed && t.sealed_at == 0 {
                t.sealed_at = t.nesting;
            }
            Operation {
                thread: me,
                sealed,
                level: t.nesting,
            }
        })
    }

    /// A composite operation in progress; see [`operation`].
    pub struct Operation {
        thread: usize,
        sealed: bool,
        /// Its nesting: 1 for an outermost operation.
        level: usize,
    }

    /// Whether the thread with task number `task` is inside a sealed operation that has begun
    /// (safe to ask from inside a scheduler). `from_the_start`: the tests' control, which counts
    /// an operation from before it has done anything (wrong).
    #[cfg(interleave_shuttle)]
    pub fn inside_sealed_operation(task: usize, from_the_start: bool) -> bool {
        LEDGER.with(|l| {
            l.try_borrow().is_ok_and(|l| {
                l.threads
                    .iter()
                    .any(|t| t.task == task && (t.sealed_begun || (from_the_start && t.sealed > 0)))
            })
        })
    }

    impl Operation {
        /// Records the operation's step, if it is not itself inside another operation.
        pub fn step(&self, verb: &'static str, res: ResourceId) {
            self.act(res, || Action::Plain(verb));
        }

        pub fn step_with(
            &self,
            verb: &'static str,
            res: ResourceId,
            value: &dyn std::fmt::Display,
        ) {
            self.act(res, || Action::Value {
                verb,
                value: value.to_string(),
            });
        }

        /// Records the operation's step, typed.
        pub fn act(&self, res: ResourceId, action: impl FnOnce() -> Action) {
            with(|l| {
                let own = l.own_step.replace(self.level);
                l.record(self.thread, 1, res, action);
                l.own_step = own;
            });
        }
    }

    impl Drop for Operation {
        fn drop(&mut self) {
            // A stack unwound after a loom execution ended finds the ledger already reset.
            if std::thread::panicking() {
                return;
            }
            with(|l| {
                if let Some(t) = l.threads.get_mut(self.thread) {
                    if t.sealed_at == self.level {
                        t.sealed_at = 0;
                    }
                    t.nesting = t.nesting.saturating_sub(1);
                    t.sealed = t.sealed.saturating_sub(usize::from(self.sealed));
                    t.sealed_begun &= t.sealed > 0;
                }
            })
        }
    }

    pub fn snapshot() -> Snapshot {
        LEDGER.with(|l| match l.try_borrow() {
            Ok(l) => l.snapshot(),
            Err(_) => Snapshot::default(),
        })
    }

    /// The current thread did `access` to the atomic `res` with `order`: what it publishes or
    /// takes (see `super::happens_before`).
    pub fn atomic_access(
        res: ResourceId,
        access: AtomicAccess,
        order: std::sync::atomic::Ordering,
    ) {
        with(|l| {
            // Every atomic operation comes here: without a cell, nothing to keep.
            if l.happens_before.is_on() {
                let me = l.me();
                l.happens_before.atomic(me, res.0, access, order);
            }
        })
    }

    /// The current thread ran a fence with `order`.
    pub fn fence(order: std::sync::atomic::Ordering) {
        with(|l| {
            if l.happens_before.is_on() {
                let me = l.me();
                l.happens_before.fence(me, order);
            }
        })
    }

    /// The current thread reads (`write`: may write) the cell `res`, at `at` in the source: a
    /// step of the trace, and a [`DataRace`] raised if an earlier access by another thread, one
    /// of the two a write, is not ordered before it.
    pub fn cell_access(res: ResourceId, write: bool, at: &'static std::panic::Location<'static>) {
        let race = with(|l| {
            let me = l.me();
            let before = l.steps.len();
            l.record(me, 0, res, || {
                Action::Plain(if write { "write" } else { "read" })
            });
            let step = (l.steps.len() > before).then_some(before);
            let place = at;
            #[cfg(interleave_loom)]
            {
                l.last_cell_access = Some((me, res, write, place, step));
            }
            let earlier = l
                .happens_before
                .cell_access(me, res.0, write, place, step)?;
            Some(DataRace {
                cell: l.resources[res.0].name.clone(),
                earlier: Some(l.racing(earlier.thread, earlier.write, earlier.place, earlier.step)),
                later: l.racing(me, write, place, step),
                by_loom: false,
            })
        });
        if let Some(race) = race {
            std::panic::panic_any(race);
        }
    }

    #[cfg(interleave_loom)]
    /// The race loom's own cell check just raised, as far as the ledger knows it: the last access
    /// to a cell, and the latest access by another thread it conflicts with.
    pub fn race_found_by_loom() -> Option<DataRace> {
        LEDGER.with(|l| {
            let l = l.try_borrow().ok()?;
            let (t, res, write, place, step) = l.last_cell_access?;
            let earlier = l.happens_before.latest_conflicting(t, res.0, write);
            Some(DataRace {
                cell: l.resources.get(res.0)?.name.clone(),
                earlier: earlier.map(|e| l.racing(e.thread, e.write, e.place, e.step)),
                later: l.racing(t, write, place, step),
                by_loom: true,
            })
        })
    }

    /// One more turn of a busy-wait loop.
    pub fn spun() {
        LEDGER.with(|l| {
            if let Ok(mut l) = l.try_borrow_mut() {
                l.spins += 1;
            }
        });
    }

    /// Steps recorded in the current execution so far (safe to ask from inside a scheduler).
    #[cfg(interleave_shuttle)]
    pub fn step_count() -> usize {
        LEDGER.with(|l| l.try_borrow().map_or(0, |l| l.steps.len()))
    }

    /// How many resources the current execution's calls here have concerned so far (safe to ask
    /// from inside a scheduler).
    #[cfg(interleave_shuttle)]
    pub fn touch_count() -> usize {
        LEDGER.with(|l| l.try_borrow().map_or(0, |l| l.touched.len()))
    }

    /// The resources concerned since the `start`th, as numbers (a resource's number is its order
    /// of creation in the execution; the main thread's is `usize::MAX`), each with whether it
    /// may have been changed.
    #[cfg(interleave_shuttle)]
    pub fn touched_since(start: usize) -> Vec<(usize, bool)> {
        LEDGER.with(|l| {
            l.try_borrow().map_or(Vec::new(), |l| {
                l.touched
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&(r, writes)| (r.0, writes))
                    .collect()
            })
        })
    }

    /// The last execution's trace, its first `steps` steps, and every thread's name in the order
    /// the threads appeared (which is their order of creation), asked after it ended.
    #[cfg(interleave_shuttle)]
    pub fn trace_of_last(steps: usize) -> (Trace, Vec<String>) {
        LEDGER.with(|l| match l.try_borrow() {
            Ok(l) => {
                let mut trace = l.trace();
                trace.steps.truncate(steps);
                let names = l.threads.iter().map(|t| t.name.clone()).collect();
                (trace, names)
            }
            Err(_) => (Trace::default(), Vec::new()),
        })
    }

    /// The code used the ordering `name`, weaker than `SeqCst`, which this build (shuttle) runs
    /// as `SeqCst`.
    #[cfg(interleave_shuttle)]
    pub fn weak_ordering(name: &'static str) {
        with(|l| {
            if !l.weak_orderings.contains(&name) {
                l.weak_orderings.push(name);
            }
        })
    }

    /// The orderings weaker than `SeqCst` the current execution used (shuttle builds; loom
    /// models them, so it reports none).
    pub fn weak_orderings() -> Vec<&'static str> {
        #[cfg(interleave_shuttle)]
        return LEDGER.with(|l| {
            l.try_borrow()
                .map_or_else(|_| Vec::new(), |l| l.weak_orderings.clone())
        });
        #[cfg(not(interleave_shuttle))]
        Vec::new()
    }

    /// Spin-loop turns of the current execution so far.
    pub fn spin_count() -> usize {
        LEDGER.with(|l| l.try_borrow().map_or(0, |l| l.spins))
    }

    /// Threads of the current execution so far.
    pub fn thread_count() -> usize {
        LEDGER.with(|l| l.try_borrow().map_or(0, |l| l.threads.len()))
    }

    pub fn current_thread_name() -> String {
        LEDGER.with(|l| match l.try_borrow_mut() {
            Ok(mut l) => {
                let me = l.me();
                l.threads[me].name.clone()
            }
            Err(_) => "?".to_string(),
        })
    }
}
