//! Prime factors and primality, sequentially and on a pool of workers: the course's CPU-bound
//! work, split to use every core.
//!
//! Course: 004:550-635 — `calculatePrimeFactors` of 10,000 random numbers of 20,000 to
//! 100,000,000, first in one loop, then in 10 processes of 1,000 numbers each; 000:215-245 —
//! `is_prime` mapped over a `multiprocessing.Pool(processes = 4)`. The course's `is_prime` is
//! wrong: `n >= 1` calls 1 prime, and `while i*i < n` stops before trying `i` when `n = i²`, so
//! 25, 121 and 289 come out prime. [`is_prime_as_printed`] keeps it as printed (a test shows
//! where it errs); the work uses [`is_prime`].
//!
//! Compiled in the std build only: a real computation on real threads.

use crate::sync::ThreadPool;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// The course's `calculatePrimeFactors`: trial division, factors in increasing order.
pub fn prime_factors(mut n: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    let mut d = 2;
    while d * d <= n {
        while n.is_multiple_of(d) {
            factors.push(d);
            n /= d;
        }
        d += 1;
    }
    if n > 1 {
        factors.push(n);
    }
    factors
}

/// Whether `n` is prime: the course's 6k ± 1 test, with its two slips fixed (`n >= 2`,
/// `i * i <= n`).
pub fn is_prime(n: u64) -> bool {
    if n <= 3 {
        return n >= 2;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut i = 5;
    while i * i <= n {
        if n.is_multiple_of(i) || n.is_multiple_of(i + 2) {
            return false;
        }
        i += 6;
    }
    true
}

/// The course's `is_prime`, as printed (000:215-245).
pub fn is_prime_as_printed(n: u64) -> bool {
    if n <= 3 {
        return n >= 1;
    }
    if n.is_multiple_of(2) || n.is_multiple_of(3) {
        return false;
    }
    let mut i = 5;
    while i * i < n {
        if n.is_multiple_of(i) || n.is_multiple_of(i + 2) {
            return false;
        }
        i += 6;
    }
    true
}

/// `count` numbers from 20,000 to 100,000,000, as the course draws them, the same for a seed.
pub fn course_numbers(count: usize, seed: u64) -> Vec<u64> {
    let mut rng = SmallRng::seed_from_u64(seed);
    (0..count)
        .map(|_| rng.gen_range(20_000..=100_000_000))
        .collect()
}

/// Applies `f` to every number, in order, on this thread.
pub fn sequential<R>(numbers: &[u64], f: fn(u64) -> R) -> Vec<R> {
    numbers.iter().map(|&n| f(n)).collect()
}

/// Applies `f` to every number on a pool of `workers` threads, one slice of the numbers per
/// task (the course's ten processes of 1,000 numbers), and returns the results in order.
///
/// # Panics
/// If `f` panics.
pub fn parallel<R: Send + 'static>(numbers: &[u64], f: fn(u64) -> R, workers: usize) -> Vec<R> {
    let pool = ThreadPool::named("primes", workers.max(1));
    // A few slices per worker, so that a slow slice does not leave the others idle.
    let slice = numbers.len().div_ceil(4 * workers.max(1)).max(1);
    let slices: Vec<Vec<u64>> = numbers.chunks(slice).map(<[u64]>::to_vec).collect();
    let results = pool
        .map(
            move |slice: Vec<u64>| slice.into_iter().map(f).collect::<Vec<R>>(),
            slices,
        )
        .expect("prime factors do not panic");
    pool.shutdown();
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_multiply_back_and_are_prime() {
        assert_eq!(prime_factors(95_560_538), [2, 19, 23, 31, 3527]);
        assert_eq!(prime_factors(8_703_773), [13, 607, 1103]);
        assert_eq!(prime_factors(29_020_301), [29_020_301]);
        for n in course_numbers(200, 1) {
            let factors = prime_factors(n);
            assert_eq!(factors.iter().product::<u64>(), n);
            assert!(factors.iter().all(|&f| is_prime(f)), "{n}: {factors:?}");
            assert!(factors.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    #[test]
    fn is_prime_agrees_with_factoring() {
        for n in 0..5_000 {
            let by_factors = n >= 2 && prime_factors(n) == [n];
            assert_eq!(is_prime(n), by_factors, "{n}");
        }
    }

    #[test]
    fn the_course_is_prime_calls_1_and_squares_of_primes_prime() {
        let wrong: Vec<u64> = (0..300)
            .filter(|&n| is_prime_as_printed(n) != is_prime(n))
            .collect();
        assert_eq!(wrong, [1, 25, 121, 289]);
    }

    #[test]
    fn parallel_results_are_the_sequential_ones() {
        let numbers = course_numbers(1_000, 7);
        for workers in [1, 2, 3, 8] {
            assert_eq!(
                parallel(&numbers, prime_factors, workers),
                sequential(&numbers, prime_factors)
            );
            assert_eq!(
                parallel(&numbers, is_prime, workers),
                sequential(&numbers, is_prime)
            );
        }
        assert!(parallel(&[], is_prime, 2).is_empty());
    }
}
