//! `interleave test`: any crate's test suite in the three configurations (std, `--cfg loom`,
//! `--cfg shuttle`), each in a target directory of its own with its RUSTFLAGS, summed up in one
//! table of test × real / exhaustive / random; and `interleave replay --test`, which re-runs one
//! test of such a crate on the schedule its failure printed.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

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

/// The target directory cargo uses for the crate at `manifest`.
fn target_dir(manifest: &Path) -> Result<PathBuf> {
    let out = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(manifest)
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo metadata")?;
    if !out.status.success() {
        bail!("cargo cannot read {}", manifest.display());
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("cargo metadata printed no JSON")?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata names no target directory")
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

pub(super) fn run(
    manifest_path: Option<&Path>,
    filter: &[String],
    format: super::Format,
    junit: Option<&Path>,
) -> Result<ExitCode> {
    let manifest = manifest(manifest_path)?;
    let target = target_dir(&manifest)?;
    let mut table: BTreeMap<String, [Option<Ran>; 3]> = BTreeMap::new();
    let mut broken = Vec::new();
    let mut failures = Vec::new();
    // Each failed test's output, per configuration, for the JUnit file.
    let mut outputs: [BTreeMap<String, String>; 3] = Default::default();
    for (column, (backend, title)) in CONFIGURATIONS.iter().enumerate() {
        eprintln!("interleave: running the tests in the {title} configuration…");
        let mut command = cargo_test(&manifest, &target, backend);
        command.arg("--").args(filter);
        let (status, stdout) = super::run_delegated(command, true)?;
        let found = results(&stdout);
        if !status.success() && !found.iter().any(|(_, r)| *r == Ran::Failed) {
            broken.push(*title);
        }
        if let Some(section) = failures_section(&stdout) {
            outputs[column] = failed_outputs(&section);
            failures.push(format!("== {title}\n{section}"));
        }
        for (name, ran) in found {
            table.entry(name).or_default()[column] = Some(ran);
        }
    }
    if let Some(path) = junit {
        std::fs::write(path, junit_xml(&table, &outputs)?)
            .with_context(|| format!("cannot write the JUnit file {}", path.display()))?;
    }
    match format {
        super::Format::Text => {
            for section in &failures {
                println!("{section}");
            }
            print!("{}", render(&table));
        }
        super::Format::Json => {
            for line in json_rows(&table) {
                println!("{line}");
            }
        }
    }
    if !broken.is_empty() {
        eprintln!(
            "interleave: cargo test failed before any test did in: {} (see cargo's messages above)",
            broken.join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let failed = table.values().flatten().any(|r| *r == Some(Ran::Failed));
    Ok(ExitCode::from(u8::from(failed)))
}

/// The "failures:" part of libtest's output: each failed test's captured output.
fn failures_section(stdout: &str) -> Option<String> {
    let start = stdout.find("\nfailures:\n")?;
    let end = stdout[start..]
        .find("\ntest result:")
        .map_or(stdout.len(), |e| start + e);
    Some(stdout[start + 1..end].trim_end().to_string())
}

/// Each failed test's own output in a "failures:" section (libtest's `---- NAME stdout ----`
/// blocks), by test name.
fn failed_outputs(section: &str) -> BTreeMap<String, String> {
    let mut outputs = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in section.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"));
        if let Some(name) = header {
            outputs.extend(current.take());
            current = Some((name.to_string(), String::new()));
        } else if line == "failures:" {
            // libtest's list of the failed tests' names, after their outputs.
            outputs.extend(current.take());
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    outputs.extend(current);
    for text in outputs.values_mut() {
        text.truncate(text.trim_end().len());
    }
    outputs
}

/// The configurations' short names, as JSON keys and JUnit suites call them.
const KEYS: [&str; 3] = ["real", "exhaustive", "random"];

/// One JSON object per test: what it did in each configuration (`null` where the build does
/// not have it).
fn json_rows(table: &BTreeMap<String, [Option<Ran>; 3]>) -> Vec<String> {
    table
        .iter()
        .map(|(name, row)| {
            let mut object = serde_json::Map::new();
            object.insert("test".into(), name.clone().into());
            for (key, ran) in KEYS.iter().zip(row) {
                let value = ran.map_or(serde_json::Value::Null, |r| r.word().into());
                object.insert((*key).into(), value);
            }
            serde_json::Value::Object(object).to_string()
        })
        .collect()
}

/// The results as JUnit XML, what CI systems read: one suite per configuration, one case per
/// test it has, a failed case carrying the test's output (its report).
fn junit_xml(
    table: &BTreeMap<String, [Option<Ran>; 3]>,
    outputs: &[BTreeMap<String, String>; 3],
) -> Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("interleave test");
    for (column, ((_, title), key)) in CONFIGURATIONS.iter().zip(KEYS).enumerate() {
        let mut suite = TestSuite::new(format!("{key}: {title}"));
        for (name, row) in table {
            let Some(ran) = row[column] else { continue };
            let status = match ran {
                Ran::Passed => TestCaseStatus::success(),
                Ran::Ignored => TestCaseStatus::skipped(),
                Ran::Failed => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    if let Some(output) = outputs[column].get(name) {
                        status.set_description(output.as_str());
                    }
                    status
                }
            };
            suite.add_test_case(TestCase::new(name.as_str(), status));
        }
        report.add_test_suite(suite);
    }
    report.to_string().context("cannot write the JUnit report")
}

/// The table of test × configuration; `-` where the test does not exist in that build (a test
/// under `#[cfg(loom)]`).
fn render(table: &BTreeMap<String, [Option<Ran>; 3]>) -> String {
    let mut header = vec!["test"];
    header.extend(CONFIGURATIONS.iter().map(|(_, title)| *title));
    let rows = table
        .iter()
        .map(|(name, row)| {
            let mut line = vec![name.clone()];
            line.extend(row.iter().map(|r| r.map_or("-", Ran::word).to_string()));
            line
        })
        .collect();
    let mut out = super::columns::plain(&header, rows, &[]);
    let count = |r: Ran| table.values().flatten().filter(|x| **x == Some(r)).count();
    out.push_str(&format!(
        "{} tests, run in the configurations that have them: {} passed, {} failed, {} ignored\n",
        table.len(),
        count(Ran::Passed),
        count(Ran::Failed),
        count(Ran::Ignored)
    ));
    out
}

/// Re-runs the test called `test` of the crate at `manifest_path` in the shuttle build, on
/// `schedule`: the checker reads it from `INTERLEAVE_REPLAY` and replays that schedule instead
/// of sampling.
pub(super) fn replay(
    manifest_path: Option<&Path>,
    test: &str,
    schedule: &str,
    html: Option<&Path>,
) -> Result<ExitCode> {
    let manifest = manifest(manifest_path)?;
    let target = target_dir(&manifest)?;
    let mut command = cargo_test(&manifest, &target, "shuttle");
    command
        .env("INTERLEAVE_REPLAY", schedule)
        .args(["--", "--exact", test, "--nocapture"]);
    if let Some(html) = html {
        // The test runs in the crate's directory: the page's path must not depend on it.
        let html = std::path::absolute(html)
            .with_context(|| format!("cannot tell where {} is", html.display()))?;
        command.env("INTERLEAVE_HTML", html);
    }
    let (status, stdout) = super::run_delegated(command, true)?;
    if results(&stdout).is_empty() {
        bail!(
            "no test is called '{test}' in {} (cargo test -- --exact ran none): give the name \
             the report's replay line gives",
            manifest.display()
        );
    }
    print!("{stdout}");
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn json_and_junit_say_what_each_test_did_where() {
        let mut table = BTreeMap::new();
        table.insert(
            "only_explored".to_string(),
            [None, Some(Ran::Passed), Some(Ran::Failed)],
        );
        let json = json_rows(&table);
        assert_eq!(
            json,
            [r#"{"exhaustive":"ok","random":"FAILED","real":null,"test":"only_explored"}"#]
        );
        let section =
            "failures:\n\n---- only_explored stdout ----\nonly_explored (random mode)\n  \
                       deadlock: a & b\n\nfailures:\n    only_explored\n";
        let mut outputs: [BTreeMap<String, String>; 3] = Default::default();
        outputs[2] = failed_outputs(section);
        let xml = junit_xml(&table, &outputs).unwrap();
        let random = r#"<testsuite name="random: random (shuttle)" tests="1" skipped="0" errors="0" failures="1">"#;
        assert!(xml.contains(random), "{xml}");
        assert!(xml.contains("  deadlock: a &amp; b</failure>"), "{xml}");
        assert!(
            xml.contains(r#"<testsuite name="real: real (std)" tests="0""#),
            "{xml}"
        );
    }

    #[test]
    fn the_table_marks_tests_a_build_does_not_have() {
        let mut table = BTreeMap::new();
        table.insert(
            "only_explored".to_string(),
            [None, Some(Ran::Passed), Some(Ran::Failed)],
        );
        let text = render(&table);
        assert!(text.contains("only_explored  -"), "{text}");
        assert!(text.contains("FAILED"), "{text}");
        assert!(text.contains("1 passed, 1 failed"), "{text}");
    }
}
