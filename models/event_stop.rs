//! Threads that poll an event and stop once it is set, two levels deep.
//!
//! Course: 004:2700-2725 (`my_thread` polls `my_event.isSet()` until `main` sets it) and
//! 004:2750-2800 (main starts two threads and stops them with `my_event_1`; each of them starts
//! four sub-threads and stops them with its own `my_event_2` once `my_event_1` is set). The
//! course sleeps between polls; the model yields.
//!
//! Exhaustive mode runs 1 thread with 1 sub-thread: with two pollers side by side, every yield
//! is a switch loom may make for free, and the schedules multiply past any useful bound (at
//! preemption bound 1 it does not finish in 100 s). The randomized modes run the course's 2 × 4.
//!
//! Checked: a thread leaves its polling loop only after its event's `set` was called (a ghost
//! flag, raised just before `set`, says so); every thread stops, so every join returns.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Event, Mutex};

pub const MODEL: Model = Model {
    name: "event-stop",
    source: "004:2700-2800 my_thread / my_thread_1 / my_thread_2",
    about: "threads poll is_set() and stop when their event is set; 2 threads × 4 sub-threads",
    params: &[
        Param::new(
            "threads",
            "threads main starts and stops with event 1 (the course: 2)",
            [1, 2, 2],
        ),
        Param::new(
            "sub-threads",
            "sub-threads each thread starts and stops with its event 2 (the course: 4)",
            [1, 4, 4],
        )
        .at_least(0),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "while not event.is_set(): sleep; the parent sets the event, then joins",
        run: |p| stop_all(p, Mutant::None),
    }],
    check: |p, outcome| {
        let (threads, sub) = (p.get("threads"), p.get("sub-threads"));
        let expected = (threads + threads * sub) as i64;
        outcome.expect_value("stopped", expected, |n| {
            format!("{n} threads stopped of {expected}")
        })
    },
    controls: &[
        Variant {
            name: "no-wait",
            expected: Verdict::Invariant,
            about: "sub-threads stop without polling their event",
            run: |p| stop_all(p, Mutant::NoWait),
        },
        Variant {
            name: "one-uncounted",
            expected: Verdict::LostUpdate,
            about: "thread-1 does not count itself among the stopped",
            run: |p| stop_all(p, Mutant::OneUncounted),
        },
    ],
    ..Model::DEFAULT
};

/// An event and the ghost flag its setter raises just before setting it.
struct Stop {
    event: Event,
    set_called: Mutex<bool>,
}

impl Stop {
    fn named(name: &str) -> Arc<Stop> {
        Arc::new(Stop {
            event: Event::named(name),
            set_called: Mutex::named(&format!("{name} was set"), false),
        })
    }

    fn set(&self) {
        *self.set_called.lock().unwrap() = true;
        self.event.set();
    }

    /// `while not my_event.isSet(): time.sleep(…)`, then checks it did not stop early; the
    /// control does not poll.
    fn poll_until_set(&self, mutant: Mutant) {
        while mutant != Mutant::NoWait && !self.event.is_set() {
            thread::yield_now();
        }
        let set_called = *self.set_called.lock().unwrap();
        ensure(
            set_called,
            "a thread stops only after its event is set",
            || {
                format!(
                    "{} stopped before its event was set",
                    thread::current_name()
                )
            },
        );
    }
}

/// The controls' changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    NoWait,
    OneUncounted,
}

fn stop_all(p: &Params, mutant: Mutant) -> Outcome {
    let sub = p.get("sub-threads");
    let event_1 = Stop::named("my_event_1");
    let threads: Vec<_> = (0..p.get("threads"))
        .map(|t| {
            let event_1 = Arc::clone(&event_1);
            thread::spawn_named(format!("thread-{}", t + 1), move || {
                let event_2 = Stop::named(&format!("my_event_2 of thread-{}", t + 1));
                let subs: Vec<_> = (0..sub)
                    .map(|s| {
                        let event_2 = Arc::clone(&event_2);
                        thread::spawn_named(format!("thread-{}.{}", t + 1, s + 1), move || {
                            event_2.poll_until_set(mutant);
                        })
                    })
                    .collect();
                event_1.poll_until_set(Mutant::None);
                event_2.set();
                subs.into_iter().for_each(|t| t.join().unwrap());
                1 + sub - usize::from(mutant == Mutant::OneUncounted && t == 0)
            })
        })
        .collect();
    thread::yield_now(); // time.sleep(10)
    event_1.set();
    let stopped: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    Outcome::new().with("stopped", stopped as i64)
}
