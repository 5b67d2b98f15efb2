//! Sleeping on a word with a deadline: what `atomic-wait` (no timeouts) lacks, for the std
//! build's timed waits. On Linux it is the same private futex `atomic-wait` sleeps on, so its
//! wakes reach these sleepers too; elsewhere the sleeper looks at the word every millisecond.

use std::sync::atomic::AtomicU32;
use std::time::Duration;

/// Sleeps while `word` holds `expected`, for at most `timeout` (it may return earlier: on a wake,
/// a change of the word, or spuriously); the caller looks again.
#[cfg(target_os = "linux")]
pub fn wait(word: &AtomicU32, expected: u32, timeout: Duration) {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs().min(i64::MAX as u64) as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    // SAFETY: `word` is a valid, aligned u32 for the whole call, and `ts` a valid timespec.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word as *const AtomicU32,
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            &ts as *const libc::timespec,
        );
    }
}

#[cfg(not(target_os = "linux"))]
pub fn wait(word: &AtomicU32, expected: u32, timeout: Duration) {
    use std::sync::atomic::Ordering;
    let until = std::time::Instant::now() + timeout;
    while word.load(Ordering::SeqCst) == expected && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(1).min(timeout));
    }
}
