//! The channel pipeline: the fixed summer gets every square in every build; a sender kept alive
//! hangs it, and stopping at the first empty `try_recv` loses squares, in every explorer.

mod common;

#[cfg(any(loom, shuttle))]
use interleave_check::Verdict;
use std_style_example::pipeline::sum_of_squares;
#[cfg(any(loom, shuttle))]
use std_style_example::pipeline::Mistake;

#[test]
fn dropping_every_sender_ends_the_sum() {
    common::passes(|| assert_eq!(sum_of_squares(3, 2, None), 14));
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_sender_kept_alive_hangs_the_summer() {
    common::caught(
        || assert_eq!(sum_of_squares(2, 1, Some(Mistake::KeepsASender)), 5),
        Verdict::Hang,
    );
}

#[test]
#[cfg(any(loom, shuttle))]
fn stopping_at_the_first_empty_try_recv_loses_squares() {
    common::caught(
        || assert_eq!(sum_of_squares(2, 1, Some(Mistake::StopsWhenEmpty)), 5),
        Verdict::Panic,
    );
}
