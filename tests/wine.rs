//! Catalogue section E, the wine merchant: the stock model's verdicts in every mode; the real
//! server under 1,000 concurrent clients on loopback; its answers to bad requests; the CLI's
//! `serve` and `order`.

#[macro_use]
mod common;

/// `verdicts::wine_stock::<mode>`.
mod verdicts {
    every_mode!(wine_stock);
}

#[cfg(any(loom, shuttle))]
#[test]
fn the_unlocked_cellar_sells_bottles_it_does_not_have() {
    use interleave::explore::Verdict;
    let report = common::check_reaches(
        &interleave::models::wine_stock::MODEL,
        "unlocked",
        Verdict::Invariant,
        &[],
    );
    let failure = report.failure.as_ref().unwrap();
    assert!(
        failure.message().contains("the stock never goes negative"),
        "{report}"
    );
}

#[cfg(not(any(loom, shuttle)))]
mod real {
    use interleave::wine::client::{self, Delivery};
    use interleave::wine::server::{serve, Summary};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    const TIMEOUT: Duration = Duration::from_secs(20);

    /// Starts a server of `stock` bottles on a free loopback port; returns its address and the
    /// channel its summary arrives on when it stops.
    fn start(stock: i64) -> (String, mpsc::Receiver<Summary>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let (done, summary) = mpsc::channel();
        thread::spawn(move || {
            let summary = serve(&listener, stock, false).unwrap();
            drop(listener);
            let _ = done.send(summary);
        });
        (address, summary)
    }

    /// Sends `request` raw and returns the whole answer.
    fn raw(address: &str, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.write_all(request).unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    #[test]
    fn a_thousand_clients_get_exactly_the_stock_and_bad_requests_change_nothing() {
        let stock = 20_000;
        let (address, summary) = start(stock);
        // First, requests that are not orders: each gets an error and takes nothing.
        let bad: [&[u8]; 5] = [b"x9", b" 0", b"-5", b"4", b""];
        for request in bad {
            let answer = raw(&address, request);
            assert!(answer.starts_with("ER "), "{request:?} got {answer:?}");
        }
        // Then 1,000 clients at once, ordering 1 to 99 bottles: 50,000 in all, for 20,000.
        let clients: Vec<_> = (0..1_000u32)
            .map(|i| {
                let address = address.clone();
                thread::spawn(move || client::order(&address, 1 + i % 99, TIMEOUT))
            })
            .collect();
        let mut received = 0i64;
        let mut served = 0;
        for c in clients {
            // A client that comes after the last bottle finds the server closed or gone.
            match c.join().unwrap() {
                Ok(Delivery::Received(n)) => {
                    received += i64::from(n);
                    served += 1;
                }
                Ok(Delivery::Failed) | Err(_) => {}
                Ok(Delivery::Refused(why)) => panic!("a good order was refused: {why}"),
            }
        }
        let summary = summary
            .recv_timeout(TIMEOUT)
            .expect("the server stops once its stock is gone");
        assert_eq!(summary.initial, stock);
        assert_eq!(summary.remaining, 0, "{summary}");
        assert_eq!(summary.delivered, stock, "{summary}");
        assert_eq!(received, summary.delivered, "{summary}");
        assert_eq!(served, summary.orders_served, "{summary}");
        assert_eq!(summary.bad_requests, bad.len(), "{summary}");
    }

    /// A client that connects and sends nothing is told, after the server's wait (10 s), that
    /// nothing came in time, not that it closed the connection (it did not).
    #[test]
    fn a_silent_client_is_told_it_timed_out() {
        let (address, _summary) = start(10);
        let mut stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("ER "), "{answer:?}");
        assert!(answer.contains("came in the 10 seconds"), "{answer:?}");
        // The control: a client that closes after one character is told it closed.
        assert!(
            raw(&address, b"4").contains("closed after 1"),
            "a closed connection is not a timeout"
        );
    }

    /// Clients that reach the server after its stock ran out, while it still finishes an order
    /// in progress, wait in its backlog: they are closed without an answer when it stops — the
    /// course's "order failed" — never reset.
    #[test]
    fn clients_arriving_after_the_stock_ran_out_are_closed_not_reset() {
        let (address, summary) = start(1);
        let connect = || {
            let s = TcpStream::connect(&address).unwrap();
            s.set_read_timeout(Some(TIMEOUT)).unwrap();
            s
        };
        // A slow client keeps the server busy: connected, its order not sent yet.
        let mut slow = connect();
        thread::sleep(Duration::from_millis(100));
        assert_eq!(
            client::order(&address, 1, TIMEOUT).unwrap(),
            Delivery::Received(1)
        );
        // The stock is gone; these arrive while the slow client's order is still open.
        let mut late: Vec<TcpStream> = (0..5).map(|_| connect()).collect();
        for s in &mut late {
            s.write_all(b"01").unwrap();
        }
        slow.write_all(b"01").unwrap();
        for s in late.iter_mut().chain([&mut slow]) {
            let mut answer = String::new();
            match s.read_to_string(&mut answer) {
                Ok(_) => assert_eq!(answer, "", "no answer, only the close"),
                Err(e) => panic!("a client was reset instead of closed: {e}"),
            }
        }
        let summary = summary.recv_timeout(TIMEOUT).expect("the server stops");
        assert_eq!(summary.orders_served, 1, "{summary}");
        assert_eq!(summary.turned_away, 6, "{summary}");
    }

    #[test]
    fn the_last_order_gets_what_is_left_and_the_server_stops() {
        // The course's log: 35 bottles left, an order of 81 gets them, the next client fails.
        let (address, summary) = start(35);
        let delivery = client::order(&address, 81, TIMEOUT).unwrap();
        assert_eq!(delivery, Delivery::Received(35));
        let summary = summary.recv_timeout(TIMEOUT).expect("the server stops");
        assert_eq!((summary.delivered, summary.remaining), (35, 0));
        assert!(client::order(&address, 5, Duration::from_secs(2)).is_err());
    }

    #[test]
    fn the_cli_serves_and_orders() {
        use std::io::BufRead;
        use std::process::{Command, Stdio};
        let interleave = env!("CARGO_BIN_EXE_interleave");
        let mut server = Command::new(interleave)
            .args(["serve", "--port", "0", "--stock", "30"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut log = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
        let first = log.next().unwrap().unwrap();
        let port = first
            .split(':')
            .nth(1)
            .and_then(|rest| rest.split(',').next())
            .unwrap_or_else(|| panic!("the first line names the port: {first}"))
            .to_string();
        let order = |bottles: &str| {
            Command::new(interleave)
                .args(["order", bottles, "--port", &port])
                .output()
                .unwrap()
        };
        let first_order = order("18");
        assert!(first_order.status.success());
        assert!(String::from_utf8_lossy(&first_order.stdout).starts_with("18 bottle(s) received"));
        let second = order("45");
        assert!(String::from_utf8_lossy(&second.stdout).starts_with("12 bottle(s) received"));
        let rest: Vec<String> = log.map_while(Result::ok).collect();
        assert!(server.wait().unwrap().success());
        assert!(
            rest.last()
                .unwrap()
                .contains("30 of 30 bottles delivered, 0 left"),
            "{rest:?}"
        );
        // The server is gone: one line, exit 2.
        let late = order("5");
        assert_eq!(late.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&late.stderr);
        assert!(
            stderr.starts_with("interleave: no server at 127.0.0.1:"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        // An order of 0 or 100 bottles never leaves the client.
        for bad in ["0", "100", "many"] {
            let out = order(bad);
            assert_eq!(out.status.code(), Some(2), "{bad}");
        }
    }
}
