//! `interleave bench`: the std build times real runs itself and hands `--explore` to the loom
//! and shuttle builds, one half each.

#[cfg(not(any(loom, shuttle)))]
use super::delegate::{delegated_command, run_delegated};
use anyhow::{bail, Result};
use std::process::ExitCode;

/// The std build times real runs against CPython (and what blocked threads cost), and hands
/// `--explore` to the loom and shuttle builds, one half each.
#[cfg(not(any(loom, shuttle)))]
pub(super) fn run(explore: bool, user_crate: bool, load: usize) -> Result<ExitCode> {
    if user_crate {
        crate::bench::user_crate_builds::run(load)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !explore {
        crate::bench::versus_python::run(load)?;
        #[cfg(unix)]
        {
            println!();
            crate::bench::idle_waiters::run()?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    for backend in ["loom", "shuttle"] {
        let mut command = delegated_command(backend)?;
        command.args(["bench", "--explore"]);
        let (status, _) = run_delegated(command, false)?;
        if !status.success() {
            bail!("the {backend} half of the bench failed ({status})");
        }
        println!();
    }
    crate::bench::bounded_vs_loom::run()?;
    println!();
    crate::bench::versus_spin::run()?;
    println!();
    crate::bench::shards::run()?;
    println!();
    crate::bench::partial_order::run()?;
    Ok(ExitCode::SUCCESS)
}

/// An explored build prints its half of `--explore`; real runs are the std build's.
#[cfg(any(loom, shuttle))]
pub(super) fn run(explore: bool, user_crate: bool, _load: usize) -> Result<ExitCode> {
    if !explore || user_crate {
        bail!(
            "`interleave bench` times real runs: run it in the std build (without RUSTFLAGS); \
             this build runs `bench --explore`"
        );
    }
    crate::bench::explore_cost::run()?;
    #[cfg(shuttle)]
    {
        println!();
        crate::bench::race_clocks::run()?;
    }
    Ok(ExitCode::SUCCESS)
}
