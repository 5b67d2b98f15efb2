//! The facade's primitives: their sequential contract as properties (std build), and their
//! concurrent contract explored (loom and shuttle builds) through the same explorer the course's
//! models use, with a control variant that must fail so the check is known to bite.

mod common;

use common::final_count;
#[cfg(any(loom, shuttle))]
use interleave::explore::Verdict;
use interleave::explore::{ensure, per_build, Check, Outcome};
use interleave::sync::{thread, Arc, Semaphore};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads that each pass through a section guarded by a semaphore of `permits`; a ghost counter
/// (plain std atomics, invisible to the explorers) checks that no more than `permits` are inside.
fn admission(threads: usize, permits: usize, guarded: bool) -> Outcome {
    let semaphore = guarded.then(|| Arc::new(Semaphore::new(permits)));
    let inside = Arc::new(AtomicUsize::new(0));
    let entered = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let (semaphore, inside, entered) = (semaphore.clone(), inside.clone(), entered.clone());
            thread::spawn_named(format!("worker-{i}"), move || {
                if let Some(s) = &semaphore {
                    s.acquire();
                }
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                ensure(now <= permits, "a semaphore of N never admits N+1", || {
                    format!("{now} inside with {permits} permits")
                });
                thread::yield_now();
                inside.fetch_sub(1, Ordering::SeqCst);
                entered.fetch_add(1, Ordering::SeqCst);
                if let Some(s) = &semaphore {
                    s.release();
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new().with("entered", entered.load(Ordering::SeqCst) as i64)
}

/// A permit that leaves with a finished thread: the second thread blocks forever on a semaphore
/// no live thread holds. loom and shuttle both call that "deadlock"; the ledger must call it a
/// hang (blocked, no cycle), while a lock taken twice by one thread is a deadlock (a one-thread
/// cycle).
#[cfg(any(loom, shuttle))]
fn stranded(twice: bool) {
    if twice {
        let lock = interleave::sync::Mutex::named("the lock", ());
        let _first = lock.lock().unwrap();
        let _second = lock.lock().unwrap();
        return;
    }
    let permit = Arc::new(Semaphore::named("the permit", 1));
    let leaver = {
        let permit = permit.clone();
        thread::spawn_named("leaver", move || permit.acquire())
    };
    leaver.join().unwrap();
    thread::play("waiter", || permit.acquire());
}

#[cfg(any(loom, shuttle))]
#[test]
fn a_wait_with_no_cycle_is_a_hang_and_a_cycle_is_a_deadlock() {
    for (twice, expected) in [(false, Verdict::Hang), (true, Verdict::Deadlock)] {
        let report = Check::new()
            .preemptions(1)
            .schedules(20)
            .expect(expected)
            .run(move || stranded(twice));
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        let blocked: Vec<&str> = snapshot.blocked().map(|t| t.name.as_str()).collect();
        match expected {
            Verdict::Hang => {
                assert_eq!(blocked, ["waiter"], "{report}");
                assert!(
                    snapshot
                        .threads
                        .iter()
                        .any(|t| t.name == "leaver" && t.finished),
                    "{report}"
                );
            }
            _ => assert_eq!(snapshot.cycle.as_ref().map(Vec::len), Some(1), "{report}"),
        }
    }
}

fn threads_and_permits() -> (usize, usize) {
    (per_build(3, 6, 8), per_build(2, 3, 3))
}

/// The semaphore's concurrent contract, at realistic size on real threads.
#[test]
fn a_semaphore_never_admits_more_than_its_permits() {
    let (threads, permits) = threads_and_permits();
    Check::new()
        .preemptions(3)
        .schedules(500)
        .final_state(final_count("entered", threads))
        .run(move || admission(threads, permits, true));
}

/// The control: no semaphore at all.
#[cfg(any(loom, shuttle))]
#[test]
fn without_a_semaphore_too_many_are_admitted() {
    let (threads, permits) = threads_and_permits();
    Check::new()
        .preemptions(3)
        .schedules(500)
        .final_state(final_count("entered", threads))
        .expect(Verdict::Invariant)
        .run(move || admission(threads, permits, false));
}

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use super::*;
    use interleave::explore::Verdict;
    use interleave::sync::{BoundedSemaphore, Condvar, Mutex};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        TryAcquire,
        Release,
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        prop::collection::vec(prop_oneof![Just(Op::TryAcquire), Just(Op::Release)], 0..64)
    }

    proptest! {
        /// A semaphore is a counter: try_acquire succeeds exactly when it is positive and takes
        /// one; release adds one, without bound.
        #[test]
        fn semaphore_counts_permits(initial in 0usize..8, ops in ops()) {
            let s = Semaphore::new(initial);
            let mut model = initial;
            for op in ops {
                match op {
                    Op::TryAcquire => {
                        prop_assert_eq!(s.try_acquire(), model > 0);
                        model = model.saturating_sub(1);
                    }
                    Op::Release => { s.release(); model += 1; }
                }
                prop_assert_eq!(s.available(), model);
            }
        }

        /// A bounded semaphore refuses a release above its initial count, as Python's raises
        /// ValueError, and that refused release changes nothing.
        #[test]
        fn bounded_semaphore_never_exceeds_its_bound(bound in 0usize..8, ops in ops()) {
            let s = BoundedSemaphore::new(bound);
            let mut model = bound;
            for op in ops {
                match op {
                    Op::TryAcquire => {
                        prop_assert_eq!(s.try_acquire(), model > 0);
                        model = model.saturating_sub(1);
                    }
                    Op::Release => {
                        let r = s.release();
                        prop_assert_eq!(r.is_ok(), model < bound);
                        if r.is_ok() { model += 1; }
                    }
                }
                prop_assert_eq!(s.available(), model);
                prop_assert!(s.available() <= s.bound());
            }
        }

        /// A blocking acquire with a permit free takes it at once.
        #[test]
        fn acquire_with_a_free_permit_does_not_block(initial in 1usize..8) {
            let s = Semaphore::new(initial);
            s.acquire();
            prop_assert_eq!(s.available(), initial - 1);
        }

        /// The mutex's guard gives the value back changed, lock after lock.
        #[test]
        fn mutex_keeps_every_write(writes in prop::collection::vec(any::<i32>(), 0..32)) {
            let m = Mutex::new(Vec::new());
            for &w in &writes { m.lock().unwrap().push(w); }
            prop_assert!(m.try_lock().is_ok());
            prop_assert_eq!(m.into_inner().unwrap(), writes);
        }

        /// Verdict words read back as themselves.
        #[test]
        fn verdict_words_round_trip(i in 0usize..Verdict::ALL.len()) {
            let v = Verdict::ALL[i];
            prop_assert_eq!(v.to_string().parse::<Verdict>(), Ok(v));
        }
    }

    #[test]
    fn a_held_mutex_refuses_try_lock() {
        let m = Mutex::new(0);
        let _held = m.lock().unwrap();
        assert!(m.try_lock().is_err());
    }

    #[test]
    fn wait_while_returns_once_the_condition_is_false() {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let pair = pair.clone();
            thread::spawn_named("setter", move || {
                *pair.0.lock().unwrap() = true;
                pair.1.notify_all();
            })
        };
        let ready = pair
            .1
            .wait_while(pair.0.lock().unwrap(), |ready| !*ready)
            .unwrap();
        assert!(*ready);
        drop(ready);
        setter.join().unwrap();
    }

    /// Runs `body` on a thread of its own and fails if it has not finished within a minute: a
    /// wake-up lost by a semaphore would otherwise hang the suite.
    fn within_a_minute(what: &str, body: impl FnOnce() + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        let runner = std::thread::spawn(move || {
            body();
            let _ = done.send(());
        });
        match finished.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(()) => runner.join().unwrap(),
            // The body panicked: report its panic rather than a timeout.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                std::panic::resume_unwind(runner.join().unwrap_err())
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("{what}: still blocked after a minute (a wake-up was lost)")
            }
        }
    }

    /// The std build counts permits in one atomic word and parks takers that find none: under
    /// heavy contention (more threads than cores, permits passed back and forth many times) no
    /// more than N are ever inside, and no give is missed by a parked taker.
    #[test]
    fn permits_pass_between_many_threads_without_loss() {
        within_a_minute("six threads sharing two permits", || {
            let (threads, rounds, permits) = (6, 20_000, 2);
            let semaphore = Arc::new(Semaphore::new(permits));
            let inside = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let workers: Vec<_> = (0..threads)
                .map(|i| {
                    let (semaphore, inside, most) =
                        (semaphore.clone(), inside.clone(), most.clone());
                    thread::spawn_named(format!("worker-{i}"), move || {
                        for _ in 0..rounds {
                            semaphore.acquire();
                            let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            inside.fetch_sub(1, Ordering::SeqCst);
                            semaphore.release();
                        }
                    })
                })
                .collect();
            workers.into_iter().for_each(|t| t.join().unwrap());
            assert!(most.load(Ordering::SeqCst) <= permits);
            assert_eq!(semaphore.available(), permits);
        });
    }

    /// Two semaphores passing one turn back and forth (each give wakes the one taker that
    /// waits): the pattern where a missed give would park both threads for good.
    #[test]
    fn a_turn_passed_back_and_forth_is_never_lost() {
        within_a_minute("two threads taking turns", || {
            let turns = 50_000;
            let (ping, pong) = (Arc::new(Semaphore::new(1)), Arc::new(Semaphore::new(0)));
            let log = Arc::new(Mutex::new(Vec::with_capacity(2 * turns)));
            let player = |mine: Arc<Semaphore>, theirs: Arc<Semaphore>, mark: u8| {
                let log = log.clone();
                thread::spawn_named(format!("player-{mark}"), move || {
                    for _ in 0..turns {
                        mine.acquire();
                        log.lock().unwrap().push(mark);
                        theirs.release();
                    }
                })
            };
            let players = [
                player(ping.clone(), pong.clone(), 0),
                player(pong.clone(), ping.clone(), 1),
            ];
            players.into_iter().for_each(|t| t.join().unwrap());
            let log = log.lock().unwrap();
            assert_eq!(log.len(), 2 * turns);
            assert!(log.iter().enumerate().all(|(i, &m)| m as usize == i % 2));
        });
    }
}
