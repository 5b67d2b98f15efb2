//! What one check of one variant found, and how it is shown to the user.

use super::check::UNBOUNDED;
use super::explain::{self, TraceTable};
use super::{Failure, FailureKind, Outcome, Subject, Verdict};
use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

/// How a variant is run: for real, or explored by a backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// std threads, repeated runs at realistic size, timed.
    Real,
    /// loom: every schedule up to a preemption bound.
    Exhaustive,
    /// shuttle: uniformly random schedules.
    Random,
    /// shuttle: probabilistic concurrency testing (PCT), which favours few, deep preemptions.
    Pct,
    /// shuttle: uniform random and PCT at several depths, sharing the budget seed by seed, so
    /// that it finds what either scheduler finds.
    Portfolio,
    /// shuttle: every schedule up to a preemption bound counted as CHESS counts it, with no
    /// thread limit.
    Bounded,
}

impl Mode {
    /// Every mode, as the verdict table shows them side by side.
    pub const ALL: [Mode; 6] = [
        Mode::Real,
        Mode::Exhaustive,
        Mode::Random,
        Mode::Pct,
        Mode::Portfolio,
        Mode::Bounded,
    ];

    /// The backend a build needs to run this mode.
    pub fn backend(self) -> &'static str {
        match self {
            Mode::Real => "std",
            Mode::Exhaustive => "loom",
            Mode::Random | Mode::Pct | Mode::Portfolio | Mode::Bounded => "shuttle",
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
            Mode::Portfolio => "portfolio",
            Mode::Bounded => "bounded",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Mode::ALL.iter().map(|m| m.as_str()).collect();
                format!("no mode '{s}' (the modes: {})", known.join(", "))
            })
    }
}

/// "up to preemption bound 3" (`preposition` "up to"), or "with no preemption bound".
pub(super) fn bound_phrase(preposition: &str, preemptions: usize) -> String {
    if preemptions == UNBOUNDED {
        "with no preemption bound".to_string()
    } else {
        format!("{preposition} preemption bound {preemptions}")
    }
}

/// How far an exploration went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// loom's search (which can skip schedules), or bounded mode (which does not), ran through
    /// the schedules with at most `preemptions` preemptions ([`UNBOUNDED`]: all of them).
    Exhaustive { preemptions: usize },
    /// shuttle ran the fair schedule, then every one of the `schedules` asked for.
    Sampled {
        schedules: usize,
        seeds: std::ops::Range<u64>,
    },
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
    /// What was checked: its name, sizes and expected verdict.
    pub subject: Subject,
    pub mode: Mode,
    /// `None` when no schedule failed; for a check told what to [`expect`](super::Check::expect),
    /// that verdict's counterexample when the exploration met it.
    pub failure: Option<Failure>,
    /// The first counterexample of each other kind of failure the exploration met, in the order
    /// met, each with its own schedule.
    pub also: Vec<Failure>,
    pub coverage: Coverage,
    /// Executions run (across every bound, for exhaustive mode).
    pub executions: usize,
    /// Every final state reached by an execution that ran to its end.
    pub outcomes: BTreeSet<Outcome>,
    pub elapsed: Duration,
    pub stats: Stats,
}

/// Figures of an exploration beyond its count of executions.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Executions that ran to their end (the others were stopped by the failure).
    pub complete: usize,
    /// The most threads one execution ran (explored builds).
    pub threads: usize,
    /// The most scheduling decisions one execution took (randomized modes).
    pub steps: usize,
    /// PCT: the bug depth targeted.
    pub pct_depth: Option<usize>,
    /// The most spin-loop turns (`hint::spin_loop`) one execution took (explored builds): what
    /// busy-waiting wasted where it ended.
    pub spins: usize,
    /// Exhaustive: the largest preemption bound explored (the final states come from schedules
    /// within it; a failure may have stopped the deepening before the plan's bound).
    pub bound_explored: Option<usize>,
    /// Orderings weaker than `SeqCst` the code used where the build runs every atomic as
    /// `SeqCst` (shuttle): what they allow beyond it is checked by the loom build only.
    pub weak_orderings: BTreeSet<&'static str>,
    /// Bounded mode, when counted (`Check::count_behaviours`): the distinct behaviours among
    /// the executions — Mazurkiewicz traces, executions that differ only in the order of
    /// independent steps counted once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behaviours: Option<usize>,
}

impl Stats {
    /// PCT's guarantee: one schedule finds a bug of depth d with probability at least
    /// 1/(n·k^(d−1)), n threads and k steps (Burckhardt et al., ASPLOS 2010). Returns the
    /// denominator.
    pub fn pct_odds(&self) -> Option<f64> {
        let d = self.pct_depth?;
        let (n, k) = (self.threads.max(1) as f64, self.steps.max(1) as f64);
        Some(n * k.powi(d.saturating_sub(1) as i32))
    }
}

/// The one-word answer of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observed {
    Verdict(Verdict),
    /// A budget stopped the exploration: neither verified nor refuted.
    Incomplete,
    /// A real run stopped making progress (deadlock, hang or livelock: real threads cannot tell).
    Stuck,
    /// The size does not fit the backend, or the explorer itself failed (a panic in the checked
    /// code is the verdict `panic`).
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
    /// Whether the run proves its `ok`: bounded mode went through every schedule within its
    /// bound (a search the differential tests hold against a brute-force explorer). loom's
    /// search is not a proof (it can skip schedules), nor is a sample or a real run.
    pub fn verified(&self) -> bool {
        self.mode == Mode::Bounded
            && self.failure.is_none()
            && matches!(self.coverage, Coverage::Exhaustive { .. })
    }

    pub fn observed(&self) -> Observed {
        match &self.failure {
            Some(f) => match &f.kind {
                FailureKind::Verdict { verdict, .. } => Observed::Verdict(*verdict),
                FailureKind::Stuck(_) => Observed::Stuck,
                FailureKind::TooBig(_) | FailureKind::Unsupported(_) | FailureKind::Crash(_) => {
                    Observed::Error
                }
            },
            None if matches!(self.coverage, Coverage::Incomplete(_)) => Observed::Incomplete,
            None => Observed::Verdict(Verdict::Pass),
        }
    }

    /// The verdict this mode must observe: the subject's (`ok` for a test, or where the mode is
    /// blind to the bug).
    pub fn expected(&self) -> Verdict {
        match (&self.subject.blind_spot, self.subject.expected) {
            (None, Some(verdict)) => verdict,
            _ => Verdict::Pass,
        }
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
                && expected != Verdict::Pass
                && matches!(observed, Observed::Verdict(_) | Observed::Stuck))
    }

    /// What this build could not check: the weak orderings the code used, where it runs every
    /// atomic as `SeqCst`.
    pub fn blind_to_orderings(&self) -> Option<String> {
        let used: Vec<&str> = self.stats.weak_orderings.iter().copied().collect();
        let (last, rest) = used.split_last()?;
        let named = if rest.is_empty() {
            format!("the ordering {last}")
        } else {
            format!("the orderings {} and {last}", rest.join(", "))
        };
        // Under loom's own switch (the loom-compatible crate), real loom is what checks them.
        let checker = if cfg!(all(loom, interleave_shuttle)) {
            "loom itself (the suite run with the real loom crate)"
        } else {
            "the loom build only (RUSTFLAGS=\"--cfg loom\")"
        };
        Some(format!(
            "note: the code uses {named}, which this build runs as SeqCst: what weak memory \
             allows beyond it (a load of an older value) is checked by {checker}"
        ))
    }

    /// What the run establishes, in one line.
    pub fn summary(&self) -> String {
        // Schedules run past the failing one: after a lost update, the search for a worse
        // verdict; otherwise, the other workers' schedules until they heard of the failure.
        let after = |v: Verdict| {
            if v == Verdict::LostUpdate {
                "looking for a worse verdict"
            } else {
                "the others by workers that had not yet heard of it"
            }
        };
        let found = |v: Verdict| match &self.coverage {
            Coverage::Exhaustive { preemptions } if *preemptions == UNBOUNDED => {
                format!("{v} found with no preemption bound")
            }
            Coverage::Exhaustive { preemptions } => {
                format!("{v} found at preemption bound {preemptions}")
            }
            Coverage::Replayed => format!("{v} reproduced by the replayed schedule"),
            Coverage::Sampled { seeds, .. } => match self.failure.as_ref().and_then(|f| f.found_in)
            {
                Some(1) | None if self.executions == 1 => {
                    format!("{v} found by the first schedule, the fair one (round-robin at yields)")
                }
                Some(1) => format!(
                    "{v} found by the first schedule, the fair one (round-robin at yields); \
                     {} schedules run in all, {}",
                    self.executions,
                    after(v)
                ),
                Some(k) if k < self.executions => format!(
                    "{v} found by schedule {k} (the fair one, then {} {}, seeds {seeds:?}); {} \
                     schedules run in all, {}",
                    k - 1,
                    self.mode,
                    self.executions,
                    after(v)
                ),
                _ => format!(
                    "{v} found after {} schedules (the fair one, then {} {}, seeds {seeds:?})",
                    self.executions,
                    self.executions - 1,
                    self.mode
                ),
            },
            _ => format!("{v} in run {}", self.executions),
        };
        match (self.observed(), &self.coverage) {
            (Observed::Verdict(Verdict::Pass), Coverage::Exhaustive { preemptions })
                if self.mode == Mode::Exhaustive =>
            {
                format!(
                    "ok: no bug found by loom's search {} ({} executions); not a proof: loom's \
                     search is known to skip schedules (tokio-rs/loom#166, #392); bounded mode \
                     (a --cfg shuttle build) explores every one",
                    bound_phrase("up to", *preemptions),
                    self.executions
                )
            }
            (Observed::Verdict(Verdict::Pass), Coverage::Exhaustive { preemptions }) => format!(
                "ok: verified, every schedule explored {} ({} executions)",
                bound_phrase("up to", *preemptions),
                self.executions
            ),
            (Observed::Verdict(Verdict::Pass), Coverage::Sampled { schedules, seeds }) => format!(
                "ok: no bug in the fair schedule nor in {schedules} sampled {} schedules (seeds \
                 {seeds:?}); sampling is not proof: schedules not sampled may still fail",
                self.mode
            ),
            (Observed::Verdict(Verdict::Pass), Coverage::Replayed) => {
                "ok: the replayed schedule ran to its end with every check holding: it \
                 reproduced no failure"
                    .to_string()
            }
            (Observed::Verdict(Verdict::Pass), _) if self.executions == 1 => {
                "ok in 1 run".to_string()
            }
            (Observed::Verdict(Verdict::Pass), _) => format!("ok in {} runs", self.executions),
            (Observed::Verdict(v), _) => found(v),
            (Observed::Incomplete, Coverage::Incomplete(why)) => {
                format!("incomplete: {why}; nothing verified")
            }
            (Observed::Incomplete | Observed::Error | Observed::Stuck, _) => self
                .failure
                .as_ref()
                .map_or_else(String::new, |f| f.message().to_string()),
        }
    }
}

impl Report {
    /// "random mode, threads=4 increments=10", or "pct mode" for a check without sizes.
    pub fn run_of(&self) -> String {
        let sizes: Vec<String> = self
            .subject
            .sizes
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        if sizes.is_empty() {
            format!("{} mode", self.mode)
        } else {
            format!("{} mode, {}", self.mode, sizes.join(" "))
        }
    }

    /// The figures of the run in one line: mode, executions, time, rate, and the bound it gives.
    pub fn stats_line(&self) -> String {
        let secs = self.elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            format!("{:.0}/s", self.executions as f64 / secs)
        } else {
            "-".to_string()
        };
        let noun = match (self.mode, self.executions) {
            (Mode::Real, 1) => "run",
            (Mode::Real, _) => "runs",
            (Mode::Exhaustive, 1) => "execution",
            (Mode::Exhaustive, _) => "executions",
            (_, 1) => "schedule",
            _ => "schedules",
        };
        let mut line = format!(
            "stats: {} mode, {} {noun} ({} ran to the end), {:.2?}, {rate}",
            self.mode, self.executions, self.stats.complete, self.elapsed
        );
        if let Some(b) = self.stats.behaviours {
            line.push_str(&format!(
                ", {b} distinct behaviour{} (orders of dependent steps)",
                if b == 1 { "" } else { "s" }
            ));
        }
        match (&self.coverage, self.stats.pct_odds()) {
            (Coverage::Exhaustive { preemptions }, _) if *preemptions == UNBOUNDED => {
                line.push_str(", no preemption bound");
            }
            (Coverage::Exhaustive { preemptions }, _) => {
                line.push_str(&format!(", preemption bound {preemptions}"));
            }
            (_, Some(odds)) => {
                let d = self.stats.pct_depth.unwrap_or(1);
                line.push_str(&format!(
                    ", n = {} threads, k = {} steps, d = {d}: one schedule finds a depth-{d} bug \
                     with probability at least 1/(n·k^(d-1)) = 1/{odds:.0}",
                    self.stats.threads, self.stats.steps
                ));
            }
            // loom does not count steps: an incomplete exhaustive run has threads only.
            _ if self.mode == Mode::Exhaustive && self.stats.threads > 0 => {
                line.push_str(&format!(", up to {} threads", self.stats.threads));
            }
            _ if self.stats.threads > 0 => {
                line.push_str(&format!(
                    ", up to {} threads and {} steps per schedule",
                    self.stats.threads, self.stats.steps
                ));
            }
            _ => {}
        }
        if self.stats.spins > 0 {
            line.push_str(&format!(
                ", up to {} spin-loop turns in one execution",
                self.stats.spins
            ));
        }
        line
    }

    /// Which schedules the final states were gathered from ("reached within preemption bound
    /// 2 …"): never "every reachable final state", since a bounded or sampled search may miss
    /// some.
    pub fn outcomes_scope(&self) -> String {
        match &self.coverage {
            Coverage::Exhaustive { preemptions } if *preemptions == UNBOUNDED => {
                "reached with no preemption bound".to_string()
            }
            Coverage::Exhaustive { preemptions } => format!(
                "reached within preemption bound {} (schedules with more preemptions may reach \
                 others)",
                self.stats.bound_explored.unwrap_or(*preemptions)
            ),
            Coverage::Replayed => "reached by the replayed schedule".to_string(),
            Coverage::Sampled { .. } => format!(
                "seen in the {} schedules run (others may be reachable)",
                self.executions
            ),
            Coverage::Repeated { .. } => format!("seen in {} runs", self.executions),
            Coverage::Incomplete(_) => format!(
                "seen in the {} executions run before the exploration stopped",
                self.executions
            ),
        }
    }

    /// The failing execution, step by step, with the steps that matter marked.
    pub fn trace_table(&self) -> Option<TraceTable<'_>> {
        let failure = self.failure.as_ref()?;
        let trace = &failure.snapshot.trace;
        if trace.steps.is_empty() {
            return None;
        }
        let overwrite = self.overwrite();
        Some(TraceTable {
            trace,
            snapshot: &failure.snapshot,
            marks: match (&overwrite, &failure.snapshot.race) {
                (Some(overwrite), _) => explain::overwrite_marks(overwrite),
                (None, Some(race)) => explain::race_marks(race),
                (None, None) => Vec::new(),
            },
            failed: failure
                .thread
                .as_deref()
                .map(|t| (t, failure.verdict().map_or("failed", Verdict::as_str))),
        })
    }

    /// For a lost update, the two writes that overwrote each other.
    fn overwrite(&self) -> Option<explain::Overwrite> {
        let failure = self.failure.as_ref()?;
        if failure.verdict() != Some(Verdict::LostUpdate) {
            return None;
        }
        explain::find_overwrite(&failure.snapshot.trace)
    }

    /// For a lost update, the two writes that overwrote each other, in words.
    pub fn overwrite_in_words(&self) -> Option<String> {
        let trace = &self.failure.as_ref()?.snapshot.trace;
        self.overwrite().map(|o| o.in_words(trace))
    }

    /// The same facts as the text report, for tools.
    pub fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let failure = self.failure.as_ref().map(|f| {
            let trace = &f.snapshot.trace;
            // Steps are numbered from 1, as the text's table numbers them.
            let step = |i: usize| i + 1;
            let overwrite = self.overwrite().map(|o| {
                json!({
                    "words": o.in_words(trace),
                    "object": o.object,
                    "steps": {
                        "lost_read": o.lost_read.map(step),
                        "lost_write": step(o.lost_write),
                        "stale_read": step(o.stale_read),
                        "overwriting_write": step(o.overwriting_write),
                    },
                })
            });
            let steps: Vec<serde_json::Value> = trace
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    json!({
                        "step": step(i),
                        "thread": trace.threads[s.thread],
                        "verb": s.verb(),
                        "object": s.object,
                        "value": s.value(),
                    })
                })
                .collect();
            json!({
                "verdict": f.verdict().map(Verdict::as_str),
                "message": f.message(),
                "thread": f.thread,
                "check": f.check,
                "cycle": f.snapshot.cycle,
                "threads": f.snapshot.threads,
                "lost_update": overwrite,
                "trace": { "threads": trace.threads, "steps": steps },
                "schedule": f.schedule,
                "found_in": f.found_in,
                "replay": self.replay_command(),
            })
        });
        let (bound, pct) = match (&self.coverage, self.stats.pct_odds()) {
            (Coverage::Exhaustive { preemptions }, _) => {
                ((*preemptions != UNBOUNDED).then_some(*preemptions), None)
            }
            (_, Some(odds)) => (
                None,
                Some(json!({
                    "threads": self.stats.threads,
                    "steps": self.stats.steps,
                    "depth": self.stats.pct_depth,
                    "one_schedule_finds_bug_with_probability_at_least": 1.0 / odds,
                })),
            ),
            _ => (None, None),
        };
        let mut head = serde_json::Map::new();
        head.insert("name".into(), json!(self.subject.name));
        for (field, value) in &self.subject.fields {
            head.insert((*field).into(), json!(value));
        }
        let body = json!({
            "mode": self.mode.as_str(),
            "params": self.subject.sizes.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
            "expected": self.expected().as_str(),
            "observed": self.observed().to_string(),
            "agrees": self.agrees(),
            "verified": self.verified(),
            "summary": self.summary(),
            "unchecked_orderings": self.stats.weak_orderings,
            "failure": failure,
            "also": self.also.iter().map(|f| json!({
                "verdict": f.verdict().map(Verdict::as_str),
                "message": f.message(),
                "thread": f.thread,
                "schedule": f.schedule,
                "found_in": f.found_in,
                "replay": self.replay_command_of(f),
            })).collect::<Vec<_>>(),
            "outcomes": self.outcomes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "stats": {
                "executions": self.executions,
                "complete": self.stats.complete,
                "seconds": self.elapsed.as_secs_f64(),
                "preemption_bound": bound,
                "threads": self.stats.threads,
                "steps": self.stats.steps,
                "spin_loop_turns": self.stats.spins,
                "pct": pct,
            },
        });
        let mut body = body;
        if let Some(b) = self.stats.behaviours {
            body["stats"]["behaviours"] = json!(b);
        }
        if let serde_json::Value::Object(body) = body {
            head.extend(body);
        }
        serde_json::Value::Object(head)
    }

    /// The command that replays the failing schedule, if there is one.
    pub fn replay_command(&self) -> Option<String> {
        self.replay_command_of(self.failure.as_ref()?)
    }

    /// The command that replays `failure`'s schedule (the report's, or one of [`also`](Self::also)).
    pub fn replay_command_of(&self, failure: &Failure) -> Option<String> {
        let schedule = failure.schedule.as_ref()?;
        let template = self.subject.replay.as_ref()?;
        Some(template.replace("{schedule}", schedule))
    }

    /// The other kinds of failure met, one line each with where it was found, then the line
    /// that replays it.
    fn also_in_words(&self) -> Vec<(String, Option<String>)> {
        self.also
            .iter()
            .map(|failure| {
                let found = match failure.found_in {
                    Some(n) => format!(" (schedule {n})"),
                    None => String::new(),
                };
                let kind = failure.verdict().map_or("failure", Verdict::as_str);
                let message = failure.message();
                let line = if message.starts_with(kind) {
                    format!("{message}{found}")
                } else {
                    format!("{kind}: {message}{found}")
                };
                (line, self.replay_command_of(failure))
            })
            .collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.subject.expected {
            Some(expected) => writeln!(
                f,
                "{} ({}), expected {expected}",
                self.subject.name,
                self.run_of()
            )?,
            None => writeln!(f, "{} ({})", self.subject.name, self.run_of())?,
        }
        if let Some(why) = &self.subject.blind_spot {
            writeln!(f, "  {} mode cannot show this bug: {why}", self.mode)?;
        }
        writeln!(
            f,
            "  {}{}",
            self.summary(),
            if self.agrees() || self.subject.expected.is_none() {
                ""
            } else {
                "  << DISAGREES WITH THE EXPECTED VERDICT"
            }
        )?;
        if let Some(failure) = &self.failure {
            // A stuck run's or an error's summary is its message already.
            if self.summary() != failure.message() {
                writeln!(f, "  {}", failure.message())?;
            }
            if let Some(words) = self.overwrite_in_words() {
                writeln!(f, "  {words}")?;
            }
            if let Some(table) = self.trace_table() {
                writeln!(f, "  the failing execution, step by step:")?;
                write!(f, "{table}")?;
            }
            if !failure.snapshot.threads.is_empty() {
                writeln!(f, "  threads when it failed:")?;
                write!(f, "{}", failure.snapshot)?;
            }
            if let Some(command) = self.replay_command() {
                writeln!(f, "  replay it with:")?;
                writeln!(f, "    {command}")?;
            }
        }
        if !self.also.is_empty() {
            writeln!(f, "  the exploration also met:")?;
            for (line, replay) in self.also_in_words() {
                writeln!(f, "  - {line}")?;
                if let Some(command) = replay {
                    writeln!(f, "    replay it with: {command}")?;
                }
            }
        }
        let stated = self.outcomes.iter().any(|o| o.values().next().is_some());
        if stated && self.mode != Mode::Real {
            let shown: Vec<String> = self
                .outcomes
                .iter()
                .take(20)
                .map(|o| o.to_string())
                .collect();
            let more = self.outcomes.len().saturating_sub(shown.len());
            writeln!(
                f,
                "  {} final state{} {}: {}{}",
                self.outcomes.len(),
                if self.outcomes.len() == 1 { "" } else { "s" },
                self.outcomes_scope(),
                shown.join(" | "),
                if more > 0 {
                    format!(" | … {more} more")
                } else {
                    String::new()
                }
            )?;
        }
        if let Some(note) = self.blind_to_orderings() {
            writeln!(f, "  {note}")?;
        }
        writeln!(f, "  {}", self.stats_line())
    }
}
