//! The course's protocol: the client sends its order as two characters (`"{0:2d}"`: `" 7"`,
//! `"45"`), the server answers with the bottles delivered in two characters. The server closes
//! the connection without an answer once the stock is gone (the client's "Echec commande").
//! Beyond the course: a request that is not an order of 1 to 99 gets `ER` and a reason on one
//! line, and changes nothing.

use std::fmt;

/// The bytes of a request.
pub const REQUEST_LEN: usize = 2;
/// The most bottles one order may ask for.
pub const MAX_ORDER: u32 = 99;

/// Why a request is not an order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRequest {
    #[error("an order is two characters, and the connection closed after {0}")]
    Incomplete(usize),
    #[error(
        "an order is two characters, and {got} came in the {seconds} seconds the server waits"
    )]
    TimedOut { got: usize, seconds: u64 },
    #[error("an order is a number of bottles, and {0:?} is not one")]
    NotANumber(String),
    #[error("an order is of 1 to {MAX_ORDER} bottles, not {0}")]
    OutOfRange(u32),
}

/// Reads an order: two characters, a number right-aligned (`" 7"`, `"07"`, `"45"`), 1 to 99.
pub fn parse_order(request: &[u8]) -> Result<u32, BadRequest> {
    if request.len() < REQUEST_LEN {
        return Err(BadRequest::Incomplete(request.len()));
    }
    let text = String::from_utf8_lossy(request);
    let digits = text.trim_start_matches(' ');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadRequest::NotANumber(text.into_owned()));
    }
    let bottles: u32 = digits.parse().expect("one or two ASCII digits");
    if !(1..=MAX_ORDER).contains(&bottles) {
        return Err(BadRequest::OutOfRange(bottles));
    }
    Ok(bottles)
}

/// An order as the client sends it.
pub fn order_request(bottles: u32) -> String {
    format!("{bottles:2}")
}

/// The server's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Delivered(u32),
    Error(String),
}

impl fmt::Display for Reply {
    /// As it goes on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Delivered(n) => write!(f, "{n:2}"),
            Reply::Error(why) => writeln!(f, "ER {why}"),
        }
    }
}

/// Reads a reply as the client received it; `None` when the server closed without one.
pub fn parse_reply(reply: &[u8]) -> Option<Reply> {
    let text = String::from_utf8_lossy(reply);
    if let Some(why) = text.strip_prefix("ER") {
        return Some(Reply::Error(why.trim().to_string()));
    }
    text.trim().parse().ok().map(Reply::Delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_two_characters_of_1_to_99() {
        assert_eq!(parse_order(b" 7"), Ok(7));
        assert_eq!(parse_order(b"07"), Ok(7));
        assert_eq!(parse_order(b"99"), Ok(99));
        assert_eq!(parse_order(order_request(45).as_bytes()), Ok(45));
        assert_eq!(parse_order(b"4"), Err(BadRequest::Incomplete(1)));
        assert_eq!(parse_order(b""), Err(BadRequest::Incomplete(0)));
        assert_eq!(parse_order(b" 0"), Err(BadRequest::OutOfRange(0)));
        assert!(matches!(parse_order(b"x9"), Err(BadRequest::NotANumber(_))));
        assert!(matches!(parse_order(b"  "), Err(BadRequest::NotANumber(_))));
        assert!(matches!(parse_order(b"-1"), Err(BadRequest::NotANumber(_))));
        assert!(matches!(parse_order(b"7 "), Err(BadRequest::NotANumber(_))));
    }

    #[test]
    fn a_client_that_sends_nothing_is_told_it_timed_out() {
        let why = BadRequest::TimedOut {
            got: 0,
            seconds: 10,
        };
        assert_eq!(
            why.to_string(),
            "an order is two characters, and 0 came in the 10 seconds the server waits"
        );
        assert!(!why.to_string().contains("closed"));
    }

    #[test]
    fn replies_read_back_as_written() {
        for reply in [
            Reply::Delivered(35),
            Reply::Delivered(0),
            Reply::Error("no".into()),
        ] {
            assert_eq!(parse_reply(reply.to_string().as_bytes()), Some(reply));
        }
        assert_eq!(parse_reply(b""), None);
    }
}
