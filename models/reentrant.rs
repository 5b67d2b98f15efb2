//! Reentrant locking: `modifyBoth` takes the lock, then calls `modifyA` and `modifyB`, which take
//! the same lock again.
//!
//! Course: 004:2240-2346 — with `threading.RLock` the program runs; with `threading.Lock` "the
//! program never reaches `modifyA()`": the thread waits for a lock it holds itself, a one-thread
//! cycle. The course calls `modifyBoth` once from the main thread (a = 2, b = 1 at the end); the
//! model lets several workers call it, so that the explorers have interleavings to explore.

use crate::explore::{Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Lock, Mutex, RLock};

pub const MODEL: Model = Model {
    name: "reentrant",
    source: "004:2240-2346",
    about: "modifyBoth takes the lock, then calls modifyA and modifyB which take it again",
    params: &[Param::new(
        "workers",
        "threads each calling modifyBoth once (the course: 1)",
        [2, 3, 4],
    )],
    variants: &[
        Variant {
            name: "lock",
            expected: Verdict::Deadlock,
            about: "a threading.Lock: taking it again blocks its own holder",
            run: |p| modify(p, Box::new(Lock::named("lock")), false),
        },
        Variant {
            name: "rlock",
            expected: Verdict::Pass,
            about: "a threading.RLock: its owner may take it again",
            run: |p| modify(p, Box::new(RLock::named("rlock")), false),
        },
    ],
    check: |p, outcome| {
        let workers = p.get("workers") as i64;
        let (a, b) = (outcome.value("a"), outcome.value("b"));
        if (a, b) == (1 + workers, 2 - workers) {
            Ok(())
        } else {
            Err(format!(
                "a = {a}, b = {b}; expected a = {}, b = {}",
                1 + workers,
                2 - workers
            ))
        }
    },
    schedules: 500,
    pct_depth: 2,
    controls: &[Variant {
        name: "read-before-join",
        expected: Verdict::LostUpdate,
        about: "an RLock, but the main thread reads a and b before it joins the workers",
        run: |p| modify(p, Box::new(RLock::named("rlock")), true),
    }],
    ..Model::DEFAULT
};

/// The two locks of the course, behind one `with self.lock:`.
trait Hold: Send + Sync {
    fn with(&self, section: &mut dyn FnMut());
}

impl Hold for Lock {
    fn with(&self, section: &mut dyn FnMut()) {
        let _held = self.hold();
        section();
    }
}

impl Hold for RLock {
    fn with(&self, section: &mut dyn FnMut()) {
        let _held = self.hold();
        section();
    }
}

/// The course's `myWorker`: two fields and the lock that guards them. (The fields sit in a
/// `Mutex` only because Rust shares nothing mutable without one; the course's lock is `lock`.)
struct Worker {
    lock: Box<dyn Hold>,
    fields: Mutex<(i64, i64)>,
}

impl Worker {
    fn modify_a(&self) {
        self.lock.with(&mut || self.fields.lock().unwrap().0 += 1);
    }

    fn modify_b(&self) {
        self.lock.with(&mut || self.fields.lock().unwrap().1 -= 1);
    }

    fn modify_both(&self) {
        self.lock.with(&mut || {
            self.modify_a();
            self.modify_b();
        });
    }
}

/// `hasty`: the control, whose main thread reads the fields before it joins the workers.
fn modify(p: &Params, lock: Box<dyn Hold>, hasty: bool) -> Outcome {
    let worker = Arc::new(Worker {
        lock,
        fields: Mutex::named("a and b", (1, 2)),
    });
    let threads: Vec<_> = (0..p.get("workers"))
        .map(|i| {
            let worker = Arc::clone(&worker);
            thread::spawn_named(format!("worker-{}", i + 1), move || worker.modify_both())
        })
        .collect();
    let early = hasty.then(|| *worker.fields.lock().unwrap());
    threads.into_iter().for_each(|t| t.join().unwrap());
    let (a, b) = early.unwrap_or_else(|| *worker.fields.lock().unwrap());
    Outcome::new().with("a", a).with("b", b)
}
