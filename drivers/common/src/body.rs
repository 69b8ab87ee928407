//! The state of one incoming body as a caller reads it, without I/O: which body mode the
//! connection is in, whether the message ended, its trailers, how much was delivered, and
//! the limit checks of `bytes(limit)`. A driver calls [`BodyState::next_data`],
//! [`BodyState::next_line`] or [`BodyState::read`] and, on [`Piece::NeedData`], reads from
//! its stream into the connection and calls again. Splitting pieces (at most N bytes) and
//! lines (LF, CRLF, lone CR) is the core's [`h1::BodyMode`]; nothing is buffered here, so
//! a caller may switch between bytes, pieces and lines at any point.

use bytes::{Bytes, BytesMut};
use h1::{BodyMode, Connection, Event, Headers};

use crate::error::{Error, ErrorKind};

/// What the next step of a body read gave.
///
/// ```
/// use h1::{Connection, Event, Role};
/// use h1_common::{BodyState, Framing, Piece};
///
/// let mut conn = Connection::new(Role::Server);
/// conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nab\r\n")?;
/// let Event::Request(req) = conn.next_event()? else { panic!() };
/// let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
/// assert_eq!(body.next_line(&mut conn)?, Piece::Line("ab".into()));
/// assert_eq!(body.next_data(&mut conn, 10)?, Piece::NeedData);
/// conn.receive(b"cd")?;
/// assert_eq!(body.next_data(&mut conn, 10)?, Piece::Data("cd".into()));
/// assert_eq!(body.next_data(&mut conn, 10)?, Piece::End);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Piece {
    /// Body bytes: never empty, never longer than asked.
    Data(Bytes),
    /// One line, without its terminator.
    Line(Bytes),
    /// The body ended (trailers in [`BodyState::trailers`]).
    End,
    /// Nothing buffered: read from the stream into the connection, then call again.
    NeedData,
}

/// How the incoming message is framed, as far as a reader needs to know it.
///
/// ```
/// use h1::{Connection, Event, Role};
/// use h1_common::Framing;
///
/// let mut conn = Connection::new(Role::Server);
/// conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")?;
/// let Event::Request(_) = conn.next_event()? else { panic!() };
/// match Framing::incoming(&conn) {
///     Framing::Length(n) => panic!("a chunked body has no length, not {n}"),
///     Framing::None => panic!("a body follows"),
///     Framing::Unknown => {} // known at the end
///     _ => unreachable!(),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// No body follows the head (a response to HEAD, 1xx, 204, 304; a request without
    /// Content-Length or Transfer-Encoding).
    None,
    /// Exactly this many bytes.
    Length(u64),
    /// Chunked, or delimited by the peer closing: the length is known at the end.
    Unknown,
}

impl Framing {
    /// The framing of the body whose head `conn` handed out last, as the core decided it
    /// ([`h1::Connection::incoming_framing`]): drivers never work it out from the header
    /// fields again. Before any head of the cycle, the length is taken as unknown.
    ///
    /// ```
    /// use h1::{Connection, Event, Role};
    /// use h1_common::Framing;
    ///
    /// let mut conn = Connection::new(Role::Server);
    /// conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n")?;
    /// let Event::Request(_) = conn.next_event()? else { panic!() };
    /// assert_eq!(Framing::incoming(&conn), Framing::Length(12));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn incoming(conn: &Connection) -> Self {
        match conn.incoming_framing() {
            Some(h1::Framing::NoBody) => Self::None,
            Some(h1::Framing::Length(n)) => Self::Length(n),
            _ => Self::Unknown,
        }
    }

    /// The length, when the head gave one.
    ///
    /// ```
    /// use h1_common::Framing;
    ///
    /// assert_eq!(Framing::Length(12).length(), Some(12));
    /// assert_eq!(Framing::None.length(), Some(0));
    /// assert_eq!(Framing::Unknown.length(), None);
    /// ```
    pub fn length(&self) -> Option<u64> {
        match self {
            Self::None => Some(0),
            Self::Length(n) => Some(*n),
            Self::Unknown => None,
        }
    }
}

/// The reading state of one incoming body; see the module docs.
///
/// ```
/// use h1::{Connection, Event, Role};
/// use h1_common::{BodyState, Framing, Piece};
///
/// let mut conn = Connection::new(Role::Server);
/// conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello\nworld")?;
/// let Ok(Event::Request(req)) = conn.next_event() else { panic!() };
/// let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
/// assert_eq!(body.next_data(&mut conn, 3)?, Piece::Data("hel".into()));
/// assert_eq!(body.next_line(&mut conn)?, Piece::Line("lo".into()));
/// assert_eq!(body.next_line(&mut conn)?, Piece::Line("world".into()));
/// assert_eq!(body.next_line(&mut conn)?, Piece::End);
/// assert_eq!(body.delivered(), 11);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct BodyState {
    framing: Framing,
    content_type: Option<Bytes>,
    done: bool,
    trailers: Headers,
    delivered: u64,
}

impl BodyState {
    /// The state of a body that starts now, after a head with `framing` and `headers`.
    ///
    /// ```
    /// use h1::{Connection, Event, Role};
    /// use h1_common::{BodyState, Framing, Piece};
    ///
    /// let mut conn = Connection::new(Role::Server);
    /// conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")?;
    /// let Event::Request(req) = conn.next_event()? else { panic!() };
    /// let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!((body.framing(), body.delivered()), (Framing::Length(5), 0));
    /// assert_eq!(body.next_data(&mut conn, 100)?, Piece::Data("hello".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(framing: Framing, headers: &Headers) -> Self {
        Self {
            framing,
            content_type: headers.get("content-type").map(Bytes::copy_from_slice),
            done: false,
            trailers: Headers::new(),
            delivered: 0,
        }
    }

    /// The state of a message that has no body ([`Framing::None`]), already at its end:
    /// what a reader of a `GET` request sees. `content_type` is the head's value, if any.
    ///
    /// ```
    /// use h1_common::{BodyState, Framing};
    ///
    /// let state = BodyState::without_body(None);
    /// assert!(state.is_done());
    /// assert_eq!(state.framing(), Framing::None);
    /// assert_eq!(state.content_length(), Some(0));
    /// ```
    pub fn without_body(content_type: Option<Bytes>) -> Self {
        Self {
            framing: Framing::None,
            content_type,
            done: true,
            trailers: Headers::new(),
            delivered: 0,
        }
    }

    /// The framing the head announced.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.framing(), Framing::Unknown);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The Content-Length, when the head gave one (0 when no body follows).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.content_length(), Some(5));
    /// assert_eq!(BodyState::without_body(None).content_length(), Some(0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.framing.length()
    }

    /// The head's `Content-Type` value.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.content_type(), Some(&b"text/plain"[..]));
    /// assert_eq!(BodyState::without_body(None).content_type(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_type(&self) -> Option<&[u8]> {
        self.content_type.as_deref()
    }

    /// True once the body was read to its end.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert!(!body.is_done());
    /// assert_eq!(body.next_data(&mut conn, 5)?, Piece::Data("hello".into()));
    /// assert!(!body.is_done()); // the end is seen on the next call
    /// assert_eq!(body.next_data(&mut conn, 5)?, Piece::End);
    /// assert!(body.is_done());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Body bytes handed out so far (line terminators included).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\nab\r\ncde")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.next_line(&mut conn)?, Piece::Line("ab".into()));
    /// assert_eq!(body.delivered(), 4);
    /// assert_eq!(body.next_data(&mut conn, 2)?, Piece::Data("cd".into()));
    /// assert_eq!(body.delivered(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// The trailer fields of a chunked body; empty until the end.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nChecksum: 42\r\n\r\n")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.next_data(&mut conn, 100)?, Piece::Data("abc".into()));
    /// assert!(body.trailers().is_empty());
    /// assert_eq!(body.next_data(&mut conn, 100)?, Piece::End);
    /// assert_eq!(body.trailers().get("checksum"), Some(&b"42"[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trailers(&self) -> &Headers {
        &self.trailers
    }

    /// Refuses a body announced longer than `limit` before any of it is read.
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`] when the Content-Length is over `limit`.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, ErrorKind, Framing};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// let body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// let e = body.check_announced(1024).unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::TooLarge);
    /// assert!(body.check_announced(5000).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_announced(&self, limit: u64) -> Result<(), Error> {
        match self.framing {
            Framing::Length(n) if n > limit => Err(too_large(limit, Some(n))),
            _ => Ok(()),
        }
    }

    /// The next piece of at most `max` bytes (at least 1). `usize::MAX` gives whatever is
    /// buffered, as one piece: nothing waits to fill a piece.
    ///
    /// # Errors
    /// The connection's error ([`Error::from_h1`]): a body cut short, a protocol violation.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nhello")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.next_data(&mut conn, 3)?, Piece::Data("hel".into()));
    /// assert_eq!(body.next_data(&mut conn, usize::MAX)?, Piece::Data("lo".into()));
    /// assert_eq!(body.next_data(&mut conn, 3)?, Piece::NeedData);
    /// conn.receive_eof(); // three bytes short
    /// let e = body.next_data(&mut conn, 3).unwrap_err();
    /// assert_eq!(e.kind(), h1_common::ErrorKind::BodyCutShort);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_data(&mut self, conn: &mut Connection, max: usize) -> Result<Piece, Error> {
        if self.done {
            return Ok(Piece::End);
        }
        self.set_mode(conn, BodyMode::Data { max: max.max(1) })?;
        match conn.next_event()? {
            Event::Data(piece) => {
                self.delivered += piece.len() as u64;
                Ok(Piece::Data(piece))
            }
            other => self.other(other),
        }
    }

    /// The next line, without its terminator (LF, CRLF or a lone CR); lines longer than
    /// the connection's [`h1::Limits::max_line_length`] are an error.
    ///
    /// # Errors
    /// As [`next_data`](Self::next_data), and [`ErrorKind::Protocol`] for a line too long.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\none\r\ntwo\r")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert_eq!(body.next_line(&mut conn)?, Piece::Line("one".into()));
    /// assert_eq!(body.next_line(&mut conn)?, Piece::Line("two".into()));
    /// assert_eq!(body.next_line(&mut conn)?, Piece::End);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_line(&mut self, conn: &mut Connection) -> Result<Piece, Error> {
        if self.done {
            return Ok(Piece::End);
        }
        self.set_mode(conn, BodyMode::Lines)?;
        let before = conn.buffered();
        match conn.next_event()? {
            Event::LineComplete(line) => {
                // Terminators count as delivered: they were consumed from the stream.
                self.delivered += (before - conn.buffered()) as u64;
                Ok(Piece::Line(line))
            }
            other => self.other(other),
        }
    }

    /// Copies body bytes into `buf`: `Ok(Some(n))` with `n > 0` bytes, `Ok(Some(0))` at the
    /// end of the body, `Ok(None)` when the connection needs data first. Pieces are cut to
    /// `buf`'s length by the connection, so nothing is held back between calls.
    ///
    /// # Errors
    /// As [`next_data`](Self::next_data).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// let mut buf = [0; 4];
    /// assert_eq!(body.read(&mut conn, &mut buf)?, Some(4));
    /// assert_eq!(&buf, b"hell");
    /// assert_eq!(body.read(&mut conn, &mut buf)?, Some(1));
    /// assert_eq!(body.read(&mut conn, &mut buf)?, Some(0)); // the end
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(&mut self, conn: &mut Connection, buf: &mut [u8]) -> Result<Option<usize>, Error> {
        if buf.is_empty() {
            return Ok(Some(0));
        }
        match self.next_data(conn, buf.len())? {
            Piece::Data(piece) => {
                buf[..piece.len()].copy_from_slice(&piece);
                Ok(Some(piece.len()))
            }
            Piece::End => Ok(Some(0)),
            _ => Ok(None),
        }
    }

    /// Reads on through what the connection already buffered, without I/O, and reports
    /// whether the body ended: a caller that drops a response whose rest already arrived
    /// can then reuse the connection.
    ///
    /// # Errors
    /// As [`next_data`](Self::next_data).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_common::{BodyState, Framing, Piece};
    /// # let mut conn = Connection::new(Role::Server);
    /// # conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello")?;
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # let mut body = BodyState::new(Framing::incoming(&conn), req.headers());
    /// assert!(!body.finish_buffered(&mut conn)?); // five bytes still to come
    /// conn.receive(b"world")?;
    /// assert!(body.finish_buffered(&mut conn)?);
    /// assert!(body.is_done());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish_buffered(&mut self, conn: &mut Connection) -> Result<bool, Error> {
        loop {
            match self.next_data(conn, usize::MAX)? {
                Piece::Data(_) => {}
                Piece::End => return Ok(true),
                _ => return Ok(false),
            }
        }
    }

    fn set_mode(&mut self, conn: &mut Connection, mode: BodyMode) -> Result<(), Error> {
        if conn.body_mode() != mode {
            conn.set_body_mode(mode)?;
        }
        Ok(())
    }

    fn other(&mut self, event: Event) -> Result<Piece, Error> {
        match event {
            Event::EndOfMessage(trailers) => {
                self.done = true;
                self.trailers = trailers;
                Ok(Piece::End)
            }
            Event::NeedData => Ok(Piece::NeedData),
            other => Err(Error::new(
                ErrorKind::Protocol,
                format!("unexpected {} in the middle of a body", event_name(&other)),
            )),
        }
    }
}

fn event_name(e: &Event) -> &'static str {
    match e {
        Event::Request(_) => "request",
        Event::Response(_) => "response",
        Event::Informational(_) => "informational response",
        Event::Data(_) => "data",
        Event::LineComplete(_) => "line",
        Event::EndOfMessage(_) => "end of message",
        Event::ConnectionClosed => "close",
        Event::Paused => "pause",
        _ => "event",
    }
}

fn too_large(limit: u64, announced: Option<u64>) -> Error {
    let message = match announced {
        Some(n) => format!("the body is {n} bytes (Content-Length), over the limit of {limit}"),
        None => format!("the body is larger than the limit of {limit} bytes"),
    };
    Error::new(ErrorKind::TooLarge, message)
}

/// Gathers a whole body, refusing to go past a limit: what `bytes(limit)` and
/// `text(limit)` use.
///
/// ```
/// let mut all = h1_common::Collect::new(5);
/// all.push(&"abc".into())?;
/// assert!(all.push(&"def".into()).is_err());
/// # Ok::<(), h1_common::Error>(())
/// ```
#[derive(Debug)]
pub struct Collect {
    buf: BytesMut,
    limit: u64,
}

impl Collect {
    /// An empty collection that takes at most `limit` bytes.
    ///
    /// ```
    /// let all = h1_common::Collect::new(1024);
    /// assert_eq!(all.room(), 1025);
    /// assert_eq!(all.finish(), "");
    /// ```
    pub fn new(limit: u64) -> Self {
        Self {
            buf: BytesMut::new(),
            limit,
        }
    }

    /// The most a read should ask for next, so a piece never takes the total past the
    /// limit by more than one byte (which is then refused).
    ///
    /// ```
    /// let mut all = h1_common::Collect::new(4);
    /// assert_eq!(all.room(), 5);
    /// all.push(&"abc".into())?;
    /// assert_eq!(all.room(), 2);
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn room(&self) -> usize {
        let left = self.limit.saturating_sub(self.buf.len() as u64);
        usize::try_from(left.saturating_add(1)).unwrap_or(usize::MAX)
    }

    /// Adds a piece.
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`] when the total goes over the limit.
    ///
    /// ```
    /// let mut all = h1_common::Collect::new(4);
    /// all.push(&"ab".into())?;
    /// all.push(&"cd".into())?;
    /// let e = all.push(&"e".into()).unwrap_err();
    /// assert_eq!(e.kind(), h1_common::ErrorKind::TooLarge);
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn push(&mut self, piece: &Bytes) -> Result<(), Error> {
        if self.buf.len() as u64 + piece.len() as u64 > self.limit {
            return Err(too_large(self.limit, None));
        }
        if self.buf.is_empty() {
            self.buf.reserve(piece.len());
        }
        self.buf.extend_from_slice(piece);
        Ok(())
    }

    /// Everything gathered.
    ///
    /// ```
    /// let mut all = h1_common::Collect::new(100);
    /// all.push(&"hello, ".into())?;
    /// all.push(&"world".into())?;
    /// assert_eq!(all.finish(), "hello, world");
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn finish(self) -> Bytes {
        self.buf.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_with(wire: &[u8]) -> (Connection, BodyState) {
        let mut conn = crate::tests::asked(wire);
        let Ok(Event::Response(res)) = conn.next_event() else {
            panic!("no response head")
        };
        let state = BodyState::new(Framing::incoming(&conn), res.headers());
        (conn, state)
    }

    #[test]
    fn pieces_never_exceed_max_across_modes() {
        let (mut conn, mut body) = client_with(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nabc\ndef\r\n3\r\nghi\r\n0\r\nX-T: 1\r\n\r\n",
        );
        let mut got = Vec::new();
        let mut buf = [0u8; 2];
        assert_eq!(body.read(&mut conn, &mut buf).unwrap(), Some(2));
        got.extend_from_slice(&buf);
        assert_eq!(body.next_line(&mut conn).unwrap(), Piece::Line("c".into()));
        loop {
            match body.next_data(&mut conn, 2).unwrap() {
                Piece::Data(d) => {
                    assert!(d.len() <= 2);
                    got.extend_from_slice(&d);
                }
                Piece::End => break,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(got, b"abdefghi");
        assert_eq!(body.trailers().get("x-t"), Some(&b"1"[..]));
        assert_eq!(body.delivered(), 10);
        assert_eq!(body.next_data(&mut conn, 1).unwrap(), Piece::End);
    }

    #[test]
    fn need_data_then_cut_short() {
        let (mut conn, mut body) =
            client_with(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123");
        assert_eq!(body.content_length(), Some(10));
        assert_eq!(
            body.next_data(&mut conn, 100).unwrap(),
            Piece::Data("0123".into())
        );
        assert_eq!(body.next_data(&mut conn, 100).unwrap(), Piece::NeedData);
        assert!(!body.finish_buffered(&mut conn).unwrap());
        conn.receive_eof();
        let e = body.next_data(&mut conn, 100).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BodyCutShort);
    }

    #[test]
    fn finish_buffered_reuses_when_the_rest_arrived() {
        let (mut conn, mut body) = client_with(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
        assert!(body.finish_buffered(&mut conn).unwrap());
        assert!(body.is_done());
        assert_eq!(conn.their_state(), h1::State::Done);
    }

    #[test]
    fn announced_length_checked_before_reading() {
        let (_, body) = client_with(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        assert_eq!(
            body.check_announced(99).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert!(body.check_announced(100).is_ok());
        let (_, body) = client_with(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert!(body.check_announced(0).is_ok());
    }

    #[test]
    fn collect_stops_at_the_limit() {
        let mut all = Collect::new(4);
        assert_eq!(all.room(), 5);
        all.push(&"abcd".into()).unwrap();
        assert_eq!(all.room(), 1);
        assert_eq!(
            all.push(&"e".into()).unwrap_err().kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(all.finish(), "abcd");
    }
}
