//! The closure API as a user meets it: one call on a closure, in whichever build runs the test.
//! Each check that correct code passes has its control beside it, a buggy twin that the explored
//! builds must catch (real runs may or may not meet the bad schedule, so there the twin only
//! asserts what it may).

use interleave_check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use interleave_check::sync::{thread, Arc, Mutex};
#[cfg(any(loom, shuttle))]
use interleave_check::Verdict;
use interleave_check::{Check, CheckError, Mode, Outcome};

/// Two threads add one each; `racy` reads then writes, the fix adds in one step.
fn two_increments(racy: bool) -> Outcome {
    let n = Arc::new(AtomicUsize::named("n", 0));
    let add = {
        let n = n.clone();
        move || {
            if racy {
                let seen = n.load(SeqCst);
                n.store(seen + 1, SeqCst);
            } else {
                n.fetch_add(1, SeqCst);
            }
        }
    };
    let other = thread::spawn_named("other", add.clone());
    add();
    other.join().unwrap();
    Outcome::new().with("n", n.load(SeqCst) as i64)
}

/// Runs the ignored test `test` of this binary in a process of its own, with `env` set: whether
/// it passed, and everything it printed (standard output, then standard error).
fn in_a_process_of_its_own(test: &str, env: &[(&str, &std::ffi::OsStr)]) -> (bool, String) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            test,
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn both_counted(outcome: &Outcome) -> Result<(), String> {
    match outcome.value("n") {
        2 => Ok(()),
        n => Err(format!("n is {n}, not 2")),
    }
}

#[test]
fn a_correct_counter_passes_in_every_build() {
    let report = Check::new()
        .final_state(both_counted)
        .run(|| two_increments(false));
    assert_eq!(report.outcomes.len(), 1, "{report}");
}

#[test]
#[cfg(any(loom, shuttle))]
#[should_panic(expected = "lost update: n is 1, not 2")]
fn a_racy_counter_panics_with_its_lost_update() {
    Check::new()
        .final_state(both_counted)
        .run(|| two_increments(true));
}

/// The reachable final states, collected from the closure's return value.
#[test]
#[cfg(loom)]
fn the_reachable_final_states_are_collected() {
    let finals = |racy| {
        let report = Check::new().report(move || two_increments(racy)).unwrap();
        let values: Vec<i64> = report.outcomes.iter().map(|o| o.value("n")).collect();
        values
    };
    assert_eq!(finals(true), vec![1, 2]);
    assert_eq!(finals(false), vec![2]);
}

/// Two threads take two locks in opposite orders.
fn opposite_orders(ordered: bool) {
    let (a, b) = (
        Arc::new(Mutex::named("A", ())),
        Arc::new(Mutex::named("B", ())),
    );
    let other = {
        let (a, b) = (a.clone(), b.clone());
        thread::spawn_named("other", move || {
            if ordered {
                let _a = a.lock().unwrap();
                let _b = b.lock().unwrap();
            } else {
                let _b = b.lock().unwrap();
                let _a = a.lock().unwrap();
            }
        })
    };
    {
        let _a = a.lock().unwrap();
        let _b = b.lock().unwrap();
    }
    other.join().unwrap();
}

#[test]
fn locks_taken_in_one_order_never_deadlock() {
    interleave_check::check(|| opposite_orders(true));
}

#[test]
#[cfg(any(loom, shuttle))]
#[should_panic(expected = "waits for A, held by main")]
fn locks_taken_in_opposite_orders_deadlock_with_the_cycle_named() {
    interleave_check::check(|| opposite_orders(false));
}

/// Threads spawned without a name are called as loom numbers them, in spawn order, even when the
/// second is spawned before the first has started: each has its own name and column.
#[test]
#[cfg(any(loom, shuttle))]
fn unnamed_threads_spawned_back_to_back_have_names_of_their_own() {
    let report = Check::new()
        .report(|| {
            let (a, b) = (
                Arc::new(Mutex::named("A", ())),
                Arc::new(Mutex::named("B", ())),
            );
            let first = {
                let (a, b) = (a.clone(), b.clone());
                thread::spawn(move || {
                    let _a = a.lock().unwrap();
                    let _b = b.lock().unwrap();
                })
            };
            let second = thread::spawn(move || {
                let _b = b.lock().unwrap();
                let _a = a.lock().unwrap();
            });
            first.join().unwrap();
            second.join().unwrap();
        })
        .unwrap();
    let text = report.to_string();
    assert_eq!(
        report.failure.as_ref().unwrap().verdict(),
        Some(Verdict::Deadlock)
    );
    let header = text
        .lines()
        .find(|line| line.trim_start().starts_with("step "))
        .unwrap_or_else(|| panic!("no trace header in:\n{text}"));
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(columns, ["step", "main", "thread-1", "thread-2"], "{text}");
}

/// A failed `assert!` is the verdict `panic`, and the report is a value for tools.
#[test]
#[cfg(any(loom, shuttle))]
fn a_failed_assert_is_a_panic_verdict_in_the_report() {
    let report = Check::new()
        .report(|| {
            let outcome = two_increments(true);
            assert_eq!(outcome.value("n"), 2, "an increment was lost");
        })
        .unwrap();
    assert_eq!(
        report.failure.as_ref().unwrap().verdict(),
        Some(Verdict::Panic)
    );
    assert!(
        report.to_string().contains("an increment was lost"),
        "{report}"
    );
    assert_eq!(report.json()["observed"], "panic");
}

#[test]
fn a_mode_the_build_lacks_is_an_error_not_a_verdict() {
    let other = if cfg!(loom) {
        Mode::Portfolio
    } else {
        Mode::Exhaustive
    };
    let err = Check::new().mode(other).report(|| ()).unwrap_err();
    assert!(matches!(err, CheckError::ModeUnavailable { .. }), "{err}");
    assert!(err.to_string().contains("RUSTFLAGS"), "{err}");
}

/// A sampled failure replays exactly from the schedule its report prints; a schedule of other
/// code does not fit.
#[test]
#[cfg(shuttle)]
fn a_sampled_failure_replays_from_its_schedule() {
    let check = Check::new().final_state(both_counted);
    let found = check.report(|| two_increments(true)).unwrap();
    let schedule = found.failure.as_ref().unwrap().schedule.clone().unwrap();
    assert!(
        found.to_string().contains("--test ") && found.to_string().contains(&schedule),
        "{found}"
    );
    let replayed = check.replay(&schedule, || two_increments(true)).unwrap();
    assert_eq!(
        replayed.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::LostUpdate),
        "{replayed}"
    );
    let unfit = check.replay(&schedule, || opposite_orders(true));
    assert!(
        matches!(unfit, Err(CheckError::ScheduleDoesNotFit(_))),
        "{unfit:?}"
    );
}

/// A watcher hears how far the check has got, last of all its final count.
#[test]
fn a_progress_watcher_hears_the_final_count() {
    use std::sync::Mutex as StdMutex;
    let heard = Arc::new(StdMutex::new(Vec::new()));
    let report = {
        let heard = heard.clone();
        Check::new()
            .on_progress(move |p| heard.lock().unwrap().push(p.clone()))
            .run(|| two_increments(false))
    };
    let heard = heard.lock().unwrap();
    let last = heard.last().expect("the watcher heard at least the end");
    assert_eq!(last.executions, report.executions, "{heard:?}");
    assert_eq!(last.mode, report.mode);
    assert!(
        heard.windows(2).all(|w| w[0].executions <= w[1].executions),
        "{heard:?}"
    );
    if cfg!(loom) {
        assert!(heard.iter().any(|p| p.bound == Some(0)), "{heard:?}");
    }
}

/// A build that runs every atomic as `SeqCst` (shuttle) says so, once, where the code asks for
/// weaker orderings, whether the check passes or fails; code on `SeqCst` alone gets no such
/// note (the control).
#[test]
#[cfg(shuttle)]
fn the_shuttle_build_says_it_cannot_check_weak_orderings() {
    use interleave_check::sync::atomic::Ordering::{Acquire, Relaxed, Release};
    let weak = |fail: bool| {
        Check::new()
            .report(move || {
                let a = Arc::new(AtomicUsize::new(0));
                let t = {
                    let a = a.clone();
                    thread::spawn(move || a.store(1, Release))
                };
                let seen = a.load(Acquire);
                a.fetch_add(1, Relaxed);
                t.join().unwrap();
                assert!(!fail || seen == 2, "a failing check");
            })
            .unwrap()
    };
    let says = "the orderings Acquire, Relaxed and Release, which this build runs as SeqCst";
    let passing = weak(false);
    assert!(passing.failure.is_none(), "{passing}");
    assert!(passing.to_string().contains(says), "{passing}");
    let failing = weak(true);
    assert!(failing.failure.is_some(), "{failing}");
    assert!(failing.to_string().contains(says), "{failing}");
    let seq_cst = Check::new().report(|| two_increments(false)).unwrap();
    assert!(seq_cst.blind_to_orderings().is_none(), "{seq_cst}");
}

/// The replay line names the test that printed it, whatever the report calls the check, so that
/// `interleave replay --test` and `cargo test` find it.
#[test]
#[cfg(shuttle)]
fn the_replay_line_names_the_test_whatever_the_check_is_called() {
    let report = Check::new()
        .name("two adders, my own name for them")
        .mode(Mode::Random)
        .final_state(both_counted)
        .report(|| two_increments(true))
        .unwrap();
    let schedule = report.failure.as_ref().and_then(|f| f.schedule.clone());
    let schedule = schedule.unwrap_or_else(|| panic!("a schedule: {report}"));
    assert_eq!(
        report.replay_command().as_deref(),
        Some(
            format!(
                "interleave replay --test the_replay_line_names_the_test_whatever_the_check_is_called {schedule}"
            )
            .as_str()
        ),
        "{report}"
    );
    assert!(
        report
            .to_string()
            .contains("two adders, my own name for them"),
        "{report}"
    );
}

/// Run in a process of its own by `a_replay_reproduces_its_failure_or_fails`, with
/// `INTERLEAVE_REPLAY` set: the racy adders, their final state checked or not.
#[test]
#[ignore = "run by a_replay_reproduces_its_failure_or_fails, in a process of its own"]
fn replayed_adders_checked() {
    Check::new()
        .mode(Mode::Random)
        .final_state(both_counted)
        .run(|| two_increments(true));
}

#[test]
#[ignore = "run by a_replay_reproduces_its_failure_or_fails, in a process of its own"]
fn replayed_adders_unchecked() {
    Check::new().mode(Mode::Random).run(|| two_increments(true));
}

/// A replayed schedule must show the failure it was printed for: `Check::run` fails when the
/// replay reproduces nothing (here: the same schedule, the final state no longer checked), and
/// `Check::report` reads `INTERLEAVE_REPLAY` as `run` does. The control: the checked twin's
/// replay reproduces the lost update, and writes its page where `INTERLEAVE_HTML` says.
#[test]
#[cfg(shuttle)]
fn a_replay_reproduces_its_failure_or_fails() {
    let report = Check::new()
        .mode(Mode::Random)
        .final_state(both_counted)
        .report(|| two_increments(true))
        .unwrap();
    let schedule = report.failure.and_then(|f| f.schedule).expect("a schedule");
    let page = std::env::temp_dir().join(format!("interleave-replay-{}.html", std::process::id()));
    let replay = |test: &str| {
        in_a_process_of_its_own(
            test,
            &[
                ("INTERLEAVE_REPLAY", schedule.as_ref()),
                ("INTERLEAVE_HTML", page.as_os_str()),
            ],
        )
    };
    let (passed, text) = replay("replayed_adders_unchecked");
    assert!(!passed, "{text}");
    assert!(
        text.contains("the replayed schedule reproduced no failure"),
        "{text}"
    );
    let (passed, text) = replay("replayed_adders_checked");
    assert!(!passed, "{text}");
    assert!(
        text.contains("lost-update reproduced by the replayed schedule"),
        "{text}"
    );
    // INTERLEAVE_HTML (`interleave replay --test … --html FILE`): the replay's page.
    let html = std::fs::read_to_string(&page).expect("the replay's page");
    let _ = std::fs::remove_file(&page);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("lost-update"), "{html}");
}

/// Outside a test (a program's `main`), there is no test to name: the replay line says how to
/// replay through the environment rather than `interleave replay --test the check`, and the
/// report names the program.
#[test]
#[cfg(shuttle)]
fn outside_a_test_the_replay_line_uses_the_environment() {
    let report = std::thread::Builder::new()
        .name("main".to_string())
        .spawn(|| {
            Check::new()
                .mode(Mode::Random)
                .final_state(both_counted)
                .report(|| two_increments(true))
                .unwrap()
        })
        .unwrap()
        .join()
        .unwrap();
    let line = report
        .replay_command()
        .unwrap_or_else(|| panic!("{report}"));
    assert!(line.starts_with("INTERLEAVE_REPLAY=9"), "{line}");
    assert!(!line.contains("the check"), "{line}");
    // And the report calls the check after the program that ran it (this test binary).
    assert!(
        report.to_string().starts_with("the check in closure_api"),
        "{report}"
    );
}

/// Run in a process of its own by `only_the_checks_own_replay_line_is_printed`: a failing check.
#[test]
#[ignore = "run by only_the_checks_own_replay_line_is_printed, in a process of its own"]
fn a_failing_check_in_a_process_of_its_own() {
    Check::new()
        .mode(Mode::Random)
        .final_state(both_counted)
        .run(|| two_increments(true));
}

/// A failing check prints its report and its own replay line, and nothing of shuttle's: no
/// "failing schedule … pass that string to `shuttle::replay`" (a schedule that replays the last
/// execution run, not the failing one) and no "Tried to get ExecutionState".
#[test]
#[cfg(shuttle)]
fn only_the_checks_own_replay_line_is_printed() {
    let (passed, text) = in_a_process_of_its_own("a_failing_check_in_a_process_of_its_own", &[]);
    assert!(!passed, "{text}");
    assert!(text.contains("interleave replay --test"), "{text}");
    assert!(!text.contains("shuttle::replay"), "{text}");
    assert!(!text.contains("ExecutionState"), "{text}");
}

/// Run in a process of its own by `a_search_prints_nothing_of_shuttles_own`: a panic in a
/// spawned thread, in the main thread, and a hang, each met by many schedules of a search.
#[test]
#[ignore = "run by a_search_prints_nothing_of_shuttles_own, in a process of its own"]
fn failures_of_every_kind_in_a_process_of_its_own() {
    for mode in [Mode::Random, Mode::Bounded] {
        let child_panics = Check::new().mode(mode).report(|| {
            let t = thread::spawn(|| panic!("the child fails"));
            let _ = t.join();
        });
        let main_panics = Check::new().mode(mode).report(|| {
            let n = Arc::new(AtomicUsize::new(0));
            let m = n.clone();
            let t = thread::spawn(move || m.store(1, SeqCst));
            assert_eq!(n.load(SeqCst), 0, "the store came first");
            t.join().unwrap();
        });
        let hangs = Check::new().mode(mode).report(|| {
            let pair = Arc::new((Mutex::new(false), interleave_check::sync::Condvar::new()));
            let p = pair.clone();
            let t = thread::spawn(move || {
                let ready = p.0.lock().unwrap();
                drop(p.1.wait_while(ready, |r| !*r).unwrap());
            });
            t.join().unwrap();
        });
        for report in [child_panics, main_panics, hangs] {
            assert!(report.unwrap().failure.is_some());
        }
    }
}

/// shuttle prints a line of its own for each execution that panics in a task ("test panicked
/// in task …") or that it finds stuck ("Test deadlocked, and SHUTTLE_CAPTURE_BACKTRACE is not
/// set…"): the checker stops such executions itself, so that standard error holds the reports
/// alone.
#[test]
#[cfg(shuttle)]
fn a_search_prints_nothing_of_shuttles_own() {
    let (passed, text) =
        in_a_process_of_its_own("failures_of_every_kind_in_a_process_of_its_own", &[]);
    assert!(passed, "{text}");
    assert!(!text.contains("test panicked in task"), "{text}");
    assert!(!text.contains("Test deadlocked"), "{text}");
}

/// Run in a process of its own by `a_passing_check_says_what_it_verified`.
#[test]
#[ignore = "run by a_passing_check_says_what_it_verified, in a process of its own"]
fn a_passing_check_in_a_process_of_its_own() {
    Check::new().run(|| two_increments(false));
}

/// A passing check says what it verified, on one line, where the test's output is shown
/// (`--nocapture`): in every build, its name and its summary.
#[test]
fn a_passing_check_says_what_it_verified() {
    let (passed, text) = in_a_process_of_its_own("a_passing_check_in_a_process_of_its_own", &[]);
    assert!(passed, "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("a_passing_check_in_a_process_of_its_own: ok"))
        .unwrap_or_else(|| panic!("no summary line: {text}"));
    let says = if cfg!(loom) {
        "no bug found by loom's search"
    } else if cfg!(shuttle) {
        "sampled"
    } else {
        "runs"
    };
    assert!(line.contains(says), "{line}");
}

/// An exploration the time limit cuts short says how many executions it ran, the same count
/// as the report's, beside those of the bound it was at (which it used to give alone).
#[test]
#[cfg(shuttle)]
fn a_cut_short_exploration_counts_what_the_report_counts() {
    let report = Check::new()
        .mode(Mode::Bounded)
        .preemptions(12)
        .time_limit(std::time::Duration::from_millis(300))
        .report(|| {
            let n = Arc::new(AtomicUsize::named("n", 0));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let n = n.clone();
                    thread::spawn(move || {
                        for _ in 0..12 {
                            n.fetch_add(1, SeqCst);
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        })
        .unwrap();
    let text = report.to_string();
    assert!(text.contains("incomplete"), "{text}");
    assert!(
        text.contains(&format!("{} in all", report.executions)),
        "{text}"
    );
}
