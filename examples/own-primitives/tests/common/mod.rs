//! What the tests share: the modes this build explores, and the usual final-state check.
#![allow(dead_code)]

use interleave_check::{Mode, Outcome};

/// The modes of this build: loom's exhaustive search, shuttle's three samplers and its bounded
/// exhaustive search, or real runs.
pub fn modes() -> Vec<Mode> {
    if cfg!(loom) {
        vec![Mode::Exhaustive]
    } else if cfg!(shuttle) {
        vec![Mode::Random, Mode::Pct, Mode::Portfolio, Mode::Bounded]
    } else {
        vec![Mode::Real]
    }
}

/// The final value called `name` must be `n`.
pub fn counted(
    name: &'static str,
    n: usize,
) -> impl Fn(&Outcome) -> Result<(), String> + Send + Sync + 'static {
    move |o| o.expect_value(name, n as i64, |got| format!("{name} is {got}, not {n}"))
}
