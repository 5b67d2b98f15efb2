//! A pool of workers running the course's ways of handing work to a pool: `Pool.map`,
//! `Pool.imap`, `apply_async`, and `ThreadPoolExecutor.submit` then `shutdown`.
//!
//! Course: 000/001/002 (`Pool.map` over a list, `map_async`, `imap`, `apply_async`), 000:267-280
//! (`executor.submit(worker, mq, m)` inside `with ThreadPoolExecutor(max_workers=4)`). The tasks
//! square numbers; one submitted task panics, as a task's exception would, and its future must
//! hand the panic back while every other task still runs.
//!
//! Checked: `map` and `imap` return results in input order; `apply_async` returns its task's
//! value; every submitted task runs exactly once, and all of them have run when `shutdown`
//! returns; the panicking task's future reports the panic.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{Arc, Mutex, ThreadPool};

pub const MODEL: Model = Model {
    name: "thread-pool",
    source: "000/001/002 Pool.map, imap, apply_async; 000:267-280 ThreadPoolExecutor.submit",
    about: "map/imap keep input order, apply_async and submit return results, shutdown waits",
    params: &[
        Param::new("workers", "threads in the pool (the course: 4)", [2, 4, 4]),
        Param::new(
            "tasks",
            "items given to map and imap, and tasks submitted",
            [2, 6, 20_000],
        ),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "map, imap, apply_async, submit (one task panics), then shutdown",
        run: |p| use_the_pool(p, Mutant::None),
    }],
    check: |p, outcome| {
        let tasks = p.get("tasks") as i64;
        match (
            outcome.value("submitted tasks run"),
            outcome.value("panics reported"),
        ) {
            (run, 1) if run == tasks => Ok(()),
            (run, panics) => Err(format!(
                "{run} submitted tasks run of {tasks}, {panics} panics reported of 1"
            )),
        }
    },
    // At bound 2, two workers cost 97,842 executions (8.6 s); bound 1 covers a preemption inside
    // every call of the pool in 1,399.
    preemption_bound: 1,
    controls: &[
        Variant {
            name: "map-reversed",
            expected: Verdict::Invariant,
            about: "map is given the inputs in reverse",
            run: |p| use_the_pool(p, Mutant::MapReversed),
        },
        Variant {
            name: "imap-reversed",
            expected: Verdict::Invariant,
            about: "imap is given the inputs in reverse",
            run: |p| use_the_pool(p, Mutant::ImapReversed),
        },
        Variant {
            name: "apply-another",
            expected: Verdict::Invariant,
            about: "apply_async is given another task",
            run: |p| use_the_pool(p, Mutant::ApplyAnother),
        },
        Variant {
            name: "ran-twice",
            expected: Verdict::Invariant,
            about: "the first submitted task records itself twice",
            run: |p| use_the_pool(p, Mutant::RanTwice),
        },
        Variant {
            name: "read-before-shutdown",
            expected: Verdict::Invariant,
            about: "the tasks run are counted before shutdown returns",
            run: |p| use_the_pool(p, Mutant::ReadBeforeShutdown),
        },
        Variant {
            name: "value-off-by-one",
            expected: Verdict::Invariant,
            about: "the first submitted task returns its square plus one",
            run: |p| use_the_pool(p, Mutant::ValueOffByOne),
        },
        Variant {
            name: "panic-renamed",
            expected: Verdict::Invariant,
            about: "the failing task's panic names another task",
            run: |p| use_the_pool(p, Mutant::PanicRenamed),
        },
        Variant {
            name: "submit-after-accepted",
            expected: Verdict::Invariant,
            about: "the 'after shutdown' submit is made before shutdown",
            run: |p| use_the_pool(p, Mutant::SubmitBeforeShutdown),
        },
        Variant {
            name: "no-task-fails",
            expected: Verdict::LostUpdate,
            about: "no submitted task panics",
            run: |p| use_the_pool(p, Mutant::NoTaskFails),
        },
    ],
    ..Model::DEFAULT
};

fn square(x: u64) -> u64 {
    x * x
}

/// The controls' changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    MapReversed,
    ImapReversed,
    ApplyAnother,
    RanTwice,
    ReadBeforeShutdown,
    ValueOffByOne,
    PanicRenamed,
    SubmitBeforeShutdown,
    NoTaskFails,
}

fn use_the_pool(p: &Params, mutant: Mutant) -> Outcome {
    let tasks = p.get("tasks") as u64;
    let pool = ThreadPool::named("worker", p.get("workers"));
    let expected: Vec<u64> = (0..tasks).map(square).collect();
    let inputs = |reversed: bool| -> Vec<u64> {
        if reversed {
            (0..tasks).rev().collect()
        } else {
            (0..tasks).collect()
        }
    };

    let mapped = pool.map(square, inputs(mutant == Mutant::MapReversed));
    ensure(
        mapped.as_ref() == Ok(&expected),
        "map returns results in input order",
        || format!("map gave {mapped:?}"),
    );
    let imapped: Vec<_> = pool
        .imap(square, inputs(mutant == Mutant::ImapReversed))
        .collect();
    ensure(
        imapped
            .iter()
            .map(|r| r.as_ref().ok().copied())
            .eq(expected.iter().map(|&e| Some(e))),
        "imap yields results in input order",
        || format!("imap gave {imapped:?}"),
    );
    let seven = if mutant == Mutant::ApplyAnother { 6 } else { 7 };
    let applied = pool.apply_async(move || square(seven)).map(|f| f.result());
    ensure(
        applied == Ok(Ok(49)),
        "apply_async returns its task's value",
        || format!("apply_async gave {applied:?}"),
    );

    // executor.submit: each task records that it ran; the last one panics.
    let ran = Arc::new(Mutex::named("tasks run", Vec::new()));
    let futures: Vec<_> = (0..tasks)
        .map(|t| {
            let ran = Arc::clone(&ran);
            pool.submit(move || {
                ran.lock().unwrap().push(t);
                if mutant == Mutant::RanTwice && t == 0 {
                    ran.lock().unwrap().push(t);
                }
                if t + 1 == tasks && mutant != Mutant::NoTaskFails {
                    let named = t + u64::from(mutant == Mutant::PanicRenamed);
                    panic!("task {named} failed");
                }
                square(t) + u64::from(mutant == Mutant::ValueOffByOne && t == 0)
            })
        })
        .collect();
    let early_after = (mutant == Mutant::SubmitBeforeShutdown).then(|| pool.submit(|| 0));
    let early_ran = (mutant == Mutant::ReadBeforeShutdown).then(|| ran.lock().unwrap().clone());
    pool.shutdown();
    let ran = early_ran.unwrap_or_else(|| ran.lock().unwrap().clone());
    let run = ensure_taken_once("every submitted task runs once", ran);
    ensure(
        run == tasks as usize,
        "shutdown waits for every submitted task",
        || format!("{run} of {tasks} tasks had run when shutdown returned"),
    );
    let mut panics = 0;
    for (t, future) in futures.into_iter().enumerate() {
        let result = future.map(crate::sync::Future::result);
        match result {
            Ok(Ok(value)) => ensure(
                value == square(t as u64),
                "a future holds its task's value",
                || format!("task {t} gave {value}"),
            ),
            Ok(Err(panicked)) => {
                ensure(
                    panicked.message == format!("task {t} failed"),
                    "a task's panic reaches the caller",
                    || format!("task {t}: {panicked}"),
                );
                panics += 1;
            }
            Err(shut_down) => ensure(false, "a submit before shutdown is accepted", || {
                format!("task {t}: {shut_down}")
            }),
        }
    }
    let after = early_after.unwrap_or_else(|| pool.submit(|| 0));
    ensure(after.is_err(), "a pool refuses work after shutdown", || {
        "a submit after shutdown was accepted".to_string()
    });
    Outcome::new()
        .with("submitted tasks run", run as i64)
        .with("panics reported", panics)
}
