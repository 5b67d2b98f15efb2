//! `interleave test --loom-suite`: a crate's existing loom suite, unchanged, under real loom and
//! under interleave-loom, one row per test: the verdict, time and executions under each. The crate's `Cargo.toml` is not touched: cargo's `[patch]`, given
//! on the command line, puts a crate called `loom` (`crates/interleave-loom/shims`) in place of
//! the real one, and the crate's `Cargo.lock`, which the patch rewrites, is put back afterwards.

use super::{cargo, manifest, target_dir};
use crate::cli::columns;
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The two engines: their column's title and their target directory under the crate's.
const ENGINES: [(&str, &str); 2] = [("loom", "loom"), ("interleave-loom", "interleave-loom")];

/// What one test did under one engine.
struct Ran {
    passed: bool,
    time: Duration,
    /// The executions interleave-loom's summary line gives.
    executions: Option<String>,
}

pub(in crate::cli) fn run(
    manifest_path: Option<&Path>,
    features: Option<&str>,
    cfg: &str,
    filter: &[String],
) -> Result<ExitCode> {
    let manifest = manifest(manifest_path)?;
    let target = target_dir(&manifest)?;
    let crate_dir = std::path::absolute(&manifest)?
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut table: BTreeMap<String, [Option<Ran>; 2]> = BTreeMap::new();
    for (column, (engine, dir)) in ENGINES.iter().enumerate() {
        eprintln!("interleave: building the loom suite with {engine}…");
        let binaries = {
            let lock = KeptLock::of(&crate_dir)?;
            if *engine == "interleave-loom" {
                // The lock pins the real loom: without it, cargo resolves to the patch.
                lock.set_aside()?;
            }
            build(&manifest, &target.join(dir), engine, features, cfg)?
        };
        for binary in binaries {
            for test in listed(&binary, filter)? {
                eprintln!("interleave: {test} with {engine}…");
                let ran = run_one(&binary, &crate_dir, &test, engine)?;
                table.entry(test).or_default()[column] = Some(ran);
            }
        }
    }
    if table.is_empty() {
        bail!(
            "no loom test in {} (built with --cfg {cfg}{}): give the suite's features with \
             --features, its cfg with --loom-cfg, or its filter after --",
            manifest.display(),
            features.map_or(String::new(), |f| format!(", features {f}"))
        );
    }
    // Every check under interleave-loom says what it verified: none saying it means the suite
    // ran the real loom there (the patch did not take).
    let ours = table.values().filter_map(|[_, ours]| ours.as_ref());
    if ours.clone().count() > 0 && ours.clone().all(|r| r.passed && r.executions.is_none()) {
        bail!(
            "the suite ran without interleave-loom (no test printed what it verified): its \
             `loom` dependency may be renamed, or pinned to a version the shims do not match"
        );
    }
    print!("{}", render(&table));
    let all_passed = table
        .values()
        .flatten()
        .all(|ran| ran.as_ref().is_some_and(|r| r.passed));
    Ok(ExitCode::from(u8::from(!all_passed)))
}

/// The crate's `Cargo.lock` as it was, written back when dropped (the patch rewrites it).
struct KeptLock {
    path: PathBuf,
    bytes: Option<Vec<u8>>,
}

impl KeptLock {
    fn of(crate_dir: &Path) -> Result<KeptLock> {
        let path = crate_dir.join("Cargo.lock");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Ok(KeptLock { path, bytes })
    }
}

impl KeptLock {
    /// Removes the lock file until the guard puts it back.
    fn set_aside(&self) -> Result<()> {
        if self.bytes.is_some() {
            std::fs::remove_file(&self.path)
                .with_context(|| format!("cannot set {} aside", self.path.display()))?;
        }
        Ok(())
    }
}

impl Drop for KeptLock {
    fn drop(&mut self) {
        let _ = match &self.bytes {
            Some(bytes) => std::fs::write(&self.path, bytes),
            None => std::fs::remove_file(&self.path),
        };
    }
}

/// Builds the crate's tests under `--cfg CFG` with `engine`; the test binaries.
fn build(
    manifest: &Path,
    target: &Path,
    engine: &str,
    features: Option<&str>,
    cfg: &str,
) -> Result<Vec<PathBuf>> {
    let mut command = cargo();
    command
        .args(["test", "--release", "--no-run", "--message-format", "json"])
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .env("RUSTFLAGS", format!("--cfg {cfg}"))
        .env("RUSTDOCFLAGS", format!("--cfg {cfg}"))
        .env_remove("INTERLEAVE_DELEGATED")
        .stderr(Stdio::inherit());
    if let Some(features) = features {
        command.args(["--features", features]);
    }
    if engine == "interleave-loom" {
        let shims = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/interleave-loom/shims");
        if !shims.is_dir() {
            bail!(
                "interleave-loom's shims are not at {}: run this from a build of the repository",
                shims.display()
            );
        }
        // Suites on loom 0.7 and on 0.5 each find their version.
        for (key, version) in [("loom", "0.7"), ("loom05", "0.5")] {
            let path = shims.join(format!("loom-{version}"));
            command.arg("--config").arg(format!(
                "patch.crates-io.{key}.path={}",
                toml_string(&path.display().to_string())
            ));
            command
                .arg("--config")
                .arg(format!("patch.crates-io.{key}.package=\"loom\""));
        }
    }
    let out = command.output().context("cannot run cargo test")?;
    let messages: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    if !out.status.success() {
        // With JSON messages, the compiler's errors come on standard output: shown here.
        for message in messages
            .iter()
            .filter(|m| m["reason"] == "compiler-message")
        {
            if let Some(rendered) = message["message"]["rendered"].as_str() {
                eprint!("{rendered}");
            }
        }
        bail!(
            "cargo cannot build the loom suite of {} with {engine} (see its messages above)",
            manifest.display()
        );
    }
    Ok(messages
        .iter()
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect())
}

/// `text` as a TOML string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The tests of `binary` that `filter` selects, as libtest lists them.
fn listed(binary: &Path, filter: &[String]) -> Result<Vec<String>> {
    let out = Command::new(binary)
        .arg("--list")
        .args(filter)
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("cannot run the test binary {}", binary.display()))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

/// Runs one test alone under `engine`, timed. Real loom says how many executions each model
/// took on its log, at `info` for `loom::model` ("Completed in 4 iterations"), which only
/// `loom::model` itself prints (a suite that calls `Builder::check` has no logger).
fn run_one(binary: &Path, crate_dir: &Path, test: &str, engine: &str) -> Result<Ran> {
    let start = Instant::now();
    let mut command = Command::new(binary);
    command
        .current_dir(crate_dir)
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env("CARGO_MANIFEST_DIR", crate_dir);
    if engine == "loom" {
        command.env("LOOM_LOG", "loom::model=info");
    }
    let out = command
        .output()
        .with_context(|| format!("cannot run the test binary {}", binary.display()))?;
    let time = start.elapsed();
    let executions = if engine == "loom" {
        looms_iterations(&String::from_utf8_lossy(&out.stdout))
    } else {
        executions(&String::from_utf8_lossy(&out.stderr))
    };
    Ok(Ran {
        passed: out.status.success(),
        time,
        executions,
    })
}

/// The executions real loom's log gives, summed over the test's models ("Completed in 4
/// iterations", among terminal colours).
fn looms_iterations(stdout: &str) -> Option<String> {
    let counts: Vec<usize> = stdout
        .lines()
        .filter_map(|l| l.split("Completed in ").nth(1))
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    (!counts.is_empty()).then(|| crate::bench::thousands(counts.iter().sum()))
}

/// The executions interleave-loom's summary lines give, summed ("ok: verified, … (12
/// executions)").
fn executions(stderr: &str) -> Option<String> {
    let counts: Vec<usize> = stderr
        .lines()
        .filter(|l| l.contains(": ok"))
        .filter_map(|l| {
            let (before, _) = l
                .rsplit_once(" execution")
                .or_else(|| l.rsplit_once(" schedule"))?;
            before
                .rsplit(['(', ' '])
                .next()?
                .replace(',', "")
                .parse()
                .ok()
        })
        .collect();
    (!counts.is_empty()).then(|| crate::bench::thousands(counts.iter().sum()))
}

/// One row per test: each engine's verdict, time and executions.
fn render(table: &BTreeMap<String, [Option<Ran>; 2]>) -> String {
    let header = [
        "test",
        "loom",
        "time",
        "executions",
        "interleave-loom",
        "time",
        "executions",
    ];
    let cells = |ran: &Option<Ran>| match ran {
        Some(r) => [
            if r.passed { "ok" } else { "FAILED" }.to_string(),
            crate::bench::seconds(r.time),
            r.executions.clone().unwrap_or_else(|| "-".to_string()),
        ],
        None => ["-".to_string(), "-".to_string(), "-".to_string()],
    };
    let rows = table
        .iter()
        .map(|(name, [loom, ours])| {
            std::iter::once(name.clone())
                .chain(cells(loom))
                .chain(cells(ours))
                .collect()
        })
        .collect();
    let mut out = columns::plain(&header, rows, &[2, 3, 5, 6]);
    let differ = table
        .values()
        .filter(|[a, b]| a.as_ref().map(|r| r.passed) != b.as_ref().map(|r| r.passed))
        .count();
    out.push_str(&format!(
        "{} tests; {differ} with different verdicts under the two engines\n",
        table.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_executions_are_read_from_the_summary_lines() {
        let said = "tests::a: ok: verified, every schedule explored (1,204 executions)\n\
                    tests::a: ok: verified, every schedule explored (6 executions)\n\
                    some other line (3 executions)\n";
        assert_eq!(super::executions(said).as_deref(), Some("1,210"));
        assert_eq!(super::executions("nothing"), None);
    }

    #[test]
    fn looms_executions_are_read_from_its_log() {
        let said = "\u{1b}[32m INFO\u{1b}[0m \u{1b}[2mloom::model\u{1b}[0m\u{1b}[2m:\u{1b}[0m \
                    Completed in 4 iterations\n\
                    INFO loom::model: Completed in 1200 iterations\ntest a ... ok\n";
        assert_eq!(super::looms_iterations(said).as_deref(), Some("1,204"));
        assert_eq!(super::looms_iterations("test a ... ok"), None);
    }
}
