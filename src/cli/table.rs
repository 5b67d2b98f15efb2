//! `interleave table`: every model and variant, in one mode, or in all of them side by side (each
//! mode in the build that runs it), as text, JSON lines or Markdown. The README's table of
//! verdicts is this command's Markdown, so it never drifts from what the suite observes.

use super::delegate::{delegated_command, run_delegated};
use super::{Exploration, Format};
use crate::explore::{self, Mode, Params, Plan, Report};
use crate::models;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// One variant checked in one mode.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Row {
    model: String,
    variant: String,
    mode: String,
    /// What this mode must observe (the variant's verdict, or `ok` in a declared blind spot).
    expected: String,
    observed: String,
    agrees: bool,
    executions: usize,
    seconds: f64,
}

impl Row {
    fn of(report: &Report) -> Row {
        Row {
            model: report
                .subject
                .field("model")
                .unwrap_or_default()
                .to_string(),
            variant: report
                .subject
                .field("variant")
                .unwrap_or_default()
                .to_string(),
            mode: report.mode.as_str().to_string(),
            expected: report.expected().as_str().to_string(),
            observed: report.observed().to_string(),
            agrees: report.agrees(),
            executions: report.executions,
            seconds: report.elapsed.as_secs_f64(),
        }
    }
}

pub(super) fn run(
    mode: Option<Mode>,
    exploration: &Exploration,
    markdown: Option<&Path>,
    html: Option<&Path>,
    format: Format,
) -> Result<ExitCode> {
    if let Some(dir) = html {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create {} for the pages", dir.display()))?;
    }
    let modes: Vec<Mode> = match mode {
        Some(m) => vec![m],
        None => Mode::ALL.to_vec(),
    };
    // One mode checked in this build prints its JSON lines as they come; rows read back from
    // another build, or several modes, are printed at the end.
    let streamed = format == Format::Json && modes.len() == 1 && modes[0].available();
    let mut rows = Vec::new();
    for &m in &modes {
        if m.available() {
            rows.extend(rows_here(m, exploration, streamed, html)?);
        } else {
            rows.extend(rows_elsewhere(m, exploration, html)?);
        }
    }
    let agree = rows.iter().all(|r| r.agrees);
    match format {
        Format::Json if streamed => {}
        Format::Json => {
            for row in &rows {
                println!("{}", serde_json::to_string(row)?);
            }
        }
        Format::Text => print!("{}", text(&rows, &modes)),
    }
    if let Some(path) = markdown {
        write_markdown(path, &self::markdown(&rows, &modes))?;
        eprintln!("table: wrote the Markdown table to {}", path.display());
    }
    if let Some(dir) = html {
        let index = dir.join("index.html");
        std::fs::write(&index, self::index(&rows, &modes))
            .with_context(|| format!("cannot write {}", index.display()))?;
        eprintln!(
            "table: wrote the pages and their index, {}",
            index.display()
        );
    }
    Ok(super::course::exit_code(agree))
}

/// Checks every variant in `mode`, in this build.
fn rows_here(
    mode: Mode,
    exploration: &Exploration,
    stream_json: bool,
    html: Option<&Path>,
) -> Result<Vec<Row>> {
    let plan: Plan = exploration.plan(mode);
    let mut rows = Vec::new();
    for model in models::ALL {
        let params = Params::for_model(model, mode, &[]).map_err(anyhow::Error::msg)?;
        for variant in model.variants {
            eprintln!("table: {} / {} ({mode})…", model.name, variant.name);
            let report =
                explore::check(model, variant, &params, &plan).map_err(anyhow::Error::msg)?;
            let row = Row::of(&report);
            if let Some(dir) = html {
                let path = dir.join(page_name(&row));
                std::fs::write(&path, report.html())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            if stream_json {
                println!("{}", serde_json::to_string(&row)?);
            }
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Checks every variant in `mode` in the build that runs it, and reads its JSON lines back.
fn rows_elsewhere(mode: Mode, exploration: &Exploration, html: Option<&Path>) -> Result<Vec<Row>> {
    let mut command = delegated_command(mode.backend())?;
    command.args(["table", "--format", "json", "--mode", mode.as_str()]);
    if let Some(dir) = html {
        command.arg("--html").arg(dir);
    }
    command.args(exploration.flags());
    let (status, stdout) = run_delegated(command, true)?;
    let rows: Vec<Row> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| {
            format!(
                "the {} build printed a table this build cannot read",
                mode.backend()
            )
        })?;
    if rows.is_empty() {
        bail!(
            "the {} build ran no {mode} checks (exit status {})",
            mode.backend(),
            status
        );
    }
    Ok(rows)
}

/// One variant's rows, by mode.
type VariantRows<'a> = ((&'a str, &'a str), BTreeMap<&'a str, &'a Row>);

/// The rows of each variant, by mode, in catalogue order.
fn by_variant(rows: &[Row]) -> Vec<VariantRows<'_>> {
    let mut out: Vec<VariantRows<'_>> = Vec::new();
    for row in rows {
        let key = (row.model.as_str(), row.variant.as_str());
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, modes)) => {
                modes.insert(row.mode.as_str(), row);
            }
            None => out.push((key, BTreeMap::from([(row.mode.as_str(), row)]))),
        }
    }
    out
}

/// The verdict the catalogue gives a variant.
fn catalogue_verdict(model: &str, variant: &str) -> String {
    models::find(model)
        .ok()
        .and_then(|m| m.variant(variant).ok())
        .map_or_else(|| "?".to_string(), |v| v.expected.to_string())
}

/// A mode's cell: the observed verdict, `*` where the mode is declared blind to the bug (it must
/// pass there), and the expected verdict beside a mismatch.
fn cell(row: Option<&&Row>, catalogue: &str, mismatch: fn(&Row) -> String) -> String {
    match row {
        None => "-".to_string(),
        Some(r) if !r.agrees => mismatch(r),
        Some(r) if r.expected != catalogue => format!("{}*", r.observed),
        Some(r) => r.observed.clone(),
    }
}

fn executions(modes: &BTreeMap<&str, &Row>, order: &[Mode]) -> String {
    order
        .iter()
        .filter(|m| **m != Mode::Real)
        .map(|m| {
            modes
                .get(m.as_str())
                .map_or("-".to_string(), |r| r.executions.to_string())
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

fn seconds(modes: &BTreeMap<&str, &Row>) -> f64 {
    modes.values().map(|r| r.seconds).sum()
}

fn text(rows: &[Row], order: &[Mode]) -> String {
    let mut header = vec!["model", "variant", "expected"];
    header.extend(order.iter().map(|m| m.as_str()));
    header.extend(["executions", "time", ""]);
    let mut lines = Vec::new();
    for ((model, variant), modes) in by_variant(rows) {
        let catalogue = catalogue_verdict(model, variant);
        let mut line = vec![model.to_string(), variant.to_string(), catalogue.clone()];
        for m in order {
            line.push(cell(modes.get(m.as_str()), &catalogue, |r| {
                format!("{}!", r.observed)
            }));
        }
        line.push(executions(&modes, order));
        line.push(format!("{:.2}s", seconds(&modes)));
        line.push(if modes.values().any(|r| !r.agrees) {
            "<< MISMATCH".to_string()
        } else {
            String::new()
        });
        lines.push(line);
    }
    let numbers = [3 + order.len(), 4 + order.len()];
    let mut out = super::columns::plain(&header, lines, &numbers);
    out.push_str(
        "(* a mode the model declares blind to the bug: it must pass there; ! a verdict that \
         disagrees with the expected one)\n",
    );
    out
}

/// The file a row's page is written to.
fn page_name(row: &Row) -> String {
    format!("{}-{}-{}.html", row.model, row.variant, row.mode)
}

/// The index of the pages: every variant, its expected verdict, and in each mode what was
/// observed, linked to its page.
fn index(rows: &[Row], order: &[Mode]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>interleave: every \
         variant</title><style>body{font:15px/1.4 system-ui,sans-serif;margin:1.5em}\
         td,th{padding:.15em .8em;text-align:left}.mismatch{color:#c0392b;font-weight:600}</style>\
         </head><body><h1>Every variant, in every mode</h1><table><tr><th>model</th><th>variant</th>\
         <th>expected</th>",
    );
    for m in order {
        out.push_str(&format!("<th>{}</th>", m.as_str()));
    }
    out.push_str("</tr>");
    for ((model, variant), modes) in by_variant(rows) {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(model),
            esc(variant),
            esc(&catalogue_verdict(model, variant))
        ));
        for m in order {
            match modes.get(m.as_str()) {
                Some(row) => out.push_str(&format!(
                    "<td{}><a href=\"{}\">{}</a></td>",
                    if row.agrees {
                        ""
                    } else {
                        " class=\"mismatch\""
                    },
                    esc(&page_name(row)),
                    esc(&row.observed)
                )),
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table></body></html>");
    out
}

fn markdown(rows: &[Row], order: &[Mode]) -> String {
    let mut out = String::from("| model | variant | expected |");
    for m in order {
        out.push_str(&format!(" {} |", m.as_str()));
    }
    out.push_str(" executions (");
    out.push_str(
        &order
            .iter()
            .filter(|m| **m != Mode::Real)
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(" / "),
    );
    out.push_str(") | time (s) |\n|---|---|---|");
    for _ in order {
        out.push_str("---|");
    }
    out.push_str("---|---|\n");
    for ((model, variant), modes) in by_variant(rows) {
        let catalogue = catalogue_verdict(model, variant);
        out.push_str(&format!("| {model} | `{variant}` | {catalogue} |"));
        for m in order {
            let c = cell(modes.get(m.as_str()), &catalogue, |r| {
                format!("**{} (expected {})**", r.observed, r.expected)
            });
            out.push_str(&format!(" {c} |"));
        }
        out.push_str(&format!(
            " {} | {:.2} |\n",
            executions(&modes, order),
            seconds(&modes)
        ));
    }
    out
}

const START: &str = "<!-- verdicts:start -->";
const END: &str = "<!-- verdicts:end -->";

/// Writes `table` to `path`, between the markers if the file has them, else as the whole file.
fn write_markdown(path: &Path, table: &str) -> Result<()> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let content = match (existing.find(START), existing.find(END)) {
        (Some(s), Some(e)) if s < e => {
            format!("{}{START}\n{table}{}", &existing[..s], &existing[e..])
        }
        _ => table.to_string(),
    };
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))
}
