//! `interleave list`: the course's models, their variants and expected verdicts, as text for
//! people or as the README's Markdown table.

use crate::bench::thousands;
use crate::explore::{self, Model};
use crate::models;

pub(super) fn list() {
    for model in models::ALL {
        println!("{} — {}", model.name, model.about);
        println!("  source: {}", model.source);
        let params: Vec<String> = model
            .params
            .iter()
            .map(|p| {
                format!(
                    "--{} (exhaustive {}, randomized {}, real {})",
                    p.name, p.exhaustive, p.randomized, p.real
                )
            })
            .collect();
        println!("  parameters: {}", params.join("; "));
        println!(
            "  explored: exhaustive to preemption bound {}; {} random or pct schedules (pct depth {})",
            model.preemption_bound, model.schedules, model.pct_depth
        );
        let width = model
            .variants
            .iter()
            .chain(model.controls)
            .map(|v| v.name.len())
            .max()
            .unwrap_or(0);
        for v in model.variants {
            println!(
                "  {:<width$}  expected {:<11} {}",
                v.name, v.expected, v.about
            );
        }
        for c in model.controls {
            println!(
                "  {:<width$}  control  {:<11} {}",
                c.name, c.expected, c.about
            );
        }
        println!();
    }
}

/// The README's table: one row per variant, the model's sizes on its first row.
pub(super) fn list_markdown() {
    let sizes = |model: &Model, pick: fn(&explore::Param) -> usize| -> String {
        let all: Vec<String> = model
            .params
            .iter()
            .map(|p| format!("{} {}", p.name, thousands(pick(p))))
            .collect();
        if all.is_empty() {
            "as in the course".to_string()
        } else {
            all.join(", ")
        }
    };
    println!("| model | source | variant | expected | exhaustive size (bound) | randomized size (budget) | real size |");
    println!("|---|---|---|---|---|---|---|");
    for model in models::ALL {
        for (i, v) in model.variants.iter().enumerate() {
            let expected = if model.blind_spots.iter().any(|b| b.variant == v.name) {
                format!("{} (loom only)", v.expected)
            } else {
                v.expected.to_string()
            };
            if i == 0 {
                println!(
                    "| {} | {} | `{}` | {} | {} (bound {}) | {} ({}; PCT depth {}) | {} |",
                    model.name,
                    model.source,
                    v.name,
                    expected,
                    sizes(model, |p| p.exhaustive),
                    model.preemption_bound,
                    sizes(model, |p| p.randomized),
                    thousands(model.schedules),
                    model.pct_depth,
                    sizes(model, |p| p.real),
                );
            } else {
                println!("| | | `{}` | {} | | | |", v.name, expected);
            }
        }
    }
}
