//! Verdicts a user can trust on code nobody tuned the checker for: a sweep of every variant over
//! many seeds (no model crashes on an interleaving its variant allows), a panic of the checked
//! code is a failure verdict with its trace, a randomized `ok` says it is a sample, the time limit
//! is kept, and the final states say the bound they were gathered at.

#[macro_use]
mod common;

#[allow(unused_imports)]
use interleave::explore::{check, Check, Mode, Observed, Params, Plan, Verdict};
#[allow(unused_imports)]
use interleave::models;

/// Every variant of every model under uniform random and PCT schedules, each of the seeds 1 to 50
/// checked on its own (so that a broken invariant found by one seed cannot hide a crash found by
/// another): a fixed variant never fails, and no variant crashes (a `panic` verdict, or an
/// `error`); a buggy one may show another of its failures, but never a crash.
#[cfg(shuttle)]
#[test]
fn no_variant_crashes_or_fails_wrongly_over_fifty_seeds() {
    let mut wrong = Vec::new();
    for model in models::ALL {
        let params = Params::for_model(model, Mode::Random, &[]).unwrap();
        for variant in model.variants {
            for (seed, mode) in (1..=50).flat_map(|s| [(s, Mode::Random), (s, Mode::Pct)]) {
                let mut plan = Plan::new(mode);
                plan.seeds = Some(seed..seed + 1);
                plan.per_seed = 10;
                plan.workers = 1;
                let report = check(model, variant, &params, &plan).unwrap();
                let fine = match report.observed() {
                    Observed::Verdict(Verdict::Pass) => true,
                    Observed::Verdict(Verdict::Panic) => report.expected() == Verdict::Panic,
                    Observed::Verdict(_) => report.expected() != Verdict::Pass,
                    _ => false,
                };
                if !fine {
                    wrong.push(format!("seed {seed}: {report}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Two threads add one to a shared total, each with a load then a store (or, the control, under
/// a lock), and the main thread asserts, with a plain `assert_eq!`, that both counted.
#[cfg(any(loom, shuttle))]
fn add_twice(locked: bool) {
    use interleave::sync::atomic::{AtomicUsize, Ordering};
    use interleave::sync::{thread, Arc, Mutex};
    let total = Arc::new(AtomicUsize::named("total", 0));
    let lock = Arc::new(Mutex::named("the lock", ()));
    let adders: Vec<_> = ["adder-1", "adder-2"]
        .into_iter()
        .map(|name| {
            let (total, lock) = (total.clone(), lock.clone());
            thread::spawn_named(name, move || {
                let _held = locked.then(|| lock.lock().unwrap());
                let seen = total.load(Ordering::SeqCst);
                total.store(seen + 1, Ordering::SeqCst);
            })
        })
        .collect();
    adders.into_iter().for_each(|t| t.join().unwrap());
    assert_eq!(total.load(Ordering::SeqCst), 2, "both increments count");
}

/// A failed `assert!` of the checked code is a `panic` verdict, found in every explored mode, with
/// the assertion's words, the thread that failed it, its trace and (randomized) its replay; the
/// same code under a lock is `ok`.
#[cfg(any(loom, shuttle))]
#[test]
fn a_failed_assert_is_a_panic_verdict_with_its_trace() {
    let modes: &[Mode] = if cfg!(loom) {
        &[Mode::Exhaustive]
    } else {
        &[Mode::Random, Mode::Pct, Mode::Portfolio]
    };
    for &mode in modes {
        for (locked, expected) in [(false, Verdict::Panic), (true, Verdict::Pass)] {
            let check = Check::new().mode(mode).schedules(200).pct_depth(2);
            let report = check.report(move || add_twice(locked)).unwrap();
            assert_eq!(
                report.observed(),
                Observed::Verdict(expected),
                "{mode}: {report}"
            );
            let Some(failure) = &report.failure else {
                continue;
            };
            assert!(
                failure.message().contains("both increments count"),
                "{report}"
            );
            assert_eq!(failure.thread.as_deref(), Some("main"), "{report}");
            assert!(report.trace_table().is_some(), "{report}");
            if mode != Mode::Exhaustive {
                let schedule = failure.schedule.clone().expect("a schedule to replay");
                let replayed = check.replay(&schedule, move || add_twice(locked)).unwrap();
                assert_eq!(replayed.observed(), report.observed(), "{replayed}");
            }
        }
    }
}

/// The real-mode watchdog reports `stuck` only when the run stopped making progress: a run that
/// computes past several windows is slow, and ends `ok`; one whose threads are all blocked is
/// stuck after a window.
#[cfg(not(any(loom, shuttle)))]
#[test]
fn the_watchdog_tells_a_slow_run_from_a_stuck_one() {
    use interleave::sync::{thread, Mutex};
    use std::time::Duration;
    use std::time::Instant;
    let check = Check::new().runs(1).watchdog(Duration::from_millis(100));
    // Computes for two and a half watchdog windows, then ends.
    let slow = check
        .report(|| {
            let worker = thread::spawn_named("worker", || {
                let start = Instant::now();
                let mut x = 0u64;
                while start.elapsed() < Duration::from_millis(250) {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                }
            });
            worker.join().unwrap();
        })
        .unwrap();
    assert_eq!(slow.observed(), Observed::Verdict(Verdict::Pass), "{slow}");
    // Takes its own lock twice.
    let stuck = check
        .report(|| {
            let lock = Mutex::named("the lock", ());
            let _first = lock.lock().unwrap();
            let _second = lock.lock().unwrap();
        })
        .unwrap();
    assert_eq!(stuck.observed(), Observed::Stuck, "{stuck}");
    assert!(stuck.summary().contains("used no CPU"), "{stuck}");
}

/// Ten threads: `thread-0` takes twenty steps, then raises a flag; `thread-9`, spawned first,
/// asserts at its first step that the flag is down. The assertion fails only if `thread-0` runs
/// all its steps before `thread-9` takes one: never in the fair schedule (spawn order), a depth-1
/// bug for PCT (it runs `thread-0` to its end whenever `thread-0` has the higher priority), about
/// one chance in a million for a uniform random schedule.
#[cfg(shuttle)]
fn race() {
    use interleave::sync::atomic::{AtomicUsize, Ordering};
    use interleave::sync::{thread, Arc};
    let flag = Arc::new(AtomicUsize::named("flag", 0));
    let mut threads = Vec::new();
    for i in std::iter::once(9).chain(0..9) {
        let flag = flag.clone();
        threads.push(thread::spawn_named(
            format!("thread-{i}"),
            move || match i {
                0 => {
                    for _ in 0..20 {
                        flag.load(Ordering::SeqCst);
                    }
                    flag.store(1, Ordering::SeqCst);
                }
                9 => assert_eq!(
                    flag.load(Ordering::SeqCst),
                    0,
                    "last ran before first ended"
                ),
                _ => {
                    for _ in 0..5 {
                        flag.load(Ordering::SeqCst);
                    }
                }
            },
        ));
    }
    threads.into_iter().for_each(|t| t.join().unwrap());
}

/// Uniform random misses what PCT finds at once; the portfolio finds it; and the random `ok` says
/// that it is a sample, not a proof.
#[cfg(shuttle)]
#[test]
fn the_portfolio_finds_what_pct_finds_and_a_sampled_ok_is_no_proof() {
    let run = |mode| {
        Check::new()
            .mode(mode)
            .schedules(400)
            .pct_depth(1)
            .report(race)
            .unwrap()
    };
    let random = run(Mode::Random);
    assert_eq!(
        random.observed(),
        Observed::Verdict(Verdict::Pass),
        "{random}"
    );
    assert!(
        random.summary().contains("sampling is not proof"),
        "{random}"
    );
    for mode in [Mode::Pct, Mode::Portfolio] {
        let report = run(mode);
        assert_eq!(
            report.observed(),
            Observed::Verdict(Verdict::Panic),
            "{report}"
        );
    }
}

/// A size past loom's thread limit is refused with what to do instead, not explored wrongly.
#[cfg(loom)]
#[test]
fn a_size_past_loom_s_thread_limit_is_refused_with_advice() {
    let model = &models::counter::MODEL;
    let params = Params::for_model(model, Mode::Exhaustive, &[("threads", 5)]).unwrap();
    let error = check(
        model,
        model.variant("racy").unwrap(),
        &params,
        &Plan::new(Mode::Exhaustive),
    )
    .expect_err("five incrementers are past loom's limit");
    assert!(error.contains("--mode portfolio"), "{error}");
    // The control: at four threads the same check runs.
    let params = Params::for_model(model, Mode::Exhaustive, &[("threads", 4)]).unwrap();
    let mut plan = Plan::new(Mode::Exhaustive);
    plan.preemptions = Some(1);
    assert!(check(model, model.variant("racy").unwrap(), &params, &plan).is_ok());
}

/// A schedule of another model does not replay here: one error naming the mismatch.
#[cfg(shuttle)]
#[test]
fn a_schedule_of_another_model_is_refused() {
    let philosophers = &models::philosophers::MODEL;
    let (found, _) = common::find_then_replay(philosophers, "naive", Mode::Random);
    let schedule = found.failure.unwrap().schedule.unwrap();
    let counter = &models::counter::MODEL;
    let params = Params::for_model(counter, Mode::Random, &[]).unwrap();
    let error = interleave::explore::replay(
        counter,
        counter.variant("racy").unwrap(),
        &params,
        &schedule,
    )
    .expect_err("a philosophers schedule does not fit the counter");
    assert!(error.contains("does not fit"), "{error}");
}

/// Every explored mode keeps the time limit: a budget far too large for it ends `incomplete`,
/// having run only part of it.
#[cfg(any(loom, shuttle))]
#[test]
fn the_time_limit_is_kept_and_ends_incomplete() {
    let (model, variant, mode) = if cfg!(loom) {
        (&models::philosophers::MODEL, "ordered", Mode::Exhaustive)
    } else {
        (&models::counter::MODEL, "locked", Mode::Random)
    };
    let params = Params::for_model(model, mode, &[]).unwrap();
    let mut plan = Plan::new(mode);
    plan.preemptions = Some(6);
    plan.schedules = Some(100_000_000);
    plan.time_limit = Some(std::time::Duration::from_millis(500));
    let report = check(model, model.variant(variant).unwrap(), &params, &plan).unwrap();
    assert_eq!(report.observed(), Observed::Incomplete, "{report}");
    assert!(report.summary().contains("time limit"), "{report}");
}

/// The final states of a bounded search say the bound they were gathered at, never "every
/// reachable final state".
#[cfg(loom)]
#[test]
fn final_states_name_the_bound_they_were_gathered_at() {
    let model = &models::counter::MODEL;
    let params = Params::for_model(
        model,
        Mode::Exhaustive,
        &[("threads", 2), ("increments", 3)],
    )
    .unwrap();
    let mut plan = Plan::new(Mode::Exhaustive);
    plan.preemptions = Some(1);
    let report = check(model, model.variant("racy").unwrap(), &params, &plan).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("final states reached within preemption bound 1 ("),
        "{text}"
    );
    assert!(text.contains("may reach others"), "{text}");
}

/// What a student reads names threads and resources, never an internal id (`lock#12`), Rust's
/// debug output (`Some(9)`) or a place inside the facade: every report of every variant and
/// control, in the portfolio mode.
#[cfg(shuttle)]
#[test]
fn reports_speak_of_threads_and_resources_never_of_internals() {
    let leaks = |text: &str| -> Vec<String> {
        let mut found = Vec::new();
        let bytes = text.as_bytes();
        for (i, w) in bytes.windows(2).enumerate() {
            if w[0] == b'#' && w[1].is_ascii_digit() {
                found.push(text[i.saturating_sub(12)..(i + 3).min(text.len())].to_string());
            }
        }
        for word in ["Some(", "None)", "src/sync/", "src/../"] {
            if text.contains(word) {
                found.push(word.to_string());
            }
        }
        found
    };
    let mut wrong = Vec::new();
    for model in models::ALL {
        let params = Params::for_model(model, Mode::Portfolio, &[]).unwrap();
        for variant in model.variants.iter().chain(model.controls) {
            let report = check(model, variant, &params, &Plan::new(Mode::Portfolio)).unwrap();
            let text = report.to_string();
            let found = leaks(&text);
            if !found.is_empty() {
                wrong.push(format!("{found:?} in:\n{text}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A primitive made without a name is called by its kind and where it was made.
#[cfg(shuttle)]
#[test]
fn an_unnamed_primitive_is_called_by_where_it_was_made() {
    let report = Check::new()
        .report(|| {
            let lock = interleave::sync::Mutex::new(());
            let _first = lock.lock().unwrap();
            let _second = lock.lock().unwrap();
        })
        .unwrap();
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::Deadlock),
        "{report}"
    );
    let text = report.to_string();
    assert!(text.contains("the lock made at tests/trust.rs:"), "{text}");
}

/// What shuttle itself prints about its own settings (`SHUTTLE_CAPTURE_BACKTRACE is not set`…)
/// is not the student's business: a randomized check's standard error carries only the tool's
/// own line.
#[cfg(shuttle)]
#[test]
fn a_randomized_check_prints_nothing_of_shuttle_s_own() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args([
            "check",
            "counter",
            "racy",
            "--mode",
            "random",
            "--schedules",
            "50",
        ])
        .env("INTERLEAVE_DELEGATED", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("SHUTTLE_"), "{err}");
    assert!(!err.contains("test panicked in task"), "{err}");
    // The control: the report itself, on standard output, names the lost update.
    assert!(String::from_utf8_lossy(&out.stdout).contains("lost-update found"));
}
