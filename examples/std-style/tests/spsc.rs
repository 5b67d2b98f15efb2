//! The single-producer, single-consumer ring: the fixed ring hands over every item in order in
//! every build; publishing the tail first or `Relaxed` is a data race every explorer finds.

mod common;

#[cfg(any(loom, shuttle))]
use interleave_check::Verdict;
use std_style_example::spsc::{Publish, Ring};
use std_style_example::sync::{thread, Arc};

/// A producer pushes 1 and 2 through a ring of one slot; the consumer takes both, in order.
fn hand_over(publish: Publish) {
    let ring = Arc::new(Ring::new(1, publish));
    let producer = {
        let ring = Arc::clone(&ring);
        thread::spawn(move || {
            for item in [1, 2] {
                let mut item = item;
                while let Err(back) = ring.push(item) {
                    item = back;
                    thread::yield_now();
                }
            }
        })
    };
    let mut got = Vec::new();
    while got.len() < 2 {
        match ring.pop() {
            Some(item) => got.push(item),
            None => thread::yield_now(),
        }
    }
    producer.join().unwrap();
    assert_eq!(got, [1, 2]);
}

#[test]
fn published_by_release_and_acquire_every_item_arrives() {
    common::passes(|| hand_over(Publish::ReleaseAcquire));
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_tail_published_before_the_slot_is_written_is_a_data_race() {
    common::caught(|| hand_over(Publish::TailFirst), Verdict::DataRace);
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_relaxed_tail_is_a_data_race() {
    common::caught(|| hand_over(Publish::Relaxed), Verdict::DataRace);
}
