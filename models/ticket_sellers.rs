//! Ticket sellers: four sellers sell 10 tickets, one at a time behind a semaphore.
//!
//! Course: 004:2577-2612 — `VendeurTickets` with `threading.Semaphore()` (one permit): acquire,
//! then if no ticket is left stop, else sell one and release. As printed, `release` is only in
//! the `else` branch: the first seller to find no ticket left stops *holding the permit*, and
//! every other seller waits for it forever (a hang: no cycle, the holder has finished).
//! 004:2669 says `BoundedSemaphore(4)` "behaves almost exactly the same": with four permits, four
//! sellers are inside at once, and the check-then-sell on the shared stock oversells.
//!
//! Checked mid-run: no ticket is sold twice and the stock never goes negative; at the end, every
//! ticket is sold and the sellers' counts add up to the tickets.

use crate::explore::{ensure, ensure_ok, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, Arc, BoundedSemaphore, Semaphore};
// Ghost flags for the sold tickets, invisible to the explorers.
use std::sync::atomic as ghost;

pub const MODEL: Model = Model {
    name: "ticket-sellers",
    source: "004:2577-2612, 004:2669",
    about: "sellers sell a stock of tickets, one seller at a time behind a semaphore",
    params: &[
        Param::new("sellers", "ticket sellers (the course: 4)", [2, 4, 4]).at_least(2),
        Param::new(
            "tickets",
            "tickets to sell (the course: 10)",
            [2, 10, 100_000],
        ),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "Semaphore(1), released only after a sale: the seller who finds none keeps it",
            run: |p| {
                sell(
                    p,
                    Gate::Semaphore(Semaphore::named("semaphore", 1)),
                    Exit::KeepPermit,
                )
            },
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about: "Semaphore(1), released on every path",
            run: |p| {
                sell(
                    p,
                    Gate::Semaphore(Semaphore::named("semaphore", 1)),
                    Exit::Release,
                )
            },
        },
        Variant {
            name: "bounded4",
            expected: Verdict::Invariant,
            about: "the course's BoundedSemaphore(4): four sellers inside at once oversell",
            run: |p| {
                sell(
                    p,
                    Gate::Bounded(BoundedSemaphore::named("semaphore", 4)),
                    Exit::KeepPermit,
                )
            },
        },
    ],
    check: |p, outcome| {
        let tickets = p.get("tickets") as i64;
        let sold: i64 = outcome
            .values()
            .filter(|(name, _)| *name != "left")
            .map(|(_, n)| n)
            .sum();
        match outcome.value("left") {
            0 if sold == tickets => Ok(()),
            left => Err(format!("{sold} tickets sold of {tickets}, {left} left")),
        }
    },
    controls: &[
        Variant {
            name: "sells-past-zero",
            expected: Verdict::Invariant,
            about: "fixed, but a seller who finds no ticket sells one anyway",
            run: |p| {
                sell(
                    p,
                    Gate::Semaphore(Semaphore::named("semaphore", 1)),
                    Exit::SellAnyway,
                )
            },
        },
        Variant {
            name: "released-twice",
            expected: Verdict::Invariant,
            about: "BoundedSemaphore(1), released twice on the way out",
            run: |p| {
                sell(
                    p,
                    Gate::Bounded(BoundedSemaphore::named("semaphore", 1)),
                    Exit::ReleaseTwice,
                )
            },
        },
        Variant {
            name: "sale-uncounted",
            expected: Verdict::LostUpdate,
            about: "fixed, but seller-1 does not count its first sale",
            run: |p| {
                sell(
                    p,
                    Gate::Semaphore(Semaphore::named("semaphore", 1)),
                    Exit::FirstSaleUncounted,
                )
            },
        },
    ],
    state_outside_primitives: Some("a ledger of the tickets sold, on std's atomics"),
    ..Model::DEFAULT
};

enum Gate {
    Semaphore(Semaphore),
    Bounded(BoundedSemaphore),
}

impl Gate {
    fn acquire(&self) {
        match self {
            Gate::Semaphore(s) => s.acquire(),
            Gate::Bounded(s) => s.acquire(),
        }
    }

    fn release(&self) {
        match self {
            Gate::Semaphore(s) => s.release(),
            Gate::Bounded(s) => {
                ensure_ok(s.release(), "a bounded semaphore is never over-released")
            }
        }
    }
}

/// What a seller does with its permit when it finds no ticket left.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The course: `running = False`, and the loop ends without `release`.
    KeepPermit,
    Release,
    /// Controls: releases, after selling from the empty stock; releases twice; releases, and
    /// seller-1 does not count its first sale.
    SellAnyway,
    ReleaseTwice,
    FirstSaleUncounted,
}

struct Booth {
    gate: Gate,
    /// The course's global `tickets_disponibles`: read, then written (`-= 1`).
    available: AtomicUsize,
    /// Ghost record of which ticket numbers were sold, to catch a ticket sold twice.
    sold: Vec<ghost::AtomicBool>,
}

fn sell(p: &Params, gate: Gate, exit: Exit) -> Outcome {
    let tickets = p.get("tickets");
    let booth = Arc::new(Booth {
        gate,
        available: AtomicUsize::named("tickets", tickets),
        sold: (0..tickets)
            .map(|_| ghost::AtomicBool::new(false))
            .collect(),
    });
    let sellers: Vec<_> = (0..p.get("sellers"))
        .map(|i| {
            let booth = Arc::clone(&booth);
            thread::spawn_named(format!("seller-{}", i + 1), move || {
                let mut sold = 0;
                let mut uncounted = exit == Exit::FirstSaleUncounted && i == 0;
                loop {
                    booth.gate.acquire();
                    let available = booth.available.load(Ordering::SeqCst);
                    if available == 0 {
                        if exit == Exit::SellAnyway {
                            booth.sell();
                        }
                        if exit == Exit::ReleaseTwice {
                            booth.gate.release();
                        }
                        if exit != Exit::KeepPermit {
                            booth.gate.release();
                        }
                        return sold;
                    }
                    booth.sell();
                    if uncounted {
                        uncounted = false;
                    } else {
                        sold += 1;
                    }
                    booth.gate.release();
                }
            })
        })
        .collect();
    let counts: Vec<i64> = sellers.into_iter().map(|s| s.join().unwrap()).collect();
    let left = booth.available.load(Ordering::SeqCst) as i64;
    counts
        .iter()
        .enumerate()
        .fold(Outcome::new().with("left", left), |o, (i, &n)| {
            o.with(format!("seller-{}", i + 1), n)
        })
}

impl Booth {
    /// The course's `tickets_disponibles -= 1`: a read, then a write one lower. The ticket sold
    /// is the one numbered by the stock this seller read.
    fn sell(&self) {
        let now = self.available.load(Ordering::SeqCst);
        ensure(now != 0, "the stock never goes negative", || {
            format!(
                "{} sells a ticket from an empty stock",
                thread::current_name()
            )
        });
        let sold_before = self.sold[now - 1].swap(true, ghost::Ordering::SeqCst);
        ensure(!sold_before, "no ticket is sold twice", || {
            format!("ticket {now} sold twice")
        });
        self.available.store(now - 1, Ordering::SeqCst);
    }
}
