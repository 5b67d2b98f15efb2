//! How far an exploration has got, told to whoever watches (the CLI draws it as a progress line
//! on a terminal). The explorer counts every execution; it calls the watcher at most every tenth
//! of a second, so that watching costs nothing an exploration would notice.

use super::Mode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A snapshot of an exploration in progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub mode: Mode,
    /// Executions (schedules, runs) so far, across every worker.
    pub executions: usize,
    /// Exhaustive: the preemption bound being explored.
    pub bound: Option<usize>,
    /// Randomized: the schedules planned (the fair one, then the budget); real: the runs.
    pub planned: Option<usize>,
    pub elapsed: Duration,
    /// Bounded mode: the executions the bound being explored will take in all, estimated as
    /// Knuth estimates a tree's size: each execution stands for the share of the tree a random
    /// descent would reach it with (one over the options at each of its choice points), and
    /// the shares of the executions so far sum to the part explored — exactly 1 once the bound
    /// is through, when the estimate is the count.
    pub estimate: Option<usize>,
    /// Bounded mode: the time the bound still needs at its rate so far, by the same estimate.
    pub left: Option<Duration>,
}

pub(crate) type OnProgress = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Counts the executions of one check and tells the watcher now and then.
pub(crate) struct Meter {
    on: OnProgress,
    mode: Mode,
    planned: Option<usize>,
    start: Instant,
    executions: AtomicUsize,
    /// `usize::MAX` until an exhaustive search says which bound it explores.
    bound: AtomicUsize,
    last: Mutex<Instant>,
    /// The bound being explored: when it began, its executions, and the share of its tree they
    /// stand for (see [`Progress::estimate`]); no share yet where the search does not tell.
    pass: Mutex<Pass>,
}

#[derive(Clone, Copy)]
struct Pass {
    start: Instant,
    executions: usize,
    share: Option<f64>,
}

/// How often the watcher hears at most.
const EVERY: Duration = Duration::from_millis(100);

impl Meter {
    pub fn new(on: OnProgress, mode: Mode, planned: Option<usize>) -> Arc<Meter> {
        let start = Instant::now();
        Arc::new(Meter {
            on,
            mode,
            planned,
            start,
            executions: AtomicUsize::new(0),
            bound: AtomicUsize::new(usize::MAX),
            last: Mutex::new(start),
            pass: Mutex::new(Pass {
                start,
                executions: 0,
                share: None,
            }),
        })
    }

    /// Bounded mode: an execution of the current bound stood for `share` of its tree.
    #[cfg(interleave_shuttle)]
    pub fn explored(&self, share: f64) {
        let mut pass = self.pass.lock().unwrap_or_else(|e| e.into_inner());
        pass.executions += 1;
        *pass.share.get_or_insert(0.0) += share;
    }

    /// One more execution.
    pub fn count(&self) {
        let n = self.executions.fetch_add(1, Ordering::Relaxed) + 1;
        if n % 16 == 0 {
            let now = Instant::now();
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            if now - *last >= EVERY {
                *last = now;
                drop(last);
                self.tell();
            }
        }
    }

    /// An exhaustive search starts exploring `bound`.
    #[cfg(any(interleave_loom, interleave_shuttle))]
    pub fn at_bound(&self, bound: usize) {
        self.bound.store(bound, Ordering::Relaxed);
        *self.pass.lock().unwrap_or_else(|e| e.into_inner()) = Pass {
            start: Instant::now(),
            executions: 0,
            share: None,
        };
        self.tell();
    }

    /// The check is over: the watcher hears the final count.
    pub fn finish(&self) {
        self.tell();
    }

    fn tell(&self) {
        let bound = self.bound.load(Ordering::Relaxed);
        let pass = *self.pass.lock().unwrap_or_else(|e| e.into_inner());
        let (estimate, left) = match pass.share {
            Some(share) if share > 0.0 => {
                let share = share.min(1.0);
                let total = (pass.executions as f64 / share).round() as usize;
                let left = pass.start.elapsed().mul_f64((1.0 - share) / share);
                (Some(total), Some(left))
            }
            _ => (None, None),
        };
        (self.on)(&Progress {
            mode: self.mode,
            executions: self.executions.load(Ordering::Relaxed),
            bound: (bound != usize::MAX).then_some(bound),
            planned: self.planned,
            elapsed: self.start.elapsed(),
            estimate,
            left,
        });
    }
}
