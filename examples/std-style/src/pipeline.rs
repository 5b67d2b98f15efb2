//! The squares of 1..=n, computed by workers and summed: the numbers go out on one channel (its
//! receiver shared by the workers), the squares come back on another.

use crate::sync::{mpsc, thread, Arc, Mutex};

/// What the summer does wrong, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    /// Keeps its own clone of the squares' sender alive: the squares channel never hangs up,
    /// and the summer's loop never ends.
    KeepsASender,
    /// Stops at the first `try_recv` that finds nothing, though workers are still computing.
    StopsWhenEmpty,
}

pub fn sum_of_squares(n: u64, workers: usize, mistake: Option<Mistake>) -> u64 {
    let (numbers, to_square) = mpsc::channel::<u64>();
    let to_square = Arc::new(Mutex::new(to_square));
    let (squares, to_sum) = mpsc::channel();
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (to_square, squares) = (Arc::clone(&to_square), squares.clone());
            thread::spawn(move || loop {
                let next = to_square.lock().unwrap().recv();
                match next {
                    Ok(x) => squares.send(x * x).unwrap(),
                    Err(_) => break,
                }
            })
        })
        .collect();
    let kept = (mistake == Some(Mistake::KeepsASender)).then(|| squares.clone());
    drop(squares);
    for x in 1..=n {
        numbers.send(x).unwrap();
    }
    drop(numbers);
    let sum = if mistake == Some(Mistake::StopsWhenEmpty) {
        to_sum.try_iter().sum()
    } else {
        to_sum.iter().sum()
    };
    drop(kept);
    for handle in handles {
        handle.join().unwrap();
    }
    sum
}
