//! What a failure report tells the reader: the deadlock's cycle names the right threads and forks,
//! a lost update names the two writes that overwrote each other, a hang says who is blocked on
//! what, a deadlock among some threads is reported while others go on, the counterexample has
//! the fewest preemptions, and the JSON gives the same facts.

#![cfg(any(loom, shuttle))]

mod common;

use interleave::explore::{check, explain, Check, Mode, Model, Params, Plan, Report, Verdict};
use interleave::models;
use interleave::sync::{thread, Arc, Mutex};

fn failing(model: &'static Model, variant: &str, verdict: Verdict) -> Report {
    common::check_reaches(model, variant, verdict, &[])
}

/// Every link of the cycle is true of the snapshot and said in the words: "a waits for fork i,
/// held by b" where b holds fork i.
fn assert_cycle_is_told(report: &Report) {
    let failure = report.failure.as_ref().unwrap();
    let snapshot = &failure.snapshot;
    let cycle = snapshot.cycle.as_ref().expect("a deadlock has a cycle");
    let message = failure.message();
    for (i, who) in cycle.iter().enumerate() {
        let next = &cycle[(i + 1) % cycle.len()];
        let thread = snapshot.threads.iter().find(|t| &t.name == who).unwrap();
        let wanted = &thread.waits_for.as_ref().unwrap().resource;
        let holder = snapshot.threads.iter().find(|t| &t.name == next).unwrap();
        assert!(
            holder.holds.contains(wanted),
            "{next} holds {wanted}:\n{report}"
        );
        let link = format!("waits for {wanted}, held by {next}");
        assert!(
            message.contains(&link),
            "'{link}' in the message:\n{report}"
        );
    }
    let first = snapshot
        .threads
        .iter()
        .find(|t| t.name == cycle[0])
        .unwrap();
    assert!(
        message.starts_with(&format!("deadlock: {} holds {}", cycle[0], first.holds[0])),
        "{report}"
    );
}

#[test]
fn naive_philosophers_deadlock_is_told_fork_by_fork() {
    let report = failing(&models::philosophers::MODEL, "naive", Verdict::Deadlock);
    assert_cycle_is_told(&report);
    let cycle = report
        .failure
        .as_ref()
        .unwrap()
        .snapshot
        .cycle
        .clone()
        .unwrap();
    assert_eq!(cycle.len(), 5, "{report}");
    // Each philosopher's last step in the trace took the fork it still holds.
    let failure = report.failure.as_ref().unwrap();
    let trace = &failure.snapshot.trace;
    for t in failure.snapshot.blocked() {
        let column = trace.threads.iter().position(|n| *n == t.name).unwrap();
        let last = trace
            .steps
            .iter()
            .rev()
            .find(|s| s.thread == column)
            .unwrap();
        assert_eq!(
            (last.verb(), &last.object),
            ("lock", &t.holds[0]),
            "{report}"
        );
    }
    let table = report.trace_table().unwrap().to_string();
    assert!(table.contains("⏳ blocked on fork"), "{table}");
}

#[test]
fn racy_counter_names_the_two_overwriting_writes() {
    let report = failing(&models::counter::MODEL, "racy", Verdict::LostUpdate);
    let failure = report.failure.as_ref().unwrap();
    let trace = &failure.snapshot.trace;
    let o = explain::find_overwrite(trace).expect("a lost update overwrote a write");
    let (stale, lost, over) = (
        &trace.steps[o.stale_read],
        &trace.steps[o.lost_write],
        &trace.steps[o.overwriting_write],
    );
    assert_eq!(
        (stale.verb(), lost.verb(), over.verb()),
        ("load", "store", "store")
    );
    assert_eq!(stale.thread, over.thread, "{report}");
    assert_ne!(lost.thread, over.thread, "{report}");
    assert!(o.stale_read < o.lost_write && o.lost_write < o.overwriting_write);
    // The overwriting thread wrote what it had read plus one: the increment of a stale value.
    let value = |s: &interleave::sync::ledger::Step| s.value().unwrap().parse::<i64>().unwrap();
    assert_eq!(value(over), value(stale) + 1, "{report}");
    let words = report.overwrite_in_words().unwrap();
    let lost_thread = &trace.threads[lost.thread];
    assert!(
        words.ends_with(&format!("{lost_thread}'s update is lost")),
        "{words}"
    );
    let text = report.to_string();
    assert!(
        text.contains("◀ this write is lost") && text.contains("◀ overwrites it"),
        "{text}"
    );
}

#[test]
fn a_hang_says_who_waits_for_what_and_that_nobody_can_wake_them() {
    let report = failing(
        &models::queue_check_then_act::MODEL,
        "as-printed",
        Verdict::Hang,
    );
    let message = report.failure.as_ref().unwrap().message().to_string();
    assert!(
        message.contains("waits for an item in the queue")
            && message.contains("no running thread is left to wake them"),
        "{report}"
    );
    let table = report.trace_table().unwrap().to_string();
    assert!(
        table.contains("⏳ blocked on an item in the queue"),
        "{table}"
    );
}

/// Two threads take two locks in opposite orders while a third counts on and finishes: the
/// deadlock is reported as soon as the cycle closes, with the third thread going on beside it.
fn two_locks_and_a_bystander() {
    let locks = Arc::new((Mutex::named("lock x", ()), Mutex::named("lock y", ())));
    let (l1, l2) = (locks.clone(), locks.clone());
    let bystander = thread::spawn_named("bystander", || {
        for _ in 0..2 {
            thread::yield_now();
        }
    });
    let a = thread::spawn_named("A", move || {
        let _x = l1.0.lock().unwrap();
        let _y = l1.1.lock().unwrap();
    });
    let b = thread::spawn_named("B", move || {
        let _y = l2.1.lock().unwrap();
        let _x = l2.0.lock().unwrap();
    });
    bystander.join().unwrap();
    a.join().unwrap();
    b.join().unwrap();
}

#[test]
fn a_deadlock_of_some_threads_is_reported_while_others_go_on() {
    let report = Check::new()
        .schedules(200)
        .pct_depth(2)
        .expect(Verdict::Deadlock)
        .run(two_locks_and_a_bystander);
    assert_cycle_is_told(&report);
    let snapshot = &report.failure.as_ref().unwrap().snapshot;
    let mut cycle = snapshot.cycle.clone().unwrap();
    cycle.sort();
    assert_eq!(cycle, ["A", "B"], "{report}");
    // Some schedule closes the cycle before the bystander is done; the report says it goes on.
    let message = report.failure.as_ref().unwrap().message();
    assert!(
        message.contains("a partial deadlock: bystander"),
        "{report}"
    );
}

#[cfg(loom)]
#[test]
fn the_counterexample_has_the_fewest_preemptions_that_fail() {
    for (model, variant) in [
        (&models::philosophers::MODEL, "naive"),
        (&models::counter::MODEL, "racy"),
    ] {
        let report = failing(model, variant, model.variant(variant).unwrap().expected);
        let interleave::explore::Coverage::Exhaustive { preemptions } = report.coverage else {
            panic!("{report}");
        };
        if preemptions > 0 {
            let params = Params::for_model(model, Mode::Exhaustive, &[]).unwrap();
            let mut plan = Plan::new(Mode::Exhaustive);
            plan.preemptions = Some(preemptions - 1);
            let below = check(model, model.variant(variant).unwrap(), &params, &plan).unwrap();
            assert!(
                below.failure.is_none(),
                "nothing fails below the bound:\n{below}"
            );
        }
    }
}

#[cfg(shuttle)]
#[test]
fn a_replay_shows_the_same_steps() {
    for (model, variant) in [
        (&models::counter::MODEL, "racy"),
        (&models::philosophers::MODEL, "naive"),
    ] {
        let (found, replayed) = common::find_then_replay(model, variant, Mode::Random);
        let trace = |r: &Report| r.failure.as_ref().unwrap().snapshot.trace.clone();
        assert_eq!(trace(&found), trace(&replayed), "{found}\n{replayed}");
        assert!(!trace(&found).steps.is_empty());
    }
}

#[cfg(shuttle)]
#[test]
fn pct_states_its_probability_bound() {
    let params = Params::for_model(&models::philosophers::MODEL, Mode::Pct, &[]).unwrap();
    let ordered = models::philosophers::MODEL.variant("ordered").unwrap();
    let report = check(
        &models::philosophers::MODEL,
        ordered,
        &params,
        &Plan::new(Mode::Pct),
    )
    .unwrap();
    let stats = &report.stats;
    assert!(stats.threads >= 5 && stats.steps > 0, "{report}");
    let d = stats.pct_depth.unwrap();
    let odds = stats.threads as f64 * (stats.steps as f64).powi(d as i32 - 1);
    assert_eq!(stats.pct_odds(), Some(odds));
    assert!(
        report.stats_line().contains(&format!("= 1/{odds:.0}")),
        "{report}"
    );
}

#[test]
fn json_gives_the_same_facts() {
    let mode = common::explored_mode();
    let report = failing(&models::philosophers::MODEL, "naive", Verdict::Deadlock);
    let json = report.json();
    let failure = report.failure.as_ref().unwrap();
    assert_eq!(json["failure"]["verdict"], "deadlock");
    assert_eq!(json["failure"]["message"], failure.message());
    assert_eq!(
        json["failure"]["cycle"],
        serde_json::to_value(&failure.snapshot.cycle).unwrap()
    );
    assert_eq!(
        json["failure"]["trace"]["steps"].as_array().unwrap().len(),
        failure.snapshot.trace.steps.len()
    );
    assert_eq!(json["stats"]["executions"], report.executions);
    assert_eq!(json["mode"], mode.as_str());
    let report = failing(&models::counter::MODEL, "racy", Verdict::LostUpdate);
    let json = report.json();
    assert_eq!(
        json["failure"]["lost_update"]["words"],
        report.overwrite_in_words().unwrap()
    );
    // Steps are numbered from 1, as in the text's table, and the overwrite points at them.
    let steps = &json["failure"]["trace"]["steps"];
    assert_eq!(steps[0]["step"], 1, "{json}");
    let overwriting = json["failure"]["lost_update"]["steps"]["overwriting_write"]
        .as_u64()
        .expect("the overwriting write's step") as usize;
    assert_eq!(steps[overwriting - 1]["step"], overwriting, "{json}");
    assert_eq!(steps[overwriting - 1]["verb"], "store", "{json}");
}

/// Each step says what its number is: a reentrant lock's depth is not a count of free permits
/// (the control: a semaphore's step does count free permits).
#[test]
fn a_step_says_what_its_number_counts() {
    let report = Check::new().expect(Verdict::Panic).run(|| {
        let rlock = interleave::sync::RLock::named("the rlock");
        let permits = interleave::sync::Semaphore::named("the permits", 2);
        rlock.acquire();
        rlock.acquire();
        permits.acquire();
        assert_eq!(
            rlock.depth(),
            3,
            "held twice, not three times: the run stops here"
        );
    });
    let table = report.trace_table().unwrap().to_string();
    assert!(table.contains("acquire the rlock (held 2 deep)"), "{table}");
    assert!(table.contains("acquire the permits (1 free)"), "{table}");
    assert!(!table.contains("rlock (2 free)"), "{table}");
}
