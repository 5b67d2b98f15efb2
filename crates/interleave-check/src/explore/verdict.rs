//! The verdict words of the course catalogue (`shared/course/CATALOGUE.md`).

use std::fmt;
use std::str::FromStr;

/// The worst outcome a variant reaches in some schedule; `Pass` (the catalogue's "ok") means no
/// schedule reaches another.
///
/// No variant shares a name with `Result`'s or `Option`'s, so that the verdicts can be imported
/// whole where results are matched too:
///
/// ```
/// use interleave_check::Verdict::*;
///
/// fn bad(words: &str) -> bool {
///     match words.parse::<interleave_check::Verdict>() {
///         Ok(Pass) => false,
///         Ok(Deadlock | Hang | Livelock | LostUpdate | Invariant | DataRace | Panic) => true,
///         Err(_) => true,
///     }
/// }
/// assert!(!bad("ok") && bad("deadlock"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Every schedule terminates and every check holds (the catalogue's "ok").
    Pass,
    /// A cycle of threads, each blocked on a resource the next one holds.
    Deadlock,
    /// The run terminates but a final value is wrong.
    LostUpdate,
    /// A named invariant broke mid-run.
    Invariant,
    /// A thread blocks forever with no cycle: it waits for something no live thread provides.
    Hang,
    /// A fair schedule runs past the step bound without the run making progress.
    Livelock,
    /// Two threads accessed one `UnsafeCell`, one of them writing, with nothing ordering the two
    /// accesses: whatever the values, the program's behaviour is undefined.
    DataRace,
    /// A thread panicked: an `assert!` of the checked code failed, or the code crashed (an index
    /// out of bounds, an `unwrap` of nothing) on some interleaving.
    Panic,
}

impl Verdict {
    pub const ALL: [Verdict; 8] = [
        Verdict::Pass,
        Verdict::Deadlock,
        Verdict::LostUpdate,
        Verdict::Invariant,
        Verdict::Hang,
        Verdict::Livelock,
        Verdict::DataRace,
        Verdict::Panic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "ok",
            Verdict::Deadlock => "deadlock",
            Verdict::LostUpdate => "lost-update",
            Verdict::Invariant => "invariant",
            Verdict::Hang => "hang",
            Verdict::Livelock => "livelock",
            Verdict::DataRace => "data-race",
            Verdict::Panic => "panic",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown verdict '{s}' (expected one of ok, deadlock, lost-update, invariant, hang, livelock, data-race, panic)"))
    }
}
