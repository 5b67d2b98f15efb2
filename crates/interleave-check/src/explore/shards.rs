//! A bounded exploration split among processes or machines. [`Check::shard`] explores the
//! `i`-th of `n` parts of each bound's schedule tree (every shard splits the tree the same way,
//! whatever its workers or timing) and gives a [`ShardReport`]; [`Check::merge`] combines the
//! `n` reports into the report one run would have given: the same verdict and the same first
//! counterexample in depth-first order, every final state, the executions summed. Failures
//! travel as their schedules and the merge replays them, so that the merged report shows each
//! execution step by step as a single run does.

// What only a shuttle build explores or merges; the reports themselves are data in every build.
#![cfg_attr(not(interleave_shuttle), allow(dead_code, unused_imports))]

#[cfg(interleave_shuttle)]
use super::bounded::{deepen, explore_shard_bound, first_bound, merge_pieces, PieceRun};
#[cfg(interleave_shuttle)]
use super::found::ends_of;
#[cfg(interleave_shuttle)]
use super::randomized::Run;
#[cfg(interleave_shuttle)]
use super::{Body, Report};
use super::{Check, CheckError, Failure, FailureKind, Outcome, Verdict};
use serde::{Deserialize, Serialize};
#[cfg(interleave_shuttle)]
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;
#[cfg(interleave_shuttle)]
use std::time::Instant;

/// One shard's part of a bounded exploration, to be merged with the other shards' (JSON with
/// serde; its fields are the merge's business).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardReport {
    /// Which part, from 0.
    pub index: usize,
    /// Of how many.
    pub count: usize,
    plan: Plan,
    passes: Vec<Pass>,
    /// This shard's time, from its start to its end.
    elapsed_ms: u64,
}

/// What every shard of one exploration must agree on, and the merging check too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Plan {
    name: String,
    /// The subject's named facts ("model", "variant"): what a merge needs to find the code.
    fields: Vec<(String, String)>,
    sizes: Vec<(String, usize)>,
    preemptions: usize,
    no_deepening: bool,
    reduction: String,
    state_caching: String,
    first_failure: bool,
    expected: Option<String>,
    /// How the tree is split (`Check::shard_split`): every shard must split it alike.
    split: (usize, usize),
}

/// One bound's exploration by one shard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Pass {
    bound: usize,
    /// Whether every schedule of the shard's pieces ran (no time limit cut it short).
    whole: bool,
    pieces: Vec<PieceOfPass>,
}

/// What one piece of the tree gave: its counts, final states and failures, in its order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PieceOfPass {
    key: Vec<usize>,
    exhausted: bool,
    executions: usize,
    /// The share of the bound's tree its executions stand for.
    covered: f64,
    complete: usize,
    threads: usize,
    steps: usize,
    spins: usize,
    weak_orderings: Vec<String>,
    outcomes: Vec<Vec<(String, i64)>>,
    failures: Vec<FailureOfPiece>,
}

/// A failure as it travels: what kind it is, and the schedule that shows it again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct FailureOfPiece {
    /// A verdict's name, or one of `too-big`, `unsupported`, `crash`, `stuck`.
    kind: String,
    message: String,
    schedule: Option<String>,
    thread: Option<String>,
    check: Option<String>,
}

impl Plan {
    fn of(check: &Check) -> Plan {
        Plan {
            name: check.subject.name.clone(),
            fields: check
                .subject
                .fields
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            sizes: check.subject.sizes.clone(),
            preemptions: check.preemptions,
            no_deepening: check.no_deepening,
            reduction: format!("{:?}", check.reduction),
            state_caching: format!("{:?}", check.state_caching),
            first_failure: check.first_failure,
            expected: check.subject.expected.map(|v| v.as_str().to_string()),
            split: check.shard_split,
        }
    }

    /// How this plan differs from `other`, in words, if it does.
    fn differs_from(&self, other: &Plan) -> Option<String> {
        let pairs = [
            ("check", self.name.clone(), other.name.clone()),
            ("sizes", sizes(&self.sizes), sizes(&other.sizes)),
            (
                "preemption bound",
                self.preemptions.to_string(),
                other.preemptions.to_string(),
            ),
            (
                "deepening",
                (!self.no_deepening).to_string(),
                (!other.no_deepening).to_string(),
            ),
            ("reduction", self.reduction.clone(), other.reduction.clone()),
            (
                "state caching",
                self.state_caching.clone(),
                other.state_caching.clone(),
            ),
            (
                "first failure",
                self.first_failure.to_string(),
                other.first_failure.to_string(),
            ),
            (
                "expected verdict",
                self.expected.clone().unwrap_or_else(|| "none".into()),
                other.expected.clone().unwrap_or_else(|| "none".into()),
            ),
            (
                "split",
                format!(
                    "{} pieces, {} schedules per shard",
                    self.split.0, self.split.1
                ),
                format!(
                    "{} pieces, {} schedules per shard",
                    other.split.0, other.split.1
                ),
            ),
        ];
        pairs
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(what, a, b)| format!("{what} {a} here, {b} there"))
    }
}

/// Sizes as a report's header words them: `philosophers=5 meals=1`.
fn sizes(sizes: &[(String, usize)]) -> String {
    let words: Vec<String> = sizes.iter().map(|(n, v)| format!("{n}={v}")).collect();
    if words.is_empty() {
        "none".to_string()
    } else {
        words.join(" ")
    }
}

impl FailureOfPiece {
    fn of(f: &Failure) -> FailureOfPiece {
        let kind = match &f.kind {
            FailureKind::Verdict { verdict, .. } => verdict.as_str(),
            FailureKind::TooBig(_) => "too-big",
            FailureKind::Unsupported(_) => "unsupported",
            FailureKind::Crash(_) => "crash",
            FailureKind::Stuck(_) => "stuck",
        };
        FailureOfPiece {
            kind: kind.to_string(),
            message: f.message().to_string(),
            schedule: f.schedule.clone(),
            thread: f.thread.clone(),
            check: f.check.map(str::to_string),
        }
    }

    /// The failure as far as the merge needs it (its kind, to rank it; its schedule, to replay
    /// it): the steps come from the replay.
    fn failure(&self) -> Result<Failure, CheckError> {
        let message = self.message.clone();
        let kind = match self.kind.as_str() {
            "too-big" => FailureKind::TooBig(message),
            "unsupported" => FailureKind::Unsupported(message),
            "crash" => FailureKind::Crash(message),
            "stuck" => FailureKind::Stuck(message),
            verdict => FailureKind::Verdict {
                verdict: verdict.parse::<Verdict>().map_err(|_| {
                    CheckError::Shards(format!("a shard's failure has no kind called '{verdict}'"))
                })?,
                message,
            },
        };
        Ok(Failure {
            kind,
            snapshot: Box::default(),
            schedule: self.schedule.clone(),
            found_in: None,
            thread: self.thread.clone(),
            // The check's name lives as long as the process: a merge reads a few.
            check: self
                .check
                .as_ref()
                .map(|c| &*Box::leak(c.clone().into_boxed_str())),
        })
    }
}

#[cfg(interleave_shuttle)]
/// The orderings a run names, as the `&'static str` the report keeps.
fn ordering_name(name: &str) -> Option<&'static str> {
    ["Relaxed", "Acquire", "Release", "AcqRel", "SeqCst"]
        .into_iter()
        .find(|o| *o == name)
}

#[cfg(interleave_shuttle)]
impl PieceOfPass {
    fn of((key, r, exhausted): PieceRun) -> PieceOfPass {
        PieceOfPass {
            key,
            exhausted,
            executions: r.executions,
            covered: r.covered,
            complete: r.stats.complete,
            threads: r.stats.threads,
            steps: r.stats.steps,
            spins: r.stats.spins,
            weak_orderings: r
                .stats
                .weak_orderings
                .iter()
                .map(|o| o.to_string())
                .collect(),
            outcomes: r.outcomes.iter().map(Outcome::pairs).collect(),
            failures: r
                .failure
                .iter()
                .chain(&r.also)
                .map(FailureOfPiece::of)
                .collect(),
        }
    }

    fn run(&self) -> Result<PieceRun, CheckError> {
        let mut r = Run {
            executions: self.executions,
            covered: self.covered,
            ..Run::default()
        };
        r.stats.complete = self.complete;
        r.stats.threads = self.threads;
        r.stats.steps = self.steps;
        r.stats.spins = self.spins;
        r.stats.weak_orderings = self
            .weak_orderings
            .iter()
            .filter_map(|o| ordering_name(o))
            .collect::<BTreeSet<_>>();
        r.outcomes = self.outcomes.iter().cloned().map(Outcome::from).collect();
        let mut failures = self
            .failures
            .iter()
            .map(FailureOfPiece::failure)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter();
        r.failure = failures.next();
        r.also = failures.collect();
        Ok((self.key.clone(), r, self.exhausted))
    }
}

#[cfg(interleave_shuttle)]
/// Explores shard `index` of `count` (see [`Check::shard`]).
pub(super) fn explore(check: &Check, body: &Body, (index, count): (usize, usize)) -> ShardReport {
    let start = Instant::now();
    let deadline = check.time_limit.map(|t| start + t);
    let ends = ends_of(check);
    let mut passes = Vec::new();
    for bound in first_bound(check)..=check.preemptions {
        if let Some(meter) = &check.meter {
            meter.at_bound(bound);
        }
        let (done, whole) = explore_shard_bound(bound, check, body, deadline, (index, count));
        let ended = done
            .iter()
            .any(|(_, r, _)| r.failure.iter().chain(&r.also).any(|f| ends.ends(f)));
        let complete = whole && done.iter().all(|(_, _, exhausted)| *exhausted);
        passes.push(Pass {
            bound,
            whole,
            pieces: done.into_iter().map(PieceOfPass::of).collect(),
        });
        // The merge stops deepening at the first bound where some shard's failure ends the
        // search, or one could not finish: this shard's later bounds would not be read.
        if ended || !complete {
            break;
        }
    }
    ShardReport {
        index,
        count,
        plan: Plan::of(check),
        passes,
        elapsed_ms: start.elapsed().as_millis() as u64,
    }
}

#[cfg(interleave_shuttle)]
/// The report one run of `check` would have given, from its shards' reports (see
/// [`Check::merge`]).
pub(super) fn merge(
    check: &Check,
    body: &Body,
    shards: &[ShardReport],
) -> Result<Report, CheckError> {
    let count = shards
        .first()
        .ok_or_else(|| CheckError::Shards("no shard reports to merge".to_string()))?
        .count;
    let plan = Plan::of(check);
    for shard in shards {
        if shard.count != count {
            return Err(CheckError::Shards(format!(
                "shard {} is one of {}, shard {} one of {}: merge the reports of one sharded run",
                shards[0].index, count, shard.index, shard.count
            )));
        }
        if let Some(why) = plan.differs_from(&shard.plan) {
            return Err(CheckError::Shards(format!(
                "shard {} explored another check ({why}): merge with the check the shards ran",
                shard.index
            )));
        }
    }
    let mut indices: Vec<usize> = shards.iter().map(|s| s.index).collect();
    indices.sort_unstable();
    if indices != (0..count).collect::<Vec<_>>() {
        let missing: Vec<String> = (0..count)
            .filter(|i| !indices.contains(i))
            .map(|i| i.to_string())
            .collect();
        return Err(CheckError::Shards(if missing.is_empty() {
            format!("a shard's report is given twice (shards {indices:?} of {count})")
        } else {
            format!(
                "shard {} of {count} is missing: merge every shard's report",
                missing.join(", ")
            )
        }));
    }
    let ends = ends_of(check);
    let mut problem = None;
    let mut report = deepen(check, |bound| {
        let mut done = Vec::new();
        let mut whole = true;
        for shard in shards {
            match shard.passes.iter().find(|p| p.bound == bound) {
                Some(pass) => {
                    whole &= pass.whole;
                    for piece in &pass.pieces {
                        match piece.run() {
                            Ok(run) => done.push(run),
                            Err(e) => problem = Some(e),
                        }
                    }
                }
                None => {
                    whole = false;
                    problem.get_or_insert(CheckError::Shards(format!(
                        "shard {} has no pass at bound {bound}, which the others need: it \
                         stopped early (a time limit?)",
                        shard.index
                    )));
                }
            }
        }
        merge_pieces(done, whole, ends)
    });
    if let Some(problem) = problem {
        return Err(problem);
    }
    report.failure = report
        .failure
        .take()
        .map(|f| replayed(check, body, f))
        .transpose()?;
    report.also = std::mem::take(&mut report.also)
        .into_iter()
        .map(|f| replayed(check, body, f))
        .collect::<Result<_, _>>()?;
    // The shards ran side by side: the exploration took as long as the longest.
    report.elapsed = Duration::from_millis(shards.iter().map(|s| s.elapsed_ms).max().unwrap_or(0));
    Ok(report)
}

#[cfg(interleave_shuttle)]
/// `failure` with its steps, from a replay of its schedule.
fn replayed(check: &Check, body: &Body, failure: Failure) -> Result<Failure, CheckError> {
    let Some(schedule) = failure.schedule.clone() else {
        return Ok(failure);
    };
    let replay = super::randomized::replay(check, body, &schedule)?;
    match replay.failure {
        Some(f) if f.same_kind(&failure) => Ok(Failure {
            found_in: None,
            ..f
        }),
        _ => Err(CheckError::Shards(format!(
            "the schedule of a shard's {} did not show it again here: merge in the build, code \
             and sizes the shards ran",
            failure.verdict().map_or("failure", Verdict::as_str)
        ))),
    }
}

impl ShardReport {
    /// The executions this shard ran.
    pub fn executions(&self) -> usize {
        self.passes
            .iter()
            .flat_map(|p| &p.pieces)
            .map(|p| p.executions)
            .sum()
    }

    /// The failures this shard met, each kind once, as verdict names.
    pub fn failures(&self) -> Vec<String> {
        let mut kinds: Vec<String> = self
            .passes
            .iter()
            .flat_map(|p| &p.pieces)
            .flat_map(|p| &p.failures)
            .map(|f| f.kind.clone())
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// The named fact `name` ("model") of the check it explored, if it states it.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.plan
            .fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The sizes of the check it explored.
    pub fn sizes(&self) -> &[(String, usize)] {
        &self.plan.sizes
    }

    /// The largest preemption bound of the check it explored ([`UNBOUNDED`](super::UNBOUNDED)
    /// for none).
    pub fn preemptions(&self) -> usize {
        self.plan.preemptions
    }

    /// Whether the check it explored went to its bound in one pass.
    pub fn no_deepening(&self) -> bool {
        self.plan.no_deepening
    }

    /// Whether the check it explored stopped at its first failure, even a lost update.
    pub fn first_failure(&self) -> bool {
        self.plan.first_failure
    }

    /// Whether the check it explored cached states.
    pub fn caches_states(&self) -> bool {
        self.plan.state_caching != "Off"
    }

    /// This shard's time.
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms)
    }

    /// The report as JSON, for [`ShardReport::from_json`].
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a shard report is plain data")
    }

    /// A report that [`ShardReport::to_json`] wrote.
    ///
    /// # Errors
    /// When `json` is not a shard report.
    pub fn from_json(json: &str) -> Result<ShardReport, CheckError> {
        serde_json::from_str(json)
            .map_err(|e| CheckError::Shards(format!("not a shard report: {e}")))
    }
}

/// Parses `i/n` (shard `i` of `n`, from 0).
///
/// # Errors
/// When `text` is not two numbers `i/n` with `i < n`.
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let bad = || {
        format!("'{text}' is not a shard: write i/n, from 0/n to (n-1)/n (0/4 is the first of 4)")
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// What the environment asks of a test's check: `INTERLEAVE_SHARD=i/n` explores one shard and
/// writes its report into `INTERLEAVE_SHARD_DIR` (`interleave-shards` by default);
/// `INTERLEAVE_MERGE=DIR` merges the reports found there instead of exploring.
pub(super) enum FromEnv {
    Shard { shard: (usize, usize), dir: PathBuf },
    Merge { dir: PathBuf },
}

/// The directory shard reports go to when `INTERLEAVE_SHARD_DIR` does not say.
const DEFAULT_DIR: &str = "interleave-shards";

pub(super) fn from_env() -> Option<Result<FromEnv, CheckError>> {
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(dir) = set("INTERLEAVE_MERGE") {
        return Some(Ok(FromEnv::Merge { dir: dir.into() }));
    }
    let shard = set("INTERLEAVE_SHARD")?;
    let dir = set("INTERLEAVE_SHARD_DIR").unwrap_or_else(|| DEFAULT_DIR.to_string());
    Some(
        parse_shard(&shard)
            .map(|shard| FromEnv::Shard {
                shard,
                dir: dir.into(),
            })
            .map_err(|e| CheckError::Shards(format!("INTERLEAVE_SHARD: {e}"))),
    )
}

/// The start of the names of the files that hold the shard reports of the check `name`.
fn stem(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{plain}.shard-")
}

/// Writes `report` of the check `name` into `dir`; returns the file's path.
pub(super) fn write(dir: &Path, name: &str, report: &ShardReport) -> Result<PathBuf, CheckError> {
    let path = dir.join(format!(
        "{}{}-of-{}.json",
        stem(name),
        report.index,
        report.count
    ));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, report.to_json()))
        .map_err(|e| {
            CheckError::Shards(format!(
                "cannot write the shard's report to {}: {e}",
                path.display()
            ))
        })?;
    Ok(path)
}

/// The shard reports of the check `name` in `dir`.
pub(super) fn read(dir: &Path, name: &str) -> Result<Vec<ShardReport>, CheckError> {
    let stem = stem(name);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CheckError::Shards(format!(
            "cannot read the shards' reports in {}: {e} (INTERLEAVE_MERGE names the directory \
             the shards wrote into)",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&stem) && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(CheckError::Shards(format!(
            "no shard of {name} in {}: run every shard with INTERLEAVE_SHARD=i/n first",
            dir.display()
        )));
    }
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map_err(|e| CheckError::Shards(format!("cannot read {}: {e}", p.display())))
                .and_then(|text| ShardReport::from_json(&text))
        })
        .collect()
}
