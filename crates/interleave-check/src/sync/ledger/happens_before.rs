//! Happens-before, kept as vector clocks: which accesses of an execution the synchronisation the
//! facade knows puts in order, so that two accesses to a [`crate::cell::UnsafeCell`], one of them
//! a write, that nothing orders are a data race whichever of them came first in this execution.
//!
//! Every thread has a clock; every resource one can synchronise through (a lock, a semaphore, a
//! thread to join, an atomic) keeps the clock its last release left there. A release joins the
//! thread's clock into the resource's and ticks the thread's own entry; an acquire joins the
//! resource's clock into the thread's. Atomics follow their orderings: a `Release` (or stronger)
//! store publishes the storer's clock, an `Acquire` (or stronger) load takes it, a read-modify-
//! write continues the release sequence, `Relaxed` publishes and takes nothing but what fences
//! add (a `Release` fence before a relaxed store, an `Acquire` fence after a relaxed load).
//!
//! Cells keep FastTrack's epochs (Flanagan and Freund, PLDI'09): the last write as one thread's
//! tick, the reads since it one per thread, so a check costs a comparison per earlier access.
//!
//! shuttle runs atomics as sequentially consistent, so a load reads the last store and the
//! atomic's clock is exactly that store's. loom lets a load read an older store, which this
//! ledger does not see: there an atomic keeps every release it had, joined (a load synchronises
//! with more than it may, never with less), so these clocks never report a race that is not one,
//! and loom's own cell check finds those that only weak memory orders away.

use super::AtomicAccess;
use std::sync::atomic::Ordering;

/// A place in the source, as `#[track_caller]` gives it.
pub(super) type Place = &'static std::panic::Location<'static>;

/// One entry per thread of the execution, in the ledger's numbering: how many of that thread's
/// releases are known to have happened before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct VectorClock(Vec<u32>);

impl VectorClock {
    fn get(&self, thread: usize) -> u32 {
        self.0.get(thread).copied().unwrap_or(0)
    }

    fn join(&mut self, other: &VectorClock) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
    }

    fn tick(&mut self, thread: usize) {
        if self.0.len() <= thread {
            self.0.resize(thread + 1, 0);
        }
        self.0[thread] += 1;
    }
}

fn acquires(order: Ordering) -> bool {
    matches!(
        order,
        Ordering::Acquire | Ordering::AcqRel | Ordering::SeqCst
    )
}

fn releases(order: Ordering) -> bool {
    matches!(
        order,
        Ordering::Release | Ordering::AcqRel | Ordering::SeqCst
    )
}

/// One access to a cell.
#[derive(Clone, Debug)]
pub(super) struct CellAccess {
    pub thread: usize,
    /// The thread's own entry of its clock when it accessed.
    epoch: u32,
    pub write: bool,
    /// Where in the source: formatted only if the access races.
    pub place: Place,
    /// Its step among the ledger's recorded steps, where it is one.
    pub step: Option<usize>,
}

/// The accesses to one cell that a later access must be ordered after: the last write, and
/// every thread's last read since.
#[derive(Debug, Default)]
struct CellHistory {
    last_write: Option<CellAccess>,
    reads: Vec<CellAccess>,
}

#[derive(Debug, Default)]
struct ThreadClock {
    now: VectorClock,
    /// Its clock at its last `Release` fence: what its later relaxed stores publish.
    at_release_fence: Option<VectorClock>,
    /// What its relaxed loads read from releases: what its next `Acquire` fence takes.
    for_acquire_fence: VectorClock,
}

/// The happens-before order of one execution, as far as the facade sees it, from the moment
/// the execution made its first cell: no access happened before that, so nothing before it can
/// order two accesses, and an execution without cells pays nothing.
#[derive(Debug, Default)]
pub(super) struct HappensBefore {
    /// Whether the execution has made a cell yet.
    on: bool,
    threads: Vec<ThreadClock>,
    /// Per resource (the ledger's numbering): the clock its releases left.
    resources: Vec<VectorClock>,
    /// Per resource that is a cell.
    cells: Vec<Option<CellHistory>>,
}

impl HappensBefore {
    fn thread(&mut self, t: usize) -> &mut ThreadClock {
        if self.threads.len() <= t {
            self.threads.resize_with(t + 1, ThreadClock::default);
        }
        &mut self.threads[t]
    }

    fn resource(&mut self, res: usize) -> &mut VectorClock {
        if self.resources.len() <= res {
            self.resources.resize_with(res + 1, VectorClock::default);
        }
        &mut self.resources[res]
    }

    /// Whether the execution has made a cell, and so keeps the clocks.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// The execution made a cell; it has `threads` threads so far.
    pub fn start(&mut self, threads: usize) {
        if self.on {
            return;
        }
        self.on = true;
        for t in 0..threads {
            self.registered(t);
        }
    }

    /// A thread joins the execution: its own entry starts at 1, so that what it does before its
    /// first release is ordered before no other thread's accesses.
    pub fn registered(&mut self, t: usize) {
        if self.on {
            self.thread(t).now.tick(t);
        }
    }

    /// `t` releases `res` (unlocks it, gives a permit back, spawns the thread it stands for,
    /// finishes as the thread it stands for).
    pub fn release(&mut self, t: usize, res: usize) {
        if !self.on {
            return;
        }
        self.thread(t);
        self.resource(res);
        self.resources[res].join(&self.threads[t].now);
        self.threads[t].now.tick(t);
    }

    /// `t` acquires `res` (locks it, takes a permit, starts as the thread it stands for, joins
    /// the thread it stands for).
    pub fn acquire(&mut self, t: usize, res: usize) {
        if !self.on {
            return;
        }
        self.resource(res);
        self.thread(t);
        self.threads[t].now.join(&self.resources[res]);
    }

    /// `t` did `access` to the atomic `res` with `order`.
    pub fn atomic(&mut self, t: usize, res: usize, access: AtomicAccess, order: Ordering) {
        if !self.on {
            return;
        }
        if access != AtomicAccess::Store {
            let published = self.resource(res).clone();
            let th = self.thread(t);
            if acquires(order) {
                th.now.join(&published);
            } else {
                th.for_acquire_fence.join(&published);
            }
        }
        if access == AtomicAccess::Load {
            return;
        }
        let th = self.thread(t);
        let publishes = if releases(order) {
            Some(th.now.clone())
        } else {
            th.at_release_fence.clone()
        };
        if releases(order) {
            th.now.tick(t);
        }
        // A plain store starts a new release sequence (shuttle: the last store is the one every
        // later load reads); a read-modify-write continues the one it read from. loom's loads
        // may read an older store: there every release stays.
        let keeps_earlier = access == AtomicAccess::ReadModifyWrite || cfg!(interleave_loom);
        let clock = self.resource(res);
        if !keeps_earlier {
            *clock = VectorClock::default();
        }
        if let Some(published) = publishes {
            clock.join(&published);
        }
    }

    /// `t` ran a fence with `order`.
    pub fn fence(&mut self, t: usize, order: Ordering) {
        if !self.on {
            return;
        }
        let th = self.thread(t);
        if acquires(order) {
            let taken = std::mem::take(&mut th.for_acquire_fence);
            th.now.join(&taken);
        }
        if releases(order) {
            th.at_release_fence = Some(th.now.clone());
            th.now.tick(t);
        }
    }

    /// `t` accessed the cell `res` (`write`: it may write through the pointer it got), at
    /// `place`, as step `step`: the earlier access it races with, if one is not ordered before it.
    pub fn cell_access(
        &mut self,
        t: usize,
        res: usize,
        write: bool,
        place: Place,
        step: Option<usize>,
    ) -> Option<CellAccess> {
        let now = self.thread(t).now.clone();
        if self.cells.len() <= res {
            self.cells.resize_with(res + 1, || None);
        }
        let history = self.cells[res].get_or_insert_with(CellHistory::default);
        let ordered = |a: &CellAccess| a.thread == t || a.epoch <= now.get(a.thread);
        if let Some(w) = history.last_write.as_ref().filter(|w| !ordered(w)) {
            return Some(w.clone());
        }
        let access = CellAccess {
            thread: t,
            epoch: now.get(t),
            write,
            place,
            step,
        };
        if write {
            if let Some(r) = history.reads.iter().find(|r| !ordered(r)) {
                return Some(r.clone());
            }
            history.reads.clear();
            history.last_write = Some(access);
        } else {
            history.reads.retain(|r| r.thread != t);
            history.reads.push(access);
        }
        None
    }

    #[cfg(interleave_loom)]
    /// The latest access to the cell `res` by a thread other than `t` that conflicts with an
    /// access of `t`'s (`write`): the one a race loom found is most likely with.
    pub fn latest_conflicting(&self, t: usize, res: usize, write: bool) -> Option<CellAccess> {
        let history = self.cells.get(res)?.as_ref()?;
        let reads = history.reads.iter().filter(|_| write);
        history
            .last_write
            .iter()
            .chain(reads)
            .filter(|a| a.thread != t)
            .max_by_key(|a| a.step)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: usize = 0;
    const CHILD: usize = 1;
    const CELL: usize = 0;
    const FLAG: usize = 1;

    fn two_threads() -> HappensBefore {
        let mut hb = HappensBefore::default();
        hb.start(1);
        hb.registered(CHILD);
        hb
    }

    fn write(hb: &mut HappensBefore, t: usize) -> Option<CellAccess> {
        hb.cell_access(t, CELL, true, std::panic::Location::caller(), Some(0))
    }

    fn read(hb: &mut HappensBefore, t: usize) -> Option<CellAccess> {
        hb.cell_access(t, CELL, false, std::panic::Location::caller(), Some(1))
    }

    #[test]
    fn unordered_write_and_read_race_either_way_round() {
        let mut hb = two_threads();
        assert!(write(&mut hb, MAIN).is_none());
        assert!(read(&mut hb, CHILD).is_some());
        let mut hb = two_threads();
        assert!(read(&mut hb, CHILD).is_none());
        assert!(write(&mut hb, MAIN).is_some());
    }

    #[test]
    fn reads_never_race_with_reads() {
        let mut hb = two_threads();
        assert!(read(&mut hb, MAIN).is_none());
        assert!(read(&mut hb, CHILD).is_none());
    }

    #[test]
    fn a_release_acquire_pair_orders_and_a_relaxed_one_does_not() {
        for (store, load, races) in [
            (Ordering::Release, Ordering::Acquire, false),
            (Ordering::SeqCst, Ordering::SeqCst, false),
            (Ordering::Relaxed, Ordering::Acquire, true),
            (Ordering::Release, Ordering::Relaxed, true),
        ] {
            let mut hb = two_threads();
            write(&mut hb, MAIN);
            hb.atomic(MAIN, FLAG, AtomicAccess::Store, store);
            hb.atomic(CHILD, FLAG, AtomicAccess::Load, load);
            assert_eq!(read(&mut hb, CHILD).is_some(), races, "{store:?}/{load:?}");
        }
    }

    #[test]
    fn fences_turn_relaxed_accesses_into_a_pair() {
        let mut hb = two_threads();
        write(&mut hb, MAIN);
        hb.fence(MAIN, Ordering::Release);
        hb.atomic(MAIN, FLAG, AtomicAccess::Store, Ordering::Relaxed);
        hb.atomic(CHILD, FLAG, AtomicAccess::Load, Ordering::Relaxed);
        hb.fence(CHILD, Ordering::Acquire);
        assert!(read(&mut hb, CHILD).is_none());
    }

    #[test]
    fn a_write_after_the_release_is_not_published_by_it() {
        let mut hb = two_threads();
        hb.release(MAIN, FLAG);
        write(&mut hb, MAIN);
        hb.acquire(CHILD, FLAG);
        assert!(read(&mut hb, CHILD).is_some());
    }

    /// What happened before the first cell was made orders no access to it: a thread spawned
    /// then, and synchronised with nobody since, races.
    #[test]
    fn clocks_started_late_still_see_a_race() {
        let mut hb = HappensBefore::default();
        hb.registered(MAIN);
        hb.release(MAIN, FLAG);
        hb.registered(CHILD);
        hb.acquire(CHILD, FLAG);
        hb.start(2);
        assert!(write(&mut hb, MAIN).is_none());
        assert!(read(&mut hb, CHILD).is_some());
    }

    #[test]
    fn a_lock_orders_its_holders() {
        let mut hb = two_threads();
        hb.acquire(MAIN, FLAG);
        write(&mut hb, MAIN);
        hb.release(MAIN, FLAG);
        hb.acquire(CHILD, FLAG);
        assert!(write(&mut hb, CHILD).is_none());
    }
}
