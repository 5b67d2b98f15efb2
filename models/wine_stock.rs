//! The wine merchant's stock: the shared state of the course's threaded wine server.
//!
//! Course: 003:840-902, part IV — `wine_bottles_th_server.py`, one thread per client; each client
//! orders 1–99 bottles and is served from the stock, partially when the stock runs short (the
//! log: an order of 81 gets the last 35 bottles), and the server stops once the stock is empty.
//! "Comme il y a des accès concurrents, veillez à protéger la section de code de mise à jour du
//! stock." The real server (`interleave serve`, `src/wine/`) keeps its stock in this very
//! [`Cellar`].
//!
//! A delivery is taken from the stock, then confirmed once the reply is on its way, or given back
//! if the client hung up first: a client that disconnects takes nothing with it.
//!
//! Checked: delivered + remaining == initial, nothing left pending (the final state); the stock
//! never goes negative (at every write); no order is served twice.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Lock, Mutex, Value};

pub const MODEL: Model = Model {
    name: "wine-stock",
    source: "003:840-902 (wine_bottles_th_server.py)",
    about: "one thread per client orders 1-99 bottles from a shared stock",
    params: &[
        Param::new("clients", "clients, each ordering once", [3, 7, 200]),
        Param::new(
            "stock",
            "bottles in the cellar at the start",
            [50, 300, 5_000],
        )
        .at_least(0)
        .at_most(i64::MAX as usize),
    ],
    variants: &[
        Variant {
            name: "unlocked",
            expected: Verdict::Invariant,
            about: "the stock read and updated without a lock (what the course warns against)",
            run: |p| sell(p, false, Mutant::None),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "the stock's check and update under one lock",
            run: |p| sell(p, true, Mutant::None),
        },
    ],
    check: |p, outcome| {
        let initial = p.get("stock") as i64;
        let value = |name| outcome.get(name).unwrap_or(0);
        let (delivered, remaining, pending) =
            (value("delivered"), value("remaining"), value("pending"));
        if delivered + remaining != initial || pending != 0 {
            return Err(format!(
                "delivered {delivered} + remaining {remaining} != initial {initial} \
                 ({pending} pending)"
            ));
        }
        Ok(())
    },
    pct_depth: 2,
    controls: &[
        Variant {
            name: "confirmed-twice",
            expected: Verdict::Invariant,
            about: "locked, but client-1 confirms its order twice",
            run: |p| sell(p, true, Mutant::ConfirmedTwice),
        },
        Variant {
            name: "never-given-back",
            expected: Verdict::LostUpdate,
            about: "locked, but the client who cancels keeps the bottles pending",
            run: |p| sell(p, true, Mutant::NeverGivenBack),
        },
    ],
    ..Model::DEFAULT
};

/// The orders of the course's log, in turn: 18, 45, 14, 18, 90, 80 and 81 bottles.
pub const COURSE_ORDERS: [i64; 7] = [18, 45, 14, 18, 90, 80, 81];

/// The stock of bottles, and what became of those that left it.
pub struct Cellar {
    /// Held across each check-and-update, unless the cellar is the course's unlocked one.
    lock: Option<Lock>,
    remaining: Value<i64>,
    /// Taken from the stock, reply not yet sent.
    pending: Value<i64>,
    delivered: Value<i64>,
    open: Value<bool>,
    served: Mutex<Vec<u64>>,
}

/// Where the cellar stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub remaining: i64,
    pub pending: i64,
    pub delivered: i64,
    pub open: bool,
}

impl Cellar {
    /// A cellar of `bottles` whose every check-and-update holds its lock.
    pub fn new(bottles: i64) -> Cellar {
        Cellar::with_lock(bottles, true)
    }

    fn with_lock(bottles: i64, locked: bool) -> Cellar {
        Cellar {
            lock: locked.then(|| Lock::named("stock lock")),
            remaining: Value::new("stock", bottles),
            pending: Value::new("pending", 0),
            delivered: Value::new("delivered", 0),
            open: Value::new("open", true),
            served: Mutex::named("served orders", Vec::new()),
        }
    }

    /// Takes up to `wanted` bottles for an order: all of them, or what is left. `None` once the
    /// cellar has closed (the stock ran out): the course's "Echec commande".
    pub fn take(&self, wanted: i64) -> Option<i64> {
        let _guard = self.lock.as_ref().map(Lock::hold);
        if !self.open.get() {
            return None;
        }
        let taken = wanted.min(self.remaining.get());
        // `stock -= taken`, as Python runs it: a read, then a write.
        self.set_remaining(self.remaining.get() - taken);
        self.pending.set(self.pending.get() + taken);
        Some(taken)
    }

    /// The reply for order `order` has gone out with its `taken` bottles. Returns `true` when
    /// this delivery emptied the cellar and closed it (the server then stops).
    pub fn confirm(&self, order: u64, taken: i64) -> bool {
        let _guard = self.lock.as_ref().map(Lock::hold);
        self.pending.set(self.pending.get() - taken);
        self.delivered.set(self.delivered.get() + taken);
        self.served.lock().unwrap().push(order);
        let emptied = self.open.get() && self.remaining.get() == 0 && self.pending.get() == 0;
        if emptied {
            self.open.set(false);
        }
        emptied
    }

    /// The client hung up before its reply: its `taken` bottles go back to the stock.
    pub fn give_back(&self, taken: i64) {
        let _guard = self.lock.as_ref().map(Lock::hold);
        self.pending.set(self.pending.get() - taken);
        self.set_remaining(self.remaining.get() + taken);
    }

    fn set_remaining(&self, bottles: i64) {
        ensure(bottles >= 0, "the stock never goes negative", || {
            format!("the stock went down to {bottles}")
        });
        self.remaining.set(bottles);
    }

    pub fn tally(&self) -> Tally {
        let _guard = self.lock.as_ref().map(Lock::hold);
        Tally {
            remaining: self.remaining.get(),
            pending: self.pending.get(),
            delivered: self.delivered.get(),
            open: self.open.get(),
        }
    }

    /// Every order served, checked to be served once; returns how many.
    pub fn orders_served(&self) -> usize {
        ensure_taken_once(
            "no order is served twice",
            self.served.lock().unwrap().clone(),
        )
    }
}

/// One thread per client, as the server runs them: the second client hangs up before its reply.
/// The controls' changes to the clients.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    ConfirmedTwice,
    NeverGivenBack,
}

fn sell(p: &Params, locked: bool, mutant: Mutant) -> Outcome {
    let (clients, stock) = (p.get("clients"), p.get("stock") as i64);
    let cellar = Arc::new(Cellar::with_lock(stock, locked));
    let handlers: Vec<_> = (0..clients)
        .map(|i| {
            let cellar = Arc::clone(&cellar);
            thread::spawn_named(format!("client-{}", i + 1), move || {
                let wanted = COURSE_ORDERS[i % COURSE_ORDERS.len()];
                match cellar.take(wanted) {
                    Some(_) if i == 1 && mutant == Mutant::NeverGivenBack => {}
                    Some(taken) if i == 1 => cellar.give_back(taken),
                    Some(taken) => {
                        cellar.confirm(i as u64, taken);
                        if i == 0 && mutant == Mutant::ConfirmedTwice {
                            cellar.confirm(i as u64, 0);
                        }
                    }
                    None => {}
                }
            })
        })
        .collect();
    handlers.into_iter().for_each(|t| t.join().unwrap());
    cellar.orders_served();
    let tally = cellar.tally();
    Outcome::new()
        .with("delivered", tally.delivered)
        .with("remaining", tally.remaining)
        .with("pending", tally.pending)
}
