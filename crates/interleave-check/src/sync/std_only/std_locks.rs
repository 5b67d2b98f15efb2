//! The std build's locks. The mutex is a futex word (as std's on Linux) that a taker finding it
//! held first watches the way `parking_lot`'s `SpinWait` does (a few short spins, then a few
//! yields of its core), then sleeps on; the readers-writer lock is std's. Both sit behind std's
//! signatures, so that the facade's code is the same on every backend.
//!
//! Why this mutex, measured side by side on the course's counter (two threads, ten million locked
//! increments, 2 cores): idle, std's mutex took 250–430 ms and `parking_lot`'s 160–230 ms, this one
//! 137–145 ms; with both cores taken by busy threads, std's 88 ms, `parking_lot`'s 103 ms, this one
//! 88 ms. std's waiter spins a hundred hints and sleeps, so under contention nearly every hand-off
//! goes through the kernel; `parking_lot`, to be fair, hands the lock to a sleeping waiter every
//! half millisecond or so, which on a busy machine may have no core to take it with (our reading
//! of its loaded gap).
//!
//! Each mutex sits on a cache line of its own (with the data it guards): the models keep their
//! locks side by side (five forks in a `Vec`, a buffer's lock beside its indices), and on real
//! cores a lock taken by one thread would otherwise slow down its neighbours' owners.

use crate::cache_padded::CachePadded;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LockResult, TryLockError, TryLockResult};

pub use std::sync::{RwLock, RwLockReadGuard as ReadGuard, RwLockWriteGuard as WriteGuard};

/// The mutex's guard; `MutexGuard::mutex(&guard)` gives the lock back to a condition variable.
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, FutexMutex, T>;

#[derive(Debug, Default)]
pub struct Mutex<T>(CachePadded<lock_api::Mutex<FutexMutex, T>>);

impl<T> Mutex<T> {
    pub fn new(value: T) -> Self {
        Mutex(CachePadded::new(lock_api::Mutex::new(value)))
    }

    /// std's signature; this mutex never poisons (a panic in a model thread is reported as
    /// itself), so every result here is `Ok`.
    pub fn into_inner(self) -> LockResult<T> {
        Ok(CachePadded::into_inner(self.0).into_inner())
    }

    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        Ok(self.0.lock())
    }

    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        self.0.try_lock().ok_or(TryLockError::WouldBlock)
    }

    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        Ok(self.0.get_mut())
    }
}

/// The lock word: 0 free, 1 held, 2 held and someone may sleep on it (its unlock wakes one).
#[derive(Debug)]
pub struct FutexMutex(AtomicU32);

const FREE: u32 = 0;
const HELD: u32 = 1;
const SLEEPERS: u32 = 2;

impl FutexMutex {
    fn grab(&self) -> bool {
        self.0.load(Ordering::Relaxed) == FREE
            && self
                .0
                .compare_exchange(FREE, HELD, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
    }
}

// SAFETY: the word admits one holder at a time: it is taken only by an exchange from FREE (or a
// swap that found it FREE), and released only by its holder's `unlock`.
unsafe impl lock_api::RawMutex for FutexMutex {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: FutexMutex = FutexMutex(AtomicU32::new(FREE));
    type GuardMarker = lock_api::GuardSend;

    fn lock(&self) {
        if self.grab() || spin_wait(|| self.grab()) {
            return;
        }
        // A sleeper marks the word so that the holder's unlock wakes it; having marked it, it
        // may hold the lock with the mark set, which costs one needless wake at its unlock.
        while self.0.swap(SLEEPERS, Ordering::Acquire) != FREE {
            atomic_wait::wait(&self.0, SLEEPERS);
        }
    }

    fn try_lock(&self) -> bool {
        self.grab()
    }

    unsafe fn unlock(&self) {
        if self.0.swap(FREE, Ordering::Release) == SLEEPERS {
            atomic_wait::wake_one(&self.0);
        }
    }
}

/// `parking_lot`'s `SpinWait`: three spins of 2, 4 and 8 hints, then seven yields of the core,
/// looking after each; returns whether `grab` succeeded. Short enough that two threads
/// hammering one lock soon leave one of them asleep and the other on its own, which is what
/// makes a contended counter fast.
fn spin_wait(mut grab: impl FnMut() -> bool) -> bool {
    (0..10).any(|round| {
        if round < 3 {
            (0..2 << round).for_each(|_| std::hint::spin_loop());
        } else {
            std::thread::yield_now();
        }
        grab()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lock_api::RawMutex as _;
    use std::sync::atomic::AtomicBool;

    /// Thread A holds the lock until B, asking for it, either sleeps on it (the word says so) or
    /// gets in; returns whether B got in while A held it. B must get it once A lets go.
    fn second_taker_got_in(take: fn(&FutexMutex)) -> bool {
        let mutex = FutexMutex::INIT;
        let b_inside = AtomicBool::new(false);
        let got_in = std::thread::scope(|s| {
            mutex.lock();
            s.spawn(|| {
                take(&mutex);
                b_inside.store(true, Ordering::SeqCst);
                // SAFETY: B holds the lock (the mutant's B pretends to; the word is atomic).
                unsafe { mutex.unlock() };
            });
            while !b_inside.load(Ordering::SeqCst) && mutex.0.load(Ordering::SeqCst) != SLEEPERS {
                std::thread::yield_now();
            }
            let got_in = b_inside.load(Ordering::SeqCst);
            // SAFETY: A took the lock above.
            unsafe { mutex.unlock() };
            got_in
        });
        assert!(
            b_inside.load(Ordering::SeqCst),
            "B was woken and took the lock"
        );
        got_in
    }

    #[test]
    fn a_second_taker_sleeps_until_the_holder_lets_go() {
        assert!(!second_taker_got_in(|m| m.lock()));
    }

    #[test]
    fn control_a_lock_that_lets_anyone_in_is_caught() {
        assert!(second_taker_got_in(|_| {}));
    }
}
