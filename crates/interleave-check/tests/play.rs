//! Playing the scheduler: moves that reach the deadlock win, with their preemptions counted;
//! moves that let the run end do not; a move for a thread that cannot run is refused; the board
//! shows each thread's next operation.
#![cfg(shuttle)]

use interleave_check::sync::{thread, Arc, Mutex};
use interleave_check::{Check, Verdict};

/// `main` (thread 0) and `other` (thread 1) take two locks in opposite orders.
fn opposite_orders() {
    let (a, b) = (
        Arc::new(Mutex::named("A", ())),
        Arc::new(Mutex::named("B", ())),
    );
    let other = {
        let (a, b) = (a.clone(), b.clone());
        thread::spawn_named("other", move || {
            let _b = b.lock().unwrap();
            let _a = a.lock().unwrap();
        })
    };
    {
        let _a = a.lock().unwrap();
        let _b = b.lock().unwrap();
    }
    other.join().unwrap();
}

#[test]
fn the_board_shows_each_thread_s_next_operation() {
    let board = Check::new().play(&[], opposite_orders).unwrap();
    let next: Vec<(usize, &str, &str)> = board
        .choices
        .iter()
        .map(|c| (c.thread, c.name.as_str(), c.next.as_str()))
        .collect();
    assert_eq!(next, [(0, "main", "lock A"), (1, "other", "lock B")]);
    assert!(board.reached.is_none() && !board.ended);
}

/// main takes A; other starts and takes B; main reaches for B: deadlock, two switches away
/// from a thread that could have gone on.
#[test]
fn moves_that_close_the_cycle_win() {
    let board = Check::new().play(&[0, 1, 1, 0], opposite_orders).unwrap();
    assert_eq!(board.verdict(), Some(Verdict::Deadlock), "{board:?}");
    assert_eq!(board.preemptions, 2);
    assert!(board.choices.is_empty());
}

/// The control: letting main finish first never deadlocks.
#[test]
fn moves_that_let_one_thread_finish_first_do_not() {
    let mut moves = Vec::new();
    let board = loop {
        let board = Check::new().play(&moves, opposite_orders).unwrap();
        if board.ended || board.reached.is_some() || moves.len() > 50 {
            break board;
        }
        let main_first = board
            .choices
            .iter()
            .find(|c| c.thread == 0)
            .unwrap_or(&board.choices[0]);
        moves.push(main_first.thread);
    };
    assert!(board.ended, "{board:?}");
    assert_eq!(board.verdict(), None);
    assert_eq!(board.preemptions, 0);
}

#[test]
fn a_move_for_a_thread_that_cannot_run_is_refused() {
    let bad = Check::new().play(&[7], opposite_orders).unwrap_err();
    assert_eq!((bad.index, bad.thread), (1, 7));
}

/// A position stops its run part-way, with what the threads made still alive: no leak (values
/// noted with `sync::tracked`, as loom's `Track`), which only a run that ended can have. Its
/// twin, played to the end with the value never dropped, does leak: the control.
#[test]
fn a_position_is_no_leak_but_the_end_of_a_leaking_run_is() {
    use interleave_check::sync::tracked::track;
    let held = |forget: bool| {
        move || {
            let note = track("a value of main's".to_string());
            opposite_orders();
            if forget {
                std::mem::forget(note);
            }
        }
    };
    let board = Check::new().play(&[], held(true)).unwrap();
    assert!(board.reached.is_none() && !board.ended, "{board:?}");
    let mut moves = Vec::new();
    let board = loop {
        let board = Check::new().play(&moves, held(true)).unwrap();
        if board.ended || board.reached.is_some() || moves.len() > 50 {
            break board;
        }
        moves.push(board.choices[0].thread);
    };
    let reached = board.reached.as_ref().expect("the leak at the end");
    assert!(
        reached.message().contains("leaked: a value of main's"),
        "{board:?}"
    );
    let ended = Check::new().report(held(false)).unwrap();
    assert!(
        ended.failure.is_none()
            || ended.failure.as_ref().and_then(|f| f.verdict()) == Some(Verdict::Deadlock),
        "{ended}"
    );
}
