//! Catalogue section C, signalling and synchronization: every variant reaches its expected
//! verdict in every mode, then the checks particular to each model.

#[macro_use]
mod common;

/// `verdicts::<model>::<mode>`.
mod verdicts {
    every_mode!(
        ping_pong,
        rendezvous,
        semaphore_handoff,
        bounded_concurrency,
        event_stop,
        barrier,
        worker_event_queue,
        exceptions,
    );
}

#[cfg(any(loom, shuttle))]
mod explored {
    use crate::common;
    use interleave::explore::Verdict;
    use interleave::models;

    #[test]
    fn busy_wait_ping_pong_is_ok_and_reports_its_wasted_spins() {
        let report =
            common::check_reaches(&models::ping_pong::MODEL, "busy-wait", Verdict::Pass, &[]);
        assert!(
            report
                .outcomes
                .iter()
                .any(|o| o.get("wasted spins").is_some_and(|s| s > 0)),
            "some schedule makes a player spin:\n{report}"
        );
    }

    #[test]
    fn rendezvous_as_printed_leaves_a_consumer_waiting_on_the_others_semaphore() {
        let report =
            common::check_reaches(&models::rendezvous::MODEL, "as-printed", Verdict::Hang, &[]);
        let snapshot = &report.failure.as_ref().unwrap().snapshot;
        let stuck = snapshot
            .blocked()
            .find(|t| t.name == "C1" || t.name == "C2")
            .unwrap_or_else(|| panic!("a consumer is blocked:\n{report}"));
        let other = if stuck.name == "C1" { "C2" } else { "C1" };
        let wanted = if stuck.name == "C1" { "sem1" } else { "sem2" };
        assert_eq!(
            stuck.waits_for.as_ref().unwrap().resource,
            wanted,
            "{report}"
        );
        assert!(
            snapshot
                .threads
                .iter()
                .any(|t| t.name == other && t.finished),
            "{other}, who would release {wanted}, has left:\n{report}"
        );
    }

    #[test]
    fn exceptions_reach_the_parent_from_every_failing_child() {
        let report = common::check_reaches(
            &models::exceptions::MODEL,
            "ok",
            Verdict::Pass,
            &[("children", 3)],
        );
        assert!(
            report
                .outcomes
                .iter()
                .all(|o| o.get("errors") == Some(2) && o.get("results") == Some(1)),
            "{report}"
        );
    }
}

#[cfg(not(any(loom, shuttle)))]
mod real {
    use interleave::sync::thread;

    #[test]
    fn a_caught_panic_is_a_value_naming_its_thread() {
        let child = thread::spawn_named("Thread-1", || {
            thread::catch_panic(|| -> usize { panic!("Exception Thrown In Child Thread") })
        });
        let error = child.join().unwrap().unwrap_err();
        assert_eq!(error.thread, "Thread-1");
        assert_eq!(error.message, "Exception Thrown In Child Thread");
        assert_eq!(
            error.to_string(),
            "Thread-1 panicked: Exception Thrown In Child Thread"
        );
        assert_eq!(thread::catch_panic(|| 7), Ok(7));
    }
}
