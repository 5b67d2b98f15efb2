//! Estimating π by throwing random points at a square and counting those inside the circle.
//!
//! Course: 000:161-176 `countpi` increments a global `inpoint` from one thread (as printed `i = -1`
//! replaces `i -= 1`, so the loop never ends: the model counts down); 000:285-305 the same from
//! 10 threads with `with lock: inpoint += 1` (its loop header was lost in transcription); without
//! the lock, `inpoint += 1` is a read and a write, and hits are lost. 002:104-120 gives each
//! worker of a pool its own count and sums the results.
//!
//! Each thread draws from its own seeded generator, so every schedule throws the same points:
//! the hits each thread saw are known, and the shared count must equal their sum. Real runs also
//! check the estimate is within 0.01 of π.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, Arc, Lock};

pub const MODEL: Model = Model {
    name: "monte-carlo-pi",
    source: "000:161-176, 000:285-305 (lock), 002:104-120 (pool)",
    about: "threads count random points inside the unit circle into one shared count",
    params: &[
        Param::new(
            "threads",
            "threads throwing points (the course: 10)",
            [2, 10, 10],
        ),
        Param::new(
            "points",
            "points each thread throws (the course: 2000)",
            [2, 5, 200_000],
        ),
    ],
    variants: &[
        Variant {
            name: "racy",
            expected: Verdict::LostUpdate,
            about: "10 threads do inpoint += 1 with no lock",
            run: |p| estimate(p, Count::Racy),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "with lock: inpoint += 1 (000:285-305)",
            run: |p| estimate(p, Count::Locked),
        },
        Variant {
            name: "per-thread-sums",
            expected: Verdict::Pass,
            about:
                "each worker counts its own hits and returns them; the parent sums (002:104-120)",
            run: |p| estimate(p, Count::PerThread),
        },
    ],
    check: |p, outcome| {
        let (Some(counted), Some(thrown_in)) = (outcome.get("inpoint"), outcome.get("hits")) else {
            return Err("the run reported no counts".into());
        };
        if counted != thrown_in {
            return Err(format!(
                "inpoint is {counted}, but the threads hit the circle {thrown_in} times"
            ));
        }
        let points = p.get("threads") * p.get("points");
        let pi = 4.0 * counted as f64 / points as f64;
        if points >= 100_000 && (pi - std::f64::consts::PI).abs() > 0.01 {
            return Err(format!("the estimate {pi:.5} is not within 0.01 of pi"));
        }
        Ok(())
    },
    pct_depth: 2,
    ..Model::DEFAULT
};

#[derive(Clone, Copy)]
enum Count {
    Racy,
    Locked,
    PerThread,
}

/// A point of thread `thread`'s own sequence (splitmix64), in [-1, 1)².
fn point(thread: usize, i: usize) -> (f64, f64) {
    fn mix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    let seed = ((thread as u64) << 40) ^ (2 * i as u64);
    let unit = |z: u64| (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
    (unit(mix(seed)), unit(mix(seed + 1)))
}

fn estimate(p: &Params, how: Count) -> Outcome {
    let points = p.get("points");
    let inpoint = Arc::new(AtomicUsize::named("inpoint", 0));
    let lock = Arc::new(Lock::named("lock"));
    let threads: Vec<_> = (0..p.get("threads"))
        .map(|t| {
            let (inpoint, lock) = (Arc::clone(&inpoint), Arc::clone(&lock));
            thread::spawn_named(format!("thread-{}", t + 1), move || {
                let mut hits = 0;
                for i in 0..points {
                    let (x, y) = point(t, i);
                    if x * x + y * y < 1.0 {
                        hits += 1;
                        match how {
                            Count::Racy => {
                                let read = inpoint.load(Ordering::SeqCst);
                                inpoint.store(read + 1, Ordering::SeqCst);
                            }
                            Count::Locked => {
                                let _held = lock.hold();
                                let read = inpoint.load(Ordering::SeqCst);
                                inpoint.store(read + 1, Ordering::SeqCst);
                            }
                            Count::PerThread => {}
                        }
                    }
                }
                hits
            })
        })
        .collect();
    let hits: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let counted = match how {
        Count::PerThread => hits, // the pool's results, summed by the parent
        Count::Racy | Count::Locked => inpoint.load(Ordering::SeqCst),
    };
    Outcome::new()
        .with("inpoint", counted as i64)
        .with("hits", hits as i64)
}
