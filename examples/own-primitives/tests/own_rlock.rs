//! The reentrant lock of one's own: taken twice by its owner, and by two threads in opposite
//! orders. Declared to the checker, the deadlock is a cycle naming both locks; undeclared (the
//! control), the same schedule is only a hang on condition variables nobody owns.

mod common;

use interleave_check::sync::{thread, Arc};
use interleave_check::Check;
use own_primitives_example::own_rlock::OwnRLock;

fn two_locks(declared: bool, opposite: bool) {
    let make = if declared {
        OwnRLock::declared
    } else {
        OwnRLock::undeclared
    };
    let locks = Arc::new((make("left"), make("right")));
    let other = {
        let locks = locks.clone();
        thread::spawn_named("B", move || {
            let (first, second) = if opposite {
                (&locks.1, &locks.0)
            } else {
                (&locks.0, &locks.1)
            };
            first.acquire();
            first.acquire();
            second.acquire();
            second.release();
            first.release();
            first.release();
        })
    };
    thread::play("A", || {
        locks.0.acquire();
        locks.1.acquire();
        locks.1.release();
        locks.0.release();
    });
    other.join().unwrap();
}

#[test]
fn locks_taken_in_one_order_never_deadlock() {
    for mode in common::modes() {
        Check::new().mode(mode).run(|| two_locks(true, false));
    }
}

#[test]
#[cfg(any(loom, shuttle))]
fn locks_taken_in_opposite_orders_deadlock_in_a_named_cycle() {
    for mode in common::modes() {
        let report = Check::new()
            .mode(mode)
            .expect(interleave_check::Verdict::Deadlock)
            .run(|| two_locks(true, true));
        let message = report.failure.as_ref().unwrap().message();
        assert!(
            message.contains("holds left") || message.contains("holds right"),
            "{report}"
        );
        let table = report.trace_table().unwrap().to_string();
        assert!(table.contains("acquire right (held 2 deep)"), "{table}");
    }
}

/// The control: the same locks, silent about their holders, leave only a hang to report.
#[test]
#[cfg(any(loom, shuttle))]
fn undeclared_the_same_deadlock_is_only_a_hang() {
    for mode in common::modes() {
        Check::new()
            .mode(mode)
            .expect(interleave_check::Verdict::Hang)
            .run(|| two_locks(false, true));
    }
}
