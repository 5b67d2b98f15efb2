//! `interleave test`: a crate's test suite in the three configurations, summed up in one table
//! of test × real / exhaustive / random, or as JSON lines and JUnit XML for CI.

use super::{
    cargo_test, dependencies_with_loom_code, manifest, results, target_dir, Ran, CONFIGURATIONS,
};
use crate::cli::{columns, delegate::run_delegated, Format};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

pub(in crate::cli) fn run(
    manifest_path: Option<&Path>,
    filter: &[String],
    format: Format,
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
        if *backend == "loom" {
            let theirs = dependencies_with_loom_code(&manifest)?;
            if !theirs.is_empty() {
                eprintln!(
                    "interleave: note: --cfg loom reaches every dependency, and {} {} loom code \
                     of its own, built and run in this configuration too",
                    theirs.join(", "),
                    if theirs.len() == 1 { "has" } else { "have" }
                );
            }
        }
        let mut command = cargo_test(&manifest, &target, backend);
        command.arg("--").args(filter);
        let (status, stdout) = run_delegated(command, true)?;
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
        Format::Text => {
            for section in &failures {
                println!("{section}");
            }
            print!("{}", render(&table));
        }
        Format::Json => {
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
    let mut out = columns::plain(&header, rows, &[]);
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

#[cfg(test)]
mod tests {
    use super::*;

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
