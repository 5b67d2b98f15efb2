//! The final state of an execution, as named integers: what a final-state check reads, and what
//! an exploration collects across every schedule (the set of reachable final states).

use std::fmt;

/// The final state of one execution, as named integers.
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

    /// Its named values, in order.
    pub fn pairs(&self) -> Vec<(String, i64)> {
        self.0.clone()
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

    /// Checks the value called `name` against `expected`; `says` words a wrong value (the
    /// usual shape of a final-state check: "3 calls recorded of 4").
    pub fn expect_value(
        &self,
        name: &str,
        expected: i64,
        says: impl FnOnce(i64) -> String,
    ) -> Result<(), String> {
        match self.value(name) {
            n if n == expected => Ok(()),
            n => Err(says(n)),
        }
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

/// A closure that returns nothing has no final state to collect.
impl From<()> for Outcome {
    fn from(_: ()) -> Self {
        Outcome::new()
    }
}

impl From<Vec<(String, i64)>> for Outcome {
    fn from(pairs: Vec<(String, i64)>) -> Self {
        Outcome(pairs)
    }
}
