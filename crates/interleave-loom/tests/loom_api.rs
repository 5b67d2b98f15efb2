//! Tests written as a loom suite writes them (`loom::model`, `loom::thread`, `loom::sync`,
//! `loom::cell`), each correct one beside a buggy twin that must fail with interleave's report:
//! the explorer behind loom's API finds what loom finds, past loom's thread limit, and says it
//! in words.
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering::SeqCst};
use loom::sync::{Arc, Condvar, Mutex, Notify};
use loom::thread;

/// The message `f` panics with.
fn panic_of(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).expect_err("the model must fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// loom's README example: the spawned thread's store may come before the load.
#[test]
fn the_readmes_store_before_the_load_is_found_and_explained() {
    let words = panic_of(|| {
        loom::model(|| {
            let v1 = Arc::new(AtomicUsize::new(0));
            let v2 = v1.clone();
            thread::spawn(move || v1.store(1, SeqCst));
            assert_eq!(0, v2.load(SeqCst));
        })
    });
    assert!(words.contains("panic at"), "{words}");
    assert!(
        words.contains("the failing execution, step by step"),
        "{words}"
    );
    assert!(words.contains("store"), "{words}");
}

fn counter(increments: impl Fn(&AtomicUsize) + Send + Sync + Copy + 'static, threads: usize) {
    loom::model(move || {
        let n = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let n = n.clone();
                thread::spawn(move || increments(&n))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(n.load(SeqCst), threads, "an increment was lost");
    });
}

#[test]
fn fetch_add_counts_every_increment() {
    counter(
        |n| {
            n.fetch_add(1, SeqCst);
        },
        2,
    );
}

#[test]
fn load_then_store_loses_one() {
    let words = panic_of(|| {
        counter(
            |n| {
                let v = n.load(SeqCst);
                n.store(v + 1, SeqCst);
            },
            2,
        )
    });
    assert!(words.contains("an increment was lost"), "{words}");
}

/// Five spawned threads: one more than loom explores (loom#157).
#[test]
fn five_threads_run_past_looms_limit() {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(1);
    builder.check(|| {
        let n = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..5)
            .map(|_| {
                let n = n.clone();
                thread::spawn(move || {
                    n.fetch_add(1, SeqCst);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(n.load(SeqCst), 5);
    });
}

/// A value behind a flag, shared as a suite shares one (an `UnsafeCell` is not `Sync`).
struct Slot(UnsafeCell<u32>);

// SAFETY: the flag is meant to order the accesses; the test is whether it does.
unsafe impl Sync for Slot {}

/// A flag raised before the value is written: the reader's access races the writer's.
fn publish(flag_first: bool) {
    loom::model(move || {
        let value = Arc::new(Slot(UnsafeCell::new(0)));
        let ready = Arc::new(AtomicBool::new(false));
        let (v, r) = (value.clone(), ready.clone());
        let writer = thread::spawn(move || {
            if flag_first {
                r.store(true, SeqCst);
            }
            v.0.with_mut(|p| unsafe { *p = 7 });
            if !flag_first {
                r.store(true, SeqCst);
            }
        });
        if ready.load(SeqCst) {
            assert_eq!(value.0.with(|p| unsafe { *p }), 7);
        }
        writer.join().unwrap();
    });
}

#[test]
fn a_value_published_after_it_is_written_is_read_whole() {
    publish(false);
}

#[test]
fn a_flag_raised_before_the_write_is_a_data_race() {
    let words = panic_of(|| publish(true));
    assert!(words.contains("data race"), "{words}");
}

/// loom's `Notify`: the value written before the notify is seen after the wait; a waiter that
/// does not wait reads too early.
fn handoff(waits: bool) {
    loom::model(move || {
        let value = Arc::new(AtomicUsize::new(0));
        let notify = Arc::new(Notify::new());
        let (v, n) = (value.clone(), notify.clone());
        let producer = thread::spawn(move || {
            v.store(42, SeqCst);
            n.notify();
        });
        if waits {
            notify.wait();
        }
        assert_eq!(value.load(SeqCst), 42, "read before the notify");
        producer.join().unwrap();
    });
}

#[test]
fn notify_hands_the_value_over() {
    handoff(true);
}

#[test]
fn a_waiter_that_does_not_wait_reads_too_early() {
    let words = panic_of(|| handoff(false));
    assert!(words.contains("read before the notify"), "{words}");
}

/// Two locks taken in opposite orders deadlock, and the report names the cycle.
#[test]
fn opposite_lock_orders_deadlock_with_the_cycle_named() {
    let words = panic_of(|| {
        loom::model(|| {
            let a = Arc::new(Mutex::new(()));
            let b = Arc::new(Mutex::new(()));
            let (a2, b2) = (a.clone(), b.clone());
            let t = thread::spawn(move || {
                let _a = a2.lock().unwrap();
                let _b = b2.lock().unwrap();
            });
            {
                let _b = b.lock().unwrap();
                let _a = a.lock().unwrap();
            }
            t.join().unwrap();
        })
    });
    assert!(words.contains("deadlock"), "{words}");
    assert!(words.contains("cycle: main -> thread-1 -> main"), "{words}");
}

/// loom's locks do not poison: a `Drop` that takes a lock while its thread unwinds from a failed
/// assertion gets it, as under loom, and the suite prints the assertion's report (a poisoned
/// lock there would panic again, in a destructor, and abort the test process).
#[test]
fn a_lock_taken_while_unwinding_is_taken_as_under_loom() {
    struct Unregister(Arc<Mutex<usize>>);
    impl Drop for Unregister {
        fn drop(&mut self) {
            *self.0.lock().unwrap() -= 1;
        }
    }
    let words = panic_of(|| {
        loom::model(|| {
            let members = Arc::new(Mutex::new(1));
            let _me = Unregister(members.clone());
            let other = {
                let members = members.clone();
                thread::spawn(move || *members.lock().unwrap() += 1)
            };
            {
                let count = members.lock().unwrap();
                assert_eq!(*count, 1, "the other thread joined first");
            }
            other.join().unwrap();
        })
    });
    assert!(words.contains("the other thread joined first"), "{words}");
}

/// A condition variable waited on in a loop; its twin waits once, and a notify that came
/// before the wait leaves it waiting forever.
fn signal(loops: bool) {
    loom::model(move || {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let p = pair.clone();
        let t = thread::spawn(move || {
            *p.0.lock().unwrap() = true;
            p.1.notify_one();
        });
        let mut ready = pair.0.lock().unwrap();
        if loops {
            while !*ready {
                ready = pair.1.wait(ready).unwrap();
            }
        } else {
            ready = pair.1.wait(ready).unwrap();
        }
        drop(ready);
        t.join().unwrap();
    });
}

#[test]
fn a_wait_in_a_loop_is_woken() {
    signal(true);
}

#[test]
fn a_wait_after_the_notify_hangs() {
    let words = panic_of(|| signal(false));
    assert!(words.contains("hang"), "{words}");
}

/// loom-only atomic methods and the per-execution macros.
#[test]
fn looms_own_names_are_there() {
    loom::lazy_static! {
        static ref MADE: AtomicUsize = AtomicUsize::new(0);
    }
    loom::thread_local! {
        static MINE: std::cell::Cell<usize> = std::cell::Cell::new(0);
    }
    loom::model(|| {
        // Made afresh in every execution.
        assert_eq!(MADE.fetch_add(1, SeqCst), 0);
        MINE.with(|m| {
            assert_eq!(m.get(), 0);
            m.set(1);
        });
        let mut n = AtomicUsize::new(3);
        n.with_mut(|v| *v += 1);
        assert_eq!(unsafe { n.unsync_load() }, 4);
        let mut p = AtomicPtr::new(std::ptr::null_mut::<u8>());
        p.with_mut(|ptr| assert!(ptr.is_null()));
        let cell = loom::cell::Cell::new(5);
        assert_eq!(cell.replace(6), 5);
        assert_eq!(cell.get(), 6);
        let tracked = loom::alloc::Track::new(1);
        assert_eq!(*tracked.get_ref(), 1);
        loom::hint::spin_loop();
        loom::explore();
        loom::skip_branch();
        loom::stop_exploring();
        assert_eq!(loom::MAX_THREADS, 5);
    });
}

/// loom's `Builder` reads no bound by default (every schedule), as loom does, and takes one.
#[test]
fn the_builder_starts_from_looms_defaults() {
    if std::env::var_os("LOOM_MAX_PREEMPTIONS").is_none() {
        assert_eq!(loom::model::Builder::new().preemption_bound, None);
    }
    assert_eq!(loom::model::Builder::new().max_threads, loom::MAX_THREADS);
}

/// loom's atomics are one word, and suites assert it (arcstr's `ThinInner` layout).
#[test]
fn atomics_are_one_word_as_looms() {
    use std::mem::size_of;
    assert_eq!(size_of::<AtomicUsize>(), size_of::<usize>());
    assert_eq!(size_of::<AtomicBool>(), size_of::<usize>());
    assert_eq!(size_of::<AtomicPtr<u8>>(), size_of::<usize>());
}

/// A one-shot flag awaited in `loom::future::block_on`: the receiver registers its waker with
/// an `AtomicWaker` before it looks (`registers_first`), or after, when a send between the look
/// and the register wakes nobody.
fn awaited_flag(registers_first: bool) {
    use loom::future::{block_on, AtomicWaker};
    use std::task::Poll;
    loom::model(move || {
        let shared = Arc::new((AtomicBool::new(false), AtomicWaker::new()));
        let sender = {
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
        sender.join().unwrap();
    });
}

#[test]
fn a_waker_registered_before_the_look_is_woken() {
    awaited_flag(true);
}

#[test]
fn a_waker_registered_after_the_look_misses_the_wake() {
    let words = panic_of(|| awaited_flag(false));
    assert!(words.contains("hang"), "{words}");
    assert!(
        words.contains("main waits for an unpark of main"),
        "{words}"
    );
}

/// loom's leak checks: a `Track` or an allocation still alive when an execution has ended
/// fails it; one dropped or freed by any thread before the end, in any schedule, does not.
/// (A run stopped part-way is no leak: `tests/play.rs` of the checker holds a game's positions
/// to that.)
#[test]
fn a_track_never_dropped_is_a_leak() {
    use loom::alloc::Track;
    let words = panic_of(|| {
        loom::model(|| {
            let kept = Track::new(5);
            std::mem::forget(kept);
        })
    });
    assert!(
        words.contains("leaked: the Track made at tests/loom_api.rs:"),
        "{words}"
    );
    assert!(words.contains("replay it with"), "{words}");
}

#[test]
fn an_allocation_never_freed_is_a_leak() {
    use loom::alloc::{alloc, dealloc, Layout};
    let layout = Layout::new::<u64>();
    let words = panic_of(move || {
        loom::model(move || {
            // SAFETY: a non-zero-sized layout; the block is never read.
            let _lost = unsafe { alloc(layout) };
        })
    });
    assert!(words.contains("leaked: the allocation made at"), "{words}");
    loom::model(move || {
        // SAFETY: a non-zero-sized layout, freed with it.
        unsafe { dealloc(alloc(layout), layout) };
    });
}

#[test]
fn tracks_dropped_by_any_thread_before_the_end_are_no_leak() {
    use loom::alloc::Track;
    loom::model(|| {
        let count = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..3)
            .map(|i| {
                let count = count.clone();
                thread::spawn(move || {
                    let held = Track::new(i);
                    count.fetch_add(1, SeqCst);
                    drop(held);
                })
            })
            .collect();
        let handed = Track::new(9);
        let last = thread::spawn(move || drop(handed));
        for t in threads {
            t.join().unwrap();
        }
        last.join().unwrap();
        assert_eq!(count.load(SeqCst), 3);
    });
}
