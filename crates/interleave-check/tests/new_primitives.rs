//! The primitives beyond the course's: atomics with compare-and-swap, timed waits, scoped
//! threads, spin-loop hints, `RLock::try_acquire` and user-declared resources. Each has its
//! sequential contract as a property (std build) and its concurrent contract explored (loom and
//! shuttle), beside a control that breaks it and must be caught.

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use interleave_check::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering::SeqCst};
    use interleave_check::sync::queue::Empty;
    use interleave_check::sync::{thread, Event, Lock, Queue, RLock, Semaphore};
    use proptest::prelude::*;
    use std::time::Duration;

    #[derive(Clone, Debug)]
    enum Op {
        Load,
        Store(u32),
        Swap(u32),
        Cas(u32, u32),
        Add(u32),
        Sub(u32),
        And(u32),
        Or(u32),
        Xor(u32),
        Max(u32),
        Min(u32),
        Double,
    }

    fn op() -> impl Strategy<Value = Op> {
        let v = 0u32..8;
        prop_oneof![
            Just(Op::Load),
            v.clone().prop_map(Op::Store),
            v.clone().prop_map(Op::Swap),
            (0u32..8, 0u32..8).prop_map(|(a, b)| Op::Cas(a, b)),
            v.clone().prop_map(Op::Add),
            v.clone().prop_map(Op::Sub),
            v.clone().prop_map(Op::And),
            v.clone().prop_map(Op::Or),
            v.clone().prop_map(Op::Xor),
            v.clone().prop_map(Op::Max),
            v.prop_map(Op::Min),
            Just(Op::Double),
        ]
    }

    /// What the operation returns and leaves, on a plain integer.
    fn on_plain(x: &mut u32, op: &Op) -> Result<u32, u32> {
        let old = *x;
        let (new, result) = match *op {
            Op::Load => (old, Ok(old)),
            Op::Store(v) => (v, Ok(old)),
            Op::Swap(v) => (v, Ok(old)),
            Op::Cas(c, v) if old == c => (v, Ok(old)),
            Op::Cas(..) => (old, Err(old)),
            Op::Add(v) => (old.wrapping_add(v), Ok(old)),
            Op::Sub(v) => (old.wrapping_sub(v), Ok(old)),
            Op::And(v) => (old & v, Ok(old)),
            Op::Or(v) => (old | v, Ok(old)),
            Op::Xor(v) => (old ^ v, Ok(old)),
            Op::Max(v) => (old.max(v), Ok(old)),
            Op::Min(v) => (old.min(v), Ok(old)),
            Op::Double => (old.wrapping_mul(2), Ok(old)),
        };
        *x = new;
        result
    }

    fn on_atomic(a: &AtomicU32, op: &Op) -> Result<u32, u32> {
        match *op {
            Op::Load => Ok(a.load(SeqCst)),
            Op::Store(v) => {
                let old = a.load(SeqCst);
                a.store(v, SeqCst);
                Ok(old)
            }
            Op::Swap(v) => Ok(a.swap(v, SeqCst)),
            Op::Cas(c, v) => a.compare_exchange(c, v, SeqCst, SeqCst),
            Op::Add(v) => Ok(a.fetch_add(v, SeqCst)),
            Op::Sub(v) => Ok(a.fetch_sub(v, SeqCst)),
            Op::And(v) => Ok(a.fetch_and(v, SeqCst)),
            Op::Or(v) => Ok(a.fetch_or(v, SeqCst)),
            Op::Xor(v) => Ok(a.fetch_xor(v, SeqCst)),
            Op::Max(v) => Ok(a.fetch_max(v, SeqCst)),
            Op::Min(v) => Ok(a.fetch_min(v, SeqCst)),
            Op::Double => a.fetch_update(SeqCst, SeqCst, |x| Some(x.wrapping_mul(2))),
        }
    }

    proptest! {
        /// Every operation of a traced atomic returns and leaves what it would on a plain
        /// integer held by one thread.
        #[test]
        fn atomic_operations_agree_with_a_plain_integer(ops in prop::collection::vec(op(), 0..40)) {
            let atomic = AtomicU32::new(0);
            let mut plain = 0u32;
            for op in &ops {
                prop_assert_eq!(on_atomic(&atomic, op), on_plain(&mut plain, op), "{:?}", op);
            }
            prop_assert_eq!(atomic.into_inner(), plain);
        }

        /// A signed atomic wraps and compares as its integer type does; a flag as `bool`.
        #[test]
        fn signed_atomics_and_flags_agree_too(a in -9i64..9, b in -9i64..9, f in any::<bool>(), g in any::<bool>()) {
            let x = AtomicI64::new(a);
            prop_assert_eq!(x.fetch_min(b, SeqCst), a);
            prop_assert_eq!(x.load(SeqCst), a.min(b));
            prop_assert_eq!(x.compare_exchange(a.min(b), b, SeqCst, SeqCst), Ok(a.min(b)));
            let flag = AtomicBool::new(f);
            prop_assert_eq!(flag.fetch_xor(g, SeqCst), f);
            prop_assert_eq!(flag.load(SeqCst), f ^ g);
            prop_assert_eq!(flag.compare_exchange(!(f ^ g), f, SeqCst, SeqCst), Err(f ^ g));
        }

        /// A semaphore of `n` permits gives `n` timed acquires, times the next one out, and gives
        /// one more after a release; a lock is a semaphore of one.
        #[test]
        fn timed_acquires_time_out_only_when_nothing_is_free(n in 1usize..4) {
            let short = Duration::from_millis(1);
            let semaphore = Semaphore::named("permits", n);
            for _ in 0..n {
                prop_assert!(semaphore.acquire_timeout(short));
            }
            prop_assert!(!semaphore.acquire_timeout(short));
            semaphore.release();
            prop_assert!(semaphore.acquire_timeout(short));
            let lock = Lock::named("the lock");
            prop_assert!(lock.acquire_timeout(short));
            prop_assert!(!lock.acquire_timeout(short));
            lock.release().unwrap();
            prop_assert!(lock.acquire_timeout(short));
        }

        /// A queue's timed get and put give up only on an empty or a full queue; an event's
        /// timed wait tells whether it is set.
        #[test]
        fn timed_gets_and_puts_give_up_only_when_they_must(items in prop::collection::vec(0u8..9, 1..6)) {
            let short = Duration::from_millis(1);
            let queue = Queue::fifo("the queue", items.len());
            prop_assert_eq!(queue.get_timeout(short), Err(Empty));
            for &i in &items {
                prop_assert!(queue.put_timeout(i, short).is_ok());
            }
            prop_assert!(queue.put_timeout(99, short).is_err());
            for &i in &items {
                prop_assert_eq!(queue.get_timeout(short), Ok(i));
            }
            let event = Event::named("the event");
            prop_assert!(!event.wait_timeout(short));
            event.set();
            prop_assert!(event.wait_timeout(short));
        }

        /// `try_acquire` on an RLock: its owner goes one deeper each time; another thread is
        /// refused until the owner has given back every acquisition.
        #[test]
        fn an_rlock_is_tried_like_python_s(depth in 1usize..5) {
            let rlock = std::sync::Arc::new(RLock::named("the rlock"));
            for d in 1..=depth {
                prop_assert!(rlock.try_acquire());
                prop_assert_eq!(rlock.depth(), d);
            }
            let other = rlock.clone();
            let refused = !thread::spawn(move || other.try_acquire()).join().unwrap();
            prop_assert!(refused);
            for _ in 0..depth {
                rlock.release().unwrap();
            }
            let other = rlock.clone();
            let taken_by_other = thread::spawn(move || {
                let taken = other.try_acquire();
                other.release().unwrap();
                taken
            })
            .join().unwrap();
            prop_assert!(taken_by_other);
        }

        /// Scoped threads may write into the caller's own vector, each its own chunk, and are
        /// all done when `scope` returns.
        #[test]
        fn scoped_threads_fill_a_borrowed_vector(threads in 1usize..6, chunk in 1usize..5) {
            let mut data = vec![0usize; threads * chunk];
            thread::scope(|s| {
                for (t, part) in data.chunks_mut(chunk).enumerate() {
                    s.spawn_named(format!("filler {t}"), move || part.iter_mut().for_each(|x| *x = t + 1));
                }
            });
            let expected: Vec<usize> = (0..threads * chunk).map(|i| i / chunk + 1).collect();
            prop_assert_eq!(data, expected);
        }
    }
}

#[cfg(any(loom, shuttle))]
mod explored {
    use interleave_check::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use interleave_check::sync::{hint, thread, Arc, Event, Mutex, Queue, Resource, Semaphore};
    use interleave_check::{Check, Outcome, Verdict};
    use std::collections::BTreeSet;
    use std::time::Duration;

    fn counted(n: i64) -> impl Fn(&Outcome) -> Result<(), String> + Send + Sync + 'static {
        move |o| o.expect_value("n", n, |got| format!("n is {got}, not {n}"))
    }

    /// Two threads each raise `n` to their number, with `fetch_max` or (the control) a load, a
    /// comparison and a store.
    fn raise_to_max(atomic_max: bool) -> Outcome {
        let n = Arc::new(AtomicUsize::named("n", 0));
        let raisers: Vec<_> = [1usize, 2]
            .into_iter()
            .map(|v| {
                let n = n.clone();
                thread::spawn_named(format!("raiser {v}"), move || {
                    if atomic_max {
                        n.fetch_max(v, SeqCst);
                    } else if n.load(SeqCst) < v {
                        n.store(v, SeqCst);
                    }
                })
            })
            .collect();
        raisers.into_iter().for_each(|t| t.join().unwrap());
        Outcome::new().with("n", n.load(SeqCst) as i64)
    }

    #[test]
    fn fetch_max_keeps_the_largest() {
        Check::new()
            .final_state(counted(2))
            .run(|| raise_to_max(true));
    }

    #[test]
    fn a_load_compare_store_can_lower_the_maximum() {
        Check::new()
            .final_state(counted(2))
            .expect(Verdict::LostUpdate)
            .run(|| raise_to_max(false));
    }

    /// Two threads add one with `fetch_update` (a compare-and-swap loop), or with a load then a
    /// store (the control).
    fn add_twice(cas: bool) -> Outcome {
        let n = Arc::new(AtomicUsize::named("n", 0));
        let adders: Vec<_> = (1..=2)
            .map(|a| {
                let n = n.clone();
                thread::spawn_named(format!("adder {a}"), move || {
                    if cas {
                        n.fetch_update(SeqCst, SeqCst, |x| Some(x + 1)).unwrap();
                    } else {
                        let seen = n.load(SeqCst);
                        n.store(seen + 1, SeqCst);
                    }
                })
            })
            .collect();
        adders.into_iter().for_each(|t| t.join().unwrap());
        Outcome::new().with("n", n.load(SeqCst) as i64)
    }

    #[test]
    fn a_compare_and_swap_loop_loses_no_increment() {
        Check::new().final_state(counted(2)).run(|| add_twice(true));
    }

    #[test]
    fn a_load_then_store_loses_one() {
        Check::new()
            .final_state(counted(2))
            .expect(Verdict::LostUpdate)
            .run(|| add_twice(false));
    }

    /// A timed wait races a setter: whichever comes first, the waiter says truly whether the
    /// event was set; both endings are reachable (the explorers time waits out themselves).
    fn timed_wait_for_a_set() -> Outcome {
        let event = Arc::new(Event::named("the event"));
        let setter = {
            let event = event.clone();
            thread::spawn_named("setter", move || event.set())
        };
        let set = event.wait_timeout(Duration::from_millis(10));
        interleave_check::ensure(
            !set || event.is_set(),
            "a timed wait that succeeds saw the event set",
            || "it said set while the event was clear".into(),
        );
        setter.join().unwrap();
        Outcome::new().with("set in time", i64::from(set))
    }

    #[test]
    fn a_timed_wait_can_end_either_way_and_says_which() {
        let report = Check::new().run(timed_wait_for_a_set);
        let endings: BTreeSet<i64> = report
            .outcomes
            .iter()
            .map(|o| o.value("set in time"))
            .collect();
        assert_eq!(endings, BTreeSet::from([0, 1]), "{report}");
    }

    /// The controls: code that assumes a timed wait always succeeds, or always times out, is
    /// caught.
    #[test]
    fn assuming_a_timed_wait_always_succeeds_is_caught() {
        let always = |v: i64| {
            move |o: &Outcome| {
                o.expect_value("set in time", v, |got| format!("set in time is {got}"))
            }
        };
        Check::new()
            .final_state(always(1))
            .expect(Verdict::LostUpdate)
            .run(timed_wait_for_a_set);
        Check::new()
            .final_state(always(0))
            .expect(Verdict::LostUpdate)
            .run(timed_wait_for_a_set);
    }

    /// A timed get and a timed acquire race their producer the same way.
    #[test]
    fn timed_gets_and_acquires_can_end_either_way() {
        let endings = |f: fn() -> Outcome| -> BTreeSet<i64> {
            let report = Check::new().run(f);
            report.outcomes.iter().map(|o| o.value("got")).collect()
        };
        let get = || {
            let queue = Arc::new(Queue::fifo("the queue", 0));
            let putter = {
                let queue = queue.clone();
                thread::spawn_named("putter", move || queue.put(7))
            };
            let got = queue.get_timeout(Duration::from_millis(10)).is_ok();
            putter.join().unwrap();
            Outcome::new().with("got", i64::from(got))
        };
        let acquire = || {
            let permits = Arc::new(Semaphore::named("permits", 0));
            let giver = {
                let permits = permits.clone();
                thread::spawn_named("giver", move || permits.release())
            };
            let got = permits.acquire_timeout(Duration::from_millis(10));
            giver.join().unwrap();
            Outcome::new().with("got", i64::from(got))
        };
        assert_eq!(endings(get), BTreeSet::from([0, 1]));
        assert_eq!(endings(acquire), BTreeSet::from([0, 1]));
    }

    /// Scoped threads share a counter on the caller's stack: under its mutex nothing is lost;
    /// with a load then a store (the control), an increment is.
    fn scoped_adders(locked: bool) -> Outcome {
        let n = Mutex::named("n", 0usize);
        let racy = AtomicUsize::named("n", 0);
        thread::scope(|s| {
            for a in 1..=2 {
                let (n, racy) = (&n, &racy);
                s.spawn_named(format!("adder {a}"), move || {
                    if locked {
                        *n.lock().unwrap() += 1;
                    } else {
                        let seen = racy.load(SeqCst);
                        racy.store(seen + 1, SeqCst);
                    }
                });
            }
        });
        let total = if locked {
            *n.lock().unwrap()
        } else {
            racy.load(SeqCst)
        };
        Outcome::new().with("n", total as i64)
    }

    #[test]
    fn scoped_threads_are_all_joined_and_share_the_caller_s_data() {
        Check::new()
            .final_state(counted(2))
            .run(|| scoped_adders(true));
    }

    #[test]
    fn scoped_threads_race_like_any_others() {
        Check::new()
            .final_state(counted(2))
            .expect(Verdict::LostUpdate)
            .run(|| scoped_adders(false));
    }

    /// One thread spins until another raises a flag (or, the control, nobody does).
    fn spin_until_raised(raised_by_someone: bool) {
        let flag = Arc::new(AtomicBool::named("the flag", false));
        let raiser = {
            let flag = flag.clone();
            thread::spawn_named("raiser", move || {
                if raised_by_someone {
                    flag.store(true, SeqCst);
                }
            })
        };
        while !flag.load(SeqCst) {
            hint::spin_loop();
        }
        raiser.join().unwrap();
    }

    #[test]
    fn a_spin_that_another_thread_ends_is_ok_with_its_turns_counted() {
        let report = Check::new().run(|| spin_until_raised(true));
        assert!(report.stats.spins > 0, "{report}");
        assert!(report.to_string().contains("spin-loop turns"), "{report}");
    }

    #[test]
    fn a_spin_nobody_ends_is_a_livelock() {
        Check::new()
            .max_steps(2_000)
            .expect(Verdict::Livelock)
            .run(|| spin_until_raised(false));
    }

    /// Two spin locks of one's own, taken in opposite orders: declared as resources, the
    /// spinning threads close a cycle that is reported as a deadlock naming both; undeclared
    /// (the control), they only spin, a livelock.
    fn opposite_spin_locks(declared: bool) {
        struct SpinLock {
            taken: AtomicBool,
            resource: Option<Resource>,
        }
        impl SpinLock {
            fn lock(&self) {
                if let Some(r) = &self.resource {
                    r.waiting();
                }
                while self
                    .taken
                    .compare_exchange(false, true, SeqCst, SeqCst)
                    .is_err()
                {
                    hint::spin_loop();
                }
                if let Some(r) = &self.resource {
                    r.acquired();
                }
            }
            fn unlock(&self) {
                if let Some(r) = &self.resource {
                    r.released();
                }
                self.taken.store(false, SeqCst);
            }
        }
        let make = |name: &str| SpinLock {
            taken: AtomicBool::named(name, false),
            resource: declared.then(|| Resource::new(name)),
        };
        let locks = Arc::new((make("lock X"), make("lock Y")));
        let other = {
            let locks = locks.clone();
            thread::spawn_named("B", move || {
                locks.1.lock();
                locks.0.lock();
                locks.0.unlock();
                locks.1.unlock();
            })
        };
        locks.0.lock();
        locks.1.lock();
        locks.1.unlock();
        locks.0.unlock();
        other.join().unwrap();
    }

    #[test]
    fn a_declared_lock_of_one_s_own_shows_in_the_deadlock_s_cycle() {
        let report = Check::new()
            .max_steps(2_000)
            .expect(Verdict::Deadlock)
            .run(|| opposite_spin_locks(true));
        let message = report.failure.as_ref().unwrap().message();
        assert!(
            message.contains("lock X") && message.contains("lock Y"),
            "{report}"
        );
    }

    #[test]
    fn undeclared_the_same_locks_only_spin() {
        Check::new()
            .max_steps(2_000)
            .expect(Verdict::Livelock)
            .run(|| opposite_spin_locks(false));
    }
}
