//! [`Error`]: what a driver reports, sorted into the kinds a caller acts on differently
//! (transport, timeout, protocol, body cut short, over a limit, undecodable text, misuse),
//! with the [`h1::Error`] or [`std::io::Error`] behind it kept reachable.

use std::fmt;
use std::io;

/// What kind of failure a driver [`Error`] is.
///
/// ```
/// use h1_common::{Error, ErrorKind};
///
/// let e = Error::from_io(std::io::ErrorKind::TimedOut.into());
/// match e.kind() {
///     ErrorKind::Timeout => {} // try again later
///     ErrorKind::Connect | ErrorKind::Transport => panic!("not a transport failure"),
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Connecting failed: the name did not resolve, or no address accepted a connection.
    Connect,
    /// Reading or writing the stream failed (reset, broken pipe, closed before a response).
    Transport,
    /// A timeout elapsed: connecting, waiting for bytes (read idle), or the overall deadline.
    Timeout,
    /// The peer violated HTTP/1.1 (the [`h1::Error`] says how; see [`Error::h1`]).
    Protocol,
    /// The body ended before its framing said it would: fewer bytes than its
    /// Content-Length, or a chunked body without its last chunk.
    BodyCutShort,
    /// A body went over a limit the caller set (for example `bytes(limit)`).
    TooLarge,
    /// Text could not be decoded in its charset, or the charset is unknown.
    Decode,
    /// The caller passed something invalid (a URL, a header, a body of the wrong length)
    /// or called something at the wrong time.
    InvalidInput,
}

/// A driver error: a kind, a message, and the core or I/O error behind it.
///
/// Where a reader must return [`std::io::Error`] (its `Read` implementation), it wraps this
/// error, and the I/O kind is chosen from it: [`io::ErrorKind::UnexpectedEof`] for a body
/// cut short, [`io::ErrorKind::InvalidData`] for a protocol violation or undecodable text,
/// [`io::ErrorKind::TimedOut`] for a timeout. [`Error::from_io`] unwraps it again.
///
/// ```
/// use h1_common::{Error, ErrorKind};
///
/// let e = Error::new(ErrorKind::BodyCutShort, "the body ended after 3 of 10 bytes");
/// let io: std::io::Error = e.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::UnexpectedEof);
/// let back = Error::from_io(io);
/// assert_eq!(back.kind(), ErrorKind::BodyCutShort);
/// assert_eq!(back.message(), "the body ended after 3 of 10 bytes");
/// ```
pub struct Error {
    kind: ErrorKind,
    message: String,
    h1: Option<h1::Error>,
    io: Option<io::Error>,
}

impl Error {
    /// An error of `kind` with a message.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    ///
    /// let e = Error::new(ErrorKind::TooLarge, "the body is over 1 MiB");
    /// assert_eq!(e.kind(), ErrorKind::TooLarge);
    /// assert_eq!(e.to_string(), "the body is over 1 MiB");
    /// assert!(e.h1().is_none() && e.io().is_none());
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            h1: None,
            io: None,
        }
    }

    /// The driver error for a core error: local misuse is [`ErrorKind::InvalidInput`], a
    /// connection closed before any byte of the response ([`h1::Error::is_retry_safe`]) is
    /// [`ErrorKind::Transport`], one closed mid-message [`ErrorKind::BodyCutShort`], any
    /// other peer violation [`ErrorKind::Protocol`].
    ///
    /// ```
    /// let mut conn = h1::Connection::new(h1::Role::Client);
    /// let core = conn.send_data("x".into()).unwrap_err();
    /// let e = h1_common::Error::from_h1(core);
    /// assert_eq!(e.kind(), h1_common::ErrorKind::InvalidInput);
    /// assert!(e.h1().is_some());
    /// ```
    pub fn from_h1(e: h1::Error) -> Self {
        let kind = if e.is_local() {
            ErrorKind::InvalidInput
        } else if e.is_retry_safe() {
            ErrorKind::Transport
        } else if e.kind() == h1::ErrorKind::Incomplete {
            ErrorKind::BodyCutShort
        } else {
            ErrorKind::Protocol
        };
        Self {
            kind,
            message: e.message().to_owned(),
            h1: Some(e),
            io: None,
        }
    }

    /// The driver error for an I/O error: the error itself when `e` wraps one (as the
    /// body readers' `Read` returns), else [`ErrorKind::Timeout`] for `TimedOut` and
    /// `WouldBlock` (what a socket read timeout gives), [`ErrorKind::Transport`] otherwise.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    /// use std::io;
    ///
    /// let e = Error::from_io(io::ErrorKind::WouldBlock.into());
    /// assert_eq!(e.kind(), ErrorKind::Timeout);
    /// let e = Error::from_io(io::ErrorKind::BrokenPipe.into());
    /// assert_eq!(e.kind(), ErrorKind::Transport);
    /// assert_eq!(e.io().map(io::Error::kind), Some(io::ErrorKind::BrokenPipe));
    /// // A driver error wrapped in an I/O error comes back as it was.
    /// let wrapped: io::Error = Error::new(ErrorKind::Decode, "not UTF-8").into();
    /// assert_eq!(Error::from_io(wrapped).kind(), ErrorKind::Decode);
    /// ```
    pub fn from_io(e: io::Error) -> Self {
        if e.get_ref().is_some_and(|inner| inner.is::<Self>()) {
            if let Some(inner) = e.into_inner() {
                if let Ok(ours) = inner.downcast::<Self>() {
                    return *ours;
                }
            }
            return Self::new(ErrorKind::Transport, "an I/O error wrapped twice");
        }
        let kind = match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ErrorKind::Timeout,
            _ => ErrorKind::Transport,
        };
        let message = if kind == ErrorKind::Timeout {
            "timed out waiting for the peer".to_owned()
        } else {
            e.to_string()
        };
        Self {
            kind,
            message,
            h1: None,
            io: Some(e),
        }
    }

    /// The driver error inside an I/O error returned by a body reader, if it is one.
    ///
    /// ```
    /// let io: std::io::Error =
    ///     h1_common::Error::new(h1_common::ErrorKind::Timeout, "read idle for 5 s").into();
    /// assert_eq!(h1_common::Error::in_io(&io).unwrap().message(), "read idle for 5 s");
    /// ```
    pub fn in_io(e: &io::Error) -> Option<&Self> {
        e.get_ref().and_then(|inner| inner.downcast_ref::<Self>())
    }

    /// The same error with `context: ` before its message.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    ///
    /// let e = Error::new(ErrorKind::Connect, "connection refused").context("example.com:80");
    /// assert_eq!(e.message(), "example.com:80: connection refused");
    /// assert_eq!(e.kind(), ErrorKind::Connect);
    /// ```
    #[must_use]
    pub fn context(mut self, context: &str) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The error of a failed request attempt on `h1`, as the core judges it. A stream that
    /// failed (reset, broken pipe) is, for the request, a stream that ended: the core is
    /// told so ([`h1::Connection::receive_eof`]) and asked for its next event. When its
    /// answer is that the connection closed before any byte of a response
    /// ([`h1::Error::is_retry_safe`]), that answer replaces the transport error, whose
    /// message and I/O error are kept. Every other error is returned as it is: a timeout, a
    /// protocol error, a close after some response bytes (the core then says so). Call it
    /// only for a connection that is given up: it is told its stream ended.
    ///
    /// ```
    /// use h1::{Connection, Request, Role};
    /// use h1_common::{Error, ErrorKind};
    ///
    /// let mut conn = Connection::new(Role::Client);
    /// let req = Request::new("GET", "/")?.with_header("Host", "a")?;
    /// let _ = conn.send_request(&req)?;
    /// let _ = conn.send_end()?;
    /// let reset = Error::from_io(std::io::ErrorKind::ConnectionReset.into());
    /// let e = reset.judged_by(&mut conn);
    /// assert_eq!(e.kind(), ErrorKind::Transport);
    /// assert!(e.is_retry_safe()); // no response byte had arrived
    /// assert_eq!(e.io().map(std::io::Error::kind), Some(std::io::ErrorKind::ConnectionReset));
    /// # Ok::<(), h1::Error>(())
    /// ```
    #[must_use]
    pub fn judged_by(self, h1: &mut h1::Connection) -> Self {
        if self.kind != ErrorKind::Transport || self.h1.is_some() {
            return self;
        }
        h1.receive_eof();
        match h1.next_event() {
            Err(core) if core.is_retry_safe() => {
                let mut judged = Self::from_h1(core).context(&self.message);
                judged.io = self.io;
                judged
            }
            _ => self,
        }
    }

    /// The same error with another kind (the message and sources are kept).
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    /// use std::io;
    ///
    /// let e = Error::from_io(io::ErrorKind::ConnectionRefused.into()).with_kind(ErrorKind::Connect);
    /// assert_eq!(e.kind(), ErrorKind::Connect);
    /// assert_eq!(e.io().map(io::Error::kind), Some(io::ErrorKind::ConnectionRefused));
    /// ```
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What kind of error this is.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    ///
    /// let e = Error::from_io(std::io::ErrorKind::ConnectionReset.into());
    /// assert_eq!(e.kind(), ErrorKind::Transport);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What was wrong, in words.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    ///
    /// let e = Error::new(ErrorKind::InvalidInput, "the URL has no host");
    /// assert_eq!(e.message(), "the URL has no host");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The core's error behind this one (kind, message, status hint), if any.
    ///
    /// ```
    /// let mut conn = h1::Connection::new(h1::Role::Server);
    /// conn.receive(b"GET / HTTP/1.1\r\nHost a\r\n\r\n")?;
    /// let e = h1_common::Error::from_h1(conn.next_event().unwrap_err());
    /// assert_eq!(e.kind(), h1_common::ErrorKind::Protocol);
    /// assert_eq!(e.h1().unwrap().status_hint(), Some(400));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn h1(&self) -> Option<&h1::Error> {
        self.h1.as_ref()
    }

    /// The I/O error behind this one, if any.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    /// use std::io;
    ///
    /// let e = Error::from_io(io::ErrorKind::ConnectionAborted.into());
    /// assert_eq!(e.io().map(io::Error::kind), Some(io::ErrorKind::ConnectionAborted));
    /// assert!(Error::new(ErrorKind::Decode, "bad text").io().is_none());
    /// ```
    pub fn io(&self) -> Option<&io::Error> {
        self.io.as_ref()
    }

    /// True when the core's error behind this one is retry-safe
    /// ([`h1::Error::is_retry_safe`]): the connection closed before any byte of a response
    /// to the request arrived. A client retries such a request once on a fresh connection
    /// when its method is idempotent. See [`judged_by`](Self::judged_by) for a stream that
    /// failed rather than ended.
    ///
    /// ```
    /// let mut conn = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("GET", "/")?.with_header("Host", "a")?;
    /// let _ = conn.send_request(&req)?;
    /// let _ = conn.send_end()?;
    /// conn.receive_eof(); // closed before any byte of a response
    /// let e = h1_common::Error::from_h1(conn.next_event().unwrap_err());
    /// assert!(e.is_retry_safe());
    /// assert!(!h1_common::Error::new(h1_common::ErrorKind::Transport, "reset").is_retry_safe());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_retry_safe(&self) -> bool {
        self.h1.as_ref().is_some_and(h1::Error::is_retry_safe)
    }

    /// True for [`ErrorKind::Timeout`].
    ///
    /// ```
    /// use h1_common::Error;
    /// use std::io::ErrorKind;
    ///
    /// assert!(Error::from_io(ErrorKind::TimedOut.into()).is_timeout());
    /// assert!(!Error::from_io(ErrorKind::ConnectionReset.into()).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// The `std::io::ErrorKind` this error is returned as from a `Read` implementation.
    ///
    /// ```
    /// use h1_common::{Error, ErrorKind};
    /// use std::io;
    ///
    /// assert_eq!(Error::new(ErrorKind::Protocol, "x").io_kind(), io::ErrorKind::InvalidData);
    /// assert_eq!(Error::new(ErrorKind::BodyCutShort, "x").io_kind(), io::ErrorKind::UnexpectedEof);
    /// // A transport failure keeps the kind of the I/O error behind it.
    /// let reset = Error::from_io(io::ErrorKind::ConnectionReset.into());
    /// assert_eq!(reset.io_kind(), io::ErrorKind::ConnectionReset);
    /// ```
    pub fn io_kind(&self) -> io::ErrorKind {
        match self.kind {
            ErrorKind::BodyCutShort => io::ErrorKind::UnexpectedEof,
            ErrorKind::Protocol | ErrorKind::Decode | ErrorKind::TooLarge => {
                io::ErrorKind::InvalidData
            }
            ErrorKind::Timeout => io::ErrorKind::TimedOut,
            ErrorKind::InvalidInput => io::ErrorKind::InvalidInput,
            ErrorKind::Connect | ErrorKind::Transport => self
                .io
                .as_ref()
                .map_or(io::ErrorKind::Other, io::Error::kind),
        }
    }
}

impl From<h1::Error> for Error {
    fn from(e: h1::Error) -> Self {
        Self::from_h1(e)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Self::from_io(e)
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        Self::new(e.io_kind(), e)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(h1) = &self.h1 {
            d.field("h1", h1);
        }
        if let Some(io) = &self.io {
            d.field("io", io);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        if let Some(e) = &self.h1 {
            return Some(e);
        }
        self.io
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::asked;

    #[test]
    fn io_kinds_follow_the_driver_kind() {
        for (kind, io_kind) in [
            (ErrorKind::BodyCutShort, io::ErrorKind::UnexpectedEof),
            (ErrorKind::Protocol, io::ErrorKind::InvalidData),
            (ErrorKind::Decode, io::ErrorKind::InvalidData),
            (ErrorKind::Timeout, io::ErrorKind::TimedOut),
            (ErrorKind::InvalidInput, io::ErrorKind::InvalidInput),
        ] {
            let io: io::Error = Error::new(kind, "x").into();
            assert_eq!(io.kind(), io_kind, "{kind:?}");
            assert_eq!(Error::in_io(&io).map(Error::kind), Some(kind));
        }
    }

    #[test]
    fn a_core_error_stays_reachable_through_io() {
        let mut conn = asked(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc");
        conn.receive_eof();
        assert!(matches!(conn.next_event(), Ok(h1::Event::Response(_))));
        assert!(matches!(conn.next_event(), Ok(h1::Event::Data(_))));
        let core = conn.next_event().unwrap_err();
        let io: io::Error = Error::from_h1(core.clone()).into();
        assert_eq!(io.kind(), io::ErrorKind::UnexpectedEof);
        let back = Error::from_io(io);
        assert_eq!(back.kind(), ErrorKind::BodyCutShort);
        assert_eq!(back.h1(), Some(&core));
    }

    fn reset() -> Error {
        Error::from_io(io::ErrorKind::ConnectionReset.into())
    }

    #[test]
    fn a_reset_before_any_response_byte_is_retry_safe() {
        let e = reset().judged_by(&mut asked(b""));
        assert!(e.is_retry_safe());
        assert_eq!(e.kind(), ErrorKind::Transport);
        assert_eq!(e.io_kind(), io::ErrorKind::ConnectionReset);

        // A write that failed half-way: still nothing of a response.
        let mut conn = asked(b"");
        conn.send_failed();
        assert!(reset().judged_by(&mut conn).is_retry_safe());
    }

    #[test]
    fn a_reset_after_response_bytes_is_not_retry_safe() {
        for arrived in [&b"H"[..], b"HTTP/1.1 100 Continue\r\n\r\n"] {
            let mut conn = asked(arrived);
            if arrived.len() > 1 {
                assert!(matches!(conn.next_event(), Ok(h1::Event::Informational(_))));
            }
            let e = reset().judged_by(&mut conn);
            assert!(!e.is_retry_safe(), "{arrived:?}");
            assert_eq!(e.kind(), ErrorKind::Transport);
        }
    }

    #[test]
    fn only_transport_failures_are_judged_again() {
        let timeout = Error::from_io(io::ErrorKind::TimedOut.into());
        let e = timeout.judged_by(&mut asked(b""));
        assert!(e.is_timeout() && !e.is_retry_safe());
        let cut = Error::new(ErrorKind::BodyCutShort, "x").judged_by(&mut asked(b""));
        assert!(!cut.is_retry_safe());
    }

    #[test]
    fn socket_timeouts_are_timeouts() {
        let e = Error::from_io(io::ErrorKind::WouldBlock.into());
        assert!(e.is_timeout());
        let e = Error::from_io(io::ErrorKind::ConnectionReset.into());
        assert_eq!(e.kind(), ErrorKind::Transport);
        assert_eq!(e.io_kind(), io::ErrorKind::ConnectionReset);
    }
}
