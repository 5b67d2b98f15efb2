//! The progress line of a check on a terminal: which mode and bound, how many executions and how
//! fast, how long so far — redrawn in place while the explorer works, cleared before the report.
//! Nothing is drawn when standard output is not a terminal (a pipe, a file, `--format json`).

use crate::bench::thousands;
use crate::catalogue::Watch;
use crate::explore::{Mode, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

/// A progress line on the terminal, if standard output is one.
pub(crate) struct Line(Option<ProgressBar>);

impl Line {
    /// No line at all (`--format json`).
    pub fn none() -> Line {
        Line(None)
    }

    pub fn on_terminal() -> Line {
        if !std::io::stdout().is_terminal() {
            return Line(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}").expect("a valid progress template"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Line(Some(bar))
    }

    /// The watcher that redraws this line, if it is drawn.
    pub fn watch(&self) -> Option<Watch> {
        let bar = self.0.clone()?;
        Some(Watch(Arc::new(move |p: &Progress| {
            bar.set_message(words(p))
        })))
    }

    pub fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// "exhaustive mode, preemption bound 2: 12,345 executions (8,210/s), 1.5 s".
pub(crate) fn words(p: &Progress) -> String {
    let secs = p.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        format!(" ({}/s)", thousands((p.executions as f64 / secs) as usize))
    } else {
        String::new()
    };
    let noun = match p.mode {
        Mode::Real => "runs",
        Mode::Exhaustive => "executions",
        _ => "schedules",
    };
    let done = match p.planned {
        Some(planned) => format!(
            "{} of {} {noun}",
            thousands(p.executions),
            thousands(planned)
        ),
        None => format!("{} {noun}", thousands(p.executions)),
    };
    let at = match p.bound {
        Some(interleave_check::explore::UNBOUNDED) => ", no preemption bound".to_string(),
        Some(b) => format!(", preemption bound {b}"),
        None => String::new(),
    };
    // Bounded mode's estimate of the bound being explored (see `Progress::estimate`).
    let ahead = match (p.estimate, p.left) {
        (Some(estimate), Some(left)) => format!(
            "; this bound about {} in all, about {:.0} s left",
            thousands(estimate),
            left.as_secs_f64().ceil()
        ),
        _ => String::new(),
    };
    format!("{} mode{at}: {done}{rate}, {secs:.1} s{ahead}", p.mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_how_much_of_the_bound_is_left_where_it_is_estimated() {
        let mut p = Progress {
            mode: Mode::Bounded,
            executions: 12_345,
            bound: Some(2),
            planned: None,
            elapsed: Duration::from_millis(1500),
            estimate: None,
            left: None,
        };
        assert_eq!(
            words(&p),
            "bounded mode, preemption bound 2: 12,345 schedules (8,230/s), 1.5 s"
        );
        p.estimate = Some(40_000);
        p.left = Some(Duration::from_millis(3400));
        assert!(
            words(&p).ends_with("1.5 s; this bound about 40,000 in all, about 4 s left"),
            "{}",
            words(&p)
        );
    }
}
