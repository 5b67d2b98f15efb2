//! At most three workers at a time: a `Semaphore(3)` in front of the work, and a running count
//! kept under a mutex.
//!
//! Course: 001:240-265 `semaphoreFonc(sema, mutex, val)`: ten processes, `sema = Semaphore(3)`;
//! each acquires the semaphore, increments the shared running count under the mutex, works,
//! decrements it, releases. (As printed it increments `val_value`, an undefined name; the model
//! increments the shared count as the print on the next line intends.) The `unbounded` variant
//! drops the semaphore.
//!
//! Checked: the running count never exceeds the bound; it is back to 0 at the end.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Mutex, Semaphore};

pub const MODEL: Model = Model {
    name: "bounded-concurrency",
    source: "001:240-265 semaphoreFonc",
    about: "a Semaphore(3) lets at most three of ten workers run at once",
    params: &[
        Param::new(
            "workers",
            "workers competing to run (the course: 10)",
            [3, 10, 10],
        ),
        Param::new(
            "bound",
            "the semaphore's permits: workers allowed at once (the course: 3)",
            [2, 3, 3],
        ),
        Param::new(
            "rounds",
            "times each worker runs (the course: 1)",
            [1, 2, 10_000],
        ),
    ],
    variants: &[
        Variant {
            name: "ok",
            expected: Verdict::Pass,
            about: "sema.acquire(); running += 1 under the mutex; work; running -= 1; release",
            run: |p| run_workers(p, true, false),
        },
        Variant {
            name: "unbounded",
            expected: Verdict::Invariant,
            about: "no semaphore: every worker runs at once",
            run: |p| run_workers(p, false, false),
        },
    ],
    check: |_, outcome| match outcome.value("running at the end") {
        0 => Ok(()),
        n => Err(format!("{n} workers still counted as running at the end")),
    },
    controls: &[Variant {
        name: "read-before-join",
        expected: Verdict::LostUpdate,
        about: "the main thread reads the count before it joins the workers",
        run: |p| run_workers(p, true, true),
    }],
    ..Model::DEFAULT
};

/// `hasty`: the control, whose main thread reads the count before it joins the workers.
fn run_workers(p: &Params, bounded: bool, hasty: bool) -> Outcome {
    let (bound, rounds) = (p.get("bound"), p.get("rounds"));
    let sema = Arc::new(Semaphore::named("sema", bound));
    let running = Arc::new(Mutex::named("mutex", 0usize));
    let workers: Vec<_> = (0..p.get("workers"))
        .map(|w| {
            let (sema, running) = (Arc::clone(&sema), Arc::clone(&running));
            thread::spawn_named(format!("worker-{}", w + 1), move || {
                for _ in 0..rounds {
                    if bounded {
                        sema.acquire();
                    }
                    {
                        let mut running = running.lock().unwrap();
                        *running += 1;
                        let now = *running;
                        ensure(now <= bound, "at most `bound` workers run at once", || {
                            format!("{now} workers running with a bound of {bound}")
                        });
                    }
                    thread::yield_now(); // time.sleep(random.random()*2)
                    *running.lock().unwrap() -= 1;
                    if bounded {
                        sema.release();
                    }
                }
            })
        })
        .collect();
    let early = hasty.then(|| *running.lock().unwrap());
    workers.into_iter().for_each(|t| t.join().unwrap());
    let left = early.unwrap_or_else(|| *running.lock().unwrap());
    Outcome::new().with("running at the end", left as i64)
}
