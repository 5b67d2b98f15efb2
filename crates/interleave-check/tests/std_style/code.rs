// Ordinary std-style concurrent code, written against `sync`, `thread` and `cell` as std names
// them: included once with std's modules and once with interleave-check's, and must build and
// behave the same with both.
use cell::Cell;
use std::time::Duration;
use sync::atomic::{fence, AtomicUsize, Ordering};
use sync::mpsc;
use sync::{Arc, Barrier, Condvar, LazyLock, Mutex, Once, OnceLock, RwLock, TryLockError};

/// Threads adding to a counter under a lock.
pub fn locked_counter(threads: usize) -> usize {
    let counter = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || *counter.lock().unwrap() += 1)
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let mut counter = Arc::try_unwrap(counter).unwrap();
    *counter.get_mut().unwrap() += 0;
    counter.into_inner().unwrap()
}

/// A small work queue: a producer pushes jobs and a flag, a worker waits for them.
pub fn work_queue(jobs: usize) -> usize {
    let queue = Arc::new((Mutex::new((Vec::new(), false)), Condvar::new()));
    let worker = {
        let queue = Arc::clone(&queue);
        thread::Builder::new()
            .name("worker".to_string())
            .spawn(move || {
                let (lock, changed) = &*queue;
                let mut done = 0;
                let mut state = lock.lock().unwrap();
                loop {
                    state = changed
                        .wait_while(state, |(jobs, closed)| jobs.is_empty() && !*closed)
                        .unwrap();
                    match state.0.pop() {
                        Some(()) => done += 1,
                        None => return done,
                    }
                }
            })
            .unwrap()
    };
    let (lock, changed) = &*queue;
    for _ in 0..jobs {
        lock.lock().unwrap().0.push(());
        changed.notify_one();
    }
    lock.lock().unwrap().1 = true;
    changed.notify_all();
    let (_guard, _timeout) = changed
        .wait_timeout(lock.lock().unwrap(), Duration::from_millis(1))
        .unwrap();
    drop(_guard);
    worker.join().unwrap()
}

/// Readers and a writer, and the non-blocking tries.
pub fn readers_writer() -> (i32, bool) {
    let value = Arc::new(RwLock::new(1));
    let writer = {
        let value = Arc::clone(&value);
        thread::spawn(move || *value.write().unwrap() += 1)
    };
    let seen = *value.read().unwrap();
    writer.join().unwrap();
    let held = value.write().unwrap();
    let blocked = matches!(value.try_read(), Err(TryLockError::WouldBlock));
    drop(held);
    assert!(value.try_write().is_ok());
    assert!(seen == 1 || seen == 2);
    let total = *value.read().unwrap();
    (total, blocked)
}

/// A pipeline of two stages over channels: the sum of the squares of 1..=n.
pub fn pipeline(n: u64) -> u64 {
    let (numbers, squarer_in) = mpsc::channel();
    let (squares, summer_in) = mpsc::sync_channel(1);
    let squarer = thread::spawn(move || {
        for x in squarer_in {
            squares.send(x * x).unwrap();
        }
    });
    let more = numbers.clone();
    for x in 1..n {
        numbers.send(x).unwrap();
    }
    more.send(n).unwrap();
    drop((numbers, more));
    let sum = summer_in.iter().sum();
    squarer.join().unwrap();
    assert!(matches!(
        summer_in.try_recv(),
        Err(mpsc::TryRecvError::Disconnected)
    ));
    sum
}

/// A value computed once whoever asks first.
pub fn lazy_values() -> (usize, usize) {
    let runs = Arc::new(AtomicUsize::new(0));
    let value = Arc::new(OnceLock::new());
    let once = Arc::new(Once::new());
    let asker = {
        let (runs, value, once) = (Arc::clone(&runs), Arc::clone(&value), Arc::clone(&once));
        thread::spawn(move || {
            once.call_once(|| {
                runs.fetch_add(1, Ordering::Relaxed);
            });
            *value.get_or_init(|| 42)
        })
    };
    once.call_once(|| {
        runs.fetch_add(1, Ordering::Relaxed);
    });
    let mine = *value.get_or_init(|| 42);
    let theirs = asker.join().unwrap();
    assert!(once.is_completed());
    let lazy = LazyLock::new(|| mine + theirs);
    (*lazy, runs.load(Ordering::Relaxed))
}

/// An unpark before the park is not lost; a sleep; a yield.
pub fn park_and_unpark() -> bool {
    let parked = thread::current();
    let unparker = thread::spawn(move || parked.unpark());
    thread::park();
    unparker.join().unwrap();
    thread::sleep(Duration::from_millis(1));
    thread::yield_now();
    true
}

/// Scoped threads that borrow, a barrier that elects one leader, a fence.
pub fn scoped_with_a_barrier() -> usize {
    let barrier = Barrier::new(2);
    let mut leaders = 0;
    let mut numbers = [1, 2];
    thread::scope(|s| {
        let first = s.spawn(|| barrier.wait().is_leader());
        leaders += usize::from(barrier.wait().is_leader());
        leaders += usize::from(first.join().unwrap());
        for n in &mut numbers {
            s.spawn(move || *n *= 10);
        }
    });
    fence(Ordering::SeqCst);
    leaders + numbers.iter().sum::<usize>()
}

/// A thread-local per thread, and a thread's name.
pub fn locals_and_names() -> usize {
    thread_local! {
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }
    CALLS.with(|c| c.set(c.get() + 1));
    let named = thread::Builder::new()
        .name("named".to_string())
        .spawn(|| {
            CALLS.with(|c| assert_eq!(c.get(), 0, "a thread-local per thread"));
            thread::current().name().map(str::to_string)
        })
        .unwrap();
    assert_eq!(named.join().unwrap().as_deref(), Some("named"));
    CALLS.with(Cell::get)
}

/// A lock whose holder panicked is poisoned, and says so.
pub fn poisoned() -> bool {
    let lock = Arc::new(Mutex::new(0));
    let holder = {
        let lock = Arc::clone(&lock);
        thread::spawn(move || {
            let _held = lock.lock().unwrap();
            panic!("a holder panics");
        })
    };
    assert!(holder.join().is_err());
    let poisoned = lock.is_poisoned() && lock.lock().is_err();
    lock.clear_poison();
    poisoned && lock.lock().is_ok()
}
