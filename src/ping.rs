//! Threaded ping (003 part I: `threaded_ping.py`, `threaded_ping2.py`): one thread per host
//! probes it, so that five hosts take the time of the slowest rather than the sum.
//!
//! The course's two ways to report: each thread prints its own block of three lines, holding a
//! lock so that no other thread's lines come between them (I.2, the fix for the tangled output
//! of I.1); or each thread adds its result to a shared list that the main thread prints once it
//! has joined them all (I.3).
//!
//! The course runs `/bin/ping -w 3 host` and reads its exit status. ICMP needs privileges, so a
//! probe here is a TCP connection to `host:port`: it connects (alive), it is refused or gets no
//! answer within the delay (failing), or the name does not resolve (unknown).
//!
//! Compiled in the std build only, like the wine server: real sockets have no place inside an
//! exploration.

use crate::sync::{thread, Arc, Lock, Mutex};
use std::fmt;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// What a probe found, as the course prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `ping` exit status 0: VIVANT.
    Alive,
    /// Exit status 1: DEFAILLANT ? (refused, or no answer in time).
    Failing,
    /// Any other status: INCONNU (the name does not resolve).
    Unknown,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Alive => "ALIVE",
            Status::Failing => "FAILING ?",
            Status::Unknown => "UNKNOWN",
        })
    }
}

/// How results reach the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printing {
    /// Each thread prints its block whole, under a lock (I.2).
    EachUnderLock,
    /// The main thread prints every result after joining the threads (I.3).
    GatheredByMain,
}

/// Where the lines go: standard output for the CLI, a list for the tests.
pub type Printer = Arc<dyn Fn(&str) + Send + Sync>;

/// Probes `host` (a name or address, with `:port` or else `default_port`), waiting at most
/// `delay` for each of its addresses.
pub fn probe(host: &str, default_port: u16, delay: Duration) -> Status {
    let addresses: Vec<SocketAddr> = match host
        .to_socket_addrs()
        .or_else(|_| (host, default_port).to_socket_addrs())
    {
        Ok(addresses) => addresses.collect(),
        Err(_) => return Status::Unknown,
    };
    if addresses.is_empty() {
        return Status::Unknown;
    }
    let alive = addresses
        .iter()
        .any(|a| TcpStream::connect_timeout(a, delay).is_ok());
    if alive {
        Status::Alive
    } else {
        Status::Failing
    }
}

/// The course's block: the host's status between two rows of stars.
pub fn block(host: &str, status: Status) -> [String; 3] {
    let stars = "*".repeat(20);
    [stars.clone(), format!("{host} : {status}"), stars]
}

/// Probes every host on a thread of its own and prints the results `printing`'s way; returns
/// them in the order they were printed.
pub fn ping_all(
    hosts: &[String],
    default_port: u16,
    delay: Duration,
    printing: Printing,
    print: &Printer,
) -> Vec<(String, Status)> {
    let screen = Arc::new(Lock::named("screen"));
    let results = Arc::new(Mutex::named("results", Vec::new()));
    let threads: Vec<_> = hosts
        .iter()
        .map(|host| {
            let (host, screen, results, print) = (
                host.clone(),
                Arc::clone(&screen),
                Arc::clone(&results),
                Arc::clone(print),
            );
            thread::spawn_named(format!("ping {host}"), move || {
                let status = probe(&host, default_port, delay);
                let _whole = (printing == Printing::EachUnderLock).then(|| {
                    let whole = screen.hold();
                    block(&host, status).iter().for_each(|line| print(line));
                    whole
                });
                results.lock().unwrap().push((host, status));
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    let results = results.lock().unwrap().clone();
    if printing == Printing::GatheredByMain {
        for (host, status) in &results {
            block(host, *status).iter().for_each(|line| print(line));
        }
    }
    results
}
