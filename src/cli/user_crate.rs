//! A user's own crate, first to last: `interleave test` runs its suite in the three
//! configurations, `replay --test` re-runs one test on the schedule its failure printed, and
//! `play --test` lets the user be the scheduler of one test. Each runs the crate's tests through
//! cargo as the user's own `cargo test` would: the same profile, and the target directories
//! (`target`, `target/loom`, `target/shuttle`) the checker's README gives, so that each reuses
//! the other's builds.

mod loom_suite;
mod play;
mod replay;
mod test;

pub(super) use loom_suite::run as run_loom_suite;
pub(super) use play::play;
pub(super) use replay::replay;
pub(super) use test::run;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The three configurations: the backend, its column's title, and its RUSTFLAGS cfg.
const CONFIGURATIONS: [(&str, &str); 3] = [
    ("std", "real (std)"),
    ("loom", "exhaustive (loom)"),
    ("shuttle", "random (shuttle)"),
];

/// What one test did in one configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ran {
    Passed,
    Failed,
    Ignored,
}

impl Ran {
    fn word(self) -> &'static str {
        match self {
            Ran::Passed => "ok",
            Ran::Failed => "FAILED",
            Ran::Ignored => "ignored",
        }
    }
}

/// The lines `test NAME ... ok` that libtest prints, as (name, what it did).
fn results(stdout: &str) -> Vec<(String, Ran)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.rsplit_once(" ... ")?;
            let name = name.trim_end_matches(" - should panic").to_string();
            let ran = match result.trim() {
                "ok" => Ran::Passed,
                "FAILED" => Ran::Failed,
                r if r.starts_with("ignored") => Ran::Ignored,
                _ => return None,
            };
            Some((name, ran))
        })
        .collect()
}

/// `cargo metadata` of the crate at `manifest`: the crate alone (`no_deps`) or with every
/// dependency resolved.
fn metadata(manifest: &Path, no_deps: bool) -> Result<serde_json::Value> {
    let mut command = cargo();
    command.args(["metadata", "--format-version", "1"]);
    if no_deps {
        command.arg("--no-deps");
    }
    let out = command
        .arg("--manifest-path")
        .arg(manifest)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo metadata")?;
    if !out.status.success() {
        bail!("cargo cannot read {}", manifest.display());
    }
    serde_json::from_slice(&out.stdout).context("cargo metadata printed no JSON")
}

/// The target directory cargo uses for the crate at `manifest`.
fn target_dir(manifest: &Path) -> Result<PathBuf> {
    metadata(manifest, true)?["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata names no target directory")
}

/// The crate's dependencies (the checker aside) that have loom code of their own: a dependency
/// on `loom`, which they build under `cfg(loom)`. `RUSTFLAGS="--cfg loom"` reaches them too.
fn dependencies_with_loom_code(manifest: &Path) -> Result<Vec<String>> {
    Ok(with_loom_code(&metadata(manifest, false)?))
}

/// The packages of `cargo metadata`'s answer, neither the workspace's own nor the checker, that
/// depend on `loom`.
fn with_loom_code(meta: &serde_json::Value) -> Vec<String> {
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .map(|m| m.iter().filter_map(|id| id.as_str()).collect())
        .unwrap_or_default();
    let mut names: Vec<String> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| !members.contains(&p["id"].as_str().unwrap_or_default()))
        .filter(|p| p["name"] != "interleave-check")
        .filter(|p| {
            p["dependencies"]
                .as_array()
                .is_some_and(|deps| deps.iter().any(|d| d["name"] == "loom"))
        })
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// `cargo test --release` of the crate at `manifest` in the `backend` configuration: its own
/// target directory (`target/loom`, `target/shuttle`; `target` itself for std) and RUSTFLAGS.
fn cargo_test(manifest: &Path, target: &Path, backend: &str) -> Command {
    let mut command = cargo();
    // The profile and target directories of a user's own `cargo test` runs (`target/loom` and
    // `target/shuttle` as the checker's README says), so that each reuses the other's builds.
    command
        .args(["test", "--manifest-path"])
        .arg(manifest)
        .env_remove("INTERLEAVE_DELEGATED");
    if backend == "std" {
        command.arg("--target-dir").arg(target);
        command.env_remove("RUSTFLAGS").env_remove("RUSTDOCFLAGS");
    } else {
        // Doctests too: rustdoc reads its own flags, and without the cfg it would document the
        // std build's code against the explored build's dependencies.
        command.arg("--target-dir").arg(target.join(backend));
        command.env("RUSTFLAGS", format!("--cfg {backend}"));
        command.env("RUSTDOCFLAGS", format!("--cfg {backend}"));
    }
    command
}

/// The manifest to test: the one given, or the current directory's.
fn manifest(given: Option<&Path>) -> Result<PathBuf> {
    let path = given.map_or_else(|| PathBuf::from("Cargo.toml"), Path::to_path_buf);
    if !path.is_file() {
        bail!(
            "no Cargo.toml at {}: run it in a crate's directory or give --manifest-path",
            path.display()
        );
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_with_loom_code_of_their_own_are_named() {
        let meta = serde_json::json!({
            "workspace_members": ["mine 0.1.0"],
            "packages": [
                { "id": "mine 0.1.0", "name": "mine",
                  "dependencies": [{ "name": "loom" }, { "name": "tokio" }] },
                { "id": "tokio 1.0.0", "name": "tokio",
                  "dependencies": [{ "name": "loom" }, { "name": "bytes" }] },
                { "id": "bytes 1.0.0", "name": "bytes", "dependencies": [] },
                { "id": "interleave-check 0.1.0", "name": "interleave-check",
                  "dependencies": [{ "name": "loom" }] },
            ],
        });
        assert_eq!(with_loom_code(&meta), ["tokio"]);
    }

    #[test]
    fn libtest_lines_are_read_with_their_results() {
        let out = "running 3 tests\ntest a ... ok\ntest m::b - should panic ... ok\n\
                   test c ... FAILED\ntest d ... ignored, slow\ntest result: FAILED.\n";
        assert_eq!(
            results(out),
            vec![
                ("a".to_string(), Ran::Passed),
                ("m::b".to_string(), Ran::Passed),
                ("c".to_string(), Ran::Failed),
                ("d".to_string(), Ran::Ignored),
            ]
        );
    }
}
