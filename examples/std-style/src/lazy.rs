//! A value computed once, by whichever thread asks first, behind double-checked locking: a
//! `ready` flag read without the lock, the value in an `UnsafeCell` written under it.

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Mutex, UnsafeCell};

/// How the value is published to the threads that find `ready` raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Publish {
    /// The bug: `ready` is raised before the value is written.
    FlagFirst,
    /// The bug: the value is written first, but `ready` is stored and loaded `Relaxed`, so a
    /// reader that sees it raised is not ordered after the write.
    Relaxed,
    /// The fix: written first, then `ready` stored `Release` and loaded `Acquire`.
    ReleaseAcquire,
}

pub struct Lazy<T> {
    ready: AtomicBool,
    init: Mutex<Option<fn() -> T>>,
    value: UnsafeCell<Option<T>>,
    publish: Publish,
}

// SAFETY: `value` is written once, under `init`, before `ready` is raised (in the fixed
// version), and only read after `ready` is seen raised.
unsafe impl<T: Send + Sync> Sync for Lazy<T> {}

impl<T: Clone> Lazy<T> {
    pub fn new(init: fn() -> T, publish: Publish) -> Self {
        Lazy {
            ready: AtomicBool::new(false),
            init: Mutex::new(Some(init)),
            value: UnsafeCell::new(None),
            publish,
        }
    }

    fn orderings(&self) -> (Ordering, Ordering) {
        match self.publish {
            Publish::Relaxed => (Ordering::Relaxed, Ordering::Relaxed),
            Publish::FlagFirst | Publish::ReleaseAcquire => (Ordering::Release, Ordering::Acquire),
        }
    }

    /// The value, computed first if no thread has.
    pub fn get(&self) -> T {
        let (store, load) = self.orderings();
        if !self.ready.load(load) {
            let mut init = self.init.lock().unwrap();
            if let Some(make) = init.take() {
                if self.publish == Publish::FlagFirst {
                    self.ready.store(true, store);
                }
                let value = make();
                self.value.with_mut(|slot| unsafe { *slot = Some(value) });
                if self.publish != Publish::FlagFirst {
                    self.ready.store(true, store);
                }
            }
        }
        self.value
            .with(|slot| unsafe { (*slot).clone() })
            .expect("the value is set before ready is raised")
    }
}
