//! The verdict every explorer of this build must reach.

#[cfg(any(loom, shuttle))]
use interleave_check::Verdict;
use interleave_check::{Check, Mode};

/// The modes this build explores in: loom's search, or shuttle's samplers and bounded mode.
pub fn explored_modes() -> Vec<Mode> {
    if cfg!(loom) {
        vec![Mode::Exhaustive]
    } else {
        vec![Mode::Random, Mode::Pct, Mode::Bounded]
    }
}

/// Every explored mode of this build finds `verdict` in `program`.
#[cfg(any(loom, shuttle))]
pub fn caught(program: fn(), verdict: Verdict) {
    for mode in explored_modes() {
        let report = Check::new()
            .mode(mode)
            .schedules(2_000)
            .report(program)
            .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        let found = report.failure.as_ref().and_then(|f| f.verdict());
        assert_eq!(found, Some(verdict), "{mode:?}: {report}");
    }
}

/// No explored mode of this build finds anything in `program` (in the real build: no run does).
pub fn passes(program: fn()) {
    let modes = if cfg!(any(loom, shuttle)) {
        explored_modes()
    } else {
        vec![Mode::Real]
    };
    for mode in modes {
        let report = Check::new()
            .mode(mode)
            .schedules(2_000)
            .report(program)
            .unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        assert!(report.failure.is_none(), "{mode:?}: {report}");
    }
}
