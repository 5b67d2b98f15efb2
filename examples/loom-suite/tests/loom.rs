//! The crate's loom suite, as loom's documentation writes one.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use loom_suite_example::Hits;

fn two_threads_hit(hit: fn(&Hits)) -> usize {
    let hits = Arc::new(Hits::default());
    let other = hits.clone();
    let t = thread::spawn(move || hit(&other));
    hit(&hits);
    t.join().unwrap();
    hits.count()
}

#[test]
fn every_hit_counts() {
    loom::model(|| assert_eq!(two_threads_hit(Hits::hit), 2));
}

#[test]
#[should_panic]
fn racy_hits_lose_one() {
    loom::model(|| assert_eq!(two_threads_hit(Hits::hit_racily), 2));
}

/// A flag raised by another thread, awaited in `loom::future::block_on`: the waiter registers
/// its waker before it looks at the flag (`registers_first`), or after, when a raise between
/// the look and the register wakes nobody. (That twin is not in this suite: real loom finds its
/// deadlock, then aborts the test process while unwinding, "panic in a destructor during
/// cleanup"; interleave-loom's own tests hold it to a hang.)
fn awaited_flag(registers_first: bool) {
    use loom::future::{block_on, AtomicWaker};
    use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use std::task::Poll;
    let shared = Arc::new((AtomicBool::new(false), AtomicWaker::new()));
    let raiser = {
        let shared = shared.clone();
        thread::spawn(move || {
            shared.0.store(true, SeqCst);
            shared.1.wake();
        })
    };
    block_on(std::future::poll_fn(|cx| {
        if registers_first {
            shared.1.register_by_ref(cx.waker());
        }
        if shared.0.load(SeqCst) {
            return Poll::Ready(());
        }
        if !registers_first {
            shared.1.register_by_ref(cx.waker());
        }
        Poll::Pending
    }));
    raiser.join().unwrap();
}

#[test]
fn a_waker_registered_first_is_woken() {
    loom::model(|| awaited_flag(true));
}
