//! Ping-pong: N threads each print "ping" once, N threads each print "pong" once, and the output
//! must alternate strictly: "ping pong ping pong …".
//!
//! Course: 003:600-640 `ping_pong.py`, the skeleton the students complete: N ping threads and N
//! pong threads, one mutex and a `Ping_OK` flag ("pour ne pas faire pong s'il manque un ping").
//! Variants: the skeleton's intent, completed as a busy-wait (take the mutex, test the flag,
//! release it and yield while the flag is wrong — a fair scheduler always lets the other side
//! flip it, so this is `ok`, and the model reports the spins it wasted); the same with two
//! semaphores; with a condition; and with no flag at all.
//!
//! Exhaustive mode plays one round (a ping thread and a pong thread): with two busy-waiting
//! threads per side, every yield is a switch loom may make for free, and the schedules multiply
//! past any useful bound. The randomized modes play 5 rounds (10 threads), real runs the
//! course's 100. `--turns` has each thread print several times, taking its turn each time: one
//! ping and one pong thread playing 100,000 turns each is the alternation `interleave bench`
//! times (the OS's hand-off between two threads, 200,000 times).
//!
//! Checked: each word printed differs from the one before, the first is "ping" (a monitor on the
//! output); N of each in the end.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Condition, Mutex, Semaphore};

pub const MODEL: Model = Model {
    name: "ping-pong",
    source: "003:600-640 ping_pong.py",
    about: "N ping threads and N pong threads print strictly alternating ping pong",
    params: &[
        Param::new(
            "rounds",
            "ping threads, and as many pong threads (the course: 100)",
            [1, 5, 100],
        ),
        Param::new(
            "turns",
            "words each thread prints, taking its turn each time (the course: 1)",
            [1, 1, 1],
        ),
    ],
    variants: &[
        Variant {
            name: "busy-wait",
            expected: Verdict::Pass,
            about: "mutex + Ping_OK flag; while the flag is wrong: release, yield, retry",
            run: |p| {
                play(
                    p,
                    Turns::BusyWait {
                        ping_ok: Mutex::named("Mutex", false),
                    },
                    false,
                )
            },
        },
        Variant {
            name: "semaphores",
            expected: Verdict::Pass,
            about: "ping: P(ping) print V(pong); pong: P(pong) print V(ping)",
            run: |p| {
                play(
                    p,
                    Turns::Semaphores {
                        ping: Semaphore::named("ping's turn", 1),
                        pong: Semaphore::named("pong's turn", 0),
                    },
                    false,
                )
            },
        },
        Variant {
            name: "condition",
            expected: Verdict::Pass,
            about: "a Condition on Ping_OK: wait_for the flag, print, flip it, notify_all",
            run: |p| {
                play(
                    p,
                    Turns::Condition(Condition::named("Ping_OK", false)),
                    false,
                )
            },
        },
        Variant {
            name: "unsynchronized",
            expected: Verdict::Invariant,
            about: "no flag: every thread prints at once",
            run: |p| play(p, Turns::None, false),
        },
    ],
    check: |p, outcome| {
        let rounds = (p.get("rounds") * p.get("turns")) as i64;
        match (outcome.value("ping"), outcome.value("pong")) {
            (a, b) if a == rounds && b == rounds => Ok(()),
            (a, b) => Err(format!("{a} pings and {b} pongs of {rounds}")),
        }
    },
    controls: &[Variant {
        name: "read-before-join",
        expected: Verdict::LostUpdate,
        about: "semaphores, but the main thread counts the words before it joins the players",
        run: |p| {
            let turns = Turns::Semaphores {
                ping: Semaphore::named("ping's turn", 1),
                pong: Semaphore::named("pong's turn", 0),
            };
            play(p, turns, true)
        },
    }],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Ping,
    Pong,
}

/// What the players print, checked as it is printed.
#[derive(Default)]
struct Output {
    words: Vec<Word>,
}

impl Output {
    fn print(&mut self, word: Word) {
        let expected = match self.words.last() {
            None | Some(Word::Pong) => Word::Ping,
            Some(Word::Ping) => Word::Pong,
        };
        ensure(word == expected, "ping and pong strictly alternate", || {
            format!(
                "{word:?} printed after {} words, when {expected:?} was due",
                self.words.len()
            )
        });
        self.words.push(word);
    }

    fn count(&self, word: Word) -> i64 {
        self.words.iter().filter(|&&w| w == word).count() as i64
    }
}

/// How the players take turns; `ping_ok` is the course's `Ping_OK` (a ping is waiting for its
/// pong).
// One per run, behind an Arc: the size of loom's primitives does not matter here.
#[allow(clippy::large_enum_variant)]
enum Turns {
    BusyWait { ping_ok: Mutex<bool> },
    Semaphores { ping: Semaphore, pong: Semaphore },
    Condition(Condition<bool>),
    None,
}

impl Turns {
    /// Prints `word` on its turn; returns how many times the thread found it was not its turn.
    fn take_turn(&self, word: Word, output: &Mutex<Output>) -> usize {
        let mine = |ping_ok: bool| (word == Word::Ping) != ping_ok;
        match self {
            Turns::BusyWait { ping_ok } => {
                let mut spins = 0;
                loop {
                    let mut flag = ping_ok.lock().unwrap();
                    if mine(*flag) {
                        output.lock().unwrap().print(word);
                        *flag = !*flag;
                        return spins;
                    }
                    drop(flag);
                    spins += 1;
                    thread::yield_now();
                }
            }
            Turns::Semaphores { ping, pong } => {
                let (mine, theirs) = match word {
                    Word::Ping => (ping, pong),
                    Word::Pong => (pong, ping),
                };
                mine.acquire();
                output.lock().unwrap().print(word);
                theirs.release();
                0
            }
            Turns::Condition(ping_ok) => {
                let mut flag = ping_ok.acquire().wait_for(|&f| mine(f));
                output.lock().unwrap().print(word);
                *flag = !*flag;
                flag.notify_all();
                0
            }
            Turns::None => {
                output.lock().unwrap().print(word);
                0
            }
        }
    }
}

/// `hasty`: the control, whose main thread counts the words before it joins the players.
fn play(p: &Params, turns: Turns, hasty: bool) -> Outcome {
    let (rounds, each) = (p.get("rounds"), p.get("turns"));
    let turns = Arc::new(turns);
    let output = Arc::new(Mutex::named("the output", Output::default()));
    let players: Vec<_> = [Word::Ping, Word::Pong]
        .into_iter()
        .flat_map(|word| (0..rounds).map(move |i| (word, i)))
        .map(|(word, i)| {
            let (turns, output) = (Arc::clone(&turns), Arc::clone(&output));
            let name = format!(
                "{}-{}",
                if word == Word::Ping { "ping" } else { "pong" },
                i + 1
            );
            thread::spawn_named(name, move || {
                (0..each)
                    .map(|_| turns.take_turn(word, &output))
                    .sum::<usize>()
            })
        })
        .collect();
    let counts = || {
        let output = output.lock().unwrap();
        (output.count(Word::Ping), output.count(Word::Pong))
    };
    let early = hasty.then(counts);
    let spins: usize = players.into_iter().map(|t| t.join().unwrap()).sum();
    let (ping, pong) = early.unwrap_or_else(counts);
    Outcome::new()
        .with("ping", ping)
        .with("pong", pong)
        .with("wasted spins", spins as i64)
}
