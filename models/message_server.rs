//! A time server on a System V message queue: clients send a request, the server answers each on
//! a type of its own through a thread pool, and a stop request ends the server.
//!
//! Course: 000:110-160 (client: `mq.send(m, type=1)`, then `mq.receive(type=3)`; type 2 stops
//! the server; the server loops on `mq.receive()` — *any* type) and 000:262-285, the pool server:
//! `with ThreadPoolExecutor(max_workers=4)`, `executor.submit(worker, mq, m)` for each type-1
//! request, the worker answering on type pid + 3; on type 2, `mq.remove()` and `break`.
//!
//! As printed, two things go wrong. The server's `mq.receive()` takes the first message of any
//! type, so it can take a worker's reply off the queue (and ignore it, its type being neither 1
//! nor 2): that client waits forever. And the stop removes the queue at once, while the pool may
//! still be answering: replies in flight fail, and a client waiting for one gets "removed". In
//! the model, the main thread is the client that stops the server, as in the course's client
//! loop: once every other client has sent its request, it sends its own, waits for its reply,
//! then sends the stop. If the server ate main's reply, nobody ever sends the stop: everyone
//! waits forever (a hang); if it ate another client's, or removed the queue under it, that client
//! ends without a reply.
//!
//! The fix: replies on each client's own type; the server receives only types ≤ 2, lowest first
//! (System V's negative `msgtyp`), so it never takes a reply and serves every request queued
//! before the stop; on the stop it shuts the pool down, which waits until every reply is sent;
//! the queue is removed by its owner, the main thread, once every client has its reply.
//!
//! Checked: each client gets exactly its own reply; the stop ends the server with no request lost.

use crate::explore::{ensure, Model, Outcome, Param, Params, Variant, Verdict};
use crate::sync::message_queue::{MessageQueue, Select};
use crate::sync::{thread, Arc, Semaphore, ThreadPool};

pub const MODEL: Model = Model {
    name: "message-server",
    source: "000:110-160 sysv message queue server; 000:262-285 thread-pool server",
    about: "clients ask a pool server for the time on a typed message queue; a client stops it",
    params: &[
        Param::new(
            "clients",
            "clients besides the main thread, which also asks and then stops the server",
            [1, 3, 20],
        )
        .at_least(0),
        Param::new(
            "workers",
            "the server's pool threads (the course: max_workers=4)",
            [1, 2, 4],
        ),
        Param::new(
            "rounds",
            "times the whole exchange runs, each with a new queue and server",
            [1, 1, 200],
        ),
    ],
    variants: &[
        Variant {
            name: "as-printed",
            expected: Verdict::Hang,
            about: "server: mq.receive() of any type; on stop: mq.remove() at once",
            run: |p| serve(p, Server::AsPrinted),
        },
        Variant {
            name: "fixed",
            expected: Verdict::Pass,
            about: "server receives types <= 2 only; on stop: shut the pool down; owner removes",
            run: |p| serve(p, Server::Fixed),
        },
    ],
    check: |p, outcome| {
        let clients = (p.get("clients") + 1) as i64;
        outcome.expect_value("clients answered", clients, |n| {
            format!("{n} clients got their reply of {clients}")
        })
    },
    // The fixed server costs 410,820 executions (40 s) at bound 2; the hang shows at bound 1.
    preemption_bound: 1,
    controls: &[
        Variant {
            name: "wrong-reply",
            expected: Verdict::Invariant,
            about: "the fixed server's workers answer with the next client's pid",
            run: |p| serve(p, Server::WrongReply),
        },
        Variant {
            name: "own-reply-uncounted",
            expected: Verdict::LostUpdate,
            about: "the fixed server, but the main thread does not count its own reply",
            run: |p| serve(p, Server::OwnReplyUncounted),
        },
    ],
    ..Model::DEFAULT
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Server {
    AsPrinted,
    Fixed,
    /// Controls: the fixed server whose replies carry the wrong pid, or whose main thread
    /// miscounts.
    WrongReply,
    OwnReplyUncounted,
}

const REQUEST: u64 = 1;
const STOP: u64 = 2;

/// A message: a request carries the client's pid; a reply, the pid it answers.
type Message = u64;

fn reply_type(pid: u64) -> u64 {
    pid + 3
}

/// The server's loop (000:267-280).
fn run_server(mq: &Arc<MessageQueue<Message>>, workers: usize, server: Server) {
    let executor = ThreadPool::named("worker", workers);
    let select = match server {
        Server::AsPrinted => Select::Any,
        _ => Select::UpTo(STOP),
    };
    while let Ok((m, t)) = mq.receive(select) {
        if t == REQUEST {
            let mq = Arc::clone(mq);
            // worker(mq, m): the reply fails if the queue is gone, as the course's would raise
            // (inside a future nobody reads).
            let said = m + u64::from(server == Server::WrongReply);
            let _ = executor.submit(move || mq.send(said, reply_type(m)).is_ok());
        }
        if t == STOP {
            if server == Server::AsPrinted {
                mq.remove();
            }
            break;
        }
    }
    executor.shutdown(); // the end of the `with` block
}

/// A client's request; says whether it could be sent.
fn request(mq: &MessageQueue<Message>, pid: u64) -> bool {
    mq.send(pid, REQUEST).is_ok()
}

/// A client waits for its reply; says whether it got it (the queue may be removed meanwhile).
fn await_reply(mq: &MessageQueue<Message>, pid: u64) -> bool {
    match mq.receive(Select::Type(reply_type(pid))) {
        Ok((to, _)) => {
            ensure(to == pid, "each client gets its own reply", || {
                format!("client {pid} got the reply for client {to}")
            });
            true
        }
        Err(_removed) => false,
    }
}

fn serve(p: &Params, server: Server) -> Outcome {
    let (clients, workers) = (p.get("clients"), p.get("workers"));
    let mut answered = 0;
    for _ in 0..p.get("rounds") {
        let mq = Arc::new(MessageQueue::named("the queue"));
        let server_thread = {
            let mq = Arc::clone(&mq);
            thread::spawn_named("server", move || run_server(&mq, workers, server))
        };
        let sent = Arc::new(Semaphore::named("requests sent", 0));
        let handles: Vec<_> = (1..=clients as u64)
            .map(|pid| {
                let (mq, sent) = (Arc::clone(&mq), Arc::clone(&sent));
                thread::spawn_named(format!("client-{pid}"), move || {
                    let sent_ok = request(&mq, pid);
                    sent.release();
                    sent_ok && await_reply(&mq, pid)
                })
            })
            .collect();
        for _ in 0..clients {
            sent.acquire();
        }
        // Main is client 0, and the one that stops the server once it has its reply.
        answered = i64::from(request(&mq, 0) && await_reply(&mq, 0));
        if server == Server::OwnReplyUncounted {
            answered = 0;
        }
        // Only the stop itself removes the queue, so the stop always gets through.
        let _ = mq.send(0, STOP);
        answered += handles
            .into_iter()
            .map(|h| i64::from(h.join().unwrap()))
            .sum::<i64>();
        server_thread.join().unwrap();
        mq.remove(); // the owner's `mq.remove()  # ne pas oublier`
    }
    Outcome::new().with("clients answered", answered)
}
