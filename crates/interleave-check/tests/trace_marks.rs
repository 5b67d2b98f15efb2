//! A failure's trace is the execution as it happened, and says so where a step's place alone
//! would mislead: a load that read an older value than the last write above it (weak memory,
//! which only loom models) is marked "an older value"; a condition variable's wait is recorded
//! where it takes effect (shuttle builds: after a notify that another thread made while the
//! waiter was between its decision to wait and its wait, the notify it then missed). Snapshots
//! (insta) of the tables a user reads, each beside its control.
#![cfg(any(loom, shuttle))]

#[cfg(loom)]
use interleave_check::sync::atomic::AtomicUsize;
use interleave_check::sync::atomic::{AtomicBool, Ordering};
use interleave_check::sync::{thread, Arc};
use interleave_check::sync::{Condvar, Mutex};
use interleave_check::{Check, Report};

/// A writer stores the data, then raises a flag (`store` ordering); a reader that sees the flag
/// (`load` ordering) reads the data and asserts it is there.
#[cfg(loom)]
fn publish(store: Ordering, load: Ordering) {
    let data = Arc::new(AtomicUsize::named("data", 0));
    let ready = Arc::new(AtomicBool::named("ready", false));
    let writer = {
        let (data, ready) = (data.clone(), ready.clone());
        thread::spawn_named("writer", move || {
            data.store(1, Ordering::Relaxed);
            ready.store(true, store);
        })
    };
    if ready.load(load) {
        assert_eq!(data.load(Ordering::Relaxed), 1, "ready, but no data");
    }
    writer.join().unwrap();
}

/// The failing execution's table.
fn table(report: &Report) -> String {
    report
        .trace_table()
        .map(|t| t.to_string())
        .unwrap_or_else(|| panic!("no trace: {report}"))
}

#[test]
#[cfg(loom)]
fn a_load_of_an_older_value_is_marked() {
    let report = Check::new()
        .report(|| publish(Ordering::Relaxed, Ordering::Relaxed))
        .unwrap();
    let table = table(&report);
    insta::assert_snapshot!(table);
    // The flag's load read the last write: no mark there.
    assert!(
        table
            .lines()
            .any(|l| l.trim_end().ends_with("load ready = true")),
        "{table}"
    );
    assert!(
        table.contains("load data = 0, an older value (1 was written last)"),
        "{table}"
    );
}

/// The control: published with `Release` and read with `Acquire`, the data is always there.
#[test]
#[cfg(loom)]
fn the_release_acquire_twin_passes() {
    Check::new().run(|| publish(Ordering::Release, Ordering::Acquire));
}

/// A waiter looks at a flag under the lock and waits if it is down; the notifier raises the
/// flag and notifies without taking the lock: between the waiter's look and its wait, the notify
/// can come and go, and the waiter sleeps for good (a lost wake-up).
fn lost_wake_up(notifier_takes_the_lock: bool) {
    let state = Arc::new((Mutex::named("m", ()), Condvar::named("raised")));
    let flag = Arc::new(AtomicBool::named("flag", false));
    let notifier = {
        let (state, flag) = (state.clone(), flag.clone());
        thread::spawn_named("notifier", move || {
            let _held = notifier_takes_the_lock.then(|| state.0.lock().unwrap());
            flag.store(true, Ordering::SeqCst);
            state.1.notify_all();
        })
    };
    let (m, raised) = &*state;
    let mut guard = m.lock().unwrap();
    while !flag.load(Ordering::SeqCst) {
        guard = raised.wait(guard).unwrap();
    }
    drop(guard);
    notifier.join().unwrap();
}

/// bounded mode in shuttle builds (deterministic, and where a wait is recorded when the waiter
/// next runs); loom's search in loom builds (where the trace puts a wait that missed a
/// `notify_all` after it).
fn explorer() -> Check {
    if cfg!(shuttle) {
        Check::new().mode(interleave_check::Mode::Bounded)
    } else {
        Check::new()
    }
}

#[test]
fn a_wait_is_recorded_where_it_takes_effect() {
    let report = explorer().report(|| lost_wake_up(false)).unwrap();
    let table = table(&report);
    let name = format!(
        "a_wait_is_recorded_where_it_takes_effect_{}",
        interleave_check::sync::BACKEND
    );
    insta::assert_snapshot!(name, table);
    let row = |what: &str| {
        table
            .lines()
            .position(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what}: {table}"))
    };
    assert!(row("notify_all raised") < row("wait raised"), "{table}");
}

/// The control: with the notifier under the lock, no wake-up is lost.
#[test]
fn the_notifier_under_the_lock_loses_no_wake_up() {
    explorer().run(|| lost_wake_up(true));
}

/// One waiter looks once (`if`) or until it holds (`while`) whether the flag is up, and a
/// notifier raises it under the lock and notifies. With a single waiter and no spurious
/// wake-up, `if` is enough; std allows spurious wake-ups, and a check that allows them catches
/// the `if`, its trace labelling the wake-up nobody notified.
fn one_waiter(looped: bool) {
    let state = Arc::new((Mutex::named("m", false), Condvar::named("raised")));
    let waiter = {
        let state = state.clone();
        thread::spawn_named("waiter", move || {
            let (m, raised) = &*state;
            let mut up = m.lock().unwrap();
            if looped {
                while !*up {
                    up = raised.wait(up).unwrap();
                }
            } else if !*up {
                up = raised.wait(up).unwrap();
            }
            assert!(*up, "woke before the flag was raised");
        })
    };
    *state.0.lock().unwrap() = true;
    state.1.notify_one();
    waiter.join().unwrap();
}

/// The modes of this build.
fn every_explorer() -> Vec<Check> {
    use interleave_check::Mode;
    let modes = if cfg!(loom) {
        vec![Mode::Exhaustive]
    } else {
        vec![Mode::Random, Mode::Pct, Mode::Bounded]
    };
    modes
        .into_iter()
        .map(|m| Check::new().mode(m).schedules(1_000))
        .collect()
}

#[test]
fn a_spurious_wake_up_is_labelled_and_catches_an_if() {
    for check in every_explorer() {
        let report = check
            .spurious_wakeups(true)
            .report(|| one_waiter(false))
            .unwrap();
        let table = table(&report);
        assert!(
            table.contains("woke raised (spuriously: nobody notified)"),
            "{table}"
        );
    }
    let report = explorer()
        .spurious_wakeups(true)
        .report(|| one_waiter(false))
        .unwrap();
    let name = format!(
        "a_spurious_wake_up_is_labelled_{}",
        interleave_check::sync::BACKEND
    );
    insta::assert_snapshot!(name, table(&report));
}

/// The controls: the `while` passes with spurious wake-ups, and the `if` passes without them.
#[test]
fn a_loop_survives_spurious_wake_ups_and_an_if_passes_without_them() {
    for check in every_explorer() {
        let looped = check
            .spurious_wakeups(true)
            .report(|| one_waiter(true))
            .unwrap();
        assert!(looped.failure.is_none(), "{looped}");
    }
    for check in every_explorer() {
        let once = check.report(|| one_waiter(false)).unwrap();
        assert!(once.failure.is_none(), "{once}");
    }
}
