//! What the primitives do with a panic of the checked code: a thread inherits whether panics are
//! reported by someone (an explorer) or printed, and `catch_panic` catches a child's panic as the
//! course's `try: … except:` does, but never one that ends the run (a broken invariant, a cycle
//! the ledger found). Which panics end a run, and what was recorded of a caught one, are the
//! explorer's business: it tells the primitives through [`PanicObserver`], so that the primitives
//! never call the explorer.

use super::ledger::PermanentCycle;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// An explorer's view of panics in the code it runs.
pub trait PanicObserver: Sync {
    /// Whether `payload` ends the run whoever catches it.
    fn ends_run(&self, payload: &(dyn Any + Send)) -> bool;
    /// Whether a panic of the current run has been recorded.
    fn recorded(&self) -> bool;
    /// Forgets the panic recorded last: the checked code caught it.
    fn forget(&self);
    /// Whether a panic that a thread lets through ends the execution through
    /// [`stop_execution`](Self::stop_execution) rather than unwinding into the backend.
    fn stops_executions(&self) -> bool;
    /// Ends the current execution, whose thread let a panic through (the explorer has recorded
    /// it), without unwinding into the backend, which would print of it and end the whole
    /// search: the explorer's scheduler ends the execution at the next step.
    fn stop_execution(&self) -> !;
}

static OBSERVER: OnceLock<&'static dyn PanicObserver> = OnceLock::new();

/// Makes `observer` the one the primitives tell (the first call wins).
pub fn observe_panics(observer: &'static dyn PanicObserver) {
    let _ = OBSERVER.set(observer);
}

std::thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Whether panics on this OS thread are an explorer's business (and so printed by nobody).
pub fn quiet() -> bool {
    QUIET.with(Cell::get)
}

/// Makes panics on this OS thread quiet or not; spawned threads inherit the setting.
pub fn set_quiet(on: bool) {
    QUIET.with(|q| q.set(on));
}

/// What the code asks of this backend that it cannot do (a daemon thread under loom): the
/// check cannot run in this mode, and says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// A panic's message, when it has one.
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_string()
    }
}

/// Runs `f` and catches its panic, as model code catches a child's exception; the panic is then
/// the code's business, not a failure of the run. A panic that ends the run is not caught.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Box<dyn Any + Send>> {
    let observer = OBSERVER.get();
    let recorded_before = observer.is_some_and(|o| o.recorded());
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Err(payload)
            if payload.is::<PermanentCycle>()
                || observer.is_some_and(|o| o.ends_run(payload.as_ref())) =>
        {
            panic::resume_unwind(payload)
        }
        Err(payload) => {
            // In an explored build every thread of the run shares this OS thread and a panic
            // elsewhere ends the execution at once, so what was recorded since is this one.
            if !recorded_before {
                if let Some(o) = observer {
                    o.forget();
                }
            }
            Err(payload)
        }
        Ok(value) => Ok(value),
    }
}

/// A panic that no code of its thread caught, as a real run's explorer reports it: a joiner's
/// `join().unwrap()` panics again with nothing of it but "Any { .. }".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UncaughtPanic {
    pub thread: String,
    pub message: String,
    /// Where it was raised, when the explorer's panic hook saw it.
    pub at: Option<String>,
}

/// Where a run's threads put the first panic none of them caught.
pub type UncaughtPanics = Arc<Mutex<Option<UncaughtPanic>>>;

std::thread_local! {
    static UNCAUGHT: RefCell<Option<UncaughtPanics>> = const { RefCell::new(None) };
    static LAST_PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Where this OS thread's uncaught panics go, if an explorer asked (spawned threads inherit it).
pub fn uncaught_panics() -> Option<UncaughtPanics> {
    UNCAUGHT.with(|u| u.borrow().clone())
}

pub fn set_uncaught_panics(slot: Option<UncaughtPanics>) {
    UNCAUGHT.with(|u| *u.borrow_mut() = slot);
}

/// The explorer's panic hook tells where the panic unwinding now was raised.
pub fn note_panic_place(at: String) {
    LAST_PLACE.with(|p| *p.borrow_mut() = Some(at));
}

/// Runs a thread's body (a spawned thread's, or the check's own). A panic it lets through ends
/// the execution where an explorer asks (see [`PanicObserver::stop_execution`]); in a real run
/// it is put where this thread's uncaught panics go (the first one of the run stays), then
/// unwinds on.
pub fn reporting_uncaught<R>(f: impl FnOnce() -> R) -> R {
    let Some(slot) = uncaught_panics() else {
        let observer = OBSERVER.get().filter(|o| quiet() && o.stops_executions());
        let Some(observer) = observer else {
            return f();
        };
        return match panic::catch_unwind(AssertUnwindSafe(f)) {
            Ok(value) => value,
            Err(payload) => {
                drop(payload);
                observer.stop_execution()
            }
        };
    };
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            let panic = UncaughtPanic {
                thread: super::thread::current_name(),
                message: panic_text(payload.as_ref()),
                at: LAST_PLACE.with(|p| p.borrow_mut().take()),
            };
            slot.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_or_insert(panic);
            panic::resume_unwind(payload)
        }
    }
}

/// Runs `f` with a fresh place for uncaught panics on this thread and the threads it spawns;
/// returns what `f` returned and the first panic none of them caught.
pub fn collecting_uncaught<R>(f: impl FnOnce() -> R) -> (R, Option<UncaughtPanic>) {
    let slot = UncaughtPanics::default();
    let outer = uncaught_panics();
    set_uncaught_panics(Some(slot.clone()));
    let r = f();
    set_uncaught_panics(outer);
    let first = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    (r, first)
}
