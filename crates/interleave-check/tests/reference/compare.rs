//! An engine's report held against the reference's [`Behaviours`] of the same program: a failure
//! only of a kind the reference reaches, a final state only where the reference reaches it, and,
//! from an engine that claims to have explored everything, every one of them.

use super::brute_force::Behaviours;
use super::on_the_facade::state_of;
use super::program::Program;
use interleave_check::{Report, Verdict};
use std::collections::BTreeSet;

/// What an engine claims of its coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Every schedule (within the reference's bound): no failure it misses, every final state.
    Everything,
    /// A sample: what it reports must be reachable, nothing more.
    Sample,
}

/// Why `report` disagrees with `reference`, if it does.
pub fn disagreement(
    program: &Program,
    reference: &Behaviours,
    report: &Report,
    claim: Claim,
) -> Option<String> {
    let seen: BTreeSet<Vec<i64>> = report
        .outcomes
        .iter()
        .map(|o| state_of(program, o))
        .collect();
    if let Some(state) = seen.difference(&reference.finals).next() {
        return Some(format!(
            "reached a final state the reference never reaches: {state:?}"
        ));
    }
    match report.failure.as_ref().map(|f| f.verdict()) {
        Some(Some(Verdict::Panic)) if reference.panics => None,
        Some(Some(Verdict::Deadlock | Verdict::Hang)) if reference.stuck => None,
        Some(verdict) => Some(format!(
            "reported {verdict:?}, which the reference never reaches ({reference:?})"
        )),
        None if claim == Claim::Sample => None,
        None if reference.panics || reference.stuck => Some(format!(
            "found no failure, where the reference {}",
            if reference.panics {
                "fails an assertion"
            } else {
                "gets stuck"
            }
        )),
        None if seen != reference.finals => Some(format!(
            "missed final states the reference reaches: {:?}",
            reference.finals.difference(&seen).collect::<Vec<_>>()
        )),
        None => None,
    }
}
