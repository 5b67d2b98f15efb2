//! Explaining a failure to a reader: a deadlock's cycle and a hang's blocked threads in words,
//! the two writes of a lost update, and the failing execution as a table with one column per
//! thread and one row per step that touched shared state.

use crate::sync::ledger::{
    Action, DataRace, RacingAccess, ResourceKind, Snapshot, Step, ThreadView, Trace,
};
use std::fmt::{self, Write as _};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A deadlock's cycle in words: "Kant holds fork 1 and waits for fork 2, held by Aristotle, who
/// waits for fork 3, held by Spinoza, …, who waits for fork 1, held by Kant". `None` without a
/// cycle.
pub fn deadlock_in_words(snapshot: &Snapshot) -> Option<String> {
    let cycle = snapshot.cycle.as_ref()?;
    let view = |name: &str| snapshot.threads.iter().find(|t| t.name == name);
    let mut words = String::new();
    for (i, name) in cycle.iter().enumerate() {
        let next = &cycle[(i + 1) % cycle.len()];
        let thread = view(name)?;
        if i == 0 {
            words.push_str(name);
            if !thread.holds.is_empty() {
                let _ = write!(words, " holds {} and", thread.holds.join(" and "));
            }
        } else {
            words.push_str(", who");
        }
        let _ = write!(words, " {}", wait_for(thread, next));
    }
    let (going_on, behind) = bystanders(snapshot, cycle);
    if !going_on.is_empty() {
        let _ = write!(words, " (a partial deadlock: {})", going_on.join(", "));
    }
    if !behind.is_empty() {
        let _ = write!(words, "; blocked behind it: {}", behind.join(", "));
    }
    Some(words)
}

/// What `thread` waits for, naming `next` as who could end the wait.
fn wait_for(thread: &ThreadView, next: &str) -> String {
    match &thread.waits_for {
        None => "waits for nothing".to_string(),
        Some(w) => match w.kind {
            ResourceKind::Thread => format!("waits for {next} to finish"),
            ResourceKind::Semaphore => {
                format!("waits for {}, which {next} may release", w.resource)
            }
            _ => format!("waits for {}, held by {next}", w.resource),
        },
    }
}

/// The threads outside a deadlock's cycle: those that go on or have finished (the deadlock is
/// partial), and those blocked behind it.
fn bystanders(snapshot: &Snapshot, cycle: &[String]) -> (Vec<String>, Vec<String>) {
    let mut going_on = Vec::new();
    let mut behind = Vec::new();
    for t in snapshot.threads.iter().filter(|t| !cycle.contains(&t.name)) {
        match &t.waits_for {
            _ if t.finished => going_on.push(format!("{} has finished", t.name)),
            None => going_on.push(format!("{} still runs", t.name)),
            Some(w) if w.kind == ResourceKind::Thread => {
                behind.push(format!("{} waits for {} to finish", t.name, w.resource))
            }
            Some(w) => behind.push(format!("{} waits for {}", t.name, w.resource)),
        }
    }
    (going_on, behind)
}

/// A hang in words: who is blocked on what, and that nobody left can release them.
pub fn hang_in_words(snapshot: &Snapshot) -> String {
    let blocked: Vec<String> = snapshot
        .blocked()
        .map(|t| {
            let w = t.waits_for.as_ref().expect("a blocked thread waits");
            match w.kind {
                ResourceKind::Thread => format!("{} waits for {} to finish", t.name, w.resource),
                _ => format!("{} waits for {}", t.name, w.resource),
            }
        })
        .collect();
    let finished: Vec<&str> = snapshot
        .threads
        .iter()
        .filter(|t| t.finished)
        .map(|t| t.name.as_str())
        .collect();
    let nobody = if finished.is_empty() {
        "no running thread is left to wake them".to_string()
    } else {
        format!(
            "no running thread is left to wake them ({} finished)",
            finished.join(", ")
        )
    };
    format!("{}; {nobody}", blocked.join(", "))
}

/// Two writes to the same variable where the second was computed from a value read before the
/// first: the first write is lost.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Overwrite {
    pub object: String,
    /// Index into the trace's steps: the read and the write of the thread whose update is lost.
    pub lost_read: Option<usize>,
    pub lost_write: usize,
    /// The read and the write of the thread that wrote over it.
    pub stale_read: usize,
    pub overwriting_write: usize,
}

/// The first write in `trace` made from a stale read: thread B read x, thread A then wrote x,
/// and B wrote x from what it had read, wiping out A's write.
pub fn find_overwrite(trace: &Trace) -> Option<Overwrite> {
    let steps = &trace.steps;
    let is = |s: &Step, verb: &str, object: &str| s.verb() == verb && s.object == object;
    steps.iter().enumerate().find_map(|(j, second)| {
        if second.verb() != "store" {
            return None;
        }
        let read = (0..j)
            .rev()
            .find(|&k| steps[k].thread == second.thread && is(&steps[k], "load", &second.object))?;
        let clobbered = (read + 1..j).find(|&i| {
            steps[i].thread != second.thread && is(&steps[i], "store", &second.object)
        })?;
        let first = &steps[clobbered];
        let lost_read = (0..clobbered)
            .rev()
            .find(|&k| steps[k].thread == first.thread && is(&steps[k], "load", &first.object));
        Some(Overwrite {
            object: second.object.clone(),
            lost_read,
            lost_write: clobbered,
            stale_read: read,
            overwriting_write: j,
        })
    })
}

impl Overwrite {
    /// "incrementer-1 and incrementer-2 both read counter = 3 (steps 5 and 6) and both wrote 4
    /// (steps 7 and 8): incrementer-1's write is lost."
    pub fn in_words(&self, trace: &Trace) -> String {
        let step = |i: usize| &trace.steps[i];
        let who = |i: usize| trace.threads[step(i).thread].as_str();
        let value = |i: usize| step(i).value().unwrap_or_default();
        let (a, b) = (self.lost_write, self.overwriting_write);
        let reads = match self.lost_read {
            Some(r) if value(r) == value(self.stale_read) => {
                let (x, y) = (r.min(self.stale_read), r.max(self.stale_read));
                format!(
                    "{} and {} both read {} = {} (steps {} and {})",
                    who(x),
                    who(y),
                    self.object,
                    value(r),
                    x + 1,
                    y + 1
                )
            }
            _ => format!(
                "{} read {} = {} (step {})",
                who(self.stale_read),
                self.object,
                value(self.stale_read),
                self.stale_read + 1
            ),
        };
        let writes = if value(a) == value(b) {
            format!("both wrote {} (steps {} and {})", value(a), a + 1, b + 1)
        } else {
            format!(
                "{} wrote {} (step {}), then {} wrote {} (step {}) from its stale read",
                who(a),
                value(a),
                a + 1,
                who(b),
                value(b),
                b + 1
            )
        };
        format!("{reads}, {writes}: {}'s update is lost", who(a))
    }
}

/// Where a table row gets a note in its margin.
pub type Marks = Vec<(usize, String)>;

/// The steps a report marks: a data race's two accesses.
pub fn race_marks(race: &DataRace) -> Marks {
    let what = |a: &RacingAccess| if a.write { "write" } else { "read" };
    let mut marks = Vec::new();
    if let Some(earlier) = &race.earlier {
        if let Some(step) = earlier.step {
            marks.push((step, format!("{}, not ordered before…", what(earlier))));
        }
    }
    if let Some(step) = race.later.step {
        marks.push((step, format!("…this {}: data race", what(&race.later))));
    }
    marks
}

/// The steps a report marks: the two writes of a lost update, and their reads.
pub fn overwrite_marks(overwrite: &Overwrite) -> Marks {
    let mut marks = vec![
        (overwrite.stale_read, "stale read".to_string()),
        (overwrite.lost_write, "this write is lost".to_string()),
        (overwrite.overwriting_write, "overwrites it".to_string()),
    ];
    if let Some(r) = overwrite.lost_read {
        marks.push((r, "read".to_string()));
    }
    marks.sort();
    marks
}

/// Traces longer than this show the first and last steps and those near a mark.
const FULL_TRACE: usize = 80;
/// A step's cell is cut past this many columns when many threads share the line; with few, the
/// table may use up to [`TABLE_WIDTH`] columns in all.
const WIDEST_CELL: usize = 28;
const TABLE_WIDTH: usize = 120;

/// The trace as a table: one column per thread, one row per step, the marked rows noted in the
/// margin, and a last row with what each thread was left doing (`snapshot`) and the failure.
pub struct TraceTable<'a> {
    pub trace: &'a Trace,
    pub snapshot: &'a Snapshot,
    pub marks: Marks,
    /// The thread whose step failed and why, shown on the last row.
    pub failed: Option<(&'a str, &'a str)>,
}

/// A step as the trace table shows it ("lock fork 5", "load counter = 3").
pub fn cell(step: &Step) -> String {
    let object = &step.object;
    match &step.action {
        Action::Plain(verb) => format!("{verb} {object}"),
        Action::Value { verb, value } => format!("{verb} {object} = {value}"),
        Action::Permits { verb, free } => format!("{verb} {object} ({free} free)"),
        Action::Depth { verb, depth } => format!("{verb} {object} (held {depth} deep)"),
        Action::Items { verb, len } => format!("{verb} {object} ({len} in it)"),
        Action::Arrived { arrived } => format!("arrive {object} ({arrived} there)"),
        Action::OlderValue { value, latest } => {
            format!("load {object} = {value}, an older value ({latest} was written last)")
        }
        Action::Spurious => format!("woke {object} (spuriously: nobody notified)"),
    }
}

/// `text` cut to `width` columns on a terminal (with `…` where it was cut), then padded to
/// them: `⏳` takes two columns, most letters one.
fn clip(text: &str, width: usize) -> String {
    let mut t = String::new();
    if text.width() <= width {
        t.push_str(text);
    } else {
        for c in text.chars() {
            if t.width() + c.width().unwrap_or(0) + 1 > width {
                break;
            }
            t.push(c);
        }
        t.push('…');
    }
    let pad = width.saturating_sub(t.width());
    t + &" ".repeat(pad)
}

impl TraceTable<'_> {
    /// The rows shown: every step of a short trace; of a long one, the first and last steps and
    /// those near a mark.
    fn shown(&self) -> Vec<bool> {
        let n = self.trace.steps.len();
        if n <= FULL_TRACE {
            return vec![true; n];
        }
        (0..n)
            .map(|i| i < 5 || i + 30 >= n || self.marks.iter().any(|&(m, _)| m.abs_diff(i) <= 3))
            .collect()
    }

    /// What each thread was left doing: blocked on something, or the failure.
    pub(crate) fn last_row(&self) -> Vec<String> {
        self.trace
            .threads
            .iter()
            .map(|name| {
                if let Some((who, why)) = self.failed {
                    if who == name {
                        return format!("✗ {why}");
                    }
                }
                match self.snapshot.threads.iter().find(|t| &t.name == name) {
                    Some(ThreadView {
                        waits_for: Some(w), ..
                    }) => format!("⏳ blocked on {}", w.resource),
                    _ => String::new(),
                }
            })
            .collect()
    }
}

impl fmt::Display for TraceTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threads = &self.trace.threads;
        let cells: Vec<String> = self.trace.steps.iter().map(cell).collect();
        let last = self.last_row();
        let widest = (TABLE_WIDTH / threads.len().max(1)).max(WIDEST_CELL);
        let mut widths: Vec<usize> = threads.iter().map(|t| t.width()).collect();
        for (step, text) in self.trace.steps.iter().zip(&cells) {
            let w = &mut widths[step.thread];
            *w = (*w).max(text.width().min(widest));
        }
        for (w, text) in widths.iter_mut().zip(&last) {
            *w = (*w).max(text.width().min(2 * widest));
        }
        let row = |f: &mut fmt::Formatter<'_>, label: &str, texts: &[String], note: &str| {
            let mut line = format!("  {label:>5} ");
            for (text, &w) in texts.iter().zip(&widths) {
                let _ = write!(line, " {}", clip(text, w));
            }
            if !note.is_empty() {
                let _ = write!(line, "  ◀ {note}");
            }
            writeln!(f, "{}", line.trim_end())
        };
        row(f, "step", threads, "")?;
        let shown = self.shown();
        let mut skipped = 0;
        for (i, step) in self.trace.steps.iter().enumerate() {
            if !shown[i] {
                skipped += 1;
                continue;
            }
            if skipped > 0 {
                writeln!(f, "  {:>5}  ({skipped} steps not shown)", "⋮")?;
                skipped = 0;
            }
            let mut texts = vec![String::new(); threads.len()];
            texts[step.thread] = cells[i].clone();
            let note = self
                .marks
                .iter()
                .filter(|(m, _)| *m == i)
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            row(f, &(i + 1).to_string(), &texts, &note)?;
        }
        if last.iter().any(|t| !t.is_empty()) {
            row(f, "end", &last, "")?;
        }
        Ok(())
    }
}
