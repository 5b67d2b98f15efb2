//! What one check of one variant found, and how it is shown to the user.

use super::{Failure, FailureKind, Model, Outcome, Params, Variant, Verdict};
use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

/// How a variant is run: for real, or explored by a backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Mode {
    /// std threads, repeated runs at realistic size, timed.
    Real,
    /// loom: every schedule up to a preemption bound.
    Exhaustive,
    /// shuttle: uniformly random schedules.
    Random,
    /// shuttle: probabilistic concurrency testing (PCT), which favours few, deep preemptions.
    Pct,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Real, Mode::Exhaustive, Mode::Random, Mode::Pct];

    /// The backend a build needs to run this mode.
    pub fn backend(self) -> &'static str {
        match self {
            Mode::Real => "std",
            Mode::Exhaustive => "loom",
            Mode::Random | Mode::Pct => "shuttle",
        }
    }

    /// Whether this build can run the mode.
    pub fn available(self) -> bool {
        self.backend() == crate::sync::BACKEND
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Real => "real",
            Mode::Exhaustive => "exhaustive",
            Mode::Random => "random",
            Mode::Pct => "pct",
        }
    }

    pub fn scale(self) -> super::Scale {
        match self {
            Mode::Real => super::Scale::Real,
            Mode::Exhaustive => super::Scale::Exhaustive,
            Mode::Random | Mode::Pct => super::Scale::Randomized,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How far an exploration went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// loom explored every schedule with at most `preemptions` preemptions.
    Exhaustive { preemptions: usize },
    /// shuttle ran the fair schedule, then every one of the `schedules` asked for.
    Sampled { schedules: usize, seed: u64 },
    /// One schedule given by the user, replayed exactly.
    Replayed,
    /// Real runs, each one schedule the OS chose.
    Repeated { runs: usize },
    /// The exploration stopped on a budget before it was complete: nothing is verified.
    Incomplete(String),
}

/// The result of checking one variant in one mode.
#[derive(Clone, Debug)]
pub struct Report {
    pub model: &'static Model,
    pub variant: &'static Variant,
    pub mode: Mode,
    pub params: Params,
    /// `None` when no schedule failed.
    pub failure: Option<Failure>,
    pub coverage: Coverage,
    /// Executions run (across every bound, for exhaustive mode).
    pub executions: usize,
    /// Every final state reached by an execution that ran to its end.
    pub outcomes: BTreeSet<Outcome>,
    pub elapsed: Duration,
}

/// The one-word answer of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    Verdict(Verdict),
    /// A budget stopped the exploration: neither verified nor refuted.
    Incomplete,
    /// A real run stopped making progress (deadlock, hang or livelock: real threads cannot tell).
    Stuck,
    /// The size does not fit the backend, or the model crashed.
    Error,
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Observed::Verdict(v) => f.pad(v.as_str()),
            Observed::Incomplete => f.pad("incomplete"),
            Observed::Stuck => f.pad("stuck"),
            Observed::Error => f.pad("error"),
        }
    }
}

impl Report {
    pub fn observed(&self) -> Observed {
        match &self.failure {
            Some(f) => match &f.kind {
                FailureKind::Verdict { verdict, .. } => Observed::Verdict(*verdict),
                FailureKind::Stuck(_) => Observed::Stuck,
                FailureKind::TooBig(_) | FailureKind::Crash(_) => Observed::Error,
            },
            None if matches!(self.coverage, Coverage::Incomplete(_)) => Observed::Incomplete,
            None => Observed::Verdict(Verdict::Ok),
        }
    }

    /// The verdict this mode must observe: the variant's, or `ok` where the model states the
    /// mode is blind to the bug.
    pub fn expected(&self) -> Verdict {
        self.model.expected_in(self.variant, self.mode).0
    }

    /// Whether the run agrees with the variant's expected verdict.
    ///
    /// A real run follows one schedule the OS picks, so it can show a bug but never its absence,
    /// nor tell which of the reachable failures is the worst: for a buggy variant, a real run that
    /// passed, failed in another way or got stuck is not a disagreement (the rendezvous can hang or
    /// stop short; the lock-free bounded buffer can garble an item or lose a sentinel). The
    /// explorers must observe the expected verdict exactly.
    pub fn agrees(&self) -> bool {
        let observed = self.observed();
        let expected = self.expected();
        observed == Observed::Verdict(expected)
            || (self.mode == Mode::Real
                && expected != Verdict::Ok
                && matches!(observed, Observed::Verdict(_) | Observed::Stuck))
    }

    /// What the run establishes, in one line.
    pub fn summary(&self) -> String {
        let found = |v: Verdict| match &self.coverage {
            Coverage::Exhaustive { preemptions } => {
                format!("{v} found at preemption bound {preemptions}")
            }
            Coverage::Replayed => format!("{v} reproduced by the replayed schedule"),
            Coverage::Sampled { .. } => match self.failure.as_ref().and_then(|f| f.found_in) {
                Some(1) | None if self.executions == 1 => {
                    format!("{v} found by the first schedule, the fair one (round-robin at yields)")
                }
                Some(1) => format!(
                    "{v} found by the first schedule, the fair one (round-robin at yields); \
                     {} schedules run in all, looking for a worse verdict",
                    self.executions
                ),
                Some(k) if k < self.executions => format!(
                    "{v} found by schedule {k} (the fair one, then {} {}); {} schedules run in \
                     all, looking for a worse verdict",
                    k - 1,
                    self.mode,
                    self.executions
                ),
                _ => format!(
                    "{v} found after {} schedules (the fair one, then {} {})",
                    self.executions,
                    self.executions - 1,
                    self.mode
                ),
            },
            _ => format!("{v} in run {}", self.executions),
        };
        match (self.observed(), &self.coverage) {
            (Observed::Verdict(Verdict::Ok), Coverage::Exhaustive { preemptions }) => format!(
                "ok: no bug up to preemption bound {preemptions}, exploration complete ({} executions)",
                self.executions
            ),
            (Observed::Verdict(Verdict::Ok), Coverage::Sampled { schedules, seed }) => {
                format!("ok: no bug in the fair schedule nor in {schedules} schedules (seed {seed})")
            }
            (Observed::Verdict(Verdict::Ok), Coverage::Replayed) => {
                "ok: the replayed schedule ran to its end with every check holding".to_string()
            }
            (Observed::Verdict(Verdict::Ok), _) => format!("ok in {} runs", self.executions),
            (Observed::Verdict(v), _) => found(v),
            (Observed::Incomplete, Coverage::Incomplete(why)) => format!("incomplete: {why}; nothing verified"),
            (Observed::Incomplete | Observed::Error | Observed::Stuck, _) => {
                self.failure.as_ref().map_or_else(String::new, |f| f.message().to_string())
            }
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} / {} ({} mode, {}), expected {}",
            self.model.name, self.variant.name, self.mode, self.params, self.variant.expected
        )?;
        if let (_, Some(why)) = self.model.expected_in(self.variant, self.mode) {
            writeln!(f, "  {} mode cannot show this bug: {why}", self.mode)?;
        }
        writeln!(f, "  {}", self.summary())?;
        writeln!(
            f,
            "  {} executions in {:.2?}{}",
            self.executions,
            self.elapsed,
            if self.agrees() {
                ""
            } else {
                "  << DISAGREES WITH THE EXPECTED VERDICT"
            }
        )?;
        if let Some(failure) = &self.failure {
            writeln!(f, "  {}", failure.message())?;
            if !failure.snapshot.threads.is_empty() {
                writeln!(f, "  threads when it failed:")?;
                write!(f, "{}", failure.snapshot)?;
            }
            if let Some(schedule) = &failure.schedule {
                writeln!(f, "  replay it with:")?;
                writeln!(
                    f,
                    "    interleave replay {} {} {} {}",
                    self.model.name,
                    self.variant.name,
                    schedule,
                    self.params
                        .iter()
                        .map(|(n, v)| format!("--{n} {v}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                )?;
            }
        }
        if !self.outcomes.is_empty() && self.mode != Mode::Real {
            let shown: Vec<String> = self
                .outcomes
                .iter()
                .take(20)
                .map(|o| o.to_string())
                .collect();
            let more = self.outcomes.len().saturating_sub(shown.len());
            writeln!(
                f,
                "  final states reached ({}): {}{}",
                self.outcomes.len(),
                shown.join(" | "),
                if more > 0 {
                    format!(" | … {more} more")
                } else {
                    String::new()
                }
            )?;
        }
        Ok(())
    }
}
