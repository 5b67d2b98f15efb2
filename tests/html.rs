//! The page of a failure, as a browser shows it: Debian's Chromium (installed by `.ci/run`)
//! loads each page headless at `#end` — the script steps to the end on load — and the test reads
//! the document it leaves: the naive philosophers' cycle drawn in red through the right threads
//! and forks, the racy counter's two overwriting writes named and marked, a hang drawn without a
//! cycle. It also takes the screenshot the README shows.
#![cfg(loom)]

use interleave::explore::{check, Mode, Model, Params, Plan, Report};
use interleave::models;
use std::path::{Path, PathBuf};
use std::process::Command;

fn report(model: &'static Model, variant: &str) -> Report {
    let params = Params::for_model(model, Mode::Exhaustive, &[]).unwrap();
    let report = check(
        model,
        model.variant(variant).unwrap(),
        &params,
        &Plan::new(Mode::Exhaustive),
    )
    .unwrap();
    assert!(report.agrees(), "{report}");
    report
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/html-pages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Chromium, headless, with the flags this machine's closed network needs.
fn chromium(args: &[String]) -> std::process::Output {
    let profile = tempdir("chromium-profile");
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("Chromium (Debian's package `chromium`, which .ci/run installs)")
}

/// A directory of its own for each call: the tests run side by side, and two Chromiums never
/// share a profile (the second would refuse to start).
fn tempdir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("interleave-{name}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The page of `report`, written, loaded at its end, and the document Chromium leaves.
fn dom_at_end(report: &Report, name: &str) -> String {
    let path = out_dir().join(format!("{name}.html"));
    std::fs::write(&path, report.html()).unwrap();
    let out = chromium(&[
        "--dump-dom".to_string(),
        format!("file://{}#end", path.display()),
    ]);
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("</html>"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

/// The one state panel the script left showing.
fn shown_state(dom: &str) -> &str {
    let start = dom
        .match_indices("<div class=\"state\"")
        .map(|(i, _)| i)
        .find(|&i| !dom[i..dom[i..].find('>').unwrap() + i].contains("hidden"))
        .expect("one state shown");
    &dom[start..start + dom[start..].find("</div>").unwrap()]
}

#[test]
fn the_naive_philosophers_page_draws_their_cycle() {
    let report = report(&models::philosophers::MODEL, "naive");
    let dom = dom_at_end(&report, "philosophers-naive");
    let cycle = report
        .failure
        .as_ref()
        .unwrap()
        .snapshot
        .cycle
        .clone()
        .unwrap();
    // Every philosopher of the cycle has a red edge to the fork they wait for.
    let red: Vec<&str> = dom
        .split("<line class=\"edge cycle\" data-from=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    for philosopher in &cycle {
        assert!(
            red.contains(&philosopher.as_str()),
            "{philosopher} in {red:?}"
        );
    }
    assert_eq!(red.len(), 2 * cycle.len(), "{red:?}");
    assert!(red.iter().any(|from| from.starts_with("fork ")), "{red:?}");
    // Stepped to the end: every fork held, each waited for.
    let state = shown_state(&dom);
    assert!(
        state.contains("fork 1: held by Kant; waited for by Russell"),
        "{state}"
    );
    assert!(
        dom.contains("the end (step"),
        "the script stepped to the end"
    );
    // The control: the first state (before any step) is hidden at the end.
    assert!(
        dom.contains("<div class=\"state\" data-step=\"0\" hidden"),
        "{state}"
    );
    let shot = out_dir().join("philosophers-naive.png");
    let _ = std::fs::remove_file(&shot);
    chromium(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1300,1250".to_string(),
        format!(
            "file://{}#end",
            out_dir().join("philosophers-naive.html").display()
        ),
    ]);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}

#[test]
fn the_racy_counter_page_names_its_two_overwriting_steps() {
    let report = report(&models::counter::MODEL, "racy");
    let (a, b) = report
        .overwrite_steps()
        .expect("a lost update has two writes");
    let dom = dom_at_end(&report, "counter-racy");
    assert!(dom.contains(&format!("data-steps=\"{a} {b}\"")), "{dom}");
    for step in [a, b] {
        let row = dom
            .split(&format!("<tr id=\"step-{step}\""))
            .nth(1)
            .expect("the step's row");
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("write"), "step {step}: {row}");
    }
    assert!(
        !dom.contains("class=\"edge cycle\""),
        "no cycle in a lost update"
    );
}

#[test]
fn a_hang_s_page_draws_the_wait_without_a_cycle() {
    let report = report(&models::lock_leak::MODEL, "as-printed");
    let dom = dom_at_end(&report, "lock-leak-as-printed");
    assert!(dom.contains("<svg id=\"wait-for\""), "a wait-for graph");
    assert!(dom.contains("class=\"edge\""), "its edges");
    assert!(!dom.contains("class=\"edge cycle\""), "but no cycle");
}

/// `check … --html FILE` writes the page the tests above read; without a variant it refuses.
#[test]
fn check_writes_the_page_with_html() {
    let path = out_dir().join("from-the-cli.html");
    let _ = std::fs::remove_file(&path);
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["check", "counter", "racy", "--html"])
        .arg(&path)
        .env("INTERLEAVE_DELEGATED", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&path).expect("the page");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("id=\"overwrite\""));
    let refused = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["check", "counter", "--html"])
        .arg(&path)
        .env("INTERLEAVE_DELEGATED", "1")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("one variant"));
}
