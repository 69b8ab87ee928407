//! Errors: what went wrong, whose fault it was, and which status a server should answer.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use core::num::NonZeroU16;

/// What kind of error happened.
///
/// Kinds fall in two families, told apart by [`Error::is_local`]:
/// the peer violated the protocol (remote), or the caller misused the API (local).
///
/// ```
/// use h1::ErrorKind;
///
/// let err = h1::Request::new("GET", "no spaces allowed").unwrap_err();
/// match err.kind() {
///     ErrorKind::InvalidInput | ErrorKind::InvalidState => assert!(err.is_local()),
///     _ => assert!(!err.is_local()), // the peer's: answer err.status_hint() and close
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Remote: the peer sent bytes that are not valid HTTP/1.1 syntax
    /// (a bad start line, a forbidden character, a bare LF, obs-fold in a request, …).
    Malformed,
    /// Remote: the peer's message framing is invalid or ambiguous (two parsers could
    /// disagree where the message ends): conflicting Content-Length, Transfer-Encoding
    /// with Content-Length in a request, `chunked` twice, a bad chunk size, …
    Framing,
    /// Remote: a quantity the peer controls went over a configured [`Limits`](crate::Limits) value.
    TooLarge,
    /// Remote: in line mode, a body line went over [`Limits::max_line_length`](crate::Limits::max_line_length).
    LineTooLong,
    /// Remote: an HTTP major version other than 1 (`HTTP/1.2` to `HTTP/1.9` are read as
    /// HTTP/1.1).
    UnsupportedVersion,
    /// Remote: a transfer coding this crate does not implement.
    NotImplemented,
    /// Remote: the peer closed the connection in the middle of a message.
    Incomplete,
    /// Remote: bytes arrived when none may (after a final message, or before any request).
    Unexpected,
    /// Local: the call is not allowed in the connection's current state.
    InvalidState,
    /// Local: the caller passed something invalid: a header name or value that would
    /// corrupt the output, more body bytes than the Content-Length announced, …
    InvalidInput,
}

/// An error from a [`Connection`](crate::Connection).
///
/// Carries a [`kind`](Error::kind), a message naming what was wrong, and for errors
/// caused by the peer the status a server should answer with ([`Error::status_hint`]).
///
/// One pointer wide: errors are rare, and a small `Result<Event, Error>` keeps the hot
/// paths that return it cheap.
///
/// ```
/// use h1::{Connection, ErrorKind, Role};
///
/// // Local: we misused the API; nothing changed, and the connection goes on.
/// let mut server = Connection::new(Role::Server);
/// let err = server.send_data("early".into()).unwrap_err();
/// assert!(err.is_local());
/// assert_eq!((err.kind(), err.status_hint()), (ErrorKind::InvalidState, None));
///
/// // Remote: the peer broke the protocol; the status to answer with before closing.
/// server.receive(b"GET / HTTP/3.0\r\nHost: a\r\n\r\n")?;
/// let err = server.next_event().unwrap_err();
/// assert!(!err.is_local());
/// assert_eq!((err.kind(), err.status_hint()), (ErrorKind::UnsupportedVersion, Some(505)));
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    /// The status a server answers with; `None` for local errors.
    status: Option<NonZeroU16>,
    /// The connection closed before a response to the request began.
    retry_safe: bool,
    message: Cow<'static, str>,
    /// Where the offending byte is (see [`Error::offset`]).
    offset: Option<u64>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self::build(kind, message.into())
    }

    #[cold]
    #[inline(never)]
    fn build(kind: ErrorKind, message: Cow<'static, str>) -> Self {
        Self(Box::new(Inner {
            kind,
            status: status_of(kind),
            retry_safe: false,
            message,
            offset: None,
        }))
    }

    /// The peer sent invalid syntax (400).
    pub(crate) fn malformed(message: &'static str) -> Self {
        Self::new(ErrorKind::Malformed, message)
    }

    /// The peer's framing is invalid (400).
    pub(crate) fn framing(message: &'static str) -> Self {
        Self::new(ErrorKind::Framing, message)
    }

    /// The peer went over `limit`, whose value is `max`: the one way such an error is
    /// built, with the limit's kind, status and words.
    #[cold]
    #[inline(never)]
    pub(crate) fn over(limit: Limit, max: u64) -> Self {
        let subject = limit.subject();
        let message: String = match limit {
            Limit::HeaderCount | Limit::TrailerCount => {
                alloc::format!("{subject} (more than {max})")
            }
            Limit::LineLength => {
                alloc::format!("{subject} is longer than the limit of {max} bytes")
            }
            Limit::DeclaredBody(length) => alloc::format!(
                "Content-Length {length} is larger than the body limit of {max} bytes"
            ),
            _ => alloc::format!("{subject} is larger than the limit of {max} bytes"),
        };
        let mut e = Self::new(limit.kind(), message);
        e.0.status = NonZeroU16::new(limit.status());
        e
    }

    pub(crate) fn incomplete(message: &'static str) -> Self {
        Self::new(ErrorKind::Incomplete, message)
    }

    /// The peer closed the connection before any byte of a response to our request: the
    /// one early close after which the request may be retried ([`Error::is_retry_safe`]).
    pub(crate) fn closed_before_response() -> Self {
        let mut e =
            Self::incomplete("the connection closed before a response to the request began");
        e.0.retry_safe = true;
        e
    }

    pub(crate) fn state(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::InvalidState, message)
    }

    pub(crate) fn input(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// What kind of error this is.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// let err = server.receive(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")
    ///     .and_then(|()| server.next_event().map(|_| ()))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), h1::ErrorKind::Malformed);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// A human-readable description of what was wrong.
    ///
    /// ```
    /// let err = h1::Response::new(600).unwrap_err();
    /// assert!(!err.message().is_empty());
    /// println!("{}", err.message());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// True when the caller misused the API ([`ErrorKind::InvalidState`],
    /// [`ErrorKind::InvalidInput`]); false when the peer violated the protocol.
    ///
    /// ```
    /// assert!(h1::Response::new(600).unwrap_err().is_local()); // our mistake
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// let err = server.receive(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")
    ///     .and_then(|()| server.next_event().map(|_| ()))
    ///     .unwrap_err();
    /// assert!(!err.is_local()); // the peer's
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_local(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::InvalidState | ErrorKind::InvalidInput
        )
    }

    /// True for one error only: the connection closed before any byte of a response to
    /// our request arrived (kind [`ErrorKind::Incomplete`], client role). A kept-alive
    /// connection that the server closed while idle looks like this, so a client may send
    /// the request again on a new connection, if the request is idempotent (RFC 9110
    /// §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE) or otherwise known safe to repeat:
    /// the server may have acted on it before closing. Every other error, closes in the
    /// middle of a head or body included, is false.
    ///
    /// ```
    /// use h1::{Connection, ErrorKind, Request, Role};
    ///
    /// let mut client = Connection::new(Role::Client);
    /// let req = Request::new("GET", "/")?.with_header("Host", "a")?;
    /// let _ = client.send_request(&req)?;
    /// let _ = client.send_end()?;
    /// client.receive_eof(); // the server closed without answering
    /// let e = client.next_event().unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::Incomplete);
    /// assert!(e.is_retry_safe());
    ///
    /// let mut client = Connection::new(Role::Client);
    /// let _ = client.send_request(&req)?;
    /// let _ = client.send_end()?;
    /// client.receive(b"HTTP/1.1 200 OK\r\n")?;
    /// client.receive_eof(); // closed in the middle of the head: not safe
    /// assert!(!client.next_event().unwrap_err().is_retry_safe());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_retry_safe(&self) -> bool {
        self.0.retry_safe
    }

    /// For errors caused by the peer, the status a server should answer with before it
    /// closes the connection: 400, 413, 414, 431, 501 or 505. `None` for local errors, and
    /// for every error of a [`Role::Client`](crate::Role::Client) connection: a client
    /// answers nothing (its [`Display`](core::fmt::Display) then names no status either).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// let err = server.receive(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")
    ///     .and_then(|()| server.next_event().map(|_| ()))
    ///     .unwrap_err();
    /// assert_eq!(err.status_hint(), Some(400)); // answer 400, then close
    /// assert_eq!(h1::Response::new(600).unwrap_err().status_hint(), None);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn status_hint(&self) -> Option<u16> {
        self.0.status.map(NonZeroU16::get)
    }

    /// For errors caused by the peer, where the offending byte is: its offset counted from
    /// the first byte of the message being received (the first byte of its head; empty
    /// lines before a head are not part of it). A head's bytes come first, then the body's
    /// as they arrived, framing included (chunk-size lines, the CRLFs after chunk data,
    /// the trailer section). `None` for local errors.
    ///
    /// What "the offending byte" is, by kind of error: the first byte that cannot stand
    /// where it is (a control character, a bare CR or LF, a byte not allowed in a method,
    /// field name or chunk size); for a limit, the first byte past it (for a field count,
    /// the first byte of the field one too many; for a head that does not end within
    /// `max_head_size`, its last byte within the limit); for a field whose value is wrong
    /// or not allowed (Content-Length, Transfer-Encoding, Host, a framing field in the
    /// trailer section), the first byte of that value or field; for an HTTP/1.1 request
    /// without Host, the empty line that ends its head; for a connection that closed in
    /// the middle of a message, the byte that did not arrive (the count of bytes of the
    /// message received); for bytes where no message may begin, 0.
    ///
    /// The offset depends only on the bytes, never on how they were split into reads.
    ///
    /// ```
    /// use h1::{Connection, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n")?;
    /// let err = server.next_event().unwrap_err();
    /// assert_eq!(err.offset(), Some(28)); // the space in "Bad Name"
    /// assert!(err.to_string().ends_with("at byte 28 (answer 400)"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn offset(&self) -> Option<u64> {
        self.0.offset
    }

    /// The same error, at `offset` (kept if one is set already).
    #[cold]
    #[inline(never)]
    pub(crate) fn at(mut self, offset: usize) -> Self {
        self.0.offset.get_or_insert(offset as u64);
        self
    }

    /// The same error, `n` bytes before the position an offset is counted from until
    /// [`Self::shifted`] moves it (kept if one is set already).
    #[cold]
    #[inline(never)]
    pub(crate) fn before(mut self, n: usize) -> Self {
        self.0.offset.get_or_insert(0u64.wrapping_sub(n as u64));
        self
    }

    /// The same error with its offset moved on by `base`, or at `base` if it had none: an
    /// offset found relative to some position of the message becomes one from its start.
    /// (Wrapping: one set by [`Self::before`] lies before that position.)
    #[cold]
    #[inline(never)]
    pub(crate) fn shifted(mut self, base: u64) -> Self {
        self.0.offset = Some(self.0.offset.unwrap_or(0).wrapping_add(base));
        self
    }

    /// The same error without a status: in the client role there is no one to answer.
    pub(crate) fn without_status(mut self) -> Self {
        self.0.status = None;
        self
    }

    pub(crate) fn with_context(mut self, context: &str) -> Self {
        let mut m = String::from(context);
        m.push_str(": ");
        m.push_str(&self.0.message);
        self.0.message = Cow::Owned(m);
        self
    }
}

/// The status a server answers an error of `kind` with, unless the error is about a limit
/// ([`Limit::status`]).
fn status_of(kind: ErrorKind) -> Option<NonZeroU16> {
    let status = match kind {
        ErrorKind::TooLarge | ErrorKind::LineTooLong => 413,
        ErrorKind::UnsupportedVersion => 505,
        ErrorKind::NotImplemented => 501,
        ErrorKind::InvalidState | ErrorKind::InvalidInput => return None,
        ErrorKind::Malformed
        | ErrorKind::Framing
        | ErrorKind::Incomplete
        | ErrorKind::Unexpected => 400,
    };
    NonZeroU16::new(status)
}

/// A [`Limits`](crate::Limits) value a peer can go over: which status a server answers,
/// and how the error names it. The one table of limit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// `max_head_size`.
    HeadSize,
    /// `max_headers`, in a head.
    HeaderCount,
    /// `max_start_line`, on a request line.
    RequestLine,
    /// `max_start_line`, on a status line.
    StatusLine,
    /// `max_chunk_line`.
    ChunkLine,
    /// `max_trailer_size`.
    TrailerSize,
    /// `max_headers`, in a trailer section.
    TrailerCount,
    /// `max_line_length`, in line mode.
    LineLength,
    /// `max_body_size`, passed by the body received so far.
    BodySize,
    /// `max_body_size`, passed by the Content-Length given (the length).
    DeclaredBody(u64),
}

impl Limit {
    /// The status a server answers with.
    pub(crate) const fn status(self) -> u16 {
        match self {
            // RFC 6585 §5: Request Header Fields Too Large.
            Self::HeadSize | Self::HeaderCount | Self::TrailerSize | Self::TrailerCount => 431,
            // RFC 9110 §15.5.15: the target is what makes a request line long.
            Self::RequestLine => 414,
            // No status names these: a client never answers, a chunk line is framing.
            Self::StatusLine | Self::ChunkLine => 400,
            // RFC 9110 §15.5.14: Content Too Large.
            Self::LineLength | Self::BodySize | Self::DeclaredBody(_) => 413,
        }
    }

    const fn kind(self) -> ErrorKind {
        match self {
            Self::LineLength => ErrorKind::LineTooLong,
            _ => ErrorKind::TooLarge,
        }
    }

    /// What went over the limit, as the error message names it.
    const fn subject(self) -> &'static str {
        match self {
            Self::HeadSize => "the head",
            Self::HeaderCount => "too many header fields",
            Self::RequestLine => "the request line",
            Self::StatusLine => "the status line",
            Self::ChunkLine => "a chunk-size line",
            Self::TrailerSize => "the trailer section",
            Self::TrailerCount => "too many trailer fields",
            Self::LineLength => "a body line",
            Self::BodySize | Self::DeclaredBody(_) => "the body",
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("status_hint", &self.status_hint())
            .field("message", &self.0.message)
            .field("offset", &self.0.offset)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(offset) = self.0.offset {
            write!(f, " at byte {offset}")?;
        }
        if let Some(status) = self.status_hint() {
            write!(f, " (answer {status})")?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_hints() {
        let e = Error::malformed("bad");
        assert!(!e.is_local());
        assert_eq!(e.status_hint(), Some(400));
        let e = Error::over(Limit::HeadSize, 10);
        assert_eq!(e.status_hint(), Some(431));
        assert_eq!(e.message(), "the head is larger than the limit of 10 bytes");
        let e = Error::state("no");
        assert!(e.is_local());
        assert_eq!(e.status_hint(), None);
        assert_eq!(
            Error::new(ErrorKind::UnsupportedVersion, "v").status_hint(),
            Some(505)
        );
        assert_eq!(
            Error::new(ErrorKind::NotImplemented, "x").status_hint(),
            Some(501)
        );
    }

    /// Each limit names itself and its value in its own words.
    #[test]
    fn limit_messages() {
        let cases = [
            (Limit::HeaderCount, "too many header fields (more than 2)"),
            (Limit::TrailerCount, "too many trailer fields (more than 2)"),
            (
                Limit::LineLength,
                "a body line is longer than the limit of 2 bytes",
            ),
            (
                Limit::DeclaredBody(9),
                "Content-Length 9 is larger than the body limit of 2 bytes",
            ),
            (
                Limit::ChunkLine,
                "a chunk-size line is larger than the limit of 2 bytes",
            ),
        ];
        for (limit, message) in cases {
            assert_eq!(Error::over(limit, 2).message(), message);
        }
    }

    /// What `{:?}` shows: kind, status hint, message and offset.
    #[test]
    fn debug_shows_every_part() {
        let e = Error::framing("bad").at(7);
        assert_eq!(
            alloc::format!("{e:?}"),
            r#"Error { kind: Framing, status_hint: Some(400), message: "bad", offset: Some(7) }"#
        );
        let e = Error::state("no");
        assert_eq!(
            alloc::format!("{e:?}"),
            r#"Error { kind: InvalidState, status_hint: None, message: "no", offset: None }"#
        );
    }

    #[test]
    fn offsets_move_and_show() {
        let e = Error::framing("bad");
        assert_eq!(e.offset(), None);
        assert_eq!(e.clone().at(3).offset(), Some(3));
        // The first offset set stays.
        assert_eq!(e.clone().at(3).at(5).offset(), Some(3));
        assert_eq!(e.clone().at(3).shifted(10).offset(), Some(13));
        assert_eq!(e.clone().shifted(10).offset(), Some(10));
        assert_eq!(e.clone().before(4).shifted(10).offset(), Some(6));
        assert_eq!(
            alloc::format!("{}", e.at(3).shifted(10)),
            "bad at byte 13 (answer 400)"
        );
        assert_eq!(
            alloc::format!("{}", Error::framing("bad").at(1).without_status()),
            "bad at byte 1"
        );
    }

    #[test]
    fn display_names_status() {
        let e = Error::framing("two Content-Length values");
        assert_eq!(
            alloc::format!("{e}"),
            "two Content-Length values (answer 400)"
        );
    }
}
