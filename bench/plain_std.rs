//! The bench's workloads written by hand with std's `Mutex`, `Condvar` and threads, the way a
//! Rust user would write them without `interleave`: the plain-std column of `interleave bench`.
//! Each returns the time its threads took and checks its own result.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// `threads` threads add 1 to a shared counter `increments` times each, under a `Mutex`.
pub fn counter(threads: usize, increments: usize) -> Duration {
    let counter = Arc::new(Mutex::new(0usize));
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..increments {
                    *counter.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let elapsed = start.elapsed();
    assert_eq!(*counter.lock().unwrap(), threads * increments);
    elapsed
}

/// A producer puts `items` numbers into a buffer of `size` slots, a consumer takes them: a
/// `Mutex<VecDeque>` with two condition variables, "not full" and "not empty".
pub fn bounded_buffer(items: usize, size: usize) -> Duration {
    struct Buffer {
        slots: Mutex<VecDeque<usize>>,
        not_full: Condvar,
        not_empty: Condvar,
    }
    let buffer = Arc::new(Buffer {
        slots: Mutex::new(VecDeque::with_capacity(size)),
        not_full: Condvar::new(),
        not_empty: Condvar::new(),
    });
    let start = Instant::now();
    let producer = {
        let buffer = Arc::clone(&buffer);
        thread::spawn(move || {
            for item in 0..items {
                let slots = buffer.slots.lock().unwrap();
                let mut slots = buffer
                    .not_full
                    .wait_while(slots, |s| s.len() == size)
                    .unwrap();
                slots.push_back(item);
                drop(slots);
                buffer.not_empty.notify_one();
            }
        })
    };
    let consumer = thread::spawn(move || {
        let mut total = 0;
        for _ in 0..items {
            let slots = buffer.slots.lock().unwrap();
            let mut slots = buffer
                .not_empty
                .wait_while(slots, |s| s.is_empty())
                .unwrap();
            total += slots.pop_front().unwrap();
            drop(slots);
            buffer.not_full.notify_one();
        }
        total
    });
    producer.join().unwrap();
    let total = consumer.join().unwrap();
    let elapsed = start.elapsed();
    assert_eq!(total, items * items.saturating_sub(1) / 2);
    elapsed
}

/// `n` philosophers eat `meals` meals each, taking the lower-numbered of their two forks first.
pub fn philosophers(n: usize, meals: usize) -> Duration {
    let forks: Arc<Vec<Mutex<()>>> = Arc::new((0..n).map(|_| Mutex::new(())).collect());
    let eaten = Arc::new(Mutex::new(vec![0usize; n]));
    let start = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (forks, eaten) = (Arc::clone(&forks), Arc::clone(&eaten));
            thread::spawn(move || {
                let (left, right) = (i, (i + 1) % n);
                let (first, second) = (left.min(right), left.max(right));
                for _ in 0..meals {
                    let _first = forks[first].lock().unwrap();
                    let _second = forks[second].lock().unwrap();
                    eaten.lock().unwrap()[i] += 1;
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let elapsed = start.elapsed();
    assert!(eaten.lock().unwrap().iter().all(|&m| m == meals));
    elapsed
}

/// A ping thread and a pong thread take `turns` turns each, strictly alternating on a flag under
/// a `Mutex`, with one `Condvar`.
pub fn ping_pong(turns: usize) -> Duration {
    let turn = Arc::new((Mutex::new(false), Condvar::new()));
    let start = Instant::now();
    let players: Vec<_> = [false, true]
        .into_iter()
        .map(|pong| {
            let turn = Arc::clone(&turn);
            thread::spawn(move || {
                let (pong_due, flipped) = &*turn;
                for _ in 0..turns {
                    let due = pong_due.lock().unwrap();
                    let mut due = flipped.wait_while(due, |d| *d != pong).unwrap();
                    *due = !pong;
                    drop(due);
                    flipped.notify_all();
                }
            })
        })
        .collect();
    players.into_iter().for_each(|h| h.join().unwrap());
    start.elapsed()
}

/// `f` on every number, on `workers` scoped threads sharing the numbers in slices.
pub fn parallel<R: Send>(numbers: &[u64], f: fn(u64) -> R, workers: usize) -> (Vec<R>, Duration) {
    let start = Instant::now();
    let slice = numbers.len().div_ceil(workers.max(1)).max(1);
    let results: Vec<R> = thread::scope(|scope| {
        let handles: Vec<_> = numbers
            .chunks(slice)
            .map(|chunk| scope.spawn(move || chunk.iter().map(|&n| f(n)).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    (results, start.elapsed())
}
