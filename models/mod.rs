//! The registry of the course's models: one file per algorithm, each declaring its variants,
//! parameters and expected verdicts next to its code.

pub mod bank;
pub mod barrier;
pub mod bounded_buffer;
pub mod bounded_concurrency;
pub mod condition_subscriber;
pub mod counter;
pub mod deque;
pub mod double_queue;
pub mod event_stop;
pub mod exceptions;
pub mod lock_leak;
pub mod locked_set;
pub mod message_server;
pub mod monte_carlo_pi;
pub mod multi_consumer;
pub mod parallel_sum;
pub mod philosophers;
pub mod ping_pong;
pub mod pipe;
pub mod pipe_many_writers;
pub mod queue_check_then_act;
pub mod queue_full;
pub mod queue_pipeline;
pub mod reentrant;
pub mod rendezvous;
pub mod semaphore_handoff;
pub mod shared_array_flag;
pub mod thread_pool;
pub mod ticket_sellers;
pub mod up_down;
pub mod wine_stock;
pub mod worker_event_queue;

use crate::explore::Model;

/// Every model, in the catalogue's order.
pub const ALL: &[&Model] = &[
    // A. Races and critical sections
    &counter::MODEL,
    &bank::MODEL,
    &monte_carlo_pi::MODEL,
    &parallel_sum::MODEL,
    &up_down::MODEL,
    &locked_set::MODEL,
    // B. Deadlocks, hangs and livelocks
    &philosophers::MODEL,
    &reentrant::MODEL,
    &ticket_sellers::MODEL,
    &queue_check_then_act::MODEL,
    &queue_full::MODEL,
    &condition_subscriber::MODEL,
    &lock_leak::MODEL,
    // C. Signalling and synchronization
    &ping_pong::MODEL,
    &rendezvous::MODEL,
    &semaphore_handoff::MODEL,
    &bounded_concurrency::MODEL,
    &event_stop::MODEL,
    &barrier::MODEL,
    &worker_event_queue::MODEL,
    &exceptions::MODEL,
    // D. Communication
    &bounded_buffer::MODEL,
    &queue_pipeline::MODEL,
    &multi_consumer::MODEL,
    &double_queue::MODEL,
    &pipe::MODEL,
    &pipe_many_writers::MODEL,
    &shared_array_flag::MODEL,
    &message_server::MODEL,
    &thread_pool::MODEL,
    &deque::MODEL,
    // E. Real programs (their shared-state core)
    &wine_stock::MODEL,
];

/// The model called `name`.
///
/// # Errors
/// A message naming the known models.
pub fn find(name: &str) -> Result<&'static Model, String> {
    ALL.iter().copied().find(|m| m.name == name).ok_or_else(|| {
        let known: Vec<&str> = ALL.iter().map(|m| m.name).collect();
        format!(
            "unknown model '{name}' (known models: {})",
            known.join(", ")
        )
    })
}
