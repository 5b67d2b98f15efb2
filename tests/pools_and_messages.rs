//! The thread pool and the System V style message queue: their sequential contracts as
//! properties, and the pool's promises on real threads. Their concurrent contracts are explored
//! by the `thread-pool` and `message-server` models (tests/communication.rs). Properties run on
//! the std build only: loom's and shuttle's primitives exist only inside an explored run.
#![cfg(not(any(loom, shuttle)))]

use interleave::sync::message_queue::{MessageQueue, Select, SendError};
use proptest::prelude::*;
use std::collections::VecDeque;

#[derive(Clone, Debug)]
enum Call {
    Send(u64, u32),
    Receive(Select),
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        (0u64..4, any::<u32>()).prop_map(|(t, m)| Call::Send(t, m)),
        Just(Call::Receive(Select::Any)),
        (1u64..4).prop_map(|t| Call::Receive(Select::Type(t))),
        (1u64..4).prop_map(|t| Call::Receive(Select::UpTo(t))),
    ]
}

/// The System V rules, written the plain way.
fn reference(messages: &mut VecDeque<(u64, u32)>, select: Select) -> Option<(u32, u64)> {
    let i = match select {
        Select::Any => (!messages.is_empty()).then_some(0),
        Select::Type(t) => messages.iter().position(|m| m.0 == t),
        Select::UpTo(bound) => {
            let lowest = messages.iter().map(|m| m.0).filter(|&t| t <= bound).min();
            lowest.and_then(|low| messages.iter().position(|m| m.0 == low))
        }
    }?;
    messages.remove(i).map(|(t, m)| (m, t))
}

proptest! {
    #[test]
    fn the_message_queue_follows_system_v(calls in prop::collection::vec(call(), 0..60)) {
        let mq = MessageQueue::named("mq");
        let mut model = VecDeque::new();
        for call in calls {
            match call {
                Call::Send(0, m) => prop_assert_eq!(mq.send(m, 0), Err(SendError::ZeroType(m))),
                Call::Send(t, m) => {
                    prop_assert_eq!(mq.send(m, t), Ok(()));
                    model.push_back((t, m));
                }
                Call::Receive(select) => {
                    prop_assert_eq!(mq.try_receive(select), Ok(reference(&mut model, select)));
                }
            }
            prop_assert_eq!(mq.len(), model.len());
        }
        mq.remove();
        prop_assert!(mq.try_receive(Select::Any).is_err());
        prop_assert_eq!(mq.send(1, 1), Err(SendError::Removed(1)));
    }
}

mod real {
    use interleave::sync::{thread, Arc, Mutex, ThreadPool};

    #[test]
    fn a_receiver_waiting_on_a_removed_queue_is_told_so() {
        use interleave::sync::message_queue::{MessageQueue, Removed, Select};
        let mq: Arc<MessageQueue<u32>> = Arc::new(MessageQueue::named("mq"));
        let waiting = {
            let mq = Arc::clone(&mq);
            thread::spawn_named("client", move || mq.receive(Select::Type(7)))
        };
        std::thread::sleep(std::time::Duration::from_millis(20));
        mq.remove();
        assert_eq!(waiting.join().unwrap(), Err(Removed));
    }

    proptest::proptest! {
        #[test]
        fn map_and_imap_keep_the_input_order(items in proptest::collection::vec(0u64..1000, 0..40), workers in 1usize..4) {
            let pool = ThreadPool::named("worker", workers);
            let expected: Vec<u64> = items.iter().map(|x| x * 3).collect();
            proptest::prop_assert_eq!(pool.map(|x| x * 3, items.clone()), Ok(expected.clone()));
            let imapped: Result<Vec<u64>, _> = pool.imap(|x| x * 3, items).collect();
            proptest::prop_assert_eq!(imapped, Ok(expected));
        }
    }

    #[test]
    fn a_panicking_task_reaches_its_caller_and_the_others_still_run() {
        let pool = ThreadPool::named("worker", 2);
        let results = pool.map(
            |x: u32| {
                if x == 3 {
                    panic!("task {x} failed");
                }
                x
            },
            0..8,
        );
        let error = results.unwrap_err();
        assert_eq!(error.message, "task 3 failed");
        assert!(error.thread.starts_with("worker-"), "{error}");
        assert_eq!(pool.apply_async(|| 5).unwrap().result(), Ok(5));
    }

    #[test]
    fn shutdown_waits_for_the_work_and_refuses_more() {
        let pool = ThreadPool::named("worker", 3);
        let done = Arc::new(Mutex::new(0));
        for _ in 0..50 {
            let done = Arc::clone(&done);
            pool.submit(move || {
                std::thread::sleep(std::time::Duration::from_micros(200));
                *done.lock().unwrap() += 1;
            })
            .unwrap();
        }
        pool.shutdown();
        assert_eq!(*done.lock().unwrap(), 50);
        assert!(pool.submit(|| ()).is_err());
        pool.shutdown(); // a second shutdown does nothing
    }
}
