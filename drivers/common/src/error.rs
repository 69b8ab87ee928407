//! [`Error`]: what a driver reports, sorted into the kinds a caller acts on differently
//! (transport, timeout, protocol, body cut short, over a limit, undecodable text, misuse),
//! with the [`h1::Error`] or [`std::io::Error`] behind it kept reachable.

use std::fmt;
use std::io;

/// What kind of failure a driver [`Error`] is.
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
    retry_safe: bool,
}

impl Error {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            h1: None,
            io: None,
            retry_safe: false,
        }
    }

    /// The driver error for a core error: local misuse is [`ErrorKind::InvalidInput`], a
    /// connection closed mid-message is [`ErrorKind::BodyCutShort`], any other peer
    /// violation [`ErrorKind::Protocol`].
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
            retry_safe: false,
        }
    }

    /// The driver error for an I/O error: the error itself when `e` wraps one (as the
    /// body readers' `Read` returns), else [`ErrorKind::Timeout`] for `TimedOut` and
    /// `WouldBlock` (what a socket read timeout gives), [`ErrorKind::Transport`] otherwise.
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
            retry_safe: false,
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
    #[must_use]
    pub fn context(mut self, context: &str) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The same error, marked as safe (or not) to retry on a fresh connection.
    #[must_use]
    pub fn with_retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = safe;
        self
    }

    /// The same error with another kind (the message and sources are kept).
    #[must_use]
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What was wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The core's error behind this one (kind, message, status hint), if any.
    pub fn h1(&self) -> Option<&h1::Error> {
        self.h1.as_ref()
    }

    /// The I/O error behind this one, if any.
    pub fn io(&self) -> Option<&io::Error> {
        self.io.as_ref()
    }

    /// True when the request provably had no effect on the peer's answer: the connection
    /// failed before any byte of a response arrived. A client retries such a request once
    /// on a fresh connection when its method is idempotent.
    pub fn is_retry_safe(&self) -> bool {
        self.retry_safe
    }

    /// True for [`ErrorKind::Timeout`].
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// The `std::io::ErrorKind` this error is returned as from a `Read` implementation.
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
        d.field("retry_safe", &self.retry_safe).finish()
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
        let mut conn = h1::Connection::new(h1::Role::Client);
        let req = h1::Request::new("GET", "/")
            .unwrap()
            .with_header("Host", "a")
            .unwrap();
        let _ = conn.send_request(&req).unwrap();
        let _ = conn.send_end().unwrap();
        conn.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc")
            .unwrap();
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

    #[test]
    fn socket_timeouts_are_timeouts() {
        let e = Error::from_io(io::ErrorKind::WouldBlock.into());
        assert!(e.is_timeout());
        let e = Error::from_io(io::ErrorKind::ConnectionReset.into());
        assert_eq!(e.kind(), ErrorKind::Transport);
        assert_eq!(e.io_kind(), io::ErrorKind::ConnectionReset);
    }
}
