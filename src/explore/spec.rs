//! How a model declares itself, once, next to its code: its name, course source, parameters
//! with their sizes per mode, variants with their expected verdicts, and the check of its final
//! state. Tests, the CLI and the benches all read these declarations.

use super::{Mode, Verdict};
use std::fmt;

/// One course algorithm.
pub struct Model {
    pub name: &'static str,
    /// Where in the course (`shared/course/seeds`) it comes from.
    pub source: &'static str,
    pub about: &'static str,
    pub params: &'static [Param],
    pub variants: &'static [Variant],
    /// Checks the final state a run returns; an `Err` is a lost update.
    pub check: fn(&Params, &Outcome) -> Result<(), String>,
    /// The preemption bound up to which exhaustive mode explores by default (deepening from 0).
    pub preemption_bound: usize,
    /// The number of schedules randomized modes try by default.
    pub schedules: usize,
    /// The depth PCT targets by default: one more than the preemptions the model's bugs need.
    pub pct_depth: usize,
    /// Bugs a mode cannot show, stated rather than hidden: there the variant is expected to pass.
    pub blind_spots: &'static [BlindSpot],
    /// Mutants that break what the model checks (no forks; a permit released twice), each with
    /// the verdict its check must give. They are not the course's code: they show that every
    /// check of the model can fail, and every explored mode must catch each one.
    pub controls: &'static [Variant],
}

/// A variant's bug that some modes cannot reach, and why (shuttle and x86 keep atomics in
/// order, so a reordering only loom's memory model shows is invisible to them).
pub struct BlindSpot {
    pub variant: &'static str,
    pub modes: &'static [Mode],
    pub why: &'static str,
}

/// One version of the algorithm: the course's code as printed, or a fix.
pub struct Variant {
    pub name: &'static str,
    pub expected: Verdict,
    pub about: &'static str,
    /// Runs the variant once, start to finish, and returns its final state.
    pub run: fn(&Params) -> Outcome,
}

/// A size the user may set: it becomes a CLI flag of the same name (`--threads 4`).
pub struct Param {
    pub name: &'static str,
    pub help: &'static str,
    /// Default under loom: small enough to explore every schedule.
    pub exhaustive: usize,
    /// Default under shuttle: larger, sampled.
    pub randomized: usize,
    /// Default for real runs: realistic.
    pub real: usize,
    pub min: usize,
    /// The largest value that makes sense (`usize::MAX` if none).
    pub max: usize,
}

/// The three kinds of run, which pick a default size for every parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Exhaustive,
    Randomized,
    Real,
}

impl Param {
    pub fn default_for(&self, scale: Scale) -> usize {
        match scale {
            Scale::Exhaustive => self.exhaustive,
            Scale::Randomized => self.randomized,
            Scale::Real => self.real,
        }
    }
}

/// The values of a model's parameters for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, usize)>);

impl Params {
    /// Every parameter of `model` at its default for `scale`, then the given overrides.
    pub fn for_model(
        model: &Model,
        scale: Scale,
        overrides: &[(&str, usize)],
    ) -> Result<Params, String> {
        let mut values: Vec<(&'static str, usize)> = model
            .params
            .iter()
            .map(|p| (p.name, p.default_for(scale)))
            .collect();
        for &(name, value) in overrides {
            let Some(param) = model.params.iter().find(|p| p.name == name) else {
                let known: Vec<String> = model
                    .params
                    .iter()
                    .map(|p| format!("--{}", p.name))
                    .collect();
                return Err(if known.is_empty() {
                    format!("model '{}' has no parameters (--{name} given)", model.name)
                } else {
                    format!(
                        "model '{}' has no parameter --{name} (its parameters: {})",
                        model.name,
                        known.join(", ")
                    )
                });
            };
            if value < param.min {
                return Err(format!(
                    "--{name} must be at least {} (got {value})",
                    param.min
                ));
            }
            if value > param.max {
                return Err(format!(
                    "--{name} must be at most {} (got {value}): {}",
                    param.max, param.help
                ));
            }
            if let Some(slot) = values.iter_mut().find(|(n, _)| *n == name) {
                slot.1 = value;
            }
        }
        Ok(Params(values))
    }

    /// The value of a declared parameter.
    ///
    /// # Panics
    /// If the model asks for a parameter it did not declare: a bug in the model.
    pub fn get(&self, name: &str) -> usize {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, v)| v)
            .unwrap_or_else(|| {
                panic!("the model reads parameter '{name}', which it does not declare")
            })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(n, v)| format!("{n}={v}")).collect();
        f.write_str(&parts.join(" "))
    }
}

/// The final state of one run, as named integers: what the model's check reads, and what
/// exhaustive mode collects across every schedule (the set of reachable outcomes).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Outcome(Vec<(String, i64)>);

impl Outcome {
    pub fn new() -> Self {
        Outcome(Vec::new())
    }

    pub fn with(mut self, name: impl Into<String>, value: i64) -> Self {
        self.0.push((name.into(), value));
        self
    }

    pub fn get(&self, name: &str) -> Option<i64> {
        self.0.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }

    /// The value called `name`, which the model's run reports.
    ///
    /// # Panics
    /// If the run did not report it: a bug in the model.
    pub fn value(&self, name: &str) -> i64 {
        self.get(name)
            .unwrap_or_else(|| panic!("the model's final state has no value called '{name}'"))
    }

    pub fn values(&self) -> impl Iterator<Item = (&str, i64)> {
        self.0.iter().map(|(n, v)| (n.as_str(), *v))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(n, v)| format!("{n}={v}")).collect();
        f.write_str(&parts.join(" "))
    }
}

impl Model {
    /// What `variant` must observe in `mode`: its verdict, or `ok` where the mode is blind to
    /// its bug (with the reason).
    pub fn expected_in(&self, variant: &Variant, mode: Mode) -> (Verdict, Option<&'static str>) {
        match self
            .blind_spots
            .iter()
            .find(|b| b.variant == variant.name && b.modes.contains(&mode))
        {
            Some(blind) => (Verdict::Ok, Some(blind.why)),
            None => (variant.expected, None),
        }
    }

    /// The variant, or the control, called `name`.
    pub fn variant(&self, name: &str) -> Result<&'static Variant, String> {
        self.variants
            .iter()
            .chain(self.controls)
            .find(|v| v.name == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.variants.iter().map(|v| v.name).collect();
                format!(
                    "model '{}' has no variant '{name}' (its variants: {})",
                    self.name,
                    known.join(", ")
                )
            })
    }
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant")
            .field("name", &self.name)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}
