//! A report as one self-contained HTML page (inline CSS, script and SVG; nothing fetched): the
//! execution as a timeline, one column per thread, that steps can replay one at a time (buttons
//! and arrow keys) while a panel shows, after each step, who holds and who waits for every
//! primitive and the last value of every shared variable; a lost update's two writes and the
//! failing step marked; and a deadlock's or a hang's wait-for graph drawn in SVG, the cycle in
//! red. A page opened with `#end` shows the end at once.

use super::explain;
use super::Report;
use crate::sync::ledger::{Action, Snapshot, Step};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text made safe to put in HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the primitives and shared variables are after some steps.
#[derive(Clone, Default)]
struct State {
    /// Resource → threads holding it (a semaphore may have several).
    held: BTreeMap<String, Vec<String>>,
    /// Thread → the condition variable it waits on.
    waiting: BTreeMap<String, String>,
    /// Shared variable → its last value seen.
    values: BTreeMap<String, String>,
}

impl State {
    fn after(&self, step: &Step, thread: &str) -> State {
        let mut next = self.clone();
        next.waiting.remove(thread);
        let hold = |s: &mut State| {
            s.held
                .entry(step.object.clone())
                .or_default()
                .push(thread.to_string())
        };
        let drop_one = |s: &mut State| {
            if let Some(h) = s.held.get_mut(&step.object) {
                if let Some(i) = h
                    .iter()
                    .position(|t| t == thread)
                    .or((!h.is_empty()).then_some(0))
                {
                    h.remove(i);
                }
                if h.is_empty() {
                    s.held.remove(&step.object);
                }
            }
        };
        match &step.action {
            Action::Plain("lock" | "acquire") => hold(&mut next),
            Action::Plain("unlock" | "release") => drop_one(&mut next),
            Action::Plain("wait" | "wait (timed)") => {
                next.waiting.insert(thread.to_string(), step.object.clone());
            }
            Action::Permits {
                verb: "acquire", ..
            } => hold(&mut next),
            Action::Permits {
                verb: "release", ..
            } => drop_one(&mut next),
            Action::Depth {
                verb: "acquire",
                depth: 1,
            } => hold(&mut next),
            Action::Depth {
                verb: "release",
                depth: 0,
            } => drop_one(&mut next),
            Action::Value { value, .. } => {
                let now = value.rsplit(" -> ").next().unwrap_or(value);
                next.values.insert(step.object.clone(), now.to_string());
            }
            Action::Items { len, .. } => {
                next.values
                    .insert(step.object.clone(), format!("{len} in it"));
            }
            _ => {}
        }
        next
    }

    fn html(&self, step: usize, end: Option<&Snapshot>) -> String {
        let mut out = format!("<div class=\"state\" data-step=\"{step}\" hidden>");
        let mut items = Vec::new();
        for (resource, holders) in &self.held {
            let waiters: Vec<&str> = end
                .map(|s| {
                    s.blocked()
                        .filter(|t| {
                            t.waits_for
                                .as_ref()
                                .is_some_and(|w| &w.resource == resource)
                        })
                        .map(|t| t.name.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let mut line = format!("{}: held by {}", esc(resource), esc(&holders.join(", ")));
            if !waiters.is_empty() {
                let _ = write!(line, "; waited for by {}", esc(&waiters.join(", ")));
            }
            items.push(line);
        }
        for (thread, condvar) in &self.waiting {
            items.push(format!("{} waits on {}", esc(thread), esc(condvar)));
        }
        if let Some(end) = end {
            for t in end.blocked() {
                let w = t.waits_for.as_ref().expect("a blocked thread waits");
                if !self.held.contains_key(&w.resource) && !self.waiting.contains_key(&t.name) {
                    items.push(format!(
                        "{} is blocked on {}",
                        esc(&t.name),
                        esc(&w.resource)
                    ));
                }
            }
        }
        for (variable, value) in &self.values {
            items.push(format!("{} = {}", esc(variable), esc(value)));
        }
        if items.is_empty() {
            items.push("nothing held, nobody waiting".to_string());
        }
        out.push_str("<ul>");
        for item in items {
            let _ = write!(out, "<li>{item}</li>");
        }
        out.push_str("</ul></div>");
        out
    }
}

/// The wait-for graph of a stuck run: blocked threads, what they wait for, who holds it; the
/// cycle's edges in red.
fn graph(snapshot: &Snapshot) -> Option<String> {
    let blocked: Vec<_> = snapshot.blocked().collect();
    if blocked.is_empty() {
        return None;
    }
    let mut nodes: Vec<(String, bool)> = Vec::new(); // (name, is a thread)
    let mut add = |name: &str, thread: bool| {
        if !nodes.iter().any(|(n, _)| n == name) {
            nodes.push((name.to_string(), thread));
        }
    };
    // The cycle first, in its order, each thread beside what it waits for: a ring.
    for name in snapshot.cycle.iter().flatten() {
        if let Some(w) = blocked
            .iter()
            .find(|t| &t.name == name)
            .and_then(|t| t.waits_for.as_ref())
        {
            add(name, true);
            add(&w.resource, false);
        }
    }
    let mut edges: Vec<(String, String, &str)> = Vec::new();
    for t in &blocked {
        let w = t.waits_for.as_ref().expect("a blocked thread waits");
        add(&t.name, true);
        add(&w.resource, false);
        edges.push((t.name.clone(), w.resource.clone(), "waits for"));
        for h in &w.held_by {
            add(h, true);
            edges.push((w.resource.clone(), h.clone(), "held by"));
        }
    }
    let cycle = snapshot.cycle.clone().unwrap_or_default();
    let in_cycle = |from: &str, to: &str| {
        cycle.iter().enumerate().any(|(i, t)| {
            let next = &cycle[(i + 1) % cycle.len()];
            let wait = blocked
                .iter()
                .find(|b| &b.name == t)
                .and_then(|b| b.waits_for.as_ref());
            wait.is_some_and(|w| {
                (from == t && to == w.resource) || (from == w.resource && to == next)
            })
        })
    };
    let (w, h) = (640.0_f64, 480.0_f64);
    let (cx, cy, r) = (w / 2.0, h / 2.0, 170.0);
    let at = |i: usize| {
        let a = std::f64::consts::TAU * i as f64 / nodes.len() as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * a.cos(), cy + r * a.sin())
    };
    let index = |name: &str| nodes.iter().position(|(n, _)| n == name).expect("a node");
    let mut svg = format!(
        "<svg id=\"wait-for\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\">\
         <title>Who waits for what, and who holds it</title>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/></marker>\
         <marker id=\"arrow-red\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#c0392b\"/></marker></defs>"
    );
    for (from, to, label) in &edges {
        let ((x1, y1), (x2, y2)) = (at(index(from)), at(index(to)));
        // Stop short of the target's label.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (x2, y2) = (x2 - dx / len * 34.0, y2 - dy / len * 18.0);
        let red = in_cycle(from, to);
        let _ = write!(
            svg,
            "<line class=\"edge{}\" data-from=\"{}\" data-to=\"{}\" x1=\"{x1:.0}\" y1=\"{y1:.0}\" \
             x2=\"{x2:.0}\" y2=\"{y2:.0}\" marker-end=\"url(#{})\"><title>{} {} {}</title></line>",
            if red { " cycle" } else { "" },
            esc(from),
            esc(to),
            if red { "arrow-red" } else { "arrow" },
            esc(from),
            label,
            esc(to)
        );
    }
    for (i, (name, thread)) in nodes.iter().enumerate() {
        let (x, y) = at(i);
        let class = if *thread { "thread" } else { "resource" };
        let shape = if *thread {
            format!("<ellipse cx=\"{x:.0}\" cy=\"{y:.0}\" rx=\"46\" ry=\"18\"/>")
        } else {
            format!(
                "<rect x=\"{:.0}\" y=\"{:.0}\" width=\"92\" height=\"30\" rx=\"4\"/>",
                x - 46.0,
                y - 15.0
            )
        };
        let _ = write!(
            svg,
            "<g class=\"node {class}\" data-name=\"{}\">{shape}<text x=\"{x:.0}\" y=\"{:.0}\">{}</text></g>",
            esc(name),
            y + 5.0,
            esc(name)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

const STYLE: &str = "body{font:15px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.3em}.summary{font-weight:600}.message{color:#7a1f1f}\
#controls button{font-size:1em;margin-right:.3em}#at{margin-left:.6em;font-weight:600}\
.layout{display:flex;gap:2em;align-items:flex-start;flex-wrap:wrap}\
table{border-collapse:collapse}td,th{padding:.15em .7em;text-align:left;white-space:nowrap}\
th{border-bottom:1px solid #999}tr.future td{color:#bbb}tr.current{background:#fff3b0}\
tr.mark td.note{color:#7a1f1f;font-style:italic}tr.lost-write,tr.overwriting-write{outline:2px solid #c0392b}\
tr.end td{font-weight:600}#state ul{padding-left:1.2em;margin:.3em 0}\
svg line.edge{stroke:#555;stroke-width:1.5}svg line.cycle{stroke:#c0392b;stroke-width:3}\
svg .node ellipse{fill:#dfe9f5;stroke:#345}svg .node rect{fill:#f5ecd9;stroke:#754}\
svg text{text-anchor:middle;font-size:12px}";

const SCRIPT: &str = "const rows=[...document.querySelectorAll('#trace tbody tr[data-step]')];\
const end=document.querySelector('#trace tr.end');let cur=0;\
function show(k){cur=Math.max(0,Math.min(k,rows.length));\
rows.forEach((r,i)=>{r.classList.toggle('future',i>=cur);r.classList.toggle('current',i===cur-1);});\
if(end){end.classList.toggle('future',cur<rows.length);}\
document.querySelectorAll('.state').forEach(s=>{s.hidden=Number(s.dataset.step)!==cur;});\
document.getElementById('at').textContent=cur===0?'before the first step':(cur===rows.length?'the end (step '+cur+')':'after step '+cur);}\
document.getElementById('first').onclick=()=>show(0);document.getElementById('prev').onclick=()=>show(cur-1);\
document.getElementById('next').onclick=()=>show(cur+1);document.getElementById('last').onclick=()=>show(rows.length);\
document.addEventListener('keydown',e=>{if(e.key==='ArrowRight')show(cur+1);else if(e.key==='ArrowLeft')show(cur-1);\
else if(e.key==='Home')show(0);else if(e.key==='End')show(rows.length);});\
show(location.hash==='#end'?rows.length:0);";

pub(super) fn page(report: &Report) -> String {
    let mut out = String::from("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        out,
        "<title>{}</title><style>{STYLE}</style></head><body>",
        esc(&report.subject.name)
    );
    let _ = write!(
        out,
        "<h1>{} ({})</h1>",
        esc(&report.subject.name),
        esc(&report.run_of())
    );
    let _ = write!(
        out,
        "<p class=\"summary\" id=\"summary\">{}</p>",
        esc(&report.summary())
    );
    let Some(failure) = &report.failure else {
        out.push_str("<p>No schedule failed: there is no execution to replay.</p></body></html>");
        return out;
    };
    if report.summary() != failure.message() {
        let _ = write!(
            out,
            "<p class=\"message\" id=\"message\">{}</p>",
            esc(failure.message())
        );
    }
    let table = report.trace_table();
    let overwrite = report.overwrite_steps();
    if let (Some(words), Some((a, b))) = (report.overwrite_in_words(), overwrite) {
        let _ = write!(
            out,
            "<p id=\"overwrite\" data-steps=\"{a} {b}\">{} (the two writes: steps {a} and {b})</p>",
            esc(&words)
        );
    }
    let Some(table) = table else {
        out.push_str("</body></html>");
        return out;
    };
    out.push_str(
        "<div id=\"controls\"><button id=\"first\">« start</button><button id=\"prev\">◀ step</button>\
         <button id=\"next\">step ▶</button><button id=\"last\">end »</button><span id=\"at\"></span>\
         <span> (or ← → Home End)</span></div><div class=\"layout\"><table id=\"trace\"><thead><tr><th>step</th>",
    );
    let trace = table.trace;
    for t in &trace.threads {
        let _ = write!(out, "<th>{}</th>", esc(t));
    }
    out.push_str("<th></th></tr></thead><tbody>");
    let marks: BTreeMap<usize, &str> = table.marks.iter().map(|(i, m)| (*i, m.as_str())).collect();
    let class_of = |note: &str| match note {
        "this write is lost" => "mark lost-write",
        "overwrites it" => "mark overwriting-write",
        "stale read" => "mark stale-read",
        _ => "mark",
    };
    let mut states = vec![State::default()];
    for (i, step) in trace.steps.iter().enumerate() {
        let thread = &trace.threads[step.thread];
        states.push(states[i].after(step, thread));
        let note = marks.get(&i).copied();
        let _ = write!(
            out,
            "<tr id=\"step-{n}\" data-step=\"{n}\" class=\"{}\"><td>{n}</td>",
            note.map_or("", class_of),
            n = i + 1
        );
        for (c, _) in trace.threads.iter().enumerate() {
            if c == step.thread {
                let _ = write!(out, "<td>{}</td>", esc(&explain::cell(step)));
            } else {
                out.push_str("<td></td>");
            }
        }
        let _ = write!(
            out,
            "<td class=\"note\">{}</td></tr>",
            esc(note.unwrap_or(""))
        );
    }
    out.push_str("<tr class=\"end\"><td>end</td>");
    // The hourglass is for terminals; a page says it in words, in every font.
    for text in table.last_row() {
        let _ = write!(out, "<td>{}</td>", esc(text.trim_start_matches("⏳ ")));
    }
    out.push_str("<td></td></tr></tbody></table><div><h2>After this step</h2><div id=\"state\">");
    let last = states.len() - 1;
    for (k, state) in states.iter().enumerate() {
        out.push_str(&state.html(k, (k == last).then_some(table.snapshot)));
    }
    out.push_str("</div>");
    if let Some(svg) = graph(table.snapshot) {
        let _ = write!(out, "<h2>Who waits for whom</h2>{svg}");
    }
    let _ = write!(out, "</div></div><script>{SCRIPT}</script></body></html>");
    out
}

impl Report {
    /// The report as one self-contained HTML page: see the module's documentation.
    pub fn html(&self) -> String {
        page(self)
    }

    /// For a lost update, the two overwriting writes' step numbers (from 1), in order.
    pub fn overwrite_steps(&self) -> Option<(usize, usize)> {
        let failure = self.failure.as_ref()?;
        if failure.verdict() != Some(super::Verdict::LostUpdate) {
            return None;
        }
        let o = explain::find_overwrite(&failure.snapshot.trace)?;
        let (a, b) = (
            o.lost_write.min(o.overwriting_write),
            o.lost_write.max(o.overwriting_write),
        );
        Some((a + 1, b + 1))
    }
}
