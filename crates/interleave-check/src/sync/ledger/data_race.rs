//! A data race as a report tells it: two accesses to one cell, at least one a write, that no
//! synchronisation puts in order, each with its thread, its place in the source and its step.

use std::fmt;

/// One of the two accesses of a race.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RacingAccess {
    pub thread: String,
    /// Whether it writes (through `with_mut` or `get_mut`) or only reads.
    pub write: bool,
    /// Where in the source (`src/lazy.rs:31`).
    pub place: String,
    /// Its row in the failure's trace, counting from 0, where it has one (an access inside a
    /// composite operation has none).
    pub step: Option<usize>,
}

impl RacingAccess {
    fn verb(&self) -> &'static str {
        if self.write {
            "writes"
        } else {
            "reads"
        }
    }

    fn at(&self) -> String {
        match self.step {
            Some(s) => format!("at {} (step {})", self.place, s + 1),
            None => format!("at {}", self.place),
        }
    }
}

/// Panic payload raised by an access to a cell that races with an earlier one; the explorer
/// reports it as a data race.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DataRace {
    /// The cell's name ("the cell made at src/lazy.rs:12").
    pub cell: String,
    /// The access that came first in this execution; `None` where loom found the race and the
    /// ledger cannot tell which earlier access it was with.
    pub earlier: Option<RacingAccess>,
    /// The access that found the race.
    pub later: RacingAccess,
    /// Found by loom's own cell check, where the ledger's clocks, which keep every release an
    /// atomic had, saw the two ordered: only weak memory leaves them unordered.
    pub by_loom: bool,
}

/// "data race on the cell made at src/lazy.rs:12: 'reader' reads it at src/lazy.rs:30 (step 6)
/// while 'writer' writes it at src/lazy.rs:21 (step 3), and nothing orders the two …"
impl fmt::Display for DataRace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let later = &self.later;
        write!(
            f,
            "data race on {}: '{}' {} it {}",
            self.cell,
            later.thread,
            later.verb(),
            later.at()
        )?;
        self.earlier_in_words(f)?;
        if self.by_loom {
            write!(
                f,
                " (found by loom's own cell check: with the orderings used, the atomic that \
                 seems to order the two does not)"
            )?;
        }
        Ok(())
    }
}

impl DataRace {
    fn earlier_in_words(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.earlier {
            Some(earlier) => write!(
                f,
                " while '{}' {} it {}, and nothing orders the two (a lock released after the \
                 one and taken before the other, a join, or a Release store after the one read \
                 by an Acquire load before the other)",
                earlier.thread,
                earlier.verb(),
                earlier.at()
            ),
            None => write!(
                f,
                ", and loom found an earlier access by another thread that nothing orders \
                 before it"
            ),
        }
    }
}
