//! `interleave`: the algorithms of a concurrency course, each written once against swappable
//! primitives ([`sync`]), run for real with std threads and explored schedule by schedule with
//! loom (exhaustively) and shuttle (randomly, with PCT) by the [`explore`] module. The course's
//! models live in [`models`], one file per algorithm.

pub mod bench;
pub mod cli;
pub mod explore;
#[path = "../models/mod.rs"]
pub mod models;
#[cfg(not(any(loom, shuttle)))]
pub mod ping;
#[cfg(not(any(loom, shuttle)))]
pub mod primes;
pub mod sync;
// Real programs on real sockets and threads: std build only (see the module's comment).
#[cfg(not(any(loom, shuttle)))]
pub mod wine;
