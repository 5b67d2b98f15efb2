//! Bounded mode takes a facade's operation (a shared value's read, a semaphore's acquire, a
//! queue's put) as one step once it has begun, as the course counts steps: the locks inside it
//! are seen by no one else, so switching away there only delays what others would do anyway,
//! and its preemptions are counted per operation, as CHESS counts them per synchronization call
//! (shuttle builds). With every switch allowed, the final states reachable are the same: random
//! programs over every primitive, explored at a bound high enough to reach everything, agree.
//! The control runs an operation as one step from before it has done anything: the switch just
//! before it disappears, and with it the lost update between a read and the write after it.
#![cfg(shuttle)]

mod programs;

use interleave_check::explore::Reduction;
use interleave_check::Report;
use programs::{assert_loses_states, explore, generated, states, Op};

#[test]
fn a_lost_update_between_two_operations_is_kept() {
    let program = || generated(&[vec![Op::Get(0), Op::Set(0)], vec![Op::Get(0), Op::Set(0)]]);
    let every_switch = explore(4, Reduction::Unsealed, program);
    let steps = explore(4, Reduction::None, program);
    assert_eq!(states(&steps), states(&every_switch));
    assert!(
        steps.executions < every_switch.executions,
        "{steps}\n{every_switch}"
    );
}

/// The control: sealed from its very start, an operation cannot be preempted before it runs.
#[test]
fn an_operation_sealed_from_its_start_loses_the_lost_update() {
    let program = || generated(&[vec![Op::Get(0), Op::Set(0)], vec![Op::Get(0), Op::Set(0)]]);
    let every_switch = explore(4, Reduction::Unsealed, program);
    let too_sealed = explore(4, Reduction::SealedFromTheStart, program);
    assert_loses_states(
        &too_sealed,
        &every_switch,
        "sealing operations from their start",
    );
}

mod generated_programs {
    use super::*;
    use programs::op;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Random programs of two or three threads of up to three operations reach the same
        /// final states (or get stuck alike) with operations as steps and with every switch,
        /// at a bound that reaches nearly everything.
        #[test]
        fn operations_as_steps_keep_every_final_state(
            threads in prop::collection::vec(prop::collection::vec(op(), 1..4), 2..4),
        ) {
            let program = move || generated(&threads);
            let every_switch = explore(4, Reduction::Unsealed, program.clone());
            let steps = explore(4, Reduction::None, program);
            let verdict = |r: &Report| r.failure.as_ref().map(|f| f.verdict());
            prop_assert_eq!(verdict(&steps), verdict(&every_switch), "{}\n{}", steps, every_switch);
            if steps.failure.is_none() {
                prop_assert_eq!(states(&steps), states(&every_switch));
            }
        }
    }
}
