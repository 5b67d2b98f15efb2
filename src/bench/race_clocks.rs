//! `interleave bench --explore`, the shuttle half: what the data-race clocks cost. The same
//! program explored in bounded mode twice, side by side in one run, alternately: as it is (no
//! `UnsafeCell`: the clocks stay off) and with one cell made first and never touched (the clocks
//! run from the start: every lock, unlock, spawn, join and atomic operation keeps them), idle
//! and with two busy threads of the bench's own. The ratio is what checking for data races adds
//! to an exploration; an execution without a cell pays none of it.

use super::load::Load;
use super::{thousands, Columns};
use anyhow::{bail, Result};
use interleave_check::cell::UnsafeCell;
use interleave_check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use interleave_check::sync::{thread, Arc, Mutex};
use interleave_check::{Check, Mode};
use std::time::Duration;

/// Three threads that each take a lock twice and bump an atomic twice.
fn program(with_a_cell: bool) {
    let _cell = with_a_cell.then(|| UnsafeCell::new(0u8));
    let total = Arc::new(Mutex::new(0));
    let bumps = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (total, bumps) = (total.clone(), bumps.clone());
            thread::spawn(move || {
                for _ in 0..2 {
                    *total.lock().unwrap() += 1;
                    bumps.fetch_add(1, SeqCst);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// Executions and time of one bounded exploration of the program.
fn explore(with_a_cell: bool) -> Result<(usize, Duration)> {
    let report = Check::new()
        .name("race clocks")
        .mode(Mode::Bounded)
        .preemptions(3)
        .jobs(1)
        .report(move || program(with_a_cell))?;
    if report.failure.is_some() {
        bail!("the bench's program failed: {report}");
    }
    Ok((report.executions, report.elapsed))
}

/// The best of `rounds` alternating explorations of each form: (executions, off, on).
fn measure(rounds: usize) -> Result<(usize, Duration, Duration)> {
    let (mut off, mut on) = (Duration::MAX, Duration::MAX);
    let mut executions = 0;
    for _ in 0..rounds {
        let (n, t) = explore(false)?;
        off = off.min(t);
        let (m, u) = explore(true)?;
        on = on.min(u);
        if n != m {
            bail!("the two forms explored {n} and {m} executions: they must be the same tree");
        }
        executions = n;
    }
    Ok((executions, off, on))
}

pub fn run() -> Result<()> {
    println!(
        "What the data-race clocks cost: 3 threads × (lock, unlock, fetch_add) × 2, bounded mode, \
         bound 3, one worker; the best of 5 alternating runs of each form"
    );
    let columns = Columns::start(
        1,
        &[
            ("machine", 26),
            ("executions", 10),
            ("clocks off", 10),
            ("clocks on", 10),
            ("on / off", 8),
        ],
    );
    for (machine, busy) in [("idle", 0), ("2 busy threads running", 2)] {
        let _load = Load::start(busy);
        let (executions, off, on) = measure(5)?;
        columns.row(&[
            machine.to_string(),
            thousands(executions),
            format!("{:.0} ms", off.as_secs_f64() * 1e3),
            format!("{:.0} ms", on.as_secs_f64() * 1e3),
            format!("{:.2}×", on.as_secs_f64() / off.as_secs_f64()),
        ]);
    }
    Ok(())
}
