//! `loom::hint`: a spin-loop turn, where the explorer lets the other threads run.

pub use interleave_check::sync::hint::spin_loop;

/// As `std::hint::unreachable_unchecked`, which loom re-exports.
///
/// # Safety
/// As std's: the call must never be reached.
pub unsafe fn unreachable_unchecked() -> ! {
    // SAFETY: the caller's contract, passed on.
    unsafe { std::hint::unreachable_unchecked() }
}
