//! The course's wine merchant on a real network (003:840-902, part IV): a TCP server with one
//! thread per client (`interleave serve`), and the client that orders bottles (`interleave
//! order`). The stock they share is the `wine-stock` model's [`Cellar`], the very code the
//! explorers check.
//!
//! Compiled in the std build only: under loom or shuttle the cellar's locks exist only inside an
//! exploration, and a real socket has no place there.
//!
//! [`Cellar`]: crate::models::wine_stock::Cellar

pub mod client;
pub mod protocol;
pub mod server;
