//! Double-checked locking: the fixed value passes in every build; each bug is a data race every
//! explorer finds.

mod common;

#[cfg(any(loom, shuttle))]
use interleave_check::Verdict;
use std_style_example::lazy::{Lazy, Publish};
use std_style_example::sync::{thread, Arc};

/// Two threads ask for the value at once.
fn two_askers(publish: Publish) {
    let lazy = Arc::new(Lazy::new(|| 42, publish));
    let other = {
        let lazy = Arc::clone(&lazy);
        thread::spawn(move || lazy.get())
    };
    assert_eq!(lazy.get(), 42);
    assert_eq!(other.join().unwrap(), 42);
}

#[test]
fn published_by_release_and_acquire_it_passes() {
    common::passes(|| two_askers(Publish::ReleaseAcquire));
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_flag_raised_before_the_value_is_written_is_a_data_race() {
    common::caught(|| two_askers(Publish::FlagFirst), Verdict::DataRace);
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_relaxed_flag_is_a_data_race() {
    common::caught(|| two_askers(Publish::Relaxed), Verdict::DataRace);
}
