//! Exhaustive exploration past loom (shuttle builds): every schedule with at most b preemptions,
//! counted as CHESS counts them — a switch away from a thread that could have gone on (a thread
//! that blocks, ends or yields is not preempted) — deepening b from 0, as exhaustive mode does.
//! It runs on shuttle's scheduler interface, which has no thread limit: loom explores 4 spawned
//! threads at most. A schedule is a list of choices at the points where several threads could
//! run; after its prefix of choices, an execution goes on without preempting (the running thread
//! keeps running; a yield passes to the next thread). Each execution's choice points are kept,
//! and the next schedule is found by depth-first backtracking: the deepest choice point with an
//! untried option that the bound still allows.
//!
//! What keeps the tree small enough to finish: a facade's operation taken as one step once it
//! has begun (its inner locks are no one else's: `Scheduler::next_task` below), so that
//! preemptions are counted per synchronization call, as CHESS counts them; sleep sets over what
//! the ledger saw each step touch, kept sound under the bound ([`Dfs`]); CHESS's fairness for
//! threads that yield ([`Dfs::fair`]); on request, states already reached left alone
//! ([`Visits`], fingerprints from `ledger::fingerprint`); and the tree shared among every core
//! ([`explore_bound`], `work_pool`).

use super::check::{Reduction, StateCaching, UNBOUNDED};
use super::found::{ends_of, keep_first_of_kind, Ends};
use super::progress::Meter;
use super::races::Races;
use super::randomized::{run, task_numbered, task_numbers, Run};
use super::tally::lock;
use super::visits::{Visit, Visits, MAX_CACHED_DEPTH};
use super::work_pool::{Piece, Pool};
use super::{Body, Check, Coverage, Report, Stats};
use crate::sync::ledger;
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What one step of a thread (from one choice point to its next) touched, as the primitives
/// recorded it: some resources, or anything at all when they recorded nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Footprint {
    Anything,
    /// Each resource once, with whether the step may have changed it.
    Resources(Vec<(usize, bool)>),
}

impl Footprint {
    /// What two steps touched together.
    fn and(&self, other: &Footprint) -> Footprint {
        match (self, other) {
            (Footprint::Resources(a), Footprint::Resources(b)) => {
                Footprint::of(a.iter().chain(b).copied().collect())
            }
            _ => Footprint::Anything,
        }
    }

    /// These touches, one entry per resource: a change if any touch was one.
    fn of(mut touches: Vec<(usize, bool)>) -> Footprint {
        touches.sort_unstable_by_key(|&(r, w)| (r, std::cmp::Reverse(w)));
        touches.dedup_by_key(|&mut (r, _)| r);
        Footprint::Resources(touches)
    }

    /// Whether running the two steps in either order could end differently.
    pub(super) fn conflicts(&self, other: &Footprint, reduction: Reduction) -> bool {
        match (reduction, self, other) {
            (Reduction::None | Reduction::Unsealed | Reduction::SealedFromTheStart, _, _) => true,
            (Reduction::EverythingCommutes, _, _) => false,
            (_, Footprint::Anything, _) | (_, _, Footprint::Anything) => true,
            (_, Footprint::Resources(a), Footprint::Resources(b)) => a.iter().any(|&(r, w)| {
                b.iter()
                    .any(|&(other, other_w)| other == r && (w || other_w))
            }),
        }
    }
}

/// An option of a choice point that an execution has taken, and what its step did.
#[derive(Clone, Debug)]
struct Seen {
    thread: usize,
    footprint: Footprint,
    /// Whether the step ended in a switch that is no preemption: the thread blocked, ended or
    /// yielded.
    gives_way: bool,
    /// What the thread touched from there until it was switched away from (its block), once
    /// known.
    block: Option<Footprint>,
}

/// One point where several threads could run.
#[derive(Clone, Debug)]
struct Branch {
    /// The threads that could run and are not asleep, in the order they are tried: the one that
    /// goes on without a preemption first, where there is one.
    options: Vec<usize>,
    /// Which option this execution took.
    taken: usize,
    /// The running thread, when it could go on (not blocked, ended or yielding): switching away
    /// from it here is a preemption.
    goes_on: Option<usize>,
    /// The options taken here so far, by this execution and the ones before it.
    seen: Vec<Seen>,
    /// Under [`Reduction::Dpor`], the threads to try here: the first taken, and those that the
    /// races of the executions below ask for (see `races`).
    wanted: Vec<usize>,
    /// The threads that could run here, options or not (fairness may hold some back).
    runnable: Vec<usize>,
    /// The threads asleep here.
    asleep: Vec<usize>,
    /// Under DPOR on several workers, the threads whose schedules from here another worker
    /// explores (see [`Claims`]).
    given: Vec<usize>,
}

impl Branch {
    /// Preemptions spent by taking option `k`.
    fn cost(&self, k: usize) -> usize {
        usize::from(self.goes_on.is_some_and(|c| self.options[k] != c))
    }

    /// Whether option `k` has been taken here already (here or by another worker).
    fn tried(&self, k: usize) -> bool {
        let t = self.options[k];
        self.seen.iter().any(|s| s.thread == t) || self.given.contains(&t)
    }

    /// Asks for one of `initials` to be tried here (source-set DPOR): nothing if one is wanted
    /// already or asleep (an earlier option covers its schedules), the first that is an option
    /// otherwise; if none could run here for fairness, every option; if none could run at all
    /// (blocked, or not spawned yet), nothing: the race cannot be reversed here.
    fn want(&mut self, initials: &[usize]) {
        if initials
            .iter()
            .any(|t| self.wanted.contains(t) || self.asleep.contains(t))
        {
            return;
        }
        if let Some(&t) = initials.iter().find(|t| self.options.contains(t)) {
            self.wanted.push(t);
        } else if initials.iter().any(|t| self.runnable.contains(t)) {
            for &o in &self.options {
                if !self.wanted.contains(&o) {
                    self.wanted.push(o);
                }
            }
        }
    }
}

/// A choice the next execution makes at one of its first choice points.
#[derive(Clone, Debug)]
struct Choice {
    thread: usize,
    /// The options taken there by earlier executions.
    seen: Vec<Seen>,
    /// The threads wanted there so far (under [`Reduction::Dpor`]).
    wanted: Vec<usize>,
    /// The threads another worker explores from there.
    given: Vec<usize>,
}

/// The choices of `done` before choice point `i`, then option `k` there.
fn prefix_to(done: &[Branch], i: usize, k: usize) -> Vec<Choice> {
    let choice = |b: &Branch, k: usize| Choice {
        thread: b.options[k],
        seen: b.seen.clone(),
        wanted: b.wanted.clone(),
        given: b.given.clone(),
    };
    let mut prefix: Vec<Choice> = done[..i].iter().map(|b| choice(b, b.taken)).collect();
    prefix.push(choice(&done[i], k));
    prefix
}

/// The preemptions spent before each choice point of `done`, and after the last.
fn spent(done: &[Branch]) -> Vec<usize> {
    let mut spent = Vec::with_capacity(done.len() + 1);
    spent.push(0);
    for b in done {
        spent.push(spent.last().unwrap() + b.cost(b.taken));
    }
    spent
}

/// Under DPOR on several workers, the options of choice points that some worker has taken on:
/// each choice point is named by the threads chosen on the way to it. A choice point's options
/// are not known before its subtrees are explored (races found there ask for more), so they
/// cannot be dealt out in advance: a worker claims an option before it explores it, and an
/// option that a race asks for at a choice point of another worker's (above its own piece) is
/// claimed and given to the pool as a piece of its own. Every option is then explored once, by
/// whoever claimed it; workers know less of each other's sleep sets, so they may explore more.
#[derive(Default)]
struct Claims(Mutex<HashSet<u64>>);

impl Claims {
    /// Claims option `thread` at the choice point `i` of `done`: whether nobody had.
    fn claim(&self, done: &[Branch], i: usize, thread: usize) -> bool {
        let mut h = std::hash::DefaultHasher::new();
        for b in &done[..i] {
            b.options[b.taken].hash(&mut h);
        }
        (i, thread).hash(&mut h);
        lock(&self.0).insert(h.finish())
    }
}

/// A piece of the tree: the schedules that make the choices of `prefix` first, explored by
/// backtracking at its choice points from `floor` on (the prefix's last choice point among them,
/// for the rest of a choice point's options).
#[derive(Clone, Debug)]
struct Subtree {
    prefix: Vec<Choice>,
    floor: usize,
}

/// Depth-first over the schedules within `bound` preemptions, with sleep sets: once an option of
/// a choice point has been explored, the later options explore with that thread asleep — not
/// run until some thread touches what its step touches, since running it earlier would only
/// reorder independent steps into a schedule already explored.
///
/// Sleep sets and a preemption bound do not mix freely: the schedule a skipped one reorders into
/// may cost one preemption more (a thread moved ahead of others is preempted after its step), and
/// then lie past the bound, so that the bound's coverage would have holes. So a thread sleeps on
/// what its one step touches only where moving that step ahead costs no more: when it is the
/// thread that goes on without a preemption, or when its step ended in a free switch (it blocked,
/// ended or yielded: nobody is preempted after it). Elsewhere it sleeps on what its whole block
/// touches — its steps until it was switched away from, as the option's first execution ran
/// them: a skipped schedule then reorders into one that runs the steps of that block it ran
/// first, and switches away from the thread where the skipped one did, at the same cost.
struct Dfs {
    bound: usize,
    reduction: Reduction,
    /// The choices the next execution makes first.
    prefix: Vec<Choice>,
    /// The branches of the execution in progress.
    branches: Arc<Mutex<Vec<Branch>>>,
    started: bool,
    /// Set when every schedule within the bound has run.
    exhausted: Arc<AtomicBool>,
    /// Backtracking stays at or below this choice point: the ones above are a subtree's prefix.
    floor: usize,
    /// The work shared with other workers, if any: when one waits, part of this tree goes to it.
    pool: Option<Arc<Pool<Subtree>>>,
    /// Told the share of the tree each execution stands for (the progress line's estimate).
    meter: Option<Arc<Meter>>,
    /// The shares of this worker's executions so far (what a time limit leaves covered).
    covered: Arc<Mutex<f64>>,
    /// The states reached so far, when caching them (see [`Visits`]).
    visits: Option<Arc<Visits>>,
    /// The behaviours met so far, when counting them (`Check::count_behaviours`).
    behaviours: Option<Arc<Mutex<HashSet<u64>>>>,
    /// Under DPOR on several workers, the options taken on (see [`Claims`]).
    claims: Option<Arc<Claims>>,
    now: Execution,
}

/// An event in progress: its thread's run since a choice, a facade's operation whole.
struct OpenEvent {
    thread: usize,
    /// The choice point before it, if the decision there had options.
    branch: Option<usize>,
    /// What its steps touched.
    touches: Vec<(usize, bool)>,
    /// Whether one of its steps yielded.
    yields: bool,
}

/// The execution in progress, as the scheduler follows it.
#[derive(Default)]
struct Execution {
    /// The thread running since the last choice point, where its touches start, and the branch
    /// whose option it took, if any.
    running: Option<(usize, usize, Option<usize>)>,
    /// Each thread's touches in its previous step: a primitive may record an operation just
    /// before the scheduling point that precedes it (an unlock, a wait), so a step also counts
    /// what its thread recorded in the step before.
    previous: HashMap<usize, Vec<(usize, bool)>>,
    /// Sleeping threads and what their next step touches.
    asleep: Vec<(usize, Footprint)>,
    /// Every runnable thread fell asleep: the rest is a reordering of an explored schedule.
    redundant: bool,
    /// Threads that yielded, and the threads they wait to see run first.
    yielded_to: HashMap<usize, Vec<usize>>,
    /// The running thread's blocks still going on: from which branch (where it was an option
    /// taken for the first time), and what it has touched since.
    blocks: Vec<(usize, Footprint)>,
    /// The choice point whose option the running thread took for the first time, while the
    /// step it took there goes on inside a facade's operation.
    seen_open: Option<usize>,
    /// Under [`Reduction::Dpor`], the events so far and their races.
    races: Races,
    /// The event in progress (see `races`).
    event: Option<OpenEvent>,
    /// Steps each thread took without touching anything (a yield, a spin, a scheduling point
    /// inside a primitive), by task number: the ledger cannot see them move a thread on, so
    /// they are counted here for the state's fingerprint. Task numbers follow the order of
    /// spawns, as the ledger's numbers for threads do, so they name the same threads wherever
    /// the ledger's fingerprints agree.
    silent: Vec<u64>,
}

impl Dfs {
    fn new(bound: usize, reduction: Reduction) -> Dfs {
        Dfs {
            bound,
            reduction,
            prefix: Vec::new(),
            branches: Arc::new(Mutex::new(Vec::new())),
            started: false,
            exhausted: Arc::new(AtomicBool::new(false)),
            floor: 0,
            pool: None,
            meter: None,
            covered: Arc::new(Mutex::new(0.0)),
            visits: None,
            behaviours: None,
            claims: None,
            now: Execution::default(),
        }
    }

    /// The schedules of `subtree`, sharing the work of `pool`.
    fn below(
        bound: usize,
        reduction: Reduction,
        subtree: Subtree,
        pool: Arc<Pool<Subtree>>,
        visits: Option<Arc<Visits>>,
    ) -> Dfs {
        Dfs {
            floor: subtree.floor,
            prefix: subtree.prefix,
            pool: Some(pool),
            visits,
            ..Dfs::new(bound, reduction)
        }
    }

    /// Whether the state reached here was reached by an earlier schedule that covers its
    /// future (see [`Visits`]).
    fn seen_before(&self, runnable: &[usize], current: Option<usize>, is_yielding: bool) -> bool {
        let Some(visits) = &self.visits else {
            return false;
        };
        // A state only one thread can leave has nothing to skip; and past a depth that only
        // long runs reach (a livelock's), keeping every visit would cost more than it saves.
        let branches = lock(&self.branches);
        if runnable.len() < 2 || branches.len() > MAX_CACHED_DEPTH {
            return false;
        }
        let choices: Box<[usize]> = branches.iter().map(|b| b.taken).collect();
        // With no bound, preemptions spent limit no future: a visit covers any later one.
        let spent = if self.bound == UNBOUNDED {
            0
        } else {
            branches.iter().map(|b| b.cost(b.taken)).sum()
        };
        drop(branches);
        let mut yielded: Vec<(usize, Vec<usize>)> = self
            .now
            .yielded_to
            .iter()
            .map(|(t, others)| (*t, others.clone()))
            .collect();
        yielded.sort_unstable();
        let mut h = std::hash::DefaultHasher::new();
        let state = ledger::state_fingerprint(visits.forget_threads());
        let silent = &self.now.silent;
        (state, runnable, silent, current, is_yielding, &yielded).hash(&mut h);
        let visit = Visit {
            choices,
            spent,
            asleep: self.now.asleep.clone(),
        };
        visits.covered(h.finish(), visit)
    }

    /// The next prefix after the execution whose branches are `done`, if any is left: the
    /// deepest choice point with an option left to try.
    fn next_prefix(&self, done: &mut [Branch]) -> Option<Vec<Choice>> {
        let spent = spent(done);
        for i in (self.floor..done.len()).rev() {
            while let Some(k) = self.next_option(done, &spent, i) {
                if self.claim(done, i, k) {
                    return Some(prefix_to(done, i, k));
                }
            }
        }
        None
    }

    /// Claims option `k` of `done[i]` (under DPOR on several workers): whether it is this
    /// worker's to explore; if not, it is marked given.
    fn claim(&self, done: &mut [Branch], i: usize, k: usize) -> bool {
        let Some(claims) = &self.claims else {
            return true;
        };
        let thread = done[i].options[k];
        let mine = claims.claim(done, i, thread);
        if !mine {
            done[i].given.push(thread);
        }
        mine
    }

    /// The first option after the one taken at `done[i]` that the bound still allows (under
    /// DPOR: the first wanted there and not yet tried).
    fn next_option(&self, done: &[Branch], spent: &[usize], i: usize) -> Option<usize> {
        let b = &done[i];
        let within = |k: usize| spent[i] + b.cost(k) <= self.bound;
        if self.dpor() {
            return (0..b.options.len())
                .find(|&k| b.wanted.contains(&b.options[k]) && !b.tried(k) && within(k));
        }
        (b.taken + 1..b.options.len()).find(|&k| within(k))
    }

    /// Whether the execution's events are followed (for DPOR, or to count behaviours).
    fn follows_events(&self) -> bool {
        self.dpor() || self.behaviours.is_some()
    }

    /// Whether the choice points try only what races ask for.
    fn dpor(&self) -> bool {
        self.reduction.is_dpor()
    }

    /// The share of the tree an execution that made the choices of `done` stands for: one over
    /// the options the bound allows at each of its choice points, as likely as a random descent
    /// is to end there. The shares of all the executions of a bound sum to 1.
    fn share_of_tree(&self, done: &[Branch]) -> f64 {
        let spent = spent(done);
        done.iter()
            .enumerate()
            .map(|(i, b)| {
                let allowed = (0..b.options.len())
                    .filter(|&k| spent[i] + b.cost(k) <= self.bound)
                    .filter(|&k| !self.dpor() || b.wanted.contains(&b.options[k]))
                    .count();
                1.0 / allowed.max(1) as f64
            })
            .product()
    }

    /// Gives a waiting worker the rest of the shallowest choice point that has options left to
    /// try (the biggest piece at hand), which this worker then leaves alone; to a pool that
    /// collects, the rest of every choice point, leaving this worker nothing more to explore.
    fn share(&mut self, done: &mut [Branch]) {
        if self.dpor() {
            self.share_claimed(done);
            return;
        }
        if self.pool.as_ref().is_some_and(|p| p.collects()) {
            while self.share_one(done) {}
        } else {
            self.share_one(done);
        }
    }

    /// Under DPOR, gives a hungry worker one option of the shallowest choice point that wants one
    /// (claimed first, see [`Claims`]): what a choice point wants grows with the races found
    /// below it, so its rest cannot be given away, and this worker goes on with its other
    /// options.
    fn share_claimed(&mut self, done: &mut [Branch]) {
        let Some(pool) = self
            .pool
            .clone()
            .filter(|p| p.hungry() && self.claims.is_some())
        else {
            return;
        };
        let spent = spent(done);
        for i in self.floor..done.len() {
            while let Some(k) = self.next_option(done, &spent, i) {
                if self.claim(done, i, k) {
                    done[i].given.push(done[i].options[k]);
                    self.give(&pool, done, i, k);
                    return;
                }
            }
        }
    }

    /// Gives `pool` the schedules that take option `k` at `done[i]`, backtracking only below.
    fn give(&self, pool: &Pool<Subtree>, done: &[Branch], i: usize, k: usize) {
        let mut key: Vec<usize> = done[..i].iter().map(|b| b.taken).collect();
        key.push(k);
        let prefix = prefix_to(done, i, k);
        pool.give(
            key,
            Subtree {
                prefix,
                floor: i + 1,
            },
        );
    }

    /// Gives the pool the option that `branches[i]` newly wants (its `w`-th), `i` being another
    /// worker's choice point, if nobody has claimed it and the bound allows it.
    fn give_foreign(&self, branches: &mut [Branch], i: usize, w: usize) {
        let Some(pool) = self.pool.clone() else {
            return;
        };
        let thread = branches[i].wanted[w];
        let Some(k) = branches[i].options.iter().position(|&o| o == thread) else {
            return;
        };
        let spent = spent(&branches[..i]);
        if branches[i].tried(k) || spent[i] + branches[i].cost(k) > self.bound {
            return;
        }
        if self.claim(branches, i, k) {
            branches[i].given.push(thread);
            self.give(&pool, branches, i, k);
        }
    }

    /// Gives the rest of the shallowest choice point left, if a worker is hungry for it.
    fn share_one(&mut self, done: &[Branch]) -> bool {
        let Some(pool) = self.pool.as_ref().filter(|p| p.hungry()) else {
            return false;
        };
        let spent = spent(done);
        let Some((i, k)) =
            (self.floor..done.len()).find_map(|i| Some((i, self.next_option(done, &spent, i)?)))
        else {
            return false;
        };
        let mut key: Vec<usize> = done[..i].iter().map(|b| b.taken).collect();
        key.push(k);
        let prefix = prefix_to(done, i, k);
        pool.give(key, Subtree { prefix, floor: i });
        self.floor = i + 1;
        true
    }

    /// Ends the running thread's step (the threads that can run now are `runnable`; `yielded`,
    /// whether it ended by yielding): what it touched wakes the sleepers it conflicts with.
    fn end_step(&mut self, runnable: &[usize], yielded: bool) {
        let Some((thread, start, branch)) = self.now.running.take() else {
            return;
        };
        let own = ledger::touched_since(start);
        if own.is_empty() {
            let silent = &mut self.now.silent;
            if silent.len() <= thread {
                silent.resize(thread + 1, 0);
            }
            silent[thread] += 1;
        }
        if let Some(event) = &mut self.now.event {
            event.touches.extend(&own);
            event.yields |= yielded;
        }
        let before = self.now.previous.insert(thread, own.clone());
        let mut all = before.unwrap_or_default();
        all.extend(own);
        // A yield touches everything: under the fairness below, where it falls decides who may
        // run after it.
        let footprint = if all.is_empty() || yielded {
            Footprint::Anything
        } else {
            Footprint::of(all)
        };
        let gives_way = yielded || !runnable.contains(&thread);
        if let Some(i) = branch {
            if let Some(b) = lock(&self.branches).get_mut(i) {
                if !b.seen.iter().any(|s| s.thread == thread) {
                    b.seen.push(Seen {
                        thread,
                        footprint: footprint.clone(),
                        gives_way,
                        block: None,
                    });
                    self.now.blocks.push((i, Footprint::Resources(Vec::new())));
                    self.now.seen_open = Some(i);
                }
            }
        } else if let Some(i) = self.now.seen_open {
            // A facade's operation went on past a scheduling point: its steps there are the
            // option's one step (what a sealed operation touches is its own step, recorded at
            // its end, not its inner locks).
            let mut branches = lock(&self.branches);
            let seen = branches
                .get_mut(i)
                .and_then(|b| b.seen.iter_mut().find(|s| s.thread == thread));
            if let Some(seen) = seen {
                seen.footprint = seen.footprint.and(&footprint);
                seen.gives_way = gives_way;
            }
        }
        for (_, block) in &mut self.now.blocks {
            *block = block.and(&footprint);
        }
        if gives_way {
            self.end_blocks(thread);
        }
        let reduction = self.reduction;
        self.now
            .asleep
            .retain(|(t, f)| *t != thread && !f.conflicts(&footprint, reduction));
    }

    /// Ends the blocks of `thread`, which is switched away from: their footprints are known.
    fn end_blocks(&mut self, thread: usize) {
        let mut branches = lock(&self.branches);
        for (i, block) in self.now.blocks.drain(..) {
            let seen = branches
                .get_mut(i)
                .and_then(|b| b.seen.iter_mut().find(|s| s.thread == thread));
            if let Some(seen) = seen {
                seen.block = Some(block);
            }
        }
    }

    /// The threads of `in_order` that fairness lets run (CHESS's fair scheduler): a thread that
    /// yields says it cannot progress until others act, so it waits until every thread that could
    /// run when it yielded has run (or blocked). Two threads polling in turn then cannot keep a
    /// third from ever running, and a spin loop is not explored turn by turn in every order.
    fn fair(&mut self, in_order: Vec<usize>, current: Option<usize>, yielded: bool) -> Vec<usize> {
        let waits = &mut self.now.yielded_to;
        // Whoever cannot run now (blocked or ended) is waited for no more.
        for others in waits.values_mut() {
            others.retain(|u| in_order.contains(u));
        }
        if let (Some(t), true) = (current, yielded) {
            let others: Vec<usize> = in_order.iter().copied().filter(|&u| u != t).collect();
            waits.insert(t, others);
        }
        let allowed: Vec<usize> = in_order
            .iter()
            .copied()
            .filter(|t| waits.get(t).is_none_or(Vec::is_empty))
            .collect();
        if allowed.is_empty() {
            in_order
        } else {
            allowed
        }
    }

    /// The thread to run next among `ids`, recording the choice point if there is one; the
    /// branch it is an option of, if it is one.
    fn choose(
        &mut self,
        ids: &[usize],
        current: Option<usize>,
        is_yielding: bool,
    ) -> (usize, Option<usize>) {
        let goes_on = current.filter(|c| ids.contains(c) && !is_yielding);
        // Without a preemption: the running thread goes on; after a yield (or when it cannot go
        // on), the next thread after it in creation order.
        let in_order: Vec<usize> = match goes_on {
            Some(c) => std::iter::once(c)
                .chain(ids.iter().copied().filter(|&i| i != c))
                .collect(),
            None => {
                let after = current.unwrap_or(0);
                let mut rest: Vec<usize> = ids.iter().copied().filter(|&i| i > after).collect();
                rest.extend(ids.iter().copied().filter(|&i| i <= after));
                rest
            }
        };
        let in_order = self.fair(in_order, current, is_yielding);
        if self.now.redundant {
            return (in_order[0], None);
        }
        let options: Vec<usize> = in_order
            .iter()
            .copied()
            .filter(|t| !self.now.asleep.iter().any(|(s, _)| s == t))
            .collect();
        if options.is_empty() {
            // Every thread that could run is asleep: whatever follows reorders independent steps
            // of a schedule already explored.
            self.now.redundant = true;
            return (in_order[0], None);
        }
        if options.len() == 1 {
            return (options[0], None);
        }
        let mut branches = lock(&self.branches);
        let i = branches.len();
        let planned = self.prefix.get(i);
        let taken = planned
            .and_then(|p| options.iter().position(|&o| o == p.thread))
            .unwrap_or(0);
        let seen = planned.map(|p| p.seen.clone()).unwrap_or_default();
        let chosen = options[taken];
        let wanted = planned.map_or_else(|| vec![chosen], |p| p.wanted.clone());
        let asleep = self.now.asleep.iter().map(|(t, _)| *t).collect();
        for s in seen.iter().filter(|s| s.thread != chosen) {
            // Moving the thread's one step ahead costs no preemption more if it is the thread
            // that went on, or if its step gave way; otherwise, moving its whole block ahead
            // does not (see `Dfs`).
            let one_step = goes_on == Some(s.thread) || s.gives_way;
            let textbook = self.reduction == Reduction::TextbookSleepSets;
            let footprint = if one_step || textbook {
                Some(&s.footprint)
            } else {
                s.block.as_ref()
            };
            if let Some(f) = footprint.filter(|f| **f != Footprint::Anything) {
                self.now.asleep.push((s.thread, f.clone()));
            }
        }
        branches.push(Branch {
            options,
            taken,
            goes_on,
            seen,
            wanted,
            runnable: ids.to_vec(),
            asleep,
            given: planned.map(|p| p.given.clone()).unwrap_or_default(),
        });
        (chosen, Some(i))
    }
}

impl Dfs {
    /// Ends the event in progress and begins `chosen`'s after the choice point `branch`. Under
    /// DPOR, the choice points before the ended event are asked what its races ask (see
    /// `races`) — unless the execution had become a reordering of an explored one before it
    /// (`redundant`): its races are that one's.
    fn next_event(
        &mut self,
        runnable: &[usize],
        chosen: usize,
        branch: Option<usize>,
        redundant: bool,
    ) {
        for &t in runnable {
            self.now.races.saw(t);
        }
        if let Some(event) = self.now.event.take() {
            let footprint = if event.touches.is_empty() || event.yields {
                Footprint::Anything
            } else {
                Footprint::of(event.touches)
            };
            let (thread, at) = (event.thread, event.branch);
            let bounded = self.bound != UNBOUNDED;
            let requests = self
                .now
                .races
                .record(thread, at, footprint, self.reduction, bounded);
            let mut branches = lock(&self.branches);
            for r in requests.into_iter().filter(|_| self.dpor() && !redundant) {
                for i in r.at.into_iter().chain(r.conservative) {
                    let before = branches[i].wanted.len();
                    branches[i].want(&r.initials);
                    if i < self.floor {
                        // Another worker's choice point: what it newly wants becomes a piece.
                        for w in before..branches[i].wanted.len() {
                            self.give_foreign(&mut branches, i, w);
                        }
                    }
                }
            }
        }
        self.now.event = Some(OpenEvent {
            thread: chosen,
            branch,
            touches: Vec::new(),
            yields: false,
        });
    }
}

impl Scheduler for Dfs {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started && self.follows_events() {
            // The last step's touches, still in the ledger, end the last event.
            self.end_step(&[], false);
            self.next_event(&[], 0, None, self.now.redundant);
            if let Some(behaviours) = &self.behaviours {
                lock(behaviours).insert(self.now.races.trace());
            }
        }
        if self.started {
            let mut done = std::mem::take(&mut *lock(&self.branches));
            let share = self.share_of_tree(&done);
            *lock(&self.covered) += share;
            if let Some(meter) = &self.meter {
                meter.explored(share);
            }
            self.share(&mut done);
            match self.next_prefix(&mut done) {
                Some(prefix) => self.prefix = prefix,
                None => {
                    self.exhausted.store(true, Ordering::SeqCst);
                    return None;
                }
            }
        }
        self.started = true;
        self.now = Execution::default();
        // The touches of the execution to come start from nothing.
        ledger::reset();
        ledger::keep_fingerprints(self.visits.is_some());
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let ids = task_numbers(runnable);
        self.end_step(&ids, is_yielding);
        let current_id = current.map(usize::from);
        // Inside a facade's own operation (a shared value's read, a semaphore's acquire), the
        // running thread goes on until the operation ends or blocks: its inner locks are seen by
        // no one else, so switching away there only delays what others would do anyway.
        let sealed = current_id.filter(|&c| {
            self.reduction != Reduction::Unsealed
                && !is_yielding
                && ids.contains(&c)
                && ledger::inside_sealed_operation(
                    c,
                    self.reduction == Reduction::SealedFromTheStart,
                )
        });
        if sealed.is_none() {
            self.now.seen_open = None;
        }
        let (chosen, branch) = match sealed {
            Some(c) => (c, None),
            None => {
                if !self.now.redundant && self.seen_before(&ids, current_id, is_yielding) {
                    self.now.redundant = true;
                }
                let redundant = self.now.redundant;
                let (chosen, branch) = self.choose(&ids, current_id, is_yielding);
                if self.follows_events() {
                    self.next_event(&ids, chosen, branch, redundant);
                }
                (chosen, branch)
            }
        };
        if let Some(previous) = current.map(usize::from).filter(|&p| p != chosen) {
            self.end_blocks(previous);
        }
        for others in self.now.yielded_to.values_mut() {
            others.retain(|&u| u != chosen);
        }
        self.now.running = Some((chosen, ledger::touch_count(), branch));
        task_numbered(runnable, chosen)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

pub(super) fn explore(check: &Check, body: &Body) -> Report {
    let start = Instant::now();
    let deadline = check.time_limit.map(|t| start + t);
    // Behaviours are counted afresh for each run of the check.
    let mut fresh = check.clone();
    fresh.behaviours = check.behaviours.as_ref().map(|_| Arc::default());
    let check = &fresh;
    let mut report = deepen(check, |bound| explore_bound(bound, check, body, deadline));
    report.elapsed = start.elapsed();
    report.stats.behaviours = check.behaviours.as_ref().map(|b| lock(b).len());
    report
}

/// The first bound a bounded exploration explores: 0, deepening from there, or the plan's
/// bound in one pass (with no bound there is no largest one to deepen to).
pub(super) fn first_bound(check: &Check) -> usize {
    if check.no_deepening || check.preemptions == UNBOUNDED {
        check.preemptions
    } else {
        0
    }
}

/// Deepens the preemption bound from [`first_bound`] to the plan's, `pass(bound)` giving each
/// bound's run and whether it went through every schedule within it, and stops where a failure
/// ends the search or a pass could not finish: the report of a bounded exploration (its
/// `elapsed` left for the caller to set).
pub(super) fn deepen(check: &Check, mut pass: impl FnMut(usize) -> (Run, bool)) -> Report {
    let max = check.preemptions;
    let first = first_bound(check);
    let mut all = Run::default();
    let ends = ends_of(check);
    let mut found: Vec<super::Failure> = Vec::new();
    let mut coverage = Coverage::Exhaustive { preemptions: max };
    let mut explored = first;
    for bound in first..=max {
        explored = bound;
        if let Some(meter) = &check.meter {
            meter.at_bound(bound);
        }
        let (mut r, exhausted) = pass(bound);
        let failures: Vec<super::Failure> = r
            .failure
            .take()
            .into_iter()
            .chain(std::mem::take(&mut r.also))
            .collect();
        all.executions += r.executions;
        all.outcomes.extend(std::mem::take(&mut r.outcomes));
        all.stats.complete += r.stats.complete;
        all.stats.threads = all.stats.threads.max(r.stats.threads);
        all.stats.steps = all.stats.steps.max(r.stats.steps);
        all.stats.spins = all.stats.spins.max(r.stats.spins);
        all.stats
            .weak_orderings
            .extend(std::mem::take(&mut r.stats.weak_orderings));
        // The report's bound is where its failure first showed: a failure that does not end the
        // search (a lost update) keeps the deepening going for a worse or the expected verdict.
        if found.is_empty() && !failures.is_empty() {
            coverage = Coverage::Exhaustive { preemptions: bound };
        }
        let ended = failures.iter().any(|f| ends.ends(f));
        for f in failures {
            keep_first_of_kind(&mut found, f);
        }
        if ended {
            coverage = Coverage::Exhaustive { preemptions: bound };
            break;
        }
        if !exhausted {
            coverage = Coverage::Incomplete(format!(
                "the time limit ran out {} ({} executions there, about {:.0}% of its schedules \
                 by their share of its tree; {} in all)",
                super::report::bound_phrase("at", bound),
                r.executions,
                (r.covered * 100.0).min(99.0),
                all.executions
            ));
            break;
        }
    }
    let (failure, also) = ends.reported(found);
    if failure.is_none() && !matches!(coverage, Coverage::Incomplete(_)) {
        coverage = Coverage::Exhaustive {
            preemptions: explored,
        };
    }
    Report {
        subject: check.subject.clone(),
        mode: check.mode,
        failure: failure.map(|mut f| {
            f.found_in = None;
            f
        }),
        also: also
            .into_iter()
            .map(|mut f| {
                f.found_in = None;
                f
            })
            .collect(),
        coverage,
        executions: all.executions,
        outcomes: all.outcomes,
        elapsed: std::time::Duration::ZERO,
        stats: Stats {
            bound_explored: Some(explored),
            ..all.stats
        },
    }
}

/// Every schedule within `bound`: the run, and whether it went through them all. Each worker
/// explores a piece of the tree depth-first; whenever one waits, a busy one gives it the rest of
/// its shallowest choice point. The pieces compare in the order one worker would explore them,
/// and the first failure in that order is the one reported, whatever the number of workers.
fn explore_bound(
    bound: usize,
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
) -> (Run, bool) {
    let whole = Subtree {
        prefix: Vec::new(),
        floor: 0,
    };
    let (done, whole) = explore_pieces(bound, check, body, deadline, vec![(Vec::new(), whole)]);
    merge_pieces(done, whole, ends_of(check))
}

/// A piece's run: its key, what it found, and whether it went through every schedule of it.
pub(super) type PieceRun = (Vec<usize>, Run, bool);

/// Explores `pieces` of the tree within `bound` on the check's workers (see [`explore_bound`]):
/// each piece explored and its run, and whether no piece was left for lack of time.
fn explore_pieces(
    bound: usize,
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
    pieces: Vec<Piece<Subtree>>,
) -> (Vec<PieceRun>, bool) {
    let pool = Arc::new(Pool::of_pieces(check.workers, pieces));
    let ends = ends_of(check);
    let dpor = check.reduction.is_dpor();
    let claims = (dpor && check.workers > 1).then(|| Arc::new(Claims::default()));
    let visits = (check.state_caching != StateCaching::Off && !dpor).then(|| {
        Arc::new(Visits::new(
            check.state_caching == StateCaching::ForgettingThreads,
        ))
    });
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..check.workers.max(1) {
            scope.spawn(|| {
                while let Some((key, subtree)) = pool.take(deadline) {
                    let mut dfs = Dfs::below(
                        bound,
                        check.reduction,
                        subtree,
                        pool.clone(),
                        visits.clone(),
                    );
                    dfs.meter = check.meter.clone();
                    dfs.behaviours = check.behaviours.clone();
                    dfs.claims = claims.clone();
                    let exhausted = dfs.exhausted.clone();
                    let covered = dfs.covered.clone();
                    let mut r = run(dfs, check, body, None, deadline);
                    r.covered = *lock(&covered);
                    if r.failure.as_ref().is_some_and(|f| ends.ends(f)) {
                        pool.failed(&key);
                    }
                    lock(&done).push((key, r, exhausted.load(Ordering::SeqCst)));
                }
            });
        }
    });
    let done = std::mem::take(&mut *lock(&done));
    (done, !pool.abandoned())
}

/// The runs of pieces as one run, in the order one worker would have explored them: the first
/// failure of each kind in that order, up to the first that ends the search; and whether they
/// went through every schedule (`whole`: no piece was left for lack of time).
pub(super) fn merge_pieces(mut done: Vec<PieceRun>, whole: bool, ends: Ends) -> (Run, bool) {
    done.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged = Run::default();
    let mut found = Vec::new();
    let mut ended = false;
    let mut whole = whole;
    for (_, r, exhausted) in done {
        whole &= exhausted;
        // Pieces after the first whose failure ended the search may have failed too before
        // they heard of it: theirs are not the search's.
        for f in merged.add_counts(r) {
            if !ended {
                keep_first_of_kind(&mut found, f);
            }
        }
        ended = found.iter().any(|f| ends.ends(f));
    }
    (merged.failure, merged.also) = ends.reported(found);
    (merged, whole)
}

/// The pieces a sharded exploration splits the tree within `bound` into, the same in every
/// shard (nothing in it depends on time or workers): the shallowest piece is split, by running
/// its first schedule and giving away the rest of each of its choice points, until there are
/// `pieces` of them or `splits` schedules have run. Returns the schedules run, each as a piece
/// of one schedule, and the pieces left, in the order one worker would explore them.
fn split(
    bound: usize,
    check: &Check,
    body: &Body,
    pieces: usize,
    splits: usize,
) -> (Vec<PieceRun>, Vec<Piece<Subtree>>) {
    let whole = Subtree {
        prefix: Vec::new(),
        floor: 0,
    };
    let mut left: Vec<Piece<Subtree>> = vec![(Vec::new(), whole)];
    let mut ran = Vec::new();
    while !left.is_empty() && left.len() < pieces && ran.len() < splits {
        let shallowest = (0..left.len())
            .min_by(|&a, &b| (left[a].0.len(), &left[a].0).cmp(&(left[b].0.len(), &left[b].0)))
            .expect("a piece is left");
        let (key, subtree) = left.swap_remove(shallowest);
        let collector = Arc::new(Pool::collector());
        let dfs = Dfs::below(bound, check.reduction, subtree, collector.clone(), None);
        let exhausted = dfs.exhausted.clone();
        let covered = dfs.covered.clone();
        let mut r = run(dfs, check, body, None, None);
        r.covered = *lock(&covered);
        ran.push((key, r, exhausted.load(Ordering::SeqCst)));
        let given = Arc::try_unwrap(collector)
            .ok()
            .expect("the collector is no one else's once its run is over");
        left.extend(given.into_pieces());
    }
    left.sort_by(|a, b| a.0.cmp(&b.0));
    (ran, left)
}

/// Shard `index` of `count` of the schedules within `bound`: the tree split the same way in
/// every shard ([`split`]), then the pieces dealt out in turn, the `index`-th of every `count`
/// explored here (the schedules run to split it, as many per shard as `Check::shard_split`
/// says, belong to shard 0). The runs of the pieces
/// explored, and whether no piece was left for lack of time.
pub(super) fn explore_shard_bound(
    bound: usize,
    check: &Check,
    body: &Body,
    deadline: Option<Instant>,
    (index, count): (usize, usize),
) -> (Vec<PieceRun>, bool) {
    // DPOR's choice points are not known before their subtrees are explored: shards deal out
    // the tree that sleep sets alone leave.
    let sleep_sets;
    let check = if check.reduction.is_dpor() {
        sleep_sets = check.clone().reduction(Reduction::SleepSets);
        &sleep_sets
    } else {
        check
    };
    let (ran, pieces) = split(
        bound,
        check,
        body,
        check.shard_split.0 * count,
        check.shard_split.1 * count,
    );
    let mine: Vec<Piece<Subtree>> = pieces
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % count == index)
        .map(|(_, piece)| piece)
        .collect();
    let (mut done, whole) = explore_pieces(bound, check, body, deadline, mine);
    if index == 0 {
        done.extend(ran);
    }
    (done, whole)
}
