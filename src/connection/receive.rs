//! The receive side of [`Connection`]: bytes in, events out.

use bytes::buf::Limit as Window;
use bytes::{Buf, Bytes, BytesMut};

use super::cycle::{informational_accepts, informational_fits, RequestHead, ResponseHead};
use super::Connection;
use crate::error::{Error, ErrorKind, Limit};
use crate::event::{BodyMode, Event, Request, Response, Version};
use crate::framing::{self as rules, Framing, MethodKind};
use crate::headers::{Headers, ProtocolFields};
use crate::read::body::{BodyReader, Step};
use crate::read::framing;
use crate::read::head::{
    bare_cr, bare_lf as parse_bare_lf, control, first_violation, violation_at, HeadScanner,
    Section, Violation,
};
use crate::read::lines::{too_long, Fed};
use crate::read::parse::{self, Attempt};
use crate::state::{Ev, Role, State};

impl Connection {
    /// Appends bytes the peer sent to the receive buffer. Cheap: nothing is parsed until
    /// [`next_event`](Self::next_event).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`] for non-empty `data` after [`receive_eof`](Self::receive_eof).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\n")?; // a head may come in pieces
    /// assert_eq!(server.next_event()?, h1::Event::NeedData);
    /// server.receive(b"Host: a\r\n\r\n")?;
    /// assert!(matches!(server.next_event()?, h1::Event::Request(_)));
    /// server.receive_eof();
    /// assert!(server.receive(b"more").is_err());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn receive(&mut self, data: &[u8]) -> Result<(), Error> {
        if self.eof && !data.is_empty() {
            return Err(Error::state("bytes received after the end of the stream"));
        }
        self.buf.extend(data);
        Ok(())
    }

    /// Lends the driver the free end of the receive buffer (the *receive window*), so a
    /// read from the socket lands where the events will be sliced from: no copy between
    /// the kernel and the events. `read` gets at least
    /// [`Buffers::read_size`](crate::Buffers::read_size) writable bytes and returns how many
    /// it filled (more than the window is taken as all of it) together with any value of
    /// its own, which `read_with` returns. Filling 0 bytes means only that nothing arrived:
    /// at the end of the stream, the driver calls [`receive_eof`](Self::receive_eof).
    ///
    /// The closure's own value is what lets any I/O style through without a detour: a
    /// blocking driver returns its `io::Result`, an async one its `Poll`.
    ///
    /// Cost: safe Rust cannot lend uninitialized memory, so the window is zero-filled on
    /// every call (a `memset` of `read_size` bytes), a `Pending` poll included. A driver
    /// whose read call fills a [`bytes::BufMut`] (tokio's `AsyncReadExt::read_buf`) uses
    /// [`read_buf`](Self::read_buf) instead, which lends the same window uninitialized.
    ///
    /// With `std::io::Read`:
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// use std::io::Read;
    /// let mut conn = h1::Connection::new(h1::Role::Server);
    /// let mut socket: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    /// let n = conn.read_with(|window| match socket.read(window) {
    ///     Ok(n) => (n, Ok(n)),
    ///     Err(e) => (0, Err(e)),
    /// })?;
    /// if n == 0 {
    ///     conn.receive_eof();
    /// }
    /// assert_eq!(n, 27);
    /// assert!(matches!(conn.next_event(), Ok(h1::Event::Request(_))));
    /// # Ok(()) }
    /// ```
    ///
    /// With tokio's `AsyncRead`, inside a `poll_*` function (a sketch: the core does not
    /// depend on tokio):
    ///
    /// ```ignore
    /// fn poll_fill<R: AsyncRead + Unpin>(
    ///     conn: &mut h1::Connection,
    ///     io: &mut R,
    ///     cx: &mut Context<'_>,
    /// ) -> Poll<io::Result<usize>> {
    ///     let polled = conn.read_with(|window| {
    ///         let mut buf = ReadBuf::new(window);
    ///         match Pin::new(&mut *io).poll_read(cx, &mut buf) {
    ///             Poll::Ready(Ok(())) => (buf.filled().len(), Poll::Ready(Ok(buf.filled().len()))),
    ///             Poll::Ready(Err(e)) => (0, Poll::Ready(Err(e))),
    ///             Poll::Pending => (0, Poll::Pending),
    ///         }
    ///     });
    ///     if let Poll::Ready(Ok(0)) = polled {
    ///         conn.receive_eof();
    ///     }
    ///     polled
    /// }
    /// ```
    pub fn read_with<T>(&mut self, read: impl FnOnce(&mut [u8]) -> (usize, T)) -> T {
        self.buf.lend(self.buffers.read_size.max(1), read)
    }

    /// Lends the driver the receive window as a [`bytes::BufMut`]: the spare capacity of
    /// the receive buffer, at least [`Buffers::read_size`](crate::Buffers::read_size) bytes
    /// and at most that many written, *not* zero-filled. A read call that fills a
    /// `BufMut` (tokio's `AsyncReadExt::read_buf`, `tokio_util::io::poll_read_buf`) writes
    /// straight into the buffer the events will be sliced from, and only the bytes that
    /// arrive are touched: no copy and no `memset`, whatever the size of the window, so
    /// this is the cheapest way in for an async driver. The unsafe part (writing into
    /// uninitialized memory, then advancing) is the read call's; the core stays
    /// `forbid(unsafe_code)`.
    ///
    /// The closure must only write through the [`BufMut`](bytes::BufMut) methods (`chunk_mut`,
    /// `advance_mut`, `put_slice`, ...); reaching the buffer itself through
    /// [`Limit::get_mut`](bytes::buf::Limit::get_mut) and changing what it holds is a misuse the connection cannot
    /// detect. At the end of the stream, the driver calls
    /// [`receive_eof`](Self::receive_eof).
    ///
    /// ```
    /// use bytes::BufMut;
    /// let mut conn = h1::Connection::new(h1::Role::Server);
    /// let wire = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    /// let filled = conn.read_buf(|window| {
    ///     let n = wire.len().min(window.remaining_mut());
    ///     window.put_slice(&wire[..n]); // a socket read writes here
    ///     n
    /// });
    /// assert_eq!(filled, 27);
    /// assert!(matches!(conn.next_event(), Ok(h1::Event::Request(_))));
    /// ```
    ///
    /// With tokio, inside a `poll_*` function (a sketch: the core does not depend on
    /// tokio; tokio's `read_buf` future is polled once and dropped when pending, which is
    /// cancel-safe):
    ///
    /// ```ignore
    /// let polled = conn.read_buf(|window| pin!(io.read_buf(window)).poll(cx));
    /// if let Poll::Ready(Ok(0)) = polled {
    ///     conn.receive_eof();
    /// }
    /// ```
    pub fn read_buf<T>(&mut self, read: impl FnOnce(&mut Window<&mut BytesMut>) -> T) -> T {
        self.buf.lend_buf(self.buffers.read_size.max(1), read)
    }

    /// [`read_with`](Self::read_with) for a closure shaped like `std::io::Read::read`: it
    /// returns how many bytes it filled, and a return of 0 is the end of the stream (the
    /// connection then notes it, as [`receive_eof`](Self::receive_eof)).
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// use std::io::Read;
    /// let mut conn = h1::Connection::new(h1::Role::Server);
    /// let mut socket: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    /// let n = conn.read_into(|buf| socket.read(buf))?;
    /// assert_eq!(n, 27);
    /// assert!(matches!(conn.next_event(), Ok(h1::Event::Request(_))));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Whatever `read` returns; the buffer is then as before.
    pub fn read_into<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        let result = self.read_with(|window| match read(window) {
            Ok(n) => (n, Ok(n)),
            Err(e) => (0, Err(e)),
        });
        if let Ok(0) = result {
            self.eof = true;
        }
        result
    }

    /// Tells the connection the peer closed its sending side (a read returned 0 bytes).
    ///
    /// A body delimited by closing ends here; a message cut short becomes an
    /// [`ErrorKind::Incomplete`] error from [`next_event`](Self::next_event):
    ///
    /// ```
    /// use h1::{Connection, ErrorKind, Event, Request, Role};
    ///
    /// let mut client = Connection::new(Role::Client);
    /// let req = Request::new("GET", "/")?.with_header("Host", "a")?;
    /// let _ = client.send_request(&req)?;
    /// let _ = client.send_end()?;
    /// client.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")?;
    /// let Event::Response(_) = client.next_event()? else { panic!() };
    /// assert_eq!(client.next_event()?, Event::Data("hello".into()));
    /// assert_eq!(client.next_event()?, Event::NeedData);
    /// client.receive_eof();
    /// assert_eq!(client.next_event().unwrap_err().kind(), ErrorKind::Incomplete);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn receive_eof(&mut self) {
        self.eof = true;
    }

    /// Bytes received and not yet handed out as events.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next")?;
    /// assert_eq!(server.buffered(), 36);
    /// let _request = server.next_event()?;
    /// assert_eq!(server.buffered(), 9); // the next request's first bytes
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// After a protocol switch (a 101, or a 2xx answer to CONNECT), hands back the bytes
    /// that arrived after the HTTP exchange: they belong to the new protocol.
    ///
    /// ```
    /// use h1::{Connection, Event, Response, Role, State};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// // The client's first WebSocket frame arrives with its Upgrade request.
    /// server.receive(b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n\
    ///                  Upgrade: websocket\r\n\r\n\x81\x02hi")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// assert!(matches!(server.next_event()?, Event::EndOfMessage(_)));
    /// assert_eq!(server.next_event()?, Event::Paused); // until we answer the Upgrade
    ///
    /// let res = Response::new(101)?
    ///     .with_header("Connection", "Upgrade")?
    ///     .with_header("Upgrade", "websocket")?;
    /// let _ = server.send_response(&res)?;
    /// assert_eq!(server.our_state(), State::SwitchedProtocol);
    /// assert_eq!(server.take_trailing_data()?, &b"\x81\x02hi"[..]);
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`] unless the protocol switched.
    pub fn take_trailing_data(&mut self) -> Result<Bytes, Error> {
        if self.our_state() != State::SwitchedProtocol
            && self.their_state() != State::SwitchedProtocol
        {
            return Err(Error::state(
                "trailing data is handed back only after a protocol switch",
            ));
        }
        Ok(self.buf.split().freeze())
    }

    /// The next event from the peer, or what to do to get one: [`Event::NeedData`] (read
    /// more) or [`Event::Paused`] (act first). The answer changes after
    /// [`receive`](Self::receive), [`receive_eof`](Self::receive_eof), our `send_*` calls,
    /// [`set_body_mode`](Self::set_body_mode) and [`start_next_cycle`](Self::start_next_cycle).
    ///
    /// # Errors
    /// A remote error when the peer violated the protocol or a limit:
    /// [`ErrorKind::Malformed`] (bad syntax), [`ErrorKind::Framing`] (a body length two
    /// parsers could read differently), [`ErrorKind::TooLarge`] and
    /// [`ErrorKind::LineTooLong`] (over a [`Limits`](crate::Limits) value),
    /// [`ErrorKind::UnsupportedVersion`], [`ErrorKind::NotImplemented`] (a transfer coding
    /// other than chunked), [`ErrorKind::Incomplete`] (the stream ended in the middle of a
    /// message) or [`ErrorKind::Unexpected`] (bytes where no message may begin). Events
    /// handed out before it stay valid, the peer's state becomes [`State::Error`], the
    /// connection will not be reused, and every later call returns the same error. A
    /// server can still send a response (with the error's
    /// [`status_hint`](Error::status_hint)) before closing.
    ///
    /// ```
    /// use h1::{Connection, ErrorKind, Response, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// // Two lengths that disagree: two parsers could frame this differently.
    /// server.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\
    ///                  Content-Length: 6\r\n\r\nhello!")?;
    /// let err = server.next_event().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Framing);
    /// assert_eq!(err.status_hint(), Some(400));
    /// assert_eq!(server.next_event().unwrap_err(), err); // sticky
    ///
    /// // Answer with the hinted status, then close.
    /// let res = Response::new(err.status_hint().unwrap())?.with_header("Content-Length", "0")?;
    /// let out = server.send_response(&res)?;
    /// assert!(out.to_vec().starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    #[inline]
    pub fn next_event(&mut self) -> Result<Event, Error> {
        // The hot path is inlined into the caller, so its event is built where the caller
        // keeps it: a 104-byte result returned through memory from a call costs a
        // store-forwarding stall when the caller copies it. Everything else is one call.
        match self.hot_event() {
            Some(event) => Ok(event),
            None => self.next_event_cold(),
        }
    }

    /// The events a body is mostly made of, when nothing but slicing is needed: a complete
    /// line already split off (line mode), or body bytes at the front of the buffer inside
    /// a Content-Length body or a chunk (data mode), and `NeedData` when that buffer is
    /// empty. `None` sends the call the long way.
    #[inline(always)]
    fn hot_event(&mut self) -> Option<Event> {
        if self.error.is_some() {
            return None;
        }
        match self.mode {
            BodyMode::Lines if self.lines.has_ready() => self
                .lines
                .cut_ready(self.limits.max_line_length)
                .map(Event::LineComplete),
            BodyMode::Lines => None,
            BodyMode::Data { max } => {
                if !self.lines.is_idle() {
                    return None;
                }
                let n = self.body.as_mut()?.take_in_run(self.buf.len(), max)?;
                self.cycle.body_crossed();
                Some(Event::Data(self.buf.split_to(n).freeze()))
            }
        }
    }

    /// Everything but the hot path.
    #[inline(never)]
    fn next_event_cold(&mut self) -> Result<Event, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if let Some(event) = self.body_run_edge() {
            return Ok(event);
        }
        self.receive_event().map_err(|e| self.fail(e))
    }

    /// The two places where a run of body bytes meets the end of what was received, in data
    /// mode, which each read of a large body passes: the buffer is empty inside the body
    /// (`NeedData`), or a large chunk's framing is whole at its front (taken off, then the
    /// chunk's first bytes as `Data`, see [`BodyReader::next_large_chunk`]). Kept off
    /// [`Self::hot_event`], which every call inlines; `None` for everything else.
    #[inline(always)]
    fn body_run_edge(&mut self) -> Option<Event> {
        let BodyMode::Data { max } = self.mode else {
            return None;
        };
        let body = self.body.as_mut().filter(|_| self.lines.is_idle())?;
        if body.next_large_chunk(&mut self.buf, &self.limits) {
            if let Some(n) = body.take_in_run(self.buf.len(), max) {
                self.cycle.body_crossed();
                return Some(Event::Data(self.buf.split_to(n).freeze()));
            }
        }
        (!self.eof && body.awaits_data(self.buf.len())).then_some(Event::NeedData)
    }

    /// A remote error: remembered, and the connection will not be reused.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, e: Error) -> Error {
        // A client answers nothing: its errors carry no status to answer with.
        let e = match self.role {
            Role::Server => e,
            Role::Client => e.without_status(),
        };
        // Every remote error says where; the few without a byte of their own are at the
        // front of the buffer.
        let e = if e.offset().is_none() && !e.is_local() {
            let here = match (&self.body, self.their_state()) {
                (Some(body), State::SendBody) => body.position(),
                _ => 0,
            };
            e.shifted(here)
        } else {
            e
        };
        self.error = Some(e.clone());
        self.state.no_keep_alive();
        self.state.error(self.role.peer());
        e
    }

    #[inline(always)]
    fn receive_event(&mut self) -> Result<Event, Error> {
        match self.their_state() {
            State::Idle if self.role == Role::Server => self.read_head(),
            State::SendResponse => self.read_head(),
            State::SendBody => self.read_body(),
            State::Idle | State::MustClose if !self.buf.is_empty() => Err(Error::new(
                ErrorKind::Unexpected,
                if self.role == Role::Client {
                    "the server sent bytes when no response was due"
                } else {
                    "the client sent bytes after its last request (Connection: close)"
                },
            )
            .at(0)),
            State::Done if !self.buf.is_empty() => Ok(Event::Paused),
            State::Idle | State::Done | State::MustClose | State::Closed => {
                if self.eof {
                    self.closed()
                } else {
                    Ok(Event::NeedData)
                }
            }
            State::MightSwitchProtocol | State::SwitchedProtocol => Ok(Event::Paused),
            State::Error => Err(Error::state("the peer's side is in error")),
        }
    }

    fn closed(&mut self) -> Result<Event, Error> {
        let peer = self.role.peer();
        if self.state.get(peer) != State::Closed {
            self.state
                .process(peer, Ev::ConnectionClosed, None)
                .map_err(|_| {
                    Error::incomplete("the connection closed in the middle of a message")
                })?;
        }
        Ok(Event::ConnectionClosed)
    }

    fn read_head(&mut self) -> Result<Event, Error> {
        let raw = loop {
            let fresh = self.scanner.is_fresh();
            if fresh {
                // An empty line before a head is skipped (RFC 9112 §2.2); a bare LF is
                // refused.
                match self.buf[..] {
                    [b'\r', b'\n', ..] => {
                        self.buf.advance(2);
                        continue;
                    }
                    [b'\n', ..] => return Err(self.violation(Violation::BareLf).at(0)),
                    [] => return self.no_head_yet(),
                    _ => {}
                }
            }
            // Fast path: the first look at a new head lets httparse find its end. So does
            // a later look when most of a head cut by a read arrived since the last one
            // (what the walk passed holds no violation): the rest need not be walked. (A
            // head that began with an empty line's CR is left to the walk.) Anything but
            // a complete head goes to the positional scanner.
            if fresh || (self.scanner.mostly_new(&self.buf) && !self.buf.starts_with(b"\r")) {
                if let Attempt::Complete(raw) = self.parse_head(&self.buf) {
                    break raw;
                }
            }
            // A head in pieces: only the bytes that arrived since the last look are checked.
            match self.scan_head()? {
                None => return self.no_head_yet(),
                // The head began with "\r" in an earlier read: an empty line after all
                // (the one section two bytes long).
                Some(2) => {
                    self.buf.advance(2);
                    self.scanner = self.fresh_scanner();
                }
                Some(len) => break self.parse_scanned(len)?,
            }
        };
        if !parse::well_formed(&self.buf, &raw, &self.limits) {
            // The positional walk refuses all that `well_formed` does; a safeguard.
            return Err(self
                .positional(raw.len)
                .unwrap_or_else(|| parse_bare_lf().at(raw.len - 1)));
        }
        self.scanner = self.fresh_scanner();
        self.mode = BodyMode::default();
        self.lines.reset();
        if self.role == Role::Server {
            let (req, fields) = parse::into_request(&mut self.buf, raw);
            self.on_request(req, fields)
        } else {
            let (res, fields) = parse::into_response(&mut self.buf, raw);
            self.on_response(res, fields)
        }
    }

    /// One httparse run over `input`, as a request or a response by our role.
    fn parse_head(&self, input: &[u8]) -> Attempt {
        match self.role {
            Role::Server => parse::parse_request(input, &self.limits),
            Role::Client => parse::parse_response(input, &self.limits),
        }
    }

    /// httparse over the complete head of `len` bytes the scanner found; a refusal is
    /// reported as the positional scan would have met it first.
    fn parse_scanned(&self, len: usize) -> Result<parse::Raw, Error> {
        match self.parse_head(&self.buf[..len]) {
            Attempt::Complete(raw) if raw.len == len => Ok(raw),
            Attempt::Complete(_) | Attempt::Partial => {
                Err(self.positional(len).unwrap_or_else(|| {
                    Error::malformed("the head does not end where its empty line is").at(len - 1)
                }))
            }
            Attempt::Invalid(e) => Err(self
                .positional(len)
                .unwrap_or_else(|| e.at(self.locate(len)))),
        }
    }

    /// Where in the complete head of `len` bytes httparse refuses it (see
    /// [`parse::locate`]).
    #[cold]
    fn locate(&self, len: usize) -> usize {
        let head = &self.buf[..len];
        let at = parse::locate(head, |prefix| {
            matches!(self.parse_head(prefix), Attempt::Invalid(_))
        });
        match self.role {
            Role::Server => parse::target_not_utf8(head).map_or(at, |bad| bad.min(at)),
            Role::Client => at,
        }
    }

    /// Runs the positional scanner; `Ok(None)` while the head is incomplete.
    fn scan_head(&mut self) -> Result<Option<usize>, Error> {
        let (max_size, max_first) = (self.limits.max_head_size, self.limits.max_start_line);
        self.scanner
            .scan(&self.buf, max_size, max_first)
            .map_err(|v| self.scan_error(v))
    }

    /// The error of a violation the scanner found in the buffer, at its byte.
    #[cold]
    #[inline(never)]
    fn scan_error(&self, v: Violation) -> Error {
        let (max_size, max_first) = (self.limits.max_head_size, self.limits.max_start_line);
        let at = violation_at(self.section(), &self.buf, v, max_size, max_first);
        self.violation(v).at(at)
    }

    /// No complete head in the buffer: wait, or tell how the stream ended.
    #[inline]
    fn no_head_yet(&mut self) -> Result<Event, Error> {
        if self.eof {
            return self.no_head_at_eof();
        }
        Ok(Event::NeedData)
    }

    /// No complete head in the buffer, and no more bytes will come.
    #[inline(never)]
    fn no_head_at_eof(&mut self) -> Result<Event, Error> {
        if self.buf.is_empty() && self.their_state() == State::SendResponse {
            // A kept-alive connection the server closed before answering: a client may
            // retry an idempotent request on a new connection. After a 1xx the server
            // had begun to answer: not that.
            if self.cycle.informational_seen {
                return Err(Error::incomplete(
                    "the connection closed after an informational response, before the final one",
                )
                .at(0));
            }
            Err(Error::closed_before_response().at(0))
        } else if self.buf.is_empty() {
            self.closed()
        } else {
            Err(self.cut_head())
        }
    }

    /// The stream ended in the middle of a head: at the byte that did not arrive.
    #[cold]
    #[inline(never)]
    fn cut_head(&self) -> Error {
        Error::incomplete("the connection closed in the middle of a head").at(self.buf.len())
    }

    /// What the positional scan finds first in a complete head of `len` bytes.
    fn positional(&self, len: usize) -> Option<Error> {
        let (max_size, max_first) = (self.limits.max_head_size, self.limits.max_start_line);
        first_violation(self.section(), &self.buf, len, max_size, max_first)
            .map(|(v, at)| self.violation(v).at(at))
    }

    fn violation(&self, v: Violation) -> Error {
        match v {
            Violation::BareLf => parse_bare_lf(),
            Violation::TooLarge => self.head_too_large(),
            Violation::FirstLineTooLong => self.start_line_too_long(),
            Violation::Control => control(),
            Violation::BareCr => bare_cr(),
            Violation::StartLine => match self.role {
                Role::Server => Error::malformed("invalid request line (method or target)"),
                Role::Client => {
                    Error::malformed("invalid status line (a response starts with HTTP/1.x)")
                }
            },
            Violation::Version => Error::new(
                ErrorKind::UnsupportedVersion,
                "HTTP version is not HTTP/1.x (HTTP/2.0, HTTP/0.9, …)",
            ),
            Violation::LineEnding => Error::malformed("invalid line ending in the head"),
        }
    }

    /// The head sections this connection receives: requests (server) or responses.
    pub(super) fn section(&self) -> Section {
        match self.role {
            Role::Server => Section::Request,
            Role::Client => Section::Response,
        }
    }

    /// A scanner for the next head this connection receives.
    pub(super) fn fresh_scanner(&self) -> HeadScanner {
        HeadScanner::new(self.section())
    }

    fn head_too_large(&self) -> Error {
        Error::over(Limit::HeadSize, self.limits.max_head_size as u64)
    }

    fn start_line_too_long(&self) -> Error {
        match self.role {
            Role::Server => Error::over(Limit::RequestLine, self.limits.max_start_line as u64),
            Role::Client => Error::over(Limit::StatusLine, self.limits.max_start_line as u64),
        }
    }

    fn on_request(&mut self, req: Request, protocol: ProtocolFields) -> Result<Event, Error> {
        framing::check_host(&req, &protocol)?;
        framing::check_target(&req)?;
        let kind = framing::request_body(&req, &protocol, &self.limits)?;
        // RFC 9110 §10.1.1 and §7.8: an HTTP/1.0 request's 100-continue and Upgrade are
        // ignored; so is 100-continue on a request without a body (nothing to wait for).
        let http11 = req.version() == Version::Http11;
        let head = RequestHead {
            method: MethodKind::of(req.method_bytes()),
            keep_alive: rules::keep_alive(req.version(), req.headers(), &protocol),
            upgrade: http11 && protocol.upgrade() > 0,
            expects_continue: http11
                && !matches!(kind, Framing::NoBody | Framing::Length(0))
                && protocol.expect() != 0
                && req.headers().has_token("expect", "100-continue"),
        };
        self.request_head(head)
            .map_err(|_| Error::state("a request arrived in the wrong state"))?;
        self.peer_version = req.version();
        self.cycle.incoming = Some(kind);
        // The head is all of the request's storage: the body starts after it.
        let head_len = req.headers().storage().len();
        self.body = Some(BodyReader::new(kind, Role::Client, head_len));
        Ok(Event::Request(req))
    }

    fn on_response(&mut self, res: Response, protocol: ProtocolFields) -> Result<Event, Error> {
        self.peer_version = res.version();
        // Any response head ends a wait for 100 Continue, even one refused below.
        self.cycle.expects_continue = false;
        let status = res.status();
        if status < 200 {
            if !informational_fits(status, self.state.pending_switch) {
                return Err(Error::malformed(
                    "101 Switching Protocols answers a request without Upgrade",
                )
                .at(parse::STATUS_AT));
            }
            let head = ResponseHead {
                event: Ev::Informational,
                accepted: informational_accepts(status),
                close: false,
            };
            self.response_head(head).map_err(|_| {
                Error::state("an informational response arrived in the wrong state")
            })?;
            return Ok(Event::Informational(res));
        }
        let method = self.cycle.method;
        let framing::ResponseBody {
            framing: kind,
            must_close,
        } = framing::response_body(&res, &protocol, method, &self.limits)?;
        let head = ResponseHead {
            event: Ev::Response,
            accepted: self
                .state
                .connect_accepted(status, method == MethodKind::Connect),
            close: must_close || !rules::keep_alive(res.version(), res.headers(), &protocol),
        };
        self.response_head(head)
            .map_err(|_| Error::state("a response arrived in the wrong state"))?;
        self.cycle.incoming = Some(kind);
        self.body = head
            .accepted
            .is_none()
            .then(|| BodyReader::new(kind, Role::Server, res.headers().storage().len()));
        Ok(Event::Response(res))
    }

    /// The body path past what [`Self::hot_event`] does: framing, ends, line assembly, and
    /// the first event after them.
    fn read_body(&mut self) -> Result<Event, Error> {
        let Some(body) = self.body.as_mut() else {
            return Err(Error::state("no body reader for a message in SendBody"));
        };
        loop {
            match self.mode {
                BodyMode::Lines => {
                    // Complete lines already taken off the buffer: no framing to look at.
                    if self.lines.has_ready() {
                        let max = self.limits.max_line_length;
                        return match self.lines.cut_ready(max) {
                            Some(line) => Ok(Event::LineComplete(line)),
                            // At the line's byte `max`; the line starts `ready_len`
                            // bytes before the buffer's front.
                            None => Err(too_long(max)
                                .before(self.lines.ready_len())
                                .shifted(body.position() + max as u64)),
                        };
                    }
                }
                BodyMode::Data { max } => {
                    // Back from line mode with body bytes set aside: they go first.
                    if let Some(piece) = self.lines.take_partial(max) {
                        return Ok(Event::Data(piece));
                    }
                }
            }
            let (len, run_ends) = match body.step(&mut self.buf, self.eof, &self.limits)? {
                Step::Body { len, run_ends } => (len, run_ends),
                Step::NeedData => return Ok(Event::NeedData),
                Step::End => return self.end_body(),
            };
            // Body bytes arrived: a client no longer waits for 100 Continue.
            self.cycle.body_crossed();
            match self.mode {
                BodyMode::Data { max } => {
                    if self.lines.take_skip_lf() && self.buf[0] == b'\n' {
                        self.buf.advance(1);
                        body.consumed(1);
                        continue;
                    }
                    // The scratch buffer is empty between uses (heads written are split off).
                    debug_assert!(self.scratch.is_empty());
                    let out = &mut self.scratch;
                    let gathered = body.gather_small(&mut self.buf, len, max, &self.limits, out);
                    if gathered > 0 {
                        self.scratch.note(gathered);
                        return Ok(Event::Data(self.scratch.split().freeze()));
                    }
                    let n = len.min(max);
                    body.consumed(n);
                    return Ok(Event::Data(self.buf.split_to(n).freeze()));
                }
                BodyMode::Lines => {
                    let max = self.limits.max_line_length;
                    let fed = self.lines.feed(&mut self.buf, len, run_ends, max);
                    match fed.map_err(|e| e.shifted(body.position()))? {
                        Fed::Line { line, consumed } => {
                            body.consumed(consumed);
                            return Ok(Event::LineComplete(line));
                        }
                        Fed::Progress { consumed } => body.consumed(consumed),
                        Fed::NeedData { consumed } => {
                            body.consumed(consumed);
                            return Ok(Event::NeedData);
                        }
                    }
                }
            }
        }
    }

    /// The body is complete: in line mode its last unterminated line goes first (the body
    /// reader stays at its end, so the next call comes back here), then `EndOfMessage`.
    #[inline(never)]
    fn end_body(&mut self) -> Result<Event, Error> {
        self.cycle.body_crossed();
        if self.mode == BodyMode::Lines {
            if let Some(last) = self.lines.finish() {
                return Ok(Event::LineComplete(last));
            }
        }
        let trailers = self
            .body
            .take()
            .map(|mut b| b.take_trailers())
            .unwrap_or_default();
        self.end_message(trailers)
    }

    fn end_message(&mut self, trailers: Headers) -> Result<Event, Error> {
        self.state
            .process(self.role.peer(), Ev::EndOfMessage, None)
            .map_err(|_| Error::state("a message ended in the wrong state"))?;
        self.release_memory();
        Ok(Event::EndOfMessage(trailers))
    }
}
