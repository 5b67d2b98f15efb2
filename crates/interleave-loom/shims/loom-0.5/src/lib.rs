//! loom's name on interleave-loom: everything it has, under the crate name a suite imports.

pub use api::*;
