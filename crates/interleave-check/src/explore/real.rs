//! Real runs: std threads, the OS's own schedule, timed.

use super::{
    capture, lost_update, set_quiet, Body, Check, Coverage, Failure, FailureKind, Outcome, Report,
    Stats,
};
use crate::sync::panics::collecting_uncaught;
use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(super) fn run(check: &Check, body: &Body) -> Report {
    let start = Instant::now();
    let runs = check.runs;
    let mut outcomes = BTreeSet::new();
    let mut failure = None;
    let mut executions = 0;
    for _ in 0..runs {
        executions += 1;
        if let Some(meter) = &check.meter {
            meter.count();
        }
        match run_once(check, body) {
            Ok(outcome) => {
                outcomes.insert(outcome);
            }
            Err(f) => {
                failure = Some(f);
                break;
            }
        }
    }
    let failure_seen = failure.is_some();
    Report {
        subject: check.subject.clone(),
        mode: check.mode,
        failure,
        also: Vec::new(),
        coverage: Coverage::Repeated { runs: executions },
        executions,
        outcomes,
        elapsed: start.elapsed(),
        stats: Stats {
            complete: executions - usize::from(failure_seen),
            ..Stats::default()
        },
    }
}

/// One run on its own thread, watched. A run that has not finished after a watchdog window is
/// stuck if its process used (almost) no CPU during that window: blocked threads park, so a
/// deadlock or a hang goes quiet. A run that still computes is slow, not stuck, and is given
/// more windows, up to [`SLOW_WINDOWS`]; one still busy then spins forever (a livelock, or a
/// busy-wait nobody ends) and is reported stuck too. Its threads are left where they are; the
/// process ends them when it exits.
fn run_once(check: &Check, body: &Body) -> Result<Outcome, Failure> {
    let (tx, rx) = mpsc::channel();
    let body = body.clone();
    std::thread::Builder::new()
        .name("main".into())
        .spawn(move || {
            set_quiet(true);
            let (result, uncaught) = collecting_uncaught(|| {
                capture(|| {
                    let (outcome, verdict) = body();
                    if let Err(message) = verdict {
                        lost_update(message);
                    }
                    outcome
                })
            });
            let result = result.map_err(|f| f.caused_by(uncaught));
            let _ = tx.send(result);
        })
        .expect("cannot spawn a thread");
    let start = Instant::now();
    let mut cpu = process_cpu();
    for window in 1..=SLOW_WINDOWS {
        match rx.recv_timeout(check.watchdog) {
            Ok(result) => return result,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let now = process_cpu();
        let busy = match (cpu, now) {
            (Some(before), Some(now)) => now.saturating_sub(before) > check.watchdog / 20,
            // Without a CPU clock, a window without the end is stuck, as before.
            _ => false,
        };
        cpu = now;
        if !busy {
            return Err(stuck(
                format!(
                    "stuck: the run stopped making progress: after {:.1?} it had not finished, \
                     and for the last {:?} its threads used no CPU (deadlocked or hung)",
                    start.elapsed(),
                    check.watchdog
                ),
                check,
            ));
        }
        if window == SLOW_WINDOWS {
            break;
        }
    }
    Err(stuck(
        format!(
            "stuck: after {:.1?} the run still had not finished while its threads kept using \
             the CPU (spinning forever, or far slower than it should be)",
            start.elapsed()
        ),
        check,
    ))
}

/// How many watchdog windows a run that keeps computing is given before it counts as spinning
/// forever.
const SLOW_WINDOWS: u32 = 4;

fn stuck(what: String, check: &Check) -> Failure {
    let hint = match &check.subject.explore_hint {
        Some(hint) => format!(". {hint}"),
        None => String::new(),
    };
    Failure {
        kind: FailureKind::Stuck(format!("{what}{hint}")),
        snapshot: Default::default(),
        schedule: None,
        found_in: None,
        thread: None,
        check: None,
    }
}

/// The CPU time this process has used so far, on every thread.
fn process_cpu() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to fill.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
        ok.then(|| Duration::new(t.tv_sec as u64, t.tv_nsec as u32))
    }
    #[cfg(not(unix))]
    None
}
