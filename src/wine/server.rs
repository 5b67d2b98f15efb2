//! `interleave serve`: the threaded wine server. The main thread accepts connections and hands
//! each to a thread of its own (the course's exercise); every thread serves one order from the
//! shared [`Cellar`] and answers. When a delivery empties the cellar, the server stops accepting,
//! lets the threads still serving finish, and returns what happened. Clients that arrive as it
//! stops (the one its last accept returns, and those still waiting in the listener's backlog)
//! are turned away as the course's last client is: their order read, the connection closed
//! without an answer ("order failed"), never reset.

use super::protocol::{parse_order, BadRequest, Reply, REQUEST_LEN};
use crate::models::wine_stock::Cellar;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// How long a client may take to send its order.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What became of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handled {
    /// Answered; `emptied` when this delivery took the last bottle and closed the cellar.
    Served { emptied: bool },
    /// Not an order (or cut short): answered with an error, nothing taken.
    BadRequest,
    /// The reply could not be sent: the bottles went back to the stock.
    HungUp,
    /// The stock was gone: closed without an answer.
    TurnedAway,
}

/// The server's account when it stops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub initial: i64,
    pub delivered: i64,
    pub remaining: i64,
    pub orders_served: usize,
    pub bad_requests: usize,
    pub hung_up: usize,
    pub turned_away: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} orders served, {} of {} bottles delivered, {} left; {} bad requests, {} clients \
             hung up before their answer, {} turned away",
            self.orders_served,
            self.delivered,
            self.initial,
            self.remaining,
            self.bad_requests,
            self.hung_up,
            self.turned_away
        )
    }
}

/// Serves orders from a cellar of `stock` bottles on `listener` until the stock is gone,
/// printing the course's log lines when `verbose`.
///
/// # Errors
/// When the listener's address cannot be read.
pub fn serve(listener: &TcpListener, stock: i64, verbose: bool) -> io::Result<Summary> {
    let cellar = Cellar::new(stock);
    let wake = wake_address(listener.local_addr()?);
    let log = |line: String| {
        if verbose {
            println!("{line}");
        }
    };
    log(format!(
        "server started on {}, {stock} bottle(s) in stock",
        listener.local_addr()?
    ));
    let mut handled = Vec::new();
    let mut turned_away_at_the_door = 0;
    std::thread::scope(|scope| {
        let mut threads = Vec::new();
        let mut order = 0u64;
        while cellar.tally().open && stock > 0 {
            let (stream, peer) = match listener.accept() {
                Ok(connection) => connection,
                Err(e) => {
                    log(format!("cannot accept a connection: {e}"));
                    continue;
                }
            };
            if !cellar.tally().open {
                // The wake-up call, or a client arriving as the server stops: closed without an
                // answer, as the course's last client ("Echec commande").
                if turn_away(stream) {
                    turned_away_at_the_door += 1;
                }
                break;
            }
            order += 1;
            log(format!("connected to {peer}"));
            let (cellar, log) = (&cellar, &log);
            threads.push(scope.spawn(move || {
                let outcome = handle(stream, order, cellar, log);
                if outcome == (Handled::Served { emptied: true }) {
                    // Unblock the accept above: the server stops.
                    let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
                }
                outcome
            }));
        }
        handled.extend(
            threads
                .into_iter()
                .map(|t| t.join().expect("a client thread")),
        );
    });
    turned_away_at_the_door += drain_backlog(listener);
    let tally = cellar.tally();
    let count = |what: fn(&Handled) -> bool| handled.iter().filter(|h| what(h)).count();
    let summary = Summary {
        initial: stock,
        delivered: tally.delivered,
        remaining: tally.remaining,
        orders_served: cellar.orders_served(),
        bad_requests: count(|h| *h == Handled::BadRequest),
        hung_up: count(|h| *h == Handled::HungUp),
        turned_away: count(|h| *h == Handled::TurnedAway) + turned_away_at_the_door,
    };
    log(format!("server stopped: {summary}"));
    Ok(summary)
}

/// Closes a connection that came after the stock ran out, as the course's server does: without
/// an answer. Its order is read first, since closing a socket with unread data resets the
/// connection instead of closing it. Returns whether it brought an order (the server's own
/// wake-up call brings nothing).
fn turn_away(mut stream: TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let (request, _) = read_request(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    !request.is_empty()
}

/// Turns away every client still waiting in the listener's backlog; returns how many.
fn drain_backlog(listener: &TcpListener) -> usize {
    if listener.set_nonblocking(true).is_err() {
        return 0;
    }
    let mut turned = 0;
    while let Ok((stream, _)) = listener.accept() {
        let _ = stream.set_nonblocking(false);
        if turn_away(stream) {
            turned += 1;
        }
    }
    let _ = listener.set_nonblocking(false);
    turned
}

/// Reads, serves and answers one order.
fn handle(mut stream: TcpStream, order: u64, cellar: &Cellar, log: &dyn Fn(String)) -> Handled {
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "a client".to_string(), |a| a.to_string());
    let (request, timed_out) = read_request(&mut stream);
    let parsed = if timed_out && request.len() < REQUEST_LEN {
        Err(BadRequest::TimedOut {
            got: request.len(),
            seconds: READ_TIMEOUT.as_secs(),
        })
    } else {
        parse_order(&request)
    };
    let bottles = match parsed {
        Ok(bottles) => bottles,
        Err(why) => {
            log(format!("bad request from {peer}: {why}"));
            let _ = stream.write_all(Reply::Error(why.to_string()).to_string().as_bytes());
            return Handled::BadRequest;
        }
    };
    log(format!("order of {bottles} bottle(s) -> {peer}"));
    let Some(taken) = cellar.take(i64::from(bottles)) else {
        return Handled::TurnedAway;
    };
    let reply = Reply::Delivered(u32::try_from(taken).expect("at most 99 bottles"));
    if stream.write_all(reply.to_string().as_bytes()).is_err() {
        cellar.give_back(taken);
        log(format!("{peer} hung up: {taken} bottle(s) back in stock"));
        return Handled::HungUp;
    }
    let emptied = cellar.confirm(order, taken);
    let left = cellar.tally().remaining;
    log(format!(
        "delivered {taken} bottle(s) -> {peer}; {left} bottle(s) left in stock"
    ));
    Handled::Served { emptied }
}

/// The request's bytes: two, or fewer if the client stopped sending; and whether it stopped by
/// letting the read time out (rather than by closing).
fn read_request(stream: &mut TcpStream) -> (Vec<u8>, bool) {
    let mut request = vec![0; REQUEST_LEN];
    let mut got = 0;
    let mut timed_out = false;
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    while got < REQUEST_LEN {
        match stream.read(&mut request[got..]) {
            Ok(0) => break,
            Err(e) => {
                timed_out = matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
                break;
            }
            Ok(n) => got += n,
        }
    }
    request.truncate(got);
    (request, timed_out)
}

/// Where to connect to wake the accept loop: the listener's own address, on loopback when it
/// listens on every interface.
fn wake_address(mut addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}
