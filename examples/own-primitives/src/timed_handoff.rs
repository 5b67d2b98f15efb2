//! A producer hands items to a consumer through a queue; the consumer waits for each with a
//! timeout, so that it can notice the producer has finished. The bug is in what it does when a
//! wait times out: if it stops as soon as the producer says it is done, an item the producer put
//! between the timeout and that look is left in the queue, never consumed.

use interleave_check::sync::atomic::{AtomicBool, Ordering::SeqCst};
use interleave_check::sync::queue::Empty;
use interleave_check::sync::Queue;
use std::time::Duration;

/// What the consumer does when a wait times out and the producer is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTimeout {
    /// Stops at once.
    Stop,
    /// Takes what is left in the queue, then stops.
    DrainThenStop,
}

pub struct Handoff {
    queue: Queue<usize>,
    done: AtomicBool,
}

impl Handoff {
    pub fn new() -> Handoff {
        Handoff {
            queue: Queue::fifo("the queue", 0),
            done: AtomicBool::named("producer done", false),
        }
    }

    /// Puts `items`, then says it is done.
    pub fn produce(&self, items: usize) {
        for i in 0..items {
            self.queue.put(i);
        }
        self.done.store(true, SeqCst);
    }

    /// Takes items until the producer is done; returns them.
    pub fn consume(&self, on_timeout: OnTimeout) -> Vec<usize> {
        let mut got = Vec::new();
        loop {
            match self.queue.get_timeout(Duration::from_millis(5)) {
                Ok(item) => got.push(item),
                Err(Empty) if self.done.load(SeqCst) => {
                    if on_timeout == OnTimeout::DrainThenStop {
                        while let Ok(item) = self.queue.get_nowait() {
                            got.push(item);
                        }
                    }
                    return got;
                }
                Err(Empty) => {}
            }
        }
    }
}

impl Default for Handoff {
    fn default() -> Self {
        Handoff::new()
    }
}
