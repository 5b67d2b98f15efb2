//! `loom::sync`: std's locks, condition variables, channels and atomics over the explored
//! threads, and loom's `Notify`.

pub use interleave_check::sync::{
    Arc, Barrier, Condvar, LockResult, MutexGuard, RwLockReadGuard, RwLockWriteGuard,
    TryLockResult, WaitTimeoutResult,
};
pub use locks::{Mutex, RwLock};

pub mod atomic;
mod locks;

/// std's channels.
pub mod mpsc {
    pub use interleave_check::sync::mpsc::*;
}

/// loom's `Notify`: one waiter at a time waits until notified; a notification with nobody
/// waiting is kept for the next wait. Notifying orders what came before it before what follows
/// the wait.
#[derive(Debug)]
pub struct Notify {
    notified: interleave_check::sync::Mutex<bool>,
    wakes: Condvar,
    waiting: interleave_check::sync::atomic::AtomicBool,
}

impl Notify {
    #[track_caller]
    pub fn new() -> Notify {
        Notify {
            notified: interleave_check::sync::Mutex::named("a Notify", false),
            wakes: Condvar::named("a Notify"),
            waiting: interleave_check::sync::atomic::AtomicBool::named("a Notify's waiter", false),
        }
    }

    /// Wakes the waiter, or the next one to wait.
    pub fn notify(&self) {
        *self.notified.lock().unwrap() = true;
        self.wakes.notify_one();
    }

    /// Waits for a notification, and takes it.
    ///
    /// # Panics
    /// If another thread is waiting on it already, as loom's.
    pub fn wait(&self) {
        use interleave_check::sync::atomic::Ordering::SeqCst;
        self.waiting
            .compare_exchange(false, true, SeqCst, SeqCst)
            .expect("only a single thread may wait on `Notify`");
        let notified = self.notified.lock().unwrap();
        let mut notified = self.wakes.wait_while(notified, |n| !*n).unwrap();
        *notified = false;
        drop(notified);
        self.waiting.store(false, SeqCst);
    }
}

impl Default for Notify {
    #[track_caller]
    fn default() -> Self {
        Notify::new()
    }
}
