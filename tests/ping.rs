//! The threaded ping, on loopback only: a port with a listener is alive, a closed port is
//! failing, a name that cannot resolve is unknown (it is not even a valid name, so no DNS query
//! leaves the machine); each block is printed whole, or all of them by the main thread.
#![cfg(not(any(loom, shuttle)))]

use interleave::ping::{block, ping_all, probe, Printer, Printing, Status};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;

const DELAY: Duration = Duration::from_secs(2);

/// A port nothing listens on: one the system just gave a listener that is now closed.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Each line printed, with the thread that printed it.
type Printed = Arc<Mutex<Vec<(ThreadId, String)>>>;

/// A printer that keeps each line with the thread that printed it.
fn recorder() -> (Printer, Printed) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&lines);
    let print: Printer = Arc::new(move |line: &str| {
        kept.lock()
            .unwrap()
            .push((thread::current().id(), line.to_string()));
    });
    (print, lines)
}

#[test]
fn a_probe_tells_alive_from_failing_from_unknown() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let open = listener.local_addr().unwrap().to_string();
    assert_eq!(probe(&open, 80, DELAY), Status::Alive);
    let port = listener.local_addr().unwrap().port();
    assert_eq!(probe("127.0.0.1", port, DELAY), Status::Alive);
    assert_eq!(
        probe(&format!("127.0.0.1:{}", closed_port()), 80, DELAY),
        Status::Failing
    );
    assert_eq!(probe("no such host", 80, DELAY), Status::Unknown);
}

fn hosts() -> (TcpListener, Vec<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let open = listener.local_addr().unwrap().to_string();
    let closed = format!("127.0.0.1:{}", closed_port());
    let mut hosts = Vec::new();
    for i in 0..4 {
        hosts.push(open.clone());
        hosts.push(closed.clone());
        hosts.push(format!("unknown host {i}"));
    }
    (listener, hosts)
}

#[test]
fn each_probe_prints_its_block_whole() {
    let (_listener, hosts) = hosts();
    let (print, lines) = recorder();
    let results = ping_all(&hosts, 80, DELAY, Printing::EachUnderLock, &print);
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 3 * hosts.len());
    // Three lines at a time, each the block of one result, in the order the results came.
    for (chunk, (host, status)) in lines.chunks(3).zip(&results) {
        let text: Vec<&str> = chunk.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(text, block(host, *status), "{lines:?}");
        assert!(
            chunk.iter().all(|(t, _)| *t == chunk[0].0),
            "one thread per block"
        );
    }
    let alive = results.iter().filter(|(_, s)| *s == Status::Alive).count();
    let failing = results
        .iter()
        .filter(|(_, s)| *s == Status::Failing)
        .count();
    let unknown = results
        .iter()
        .filter(|(_, s)| *s == Status::Unknown)
        .count();
    assert_eq!((alive, failing, unknown), (4, 4, 4), "{results:?}");
}

#[test]
fn gathered_results_are_printed_by_the_main_thread_after_the_join() {
    let (_listener, hosts) = hosts();
    let (print, lines) = recorder();
    let results = ping_all(&hosts, 80, DELAY, Printing::GatheredByMain, &print);
    let lines = lines.lock().unwrap().clone();
    let main = thread::current().id();
    assert!(lines.iter().all(|(t, _)| *t == main), "{lines:?}");
    let expected: Vec<String> = results.iter().flat_map(|(h, s)| block(h, *s)).collect();
    let printed: Vec<String> = lines.into_iter().map(|(_, l)| l).collect();
    assert_eq!(printed, expected);
    assert_eq!(results.len(), hosts.len());
}
