//! The failures an exploration found: which one the report gives (the expected verdict's, or
//! the first that ends the search), the first counterexample of each other kind beside it, and
//! which failures end a search.

use super::{Check, Failure, Verdict};
use std::sync::Arc;

/// Whether a failure ends a search: no execution starts after it (see [`ends_of`]).
pub(super) type Ends = Arc<dyn Fn(&Failure) -> bool + Send + Sync>;

/// Adds `failure` to `found` unless a failure of its kind is there already.
pub(super) fn keep_first_of_kind(found: &mut Vec<Failure>, failure: Failure) {
    if !found.iter().any(|f| f.same_kind(&failure)) {
        found.push(failure);
    }
}

/// Splits the failures found, in the order of the search, into the one reported (the first
/// that ends the search, or else the first) and the first of each other kind.
pub(super) fn reported(mut found: Vec<Failure>, ends: &Ends) -> (Option<Failure>, Vec<Failure>) {
    if found.is_empty() {
        return (None, found);
    }
    let main = found.iter().position(|f| ends(f)).unwrap_or(0);
    let main = found.remove(main);
    found.retain(|f| !f.same_kind(&main));
    (Some(main), found)
}

fn is_lost_update(failure: &Failure) -> bool {
    failure.verdict() == Some(Verdict::LostUpdate)
}

/// Which failures end the search of `check`: the first failure of any kind when the check asks
/// for it; the expected verdict, for a check told what to expect (the search looks on past the
/// others, which the report lists too); otherwise any failure but a lost update, after which
/// the search looks on for a worse verdict.
pub(super) fn ends_of(check: &Check) -> Ends {
    let first_failure = check.first_failure;
    let expected = check.subject.expected.filter(|v| *v != Verdict::Pass);
    Arc::new(move |failure: &Failure| {
        if first_failure {
            return true;
        }
        match expected {
            Some(expected) => failure.verdict() == Some(expected),
            None => !is_lost_update(failure),
        }
    })
}
