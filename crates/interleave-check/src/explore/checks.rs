//! Which checks a model makes, as the explored builds see them run: the named invariants it
//! `ensure`s mid-run and its final-state check. A test compares them with the checks that some
//! variant or control of the model makes fail, so a check that nothing can make fail shows up.
//!
//! Explored builds only (a real run records nothing): the model being run is kept per OS thread,
//! which is exact there because loom and shuttle run every thread of an execution on the OS
//! thread that runs the execution.

/// The name the final-state check goes by among the model's checks.
pub const FINAL_STATE: &str = "the final state";

#[cfg(any(interleave_loom, interleave_shuttle))]
mod recorded {
    use std::cell::Cell;
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    static MADE: Mutex<BTreeSet<(&'static str, &'static str)>> = Mutex::new(BTreeSet::new());

    std::thread_local! {
        static MODEL: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    /// The model whose execution runs on this OS thread from now on.
    pub fn running(model: &'static str) {
        MODEL.with(|m| m.set(Some(model)));
    }

    /// The running model made the check called `name`.
    pub(crate) fn made(name: &'static str) {
        if let Some(model) = MODEL.with(Cell::get) {
            MADE.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert((model, name));
        }
    }

    /// Every check `model` has made in this process so far.
    pub fn made_by(model: &str) -> BTreeSet<&'static str> {
        MADE.lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(m, _)| *m == model)
            .map(|&(_, check)| check)
            .collect()
    }
}

#[cfg(any(interleave_loom, interleave_shuttle))]
pub(crate) use recorded::made;
#[cfg(any(interleave_loom, interleave_shuttle))]
pub use recorded::made_by;
#[cfg(any(interleave_loom, interleave_shuttle))]
pub use recorded::running;

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
#[inline(always)]
pub(crate) fn made(_name: &'static str) {}

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
#[inline(always)]
pub fn running(_model: &'static str) {}
