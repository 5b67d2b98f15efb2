//! Benchmarks, printed as tables by `interleave bench`: the course's workloads against CPython
//! (`versus_python`, the std build), what a blocked thread costs (`idle_waiters`, std), and
//! what exploring a model costs as it grows (`explore_cost`, the loom and shuttle builds;
//! `--explore`), and bounded mode beside loom (`bounded_vs_loom`, `--explore`). Timings are measured side by side in one run and printed, never asserted: the
//! machines are shared and noisy.

// Exploring needs loom or shuttle; the std build hands `--explore` to those builds.
#[cfg(any(loom, shuttle))]
pub mod explore_cost;
// Bounded mode beside loom: the std build runs each in its own build.
#[cfg(not(any(loom, shuttle)))]
pub mod bounded_vs_loom;
#[cfg(not(any(loom, shuttle)))]
pub mod versus_spin;
// One exploration as shard processes and merged: the std build runs them in the shuttle build.
#[cfg(not(any(loom, shuttle)))]
pub mod shards;
// Sleep sets beside DPOR, each cell a check in the shuttle build: the std build runs them.
#[cfg(not(any(loom, shuttle)))]
pub mod partial_order;
// Real runs against CPython: std build only.
#[cfg(not(any(loom, shuttle)))]
pub mod versus_python;
// The cost of the data-race clocks: the shuttle build.
#[cfg(shuttle)]
pub mod race_clocks;
// Busy threads, for measurements under load.
pub mod load;
// What `interleave test` costs a user's crate beside its three `cargo test` runs: std build.
#[cfg(not(any(loom, shuttle)))]
pub mod user_crate_builds;
// Blocked threads' CPU time, read from a thread's CPU clock (a Unix clock): std build only.
#[cfg(all(unix, not(any(loom, shuttle))))]
pub mod idle_waiters;

use std::fmt::Write as _;
use std::time::Duration;

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration to three significant figures, in the unit that suits it.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// A rate per second, `-` when nothing was timed.
pub fn per_second(count: usize, d: Duration) -> String {
    let s = d.as_secs_f64();
    if s > 0.0 {
        thousands((count as f64 / s).round() as usize)
    } else {
        "-".to_string()
    }
}

/// A text table printed row by row as the measurements come in (progress on a long run):
/// the first `left` columns (names) are left-aligned, the others (figures) right-aligned, at the
/// header's widths or wider.
pub struct Columns {
    widths: Vec<usize>,
    left: usize,
}

impl Columns {
    /// Prints the header and the rule under it.
    pub fn start(left: usize, headers: &[(&str, usize)]) -> Columns {
        let columns = Columns {
            widths: headers
                .iter()
                .map(|&(h, w)| w.max(h.chars().count()))
                .collect(),
            left,
        };
        let names: Vec<String> = headers.iter().map(|&(h, _)| h.to_string()).collect();
        columns.row(&names);
        let rule: Vec<String> = columns.widths.iter().map(|&w| "-".repeat(w)).collect();
        println!("{}", rule.join("  "));
        columns
    }

    /// Prints one row; a cell wider than its column pushes the rest right.
    pub fn row(&self, cells: &[String]) {
        let mut line = String::new();
        for (i, (cell, &width)) in cells.iter().zip(&self.widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = width.saturating_sub(cell.chars().count());
            if i < self.left {
                let _ = write!(line, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(line, "{}{cell}", " ".repeat(pad));
            }
        }
        println!("{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_109_375), "2,109,375");
    }

    #[test]
    fn durations_keep_their_unit_readable() {
        assert_eq!(seconds(Duration::from_micros(420)), "420 µs");
        assert_eq!(seconds(Duration::from_millis(252)), "252.0 ms");
        assert_eq!(seconds(Duration::from_millis(2370)), "2.37 s");
        assert_eq!(per_second(22_201, Duration::from_millis(2370)), "9,368");
        assert_eq!(per_second(5, Duration::ZERO), "-");
    }
}
