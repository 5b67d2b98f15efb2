//! Scoped threads (`std::thread::scope`) on every backend: threads that may borrow from the
//! caller's stack, all joined before `scope` returns. loom has no scope of its own, so the facade
//! builds one on its own threads, as std's was built before it was std's: a thread's closure
//! is given a `'static` lifetime it does not have, which is sound because `scope` joins every
//! thread it spawned before the borrowed data can go away (even when the scope's body panics).

use super::thread::{spawn_as, JoinHandle};
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

/// Where scoped threads are spawned; see [`scope`].
pub struct Scope<'scope, 'env: 'scope> {
    /// Every thread spawned and not joined yet (`None` once its handle joined it).
    threads: StdMutex<Vec<Option<JoinHandle<()>>>>,
    /// Invariant in both lifetimes, as std's `Scope`.
    _scope: PhantomData<&'scope mut &'scope ()>,
    _env: PhantomData<&'env mut &'env ()>,
}

/// A scoped thread's handle: [`join`](Self::join) waits for it and returns its value.
pub struct ScopedJoinHandle<'scope, T> {
    threads: &'scope StdMutex<Vec<Option<JoinHandle<()>>>>,
    index: usize,
    value: Arc<StdMutex<Option<T>>>,
}

/// Runs `f` with a [`Scope`] to spawn threads on that may borrow what outlives the call; joins
/// every one of them before returning, and re-raises the first panic among them (or `f`'s).
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        threads: StdMutex::new(Vec::new()),
        _scope: PhantomData,
        _env: PhantomData,
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| f(&scope)));
    let mut first_panic = result.as_ref().err().is_some();
    let mut payload = None;
    let left: Vec<JoinHandle<()>> = std::mem::take(&mut *lock(&scope.threads))
        .into_iter()
        .flatten()
        .collect();
    for thread in left {
        if let Err(p) = thread.join() {
            if !first_panic {
                first_panic = true;
                payload = Some(p);
            }
        }
    }
    match (result, payload) {
        (Err(p), _) | (Ok(_), Some(p)) => panic::resume_unwind(p),
        (Ok(value), None) => value,
    }
}

fn lock<T>(m: &StdMutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<'scope, 'env> Scope<'scope, 'env> {
    /// Spawns a scoped thread that reports call `thread-N`.
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        self.spawn_as(None, f)
    }

    /// Spawns a scoped thread called `name`.
    pub fn spawn_named<F, T>(
        &'scope self,
        name: impl Into<String>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        self.spawn_as(Some(name.into()), f)
    }

    pub(super) fn spawn_as<F, T>(
        &'scope self,
        name: Option<String>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let value = Arc::new(StdMutex::new(None));
        let slot = value.clone();
        let body: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
            let v = f();
            *lock(&slot) = Some(v);
        });
        // SAFETY: the thread runs only while the scope lives: `scope` joins every thread it
        // spawned before it returns or unwinds, so nothing the closure borrows ('scope) is
        // dropped while the thread may still use it.
        let body: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(body) };
        let handle = spawn_as(name, body);
        let mut threads = lock(&self.threads);
        threads.push(Some(handle));
        ScopedJoinHandle {
            threads: &self.threads,
            index: threads.len() - 1,
            value,
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the thread to finish: `Ok` with its value, or `Err` with its panic's payload.
    ///
    /// # Errors
    /// The payload of the thread's panic, as std gives it.
    pub fn join(self) -> std::thread::Result<T> {
        let thread = lock(self.threads)[self.index]
            .take()
            .expect("a scoped thread is joined once");
        thread.join()?;
        Ok(lock(&self.value)
            .take()
            .expect("a joined thread left its value"))
    }
}
