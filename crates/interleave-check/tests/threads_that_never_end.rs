//! Threads that do not end with the others: a daemon thread (Python's `daemon=True`), here a
//! server that waits for work forever, which the run may cut off once every other thread is
//! done; and a barrier a thread can leave, so that the others' later rounds do not wait for it.
//! Each beside its control: the same server not marked a daemon is a hang, the same thread
//! ending without leaving the barrier leaves the others waiting, and a client with a bug is
//! still caught while the daemon serves it.

use interleave_check::sync::{Arc, Barrier, Condvar, Mutex};
use interleave_check::thread;
use interleave_check::{Check, Mode};

struct Shop {
    jobs: Mutex<Vec<u64>>,
    work: Condvar,
    results: Mutex<Vec<u64>>,
    done: Condvar,
}

/// A server squares every number put in `jobs`, forever; the client asks for two squares and
/// waits for both (or, with `waits_once`, for the first reply only: its bug).
fn serve_two_jobs(daemon: bool, waits_once: bool) {
    let shop = Arc::new(Shop {
        jobs: Mutex::named("the jobs", Vec::new()),
        work: Condvar::named("work to do"),
        results: Mutex::named("the results", Vec::new()),
        done: Condvar::named("a result"),
    });
    let server = shop.clone();
    thread::Builder::new()
        .name("server".into())
        .daemon(daemon)
        .spawn(move || loop {
            let job = {
                let mut jobs = server.jobs.lock().unwrap();
                while jobs.is_empty() {
                    jobs = server.work.wait(jobs).unwrap();
                }
                jobs.remove(0)
            };
            server.results.lock().unwrap().push(job * job);
            server.done.notify_all();
        })
        .unwrap();
    for n in [2, 3] {
        shop.jobs.lock().unwrap().push(n);
        shop.work.notify_one();
    }
    let mut results = shop.results.lock().unwrap();
    if waits_once {
        if results.len() < 2 {
            results = shop.done.wait(results).unwrap();
        }
    } else {
        while results.len() < 2 {
            results = shop.done.wait(results).unwrap();
        }
    }
    assert_eq!(*results, [4, 9], "the client read the results too early");
}

#[cfg(not(loom))]
fn check(mode: Mode, daemon: bool, waits_once: bool) -> interleave_check::Report {
    Check::new()
        .mode(mode)
        .schedules(300)
        .preemptions(2)
        .runs(20)
        .report(move || serve_two_jobs(daemon, waits_once))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The modes of this build that can cut a thread off (loom's cannot).
#[cfg(not(loom))]
fn modes() -> Vec<Mode> {
    match interleave_check::sync::BACKEND {
        "shuttle" => vec![Mode::Bounded, Mode::Random, Mode::Pct, Mode::Portfolio],
        _ => vec![Mode::Real],
    }
}

#[test]
#[cfg(not(loom))]
fn a_daemon_server_is_cut_off_when_its_clients_are_done() {
    for mode in modes() {
        let report = check(mode, true, false);
        assert!(report.failure.is_none(), "{report}");
    }
}

/// The control: the same server, not a daemon, never ends, and the explorers say so.
#[test]
#[cfg(shuttle)]
fn the_same_server_not_a_daemon_hangs() {
    for mode in modes() {
        let report = check(mode, false, false);
        let verdict = report.failure.as_ref().and_then(|f| f.verdict());
        assert_eq!(
            verdict,
            Some(interleave_check::Verdict::Hang),
            "{mode}: {report}"
        );
    }
}

/// A daemon does not hide the bugs of the threads it serves.
#[test]
#[cfg(shuttle)]
fn a_client_that_waits_for_one_reply_only_is_caught_beside_a_daemon() {
    for mode in modes() {
        let report = check(mode, true, true);
        let verdict = report.failure.as_ref().and_then(|f| f.verdict());
        assert_eq!(
            verdict,
            Some(interleave_check::Verdict::Panic),
            "{mode}: {report}"
        );
        assert!(
            report.to_string().contains("read the results too early"),
            "{report}"
        );
    }
}

/// loom's search cannot leave a thread unfinished: the check says so and names the mode that
/// can.
#[test]
#[cfg(loom)]
fn loom_sends_a_daemon_to_bounded_mode() {
    let error = Check::new()
        .report(|| serve_two_jobs(true, false))
        .expect_err("loom cannot cut a thread off");
    let words = error.to_string();
    assert!(words.contains("a daemon thread"), "{words}");
    assert!(words.contains("bounded mode"), "{words}");
}

/// Three threads meet at a barrier; `quitter` is done after one round and leaves (or, without
/// `leaves`, simply ends), while the two others go on to a second round.
fn one_thread_quits_after_a_round(leaves: bool) {
    let barrier = Arc::new(Barrier::named("the meeting", 3));
    let b = barrier.clone();
    let stayer = thread::spawn_named("stayer", move || {
        b.wait();
        b.wait();
    });
    let b = barrier.clone();
    let quitter = thread::spawn_named("quitter", move || {
        b.wait();
        if leaves {
            b.leave();
        }
    });
    barrier.wait();
    barrier.wait();
    stayer.join().unwrap();
    quitter.join().unwrap();
}

fn barrier_modes() -> Vec<Mode> {
    match interleave_check::sync::BACKEND {
        "shuttle" => vec![Mode::Bounded, Mode::Random, Mode::Portfolio],
        "loom" => vec![Mode::Exhaustive],
        _ => vec![Mode::Real],
    }
}

#[test]
fn a_thread_that_leaves_the_barrier_is_not_waited_for() {
    for mode in barrier_modes() {
        let report = Check::new()
            .mode(mode)
            .schedules(300)
            .runs(20)
            .report(|| one_thread_quits_after_a_round(true))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(report.failure.is_none(), "{report}");
    }
}

/// The control: without leaving, the second round waits for the thread that quit.
#[test]
#[cfg(any(loom, shuttle))]
fn a_thread_that_quits_without_leaving_is_waited_for_forever() {
    for mode in barrier_modes() {
        let report = Check::new()
            .mode(mode)
            .schedules(300)
            .report(|| one_thread_quits_after_a_round(false))
            .unwrap_or_else(|e| panic!("{e}"));
        let verdict = report.failure.as_ref().and_then(|f| f.verdict());
        assert_eq!(
            verdict,
            Some(interleave_check::Verdict::Hang),
            "{mode}: {report}"
        );
    }
}
