//! Whether a blocked thread burns a core. The std build's primitives spin a moment before they
//! park (a hand-off caught while spinning costs no system call); a thread that stays blocked
//! must then sleep, or threads that outnumber the cores would steal them from the threads doing
//! the work. This bench blocks one thread for a while on each primitive that can keep it waiting
//! and prints the CPU time that thread used meanwhile, read from the thread's own CPU clock.

use super::{seconds, Columns};
use crate::sync::{thread, Arc, Condvar, Lock, Mutex, Semaphore};
use anyhow::Result;
use std::time::Duration;

/// How long each waiter stays blocked.
const BLOCKED: Duration = Duration::from_millis(200);
/// A waiter that used more than this share of a core while blocked did not park.
const GOAL_SHARE: f64 = 0.01;

/// One way of keeping a thread blocked until the main thread lets it through.
struct Wait {
    on: &'static str,
    /// The waiter's CPU time while blocked.
    run: fn() -> Duration,
}

const WAITS: [Wait; 3] = [
    Wait {
        on: "a Semaphore with no permit (acquire)",
        run: || {
            let semaphore = Arc::new(Semaphore::new(0));
            let waiting = Arc::clone(&semaphore);
            blocked(move || waiting.acquire(), || semaphore.release())
        },
    },
    Wait {
        on: "a Lock held by another thread (acquire)",
        run: || {
            let lock = Arc::new(Lock::new());
            lock.acquire();
            let waiting = Arc::clone(&lock);
            blocked(
                move || waiting.acquire(),
                || lock.release().expect("the main thread holds the lock"),
            )
        },
    },
    Wait {
        on: "a condition variable nobody notifies (wait_while)",
        run: || {
            let pair = Arc::new((Mutex::new(false), Condvar::new()));
            let waiting = Arc::clone(&pair);
            blocked(
                move || drop(waiting.1.wait_while(waiting.0.lock().unwrap(), |go| !*go)),
                || {
                    *pair.0.lock().unwrap() = true;
                    pair.1.notify_all();
                },
            )
        },
    },
];

/// Runs `wait` on a thread of its own, lets it through with `release` after [`BLOCKED`], and
/// returns the CPU time that thread used meanwhile.
fn blocked(wait: impl FnOnce() + Send + 'static, release: impl FnOnce()) -> Duration {
    let waiter = thread::spawn_named("waiter", move || cpu_time_of(wait));
    std::thread::sleep(BLOCKED);
    release();
    waiter.join().unwrap()
}

pub fn run() -> Result<()> {
    println!(
        "idle waiters: CPU time used by a thread blocked for {} (it spins a moment, then parks)",
        seconds(BLOCKED)
    );
    let columns = Columns::start(1, &[("blocked on", 50), ("cpu time", 9), ("share", 7)]);
    let mut worst = 0.0_f64;
    for wait in &WAITS {
        let cpu = (wait.run)();
        let share = cpu.as_secs_f64() / BLOCKED.as_secs_f64();
        worst = worst.max(share);
        columns.row(&[
            wait.on.to_string(),
            seconds(cpu),
            format!("{:.2}%", share * 100.0),
        ]);
    }
    println!();
    println!(
        "goal: a blocked thread uses < {:.0}% of a core: the most was {:.2}%: {}",
        GOAL_SHARE * 100.0,
        worst * 100.0,
        if worst < GOAL_SHARE {
            "holds"
        } else {
            "MISSED"
        }
    );
    Ok(())
}

/// The CPU time this thread spends in `f`.
fn cpu_time_of(f: impl FnOnce()) -> Duration {
    let start = thread_cpu_time();
    f();
    thread_cpu_time().saturating_sub(start)
}

#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for clock_gettime to write.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "this thread's CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}
