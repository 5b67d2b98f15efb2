//! Threads meet at a barrier, round after round.
//!
//! Course: 004:2850-2890 (`Barrier(4)`: four threads work, then `barrier.wait()`; "Barrier has
//! been lifted"). The model reuses the barrier for a stated number of rounds, as Python's barrier
//! allows. The `broken` variant is the classic first attempt: a shared arrival counter and "wait
//! until it reaches N", with no turnstile and no reset — fine for one round, but reused, the
//! counter is already at N, so the second round lets everyone straight through.
//!
//! Checked: no thread leaves a round before every thread has arrived in it; each round has one
//! leader (the facade's barrier says who released the others).

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Barrier, Condition, Mutex};

pub const MODEL: Model = Model {
    name: "barrier",
    source: "004:2850-2890 Barrier(4)",
    about: "N threads wait for each other at a barrier, reused round after round",
    params: &[
        Param::new(
            "threads",
            "threads meeting at the barrier (the course: 4)",
            [2, 4, 4],
        ),
        Param::new(
            "rounds",
            "rounds the barrier is used for (the course: 1)",
            [2, 3, 20_000],
        ),
    ],
    variants: &[
        Variant {
            name: "ok",
            expected: Verdict::Pass,
            about: "threading.Barrier(N), reusable (a generation count)",
            run: |p| {
                meet(
                    p,
                    Meeting::Reusable(Barrier::named("the barrier", p.get("threads"))),
                )
            },
        },
        Variant {
            name: "broken",
            expected: Verdict::Invariant,
            about: "count += 1; wait until count >= N — no turnstile, never reset, reused",
            run: |p| meet(p, Meeting::Counter(Condition::named("the barrier", 0))),
        },
    ],
    check: |p, outcome| {
        let rounds = p.get("rounds") as i64;
        outcome.expect_value("leaders", rounds, |n| {
            format!("{n} leaders in {rounds} rounds")
        })
    },
    controls: &[Variant {
        name: "leader-uncounted",
        expected: Verdict::LostUpdate,
        about: "the reusable barrier, but nobody counts the round it leads",
        run: |p| {
            meet(
                p,
                Meeting::Uncounted(Barrier::named("the barrier", p.get("threads"))),
            )
        },
    }],
    ..Model::DEFAULT
};

// One per run, behind an Arc: the size of loom's primitives does not matter here.
#[allow(clippy::large_enum_variant)]
enum Meeting {
    Reusable(Barrier),
    /// The broken barrier: an arrival count that only grows.
    Counter(Condition<usize>),
    /// The control: a reusable barrier whose leaders are never told so.
    Uncounted(Barrier),
}

impl Meeting {
    /// Waits for the others; says whether this thread released them.
    fn wait(&self, parties: usize) -> bool {
        match self {
            Meeting::Reusable(barrier) => barrier.wait().is_leader,
            Meeting::Uncounted(barrier) => {
                barrier.wait();
                false
            }
            Meeting::Counter(count) => {
                let mut arrived = count.acquire();
                *arrived += 1;
                let last = *arrived == parties;
                arrived.notify_all();
                drop(arrived.wait_for(|&n| n >= parties));
                last
            }
        }
    }
}

fn meet(p: &Params, meeting: Meeting) -> Outcome {
    let (parties, rounds) = (p.get("threads"), p.get("rounds"));
    let meeting = Arc::new(meeting);
    // Arrivals per round, as a ghost count beside the barrier.
    let arrived = Arc::new(Mutex::named("arrivals", vec![0; rounds]));
    let threads: Vec<_> = (0..parties)
        .map(|t| {
            let (meeting, arrived) = (Arc::clone(&meeting), Arc::clone(&arrived));
            thread::spawn_named(format!("thread-{}", t + 1), move || {
                let mut led = 0;
                for round in 0..rounds {
                    arrived.lock().unwrap()[round] += 1; // working on something…
                    if meeting.wait(parties) {
                        led += 1;
                    }
                    let here = arrived.lock().unwrap()[round];
                    ensure(
                        here == parties,
                        "no thread leaves a round before all have arrived",
                        || {
                            format!(
                                "{} left round {} with {here} of {parties} arrived",
                                thread::current_name(),
                                round + 1
                            )
                        },
                    );
                }
                led
            })
        })
        .collect();
    let leaders: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    Outcome::new().with("leaders", leaders as i64)
}
