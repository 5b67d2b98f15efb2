//! `interleave`: list, run, check, replay and tabulate the course's models.

use std::process::ExitCode;

fn main() -> ExitCode {
    match interleave::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("interleave: {e:#}");
            ExitCode::from(2)
        }
    }
}
