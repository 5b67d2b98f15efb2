//! std's API, exactly: a file of ordinary std-style concurrent code (`std_style/code.rs`) built
//! twice, once against `std::{sync, thread, cell}` and once against interleave-check's, with no
//! other change. In the std build each function gives the same answer both ways; in every build
//! the facade's is checked by the build's explorer (real runs, loom, shuttle), so that the code
//! behaves as std documents in every schedule explored.

/// The code on std itself.
#[cfg(not(any(loom, shuttle)))]
mod on_std {
    use std::{cell, sync, thread};
    include!("std_style/code.rs");
}

/// The same code on the facade: only these `use`s differ.
#[allow(dead_code)]
mod on_facade {
    use interleave_check::{cell, sync, thread, thread_local};
    include!("std_style/code.rs");
}

use interleave_check::Check;

/// A function of the std-style file, run on the facade, and what std answers.
type Answer = (&'static str, fn() -> String, &'static str);

/// What each function answers, as std's threads answer it.
const ANSWERS: [Answer; 7] = [
    (
        "locked_counter",
        || on_facade::locked_counter(2).to_string(),
        "2",
    ),
    ("work_queue", || on_facade::work_queue(2).to_string(), "2"),
    (
        "readers_writer",
        || format!("{:?}", on_facade::readers_writer()),
        "(2, true)",
    ),
    ("pipeline", || on_facade::pipeline(3).to_string(), "14"),
    (
        "lazy_values",
        || format!("{:?}", on_facade::lazy_values()),
        "(84, 1)",
    ),
    (
        "park_and_unpark",
        || on_facade::park_and_unpark().to_string(),
        "true",
    ),
    (
        "scoped_with_a_barrier",
        || on_facade::scoped_with_a_barrier().to_string(),
        "31",
    ),
];

#[test]
#[cfg(not(any(loom, shuttle)))]
fn std_gives_the_answers_the_facade_is_held_to() {
    assert_eq!(on_std::locked_counter(2), 2);
    assert_eq!(on_std::work_queue(2), 2);
    assert_eq!(on_std::readers_writer(), (2, true));
    assert_eq!(on_std::pipeline(3), 14);
    assert_eq!(on_std::lazy_values(), (84, 1));
    assert!(on_std::park_and_unpark());
    assert_eq!(on_std::scoped_with_a_barrier(), 31);
    assert_eq!(on_std::locals_and_names(), 1);
    // Quiet: the holder's panic is the point.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (std_poisons, facade_poisons) = (on_std::poisoned(), on_facade::poisoned());
    std::panic::set_hook(hook);
    assert!(std_poisons && facade_poisons);
}

#[test]
fn the_facade_gives_std_answers_in_every_schedule_explored() {
    for (name, run, answer) in ANSWERS {
        let report = Check::new()
            .name(name)
            .preemptions(1)
            .schedules(200)
            .report(move || assert_eq!(run(), answer, "{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.failure.is_none(), "{report}");
        // Explored: more than the one schedule a run takes.
        assert!(
            cfg!(not(any(loom, shuttle))) || report.executions > 1,
            "{report}"
        );
        eprintln!("{name}: {}", report.stats_line());
    }
    let report = Check::new()
        .report(|| assert_eq!(on_facade::locals_and_names(), 1))
        .unwrap();
    assert!(report.failure.is_none(), "{report}");
}

/// The control: the same check holds a wrong answer to account, so the test above cannot pass
/// by checking nothing.
#[test]
fn a_wrong_answer_is_caught() {
    let report = Check::new()
        .preemptions(1)
        .schedules(200)
        .report(|| assert_eq!(on_facade::pipeline(3), 15))
        .unwrap();
    assert!(report.failure.is_some(), "{report}");
}
