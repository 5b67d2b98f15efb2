//! Data races on `cell::UnsafeCell`: two accesses, one a write, that no synchronisation orders,
//! found in every explored mode (loom's exhaustive search, random, PCT, bounded) and reported with
//! both threads, both places and both steps; beside each race its fixed twin, which must pass.
//!
//! The program is the one a user writes first: a lazily initialised value behind double-checked
//! locking, the value in an `UnsafeCell`, a `ready` flag read without the lock.
#![cfg(any(loom, shuttle))]

use interleave_check::cell::UnsafeCell;
use interleave_check::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use interleave_check::sync::{thread, Arc, Mutex};
use interleave_check::{Check, Mode, Report, Verdict};

/// How the lazy value publishes itself.
#[derive(Clone, Copy, Debug)]
struct Publish {
    /// The bug of the issue: `ready` is raised before the value is written.
    flag_first: bool,
    store: Ordering,
    load: Ordering,
}

const FIXED: Publish = Publish {
    flag_first: false,
    store: Ordering::Release,
    load: Ordering::Acquire,
};
const FLAG_FIRST: Publish = Publish {
    flag_first: true,
    store: Ordering::SeqCst,
    load: Ordering::SeqCst,
};
/// The value written before the flag, but the flag `Relaxed`: no execution reads a wrong value
/// in a sequentially consistent build, yet nothing orders the write before the read.
const RELAXED: Publish = Publish {
    flag_first: false,
    store: Ordering::Relaxed,
    load: Ordering::Relaxed,
};

struct Lazy {
    ready: AtomicBool,
    init: Mutex<()>,
    value: UnsafeCell<usize>,
}

// SAFETY: `value` is written once, under `init`, before `ready` is raised (in the fixed twin).
unsafe impl Sync for Lazy {}

impl Lazy {
    fn new() -> Self {
        Lazy {
            ready: AtomicBool::named("ready", false),
            init: Mutex::named("init", ()),
            value: UnsafeCell::named("value", 0),
        }
    }

    fn get(&self, how: Publish) -> usize {
        if self.ready.load(how.load) {
            return self.value.with(|p| unsafe { *p });
        }
        let _init = self.init.lock().unwrap();
        if !self.ready.load(Ordering::Relaxed) {
            if how.flag_first {
                self.ready.store(true, how.store);
            }
            self.value.with_mut(|p| unsafe { *p = 42 });
            if !how.flag_first {
                self.ready.store(true, how.store);
            }
        }
        self.value.with(|p| unsafe { *p })
    }
}

/// Two threads ask for the value.
fn two_readers(how: Publish) {
    let lazy = Arc::new(Lazy::new());
    let other = {
        let lazy = lazy.clone();
        thread::spawn_named("second", move || lazy.get(how))
    };
    let mine = thread::play("first", || lazy.get(how));
    assert_eq!(other.join().unwrap(), 42);
    assert_eq!(mine, 42);
}

/// The modes this build explores in.
fn modes() -> Vec<Mode> {
    if cfg!(loom) {
        vec![Mode::Exhaustive]
    } else {
        vec![Mode::Random, Mode::Pct, Mode::Bounded]
    }
}

fn report(mode: Mode, how: Publish) -> Report {
    Check::new()
        .mode(mode)
        .schedules(2_000)
        .report(move || two_readers(how))
        .unwrap_or_else(|e| panic!("{mode:?}: {e}"))
}

fn assert_race(mode: Mode, how: Publish) -> Report {
    let report = report(mode, how);
    assert_eq!(
        report.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::DataRace),
        "{mode:?} {how:?}: {report}"
    );
    report
}

#[test]
fn a_flag_raised_before_the_value_is_written_is_a_data_race_in_every_mode() {
    for mode in modes() {
        let report = assert_race(mode, FLAG_FIRST);
        let race = report
            .failure
            .as_ref()
            .and_then(|f| f.snapshot.race.as_ref());
        let race = race.unwrap_or_else(|| panic!("{mode:?}: the race's accesses: {report}"));
        let earlier = race.earlier.as_ref().expect("the earlier access");
        // One of the two accesses writes; the two come from different threads; both name their
        // place in this file and their step in the trace.
        assert!(earlier.write || race.later.write, "{race:?}");
        assert_ne!(earlier.thread, race.later.thread, "{race:?}");
        for access in [earlier, &race.later] {
            assert!(
                access
                    .place
                    .starts_with("crates/interleave-check/tests/data_races.rs:")
                    || access.place.starts_with("tests/data_races.rs:"),
                "{mode:?}: {access:?}"
            );
            let step = access.step.unwrap_or_else(|| panic!("a step: {access:?}"));
            let trace = &report.failure.as_ref().unwrap().snapshot.trace;
            let row = &trace.steps[step];
            assert_eq!(
                trace.threads[row.thread], access.thread,
                "{mode:?}: {trace:?}"
            );
            assert_eq!(row.object, "value", "{mode:?}");
        }
        let text = report.to_string();
        assert!(text.contains("data race on value"), "{text}");
        assert!(text.contains("nothing orders the two"), "{text}");
    }
}

/// The fixed twin: the value written, then the flag raised with `Release` and read with
/// `Acquire`. No mode may flag it.
#[test]
fn the_value_published_by_release_and_acquire_is_no_race() {
    for mode in modes() {
        let report = report(mode, FIXED);
        assert!(report.failure.is_none(), "{mode:?}: {report}");
    }
}

/// With the flag `Relaxed`, every value read is right in a sequentially consistent build, and
/// the race is caught all the same.
#[test]
fn a_relaxed_flag_is_a_data_race_even_where_every_value_comes_out_right() {
    for mode in modes() {
        assert_race(mode, RELAXED);
    }
}

/// A lock orders the accesses it guards, and a join orders what the joined thread did before
/// what the joiner does after: neither is a race; the same accesses with the lock left out are.
#[test]
fn locks_and_joins_order_accesses_and_their_absence_is_caught() {
    struct Shared {
        lock: Mutex<()>,
        cell: UnsafeCell<usize>,
    }
    // SAFETY: the test's point: whether every access holds `lock` is what is checked.
    unsafe impl Sync for Shared {}
    let program = |locked: bool| {
        move || {
            let shared = Arc::new(Shared {
                lock: Mutex::named("lock", ()),
                cell: UnsafeCell::named("cell", 0),
            });
            let t = {
                let shared = shared.clone();
                thread::spawn(move || {
                    let _held = locked.then(|| shared.lock.lock().unwrap());
                    shared.cell.with_mut(|p| unsafe { *p += 1 });
                })
            };
            {
                let _held = locked.then(|| shared.lock.lock().unwrap());
                shared.cell.with_mut(|p| unsafe { *p += 1 });
            }
            t.join().unwrap();
            assert_eq!(shared.cell.with(|p| unsafe { *p }), 2);
        }
    };
    for mode in modes() {
        let check = || Check::new().mode(mode).schedules(500);
        let locked = check().report(program(true)).unwrap();
        assert!(locked.failure.is_none(), "{mode:?}: {locked}");
        let unlocked = check().report(program(false)).unwrap();
        assert_eq!(
            unlocked.failure.as_ref().and_then(|f| f.verdict()),
            Some(Verdict::DataRace),
            "{mode:?}: {unlocked}"
        );
    }
}

/// What a user reads: the racing accesses marked in the trace table (a snapshot per build).
#[test]
fn the_two_accesses_are_marked_in_the_trace() {
    let report = report(modes()[0], FLAG_FIRST);
    let table = report.trace_table().expect("a trace").to_string();
    assert!(table.contains("◀ write, not ordered before…"), "{table}");
    assert!(table.contains("◀ …this read: data race"), "{table}");
    insta::assert_snapshot!(
        format!("a_flag_raised_first_{}", interleave_check::sync::BACKEND),
        table
    );
}

/// A `Release` store followed by a `Relaxed` one to the same flag: a reader that sees the second
/// value is not ordered after the writer's earlier write (a plain store, even by the same thread,
/// ends the release sequence). The shuttle build's clocks see it; the loom build's own clocks
/// keep every release of an atomic (loom may let a load read an older store) and miss it, and
/// loom's own cell check catches it, reported as found by loom. The control: the second store
/// `Release` too.
#[test]
fn a_release_sequence_ended_by_a_relaxed_store_is_a_race() {
    struct Slot(UnsafeCell<usize>);
    // SAFETY: the test's point.
    unsafe impl Sync for Slot {}
    let program = |second: Ordering| {
        move || {
            let flag = Arc::new(AtomicUsize::named("flag", 0));
            let slot = Arc::new(Slot(UnsafeCell::named("slot", 0)));
            let reader = {
                let (flag, slot) = (flag.clone(), slot.clone());
                thread::spawn_named("reader", move || {
                    if flag.load(Ordering::Acquire) == 2 {
                        slot.0.with(|p| unsafe { *p });
                    }
                })
            };
            slot.0.with_mut(|p| unsafe { *p = 1 });
            flag.store(1, Ordering::Release);
            flag.store(2, second);
            reader.join().unwrap();
        }
    };
    for mode in modes() {
        let check = || Check::new().mode(mode).schedules(500);
        let racy = check().report(program(Ordering::Relaxed)).unwrap();
        let race = racy.failure.as_ref().and_then(|f| f.snapshot.race.as_ref());
        let race = race.unwrap_or_else(|| panic!("{mode:?}: {racy}"));
        assert_eq!(race.by_loom, cfg!(loom), "{mode:?}: {racy}");
        assert_eq!(race.later.thread, "reader", "{mode:?}: {racy}");
        let fixed = check().report(program(Ordering::Release)).unwrap();
        assert!(fixed.failure.is_none(), "{mode:?}: {fixed}");
    }
}

/// Bounded mode with its states cached finds the races too (the clocks are not part of a
/// state's fingerprint, but every access to a cell is: two executions that reach one state
/// have made the same accesses), and passes the fixed twin.
#[test]
#[cfg(shuttle)]
fn bounded_mode_with_states_cached_finds_them_too() {
    let cached = |how: Publish| {
        Check::new()
            .mode(Mode::Bounded)
            .state_caching(true)
            .report(move || two_readers(how))
            .unwrap()
    };
    for how in [FLAG_FIRST, RELAXED] {
        let report = cached(how);
        assert_eq!(
            report.failure.as_ref().and_then(|f| f.verdict()),
            Some(Verdict::DataRace),
            "{how:?}: {report}"
        );
    }
    let fixed = cached(FIXED);
    assert!(fixed.failure.is_none(), "{fixed}");
}
