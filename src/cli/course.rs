//! `interleave check` and `run` of the course's models: the chosen variants checked one after
//! the other, each report printed (text or JSON), long schedules stashed in a file, and the page
//! written on request.

use super::{progress, Format};
use crate::explore::{self, Mode, Model, Params, Plan, Report, ShardReport, Variant};
use crate::models;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn selected(
    model: &str,
    variant: Option<&str>,
) -> Result<(&'static Model, Vec<&'static Variant>)> {
    let model = models::find(model).map_err(anyhow::Error::msg)?;
    let variants = match variant {
        Some(v) => vec![model.variant(v).map_err(anyhow::Error::msg)?],
        None => model.variants.iter().collect(),
    };
    Ok((model, variants))
}

/// `--cache-states` and `--dpor` are bounded mode's, not together, and `--cache-states` only
/// for a model whose state all lives in the primitives: said before anything runs (or is
/// handed to another build).
pub(super) fn reduction_allowed(
    model: &str,
    mode: Mode,
    cache_states: bool,
    dpor: bool,
) -> Result<()> {
    if dpor && mode != Mode::Bounded {
        bail!("--dpor is bounded mode's: add --mode bounded, or drop it");
    }
    if dpor && cache_states {
        bail!("--dpor does not cache states (its races would not see what a cached state skips): drop one of --dpor and --cache-states");
    }
    if !cache_states {
        return Ok(());
    }
    if mode != Mode::Bounded {
        bail!("--cache-states is bounded mode's: add --mode bounded, or drop it");
    }
    let (model, _) = selected(model, None)?;
    if let Some(why) = model.state_outside_primitives {
        bail!(
            "{} keeps state the primitives do not see ({why}): caching its states could merge \
             schedules that differ there; drop --cache-states",
            model.name
        );
    }
    Ok(())
}

pub(super) fn check_variants(
    model: &str,
    variant: Option<&str>,
    given: &[(&str, usize)],
    plan: &Plan,
    format: Format,
    html: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let (model, variants) = selected(model, variant)?;
    let params = Params::for_model(model, plan.mode, given).map_err(anyhow::Error::msg)?;
    let mut agree = true;
    for variant in variants {
        eprintln!(
            "checking {} / {} ({} mode, {params})…",
            model.name, variant.name, plan.mode
        );
        let line = match format {
            Format::Text => progress::Line::on_terminal(),
            Format::Json => progress::Line::none(),
        };
        let mut watched = plan.clone();
        watched.on_progress = line.watch();
        let checked = explore::check(model, variant, &params, &watched);
        line.clear();
        let mut report = checked.map_err(anyhow::Error::msg)?;
        stash_long_schedule(&mut report)?;
        print_report(&report, format);
        if let Some(path) = html {
            write_page(&report, path)?;
        }
        if format == Format::Text {
            if plan.mode == Mode::Real {
                print_timing(&report);
            }
            println!();
        }
        agree &= report.agrees();
    }
    Ok(exit_code(agree))
}

/// Explores one shard of a bounded check of one variant and writes its report to `out`.
pub(super) fn check_shard(
    model: &str,
    variant: &str,
    given: &[(&str, usize)],
    plan: &Plan,
    (index, count): (usize, usize),
    out: &Path,
) -> Result<ExitCode> {
    let (model, variants) = selected(model, Some(variant))?;
    let variant = variants[0];
    let params = Params::for_model(model, plan.mode, given).map_err(anyhow::Error::msg)?;
    eprintln!(
        "checking {} / {} (bounded mode, shard {index} of {count}, {params})…",
        model.name, variant.name
    );
    let line = progress::Line::on_terminal();
    let mut watched = plan.clone();
    watched.on_progress = line.watch();
    let shard = explore::shard(model, variant, &params, &watched, (index, count));
    line.clear();
    let shard = shard.map_err(anyhow::Error::msg)?;
    std::fs::write(out, shard.to_json())
        .with_context(|| format!("cannot write the shard's report to {}", out.display()))?;
    let failures = shard.failures();
    println!(
        "{} / {}, shard {index} of {count}: {} executions in {:.1} s, {}; its report is in {} \
         (merge every shard's with `interleave merge`)",
        model.name,
        variant.name,
        shard.executions(),
        shard.elapsed().as_secs_f64(),
        if failures.is_empty() {
            "no failure".to_string()
        } else {
            format!("met {}", failures.join(", "))
        },
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The shard reports in `files`, each read and parsed.
pub(super) fn read_shards(files: &[PathBuf]) -> Result<Vec<ShardReport>> {
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the shard's report {}", path.display()))?;
            ShardReport::from_json(&text).with_context(|| {
                format!(
                    "{} is not a shard's report: give the files `check … --shard I/N --out FILE` \
                     wrote",
                    path.display()
                )
            })
        })
        .collect()
}

/// Merges the shards' reports of one bounded check of a course model, and prints the report.
pub(super) fn merge(shards: &[ShardReport], format: Format) -> Result<ExitCode> {
    let first = shards.first().context("no shard reports given")?;
    let (Some(model), Some(variant)) = (first.field("model"), first.field("variant")) else {
        bail!(
            "these shards explored a test, not a course model: merge a test's shards with \
             INTERLEAVE_MERGE=DIR cargo test"
        );
    };
    let (model, variants) = selected(model, Some(variant))?;
    let given: Vec<(&str, usize)> = first
        .sizes()
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    let params = Params::for_model(model, Mode::Bounded, &given).map_err(anyhow::Error::msg)?;
    let mut plan = Plan::new(Mode::Bounded);
    plan.preemptions = Some(first.preemptions());
    plan.no_deepening = first.no_deepening();
    plan.cache_states = first.caches_states();
    plan.first_failure = first.first_failure();
    let mut report =
        explore::merge(model, variants[0], &params, &plan, shards).map_err(anyhow::Error::msg)?;
    stash_long_schedule(&mut report)?;
    print_report(&report, format);
    if format == Format::Text {
        println!();
    }
    Ok(exit_code(report.agrees()))
}

/// Writes the report's HTML page to `path`, and says where.
pub(super) fn write_page(report: &Report, path: &std::path::Path) -> Result<()> {
    std::fs::write(path, report.html())
        .with_context(|| format!("cannot write the page to {}", path.display()))?;
    eprintln!("interleave: the page is in {}", path.display());
    Ok(())
}

/// 0 when every verdict agrees with the expected one, 1 when one does not.
pub(crate) fn exit_code(agree: bool) -> ExitCode {
    if agree {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

pub(super) fn print_report(report: &Report, format: Format) {
    match format {
        Format::Text => print!("{report}"),
        Format::Json => println!("{}", report.json()),
    }
}

/// A schedule longer than this is written to a file rather than printed (a livelock's schedule
/// runs to the step bound: hundreds of thousands of characters).
const LONGEST_PRINTED_SCHEDULE: usize = 200;

/// Moves a long schedule into a file under the system's temporary directory, and leaves `@FILE`
/// in its place, which `replay` reads back.
pub(super) fn stash_long_schedule(report: &mut Report) -> Result<()> {
    let stem = format!(
        "{}-{}",
        report.subject.name.replace(" / ", "-"),
        report.mode
    );
    let failures = report.failure.iter_mut().chain(report.also.iter_mut());
    for (n, failure) in failures.enumerate() {
        let Some(schedule) = failure.schedule.as_mut() else {
            continue;
        };
        if schedule.len() <= LONGEST_PRINTED_SCHEDULE {
            continue;
        }
        let dir = std::env::temp_dir().join("interleave");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {} for the schedule", dir.display()))?;
        let name = match n {
            0 => format!("{stem}.schedule"),
            n => format!("{stem}-{n}.schedule"),
        };
        let path = dir.join(name);
        std::fs::write(&path, schedule.as_bytes())
            .with_context(|| format!("cannot write the schedule to {}", path.display()))?;
        *schedule = format!("@{}", path.display());
    }
    Ok(())
}

pub(super) fn print_timing(report: &Report) {
    let per_run = report.elapsed / report.executions.max(1) as u32;
    let outcomes: Vec<String> = report
        .outcomes
        .iter()
        .take(5)
        .map(ToString::to_string)
        .collect();
    println!(
        "  {per_run:.2?} per run; final states seen: {}",
        outcomes.join(" | ")
    );
}

/// `interleave replay MODEL VARIANT SCHEDULE`: the schedule a check of a course model printed,
/// replayed in the shuttle build (handed to it from another).
pub(super) fn replay(
    model: &str,
    variant: &str,
    schedule: &str,
    given: &[(&str, usize)],
    format: Format,
    html: Option<&std::path::Path>,
) -> Result<ExitCode> {
    if crate::sync::BACKEND != "shuttle" {
        return super::delegate::delegate("shuttle");
    }
    let model = models::find(model).map_err(anyhow::Error::msg)?;
    let variant = model.variant(variant).map_err(anyhow::Error::msg)?;
    let params = Params::for_model(model, Mode::Random, given).map_err(anyhow::Error::msg)?;
    let mut report =
        explore::replay(model, variant, &params, schedule).map_err(anyhow::Error::msg)?;
    stash_long_schedule(&mut report)?;
    print_report(&report, format);
    if let Some(path) = html {
        write_page(&report, path)?;
    }
    Ok(exit_code(report.agrees()))
}
