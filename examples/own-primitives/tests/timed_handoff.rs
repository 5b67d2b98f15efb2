//! The timed hand-off: every item the producer puts must reach the consumer. Stopping on a
//! timeout once the producer is done drops an item put in between; the explored builds reach
//! that timeout (loom and shuttle never time a wait out themselves: the checker does).

mod common;

use interleave_check::sync::{thread, Arc};
use interleave_check::{per_build, Check, Outcome};
use own_primitives_example::timed_handoff::{Handoff, OnTimeout};

fn hand_over(items: usize, on_timeout: OnTimeout) -> Outcome {
    let handoff = Arc::new(Handoff::new());
    let producer = {
        let handoff = handoff.clone();
        thread::spawn_named("producer", move || handoff.produce(items))
    };
    let got = thread::play("consumer", || handoff.consume(on_timeout));
    producer.join().unwrap();
    Outcome::new().with("consumed", got.len() as i64)
}

#[test]
fn a_consumer_that_drains_after_a_timeout_gets_every_item() {
    let items = per_build(2, 5, 100);
    for mode in common::modes() {
        Check::new()
            .mode(mode)
            .runs(20)
            .final_state(common::counted("consumed", items))
            .run(move || hand_over(items, OnTimeout::DrainThenStop));
    }
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_consumer_that_stops_on_a_timeout_drops_an_item() {
    let items = per_build(2, 5, 100);
    for mode in common::modes() {
        // A narrow window (the last put and the producer's word, between the consumer's timeout
        // and its look at that word): the samplers need a few thousand schedules to meet it.
        Check::new()
            .mode(mode)
            .schedules(10_000)
            .final_state(common::counted("consumed", items))
            .expect(interleave_check::Verdict::LostUpdate)
            .run(move || hand_over(items, OnTimeout::Stop));
    }
}
