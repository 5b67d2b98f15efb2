//! The primitives std has, on the facade: `mpsc`, `OnceLock`, `Mutex::try_lock`, `RwLock`'s
//! tries, `park`/`unpark`. Each sequential contract is a property held against std itself (the
//! same operations on std's type and on the facade's must answer alike); each concurrent contract
//! is explored (loom and shuttle) beside a control that breaks it and must be caught.

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use interleave_check::sync as facade;
    use proptest::prelude::*;
    use std::sync as real;

    #[derive(Clone, Debug)]
    enum ChannelOp {
        Send(u8),
        TrySend(u8),
        TryRecv,
        CloneSender,
        DropSender,
    }

    fn channel_op() -> impl Strategy<Value = ChannelOp> {
        prop_oneof![
            any::<u8>().prop_map(ChannelOp::Send),
            any::<u8>().prop_map(ChannelOp::TrySend),
            Just(ChannelOp::TryRecv),
            Just(ChannelOp::TryRecv),
            Just(ChannelOp::CloneSender),
            Just(ChannelOp::DropSender),
        ]
    }

    /// Runs `ops` on one thread against a channel's ends, each answer as text: `send` sends
    /// without blocking (a bounded channel's `try_send`), `recv` tries to receive.
    fn drive<S: Clone, R>(
        sender: S,
        receiver: R,
        send: impl Fn(&S, u8) -> String,
        recv: impl Fn(&R) -> String,
        ops: &[ChannelOp],
    ) -> Vec<String> {
        let mut senders = vec![sender];
        let mut answers = Vec::new();
        for op in ops {
            match op {
                ChannelOp::Send(v) | ChannelOp::TrySend(v) => {
                    if let Some(tx) = senders.last() {
                        answers.push(send(tx, *v));
                    }
                }
                ChannelOp::TryRecv => answers.push(recv(&receiver)),
                ChannelOp::CloneSender => {
                    if let Some(tx) = senders.last() {
                        let clone = tx.clone();
                        senders.push(clone);
                    }
                }
                ChannelOp::DropSender => drop(senders.pop()),
            }
        }
        answers
    }

    /// `ops` on a channel of `bound` (`None`: unbounded) made by the `mpsc` module given.
    macro_rules! run_channel {
        ($mpsc:path, $bound:expr, $ops:expr) => {{
            use $mpsc as mpsc;
            match $bound {
                None => {
                    let (tx, rx) = mpsc::channel::<u8>();
                    drive(
                        tx,
                        rx,
                        |tx, v| format!("{:?}", tx.send(v)),
                        |rx| format!("{:?}", rx.try_recv()),
                        $ops,
                    )
                }
                Some(bound) => {
                    let (tx, rx) = mpsc::sync_channel::<u8>(bound);
                    drive(
                        tx,
                        rx,
                        |tx, v| format!("{:?}", tx.try_send(v)),
                        |rx| format!("{:?}", rx.try_recv()),
                        $ops,
                    )
                }
            }
        }};
    }

    proptest! {
        /// Sends, tries, clones and drops answer as std's channels answer.
        #[test]
        fn a_channel_answers_as_std(
            bound in prop_oneof![Just(None), (0usize..3).prop_map(Some)],
            ops in prop::collection::vec(channel_op(), 0..24),
        ) {
            let std_answers = run_channel!(real::mpsc, bound, &ops);
            let facade_answers = run_channel!(facade::mpsc, bound, &ops);
            prop_assert_eq!(facade_answers, std_answers);
        }

        /// `set`, `get`, `get_or_init` and `take` answer as std's `OnceLock`.
        #[test]
        fn a_once_lock_answers_as_std(ops in prop::collection::vec((0u8..4, any::<u8>()), 0..12)) {
            let mut theirs = real::OnceLock::new();
            let mut ours = facade::OnceLock::new();
            for (op, v) in ops {
                let (a, b) = match op {
                    0 => (format!("{:?}", theirs.set(v)), format!("{:?}", ours.set(v))),
                    1 => (format!("{:?}", theirs.get()), format!("{:?}", ours.get())),
                    2 => (
                        format!("{:?}", theirs.get_or_init(|| v)),
                        format!("{:?}", ours.get_or_init(|| v)),
                    ),
                    _ => (format!("{:?}", theirs.take()), format!("{:?}", ours.take())),
                };
                prop_assert_eq!(b, a);
            }
        }

        /// `Once::call_once` runs the first closure only, and `LazyLock` computes once, as std's.
        #[test]
        fn once_and_lazy_answer_as_std(values in prop::collection::vec(any::<u8>(), 1..8)) {
            let (theirs, ours) = (real::Once::new(), facade::Once::new());
            let (mut their_runs, mut our_runs) = (Vec::new(), Vec::new());
            for &v in &values {
                prop_assert_eq!(ours.is_completed(), theirs.is_completed());
                theirs.call_once(|| their_runs.push(v));
                ours.call_once(|| our_runs.push(v));
            }
            prop_assert_eq!(&our_runs, &their_runs);
            let first = values[0];
            let their_lazy = real::LazyLock::new(move || first);
            let our_lazy = facade::LazyLock::new(move || first);
            for _ in &values {
                prop_assert_eq!(*our_lazy, *their_lazy);
            }
        }

        /// A barrier of one: every `wait` is its round's leader, as std's.
        #[test]
        fn a_barrier_of_one_always_leads(waits in 1usize..6) {
            let (theirs, ours) = (real::Barrier::new(1), facade::Barrier::new(1));
            for _ in 0..waits {
                prop_assert_eq!(ours.wait().is_leader(), theirs.wait().is_leader());
            }
        }

        /// With some guards held, `try_lock`, `try_read` and `try_write` succeed or would block
        /// as std's do.
        #[test]
        fn tries_answer_as_std(ops in prop::collection::vec(0u8..5, 0..12)) {
            let (their_mutex, their_rw) = (real::Mutex::new(0), real::RwLock::new(0));
            let (our_mutex, our_rw) = (facade::Mutex::new(0), facade::RwLock::new(0));
            let (mut their_held, mut our_held) = (Vec::new(), Vec::new());
            let (mut their_reads, mut our_reads) = (Vec::new(), Vec::new());
            let (mut their_writes, mut our_writes) = (Vec::new(), Vec::new());
            for op in ops {
                let (a, b) = match op {
                    0 => {
                        let (a, b) = (their_mutex.try_lock(), our_mutex.try_lock());
                        let answers = (a.is_ok(), b.is_ok());
                        their_held.extend(a.ok());
                        our_held.extend(b.ok());
                        answers
                    }
                    1 => {
                        let (a, b) = (their_rw.try_read(), our_rw.try_read());
                        let answers = (a.is_ok(), b.is_ok());
                        their_reads.extend(a.ok());
                        our_reads.extend(b.ok());
                        answers
                    }
                    2 => {
                        let (a, b) = (their_rw.try_write(), our_rw.try_write());
                        let answers = (a.is_ok(), b.is_ok());
                        their_writes.extend(a.ok());
                        our_writes.extend(b.ok());
                        answers
                    }
                    3 => {
                        their_held.clear();
                        our_held.clear();
                        (true, true)
                    }
                    _ => {
                        their_reads.clear();
                        our_reads.clear();
                        their_writes.clear();
                        our_writes.clear();
                        (true, true)
                    }
                };
                prop_assert_eq!(b, a);
            }
        }
    }
}

/// Real threads: a thread's name is the one its `Builder` gave, and its thread-local value
/// starts afresh whatever its parent stored, as std's.
#[cfg(not(any(loom, shuttle)))]
mod thread_properties {
    use interleave_check::thread;
    use proptest::prelude::*;
    use std::cell::Cell;

    interleave_check::thread_local! {
        static OURS: Cell<u32> = const { Cell::new(0) };
    }
    std::thread_local! {
        static THEIRS: Cell<u32> = const { Cell::new(0) };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn names_and_thread_locals_behave_as_std(name in "[a-z][a-z0-9 -]{0,12}", stored in any::<u32>()) {
            OURS.with(|v| v.set(stored));
            THEIRS.with(|v| v.set(stored));
            let ours = thread::Builder::new()
                .name(name.clone())
                .spawn(|| (thread::current().name().map(str::to_string), OURS.with(Cell::get)))
                .unwrap()
                .join()
                .unwrap();
            let theirs = std::thread::Builder::new()
                .name(name.clone())
                .spawn(|| (std::thread::current().name().map(str::to_string), THEIRS.with(Cell::get)))
                .unwrap()
                .join()
                .unwrap();
            prop_assert_eq!(ours, theirs);
            prop_assert_eq!(OURS.with(Cell::get), stored);
        }
    }
}

/// Real threads: a timed park nobody unparks returns; a spawned thread's thread-local starts
/// afresh; a `Builder`'s name is the thread's; `is_finished` turns true once it has returned.
#[cfg(not(any(loom, shuttle)))]
mod real_threads {
    use interleave_check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use interleave_check::thread;
    use std::time::Duration;

    #[test]
    fn a_timed_park_returns_a_thread_local_is_per_thread_a_builder_names() {
        thread::park_timeout(Duration::from_millis(1));
        interleave_check::thread_local! {
            static MINE: AtomicUsize = AtomicUsize::new(0);
        }
        MINE.with(|m| m.store(7, SeqCst));
        let child = thread::Builder::new()
            .name("child".to_string())
            .spawn(|| {
                let name = thread::current().name().map(str::to_string);
                (name, MINE.with(|m| m.load(SeqCst)))
            })
            .unwrap();
        while !child.is_finished() {
            thread::yield_now();
        }
        assert_eq!(child.join().unwrap(), (Some("child".to_string()), 0));
        assert_eq!(MINE.with(|m| m.load(SeqCst)), 7);
    }
}

#[cfg(any(loom, shuttle))]
mod explored {
    use interleave_check::cell::UnsafeCell;
    use interleave_check::sync::atomic::Ordering::SeqCst;
    use interleave_check::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
    use interleave_check::sync::{mpsc, thread, Arc, Barrier, LazyLock, Once, OnceLock, RwLock};
    use interleave_check::{Check, Report, Verdict};
    use std::time::Duration;

    fn explore(f: impl Fn() + Send + Sync + 'static) -> Report {
        Check::new()
            .preemptions(2)
            .schedules(1_000)
            .report(f)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn verdict(report: &Report) -> Option<Verdict> {
        report.failure.as_ref().and_then(|f| f.verdict())
    }

    /// Two senders, one item each: the receiver's iteration ends once both are gone, with both
    /// items. The control: one sender's clone is never dropped, and the receiver waits forever.
    #[test]
    fn a_receiver_gets_every_item_then_sees_the_senders_gone() {
        let program = |leak: bool| {
            move || {
                let (tx, rx) = mpsc::channel();
                let other = tx.clone();
                let sender = thread::spawn_named("sender", move || {
                    other.send(2).unwrap();
                    if leak {
                        std::mem::forget(other);
                    }
                });
                tx.send(1).unwrap();
                drop(tx);
                let mut items: Vec<i32> = rx.iter().collect();
                items.sort_unstable();
                assert_eq!(items, [1, 2]);
                sender.join().unwrap();
            }
        };
        let ok = explore(program(false));
        assert!(ok.failure.is_none(), "{ok}");
        let leaked = explore(program(true));
        assert_eq!(verdict(&leaked), Some(Verdict::Hang), "{leaked}");
    }

    /// `get_or_init` runs its initialiser once, whoever comes first. The control: the
    /// check-then-set a user writes by hand initialises twice in some schedule.
    #[test]
    fn a_once_lock_initialises_once() {
        let program = |by_hand: bool| {
            move || {
                let cell = Arc::new(OnceLock::new());
                let runs = Arc::new(AtomicUsize::named("initialisations", 0));
                let init = {
                    let (cell, runs) = (cell.clone(), runs.clone());
                    move || {
                        let make = || {
                            runs.fetch_add(1, SeqCst);
                            7
                        };
                        if by_hand {
                            if cell.get().is_none() {
                                let _ = cell.set(make());
                            }
                        } else {
                            cell.get_or_init(make);
                        }
                    }
                };
                let other = thread::spawn_named("other", init.clone());
                init();
                other.join().unwrap();
                assert_eq!(runs.load(SeqCst), 1, "initialised more than once");
            }
        };
        let ok = explore(program(false));
        assert!(ok.failure.is_none(), "{ok}");
        let twice = explore(program(true));
        assert_eq!(verdict(&twice), Some(Verdict::Panic), "{twice}");
    }

    /// An unpark that comes before the park is kept. The control: two parks for one unpark, and
    /// the second waits forever.
    #[test]
    fn an_unpark_before_the_park_is_not_lost() {
        let program = |parks: usize| {
            move || {
                let me = thread::current();
                let waker = thread::spawn_named("waker", move || me.unpark());
                for _ in 0..parks {
                    thread::park();
                }
                waker.join().unwrap();
            }
        };
        let ok = explore(program(1));
        assert!(ok.failure.is_none(), "{ok}");
        let twice = explore(program(2));
        assert_eq!(verdict(&twice), Some(Verdict::Hang), "{twice}");
        // The report names whose park it is, in every build.
        assert!(
            twice
                .to_string()
                .contains("main waits for an unpark of main"),
            "{twice}"
        );
    }

    /// A readers-writer lock orders a writer's writes before a reader's reads. The control: the
    /// reader reads without the lock, a data race.
    #[test]
    fn a_readers_writer_lock_orders_what_it_guards() {
        struct Guarded {
            lock: RwLock<()>,
            value: UnsafeCell<u32>,
        }
        // SAFETY: the test's point: whether every access holds the lock is what is checked.
        unsafe impl Sync for Guarded {}
        let program = |reader_locks: bool| {
            move || {
                let shared = Arc::new(Guarded {
                    lock: RwLock::named("lock", ()),
                    value: UnsafeCell::named("value", 0),
                });
                let writer = {
                    let shared = shared.clone();
                    thread::spawn_named("writer", move || {
                        let _w = shared.lock.write().unwrap();
                        shared.value.with_mut(|v| unsafe { *v += 1 });
                    })
                };
                let _r = reader_locks.then(|| shared.lock.read().unwrap());
                let seen = shared.value.with(|v| unsafe { *v });
                assert!(seen <= 1);
                drop(_r);
                writer.join().unwrap();
            }
        };
        let ok = explore(program(true));
        assert!(ok.failure.is_none(), "{ok}");
        let unlocked = explore(program(false));
        assert_eq!(verdict(&unlocked), Some(Verdict::DataRace), "{unlocked}");
    }

    /// `Once` and `LazyLock` run their initialiser once, whoever comes first. The control: a
    /// hand-made "done" flag checked, then set, runs it twice in some schedule.
    #[test]
    fn once_and_lazy_initialise_once() {
        let program = |by_hand: bool| {
            move || {
                let once = Arc::new(Once::new());
                let done = Arc::new(AtomicBool::named("done", false));
                let runs = Arc::new(AtomicUsize::named("runs", 0));
                let lazy = Arc::new(LazyLock::new({
                    let runs = runs.clone();
                    move || runs.fetch_add(1, SeqCst)
                }));
                let init = {
                    let (once, done, runs, lazy) =
                        (once.clone(), done.clone(), runs.clone(), lazy.clone());
                    move || {
                        let run = || {
                            runs.fetch_add(1, SeqCst);
                        };
                        if by_hand {
                            if !done.load(SeqCst) {
                                run();
                                done.store(true, SeqCst);
                            }
                        } else {
                            once.call_once(run);
                        }
                        **lazy
                    }
                };
                let other = thread::spawn_named("other", init.clone());
                let mine = init();
                assert_eq!(other.join().unwrap(), mine, "two values for one LazyLock");
                assert_eq!(runs.load(SeqCst), 2, "one run of each initialiser");
            }
        };
        let ok = explore(program(false));
        assert!(ok.failure.is_none(), "{ok}");
        let twice = explore(program(true));
        assert_eq!(verdict(&twice), Some(Verdict::Panic), "{twice}");
    }

    /// A bounded channel holds its bound: a sender with nobody receiving blocks once it is full,
    /// and its joiner hangs. The control: a bound that holds both items, which ends.
    #[test]
    fn a_full_sync_channel_blocks_its_sender() {
        let program = |bound: usize| {
            move || {
                let (tx, rx) = mpsc::sync_channel(bound);
                let sender = thread::spawn_named("sender", move || {
                    tx.send(1).unwrap();
                    tx.send(2).unwrap();
                });
                sender.join().unwrap();
                assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2]);
            }
        };
        let roomy = explore(program(2));
        assert!(roomy.failure.is_none(), "{roomy}");
        let full = explore(program(1));
        assert_eq!(verdict(&full), Some(Verdict::Hang), "{full}");
    }

    /// `Barrier::new(n)` lets `n` through together, one of them the leader. The control: a
    /// barrier for three that only two reach hangs.
    #[test]
    fn a_barrier_elects_one_leader_per_round() {
        let program = |parties: usize| {
            move || {
                let barrier = Arc::new(Barrier::new(parties));
                let other = {
                    let barrier = barrier.clone();
                    thread::spawn_named("other", move || barrier.wait().is_leader())
                };
                let mine = barrier.wait().is_leader();
                let theirs = other.join().unwrap();
                assert!(mine != theirs, "exactly one leader");
            }
        };
        let ok = explore(program(2));
        assert!(ok.failure.is_none(), "{ok}");
        let short = explore(program(3));
        assert_eq!(verdict(&short), Some(Verdict::Hang), "{short}");
    }

    /// A `Release` fence before a relaxed store and an `Acquire` fence after the relaxed load
    /// that sees it order a cell's write before its read. The control: the same without the
    /// fences, a data race.
    #[test]
    fn fences_publish_through_a_relaxed_flag() {
        struct Slot(UnsafeCell<u32>);
        // SAFETY: the test's point.
        unsafe impl Sync for Slot {}
        let program = |fenced: bool| {
            move || {
                let slot = Arc::new(Slot(UnsafeCell::named("slot", 0)));
                let flag = Arc::new(AtomicBool::named("flag", false));
                let writer = {
                    let (slot, flag) = (slot.clone(), flag.clone());
                    thread::spawn_named("writer", move || {
                        slot.0.with_mut(|p| unsafe { *p = 1 });
                        if fenced {
                            fence(Ordering::Release);
                        }
                        flag.store(true, Ordering::Relaxed);
                    })
                };
                if flag.load(Ordering::Relaxed) {
                    if fenced {
                        fence(Ordering::Acquire);
                    }
                    assert_eq!(slot.0.with(|p| unsafe { *p }), 1);
                }
                writer.join().unwrap();
            }
        };
        let ok = explore(program(true));
        assert!(ok.failure.is_none(), "{ok}");
        let bare = explore(program(false));
        assert_eq!(verdict(&bare), Some(Verdict::DataRace), "{bare}");
    }

    /// A timed park nobody unparks returns (the time runs out), in every schedule; an untimed
    /// one hangs (`an_unpark_before_the_park_is_not_lost`'s control).
    #[test]
    fn a_timed_park_returns_without_an_unpark() {
        let report = explore(|| {
            let sleeper = thread::spawn_named("sleeper", || {
                thread::park_timeout(Duration::from_millis(10));
            });
            sleeper.join().unwrap();
        });
        assert!(report.failure.is_none(), "{report}");
        assert!(report.executions >= 1, "{report}");
    }

    /// The facade's `thread_local!` gives each thread of the checked program its own value. The
    /// control: std's `thread_local!`, which the explored builds' threads, all on one OS
    /// thread, share: the explorer catches the child's value showing in the parent.
    #[test]
    fn a_thread_local_is_each_threads_own() {
        interleave_check::thread_local! {
            static OURS: std::cell::Cell<u32> = std::cell::Cell::new(0);
        }
        std::thread_local! {
            static SHARED_OS_THREAD: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        }
        let ours = explore(|| {
            OURS.with(|v| v.set(1));
            let child = thread::spawn_named("child", || OURS.with(|v| v.set(5)));
            child.join().unwrap();
            assert_eq!(OURS.with(std::cell::Cell::get), 1);
        });
        assert!(ours.failure.is_none(), "{ours}");
        let shared = explore(|| {
            SHARED_OS_THREAD.with(|v| v.set(1));
            let child = thread::spawn_named("child", || SHARED_OS_THREAD.with(|v| v.set(5)));
            child.join().unwrap();
            assert_eq!(SHARED_OS_THREAD.with(std::cell::Cell::get), 1);
        });
        assert_eq!(verdict(&shared), Some(Verdict::Panic), "{shared}");
    }

    /// `try_lock` on a lock another thread holds would block. The control: the holder lets go
    /// before it says it holds it, and some schedule takes the lock.
    #[test]
    fn try_lock_on_a_held_lock_would_block() {
        use interleave_check::sync::{Mutex, TryLockError};
        let program = |lets_go_first: bool| {
            move || {
                let lock = Arc::new(Mutex::named("lock", ()));
                let (held, holding) = mpsc::channel();
                let (done, finish) = mpsc::channel::<()>();
                let holder = {
                    let lock = lock.clone();
                    thread::spawn_named("holder", move || {
                        let guard = lock.lock().unwrap();
                        if lets_go_first {
                            drop(guard);
                            held.send(()).unwrap();
                        } else {
                            held.send(()).unwrap();
                            // Until the other thread hangs up.
                            let _ = finish.recv();
                            drop(guard);
                        }
                    })
                };
                holding.recv().unwrap();
                let tried = lock.try_lock();
                assert!(
                    matches!(tried, Err(TryLockError::WouldBlock)),
                    "took a lock another thread holds"
                );
                drop(tried);
                drop(done);
                holder.join().unwrap();
            }
        };
        let ok = explore(program(false));
        assert!(ok.failure.is_none(), "{ok}");
        let early = explore(program(true));
        assert_eq!(verdict(&early), Some(Verdict::Panic), "{early}");
    }
}
