//! A pool of worker threads in Python's sense: `ThreadPoolExecutor.submit` and `shutdown`, and
//! `multiprocessing.Pool`'s `map`, `imap` and `apply_async`. Course: 000:267-280 (a server
//! submits each request to `ThreadPoolExecutor(max_workers=4)`), 000/001/002 (`Pool.map`,
//! `map_async`, `imap`, `apply_async`).
//!
//! Built on the facade's own [`Queue`], [`Mutex`] and [`Condvar`], so that loom and shuttle
//! explore the pool with the code that uses it. A task that panics does not take its worker
//! down: the panic is caught and handed to whoever waits for that task's result, as a
//! [`Panicked`] error, and every other task still runs.

use super::thread::{self, JoinHandle, Panicked};
use super::{Arc, Condvar, Mutex, Queue};

type Job = Box<dyn FnOnce() + Send>;

/// `submit` after `shutdown` (Python's `RuntimeError: cannot schedule new futures after
/// shutdown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot submit a task to a pool that was shut down")]
pub struct ShutDown;

/// A fixed number of named worker threads taking tasks from one queue.
pub struct ThreadPool {
    tasks: Arc<Queue<Option<Job>>>,
    workers: Mutex<Option<Vec<JoinHandle<()>>>>,
}

impl ThreadPool {
    /// A pool of `workers` threads, which reports call `{name}-1`, `{name}-2`, …
    ///
    /// # Panics
    /// If `workers` is 0, as Python raises `ValueError`.
    #[track_caller]
    pub fn named(name: &str, workers: usize) -> Self {
        assert!(workers > 0, "a pool needs at least one worker");
        let tasks: Arc<Queue<Option<Job>>> = Arc::new(Queue::fifo(&format!("{name}'s tasks"), 0));
        let handles = (1..=workers)
            .map(|i| {
                let tasks = Arc::clone(&tasks);
                thread::spawn_named(format!("{name}-{i}"), move || {
                    while let Some(job) = tasks.get() {
                        job();
                    }
                })
            })
            .collect();
        ThreadPool {
            tasks,
            workers: Mutex::named(&format!("{name}'s threads"), Some(handles)),
        }
    }

    /// Runs `task` on a worker; the handle gives its result (`executor.submit`).
    ///
    /// # Errors
    /// [`ShutDown`] once the pool is shut down.
    pub fn submit<T, F>(&self, task: F) -> Result<Future<T>, ShutDown>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // Holding the workers' lock orders this submit before or after a shutdown, never across.
        let workers = self.workers.lock_unpoisoned();
        if workers.is_none() {
            return Err(ShutDown);
        }
        let future = Future::pending();
        let slot = Arc::clone(&future.slot);
        self.tasks.put(Some(Box::new(move || {
            let result = thread::catch_panic(task);
            let mut value = slot.value.lock_unpoisoned();
            *value = Some(result);
            slot.ready.notify_all();
        })));
        drop(workers);
        Ok(future)
    }

    /// `Pool.apply_async(f)`: the same as [`submit`](Self::submit), under the course's other name.
    ///
    /// # Errors
    /// [`ShutDown`] once the pool is shut down.
    pub fn apply_async<T, F>(&self, task: F) -> Result<Future<T>, ShutDown>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.submit(task)
    }

    /// `Pool.map(f, items)`: runs `f` on every item, and returns the results in the items' order
    /// once all are done; if tasks panicked, the first (in item order) comes back as the error,
    /// after every task has finished.
    ///
    /// # Errors
    /// [`ShutDown`] (as a [`Panicked`] naming the pool) once the pool is shut down, or the first
    /// task's panic.
    pub fn map<I, T, R, F>(&self, f: F, items: I) -> Result<Vec<R>, Panicked>
    where
        I: IntoIterator<Item = T>,
        T: Send + 'static,
        R: Send + 'static,
        F: Fn(T) -> R + Send + Sync + 'static,
    {
        let results: Vec<Result<R, Panicked>> = self.imap(f, items).collect();
        results.into_iter().collect()
    }

    /// `Pool.imap(f, items)`: submits every item at once and yields the results lazily, in the
    /// items' order, each as soon as it is ready.
    pub fn imap<I, T, R, F>(&self, f: F, items: I) -> impl Iterator<Item = Result<R, Panicked>>
    where
        I: IntoIterator<Item = T>,
        T: Send + 'static,
        R: Send + 'static,
        F: Fn(T) -> R + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        let futures: Vec<Result<Future<R>, ShutDown>> = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(move || f(item))
            })
            .collect();
        futures.into_iter().map(|future| {
            future
                .map_err(|e| Panicked {
                    thread: thread::current_name(),
                    message: e.to_string(),
                })
                .and_then(Future::result)
        })
    }

    /// Waits for every task submitted so far, then stops the workers (`executor.shutdown(wait=True)`,
    /// the end of a `with` block). Later calls do nothing.
    pub fn shutdown(&self) {
        let Some(handles) = self.workers.lock_unpoisoned().take() else {
            return;
        };
        for _ in &handles {
            self.tasks.put(None);
        }
        for handle in handles {
            // Workers catch their tasks' panics: one that reaches here ends the run.
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.shutdown();
        }
    }
}

struct Slot<T> {
    value: Mutex<Option<Result<T, Panicked>>>,
    ready: Condvar,
}

/// The result of a submitted task, once it is done (`concurrent.futures.Future`,
/// `multiprocessing.pool.AsyncResult`).
pub struct Future<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Future<T> {
    fn pending() -> Self {
        Future {
            slot: Arc::new(Slot {
                value: Mutex::named("a task's result", None),
                ready: Condvar::named("a task's result"),
            }),
        }
    }

    /// Whether the task has finished.
    pub fn done(&self) -> bool {
        self.slot.value.lock_unpoisoned().is_some()
    }

    /// Waits for the task and returns its value (`future.result()`, `async_result.get()`).
    ///
    /// # Errors
    /// The task's panic, as a [`Panicked`] naming the worker it ran on.
    pub fn result(self) -> Result<T, Panicked> {
        let mut value = self
            .slot
            .ready
            .wait_while_unpoisoned(self.slot.value.lock_unpoisoned(), |v| v.is_none());
        value
            .take()
            .unwrap_or_else(|| unreachable!("the wait ends only once the value is there"))
    }
}
