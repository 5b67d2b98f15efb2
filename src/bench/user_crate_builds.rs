//! What `interleave test` costs a user's crate beside the three `cargo test` runs it stands for
//! (std, `--cfg loom`, `--cfg shuttle`): a new crate (the README's walkthrough, made by its own
//! lines) built and tested from empty target directories each way, then once more unchanged.
//! The goal: the first run costs no more than the three `cargo test` runs, and an unchanged
//! crate rebuilds nothing.

use super::load::Load;
use super::{seconds, Columns};
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The README's walkthrough lines that make the crate: those before its first `interleave`.
fn making_lines(readme: &str) -> Result<String> {
    let start = readme
        .find("<!-- walkthrough:start -->")
        .context("the README has no walkthrough")?;
    let block = &readme[start..];
    let body = block
        .split_once("```sh\n")
        .context("the walkthrough has no shell block")?
        .1;
    let lines: Vec<&str> = body
        .lines()
        .take_while(|l| !l.starts_with("interleave ") && !l.starts_with("# The three builds"))
        .collect();
    Ok(lines.join("\n") + "\n")
}

/// Runs `command` to its end, its output dropped; how long it took.
fn timed(command: &mut Command) -> Result<Duration> {
    let start = Instant::now();
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run the command")?;
    Ok(start.elapsed())
}

/// The three `cargo test` runs of the crate at `dir`, in the target directories the checker's
/// README gives, under `target`.
fn three_cargo_tests(dir: &Path, target: &Path) -> Result<Duration> {
    let mut total = Duration::ZERO;
    for cfg in ["", "loom", "shuttle"] {
        let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cargo
            .arg("test")
            .arg("--target-dir")
            .arg(if cfg.is_empty() {
                target.to_path_buf()
            } else {
                target.join(cfg)
            })
            .current_dir(dir)
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS")
            .env_remove("CARGO_TARGET_DIR");
        if !cfg.is_empty() {
            cargo
                .env("RUSTFLAGS", format!("--cfg {cfg}"))
                .env("RUSTDOCFLAGS", format!("--cfg {cfg}"));
        }
        total += timed(&mut cargo)?;
    }
    Ok(total)
}

fn interleave_test(dir: &Path, target: &Path) -> Result<Duration> {
    timed(
        Command::new(std::env::current_exe()?)
            .arg("test")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS")
            .env_remove("INTERLEAVE_DELEGATED"),
    )
}

pub fn run(load: usize) -> Result<()> {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md"))
        .context("the bench makes its crate from the README, which it cannot read")?;
    let work = std::env::temp_dir().join(format!("interleave-bench-crate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let made = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &making_lines(&readme)?])
        .current_dir(&work)
        .env("INTERLEAVE", root)
        .status()
        .context("cannot run bash")?;
    if !made.success() {
        bail!("the walkthrough's lines did not make the crate");
    }
    let bank = work.join("bank");
    println!(
        "A user's crate (the README's walkthrough), tested from empty target directories, then \
         unchanged{}:",
        if load > 0 {
            format!(", with {load} busy threads")
        } else {
            String::new()
        }
    );
    let _load = Load::start(load);
    let table = Columns::start(
        1,
        &[
            ("run", 10),
            ("3 × cargo test", 14),
            ("interleave test", 15),
            ("ratio", 5),
        ],
    );
    let (cargo_dir, interleave_dir) = (work.join("cargo-target"), work.join("interleave-target"));
    let first = (
        three_cargo_tests(&bank, &cargo_dir)?,
        interleave_test(&bank, &interleave_dir)?,
    );
    let again = (
        three_cargo_tests(&bank, &cargo_dir)?,
        interleave_test(&bank, &interleave_dir)?,
    );
    for (name, (cargo, interleave)) in [("first", first), ("unchanged", again)] {
        table.row(&[
            name.to_string(),
            seconds(cargo),
            seconds(interleave),
            format!("{:.2}", interleave.as_secs_f64() / cargo.as_secs_f64()),
        ]);
    }
    println!(
        "goal: the first run within the three cargo test runs' time (ratio ≤ 1.1, interleave test \
         also prints its table); unchanged, nothing rebuilt (tests/walkthrough.rs checks that)"
    );
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crate_is_made_by_the_readmes_lines_before_interleave_runs() {
        let readme = include_str!("../../README.md");
        let lines = super::making_lines(readme).unwrap();
        assert!(lines.starts_with("cargo new --lib bank\n"), "{lines}");
        assert!(lines.contains("tests/deposits.rs"), "{lines}");
        assert!(!lines.contains("interleave test"), "{lines}");
    }
}
