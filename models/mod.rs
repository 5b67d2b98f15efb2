//! The registry of the course's models: one file per algorithm, each declaring its variants,
//! parameters and expected verdicts next to its code.

pub mod counter;
pub mod philosophers;

use crate::explore::Model;

/// Every model, in the catalogue's order.
pub const ALL: &[&Model] = &[&counter::MODEL, &philosophers::MODEL];

/// The model called `name`.
///
/// # Errors
/// A message naming the known models.
pub fn find(name: &str) -> Result<&'static Model, String> {
    ALL.iter().copied().find(|m| m.name == name).ok_or_else(|| {
        let known: Vec<&str> = ALL.iter().map(|m| m.name).collect();
        format!(
            "unknown model '{name}' (known models: {})",
            known.join(", ")
        )
    })
}
