//! Concurrent code as a Rust engineer writes it on std, each piece in a buggy and a fixed version:
//!
//! - [`lazy`]: a value initialised once, behind double-checked locking, in an `UnsafeCell`;
//!   raising the `ready` flag before the value is written, or raising it `Relaxed`, is a data
//!   race; `Release`/`Acquire` is not.
//! - [`pipeline`]: numbers fanned out to workers over channels and summed; a sender kept alive
//!   where it should have been dropped hangs the summer, a summer that stops at the first empty
//!   `try_recv` loses squares.
//! - [`spsc`]: a lock-free single-producer, single-consumer ring on `UnsafeCell` slots; publishing
//!   the tail before the slot is written, or `Relaxed`, is a data race.
//!
//! The code names std's types only through [`sync`]: the real build is std itself, and the
//! explored builds (`--cfg loom`, `--cfg shuttle`) swap in interleave-check's, which have std's
//! signatures. The tests (`tests/`) run unchanged in the three builds.

pub mod lazy;
pub mod pipeline;
pub mod spsc;
pub mod sync;
