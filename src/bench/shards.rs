//! `interleave bench --explore`, shards: one bounded exploration run as one process, and as N
//! shard processes side by side (`check … --shard I/N --out FILE`, each on one worker) merged by
//! `interleave merge`, as N machines or CI jobs would run it; here the N processes share this
//! machine's cores. The wall times are measured around the processes (cargo's start included,
//! the same for both); each shard's own exploration time is read from its line. Whether the
//! merged report is the single run's (its verdict and executions) is printed, never asserted.

use super::bounded_vs_loom::{bounded_within, cores, holds};
use super::{seconds, thousands, Columns};
use crate::cli::delegate::{delegated_command, run_delegated};
use anyhow::{bail, Context, Result};
use std::time::{Duration, Instant};

/// The check every row explores: the course's ordered philosophers at bound 3.
const CHECK: [&str; 4] = ["philosophers", "ordered", "--preemptions", "3"];

/// What the single process took and found, then what the shards did.
pub fn run() -> Result<()> {
    let cores = cores();
    println!(
        "shards: the ordered philosophers (5, bound 3) explored by one process, and by N shard \
         processes at once (one worker each) then `merge`; {cores} cores"
    );
    let columns = Columns::start(
        2,
        &[
            ("setup", 30),
            ("executions", 10),
            ("wall time", 9),
            ("vs 1 process, 1 worker", 22),
            ("merged = single run", 19),
        ],
    );
    let started = Instant::now();
    let single = bounded_within(&CHECK, 1, "600")?;
    let single_wall = started.elapsed();
    columns.row(&[
        "1 process, 1 worker".to_string(),
        thousands(single.executions),
        seconds(single_wall),
        "1.00".to_string(),
        "-".to_string(),
    ]);
    let started = Instant::now();
    let many = bounded_within(&CHECK, cores, "600")?;
    let many_wall = started.elapsed();
    columns.row(&[
        format!("1 process, {cores} workers"),
        thousands(many.executions),
        seconds(many_wall),
        ratio(single_wall, many_wall),
        "-".to_string(),
    ]);
    let dir = std::env::temp_dir().join(format!("interleave-bench-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("cannot make a directory for the shards' reports")?;
    for count in [2, 4] {
        let (wall, files) = shards_at_once(count, &dir)?;
        let (executions, verdict) = merged(&files)?;
        let same = executions == single.executions && verdict == single.observed;
        columns.row(&[
            format!("{count} shards at once, then merge"),
            thousands(executions),
            seconds(wall),
            ratio(single_wall, wall),
            holds(same).to_string(),
        ]);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn ratio(base: Duration, other: Duration) -> String {
    format!("{:.2}", base.as_secs_f64() / other.as_secs_f64().max(1e-9))
}

/// Runs the `count` shards of the check at once, one worker each, then times them all and
/// the merge: the wall time from the first start to the merge's end, and the shards' files.
fn shards_at_once(count: usize, dir: &std::path::Path) -> Result<(Duration, Vec<String>)> {
    let files: Vec<String> = (0..count)
        .map(|i| {
            dir.join(format!("{i}-of-{count}.json"))
                .display()
                .to_string()
        })
        .collect();
    let started = Instant::now();
    let children: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let mut command = delegated_command("shuttle")?;
            command
                .arg("check")
                .args(CHECK)
                .args(["--mode", "bounded", "-j", "1", "--out", file])
                .arg("--shard")
                .arg(format!("{i}/{count}"))
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            command.spawn().context("cannot start a shard")
        })
        .collect::<Result<_>>()?;
    for child in children {
        let out = child.wait_with_output().context("a shard did not end")?;
        if !out.status.success() {
            bail!(
                "a shard of {count} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    Ok((started.elapsed(), files))
}

/// The merged report's executions and verdict.
fn merged(files: &[String]) -> Result<(usize, String)> {
    let mut command = delegated_command("shuttle")?;
    command.args(["merge", "--format", "json"]).args(files);
    let (_, stdout) = run_delegated(command, true)?;
    let report: serde_json::Value = serde_json::from_str(stdout.trim())
        .with_context(|| format!("the merge printed no report: {stdout}"))?;
    Ok((
        report["stats"]["executions"].as_u64().unwrap_or(0) as usize,
        report["observed"].as_str().unwrap_or("error").to_string(),
    ))
}
