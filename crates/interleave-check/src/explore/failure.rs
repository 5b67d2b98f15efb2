//! Turning a failed run into a verdict.
//!
//! A model signals a broken invariant with [`invariant`], the explorer signals a wrong final state
//! with a [`LostUpdate`], and loom and shuttle signal a stuck run with a panic of their own
//! ("deadlock; threads = …", "deadlock! blocked tasks: …"). While the explorer runs a model, a
//! quiet panic hook records the first panic of the run, where it was raised, and a snapshot of the
//! ledger (taken *before* unwinding releases any lock), prints nothing, and the explorer
//! classifies it: a stuck run is a deadlock if the ledger shows a cycle and a hang otherwise; any
//! other panic of the checked code (a failed `assert!`, an index out of bounds) is a
//! [`Verdict::Panic`], as loom and shuttle treat it; only a panic raised inside loom's or shuttle's
//! own code is the explorer's failure.

use super::explain;
use super::Verdict;
use crate::sync::ledger::{self, DataRace, PermanentCycle, Snapshot};
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
use crate::sync::panics::UncaughtPanic;
use crate::sync::panics::{
    note_panic_place, observe_panics, panic_text, quiet, set_quiet, PanicObserver, Unsupported,
};
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// A named invariant broken mid-run ("neighbours eat together").
#[derive(Clone, Debug)]
pub struct InvariantViolation {
    pub name: &'static str,
    pub detail: String,
}

/// A final state that fails the model's check.
#[derive(Clone, Debug)]
pub struct LostUpdate(pub String);

/// Stops the run: the invariant `name` does not hold. Call it from model code when a check made
/// mid-run fails.
pub fn invariant(name: &'static str, detail: impl fmt::Display) -> ! {
    panic::panic_any(InvariantViolation {
        name,
        detail: detail.to_string(),
    })
}

/// Checks a mid-run invariant.
pub fn ensure(holds: bool, name: &'static str, detail: impl FnOnce() -> String) {
    super::checks::made(name);
    if !holds {
        invariant(name, detail())
    }
}

/// Checks a mid-run invariant that a computation answers with a `Result`: its `Ok` value, or the
/// invariant broken with the error's words.
pub fn ensure_ok<T, E: fmt::Display>(result: Result<T, E>, name: &'static str) -> T {
    super::checks::made(name);
    result.unwrap_or_else(|e| invariant(name, e))
}

/// Checks that no item was taken twice (consumed, popped, sold); returns how many were taken.
pub fn ensure_taken_once<T: Ord + fmt::Display>(name: &'static str, mut items: Vec<T>) -> usize {
    super::checks::made(name);
    items.sort_unstable();
    if let Some(pair) = items.windows(2).find(|pair| pair[0] == pair[1]) {
        invariant(name, format!("{} taken twice", pair[0]));
    }
    items.len()
}

/// What the explorer learnt from a failed run.
#[derive(Clone, Debug)]
pub struct Failure {
    pub kind: FailureKind,
    /// Who held what and who waited for what when the run failed, and the steps that led there
    /// (explored builds only).
    pub snapshot: Box<Snapshot>,
    /// The shuttle schedule that replays the failure.
    pub schedule: Option<String>,
    /// Randomized modes: the schedule (counting from 1, the fair one) that found it, which may
    /// come before the last one run (a lost update does not stop the sampling).
    pub found_in: Option<usize>,
    /// The thread that broke an invariant, crashed or found the final state wrong.
    pub thread: Option<String>,
    /// The check that failed: the invariant's name, or [`super::checks::FINAL_STATE`].
    pub check: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The run reached one of the catalogue's bad verdicts.
    Verdict { verdict: Verdict, message: String },
    /// The model cannot run at this size under this backend (loom's thread limit).
    TooBig(String),
    /// The code asks what this backend cannot do (a daemon thread under loom).
    Unsupported(String),
    /// The explorer itself failed (loom or shuttle panicked from its own code): not a finding
    /// about the checked code, whose own panics are [`Verdict::Panic`].
    Crash(String),
    /// A real run stopped making progress: deadlocked, hung or livelocked — real threads cannot
    /// say which; an exploration can.
    Stuck(String),
}

impl Failure {
    pub fn verdict(&self) -> Option<Verdict> {
        match self.kind {
            FailureKind::Verdict { verdict, .. } => Some(verdict),
            _ => None,
        }
    }

    /// Whether `other` is a failure of the same kind: the same verdict, or the same way of
    /// failing without one.
    pub fn same_kind(&self, other: &Failure) -> bool {
        self.verdict() == other.verdict()
            && std::mem::discriminant(&self.kind) == std::mem::discriminant(&other.kind)
    }

    pub fn message(&self) -> &str {
        match &self.kind {
            FailureKind::Verdict { message, .. } => message,
            FailureKind::TooBig(m)
            | FailureKind::Unsupported(m)
            | FailureKind::Crash(m)
            | FailureKind::Stuck(m) => m,
        }
    }

    /// A wrong final state, with the ledger as the run left it (explorers record it and go on
    /// looking for a worse verdict).
    #[cfg(any(interleave_loom, interleave_shuttle))]
    pub(crate) fn lost_update(message: String) -> Failure {
        Failure {
            kind: FailureKind::Verdict {
                verdict: Verdict::LostUpdate,
                message,
            },
            snapshot: Box::new(ledger::snapshot()),
            schedule: None,
            found_in: None,
            thread: Some(ledger::current_thread_name()),
            check: Some(super::checks::FINAL_STATE),
        }
    }

    /// What a panic means: `at` is where it was raised (`file:line:column`), when the hook saw
    /// it.
    fn from_panic(payload: &(dyn Any + Send), at: Option<&str>, mut snapshot: Snapshot) -> Failure {
        let race = payload
            .downcast_ref::<DataRace>()
            .cloned()
            .or_else(|| race_found_by_explorer(payload, at));
        let (kind, check) = if let Some(race) = &race {
            let kind = FailureKind::Verdict {
                verdict: Verdict::DataRace,
                message: race.to_string(),
            };
            (kind, None)
        } else if let Some(v) = payload.downcast_ref::<InvariantViolation>() {
            let kind = FailureKind::Verdict {
                verdict: Verdict::Invariant,
                message: format!("invariant '{}' broken: {}", v.name, v.detail),
            };
            (kind, Some(v.name))
        } else if let Some(l) = payload.downcast_ref::<LostUpdate>() {
            let kind = FailureKind::Verdict {
                verdict: Verdict::LostUpdate,
                message: l.0.clone(),
            };
            (kind, Some(super::checks::FINAL_STATE))
        } else if let Some(u) = payload.downcast_ref::<Unsupported>() {
            (FailureKind::Unsupported(u.0.clone()), None)
        } else if payload.is::<PermanentCycle>() {
            (classify_message("deadlock", None, &snapshot), None)
        } else {
            (classify_message(&panic_text(payload), at, &snapshot), None)
        };
        // Only the checked code's own failure names a thread: a stuck run is every blocked
        // thread's doing, and loom raises its own panics from inside its scheduler, where asking
        // it for the current thread would panic again and abort the process.
        let thread = match &kind {
            FailureKind::Verdict {
                verdict: Verdict::Invariant | Verdict::LostUpdate | Verdict::Panic,
                ..
            } => Some(ledger::current_thread_name()),
            _ => race.as_ref().map(|r| r.later.thread.clone()),
        };
        snapshot.race = race;
        Failure {
            kind,
            snapshot: Box::new(snapshot),
            schedule: None,
            found_in: None,
            thread,
            check,
        }
    }
}

/// A race loom's own cell check found ("Causality violation: Concurrent read and write
/// accesses"), with what the ledger knows of its two accesses.
fn race_found_by_explorer(payload: &(dyn Any + Send), at: Option<&str>) -> Option<DataRace> {
    if !raised_by_explorer(at) || !panic_text(payload).starts_with("Causality violation") {
        return None;
    }
    #[cfg(interleave_loom)]
    return ledger::race_found_by_loom();
    #[cfg(not(interleave_loom))]
    None
}

/// Whether a panic raised at `at` comes from loom's or shuttle's own code: their sources sit in
/// cargo's registry (or a vendor folder) as `loom-0.7.3/…`, `shuttle-engine-0.1.8/…`, the crate's
/// name then its version, which a user's own folder called `loom-experiments` is not.
fn raised_by_explorer(at: Option<&str>) -> bool {
    at.is_some_and(|at| {
        let at = at.replace('\\', "/");
        ["/loom-", "/shuttle-"].iter().any(|crate_dir| {
            at.match_indices(crate_dir).any(|(i, _)| {
                let rest = &at[i + crate_dir.len()..];
                let version = rest.trim_start_matches(|c: char| c.is_ascii_lowercase() || c == '-');
                version.starts_with(|c: char| c.is_ascii_digit())
            })
        })
    })
}

/// Reads loom's and shuttle's own failure messages; any other panic is the checked code's.
fn classify_message(text: &str, at: Option<&str>, snapshot: &Snapshot) -> FailureKind {
    // A real run's panic reaches the explorer without its place; the words alone tell then.
    let explorer = at.is_none() || raised_by_explorer(at);
    if explorer && text.starts_with("deadlock") {
        return match explain::deadlock_in_words(snapshot) {
            Some(words) => FailureKind::Verdict {
                verdict: Verdict::Deadlock,
                message: format!("deadlock: {words}"),
            },
            None => FailureKind::Verdict {
                verdict: Verdict::Hang,
                message: format!(
                    "hang, blocked forever with no cycle: {}",
                    explain::hang_in_words(snapshot)
                ),
            },
        };
    }
    // shuttle's step bound and loom's branch bound are both set from the plan's `max_steps`: a
    // schedule that runs past it never ends. Fair schedules only switch when a thread yields or
    // blocks, so a spin that yields is not mistaken for one (see `randomized::Fair`).
    if explorer
        && (text.starts_with("exceeded max_steps bound")
            || text.starts_with("Model exceeded maximum number of branches"))
    {
        let spinning: Vec<&str> = snapshot.running().map(|t| t.name.as_str()).collect();
        return FailureKind::Verdict {
            verdict: Verdict::Livelock,
            message: format!(
                "livelock: a schedule ran past the step bound without ending; still running: {} \
                 (raise --max-steps if the run is merely long)",
                if spinning.is_empty() {
                    "?".to_string()
                } else {
                    spinning.join(", ")
                }
            ),
        };
    }
    if explorer && text.contains("self.threads.len() < self.max()") {
        return FailureKind::TooBig(
            "loom explores at most 4 spawned threads besides the caller".into(),
        );
    }
    if explorer && at.is_some() {
        return FailureKind::Crash(format!("the explorer failed: {text}"));
    }
    FailureKind::Verdict {
        verdict: Verdict::Panic,
        message: match at {
            Some(at) => format!("panic at {at}: {text}"),
            None => format!("panic: {text}"),
        },
    }
}

struct Capture {
    first: Option<Failure>,
}

std::thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// What the primitives ask of the explorer about a panic they catch for the checked code.
struct Observer;

impl PanicObserver for Observer {
    fn ends_run(&self, payload: &(dyn Any + Send)) -> bool {
        payload.is::<InvariantViolation>() || payload.is::<LostUpdate>()
    }

    fn recorded(&self) -> bool {
        CAPTURE.with(|c| c.borrow().as_ref().is_some_and(|c| c.first.is_some()))
    }

    fn forget(&self) {
        CAPTURE.with(|c| {
            if let Some(c) = c.borrow_mut().as_mut() {
                c.first = None;
            }
        });
    }

    fn stops_executions(&self) -> bool {
        cfg!(interleave_shuttle) && CAPTURE.with(|c| c.try_borrow().is_ok_and(|c| c.is_some()))
    }

    fn stop_execution(&self) -> ! {
        STOPPED.with(|s| s.set(true));
        #[cfg(interleave_shuttle)]
        loop {
            // The explorer's scheduler ends the execution at this switch (see
            // `execution_stopped`); its teardown then unwinds this thread's stack from here.
            shuttle::thread::yield_now();
        }
        #[cfg(not(interleave_shuttle))]
        unreachable!("only shuttle's executions are stopped by their scheduler")
    }
}

std::thread_local! {
    /// Whether a thread of the execution running on this OS thread has failed: its scheduler
    /// then ends the execution rather than run another step.
    static STOPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the running execution has failed and is to end at its next step.
#[cfg(interleave_shuttle)]
pub(crate) fn execution_stopped() -> bool {
    STOPPED.with(std::cell::Cell::get)
}

/// The failure of the execution that just ended, if it failed and stopped (see
/// The failure of an execution that ended well but left `what` (a value the check tracks, see
/// [`crate::sync::tracked`]) never dropped, with the execution's steps: a panic, as loom's leak
/// check is one.
#[cfg(interleave_shuttle)]
pub(crate) fn leaked(what: String) -> Failure {
    Failure {
        kind: FailureKind::Verdict {
            verdict: Verdict::Panic,
            message: format!("leaked: {what} was never dropped"),
        },
        snapshot: Box::new(ledger::snapshot()),
        schedule: None,
        found_in: None,
        thread: None,
        check: None,
    }
}

/// [`execution_stopped`]): the capture's first panic, taken so that the next execution records
/// its own.
#[cfg(interleave_shuttle)]
pub(crate) fn take_stopped_failure() -> Option<Failure> {
    if !STOPPED.with(|s| s.replace(false)) {
        return None;
    }
    CAPTURE.with(|c| c.borrow_mut().as_mut().and_then(|c| c.first.take()))
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        observe_panics(&Observer);
        let previous = panic::take_hook();
        // shuttle installs its own hook the first time it runs, once for the process: let it do
        // so now, and drop it. It prints a schedule string of its own on any panic, the checker's
        // report included ("failing schedule: … pass that string to `shuttle::replay`"), which
        // replays whatever execution ran last, not the failure: a report's replay line is the
        // only one a user should see.
        #[cfg(interleave_shuttle)]
        {
            panic::set_hook(Box::new(|_| {}));
            shuttle::Runner::new(
                shuttle::scheduler::RoundRobinScheduler::new(1),
                shuttle::Config::new(),
            )
            .run(|| {});
            drop(panic::take_hook());
        }
        panic::set_hook(Box::new(move |info| {
            if !quiet() {
                return previous(info);
            }
            // A real run's spawned thread has no capture of its own: where its panic was raised
            // goes with it, if nothing catches it (see `panics::reporting_uncaught`).
            if let Some(at) = info.location() {
                note_panic_place(ledger::place(at));
            }
            CAPTURE.with(|c| {
                if let Ok(mut c) = c.try_borrow_mut() {
                    if let Some(c) = c.as_mut() {
                        if c.first.is_none() {
                            let at = info.location().map(ledger::place);
                            c.first = Some(Failure::from_panic(
                                info.payload(),
                                at.as_deref(),
                                ledger::snapshot(),
                            ));
                        }
                    }
                }
            });
        }));
    });
}

/// Runs `f`, catching any panic as a [`Failure`] without printing it.
///
/// The failure is the *first* panic of the run (later ones come from unwinding), with the ledger
/// as it stood at that moment.
pub fn capture<R>(f: impl FnOnce() -> R) -> Result<R, Failure> {
    install_hook();
    let was_quiet = quiet();
    set_quiet(true);
    let outer = CAPTURE.with(|c| c.replace(Some(Capture { first: None })));
    let was_stopped = STOPPED.with(|s| s.replace(false));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    STOPPED.with(|s| s.set(was_stopped));
    let captured = CAPTURE.with(|c| c.replace(outer)).and_then(|c| c.first);
    set_quiet(was_quiet);
    result.map_err(|payload| {
        // A panic raised on another OS thread (a real run) reaches us only as a payload.
        captured.unwrap_or_else(|| Failure::from_panic(payload.as_ref(), None, Snapshot::default()))
    })
}

#[cfg(not(any(interleave_loom, interleave_shuttle)))]
impl Failure {
    /// A real run's failure told by the first panic none of its threads caught, where one did
    /// (a joiner's `join().unwrap()` knows nothing of it but "Any { .. }").
    pub(crate) fn caused_by(self, uncaught: Option<UncaughtPanic>) -> Failure {
        let Some(panic) = uncaught else { return self };
        if self.verdict() != Some(Verdict::Panic) {
            return self;
        }
        let message = match &panic.at {
            Some(at) => format!("panic at {at}: {}", panic.message),
            None => format!("panic: {}", panic.message),
        };
        Failure {
            kind: FailureKind::Verdict {
                verdict: Verdict::Panic,
                message,
            },
            thread: Some(panic.thread),
            ..self
        }
    }
}

/// Stops the current execution because its final state fails the model's check.
#[cfg(not(any(interleave_loom, interleave_shuttle)))]
pub(crate) fn lost_update(detail: String) -> ! {
    panic::panic_any(LostUpdate(detail))
}
