//! Threads of the current backend, always named, joined through the ledger.
//!
//! Every thread a model spawns has a name ("Kant", "producer"), so that a failure report speaks of
//! who did what rather than of thread ids. `join` returns the thread's value and re-raises its
//! panic, so that an invariant broken in a child thread reaches the explorer the same way under
//! every backend.

use super::backend::raw_thread;
use super::ledger::{self, ResourceId};

pub use super::scope::{scope, Scope, ScopedJoinHandle};
pub use raw_thread::{yield_now, ThreadId};

/// The current thread's id under the current backend (what a reentrant lock records as owner).
pub fn current_id() -> ThreadId {
    raw_thread::current().id()
}

/// A handle to join a spawned thread.
pub struct JoinHandle<T> {
    id: ResourceId,
    inner: raw_thread::JoinHandle<T>,
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish and returns its value; a panic in the thread is re-raised
    /// here.
    pub fn join(self) -> T {
        ledger::waiting(self.id);
        let result = self.inner.join();
        ledger::woke();
        ledger::step("join", self.id);
        match result {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// Spawns a thread called `name`.
pub fn spawn_named<F, T>(name: impl Into<String>, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    spawn_as(Some(name.into()), f)
}

/// Spawns a thread that reports call `thread-N`.
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    spawn_as(None, f)
}

pub(super) fn spawn_as<F, T>(name: Option<String>, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let id = ledger::spawning(name.as_deref());
    ledger::step("spawn", id);
    // Real threads inherit whether their panics are an explorer's to report.
    let quiet = super::panics::quiet();
    let mut builder = raw_thread::Builder::new();
    if let Some(name) = name {
        builder = builder.name(name);
    }
    let inner = builder
        .spawn(move || {
            super::panics::set_quiet(quiet);
            ledger::thread_started(id);
            let value = f();
            ledger::thread_finished(std::mem::size_of::<T>() == 0);
            value
        })
        .unwrap_or_else(|e| panic!("cannot spawn a thread: {e}"));
    JoinHandle { id, inner }
}

/// Runs `f` on the calling thread, which failure reports call `name` meanwhile.
///
/// loom explores at most four spawned threads besides the one that calls the model; a model
/// with five actors (the course's five philosophers) lets the caller play the fifth.
pub fn play<R>(name: &str, f: impl FnOnce() -> R) -> R {
    let old = ledger::rename_current(name);
    let r = f();
    if let Some(old) = old {
        ledger::rename_current(&old);
    }
    r
}

/// A panic caught in a thread, as a value: the thread's name and the panic's message (Python's
/// `sys.exc_info()` put on a queue).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{thread} panicked: {message}")]
pub struct Panicked {
    pub thread: String,
    pub message: String,
}

/// Runs `f` and returns its panic as a [`Panicked`] value instead of unwinding further: the
/// `try: … except: queue.put(sys.exc_info())` of the course. A broken invariant is not caught.
///
/// Locks the panicking code held stay held under loom (the facade cannot release a loom lock
/// while unwinding), so `f` should not panic while holding one.
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Result<R, Panicked> {
    super::panics::catch(f).map_err(|payload| Panicked {
        thread: current_name(),
        message: super::panics::panic_text(payload.as_ref()),
    })
}

/// The name reports use for the current thread.
pub fn current_name() -> String {
    ledger::current_thread_name()
}
