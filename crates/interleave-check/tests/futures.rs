//! Futures on the explored threads: `block_on` and `AtomicWaker` as an async user writes them.
//! A one-shot channel whose receiver registers its waker before it looks for the value works in
//! every build; its buggy twin looks first and registers after (a send between the two wakes
//! nobody), and the explored builds must find the receiver parked forever — the control that a
//! lost wake-up is found at all.

use interleave_check::future::{block_on, AtomicWaker};
use interleave_check::sync::atomic::{AtomicBool, AtomicU32, Ordering::SeqCst};
use interleave_check::sync::{thread, Arc};
#[cfg(any(loom, shuttle))]
use interleave_check::{Check, Verdict};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A value sent once, and the waker of the task that waits for it.
struct Oneshot {
    value: AtomicU32,
    sent: AtomicBool,
    waker: AtomicWaker,
}

impl Oneshot {
    fn new() -> Oneshot {
        Oneshot {
            value: AtomicU32::named("the value", 0),
            sent: AtomicBool::named("sent", false),
            waker: AtomicWaker::new(),
        }
    }

    fn send(&self, value: u32) {
        self.value.store(value, SeqCst);
        self.sent.store(true, SeqCst);
        self.waker.wake();
    }
}

/// The receiving end: `registers_first` registers the waker before it looks, as it must.
struct Receive<'a> {
    channel: &'a Oneshot,
    registers_first: bool,
}

impl Future for Receive<'_> {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.registers_first {
            self.channel.waker.register_by_ref(cx.waker());
        }
        if self.channel.sent.load(SeqCst) {
            return Poll::Ready(self.channel.value.load(SeqCst));
        }
        if !self.registers_first {
            self.channel.waker.register_by_ref(cx.waker());
        }
        Poll::Pending
    }
}

/// A sender thread sends 7; the main thread waits for it in `block_on`.
fn oneshot(registers_first: bool) -> u32 {
    let channel = Arc::new(Oneshot::new());
    let sender = {
        let channel = channel.clone();
        thread::spawn_named("sender", move || channel.send(7))
    };
    let got = block_on(Receive {
        channel: &channel,
        registers_first,
    });
    sender.join().unwrap();
    got
}

#[test]
fn a_receiver_that_registers_before_it_looks_gets_the_value() {
    interleave_check::check(|| assert_eq!(oneshot(true), 7));
}

#[test]
#[cfg(any(loom, shuttle))]
fn a_receiver_that_looks_before_it_registers_can_sleep_forever() {
    let report = Check::new()
        .report(|| {
            oneshot(false);
        })
        .unwrap();
    let failure = report.failure.as_ref().expect("the lost wake-up is found");
    assert_eq!(failure.verdict(), Some(Verdict::Hang), "{report}");
    let text = report.to_string();
    assert!(text.contains("main"), "{text}");
    assert!(text.contains("the waker made at"), "{text}");
}
