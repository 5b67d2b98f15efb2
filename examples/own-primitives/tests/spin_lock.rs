//! The spin lock: two threads add one to a counter inside it. With `Acquire`/`Release` no
//! increment is lost in any build. With `Relaxed`, loom's memory model lets the second holder
//! read the counter as it was before the first one's increment; shuttle and real x86 threads keep
//! atomics in order, so there the bug cannot show (a blind spot, stated as such).

mod common;

use interleave_check::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use interleave_check::sync::{thread, Arc};
use interleave_check::{Check, Outcome};
use own_primitives_example::spin_lock::SpinLock;

fn two_increments(lock: SpinLock) -> Outcome {
    let shared = Arc::new((lock, AtomicUsize::named("the counter", 0)));
    let threads: Vec<_> = (1..=2)
        .map(|t| {
            let shared = shared.clone();
            thread::spawn_named(format!("adder {t}"), move || {
                let (lock, counter) = &*shared;
                lock.lock();
                let seen = counter.load(Relaxed);
                counter.store(seen + 1, Relaxed);
                lock.unlock();
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new().with("counter", shared.1.load(Relaxed) as i64)
}

#[test]
fn an_acquire_release_spin_lock_loses_no_increment() {
    for mode in common::modes() {
        let report = Check::new()
            .mode(mode)
            .final_state(common::counted("counter", 2))
            .run(|| two_increments(SpinLock::new()));
        // The waiting is reported as busy turns, where the explorers saw some.
        if cfg!(loom) {
            assert!(report.stats.spins > 0, "{report}");
        }
    }
}

#[test]
#[cfg(loom)]
#[should_panic(expected = "lost update: counter is 1, not 2")]
fn a_relaxed_spin_lock_lets_a_stale_read_in_under_loom() {
    Check::new()
        .final_state(common::counted("counter", 2))
        .run(|| two_increments(SpinLock::with_orderings(Relaxed, Relaxed)));
}

/// The blind spot: sequentially consistent atomics cannot show the stale read.
#[test]
#[cfg(not(loom))]
fn a_relaxed_spin_lock_passes_where_atomics_stay_in_order() {
    for mode in common::modes() {
        Check::new()
            .mode(mode)
            .final_state(common::counted("counter", 2))
            .run(|| two_increments(SpinLock::with_orderings(Relaxed, Relaxed)));
    }
}
