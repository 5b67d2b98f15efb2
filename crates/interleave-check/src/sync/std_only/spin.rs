//! When a waiter of the std build spins before it parks, and for how long: only while spinning
//! pays.
//!
//! A spin pays when the thread that will end the wait is running on another core right now: the
//! hand-off then costs a cache line (~0.1 µs) instead of a park and a wake-up (several µs, tens
//! on a virtual machine). It costs when that thread has no core (a busy machine: more runnable
//! threads than cores), since the spinner burns the very time slice the other thread needs. The
//! kernel's adaptive mutexes ask the scheduler whether the owner runs; user space cannot, so this
//! module judges by results, per thread:
//!
//! - a spin is bounded in time ([`SPIN_FOR`]), not in a count of hints, whose length varies tenfold
//!   between processors. It is long enough to see a parked partner wake up and act (tens of µs on
//!   a virtual machine): at 4 µs, an idle bounded buffer fell into a convoy, each side parking
//!   because the other was still waking, and ran 40× slower;
//! - a spin that ends without the wait being over is a miss; `k`, the thread's count of misses
//!   (less one for every spin that hit), makes its next `2^k − 1` waits park at once (up to
//!   [`MAX_BACKOFF`]): on a busy machine almost every wait parks, as std's do; on an idle one,
//!   spins keep succeeding and keep being tried;
//! - on a single core there is never anyone to spin for;
//! - a wait that the spin did not end gives the core away once before it parks (see
//!   [`yield_once`]).
//!
//! Explored builds never spin: loom and shuttle must see every wait as a wait.

use std::cell::Cell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long one spin watches before it gives up.
const SPIN_FOR: Duration = Duration::from_micros(50);
/// Hints between two looks at the clock (a look costs about as much as a few hints).
const HINTS_PER_CLOCK: u32 = 16;
/// The most misses counted: after them, 255 waits in a row park at once.
const MAX_BACKOFF: u32 = 8;

thread_local! {
    /// Misses counted (see the module's doc), and waits left to park without spinning.
    static MISSES: Cell<u32> = const { Cell::new(0) };
    static SKIP: Cell<u32> = const { Cell::new(0) };
}

/// Spinning helps only when the thread ending the wait can run on another core meanwhile.
fn cores_to_spare() -> bool {
    static MANY: OnceLock<bool> = OnceLock::new();
    *MANY.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

/// Watches `done` for a moment, if spinning has been paying on this thread, then gives its core
/// away once ([`yield_once`]); returns whether `done` became true (the caller parks otherwise).
/// `done` is looked at at least once.
pub(super) fn spin_until(mut done: impl FnMut() -> bool) -> bool {
    done() || (worth_trying() && watch(&mut done)) || yield_once(done)
}

/// Lets another thread have this core once, then looks at `done`: on a busy machine the kernel
/// often puts both ends of a hand-off on one core, and then the partner runs at once, without
/// this thread's sleep and wake-up through the kernel. Measured loaded (2 cores, 2 busy
/// threads, the bounded buffer once its two ends shared a core): 213 ms without, 146 ms with one
/// yield, 141 ms with three; but three cost the runs where the ends had a core each 94 → 145 ms.
fn yield_once(mut done: impl FnMut() -> bool) -> bool {
    std::thread::yield_now();
    done()
}

/// Whether this thread should spin for its current wait: there is a core to spare, and it is not
/// backing off after spins that missed (each call of a backing-off thread counts one wait off).
pub(super) fn worth_trying() -> bool {
    let skip = SKIP.get();
    if skip > 0 {
        SKIP.set(skip - 1);
        return false;
    }
    cores_to_spare()
}

/// Spins until `done` or for [`SPIN_FOR`], whichever comes first; a miss makes this thread back
/// off further, a hit less. Returns whether `done` became true.
pub(super) fn watch(mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        for _ in 0..HINTS_PER_CLOCK {
            std::hint::spin_loop();
            if done() {
                MISSES.set(MISSES.get().saturating_sub(1));
                return true;
            }
        }
        if start.elapsed() >= SPIN_FOR {
            break;
        }
    }
    let misses = (MISSES.get() + 1).min(MAX_BACKOFF);
    MISSES.set(misses);
    SKIP.set((1 << misses) - 1);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many of the next `n` waits would spin.
    fn spinning_among(n: usize) -> usize {
        (0..n).filter(|_| worth_trying()).count()
    }

    #[test]
    fn misses_make_a_thread_back_off_exponentially_and_hits_bring_it_back() {
        if !cores_to_spare() {
            return; // one core: never spins, nothing to back off from
        }
        assert!(worth_trying(), "a fresh thread spins");
        assert!(!watch(|| false), "nothing happens: a miss");
        assert_eq!(
            spinning_among(1),
            0,
            "one miss: the next wait parks at once"
        );
        assert!(worth_trying());
        assert!(!watch(|| false));
        assert_eq!(spinning_among(3), 0, "two misses: the next three park");
        assert!(worth_trying());
        let mut looks = 0;
        assert!(watch(|| {
            looks += 1;
            looks > 3
        }));
        assert!(
            !watch(|| false),
            "a hit lowered the count, a miss raised it again"
        );
        assert_eq!(spinning_among(3), 0);
        assert!(worth_trying());
    }

    #[test]
    fn a_spin_that_misses_ends_by_the_clock() {
        let start = Instant::now();
        assert!(!watch(|| false));
        let took = start.elapsed();
        assert!(took >= SPIN_FOR, "{took:?}");
    }
}
