//! Readers and a writer never share the room: checked by `interleave_check::check` in every
//! build (`cargo test` for real runs, `--cfg loom`, `--cfg shuttle`).

use interleave_check::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use interleave_check::sync::{thread, Arc};
use readers_writer_example::{ReadersWriter, Waiting};

/// Two readers and a writer; everyone asserts they are alone when they should be.
fn two_readers_and_a_writer(waiting: Waiting) {
    let lock = Arc::new(ReadersWriter::new(waiting));
    let readers = Arc::new(AtomicUsize::named("readers inside", 0));
    let writers = Arc::new(AtomicUsize::named("writers inside", 0));
    let reader = |name: &str| {
        let (lock, readers, writers) = (lock.clone(), readers.clone(), writers.clone());
        thread::spawn_named(name, move || {
            lock.read(|| {
                readers.fetch_add(1, SeqCst);
                assert_eq!(writers.load(SeqCst), 0, "a reader met a writer");
                readers.fetch_sub(1, SeqCst);
            })
        })
    };
    let (first, second) = (reader("reader 1"), reader("reader 2"));
    lock.write(|| {
        writers.fetch_add(1, SeqCst);
        assert_eq!(readers.load(SeqCst), 0, "the writer met a reader");
        writers.fetch_sub(1, SeqCst);
    });
    first.join().unwrap();
    second.join().unwrap();
}

/// The bug below needs three preemptions (the default bound is 2): the fix is checked as far.
#[test]
fn a_writer_that_waits_until_the_room_is_free_is_alone() {
    interleave_check::Check::new()
        .preemptions(3)
        .run(|| two_readers_and_a_writer(Waiting::LooksUntilFree));
}

/// The explorers must find the schedule where a reader slips in while the woken writer waits for
/// the mutex: the main thread is switched away from once to let the first reader in, that reader
/// once to let the writer wait, and the second reader once, inside, to let the writer in.
#[test]
#[cfg(any(loom, shuttle))]
#[should_panic(expected = "met a")]
fn a_writer_that_looks_once_meets_a_reader() {
    interleave_check::Check::new()
        .preemptions(3)
        .run(|| two_readers_and_a_writer(Waiting::LooksOnce));
}

/// A real run may or may not meet that schedule; when one does, that is the bug it meets.
#[test]
#[cfg(not(any(loom, shuttle)))]
fn real_runs_of_a_writer_that_looks_once_fail_only_by_meeting_a_reader() {
    let report = interleave_check::Check::new()
        .report(|| two_readers_and_a_writer(Waiting::LooksOnce))
        .expect("a plain build runs real mode");
    if let Some(failure) = &report.failure {
        assert!(failure.message().contains("met a"), "{report}");
    }
}
