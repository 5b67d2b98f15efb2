//! `interleave`: list, run, check, replay and tabulate the course's models.

use std::process::ExitCode;

fn main() -> ExitCode {
    stop_quietly_on_a_closed_pipe();
    match interleave::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("interleave: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `interleave list | head` stops quietly once `head` has read enough, as Unix tools do. Rust
/// starts programs with SIGPIPE ignored, so the next print to the closed pipe would panic
/// instead. Sockets are unaffected: std sends on them with `MSG_NOSIGNAL` (Linux) or
/// `SO_NOSIGPIPE` (macOS), so the wine server still sees a client that hung up as a write error.
fn stop_quietly_on_a_closed_pipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
