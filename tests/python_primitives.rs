//! The Python-style primitives (`Lock`, `RLock`, `Condition`, `Queue`, `Value`, `Array`): their sequential
//! contract as properties (std build), and their concurrent contract explored (loom and shuttle)
//! through the same explorer the course's models use, each with a control that must fail.

mod common;

#[cfg(any(loom, shuttle))]
use interleave::explore::Verdict;
use interleave::explore::{ensure, per_build, Check, Outcome};
use interleave::sync::{thread, Arc, Condition, Lock, Queue, RLock};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How a worker guards its critical section.
#[derive(Clone, Copy)]
enum Guard {
    Lock,
    RLockTwice,
    /// The control's: no lock at all.
    #[cfg_attr(not(any(loom, shuttle)), allow(dead_code))]
    Nothing,
}

/// Workers pass through a critical section; a ghost count checks that one at a time is inside.
fn exclusion(threads: usize, guard: Guard) -> Outcome {
    let lock = Arc::new(Lock::named("the lock"));
    let rlock = Arc::new(RLock::named("the rlock"));
    let inside = Arc::new(AtomicUsize::new(0));
    let passed = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|i| {
            let (lock, rlock) = (lock.clone(), rlock.clone());
            let (inside, passed) = (inside.clone(), passed.clone());
            thread::spawn_named(format!("worker-{}", i + 1), move || {
                match guard {
                    Guard::Lock => lock.acquire(),
                    Guard::RLockTwice => {
                        rlock.acquire();
                        rlock.acquire();
                        ensure(
                            rlock.depth() == 2,
                            "an rlock counts its owner's acquisitions",
                            || format!("depth {}", rlock.depth()),
                        );
                    }
                    Guard::Nothing => {}
                }
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                ensure(now == 1, "one thread at a time inside", || {
                    format!("{now} inside")
                });
                thread::yield_now();
                inside.fetch_sub(1, Ordering::SeqCst);
                passed.fetch_add(1, Ordering::SeqCst);
                match guard {
                    Guard::Lock => lock.release().expect("the lock is held"),
                    Guard::RLockTwice => {
                        rlock.release().expect("the owner releases");
                        rlock.release().expect("the owner releases");
                    }
                    Guard::Nothing => {}
                }
            })
        })
        .collect();
    workers.into_iter().for_each(|t| t.join().unwrap());
    Outcome::new().with("passed", passed.load(Ordering::SeqCst) as i64)
}

/// A producer puts `items` into a bounded FIFO queue; consumers take them, in order, and mark
/// each done; the main thread joins the queue, then the threads. The control consumer takes one
/// item more than there are, and must hang in `get`.
fn handoff(items: usize, consumers: usize, extra_get: bool) -> Outcome {
    let queue = Arc::new(Queue::fifo("the queue", 1));
    let producer = {
        let queue = queue.clone();
        thread::spawn_named("producer", move || (0..items).for_each(|i| queue.put(i)))
    };
    let takers: Vec<_> = (0..consumers)
        .map(|c| {
            let queue = queue.clone();
            let share = items / consumers + usize::from(c < items % consumers);
            let share = share + usize::from(extra_get && c == 0);
            thread::spawn_named(format!("consumer-{}", c + 1), move || {
                let mut got: Vec<usize> = Vec::new();
                for _ in 0..share {
                    let item = queue.get();
                    ensure(
                        got.last().is_none_or(|&l| l < item),
                        "FIFO order per consumer",
                        || format!("{item} after {:?}", got.last()),
                    );
                    got.push(item);
                    queue.task_done().expect("task_done matches get");
                }
                got.len()
            })
        })
        .collect();
    queue.join();
    producer.join().unwrap();
    let taken: usize = takers.into_iter().map(|t| t.join().unwrap()).sum();
    ensure(
        queue.task_done().is_err(),
        "task_done beyond the items put is an error",
        String::new,
    );
    Outcome::new().with("taken", taken as i64)
}

/// Waiters `wait_for` a count to reach their number; a setter raises it one step at a time and
/// notifies everyone. The control setter stops one step short, so the last waiter hangs on the
/// condition.
fn signal(waiters: usize, short: bool) -> Outcome {
    let condition = Arc::new(Condition::named("the count", 0usize));
    let threads: Vec<_> = (1..=waiters)
        .map(|w| {
            let condition = condition.clone();
            thread::spawn_named(format!("waiter-{w}"), move || {
                let count = condition.acquire().wait_for(|&c| c >= w);
                ensure(
                    *count >= w,
                    "wait_for returns with its predicate true",
                    || format!("waiter {w} woke at {}", *count),
                );
            })
        })
        .collect();
    let target = if short { waiters - 1 } else { waiters };
    for _ in 0..target {
        let mut count = condition.acquire();
        *count += 1;
        count.notify_all();
    }
    threads.into_iter().for_each(|t| t.join().unwrap());
    let count = *condition.acquire();
    Outcome::new().with("count", count as i64)
}

fn workers() -> usize {
    per_build(3, 5, 8)
}

#[test]
fn a_lock_lets_one_worker_at_a_time_in() {
    let threads = workers();
    Check::new()
        .preemptions(3)
        .schedules(500)
        .final_state(common::final_count("passed", threads))
        .run(move || exclusion(threads, Guard::Lock));
}

#[test]
fn an_rlock_taken_twice_lets_one_worker_at_a_time_in() {
    let threads = workers();
    Check::new()
        .preemptions(3)
        .schedules(500)
        .final_state(common::final_count("passed", threads))
        .run(move || exclusion(threads, Guard::RLockTwice));
}

/// The control: no lock at all.
#[test]
#[cfg(any(loom, shuttle))]
fn unguarded_workers_meet_inside() {
    let threads = workers();
    Check::new()
        .preemptions(3)
        .schedules(500)
        .final_state(common::final_count("passed", threads))
        .expect(Verdict::Invariant)
        .run(move || exclusion(threads, Guard::Nothing));
}

fn items_and_consumers() -> (usize, usize) {
    (per_build(2, 20, 100_000), per_build(2, 3, 3))
}

#[test]
fn a_queue_hands_every_item_over_once_in_order() {
    let (items, consumers) = items_and_consumers();
    Check::new()
        .schedules(500)
        .runs(2)
        .final_state(common::final_count("taken", items))
        .run(move || handoff(items, consumers, false));
}

/// The control: a consumer waits for an item nobody will put, and hangs in `get` (no cycle).
#[test]
#[cfg(any(loom, shuttle))]
fn a_get_nobody_will_answer_is_a_hang_on_the_queue() {
    let (items, consumers) = items_and_consumers();
    let report = Check::new()
        .schedules(500)
        .final_state(common::final_count("taken", items))
        .expect(Verdict::Hang)
        .run(move || handoff(items, consumers, true));
    let snapshot = &report.failure.as_ref().expect("a hang").snapshot;
    assert!(snapshot.cycle.is_none(), "{report}");
    assert!(
        snapshot.blocked().any(|t| t.name.starts_with("consumer")
            && t.waits_for.as_ref().unwrap().resource == "an item in the queue"),
        "a consumer waits in get:\n{report}"
    );
}

#[test]
fn a_condition_wakes_each_waiter_once_its_count_is_reached() {
    let waiters = per_build(2, 4, 4);
    Check::new()
        .schedules(500)
        .final_state(common::final_count("count", waiters))
        .run(move || signal(waiters, false));
}

/// The control: the setter stops one step short, so the last waiter hangs on the condition.
#[test]
#[cfg(any(loom, shuttle))]
fn a_count_one_short_leaves_the_last_waiter_hanging() {
    let waiters = per_build(2, 4, 4);
    Check::new()
        .schedules(500)
        .final_state(common::final_count("count", waiters))
        .expect(Verdict::Hang)
        .run(move || signal(waiters, true));
}

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use interleave::sync::queue::{Empty, Full};
    use interleave::sync::{Array, Lock, Queue, RLock, UnlockedError, Value};
    use proptest::prelude::*;
    use std::collections::VecDeque;

    #[derive(Debug, Clone)]
    enum LockOp {
        TryAcquire,
        Release,
    }

    #[derive(Debug, Clone)]
    enum QueueOp {
        Put(u8),
        Get,
        TaskDone,
    }

    fn queue_ops() -> impl Strategy<Value = Vec<QueueOp>> {
        prop::collection::vec(
            prop_oneof![
                any::<u8>().prop_map(QueueOp::Put),
                Just(QueueOp::Get),
                Just(QueueOp::TaskDone)
            ],
            0..64,
        )
    }

    /// What `get` takes from the model, per queue order.
    fn take(order: usize, model: &mut VecDeque<u8>) -> Option<u8> {
        match order {
            0 => model.pop_front(),
            1 => model.pop_back(),
            _ => {
                let at = (0..model.len()).min_by_key(|&i| model[i])?;
                model.remove(at)
            }
        }
    }

    proptest! {
        /// A Lock is a flag: try_acquire succeeds exactly when it is free; releasing a free lock
        /// is an error that changes nothing.
        #[test]
        fn lock_is_a_flag(ops in prop::collection::vec(prop_oneof![Just(LockOp::TryAcquire), Just(LockOp::Release)], 0..64)) {
            let lock = Lock::new();
            let mut held = false;
            for op in ops {
                match op {
                    LockOp::TryAcquire => {
                        prop_assert_eq!(lock.try_acquire(), !held);
                        held = true;
                    }
                    LockOp::Release => {
                        prop_assert_eq!(lock.release(), if held { Ok(()) } else { Err(UnlockedError) });
                        held = false;
                    }
                }
                prop_assert_eq!(lock.locked(), held);
            }
        }

        /// An RLock counts its owner's acquisitions; one release more than acquisitions fails.
        #[test]
        fn rlock_counts_depth(depth in 0usize..16) {
            let rlock = RLock::new();
            for d in 1..=depth {
                rlock.acquire();
                prop_assert_eq!(rlock.depth(), d);
            }
            for d in (0..depth).rev() {
                prop_assert!(rlock.release().is_ok());
                prop_assert_eq!(rlock.depth(), d);
            }
            prop_assert!(rlock.release().is_err());
        }

        /// FIFO, LIFO and priority queues agree with a sequential model: put_nowait refuses a
        /// full queue (returning the item), get_nowait an empty one, task_done more calls than
        /// puts; empty, full and qsize tell the truth.
        #[test]
        fn queues_follow_their_order(order in 0usize..3, maxsize in 0usize..5, ops in queue_ops()) {
            let queue: Queue<u8> = match order {
                0 => Queue::fifo("q", maxsize),
                1 => Queue::lifo("q", maxsize),
                _ => Queue::priority("q", maxsize),
            };
            let mut model = VecDeque::new();
            let mut unfinished = 0usize;
            for op in ops {
                match op {
                    QueueOp::Put(x) => {
                        let full = maxsize > 0 && model.len() >= maxsize;
                        prop_assert_eq!(queue.put_nowait(x), if full { Err(Full(x)) } else { Ok(()) });
                        if !full { model.push_back(x); unfinished += 1; }
                    }
                    QueueOp::Get => {
                        prop_assert_eq!(queue.get_nowait(), take(order, &mut model).ok_or(Empty));
                    }
                    QueueOp::TaskDone => {
                        prop_assert_eq!(queue.task_done().is_ok(), unfinished > 0);
                        unfinished = unfinished.saturating_sub(1);
                    }
                }
                prop_assert_eq!(queue.qsize(), model.len());
                prop_assert_eq!(queue.empty(), model.is_empty());
                prop_assert_eq!(queue.full(), maxsize > 0 && model.len() >= maxsize);
            }
            if unfinished == 0 {
                queue.join(); // returns at once: nothing unfinished
            }
        }

        /// Value and Array keep every write; get_lock gives the same cells.
        #[test]
        fn shared_cells_keep_writes(values in prop::collection::vec(any::<i32>(), 1..32), x in -1_000i32..1_000) {
            let value = Value::new("v", 0);
            value.set(x);
            prop_assert_eq!(value.get(), x);
            *value.get_lock() += 1;
            prop_assert_eq!(value.get(), x + 1);
            let array = Array::new("a", values.clone());
            prop_assert_eq!(array.len(), values.len());
            array.set(0, x);
            prop_assert_eq!(array.get(0), x);
            array.get_lock()[0] = values[0];
            prop_assert_eq!(array.to_vec(), values);
        }
    }

    #[test]
    fn a_blocking_get_takes_what_a_blocking_put_left() {
        let queue = Queue::fifo("q", 1);
        queue.put(7);
        assert!(queue.full());
        assert_eq!(queue.get(), 7);
        queue.task_done().unwrap();
        queue.join();
    }
}
