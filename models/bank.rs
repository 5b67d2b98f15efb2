//! The bank account: a bonus deposit and a rent withdrawal on one balance, at the same time.
//!
//! Course: 004:2051-2067 ("conditions de compétition") — a balance of 2,000 €, process B deposits a
//! 5,000 € bonus while process A withdraws 1,000 € of rent; A read the balance before B wrote it,
//! so A's write leaves 1,000 € instead of 6,000 €.
//!
//! Exhaustively, the racy account reaches exactly the balances {1000, 6000, 7000} (either write
//! may clobber the other); the locked one only 6000.

use crate::explore::{Model, Outcome, Variant, Verdict};
use crate::sync::{thread, Arc, Value};

const OPENING: i64 = 2_000;
const BONUS: i64 = 5_000;
const RENT: i64 = -1_000;

pub const MODEL: Model = Model {
    name: "bank",
    source: "004:2051-2067",
    about: "a 5000 deposit and a 1000 withdrawal on a balance of 2000, concurrently",
    params: &[],
    variants: &[
        Variant {
            name: "racy",
            expected: Verdict::LostUpdate,
            about: "each transaction reads the balance, then writes balance + amount",
            run: |_| transact(Transaction::ReadThenWrite),
        },
        Variant {
            name: "locked",
            expected: Verdict::Pass,
            about: "each transaction holds the balance's lock across its read and write",
            run: |_| transact(Transaction::Locked),
        },
    ],
    check: |_, outcome| match outcome.get("balance") {
        Some(b) if b == OPENING + BONUS + RENT => Ok(()),
        Some(b) => Err(format!(
            "the balance is {b}, expected {}",
            OPENING + BONUS + RENT
        )),
        None => Err("the run reported no balance".into()),
    },
    pct_depth: 2,
    ..Model::DEFAULT
};

#[derive(Clone, Copy)]
enum Transaction {
    ReadThenWrite,
    Locked,
}

fn transact(how: Transaction) -> Outcome {
    let balance = Arc::new(Value::new("balance", OPENING));
    let process = |name: &str, amount: i64| {
        let balance = Arc::clone(&balance);
        thread::spawn_named(name, move || match how {
            Transaction::ReadThenWrite => {
                let read = balance.get();
                balance.set(read + amount);
            }
            Transaction::Locked => *balance.get_lock() += amount,
        })
    };
    let deposit = process("deposit (B)", BONUS);
    let withdrawal = process("withdrawal (A)", RENT);
    deposit.join().unwrap();
    withdrawal.join().unwrap();
    Outcome::new().with("balance", balance.get())
}
