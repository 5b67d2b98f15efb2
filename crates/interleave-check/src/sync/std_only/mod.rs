//! What only the std build has: speed. Real runs are timed against plain std and CPython, so
//! there the facade's mutex is a futex word watched as `parking_lot` watches its own, behind
//! std's signatures, `Lock` and `Semaphore` count in one atomic word, and the condition variable
//! spins a moment before it parks, only while spinning pays. The explored builds never compile this module (as tokio keeps its
//! `loom/std/`): loom and shuttle must see every wait as a wait, and see exactly the primitives
//! the facade declares.

mod futex_timeout;
mod permits;
mod spin;
mod spin_then_park;
mod std_locks;

pub(super) use permits::Permits;
pub(super) use spin_then_park::SpinThenPark as RawCondvar;
pub(super) use std_locks::{
    Mutex as RawMutex, MutexGuard as RawMutexGuard, ReadGuard as RawReadGuard, RwLock as RawRwLock,
    WriteGuard as RawWriteGuard,
};
