//! `interleave play --test NAME`: the user is the scheduler of one test of their own crate, as
//! the course's students are of its models. The test is built once in the shuttle build; each
//! position is then one run of its test binary, which the checker answers with the board
//! (`INTERLEAVE_PLAY` the moves, `INTERLEAVE_BOARD` the file it writes the board to).

use super::{cargo_test, manifest, target_dir};
use crate::cli::play::{run_game, Position};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

pub(in crate::cli) fn play(
    manifest_path: Option<&Path>,
    test: &str,
    moves: Option<&str>,
) -> Result<ExitCode> {
    let manifest = manifest(manifest_path)?;
    let target = target_dir(&manifest)?;
    let binary = test_binary(&manifest, &target, test)?;
    let crate_dir = std::path::absolute(&manifest)?
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let board_file =
        std::env::temp_dir().join(format!("interleave-board-{}.json", std::process::id()));
    let title = format!(
        "{test}: you are the scheduler. At each point where several threads could run, pick the \
         one that does; reach a failure to win."
    );
    let position = |played: &[usize]| {
        let _ = std::fs::remove_file(&board_file);
        let list: Vec<String> = played.iter().map(ToString::to_string).collect();
        let out = Command::new(&binary)
            .current_dir(&crate_dir)
            .args(["--exact", test, "--nocapture", "--test-threads", "1"])
            .env("CARGO_MANIFEST_DIR", &crate_dir)
            .env("INTERLEAVE_PLAY", list.join(","))
            .env("INTERLEAVE_BOARD", &board_file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .with_context(|| format!("cannot run the test binary {}", binary.display()))?;
        let Ok(json) = std::fs::read_to_string(&board_file) else {
            let said = String::from_utf8_lossy(&out.stderr);
            bail!(
                "the test '{test}' gave no board: the game plays a test that runs a check \
                 (interleave_check::check, Check::run or Check::report){}",
                said.lines()
                    .find(|l| l.contains("panicked") || l.starts_with("error"))
                    .map_or(String::new(), |l| format!(" (it said: {})", l.trim()))
            );
        };
        let _ = std::fs::remove_file(&board_file);
        Position::read(
            &serde_json::from_str(&json).context("the test wrote a board that is not JSON")?,
        )
    };
    run_game(&title, moves, None, position)
}

/// Builds the crate's tests in the shuttle build and finds the test binary that has `test`.
fn test_binary(manifest: &Path, target: &Path, test: &str) -> Result<PathBuf> {
    eprintln!("interleave: building the tests in the shuttle configuration…");
    let out = cargo_test(manifest, target, "shuttle")
        .args(["--no-run", "--message-format", "json"])
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo test")?;
    if !out.status.success() {
        bail!(
            "cargo cannot build the tests of {} (see its messages above)",
            manifest.display()
        );
    }
    let binaries = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect::<Vec<_>>();
    for binary in binaries {
        let listed = Command::new(&binary)
            .args(["--list", "--exact", test])
            .stderr(Stdio::null())
            .output()
            .with_context(|| format!("cannot run the test binary {}", binary.display()))?;
        let wanted = format!("{test}: test");
        if String::from_utf8_lossy(&listed.stdout)
            .lines()
            .any(|l| l == wanted)
        {
            return Ok(binary);
        }
    }
    bail!(
        "no test is called '{test}' in {}: give the name `cargo test -- --list` shows",
        manifest.display()
    )
}
