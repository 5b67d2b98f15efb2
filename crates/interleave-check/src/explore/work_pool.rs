//! Work shared among the workers of one depth-first exploration: pieces of the schedule tree,
//! each named by its key (the option taken at each choice point down to it), so that the pieces
//! compare in the order one worker would explore them. A worker that runs dry waits; a busy
//! worker sees that someone is hungry and gives away part of its own piece; when every worker
//! waits with nothing left to give, the exploration is over. After a failure, the pieces that
//! come after it in that order are dropped: what was found first does not depend on the workers.

use super::tally::lock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// A piece of work and its place in the order.
pub(super) type Piece<T> = (Vec<usize>, T);

pub(super) struct Pool<T> {
    workers: usize,
    /// A pool that only collects (see [`Pool::collector`]).
    collects: bool,
    state: Mutex<State<T>>,
    wakeup: Condvar,
    /// Workers waiting for a piece, as the givers check it between executions.
    waiting: AtomicUsize,
}

struct State<T> {
    pieces: Vec<Piece<T>>,
    waiting: usize,
    over: bool,
    /// The key of the first piece known to have failed: later pieces need not run.
    stop_after: Option<Vec<usize>>,
    /// Pieces dropped for lack of time.
    abandoned: bool,
}

impl<T> Pool<T> {
    /// A pool for `workers` workers, holding `pieces`.
    pub(super) fn of_pieces(workers: usize, pieces: Vec<Piece<T>>) -> Pool<T> {
        Pool {
            workers: workers.max(1),
            collects: false,
            state: Mutex::new(State {
                pieces,
                waiting: 0,
                over: false,
                stop_after: None,
                abandoned: false,
            }),
            wakeup: Condvar::new(),
            waiting: AtomicUsize::new(0),
        }
    }

    /// A pool that nobody takes from and that is always hungry: a worker exploring with it
    /// gives away every piece it can; [`Pool::into_pieces`] has them.
    pub(super) fn collector() -> Pool<T> {
        Pool {
            collects: true,
            ..Pool::of_pieces(1, Vec::new())
        }
    }

    /// The pieces given to the pool and not taken.
    pub(super) fn into_pieces(self) -> Vec<Piece<T>> {
        self.state
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pieces
    }

    /// Whether this pool only collects: its worker gives away all it can at once.
    pub(super) fn collects(&self) -> bool {
        self.collects
    }

    /// Whether some worker waits for a piece that nobody has given yet.
    pub(super) fn hungry(&self) -> bool {
        self.collects || self.waiting.load(Ordering::Relaxed) > 0
    }

    /// Gives away a piece of one's own.
    pub(super) fn give(&self, key: Vec<usize>, piece: T) {
        let mut state = lock(&self.state);
        state.pieces.push((key, piece));
        drop(state);
        self.wakeup.notify_one();
    }

    /// Records that the piece with this key failed: the pieces after it are dropped.
    pub(super) fn failed(&self, key: &[usize]) {
        let mut state = lock(&self.state);
        if state.stop_after.as_deref().is_none_or(|k| key < k) {
            state.stop_after = Some(key.to_vec());
        }
    }

    /// The first piece in order, waiting for one if there is none; `None` when the exploration
    /// is over (every worker waits with nothing to give) or past `deadline`.
    pub(super) fn take(&self, deadline: Option<Instant>) -> Option<Piece<T>> {
        let mut state = lock(&self.state);
        loop {
            if let Some(stop) = state.stop_after.clone() {
                state.pieces.retain(|(key, _)| *key <= stop);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                state.abandoned |= !state.pieces.is_empty();
                state.over = true;
            }
            if state.over {
                self.wakeup.notify_all();
                return None;
            }
            if let Some(first) =
                (0..state.pieces.len()).min_by(|&a, &b| state.pieces[a].0.cmp(&state.pieces[b].0))
            {
                return Some(state.pieces.swap_remove(first));
            }
            if state.waiting + 1 == self.workers {
                state.over = true;
                continue;
            }
            state.waiting += 1;
            self.waiting.fetch_add(1, Ordering::Relaxed);
            state = self
                .wakeup
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
            state.waiting -= 1;
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// Whether some piece was left unexplored for lack of time.
    pub(super) fn abandoned(&self) -> bool {
        lock(&self.state).abandoned
    }
}
