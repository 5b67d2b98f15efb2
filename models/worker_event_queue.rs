//! Workers wait for the data to be ready, each takes one task (a statistic) from a task queue,
//! computes it on the data and puts the result on a result queue.
//!
//! Course: 000:180-215 `worker(task_queue, data, data_ready, res_queue)`: `data_ready.wait()`,
//! `function = task_queue.get()`, `res_queue.put([function.__name__, function(data)])`; the
//! main thread starts one worker per task (`min, max, median, mean, stdev`), then reads the
//! numbers and sets `data_ready`. The model's data are integers and its statistics integer ones.
//!
//! Checked: every worker sees the whole data (never a part of it); each task runs once; the
//! results are complete and equal to the statistics computed sequentially.

use crate::explore::{ensure, ensure_taken_once, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::{thread, Arc, Event, Mutex, Queue};

pub const MODEL: Model = Model {
    name: "worker-event-queue",
    source: "000:180-215 worker(task_queue, data, data_ready, res_queue)",
    about: "workers wait for a data_ready event, then each computes one statistic from a queue",
    params: &[
        Param::new(
            "tasks",
            "statistics, one worker each: min, max, median, mean, range (the course: 5)",
            [2, 5, 5],
        )
        .at_most(Statistic::ALL.len()),
        Param::new(
            "numbers",
            "numbers the main thread reads before setting data_ready",
            [2, 10, 100_000],
        ),
    ],
    variants: &[Variant {
        name: "ok",
        expected: Verdict::Pass,
        about: "data_ready.wait(); task_queue.get(); res_queue.put((name, task(data)))",
        run: |p| compute(p, Mutant::None),
    }],
    check: |p, outcome| {
        let tasks = p.get("tasks") as i64;
        outcome.expect_value("results", tasks, |n| {
            format!("{n} results for {tasks} tasks")
        })
    },
    controls: &[
        Variant {
            name: "no-wait",
            expected: Verdict::Invariant,
            about: "worker-1 does not wait for data_ready",
            run: |p| compute(p, Mutant::NoWait),
        },
        Variant {
            name: "off-by-one",
            expected: Verdict::Invariant,
            about: "worker-1 sends its statistic plus one",
            run: |p| compute(p, Mutant::OffByOne),
        },
        Variant {
            name: "sent-twice",
            expected: Verdict::Invariant,
            about: "worker-1 puts its result twice",
            run: |p| compute(p, Mutant::SentTwice),
        },
        Variant {
            name: "result-lost",
            expected: Verdict::LostUpdate,
            about: "worker-1 never puts its result",
            run: |p| compute(p, Mutant::ResultLost),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Statistic {
    Min,
    Max,
    Median,
    Mean,
    Range,
}

impl Statistic {
    const ALL: [Statistic; 5] = [
        Statistic::Min,
        Statistic::Max,
        Statistic::Median,
        Statistic::Mean,
        Statistic::Range,
    ];

    fn of(self, data: &[i64]) -> i64 {
        let (min, max) = (data.iter().min(), data.iter().max());
        match self {
            Statistic::Min => min.copied().unwrap_or(0),
            Statistic::Max => max.copied().unwrap_or(0),
            Statistic::Median => {
                let mut sorted = data.to_vec();
                sorted.sort_unstable();
                sorted.get(sorted.len() / 2).copied().unwrap_or(0)
            }
            Statistic::Mean => data.iter().sum::<i64>() / data.len().max(1) as i64,
            Statistic::Range => max.zip(min).map_or(0, |(a, b)| a - b),
        }
    }
}

impl std::fmt::Display for Statistic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The controls' changes to worker-1.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mutant {
    None,
    NoWait,
    OffByOne,
    SentTwice,
    ResultLost,
}

fn compute(p: &Params, mutant: Mutant) -> Outcome {
    let numbers = p.get("numbers");
    let tasks = &Statistic::ALL[..p.get("tasks")];
    let task_queue = Arc::new(Queue::fifo("task_queue", 0));
    for &task in tasks {
        task_queue.put(task);
    }
    let data = Arc::new(Mutex::named("data", Vec::new()));
    let data_ready = Arc::new(Event::named("data_ready"));
    let res_queue = Arc::new(Queue::fifo("res_queue", 0));
    let workers: Vec<_> = (0..tasks.len())
        .map(|w| {
            let (task_queue, data, data_ready, res_queue) = (
                Arc::clone(&task_queue),
                Arc::clone(&data),
                Arc::clone(&data_ready),
                Arc::clone(&res_queue),
            );
            let mutant = if w == 0 { mutant } else { Mutant::None };
            thread::spawn_named(format!("worker-{}", w + 1), move || {
                if mutant != Mutant::NoWait {
                    data_ready.wait();
                }
                let task: Statistic = task_queue.get();
                let data = data.lock().unwrap();
                ensure(
                    data.len() == numbers,
                    "a worker computes on the whole data",
                    || format!("{task} computed on {} of {numbers} numbers", data.len()),
                );
                let result = (task, task.of(&data) + i64::from(mutant == Mutant::OffByOne));
                match mutant {
                    Mutant::ResultLost => {}
                    Mutant::SentTwice => {
                        res_queue.put(result);
                        res_queue.put(result);
                    }
                    _ => res_queue.put(result),
                }
            })
        })
        .collect();
    // Reading the numbers: a deterministic stand-in for input().split().
    for i in 0..numbers {
        data.lock().unwrap().push((i as i64 * 7919) % 101 - 50);
        thread::yield_now();
    }
    data_ready.set();
    workers.into_iter().for_each(|t| t.join().unwrap());
    let data = data.lock().unwrap().clone();
    let mut done = Vec::new();
    while let Ok((task, value)) = res_queue.get_nowait() {
        let expected = task.of(&data);
        ensure(
            value == expected,
            "a result equals the sequential one",
            || format!("{task} = {value}, sequentially {expected}"),
        );
        done.push(task);
    }
    let results = ensure_taken_once("each task runs once", done);
    Outcome::new().with("results", results as i64)
}
