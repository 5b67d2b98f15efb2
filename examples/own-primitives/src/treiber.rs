//! A Treiber stack: a linked list whose head is swapped in one compare-and-swap. Nodes live in an
//! arena made in advance (an index stands for a pointer, so no node is ever freed or reused, and
//! the code stays safe Rust), and each push takes a fresh one.

use interleave_check::sync::atomic::{AtomicUsize, Ordering::*};

/// The end of the list.
const NIL: usize = usize::MAX;

/// How a push links its node in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    /// Reads the head, links the node to it, writes the node as the head: another push between
    /// the read and the write is lost.
    LoadThenStore,
    /// Links the node to the head it read and swaps it in only if the head is still that one;
    /// otherwise reads again.
    CompareAndSwap,
}

struct Node {
    value: AtomicUsize,
    next: AtomicUsize,
}

pub struct Stack {
    head: AtomicUsize,
    nodes: Vec<Node>,
    /// The next unused node of the arena.
    fresh: AtomicUsize,
    push: Push,
}

impl Stack {
    /// A stack with room for `capacity` pushes in all.
    pub fn new(capacity: usize, push: Push) -> Stack {
        Stack {
            head: AtomicUsize::named("head", NIL),
            nodes: (0..capacity)
                .map(|_| Node {
                    value: AtomicUsize::named("a node's value", 0),
                    next: AtomicUsize::named("a node's next", NIL),
                })
                .collect(),
            fresh: AtomicUsize::named("next fresh node", 0),
            push,
        }
    }

    pub fn push(&self, value: usize) {
        let node = self.fresh.fetch_add(1, Relaxed);
        let n = &self.nodes[node];
        n.value.store(value, Relaxed);
        match self.push {
            Push::LoadThenStore => {
                let head = self.head.load(Acquire);
                n.next.store(head, Relaxed);
                self.head.store(node, Release);
            }
            Push::CompareAndSwap => {
                let mut head = self.head.load(Acquire);
                loop {
                    n.next.store(head, Relaxed);
                    match self
                        .head
                        .compare_exchange_weak(head, node, Release, Acquire)
                    {
                        Ok(_) => break,
                        Err(now) => head = now,
                    }
                }
            }
        }
    }

    pub fn pop(&self) -> Option<usize> {
        let mut head = self.head.load(Acquire);
        loop {
            if head == NIL {
                return None;
            }
            let next = self.nodes[head].next.load(Relaxed);
            match self
                .head
                .compare_exchange_weak(head, next, Acquire, Acquire)
            {
                Ok(_) => return Some(self.nodes[head].value.load(Relaxed)),
                Err(now) => head = now,
            }
        }
    }
}
