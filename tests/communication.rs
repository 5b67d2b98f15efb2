//! Catalogue section D, communication: every variant reaches its expected verdict in every
//! mode, then the checks particular to each model.

#[macro_use]
mod common;

/// `verdicts::<model>::<mode>`.
mod verdicts {
    every_mode!(
        bounded_buffer,
        queue_pipeline,
        multi_consumer,
        double_queue,
        pipe,
        pipe_many_writers,
        shared_array_flag,
        message_server,
        thread_pool,
        deque,
    );
}

#[cfg(any(loom, shuttle))]
mod explored {
    use crate::common;
    use interleave::explore::{Mode, Observed, Verdict};
    use interleave::models;

    #[test]
    fn swapped_bounded_buffer_is_a_cycle_of_producer_and_consumer() {
        let report = common::check_reaches(
            &models::bounded_buffer::MODEL,
            "swapped",
            Verdict::Deadlock,
            &[],
        );
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        let mut cycle = snapshot.cycle.clone().unwrap_or_default();
        cycle.sort();
        assert_eq!(cycle, ["consumer", "producer"], "{report}");
        let thread = |name: &str| snapshot.threads.iter().find(|t| t.name == name).unwrap();
        let (producer, consumer) = (thread("producer"), thread("consumer"));
        assert!(producer.holds.iter().any(|h| h == "lock"), "{report}");
        assert_eq!(
            producer.waits_for.as_ref().unwrap().resource,
            "empty",
            "{report}"
        );
        assert_eq!(
            consumer.waits_for.as_ref().unwrap().resource,
            "lock",
            "{report}"
        );
    }

    #[test]
    fn the_lock_free_bounded_buffer_garbles_an_item() {
        let report = common::check_reaches(
            &models::bounded_buffer::MODEL,
            "no-lock",
            Verdict::Invariant,
            &[],
        );
        assert!(
            report
                .failure
                .as_ref()
                .unwrap()
                .message()
                .contains("every item is consumed once"),
            "{report}"
        );
    }

    #[test]
    fn the_printed_message_server_eats_a_reply_and_leaves_its_client_waiting() {
        let report = common::check_reaches(
            &models::message_server::MODEL,
            "as-printed",
            Verdict::Hang,
            &[],
        );
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        let waiting_for_a_message = |name: &str| {
            snapshot.threads.iter().any(|t| {
                t.name == name
                    && t.waits_for
                        .as_ref()
                        .is_some_and(|w| w.resource == "a message on the queue")
            })
        };
        // main never got its reply, so it never sent the stop the server waits for.
        assert!(waiting_for_a_message("main"), "{report}");
        assert!(waiting_for_a_message("server"), "{report}");
        assert!(snapshot.cycle.is_none(), "{report}");
    }

    /// shuttle cannot show the relaxed reordering, and says so; loom shows it.
    #[test]
    fn relaxed_polling_is_caught_by_loom_and_declared_invisible_to_shuttle() {
        let model = &models::shared_array_flag::MODEL;
        let variant = model.variant("polling-relaxed").unwrap();
        assert_eq!(variant.expected, Verdict::Invariant);
        let report = common::check_with(model, "polling-relaxed", common::explored_mode(), &[]);
        if cfg!(loom) {
            assert_eq!(report.expected(), Verdict::Invariant);
            assert_eq!(
                report.observed(),
                Observed::Verdict(Verdict::Invariant),
                "{report}"
            );
            assert!(
                report
                    .failure
                    .as_ref()
                    .unwrap()
                    .message()
                    .contains("after the flag"),
                "{report}"
            );
        } else {
            let (verdict, why) = model.expected_in(variant, Mode::Random);
            assert_eq!(verdict, Verdict::Pass);
            assert!(why.unwrap().contains("sequentially consistent"));
            assert_eq!(
                report.observed(),
                Observed::Verdict(Verdict::Pass),
                "{report}"
            );
        }
    }
}

/// Every count of items left that the course's consumers can reach, computed sequentially: the
/// queue hands its items out in order, so a schedule is which consumer takes the next item.
#[cfg(loom)]
fn reachable_leftovers(
    values: usize,
    consumers: usize,
    takes: usize,
) -> std::collections::BTreeSet<i64> {
    fn visit(
        next: usize,
        total: usize,
        values: usize,
        takes: usize,
        state: &mut Vec<(usize, bool)>,
        found: &mut std::collections::BTreeSet<i64>,
    ) {
        if state.iter().all(|&(_, stopped)| stopped) {
            found.insert((total - next) as i64);
            return;
        }
        for c in 0..state.len() {
            let (taken, stopped) = state[c];
            if stopped || next == total {
                continue;
            }
            let fin = next >= values;
            state[c] = (taken + 1, fin || taken + 1 == takes);
            visit(next + 1, total, values, takes, state, found);
            state[c] = (taken, stopped);
        }
    }
    let mut found = std::collections::BTreeSet::new();
    let total = values + consumers;
    visit(
        0,
        total,
        values,
        takes,
        &mut vec![(0, false); consumers],
        &mut found,
    );
    found
}

#[cfg(loom)]
#[test]
fn multi_consumer_exhaustive_lists_every_reachable_count_left() {
    use interleave::explore::{check, Mode, Observed, Params, Plan, Verdict};
    use interleave::models::multi_consumer::MODEL;
    let params = Params::for_model(&MODEL, Mode::Exhaustive, &[]).unwrap();
    let mut plan = Plan::new(Mode::Exhaustive);
    plan.no_deepening = true;
    let report = check(&MODEL, MODEL.variant("ok").unwrap(), &params, &plan).unwrap();
    assert_eq!(
        report.observed(),
        Observed::Verdict(Verdict::Pass),
        "{report}"
    );
    let left: std::collections::BTreeSet<i64> = report
        .outcomes
        .iter()
        .filter_map(|o| o.get("left in the queue"))
        .collect();
    let expected = reachable_leftovers(
        params.get("values"),
        params.get("consumers"),
        params.get("takes"),
    );
    assert!(
        expected.len() > 1,
        "the sizes make the count depend on the schedule"
    );
    assert_eq!(left, expected, "{report}");
}

/// The deque's control: the same checker must reject a deque whose `rotate` is two calls (pop,
/// then appendleft), which lets another thread see it empty in between.
#[cfg(any(loom, shuttle))]
mod deque_control {
    use interleave::explore::linearizability::{self, History};
    use interleave::explore::{invariant, Check, Verdict};
    use interleave::models::deque::{Op, SequentialDeque};
    use interleave::sync::{thread, Arc, Mutex};
    use std::collections::VecDeque;

    /// One thread appends 1 to an empty deque and rotates it; another pops.
    fn rotate(two_steps: bool) {
        let deque = Arc::new(Mutex::named("the deque", VecDeque::new()));
        let history = Arc::new(History::new());
        let rotator = {
            let (deque, history) = (Arc::clone(&deque), Arc::clone(&history));
            thread::spawn_named("rotator", move || {
                let call = |op| SequentialDeque::call(&mut deque.lock().unwrap(), op);
                history.record("rotator", Op::Append(1), || call(Op::Append(1)));
                history.record("rotator", Op::Rotate(1), || {
                    if two_steps {
                        if let Some(x) = call(Op::Pop) {
                            call(Op::AppendLeft(x));
                        }
                        None
                    } else {
                        call(Op::Rotate(1))
                    }
                });
            })
        };
        let popper = {
            let (deque, history) = (Arc::clone(&deque), Arc::clone(&history));
            thread::spawn_named("popper", move || {
                history.record("popper", Op::Pop, || {
                    SequentialDeque::call(&mut deque.lock().unwrap(), Op::Pop)
                });
            })
        };
        rotator.join().unwrap();
        popper.join().unwrap();
        if let Err(why) = linearizability::check(&SequentialDeque::default(), &history.calls()) {
            invariant("every history is linearizable", why);
        }
    }

    #[test]
    fn a_rotate_under_one_lock_is_linearizable() {
        Check::new().run(|| rotate(false));
    }

    #[test]
    fn a_rotate_of_two_locked_calls_is_caught() {
        Check::new().expect(Verdict::Invariant).run(|| rotate(true));
    }
}
