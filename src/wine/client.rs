//! `interleave order`: the course's client. It connects, sends its order as two characters,
//! and prints the bottles received, or "order failed" when the server closes without answering.

use super::protocol::{order_request, parse_reply, Reply};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// What an order came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Received(u32),
    /// The server answered with an error.
    Refused(String),
    /// The server closed the connection without an answer (the stock is gone).
    Failed,
}

/// Why no order could be placed.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("no server at {address}")]
    Unavailable {
        address: String,
        source: std::io::Error,
    },
}

/// Orders `bottles` from the server at `address` (`host:port`), waiting at most `timeout` to
/// connect and as long again for the answer.
///
/// # Errors
/// When the address does not resolve or nothing accepts the connection.
pub fn order(address: &str, bottles: u32, timeout: Duration) -> Result<Delivery, OrderError> {
    let unavailable = |source| OrderError::Unavailable {
        address: address.to_string(),
        source,
    };
    let addrs: Vec<_> = address.to_socket_addrs().map_err(unavailable)?.collect();
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "the name has no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e,
        }
    }
    let mut stream = stream.ok_or_else(|| unavailable(last))?;
    let _ = stream.set_read_timeout(Some(timeout));
    if stream.write_all(order_request(bottles).as_bytes()).is_err() {
        return Ok(Delivery::Failed);
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    Ok(match parse_reply(&reply) {
        Some(Reply::Delivered(n)) => Delivery::Received(n),
        Some(Reply::Error(why)) => Delivery::Refused(why),
        None => Delivery::Failed,
    })
}
