//! Python's `threading.Barrier`: `parties` threads wait until all have arrived, then all go on;
//! the barrier is reusable, round after round. Course: 004 (`Barrier(4)`). A thread that is done
//! with the rounds may leave the barrier for good (Java's `Phaser.arriveAndDeregister`), so that
//! the others do not wait for it. loom has no barrier,
//! so it is built here on the facade's [`Mutex`] and [`Condvar`] (as tokio's `loom/std/barrier.rs`
//! does), with a generation count so that a fast thread's next round cannot mix with this one.

use super::ledger::{self, Action};
use super::{Condvar, Mutex};

/// What `wait` tells each thread: its arrival order in the round (0 first, as Python's
/// `wait()` returns an index), and whether it was the last to arrive, which released the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarrierWait {
    pub index: usize,
    pub is_leader: bool,
}

/// std's name for what `wait` returns.
pub type BarrierWaitResult = BarrierWait;

impl BarrierWait {
    /// Whether this thread was the round's leader (the last to arrive), as std asks it.
    pub fn is_leader(&self) -> bool {
        self.is_leader
    }
}

#[derive(Debug)]
struct Round {
    arrived: usize,
    generation: usize,
    /// Threads that left the barrier for good.
    left: usize,
}

#[derive(Debug)]
pub struct Barrier {
    parties: usize,
    round: Mutex<Round>,
    released: Condvar,
}

impl Barrier {
    /// A barrier for `parties` threads that failure reports call `name`.
    ///
    /// # Panics
    /// If `parties` is 0, as Python raises `ValueError`.
    #[track_caller]
    pub fn named(name: &str, parties: usize) -> Self {
        assert!(parties > 0, "a barrier needs at least one party");
        Barrier {
            parties,
            round: Mutex::named(
                name,
                Round {
                    arrived: 0,
                    generation: 0,
                    left: 0,
                },
            ),
            released: Condvar::named(name),
        }
    }

    /// A barrier for `n` threads (std's `Barrier::new`), which reports call by where it was made.
    ///
    /// # Panics
    /// If `n` is 0.
    #[track_caller]
    pub fn new(n: usize) -> Self {
        let at = ledger::place(std::panic::Location::caller());
        Self::named(&format!("the barrier made at {at}"), n)
    }

    /// The parties the barrier was made for (threads that left it included).
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// Leaves the barrier for good: every round from this one on waits for one thread fewer,
    /// and the round in progress is released at once if every thread still in it has arrived.
    ///
    /// # Panics
    /// If more threads leave than the barrier has parties.
    pub fn leave(&self) {
        let op = ledger::operation(true);
        let mut round = self.round.lock_unpoisoned();
        assert!(
            round.left < self.parties,
            "more threads left the barrier than it has parties ({})",
            self.parties
        );
        round.left += 1;
        op.step("leave", self.released.id());
        if round.arrived > 0 && round.arrived == self.parties - round.left {
            round.arrived = 0;
            round.generation += 1;
            self.released.notify_all();
        }
    }

    /// Waits until `parties` threads have called `wait` in this round.
    pub fn wait(&self) -> BarrierWait {
        let op = ledger::operation(true);
        let mut round = self.round.lock_unpoisoned();
        let index = round.arrived;
        round.arrived += 1;
        let arrived = round.arrived;
        op.act(self.released.id(), || Action::Arrived { arrived });
        if round.arrived == self.parties - round.left {
            round.arrived = 0;
            round.generation += 1;
            self.released.notify_all();
            return BarrierWait {
                index,
                is_leader: true,
            };
        }
        let generation = round.generation;
        drop(
            self.released
                .wait_while_unpoisoned(round, |r| r.generation == generation),
        );
        BarrierWait {
            index,
            is_leader: false,
        }
    }
}
