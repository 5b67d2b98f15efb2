//! The README's walk from `cargo new` to a failing test's page, game and replay ("Check your
//! own code"), run as written: the shell lines between its `walkthrough` markers, in a fresh
//! directory, with this build's `interleave` first on the PATH. Whatever the README says the
//! table shows, the run must show; the replay must reproduce the failure and write its page,
//! and the game's moves must reach the bug.
//!
//! It builds a new crate in the three configurations (in `target/walkthrough`, kept between
//! runs): minutes the first time. The std build's test, as the CLI's are.
#![cfg(not(any(loom, shuttle)))]

use std::path::Path;
use std::process::Command;

/// The text between `<!-- name:start -->` and `<!-- name:end -->` in the README.
fn marked<'a>(readme: &'a str, name: &str) -> &'a str {
    let start = format!("<!-- {name}:start -->");
    let end = format!("<!-- {name}:end -->");
    let from = readme.find(&start).expect("the start marker") + start.len();
    let to = readme[from..].find(&end).expect("the end marker") + from;
    &readme[from..to]
}

/// The body of the first fenced block in `text` whose fence is "```lang".
fn fenced<'a>(text: &'a str, lang: &str) -> &'a str {
    let fence = format!("```{lang}\n");
    let from = text.find(&fence).expect("a fenced block") + fence.len();
    let to = text[from..].find("```").expect("the closing fence") + from;
    &text[from..to]
}

#[test]
fn the_readmes_walk_from_cargo_new_runs_as_written() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("the README");
    let script = fenced(marked(&readme, "walkthrough"), "sh");
    let after = &readme[readme.find("<!-- walkthrough:end -->").unwrap()..];
    let table = fenced(after, "text");

    let work = std::env::temp_dir().join(format!("interleave-walkthrough-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("a fresh directory");
    let bin = Path::new(env!("CARGO_BIN_EXE_interleave"))
        .parent()
        .expect("the binary's directory");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(&work)
        .env("INTERLEAVE", root)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", format!("{root}/target/walkthrough"))
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .env_remove("INTERLEAVE_DELEGATED")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for line in table.lines() {
        assert!(
            stdout.lines().any(|l| l.trim_end() == line.trim_end()),
            "the README's table line '{line}' is not what interleave test printed:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(interleave_check::explore::REPRODUCED),
        "{stdout}"
    );
    assert!(stdout.contains("You reached the panic"), "{stdout}");
    let bank = work.join("bank");
    let page = std::fs::read_to_string(bank.join("deposit.html")).expect("the replay's page");
    assert!(
        page.contains("a deposit was lost"),
        "the page lacks the failure"
    );
    let junit = std::fs::read_to_string(bank.join("results.xml")).expect("the JUnit file");
    assert_eq!(junit.matches("<failure").count(), 2, "{junit}");
    // `interleave test` built what the user's own `cargo test` runs build, where they build it:
    // after it, each configuration's `cargo test` has nothing left to compile.
    let target = format!("{root}/target/walkthrough");
    for (cfg, dir) in [
        ("", target.clone()),
        ("--cfg loom", format!("{target}/loom")),
        ("--cfg shuttle", format!("{target}/shuttle")),
    ] {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["test", "--no-run", "--target-dir", &dir])
            .current_dir(&bank)
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS");
        if !cfg.is_empty() {
            cargo.env("RUSTFLAGS", cfg).env("RUSTDOCFLAGS", cfg);
        }
        let built = cargo.output().expect("cargo runs");
        let said = String::from_utf8_lossy(&built.stderr);
        assert!(built.status.success(), "{said}");
        assert!(
            !said.contains("Compiling"),
            "cargo test {cfg} rebuilt what interleave test had built:\n{said}"
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}
