//! std's `thread` module over the current backend's threads, joined through the ledger: `spawn`,
//! `Builder`, `JoinHandle::join` returning std's `Result`, `current`, `park` and `unpark`,
//! `sleep`, `scope`, and a name for every thread.
//!
//! Every thread a model spawns has a name ("Kant", "producer"), so that a failure report speaks of
//! who did what rather than of thread ids: `spawn_named`, or `Builder::name`; others are
//! `thread-N`.

use super::backend::{raw_thread, raw_thread_local};
use super::ledger::{self, ResourceId};
use super::{Condvar, Mutex};
use std::sync::Arc;
use std::time::Duration;

pub use super::scope::{scope, Scope, ScopedJoinHandle};
pub use raw_thread::{yield_now, AccessError, LocalKey, ThreadId};

/// The current thread's id under the current backend (what a reentrant lock records as owner).
pub fn current_id() -> ThreadId {
    raw_thread::current().id()
}

/// A handle to join a spawned thread (std's `JoinHandle`).
pub struct JoinHandle<T> {
    id: ResourceId,
    thread: Thread,
    inner: raw_thread::JoinHandle<T>,
}

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish: `Ok` with its value, or `Err` with its panic's payload.
    ///
    /// # Errors
    /// The payload of the thread's panic, as std gives it.
    pub fn join(self) -> std::thread::Result<T> {
        ledger::waiting(self.id);
        #[cfg(interleave_shuttle)]
        if !self.is_finished() && ledger::blocks_for_good(None) {
            std::panic::panic_any(ledger::PermanentCycle);
        }
        let result = self.inner.join();
        ledger::woke();
        ledger::step("join", self.id);
        result
    }

    /// The thread, to unpark it or ask its name.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread's closure has returned or panicked, so that `join` would not block.
    /// Not a step of the explored schedule: a loop polling it should yield between looks.
    pub fn is_finished(&self) -> bool {
        self.thread
            .inner
            .finished
            .load(std::sync::atomic::Ordering::Acquire)
    }
}

/// Marks its thread finished when dropped: when the closure returns or unwinds.
struct FinishedOnDrop(Thread);

impl Drop for FinishedOnDrop {
    fn drop(&mut self) {
        self.0
            .inner
            .finished
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

impl<T> std::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinHandle").finish_non_exhaustive()
    }
}

/// A thread's name and id, and its token for [`park`] (std's `Thread`).
#[derive(Clone)]
pub struct Thread {
    inner: Arc<ThreadInner>,
}

struct ThreadInner {
    name: Option<String>,
    id: std::sync::OnceLock<ThreadId>,
    /// Whether its closure has returned or panicked (see [`JoinHandle::is_finished`]).
    finished: std::sync::atomic::AtomicBool,
    /// Made on first use: a thread that never parks adds nothing to an execution.
    parker: std::sync::OnceLock<Parker>,
}

/// `park`'s token: whether an `unpark` is pending, and where a parked thread waits.
struct Parker {
    token: Mutex<bool>,
    unparked: Condvar,
}

impl Thread {
    fn new(name: Option<String>) -> Self {
        Thread {
            inner: Arc::new(ThreadInner {
                name,
                id: std::sync::OnceLock::new(),
                finished: std::sync::atomic::AtomicBool::new(false),
                parker: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    pub fn id(&self) -> ThreadId {
        *self
            .inner
            .id
            .get()
            .expect("a thread's id is known once it is spawned")
    }

    fn parker(&self) -> &Parker {
        self.inner.parker.get_or_init(|| {
            let name = self.inner.name.as_deref().unwrap_or("an unnamed thread");
            Parker {
                token: Mutex::named(&format!("{name}'s park token"), false),
                unparked: Condvar::named(&format!("an unpark of {name}")),
            }
        })
    }

    /// Makes the thread's token available: its next [`park`] (or the one it is in) returns.
    pub fn unpark(&self) {
        let parker = self.parker();
        let op = ledger::operation(true);
        *parker.token.lock_unpoisoned() = true;
        op.step("unpark", parker.token.id());
        parker.unparked.notify_one();
    }
}

impl std::fmt::Debug for Thread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Thread")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

raw_thread_local! {
    /// The current model thread's [`Thread`], once asked for or spawned.
    // loom's and shuttle's `thread_local!` take no `const` initialiser.
    #[allow(clippy::missing_const_for_thread_local)]
    static CURRENT: std::cell::RefCell<Option<Thread>> = std::cell::RefCell::new(None);
}

/// The current thread's handle.
pub fn current() -> Thread {
    CURRENT.with(|c| {
        c.borrow_mut()
            .get_or_insert_with(|| {
                let raw = raw_thread::current();
                // The checked program's first thread is "main", as std's is, whatever the
                // backend calls it (shuttle: "main-thread"; loom: nothing).
                let name = match raw.name() {
                    Some("main-thread") => Some("main".to_string()),
                    Some(n) => Some(n.to_string()),
                    None if ledger::current_thread_name() == "main" => Some("main".to_string()),
                    None => None,
                };
                let thread = Thread::new(name);
                let _ = thread.inner.id.set(raw.id());
                thread
            })
            .clone()
    })
}

/// Blocks until the current thread's token is available (an [`unpark`](Thread::unpark) came),
/// then takes it. std allows a park to return spuriously; this one returns only when unparked.
pub fn park() {
    let me = current();
    let parker = me.parker();
    let op = ledger::operation(true);
    let token = parker.token.lock_unpoisoned();
    let mut token = parker.unparked.wait_while_unpoisoned(token, |t| !*t);
    *token = false;
    op.step("park on", parker.token.id());
}

/// Like [`park`], but gives up after `timeout` (in the explored builds: either may happen).
pub fn park_timeout(timeout: Duration) {
    let me = current();
    let parker = me.parker();
    let op = ledger::operation(true);
    let token = parker.token.lock_unpoisoned();
    let (mut token, timed_out) =
        parker
            .unparked
            .wait_timeout_while_unpoisoned(token, timeout, |t| !*t);
    *token = false;
    let verb = if timed_out.timed_out() {
        "park (timed out) on"
    } else {
        "park on"
    };
    op.step(verb, parker.token.id());
}

/// Lets `duration` pass. The explored builds do not model time: there a sleep lets the other
/// threads run first, as a yield does.
pub fn sleep(duration: Duration) {
    #[cfg(any(interleave_loom, interleave_shuttle))]
    {
        let _ = duration;
        raw_thread::yield_now();
    }
    #[cfg(not(any(interleave_loom, interleave_shuttle)))]
    std::thread::sleep(duration);
}

/// Whether the current thread is unwinding from a panic.
pub fn panicking() -> bool {
    std::thread::panicking()
}

/// Makes threads with a name and, in the real build, a stack size (std's `Builder`); and, as
/// Python's `daemon=True`, threads that never end by design (see [`Builder::daemon`]).
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
    daemon: bool,
}

impl Builder {
    pub fn new() -> Self {
        Builder::default()
    }

    /// The thread's name, which reports use.
    pub fn name(mut self, name: String) -> Self {
        self.name = Some(name);
        self
    }

    /// The real build's stack size, in bytes (the explored builds run every thread on one).
    pub fn stack_size(mut self, size: usize) -> Self {
        self.stack_size = Some(size);
        self
    }

    /// A daemon thread (Python's `daemon=True`): one that may never end by design, a server's
    /// accept loop or a worker that waits for work forever. The run is over when every other
    /// thread has finished; the daemon is then cut off wherever it is, blocked or running, and
    /// its not having ended is no hang. In the shuttle build (random, pct, portfolio and bounded
    /// modes) the explorer stops it; in a real run it goes on until the process exits, as a
    /// Python daemon does. loom's exhaustive search cannot leave a thread unfinished: there, a
    /// daemon makes the check an error that points to bounded mode, which explores every
    /// schedule too.
    pub fn daemon(mut self, daemon: bool) -> Self {
        self.daemon = daemon;
        self
    }

    /// Spawns the thread.
    ///
    /// # Errors
    /// As std: if the operating system cannot make the thread.
    pub fn spawn<F, T>(self, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        spawn_with(self, f)
    }

    /// Spawns a thread of `scope`.
    ///
    /// # Errors
    /// As std: if the operating system cannot make the thread.
    pub fn spawn_scoped<'scope, 'env, F, T>(
        self,
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> std::io::Result<ScopedJoinHandle<'scope, T>>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        Ok(scope.spawn_as(self.name, f))
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
    spawn_with(
        Builder {
            name,
            ..Builder::default()
        },
        f,
    )
    .unwrap_or_else(|e| panic!("cannot spawn a thread: {e}"))
}

fn spawn_with<F, T>(builder: Builder, f: F) -> std::io::Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    #[cfg(interleave_loom)]
    if builder.daemon {
        std::panic::panic_any(super::panics::Unsupported(
            "a daemon thread: loom's exhaustive search cannot leave a thread unfinished"
                .to_string(),
        ));
    }
    let id = ledger::spawning(builder.name.as_deref());
    ledger::step("spawn", id);
    #[cfg(interleave_shuttle)]
    let daemon = builder.daemon;
    // Real threads inherit whether their panics are an explorer's to report, and where to
    // report one that nobody catches.
    let quiet = super::panics::quiet();
    let uncaught = super::panics::uncaught_panics();
    let thread = Thread::new(builder.name.clone());
    let mut raw = raw_thread::Builder::new();
    if let Some(name) = builder.name {
        raw = raw.name(name);
    }
    #[cfg(not(any(interleave_loom, interleave_shuttle)))]
    if let Some(size) = builder.stack_size {
        raw = raw.stack_size(size);
    }
    let theirs = thread.clone();
    let inner = raw.spawn(move || {
        #[cfg(interleave_shuttle)]
        if daemon {
            super::backend::detach_current_thread();
        }
        super::panics::set_quiet(quiet);
        super::panics::set_uncaught_panics(uncaught);
        let _finished = FinishedOnDrop(theirs.clone());
        CURRENT.with(|c| *c.borrow_mut() = Some(theirs));
        ledger::thread_started(id);
        let value = super::panics::reporting_uncaught(f);
        ledger::thread_finished(std::mem::size_of::<T>() == 0);
        value
    })?;
    let _ = thread.inner.id.set(inner.thread().id());
    Ok(JoinHandle { id, thread, inner })
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
