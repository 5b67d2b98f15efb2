//! Playing the scheduler (shuttle builds): the player picks which thread moves at every point
//! where more than one could, and sees each thread's next operation before choosing. A position
//! is the list of the player's moves; the code is re-run from the start along it (shuttle's
//! schedulers choose the next task among the runnable ones, and this one follows the moves, then
//! stops the execution at the first choice beyond them). Each thread's next operation is found by
//! playing one move more for it and reading the step it records.

use super::randomized::{task_numbered, task_numbers};
use super::tally::{lock, Tally};
use super::{capture, Body, Check, Failure, FailureKind, Verdict};
use crate::sync::ledger::{self, Trace};
use crate::sync::panics::reporting_uncaught;
use shuttle::scheduler::{Schedule, Scheduler, Task, TaskId};
use shuttle::Runner;
use std::sync::{Arc, Mutex};

/// One point where the scheduler chose, and what it could choose from.
#[derive(Clone, Debug)]
struct Decision {
    runnable: Vec<usize>,
    current: Option<usize>,
    chosen: usize,
}

/// Where the moves ran out: the threads that could run, and the trace's length then.
type Stop = Option<(Vec<usize>, usize)>;

/// Follows the player's moves at every point where several threads could run (one that alone
/// can run runs without a move), and stops at the first such point past the moves.
struct Moves {
    moves: Vec<usize>,
    used: usize,
    decisions: Arc<Mutex<Vec<Decision>>>,
    /// At the stop: who could run, and how many steps the trace had then.
    stop: Arc<Mutex<Stop>>,
    /// A move naming a thread that could not run.
    refused: Arc<Mutex<Option<usize>>>,
    started: bool,
}

impl Scheduler for Moves {
    fn new_execution(&mut self) -> Option<Schedule> {
        if self.started {
            return None;
        }
        self.started = true;
        Some(Schedule::new(0))
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        _is_yielding: bool,
    ) -> Option<TaskId> {
        if super::failure::execution_stopped() {
            return None;
        }
        let ids = task_numbers(runnable);
        let current = current.map(usize::from);
        let chosen = if ids.len() == 1 {
            ids[0]
        } else if let Some(&wanted) = self.moves.get(self.used) {
            self.used += 1;
            if !ids.contains(&wanted) {
                *lock(&self.refused) = Some(wanted);
                return None;
            }
            wanted
        } else {
            *lock(&self.stop) = Some((ids, ledger::step_count()));
            return None;
        };
        lock(&self.decisions).push(Decision {
            runnable: ids,
            current,
            chosen,
        });
        task_numbered(runnable, chosen)
    }

    fn next_u64(&mut self) -> u64 {
        0
    }
}

/// A thread the player may move now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The number the player gives to move it.
    pub thread: usize,
    pub name: String,
    /// What it does next, as the trace would say it.
    pub next: String,
}

/// Where a game stands after some moves.
#[derive(Clone, Debug)]
pub struct Board {
    /// The steps so far.
    pub trace: Trace,
    /// The threads the player may move (empty when the game is over).
    pub choices: Vec<Choice>,
    /// The bug reached, if the moves reached one.
    pub reached: Option<Failure>,
    /// The run ended without a bug.
    pub ended: bool,
    /// Moves that switched away from a thread that could have gone on.
    pub preemptions: usize,
}

impl Board {
    /// The verdict of the bug reached, if any.
    pub fn verdict(&self) -> Option<Verdict> {
        self.reached.as_ref().and_then(Failure::verdict)
    }

    /// The board as the player sees it after `moves` moves: the last steps, then who may move
    /// and what each would do.
    pub fn render(&self, moves: usize) -> String {
        use std::fmt::Write as _;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut out = format!(
            "\n— after {moves} move{} ({} preemption{} so far) —\n",
            plural(moves),
            self.preemptions,
            plural(self.preemptions)
        );
        let steps = &self.trace.steps;
        let from = steps.len().saturating_sub(12);
        if from > 0 {
            let _ = writeln!(out, "  … {from} earlier steps");
        }
        for (i, step) in steps.iter().enumerate().skip(from) {
            let _ = writeln!(
                out,
                "  {:>3}  {:<14} {}",
                i + 1,
                self.trace.threads[step.thread],
                super::explain::cell(step)
            );
        }
        if !self.choices.is_empty() {
            out.push_str("who moves next?\n");
            for c in &self.choices {
                let _ = writeln!(out, "  [{}] {:<14} next: {}", c.thread, c.name, c.next);
            }
        }
        out
    }

    /// The board for a game played from another process (`interleave play --test`): the
    /// rendered board, the threads that may move, the bug reached (its verdict and words) and
    /// whether the run ended.
    pub fn json(&self, moves: usize) -> serde_json::Value {
        serde_json::json!({
            "board": self.render(moves),
            "choices": self.choices.iter().map(|c| c.thread).collect::<Vec<_>>(),
            "reached": self.reached.as_ref().map(|f| serde_json::json!({
                "verdict": f.verdict().map_or("failure", Verdict::as_str),
                "message": f.message(),
            })),
            "ended": self.ended,
            "preemptions": self.preemptions,
        })
    }
}

/// Why a list of moves is not a game.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("move {index}: thread {thread} cannot run there")]
pub struct BadMove {
    /// Which move (from 1).
    pub index: usize,
    pub thread: usize,
}

struct Played {
    decisions: Vec<Decision>,
    stop: Stop,
    refused: Option<usize>,
    failure: Option<Failure>,
    trace: Trace,
    names: Vec<String>,
}

fn play_once(check: &Check, body: &Body, moves: &[usize]) -> Played {
    let decisions = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(Mutex::new(None));
    let refused = Arc::new(Mutex::new(None));
    let scheduler = Moves {
        moves: moves.to_vec(),
        used: 0,
        decisions: decisions.clone(),
        stop: stop.clone(),
        refused: refused.clone(),
        started: false,
    };
    let tally = Arc::new(Tally::default());
    let runner = Runner::new(scheduler, super::randomized::config(check.max_steps));
    let (tally2, body2) = (tally.clone(), body.clone());
    let result = capture(move || {
        runner.run(move || reporting_uncaught(|| tally2.execute(&body2)));
        super::failure::take_stopped_failure()
    });
    let stop = lock(&stop).take();
    let refused = lock(&refused).take();
    // Only a run played to its end can have leaked: a position stops it part-way.
    let leaked = crate::sync::tracked::leaked()
        .filter(|_| stop.is_none() && refused.is_none())
        .map(super::failure::leaked);
    let steps = stop.as_ref().map_or(usize::MAX, |(_, n)| *n);
    let (trace, names) = ledger::trace_of_last(steps);
    let failure = match result {
        Ok(stopped) => stopped.or_else(|| tally.take_lost()).or(leaked),
        Err(failure) => Some(failure),
    };
    let decisions = lock(&decisions).clone();
    Played {
        decisions,
        stop,
        refused,
        failure,
        trace,
        names,
    }
}

/// How many turns in a row a thread is given to show its next operation.
const LOOK_AHEAD: usize = 8;

pub(super) fn board(check: &Check, body: &Body, moves: &[usize]) -> Result<Board, BadMove> {
    let played = play_once(check, body, moves);
    if let Some(thread) = played.refused {
        let index = played
            .decisions
            .iter()
            .filter(|d| d.runnable.len() > 1)
            .count()
            + 1;
        return Err(BadMove { index, thread });
    }
    let preemptions = played
        .decisions
        .iter()
        .filter(|d| {
            d.current
                .is_some_and(|c| c != d.chosen && d.runnable.contains(&c))
        })
        .count();
    let reached = played
        .failure
        .filter(|f| !matches!(f.kind, FailureKind::Crash(_)));
    let mut choices = Vec::new();
    if let (None, Some((runnable, before))) = (&reached, &played.stop) {
        for &thread in runnable {
            // The thread moves until it does something the trace shows (its first turn may only
            // start it), or cannot move on.
            let mut one_more = moves.to_vec();
            one_more.extend(std::iter::repeat_n(thread, LOOK_AHEAD));
            let next = play_once(check, body, &one_more);
            let name = next
                .names
                .get(thread)
                .or(played.names.get(thread))
                .cloned()
                .unwrap_or_else(|| format!("thread {thread}"));
            let column = next.trace.threads.iter().position(|t| *t == name);
            let step = next.trace.steps[(*before).min(next.trace.steps.len())..]
                .iter()
                .find(|s| Some(s.thread) == column);
            let next = match (step, &next.failure) {
                (Some(step), _) => super::explain::cell(step),
                (None, Some(_)) => "(this move reaches the bug)".to_string(),
                (None, None) => "(goes on)".to_string(),
            };
            choices.push(Choice { thread, name, next });
        }
    }
    let ended = reached.is_none() && played.stop.is_none();
    // A failure's own trace stops where it failed; the ledger's goes on through the teardown.
    let trace = match &reached {
        Some(f) if !f.snapshot.trace.steps.is_empty() => f.snapshot.trace.clone(),
        _ => played.trace,
    };
    Ok(Board {
        trace,
        choices,
        reached,
        ended,
        preemptions,
    })
}
