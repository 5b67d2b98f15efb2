//! The dining philosophers: N philosophers around a table, one fork between each pair, each
//! needing both neighbouring forks to eat.
//!
//! Course: 004:1958-2033 — Kant, Aristotle, Spinoza, Marx and Russell, five `threading.Lock`
//! forks, each philosopher taking its left fork then its right one (the course loops forever; the
//! model eats a stated number of meals). 000:355-396 — Tanenbaum's solution: a state array
//! (thinking, hungry, eating) under one lock and one semaphore per philosopher, a hungry
//! philosopher eating only when neither neighbour eats, and unblocking its hungry neighbours when
//! it puts its forks down.
//!
//! Checked: no deadlock; two neighbours never eat at once (a monitor checks it at every meal);
//! every philosopher eats all its meals.

use crate::explore::{Model, Monitor, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Mutex, Semaphore};

pub const MODEL: Model = Model {
    name: "philosophers",
    source: "004:1958-2033 (five Locks); 000:355-396 (Tanenbaum)",
    about: "N philosophers share N forks; each needs both neighbouring forks to eat",
    params: &[
        Param::new(
            "philosophers",
            "philosophers (and forks) at the table",
            [5, 5, 5],
        )
        .at_least(2),
        Param::new("meals", "meals each philosopher eats", [1, 3, 20_000]),
    ],
    variants: &[
        Variant {
            name: "naive",
            expected: Verdict::Deadlock,
            about: "the course's: left fork, then right fork",
            run: |p| dine(p, Etiquette::LeftThenRight),
        },
        Variant {
            name: "ordered",
            expected: Verdict::Pass,
            about: "lower-numbered fork first (breaks the cycle)",
            run: |p| dine(p, Etiquette::LowerFirst),
        },
        Variant {
            name: "waiter",
            expected: Verdict::Pass,
            about: "a waiter seats at most N-1 philosophers (a semaphore of N-1)",
            run: |p| dine(p, Etiquette::Waiter),
        },
        Variant {
            name: "tanenbaum",
            expected: Verdict::Pass,
            about: "state array + one semaphore per philosopher + one lock (000:355-396)",
            run: |p| dine(p, Etiquette::Tanenbaum),
        },
    ],
    check: |p, outcome| {
        let meals = p.get("meals") as i64;
        match outcome.values().find(|&(_, eaten)| eaten != meals) {
            None => Ok(()),
            Some((who, eaten)) => Err(format!("{who} ate {eaten} meals of {meals}")),
        }
    },
    pct_depth: 4,
    controls: &[
        Variant {
            name: "no-forks",
            expected: Verdict::Invariant,
            about: "eats without taking a fork: neighbours eat together",
            run: |p| dine(p, Etiquette::NoForks),
        },
        Variant {
            name: "skips-a-meal",
            expected: Verdict::LostUpdate,
            about: "the last philosopher leaves one meal short",
            run: |p| dine(p, Etiquette::SkipsAMeal),
        },
    ],
    // The monitor's count of meals is ghost state on std's atomics, but only the eater changes
    // its own count, once each time it sets its facade "eating" flag: a thread's fingerprint
    // (everything it touched) determines it, so caching states stays sound.
    ..Model::DEFAULT
};

/// The course's five, then numbered guests.
const NAMES: [&str; 5] = ["Kant", "Aristotle", "Spinoza", "Marx", "Russell"];

fn name(i: usize) -> String {
    NAMES
        .get(i)
        .map_or_else(|| format!("philosopher-{}", i + 1), |n| n.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Etiquette {
    LeftThenRight,
    LowerFirst,
    Waiter,
    Tanenbaum,
    /// Controls: no fork at all; lower-numbered fork first, but the last philosopher eats one
    /// meal fewer.
    NoForks,
    SkipsAMeal,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Thinking,
    Hungry,
    Eating,
}

struct Table {
    n: usize,
    /// Fork i lies between philosopher i (its left) and philosopher i-1 (its right).
    forks: Vec<Mutex<()>>,
    /// The waiter's seats.
    seats: Semaphore,
    /// Tanenbaum: everyone's state, under one lock, and one semaphore per philosopher.
    states: Mutex<Vec<State>>,
    turns: Vec<Semaphore>,
    eating: Monitor,
}

impl Table {
    fn left(&self, i: usize) -> usize {
        (i + self.n - 1) % self.n
    }

    fn right(&self, i: usize) -> usize {
        (i + 1) % self.n
    }

    fn eat(&self, i: usize) {
        self.eating.enter(i, &[self.left(i), self.right(i)]);
        self.eating.leave(i);
    }

    /// One meal of philosopher `i`, forks `i` and `i+1` (the course's `leftFork`, `rightFork`).
    fn dine_once(&self, i: usize, etiquette: Etiquette) {
        let (left, right) = (i, (i + 1) % self.n);
        match etiquette {
            Etiquette::LeftThenRight => {
                let _l = self.forks[left].lock().unwrap();
                let _r = self.forks[right].lock().unwrap();
                self.eat(i);
            }
            Etiquette::NoForks => self.eat(i),
            Etiquette::LowerFirst | Etiquette::SkipsAMeal => {
                let _first = self.forks[left.min(right)].lock().unwrap();
                let _second = self.forks[left.max(right)].lock().unwrap();
                self.eat(i);
            }
            Etiquette::Waiter => {
                self.seats.acquire();
                {
                    let _l = self.forks[left].lock().unwrap();
                    let _r = self.forks[right].lock().unwrap();
                    self.eat(i);
                }
                self.seats.release();
            }
            Etiquette::Tanenbaum => {
                {
                    let mut states = self.states.lock().unwrap();
                    states[i] = State::Hungry;
                    self.try_to_seat(&mut states, i);
                }
                self.turns[i].acquire();
                self.eat(i);
                let mut states = self.states.lock().unwrap();
                states[i] = State::Thinking;
                let (l, r) = (self.left(i), self.right(i));
                self.try_to_seat(&mut states, l);
                self.try_to_seat(&mut states, r);
            }
        }
    }

    /// Tanenbaum's `test`: a hungry philosopher whose neighbours do not eat starts eating.
    fn try_to_seat(&self, states: &mut [State], i: usize) {
        if states[i] == State::Hungry
            && states[self.left(i)] != State::Eating
            && states[self.right(i)] != State::Eating
        {
            states[i] = State::Eating;
            self.turns[i].release();
        }
    }
}

fn dine(p: &Params, etiquette: Etiquette) -> Outcome {
    let (n, meals) = (p.get("philosophers"), p.get("meals"));
    let table = Arc::new(Table {
        n,
        forks: (0..n)
            .map(|f| Mutex::named(&format!("fork {}", f + 1), ()))
            .collect(),
        seats: Semaphore::named("seats", n - 1),
        states: Mutex::named("table", vec![State::Thinking; n]),
        turns: (0..n)
            .map(|i| Semaphore::named(&format!("{}'s turn", name(i)), 0))
            .collect(),
        eating: Monitor::new(
            "neighbours never eat together",
            "eating",
            (0..n).map(name).collect(),
        ),
    });
    let philosopher = move |table: Arc<Table>, i: usize| {
        let short = etiquette == Etiquette::SkipsAMeal && i == n - 1;
        (0..meals - usize::from(short)).for_each(|_| table.dine_once(i, etiquette));
    };
    // The caller plays the last philosopher: loom explores at most four spawned threads.
    let guests: Vec<_> = (0..n - 1)
        .map(|i| {
            let table = Arc::clone(&table);
            thread::spawn_named(name(i), move || philosopher(table, i))
        })
        .collect();
    thread::play(&name(n - 1), || philosopher(Arc::clone(&table), n - 1));
    guests.into_iter().for_each(|t| t.join().unwrap());
    // Meals as the monitor counted them, not as the loops meant them.
    (0..n).fold(Outcome::new(), |o, i| {
        o.with(name(i), table.eating.entries(i) as i64)
    })
}
