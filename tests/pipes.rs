//! `Pipe`: its sequential contract as properties (std build), and its concurrent contract
//! explored (loom and shuttle) with a control that must hang.

mod common;

#[cfg(any(loom, shuttle))]
use interleave::explore::Verdict;
use interleave::explore::{ensure, per_build, Check, Outcome};
use interleave::sync::{pipe, thread, Arc};

/// Writers share one end and each send their number; the reader receives until end-of-stream,
/// which comes once every writer has dropped the shared end. The control keeps a copy of the
/// writers' end open in the reader's thread, so end-of-stream never comes.
fn many_writers(writers: usize, leak_an_end: bool) -> Outcome {
    let (reader, writer) = pipe::<usize>("the pipe");
    let writer = Arc::new(writer);
    let kept = leak_an_end.then(|| writer.clone());
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let writer = writer.clone();
            thread::spawn_named(format!("writer-{}", w + 1), move || {
                writer.send(w).expect("the reader is open");
            })
        })
        .collect();
    drop(writer);
    let mut got = Vec::new();
    while let Ok(item) = reader.recv() {
        got.push(item);
    }
    threads.into_iter().for_each(|t| t.join().unwrap());
    drop(kept);
    got.sort_unstable();
    ensure(
        got == (0..writers).collect::<Vec<_>>(),
        "every message arrives once",
        || format!("received {got:?}"),
    );
    Outcome::new().with("received", got.len() as i64)
}

#[test]
fn a_shared_end_delivers_every_message_then_end_of_stream() {
    let writers = per_build(2, 4, 4);
    Check::new()
        .schedules(300)
        .final_state(common::final_count("received", writers))
        .run(move || many_writers(writers, false));
}

/// The control: the reader keeps a copy of the writers' end, so end-of-stream never comes.
#[test]
#[cfg(any(loom, shuttle))]
fn an_end_left_open_leaves_the_reader_hanging() {
    let writers = per_build(2, 4, 4);
    Check::new()
        .schedules(300)
        .final_state(common::final_count("received", writers))
        .expect(Verdict::Hang)
        .run(move || many_writers(writers, true));
}

#[cfg(not(any(loom, shuttle)))]
mod sequential {
    use interleave::sync::pipe::{pipe, BrokenPipe, EndOfStream};
    use proptest::prelude::*;

    proptest! {
        /// What one end sends, the other receives in order, in both directions; after the
        /// sender closes, the receiver reads the rest and then end-of-stream, every time.
        #[test]
        fn a_pipe_delivers_in_order_then_ends(items in prop::collection::vec(any::<u16>(), 0..32)) {
            let (a, b) = pipe("p");
            for &x in &items {
                prop_assert!(a.send(x).is_ok());
                prop_assert!(b.send(x).is_ok());
            }
            a.close();
            for &x in &items {
                prop_assert_eq!(b.recv(), Ok(x));
            }
            prop_assert_eq!(b.recv(), Err(EndOfStream));
            prop_assert_eq!(b.recv(), Err(EndOfStream));
            prop_assert_eq!(b.send(7), Err(BrokenPipe(7)));
            prop_assert_eq!(a.send(7), Err(BrokenPipe(7)));
        }
    }

    #[test]
    fn a_child_reverses_a_sentence_through_a_pipe() {
        // 000: the child receives a sentence, sends it back reversed, and closes.
        let (parent, child) = pipe::<String>("p");
        let worker = std::thread::spawn(move || {
            let sentence = child.recv().unwrap();
            child.send(sentence.chars().rev().collect()).unwrap();
        });
        parent.send("bonjour le monde".into()).unwrap();
        assert_eq!(parent.recv().as_deref(), Ok("ednom el ruojnob"));
        worker.join().unwrap();
        assert_eq!(parent.recv(), Err(EndOfStream));
    }
}
