//! What a server driver decides beyond the core and without I/O: the response that answers
//! a peer's protocol error, and what becomes of a request body the handler left unread.
//!
//! Both answers are pure functions of what the core reports, so the blocking and the async
//! server make the same choice.

use core::time::Duration;

use bytes::Bytes;
use h1::{Error, ErrorKind, Limits, Response};

/// A server's knobs, with their defaults; the same for the blocking and the async server.
///
/// ```
/// use std::time::Duration;
/// let mut config = h1_common::server::ServerConfig::default();
/// config.max_connections = 64;
/// config.header_timeout = Duration::from_secs(5);
/// assert_eq!(config.idle_timeout, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The most connections served at once. At the cap the server stops accepting until
    /// one ends: new clients wait in the kernel's listen backlog (they are neither refused
    /// nor answered until then). Default 256.
    pub max_connections: usize,
    /// How long a client may take to send a request head, from its first byte (or from the
    /// accept, for a new connection) to its empty line: a deadline for the whole head, so
    /// a client trickling a byte at a time is cut off too. When part of a head had
    /// arrived, the server answers `408 Request Timeout` with `Connection: close` and
    /// closes (RFC 9110 §15.5.9); a connection on which nothing arrived is closed without
    /// an answer ([`head_error_response`]). Default 10 s.
    pub header_timeout: Duration,
    /// How long a kept-alive connection may wait for the first byte of its next request;
    /// then it is closed without an answer. Default 30 s.
    pub idle_timeout: Duration,
    /// The longest wait for each read of a request body; the connection is then closed.
    /// Default 30 s.
    pub body_timeout: Duration,
    /// The longest wait for each write to the client; the connection is then closed.
    /// Default 30 s.
    pub write_timeout: Duration,
    /// The most bytes of a request body the server reads and throws away when the handler
    /// left it unread, to keep the connection ([`unread_body`]). Default 256 KiB.
    pub drain_limit: u64,
    /// On graceful shutdown, how long in-flight requests may take to finish before their
    /// connections are closed. Default 10 s.
    pub shutdown_timeout: Duration,
    /// The protocol limits of every connection. Default [`Limits::default`].
    pub limits: Limits,
    /// The buffer tuning of every connection (read size, when memory is given back).
    /// Default [`h1::Buffers::default`].
    pub buffers: h1::Buffers,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            drain_limit: 256 * 1024,
            shutdown_timeout: Duration::from_secs(10),
            limits: Limits::default(),
            buffers: h1::Buffers::default(),
        }
    }
}

/// The response a server writes before it closes a connection whose peer broke the
/// protocol: the error's [`status_hint`](Error::status_hint) (400, 413, 414, 431, 501,
/// 505), `Connection: close`, and a one-line plain-text body naming what was wrong.
///
/// `None` when no response should be written: for a local error (the server's own misuse,
/// which the peer did not cause), and when the peer closed the connection in the middle of
/// a message ([`ErrorKind::Incomplete`]): nobody is left to read an answer.
///
/// ```
/// let mut server = h1::Connection::new(h1::Role::Server);
/// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")?;
/// let err = server.next_event().unwrap_err();
///
/// let answer = h1_common::server::error_response(&err).expect("a remote error");
/// assert_eq!(answer.head.status(), 400);
/// assert_eq!(answer.head.headers().get("connection"), Some(&b"close"[..]));
/// assert!(std::str::from_utf8(&answer.body)?.starts_with("400 Bad Request: "));
///
/// // The head and body go out through the connection, which frames them.
/// let mut wire = server.send_response(&answer.head)?.to_vec();
/// wire.extend(server.send_data(answer.body)?.to_vec());
/// wire.extend(server.send_end()?.to_vec());
/// assert!(wire.starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn error_response(err: &Error) -> Option<ErrorResponse> {
    if err.kind() == ErrorKind::Incomplete {
        return None;
    }
    closing_response(err.status_hint()?, err.message())
}

/// The response a server writes when waiting for a request head failed with the driver's
/// error `err`, `received` bytes of that head being buffered:
///
/// - a protocol error: [`error_response`];
/// - the head deadline ([`ServerConfig::header_timeout`]) passed with part of a head
///   received: `408 Request Timeout`, `Connection: close` (RFC 9110 §15.5.9);
/// - no byte of a request arrived (a new connection never used, a kept-alive one left
///   idle), or the socket failed: `None`, the connection is closed without an answer, as
///   browsers that open connections ahead of time expect.
///
/// ```
/// use h1_common::{Error, ErrorKind};
/// use h1_common::server::head_error_response;
///
/// let timeout = Error::new(ErrorKind::Timeout, "the deadline passed");
/// let answer = head_error_response(&timeout, 12).expect("part of a head arrived");
/// assert_eq!(answer.head.status(), 408);
/// assert_eq!(answer.head.headers().get_str("connection"), Some("close"));
/// assert_eq!(head_error_response(&timeout, 0), None); // nothing arrived: a silent close
/// ```
pub fn head_error_response(err: &crate::Error, received: usize) -> Option<ErrorResponse> {
    if err.is_timeout() {
        return (received > 0)
            .then(|| closing_response(408, "the request head did not arrive in time"))
            .flatten();
    }
    error_response(err.h1()?)
}

/// A response with `status`, `Connection: close` and `"<status> <reason>: <message>\n"`.
fn closing_response(status: u16, message: &str) -> Option<ErrorResponse> {
    let head = Response::new(status).ok()?;
    let reason = String::from_utf8_lossy(head.reason()).into_owned();
    let body = Bytes::from(format!("{status} {reason}: {message}\n"));
    let head = head
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .and_then(|h| h.with_header("Content-Length", body.len().to_string()))
        .and_then(|h| h.with_header("Connection", "close"))
        .ok()?;
    Some(ErrorResponse { head, body })
}

/// The answer to a handler that failed (returned an error, panicked, or answered `1xx`):
/// `500 Internal Server Error` with a plain-text body. The server adds the framing and
/// `Connection: close`, as to any reply.
///
/// ```
/// let answer = h1_common::server::handler_failed();
/// assert_eq!(answer.head.status(), 500);
/// assert!(!answer.head.headers().contains("connection"));
/// ```
pub fn handler_failed() -> ErrorResponse {
    let head = Response::new(500)
        .and_then(|r| r.with_header("Content-Type", "text/plain; charset=utf-8"))
        .unwrap_or_else(|_| unreachable!("a fixed, valid head"));
    ErrorResponse {
        head,
        body: Bytes::from_static(b"500 Internal Server Error: the handler failed\n"),
    }
}

/// The length a reply head is sent with, written by the core apart from the head's fields
/// ([`Connection::send_response_with_length`](h1::Connection::send_response_with_length)):
/// the body's `known_len`, unless the head frames itself (`Content-Length` or
/// `Transfer-Encoding` given by the handler) or its status takes no body (204, 304). A
/// response to `HEAD` keeps it: it tells the length the body would have.
///
/// ```
/// use h1_common::server::reply_length;
///
/// assert_eq!(reply_length(&h1::Response::new(200)?, Some(5)), Some(5));
/// assert_eq!(reply_length(&h1::Response::new(200)?, None), None); // chunked
/// assert_eq!(reply_length(&h1::Response::new(204)?, Some(0)), None);
/// let framed = h1::Response::new(200)?.with_header("Content-Length", "5")?;
/// assert_eq!(reply_length(&framed, Some(5)), None);
/// # Ok::<(), h1::Error>(())
/// ```
pub fn reply_length(head: &Response, known_len: Option<u64>) -> Option<u64> {
    let len = known_len?;
    let framed =
        head.headers().contains("content-length") || head.headers().contains("transfer-encoding");
    (!framed && !matches!(head.status(), 204 | 304)).then_some(len)
}

/// Sends a reply head through the core: with the length [`reply_length`] gives, written
/// by the core (one call, nothing allocated for the field), or as it is.
///
/// # Errors
/// The core's refusal, as [`Connection::send_response`](h1::Connection::send_response).
///
/// ```
/// use h1::{Connection, Event, Role};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
/// let Event::Request(_) = server.next_event()? else { panic!() };
/// let head = h1_common::server::send_reply_head(&mut server, &h1::Response::new(200)?, Some(2))?;
/// assert_eq!(head.to_vec(), b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
/// # Ok::<(), h1::Error>(())
/// ```
pub fn send_reply_head(
    conn: &mut h1::Connection,
    head: &Response,
    known_len: Option<u64>,
) -> Result<h1::Output, Error> {
    match reply_length(head, known_len) {
        Some(len) => conn.send_response_with_length(head, len),
        None => conn.send_response(head),
    }
}

/// Adds `Content-Length: len` to a reply head whose body has a known length `len`, when
/// [`reply_length`] gives one: for a caller that wants the field in the head itself.
///
/// # Errors
/// None in practice (the field is valid); as [`h1::Headers::append`].
///
/// ```
/// let mut head = h1::Response::new(200)?;
/// h1_common::server::frame_reply(&mut head, Some(5))?;
/// assert_eq!(head.headers().get_str("content-length"), Some("5"));
/// let mut empty = h1::Response::new(204)?;
/// h1_common::server::frame_reply(&mut empty, Some(0))?;
/// assert!(!empty.headers().contains("content-length"));
/// # Ok::<(), h1::Error>(())
/// ```
pub fn frame_reply(head: &mut Response, known_len: Option<u64>) -> Result<(), Error> {
    if let Some(len) = reply_length(head, known_len) {
        let mut digits = [0u8; 20];
        head.headers_mut()
            .append("Content-Length", decimal(len, &mut digits))?;
    }
    Ok(())
}

/// `n` in decimal, written at the end of `buf` (20 bytes hold any `u64`): a field value
/// made without an allocation.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// Takes the end of a request that has no body ([`Framing::None`](crate::Framing::None),
/// as the core decided it) from the core, which hands it out right after the head: no
/// body state is needed for it.
///
/// # Errors
/// The core's error, or [`crate::ErrorKind::Protocol`] for any event but the end (which
/// the core does not give after a head without a body).
///
/// ```
/// use h1::{Connection, Event, Role};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
/// let Event::Request(_) = server.next_event()? else { panic!() };
/// h1_common::server::end_without_body(&mut server)?;
/// assert_eq!(server.their_state(), h1::State::Done);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn end_without_body(conn: &mut h1::Connection) -> Result<(), crate::Error> {
    match conn.next_event()? {
        h1::Event::EndOfMessage(_) => Ok(()),
        _ => Err(crate::Error::new(
            crate::ErrorKind::Protocol,
            "a request without a body did not end after its head",
        )),
    }
}

/// How long to pause after a failed `accept`: not at all for a client that reset before
/// it was accepted or an interrupted call, a moment otherwise (out of file descriptors or
/// the like: let connections end).
///
/// ```
/// use std::io::{Error, ErrorKind};
/// use h1_common::server::accept_pause;
/// assert_eq!(accept_pause(&Error::from(ErrorKind::ConnectionAborted)), None);
/// assert!(accept_pause(&Error::other("too many open files")).is_some());
/// ```
pub fn accept_pause(e: &std::io::Error) -> Option<Duration> {
    match e.kind() {
        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::Interrupted => None,
        _ => Some(Duration::from_millis(20)),
    }
}

/// A response the server makes itself: see [`error_response`] and [`handler_failed`].
///
/// ```
/// let answer = h1_common::server::handler_failed();
/// assert_eq!(answer.head.status(), 500);
/// assert!(answer.body.starts_with(b"500 Internal Server Error"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The head: the status, `Content-Type`; for a protocol error's answer also
    /// `Content-Length` and `Connection: close`.
    pub head: Response,
    /// The body: `"<status> <reason>: <what was wrong>\n"`.
    pub body: Bytes,
}

/// What a server does with the rest of a request body its handler did not read, before it
/// sends the response: see [`unread_body`].
///
/// ```
/// use h1_common::server::{unread_body, BodyLeft, UnreadBody};
///
/// match unread_body(BodyLeft::unfinished(false, Some(10)), 1024) {
///     UnreadBody::Drain { limit } => assert_eq!(limit, 1024), // 10 bytes left: read them away
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnreadBody {
    /// Nothing is left: the body was read to its end (or there was none).
    Done,
    /// Read the rest and throw it away, up to `limit` more bytes; if the body goes on past
    /// that, stop and close the connection after the response.
    Drain {
        /// The most bytes to read and discard.
        limit: u64,
    },
    /// Do not read on: send the response with `Connection: close` and close.
    Close,
}

/// What is known about the request body when the handler returns: see [`unread_body`].
///
/// ```
/// use h1_common::server::BodyLeft;
///
/// let left = BodyLeft::unfinished(true, Some(100)); // the client waits for 100 Continue
/// assert!(!left.finished && left.waiting_for_continue);
/// assert_eq!(left.remaining, Some(100));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyLeft {
    /// The body was read to its end (the core handed out `EndOfMessage`).
    pub finished: bool,
    /// The client sent `Expect: 100-continue` and still waits for an answer
    /// ([`Connection::client_is_waiting_for_100_continue`](h1::Connection::client_is_waiting_for_100_continue)).
    pub waiting_for_continue: bool,
    /// The bytes still to come, when the framing says (what remains of a Content-Length);
    /// `None` for a chunked body.
    pub remaining: Option<u64>,
}

/// The two states a server reports: a body read to its end, or not.
///
/// ```
/// use h1_common::server::BodyLeft;
///
/// assert!(BodyLeft::finished().finished);
/// assert!(!BodyLeft::unfinished(false, None).finished);
/// ```
impl BodyLeft {
    /// A body read to its end.
    ///
    /// ```
    /// let left = h1_common::server::BodyLeft::finished();
    /// assert_eq!((left.finished, left.remaining), (true, Some(0)));
    /// ```
    pub fn finished() -> Self {
        Self {
            finished: true,
            waiting_for_continue: false,
            remaining: Some(0),
        }
    }

    /// A body not read to its end: whether the client still waits for `100 Continue`, and
    /// the bytes still to come when the framing says (`None` for a chunked body).
    ///
    /// ```
    /// let left = h1_common::server::BodyLeft::unfinished(false, None); // chunked, part read
    /// assert!(!left.finished && !left.waiting_for_continue);
    /// ```
    pub fn unfinished(waiting_for_continue: bool, remaining: Option<u64>) -> Self {
        Self {
            finished: false,
            waiting_for_continue,
            remaining,
        }
    }
}

/// Decides what becomes of the request body a handler left unread, so the connection can
/// be reused only when the next request's first byte is where the core will look for it.
///
/// - A finished body: [`UnreadBody::Done`].
/// - A client still waiting for `100 Continue`: it was never told to send its body, so the
///   server answers without reading it and closes ([`UnreadBody::Close`]); a client that
///   goes on to send the body anyway would otherwise have it taken for its next request.
/// - A known remainder above `drain_limit`: [`UnreadBody::Close`] at once, rather than
///   read bytes nobody wants.
/// - Otherwise [`UnreadBody::Drain`] with `drain_limit`: reading a small rest keeps the
///   connection (and the client's pool) warm.
///
/// ```
/// use h1_common::server::{unread_body, BodyLeft, UnreadBody};
///
/// assert_eq!(unread_body(BodyLeft::finished(), 1024), UnreadBody::Done);
/// assert_eq!(unread_body(BodyLeft::unfinished(true, Some(10)), 1024), UnreadBody::Close);
/// assert_eq!(unread_body(BodyLeft::unfinished(false, Some(1 << 20)), 1024), UnreadBody::Close);
/// assert_eq!(
///     unread_body(BodyLeft::unfinished(false, None), 1024),
///     UnreadBody::Drain { limit: 1024 }
/// );
/// ```
pub fn unread_body(left: BodyLeft, drain_limit: u64) -> UnreadBody {
    if left.finished {
        UnreadBody::Done
    } else if left.waiting_for_continue || left.remaining.is_some_and(|n| n > drain_limit) {
        UnreadBody::Close
    } else {
        UnreadBody::Drain { limit: drain_limit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h1::{Connection, Event, Role};

    fn error_of(input: &[u8]) -> Error {
        let mut server = Connection::new(Role::Server);
        server.receive(input).unwrap();
        loop {
            match server.next_event() {
                Ok(Event::NeedData) => server.receive_eof(),
                Ok(_) => {}
                Err(e) => return e,
            }
        }
    }

    #[test]
    fn each_status_hint_becomes_a_closing_response() {
        for (input, status) in [
            (&b"GARBAGE\r\n\r\n"[..], 400),
            (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
            (
                b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                501,
            ),
        ] {
            let err = error_of(input);
            let answer = error_response(&err).unwrap();
            assert_eq!(answer.head.status(), status, "{err:?}");
            assert_eq!(answer.head.headers().get("connection"), Some(&b"close"[..]));
            let len = answer.head.headers().get_str("content-length").unwrap();
            assert_eq!(len, answer.body.len().to_string());
            let text = std::str::from_utf8(&answer.body).unwrap();
            assert!(text.starts_with(&format!("{status} ")), "{text}");
            assert!(text.contains(err.message()), "{text}");
        }
    }

    #[test]
    fn a_long_target_is_414_and_a_large_head_431() {
        let mut limits = h1::Limits::default();
        limits.max_start_line = 64;
        limits.max_head_size = 128;
        let mut server = Connection::with_limits(Role::Server, limits);
        let long = format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "a".repeat(100));
        server.receive(long.as_bytes()).unwrap();
        let err = server.next_event().unwrap_err();
        assert_eq!(error_response(&err).unwrap().head.status(), 414);
    }

    #[test]
    fn no_answer_to_a_peer_that_left_or_to_our_own_misuse() {
        let err = error_of(b"GET / HTTP/1.1\r\nHost: a\r\n");
        assert_eq!(err.kind(), ErrorKind::Incomplete);
        assert_eq!(error_response(&err), None);

        let mut server = Connection::new(Role::Server);
        let local = server.send_data(Bytes::from_static(b"x")).unwrap_err();
        assert!(local.is_local());
        assert_eq!(error_response(&local), None);
    }

    #[test]
    fn a_head_timeout_is_408_only_when_part_of_a_head_arrived() {
        let timeout = crate::Error::new(crate::ErrorKind::Timeout, "the deadline passed");
        let answer = head_error_response(&timeout, 1).unwrap();
        assert_eq!(answer.head.status(), 408);
        assert_eq!(answer.head.headers().get_str("connection"), Some("close"));
        let text = std::str::from_utf8(&answer.body).unwrap();
        assert!(text.starts_with("408 Request Timeout: "), "{text}");
        assert_eq!(head_error_response(&timeout, 0), None);

        let reset = crate::Error::new(crate::ErrorKind::Transport, "reset");
        assert_eq!(head_error_response(&reset, 10), None);

        let bad = crate::Error::from_h1(error_of(b"GARBAGE\r\n\r\n"));
        assert_eq!(head_error_response(&bad, 11).unwrap().head.status(), 400);
    }

    #[test]
    fn lengths_in_decimal() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 13, 999, 1 << 20, u64::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[test]
    fn unread_body_decisions() {
        let limit = 100;
        assert_eq!(unread_body(BodyLeft::finished(), limit), UnreadBody::Done);
        assert_eq!(
            unread_body(BodyLeft::unfinished(true, None), limit),
            UnreadBody::Close
        );
        assert_eq!(
            unread_body(BodyLeft::unfinished(false, Some(100)), limit),
            UnreadBody::Drain { limit }
        );
        assert_eq!(
            unread_body(BodyLeft::unfinished(false, Some(101)), limit),
            UnreadBody::Close
        );
        assert_eq!(
            unread_body(BodyLeft::unfinished(false, None), limit),
            UnreadBody::Drain { limit }
        );
    }
}
