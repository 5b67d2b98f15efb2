//! Busy-waiting, told to the explorers: a spin-loop turn is a point where they let another
//! thread run, so a spin that some thread can end does end, and one that none can end is reported
//! as a livelock (the fair schedule runs past the step bound), not explored forever. Each turn is
//! counted, and a report gives the most turns one execution wasted.

use super::backend::raw_spin_loop;
use super::ledger;

/// One turn of a busy-wait loop (`while locked.load(..) { hint::spin_loop() }`): std's
/// processor hint on real threads, a yield to the other threads under loom and shuttle.
pub fn spin_loop() {
    ledger::spun();
    raw_spin_loop();
}
