//! Handing a command to a build of another configuration: this program built with `--cfg loom`
//! or `--cfg shuttle` in its own target directory, run through cargo, its output filtered of the
//! explorers' own chatter.

use anyhow::{bail, Context, Result};
use std::process::ExitCode;

/// Hands the same command line to a build with the `backend` configuration.
pub(crate) fn delegate(backend: &str) -> Result<ExitCode> {
    let mut command = delegated_command(backend)?;
    command.args(std::env::args_os().skip(1));
    let (status, _) = run_delegated(command, false)?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(c) => ExitCode::from(u8::try_from(c).unwrap_or(2)),
        None => ExitCode::from(2),
    })
}

/// Runs a build `delegated_command` made, its standard output captured (when `capture_stdout`)
/// or passed through, its standard error passed through without shuttle's "test panicked in
/// task '…'" and "Test deadlocked…" lines: shuttle prints one for every failing schedule it
/// meets, and the report already says which thread failed and why.
pub(crate) fn run_delegated(
    mut command: std::process::Command,
    capture_stdout: bool,
) -> Result<(std::process::ExitStatus, String)> {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    command.stderr(Stdio::piped());
    if capture_stdout {
        command.stdout(Stdio::piped());
    }
    let mut child = command
        .spawn()
        .context("cannot start cargo to build the explorer")?;
    let stderr = child.stderr.take().context("no standard error to read")?;
    let forward = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // cargo's lines about which test binary runs say nothing a report does not.
            let trimmed = line.trim_start();
            let chatter = ["Running ", "Doc-tests ", "Finished "]
                .iter()
                .any(|p| trimmed.starts_with(p));
            let shuttle = line.starts_with("test panicked in")
                || line.starts_with("Test deadlocked, and SHUTTLE_CAPTURE_BACKTRACE is not set")
                || line == "Task failed, serializing schedule";
            if !shuttle && !chatter {
                eprintln!("{line}");
            }
        }
    });
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)
            .context("cannot read what the explorer printed")?;
    }
    let status = child.wait().context("the explorer did not end")?;
    let _ = forward.join();
    Ok((status, stdout))
}

/// Whether `target/<backend>/release/interleave` is newer than every source it is built from (a
/// guess from modification times, to say "building" only when cargo will build).
fn built_from_current_sources(manifest_dir: &str, target: &std::path::Path) -> bool {
    fn newest(path: &std::path::Path) -> Option<std::time::SystemTime> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_file() {
            return meta.modified().ok();
        }
        std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| newest(&e.ok()?.path()))
            .max()
    }
    let Some(binary) = newest(&target.join("release").join("interleave")) else {
        return false;
    };
    let root = std::path::Path::new(manifest_dir);
    [
        "src",
        "models",
        "bench",
        "crates",
        "Cargo.toml",
        "Cargo.lock",
    ]
    .iter()
    .filter_map(|p| newest(&root.join(p)))
    .all(|source| source <= binary)
}

/// `cargo run` of this program built with the `backend` configuration, in its own target
/// directory so that the three builds do not rebuild each other; the caller adds the arguments.
pub(crate) fn delegated_command(backend: &str) -> Result<std::process::Command> {
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    if std::env::var_os("INTERLEAVE_DELEGATED").is_some()
        || !std::path::Path::new(manifest_dir)
            .join("Cargo.toml")
            .exists()
    {
        bail!(
            "this build has the {} backend; for {backend}, build with {}",
            crate::sync::BACKEND,
            crate::sync::build_command(backend)
        );
    }
    let target = std::path::Path::new(manifest_dir)
        .join("target")
        .join(backend);
    let building = !built_from_current_sources(manifest_dir, &target);
    if building {
        eprintln!(
            "interleave: building the {backend} configuration in target/{backend} first (a few \
             minutes the first time; cargo's progress follows)…"
        );
    }
    let mut command =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.arg("run");
    if !building {
        command.arg("--quiet");
    }
    command
        .args(["--release", "--bin", "interleave", "--manifest-path"])
        .arg(format!("{manifest_dir}/Cargo.toml"))
        .arg("--target-dir")
        .arg(format!("{manifest_dir}/target/{backend}"))
        .arg("--")
        .env("RUSTFLAGS", format!("--cfg {backend}"))
        .env("INTERLEAVE_DELEGATED", "1");
    Ok(command)
}
