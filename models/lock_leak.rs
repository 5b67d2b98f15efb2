//! A lock never released when the critical section fails.
//!
//! Course: 001:225-233 — `fonc` does `l.acquire()`, prints, then `L.release()`: `L` is not defined,
//! so a `NameError` is raised *while the lock is held*; the lock is never released, and every
//! other process waits for it forever. 001:257-262 is the same with an exception inside the
//! critical section. 001:113-125 shows the cure: `with verrou:`, or `acquire` then `try: …
//! finally: release()`, which release on every path.
//!
//! Each worker's critical section fails (as the course's does); the failure reaches the parent
//! as a value through `join`. Checked: every worker finishes and every failure reaches the parent.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Lock};

pub const MODEL: Model = Model {
    name: "lock-leak",
    source: "001:225-233, 001:257-262; the cure 001:113-125",
    about: "workers take a lock, and the critical section raises before the release",
    params: &[
        Param::new(
            "workers",
            "workers sharing the lock (the course: 10)",
            [3, 10, 10],
        )
        .at_least(2),
        Param::new(
            "lines",
            "lines each worker prints in its critical section (the course: 20)",
            [1, 20, 20],
        ),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "l.acquire(); ...; L.release() raises NameError: the lock stays taken",
            run: |p| run_workers(p, Release::AfterSection),
        },
        Variant {
            name: "with-guard",
            expected: Verdict::Pass,
            about: "with lock: ... (released on every path, the error still reported)",
            run: |p| run_workers(p, Release::Guard),
        },
    ],
    check: |p, outcome| {
        let workers = p.get("workers") as i64;
        outcome.expect_value("failures reported", workers, |n| {
            format!("{n} failures reached the parent, of {workers} workers")
        })
    },
    pct_depth: 2,
    controls: &[Variant {
        name: "error-swallowed",
        expected: Verdict::LostUpdate,
        about: "with lock: ..., but worker-1 swallows its error",
        run: |p| run_workers(p, Release::GuardSwallowing),
    }],
    ..Model::DEFAULT
};

/// The `NameError` of 001:231: the critical section fails.
#[derive(Debug, thiserror::Error)]
#[error("NameError: name 'L' is not defined")]
struct NameError;

#[derive(Clone, Copy)]
enum Release {
    /// `acquire`, the section, then `release`: skipped when the section fails.
    AfterSection,
    /// `with lock:` — released whatever the section does.
    Guard,
    /// The control: `with lock:`, but the first worker drops its error.
    GuardSwallowing,
}

/// The critical section: prints its lines, then fails as the course's does.
fn section(
    worker: usize,
    lines: usize,
    out: &std::sync::Mutex<Vec<String>>,
) -> Result<(), NameError> {
    for i in 0..lines {
        out.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("worker {worker}: Bonjour {i}"));
        thread::yield_now();
    }
    Err(NameError)
}

fn run_workers(p: &Params, release: Release) -> Outcome {
    let (workers, lines) = (p.get("workers"), p.get("lines"));
    let lock = Arc::new(Lock::named("lock"));
    // Ghost output: what the workers print (std's mutex, unseen by the explorers).
    let out = Arc::new(std::sync::Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let (lock, out) = (Arc::clone(&lock), Arc::clone(&out));
            thread::spawn_named(
                format!("worker-{}", w + 1),
                move || -> Result<(), NameError> {
                    match release {
                        Release::AfterSection => {
                            lock.acquire();
                            section(w, lines, &out)?;
                            lock.release().expect("the lock is held");
                            Ok(())
                        }
                        Release::Guard => {
                            let _held = lock.hold();
                            section(w, lines, &out)
                        }
                        Release::GuardSwallowing => {
                            let _held = lock.hold();
                            let result = section(w, lines, &out);
                            if w == 0 {
                                Ok(())
                            } else {
                                result
                            }
                        }
                    }
                },
            )
        })
        .collect();
    let failures = handles
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(Result::is_err)
        .count();
    let printed = out.lock().unwrap_or_else(|e| e.into_inner()).len();
    Outcome::new()
        .with("failures reported", failures as i64)
        .with("lines printed", printed as i64)
}
