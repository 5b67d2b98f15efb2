//! Values a check asks to hear of if they are never dropped (loom's `alloc::Track`): each is
//! noted when made and struck off when dropped. What is still noted once an execution has ended
//! well (every thread done, nothing failed) leaked there; the explorer says so as a failure of
//! that execution (`leaked`), with its steps.
//!
//! The notes are the OS thread's: in an explored build every thread of an execution runs on the
//! OS thread of the worker that runs the execution.

use std::cell::RefCell;

std::thread_local! {
    static NOTES: RefCell<Notes> = const { RefCell::new(Notes { execution: 0, live: Vec::new() }) };
}

struct Notes {
    /// Which execution the notes are of: a value made in an earlier one is not struck off here.
    execution: u64,
    live: Vec<Option<String>>,
}

/// A value noted as made; dropping it strikes it off.
#[derive(Debug)]
pub struct Tracked {
    execution: u64,
    index: usize,
}

/// Notes a value made (`what`: what a report calls it), until the returned guard is dropped.
pub fn track(what: String) -> Tracked {
    NOTES.with(|n| {
        let mut n = n.borrow_mut();
        n.live.push(Some(what));
        Tracked {
            execution: n.execution,
            index: n.live.len() - 1,
        }
    })
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let _ = NOTES.try_with(|n| {
            if let Ok(mut n) = n.try_borrow_mut() {
                if n.execution == self.execution {
                    if let Some(note) = n.live.get_mut(self.index) {
                        *note = None;
                    }
                }
            }
        });
    }
}

/// The first value still noted from the execution that just ended, if one is; the notes start
/// afresh for the next.
#[cfg_attr(not(interleave_shuttle), allow(dead_code))]
pub(crate) fn leaked() -> Option<String> {
    NOTES.with(|n| {
        let mut n = n.borrow_mut();
        n.execution += 1;
        std::mem::take(&mut n.live).into_iter().flatten().next()
    })
}
