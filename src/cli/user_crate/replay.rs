//! `interleave replay --test NAME SCHEDULE`: one test of a user's crate re-run in the shuttle
//! build on the schedule its failure printed; the checker reads it from `INTERLEAVE_REPLAY`. It
//! exits 0 when the schedule reproduced the failure, 1 when it did not.

use super::{cargo_test, manifest, results, target_dir};
use crate::cli::delegate::run_delegated;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::ExitCode;

/// Re-runs the test called `test` of the crate at `manifest_path` in the shuttle build, on
/// `schedule`: the checker reads it from `INTERLEAVE_REPLAY` and replays that schedule instead
/// of sampling.
pub(in crate::cli) fn replay(
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
    let (_, stdout) = run_delegated(command, true)?;
    if results(&stdout).is_empty() {
        bail!(
            "no test is called '{test}' in {} (cargo test -- --exact ran none): give the name \
             the report's replay line gives",
            manifest.display()
        );
    }
    // The test fails when its failure shows again (unless it expects it): what says whether the
    // replay did its job is the checker's own line.
    let reproduced = stdout
        .lines()
        .any(|l| l == interleave_check::explore::REPRODUCED);
    print!("{stdout}");
    Ok(if reproduced {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
