//! `interleave`: the algorithms of a concurrency course, each written once against swappable
//! primitives ([`sync`]), run for real with std threads and explored schedule by schedule with
//! loom (exhaustively) and shuttle (randomly, with PCT). The primitives and the explorer are the
//! `interleave-check` crate, which anyone can use on their own code; this crate is the course on
//! top of it: the models in [`models`], one file per algorithm, declared in the [`catalogue`]
//! with their variants and expected verdicts, the CLI, the benches and the course's real
//! programs.

pub mod bench;
pub mod catalogue;
pub mod cli;
pub mod explore;
#[path = "../models/mod.rs"]
pub mod models;
#[cfg(not(any(loom, shuttle)))]
pub mod ping;
#[cfg(not(any(loom, shuttle)))]
pub mod primes;
// Real programs on real sockets and threads: std build only (see the module's comment).
#[cfg(not(any(loom, shuttle)))]
pub mod wine;

pub use interleave_check::sync;
