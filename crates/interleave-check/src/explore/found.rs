//! The failures an exploration found: which ones end the search, which one the report gives
//! (the expected verdict's, or the first that ends the search), and the first counterexample of
//! each other kind beside it.

use super::{Check, Failure, Verdict};

/// What a search looks for: when it may stop, and which failure its report leads with.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ends {
    first_failure: bool,
    expected: Option<Verdict>,
}

/// What the search of `check` looks for.
pub(super) fn ends_of(check: &Check) -> Ends {
    Ends {
        first_failure: check.first_failure,
        expected: check.subject.expected.filter(|v| *v != Verdict::Pass),
    }
}

impl Ends {
    /// Whether `failure` ends the search: any failure, for a check that asks for the first; a
    /// lost update never otherwise (the search looks on for a worse verdict and gathers the
    /// final states); for a check told what to expect, that verdict only (the search looks on
    /// past the others, which the report lists too); any other failure otherwise.
    pub fn ends(&self, failure: &Failure) -> bool {
        if self.first_failure {
            return true;
        }
        if failure.verdict() == Some(Verdict::LostUpdate) {
            return false;
        }
        self.expected
            .is_none_or(|expected| failure.verdict() == Some(expected))
    }

    /// Splits the failures found, in the order of the search, into the one reported (the
    /// expected verdict's, or else the first that ends the search, or else the first) and the
    /// first of each other kind.
    pub fn reported(&self, mut found: Vec<Failure>) -> (Option<Failure>, Vec<Failure>) {
        let expected = |f: &Failure| self.expected.is_some() && f.verdict() == self.expected;
        let main = found
            .iter()
            .position(expected)
            .or_else(|| found.iter().position(|f| self.ends(f)))
            .or((!found.is_empty()).then_some(0));
        let Some(main) = main else {
            return (None, found);
        };
        let main = found.remove(main);
        found.retain(|f| !f.same_kind(&main));
        (Some(main), found)
    }
}

/// Adds `failure` to `found` unless a failure of its kind is there already.
pub(super) fn keep_first_of_kind(found: &mut Vec<Failure>, failure: Failure) {
    if !found.iter().any(|f| f.same_kind(&failure)) {
        found.push(failure);
    }
}
