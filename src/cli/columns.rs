//! The CLI's plain tables (the verdicts of `table`, the tests of `test`): columns laid out by
//! `comfy-table`, which measures what a terminal shows (`⏳` and accented names), no borders, the
//! numbers right-aligned. The trace table of a report is not one of these: each of its cells
//! must stay on its one line, cut with `…` when too long, where `comfy-table` wraps.

use comfy_table::presets::NOTHING;
use comfy_table::{CellAlignment, ContentArrangement, Table};

/// `header` and `rows` as aligned columns; the columns numbered in `right` are right-aligned.
pub(crate) fn plain(header: &[&str], rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for row in rows {
        table.add_row(row);
    }
    for &c in right {
        if let Some(column) = table.column_mut(c) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let mut out: String = table
        .lines()
        .map(|line| line.trim_end().to_string() + "\n")
        .collect();
    if out.is_empty() {
        out.push('\n');
    }
    out
}
