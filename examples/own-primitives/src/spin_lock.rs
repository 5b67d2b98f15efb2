//! A spin lock: one flag taken with a compare-and-swap, waited for with a spin-loop hint, freed
//! with a store. The orderings are the whole story: the taker's `Acquire` pairs with the
//! freer's `Release`, so what the last holder wrote is what the next one reads. With `Relaxed`
//! both ways, nothing orders the critical sections' data: on a weak memory model (loom models
//! C11's) the next holder may read a stale value.

use interleave_check::sync::atomic::{AtomicBool, Ordering};
use interleave_check::sync::hint;

pub struct SpinLock {
    locked: AtomicBool,
    take: Ordering,
    free: Ordering,
}

impl SpinLock {
    /// The lock as it should be: `Acquire` to take it, `Release` to free it.
    pub fn new() -> SpinLock {
        SpinLock::with_orderings(Ordering::Acquire, Ordering::Release)
    }

    /// The lock with other orderings (`Relaxed`, `Relaxed` is the bug).
    pub fn with_orderings(take: Ordering, free: Ordering) -> SpinLock {
        SpinLock {
            locked: AtomicBool::named("the spin lock", false),
            take,
            free,
        }
    }

    pub fn lock(&self) {
        while self
            .locked
            .compare_exchange_weak(false, true, self.take, Ordering::Relaxed)
            .is_err()
        {
            hint::spin_loop();
        }
    }

    pub fn unlock(&self) {
        self.locked.store(false, self.free);
    }
}

impl Default for SpinLock {
    fn default() -> Self {
        SpinLock::new()
    }
}
