//! The Treiber stack: two threads push while nobody pops, then every push must pop out. The
//! load-then-store push loses one in some schedule, which every explored mode must find.

mod common;

use interleave_check::sync::{thread, Arc};
use interleave_check::{per_build, Check, Outcome};
use own_primitives_example::treiber::{Push, Stack};

fn pushers_then_pop(pushers: usize, push: Push) -> Outcome {
    let stack = Arc::new(Stack::new(pushers, push));
    let threads: Vec<_> = (1..=pushers)
        .map(|p| {
            let stack = stack.clone();
            thread::spawn_named(format!("pusher {p}"), move || stack.push(p))
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let mut popped = 0;
    while stack.pop().is_some() {
        popped += 1;
    }
    Outcome::new().with("popped", popped)
}

#[test]
fn a_compare_and_swap_push_loses_nothing() {
    let pushers = per_build(2, 4, 8);
    for mode in common::modes() {
        Check::new()
            .mode(mode)
            .final_state(common::counted("popped", pushers))
            .run(move || pushers_then_pop(pushers, Push::CompareAndSwap));
    }
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_load_then_store_push_loses_a_push() {
    let pushers = per_build(2, 4, 8);
    for mode in common::modes() {
        Check::new()
            .mode(mode)
            .final_state(common::counted("popped", pushers))
            .expect(interleave_check::Verdict::LostUpdate)
            .run(move || pushers_then_pop(pushers, Push::LoadThenStore));
    }
}
