//! The differential tests' reference: random programs ([`program`]), a brute-force explorer that
//! interprets them itself ([`brute_force`]), the same programs run through the facade
//! ([`on_the_facade`]), and the comparison of an engine's report with the reference
//! ([`compare`]).

// Each test file uses only some of these.
#![allow(dead_code)]

pub mod brute_force;
pub mod compare;
pub mod on_the_facade;
pub mod program;
