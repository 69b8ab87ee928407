//! The body readers, shared by the client and the server.
//!
//! A [`Body`] borrows a [`Conn`] whose message head just arrived (after
//! [`Conn::start_body`]) and reads that message's body lazily: as [`std::io::Read`], as
//! pieces of at most N bytes or of whatever arrived ([`Body::chunks`]), as lines
//! ([`Body::lines`]) or decoded text lines ([`Body::text_lines`]), or whole up to a limit
//! ([`Body::bytes`], [`Body::text`]).
//!
//! How the server uses them: after [`Conn::next_event`] returns a request head, it calls
//! `conn.start_body(Framing::incoming(conn.connection()), req.headers())` and gives the handler
//! `Body::new(&mut conn)` for the duration of its call. If the client waits for
//! `100 Continue`, the reader writes `HTTP/1.1 100 Continue` before its first read from
//! the socket, so a handler that never reads the body never invites it. After the handler
//! returns, the server checks [`Body::is_done`] (or [`Conn::body_state`]) and reads on
//! (or closes) before the next request. The client's response owns its connection and
//! hands out the same `Body` over it.
//!
//! Which bytes a piece or line holds, and where a body ends, is the core's
//! ([`h1::BodyMode`]); the state kept between calls is [`h1_common::BodyState`]'s.

use std::io::{self, Read};

use bytes::Bytes;
use h1::Headers;
use h1_common::{BodyState, Collect, Error, Framing, Piece, TextDecoder, TextOptions};

use crate::conn::{Conn, Stream};

/// The body of the message whose head a [`Conn`] just read; see the module docs.
///
/// ```
/// use std::io::Read;
/// use h1::{Connection, Event, Role};
/// use h1_common::Framing;
/// use h1_std::{Body, Conn, Duplex};
///
/// let wire = &b"POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"[..];
/// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
/// let Event::Request(req) = conn.next_event()? else { panic!() };
/// conn.start_body(Framing::incoming(conn.connection()), req.headers());
/// let mut text = String::new();
/// Body::new(&mut conn).read_to_string(&mut text)?;
/// assert_eq!(text, "hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Body<'a, S> {
    conn: &'a mut Conn<S>,
}

impl<'a, S: Stream> Body<'a, S> {
    /// Reads the body of the message whose head `conn` just read. Without
    /// [`Conn::start_body`] first, the body's length is taken as unknown.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(h1_std::Framing::incoming(conn.connection()), req.headers());
    /// let mut body = h1_std::Body::new(&mut conn);
    /// assert_eq!(body.content_length(), Some(2));
    /// assert_eq!(body.bytes(100)?, "hi");
    #[doc = crate::doc::doc_text!(close)]
    pub fn new(conn: &'a mut Conn<S>) -> Self {
        if conn.body.is_none() {
            conn.body = Some(BodyState::new(Framing::Unknown, &Headers::new()));
        }
        Self { conn }
    }

    fn state(&self) -> &BodyState {
        self.conn
            .body
            .as_ref()
            .expect("Body::new sets the body state")
    }

    /// The Content-Length the head announced (0 when no body follows; `None` for chunked
    /// and close-delimited bodies).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/bytes/10")).send()?;
    /// let mut body = res.body();
    /// assert_eq!(body.content_length(), Some(10));
    /// body.next_chunk(Some(4))?;
    /// assert_eq!(body.content_length(), Some(10)); // the whole length, not what is left
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.state().content_length()
    }

    /// True once the body was read to its end.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/bytes/3")).send()?;
    /// let mut body = res.body();
    /// assert!(!body.is_done());
    /// while body.next_chunk(None)?.is_some() {}
    /// assert!(body.is_done());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_done(&self) -> bool {
        self.state().is_done()
    }

    /// Body bytes read so far.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/bytes/5")).send()?;
    /// let mut body = res.body();
    /// body.next_chunk(Some(2))?;
    /// assert_eq!(body.delivered(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delivered(&self) -> u64 {
        self.state().delivered()
    }

    /// The trailer fields of a chunked body (empty until the end is read).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/1")).send()?;
    /// let mut body = res.body();
    /// while body.next_chunk(None)?.is_some() {}
    /// assert!(body.trailers().is_empty()); // this server sends none
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trailers(&self) -> &Headers {
        self.state().trailers()
    }

    /// One step of the body's state, reading from the stream whenever it needs data.
    fn step(
        &mut self,
        mut f: impl FnMut(&mut BodyState, &mut h1::Connection) -> Result<Piece, Error>,
    ) -> Result<Piece, Error> {
        loop {
            let (h1, state) = self.conn.parts_for_body();
            match f(state_of(state), h1) {
                Ok(Piece::NeedData) => {
                    self.conn.continue_if_waiting()?;
                    self.conn.fill()?;
                }
                Ok(piece) => return Ok(piece),
                Err(e) => {
                    self.conn.mark_broken();
                    return Err(e);
                }
            }
        }
    }

    /// The next piece of at most `max` bytes, or of whatever arrived with `None` (never
    /// waiting to fill a piece); `None` at the end of the body.
    ///
    /// # Errors
    /// A body cut short, a protocol violation, a timeout, a transport failure.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex, Framing};
    /// let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n"[..];
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::new(&mut conn);
    /// let mut got = Vec::new();
    /// while let Some(piece) = body.next_chunk(Some(4))? {
    ///     assert!(piece.len() <= 4);
    ///     got.extend_from_slice(&piece);
    /// }
    /// assert_eq!(got, b"{\"a\":1}\n{\"b\":2}\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_chunk(&mut self, max: Option<usize>) -> Result<Option<Bytes>, Error> {
        let max = max.unwrap_or(usize::MAX);
        match self.step(|s, c| s.next_data(c, max))? {
            Piece::Data(d) => Ok(Some(d)),
            _ => Ok(None),
        }
    }

    /// The next line without its terminator (LF, CRLF or a lone CR); `None` at the end.
    ///
    /// # Errors
    /// As [`next_chunk`](Self::next_chunk); a line longer than the connection's
    /// [`h1::Limits::max_line_length`] is a protocol error.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex, Framing};
    /// let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n"[..];
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::new(&mut conn);
    /// assert_eq!(body.next_line()?.as_deref(), Some(&b"{\"a\":1}"[..]));
    /// assert_eq!(body.next_line()?.as_deref(), Some(&b"{\"b\":2}"[..]));
    /// assert_eq!(body.next_line()?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_line(&mut self) -> Result<Option<Bytes>, Error> {
        match self.step(BodyState::next_line)? {
            Piece::Line(l) => Ok(Some(l)),
            _ => Ok(None),
        }
    }

    /// The body as pieces of at most `max` bytes (Python's `iter_content(chunk_size)`), or
    /// with `None` of whatever arrived (`iter_content(None)`): each piece is what the
    /// stream delivered, never waiting to fill a larger one. Pieces are zero-copy slices
    /// of the receive buffer. The iterator ends after the body's end or its first error.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex};
    /// # let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789"[..];
    /// # let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # conn.start_body(h1_common::Framing::incoming(conn.connection()), req.headers());
    /// let pieces: Vec<_> = Body::new(&mut conn).chunks(Some(4)).collect::<Result<_, _>>()?;
    /// assert_eq!(pieces, ["0123", "4567", "89"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn chunks(self, max: Option<usize>) -> Chunks<'a, S> {
        Chunks {
            body: self,
            max,
            over: false,
        }
    }

    /// The body as lines of bytes, without terminators (Python's `iter_lines()`): split on
    /// LF, CRLF and a lone CR only (never Unicode line separators); a CRLF split between
    /// reads counts once; the last line comes even without a terminator.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex};
    /// # let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\na\r\nb\rc\n\xe2\x80\xa8d"[..];
    /// # let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # conn.start_body(h1_common::Framing::incoming(conn.connection()), req.headers());
    /// let lines: Vec<_> = Body::new(&mut conn).lines().collect::<Result<_, _>>()?;
    /// assert_eq!(lines, ["a", "b", "c", "\u{2028}d"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lines(self) -> Lines<'a, S> {
        Lines {
            body: self,
            over: false,
        }
    }

    /// The body as lines of text: split as [`lines`](Self::lines), then decoded with the
    /// charset of `Content-Type`, or `options`' fallback when it names none (UTF-8 by
    /// default); malformed bytes are an error or replaced, as `options` say.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex};
    /// use h1_common::{Charset, TextOptions};
    /// # let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\ncaf\xe9\r\n"[..];
    /// # let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event()? else { panic!() };
    /// # conn.start_body(h1_common::Framing::incoming(conn.connection()), req.headers());
    /// let options = TextOptions::default().fallback(Charset::ISO_8859_1);
    /// let lines: Vec<String> =
    ///     Body::new(&mut conn).text_lines(options)?.collect::<Result<_, _>>()?;
    /// assert_eq!(lines, ["café"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Decode`](h1_common::ErrorKind::Decode) when `Content-Type` names a
    /// charset this build does not know.
    pub fn text_lines(self, options: TextOptions) -> Result<TextLines<'a, S>, Error> {
        let decoder = options.decoder(self.state().content_type())?;
        Ok(TextLines {
            lines: self.lines(),
            decoder,
        })
    }

    /// Reads the whole body, refusing one over `limit` bytes: a Content-Length over it is
    /// refused before anything is read, any other body as soon as it passes it.
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`](h1_common::ErrorKind::TooLarge) over the limit, and the
    /// errors of [`next_chunk`](Self::next_chunk).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex, Framing};
    /// let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n"[..];
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let e = Body::new(&mut conn).bytes(10).unwrap_err(); // 16 bytes, over 10
    /// assert_eq!(e.kind(), h1_std::ErrorKind::TooLarge);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes(mut self, limit: u64) -> Result<Bytes, Error> {
        self.state().check_announced(limit)?;
        let mut all = Collect::new(limit);
        while let Some(piece) = self.next_chunk(Some(all.room()))? {
            all.push(&piece)?;
        }
        Ok(all.finish())
    }

    /// Reads the whole body as text, as [`bytes`](Self::bytes) with the same limit, decoded
    /// as [`text_lines`](Self::text_lines) would.
    ///
    /// # Errors
    /// Those of [`bytes`](Self::bytes) and of decoding.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/2")).send()?;
    /// let mut body = res.body();
    /// let text = body.text(1 << 20, h1_std::TextOptions::default())?;
    /// assert_eq!(text, "{\"id\":0}\n{\"id\":1}\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text(self, limit: u64, options: TextOptions) -> Result<String, Error> {
        let decoder = options.decoder(self.state().content_type())?;
        let all = self.bytes(limit)?;
        decoder.decode(&all)
    }

    /// Reads and discards the rest of the body, at most `limit` more bytes. Returns true
    /// when the body ended within the limit, false when more is left.
    ///
    /// # Errors
    /// As [`next_chunk`](Self::next_chunk).
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_std::{Body, Conn, Duplex, Framing};
    /// let wire = &b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n"[..];
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::new(&mut conn);
    /// assert!(body.drain(1 << 16)?); // the body ended within the limit
    /// assert!(body.is_done());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        let mut left = limit;
        while !self.is_done() {
            if left == 0 {
                // Whatever is already buffered costs no I/O: the end may be there.
                return self.finish_buffered();
            }
            let max = usize::try_from(left).unwrap_or(usize::MAX);
            match self.next_chunk(Some(max))? {
                Some(piece) => left -= piece.len() as u64,
                None => break,
            }
        }
        Ok(true)
    }

    /// Reads on through what is already buffered, without I/O; true when the body ended.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event()? else { panic!() };
    /// conn.start_body(h1_std::Framing::incoming(conn.connection()), req.headers());
    /// // The body came in the same read as the head: it ends without another read.
    /// assert!(h1_std::Body::new(&mut conn).finish_buffered()?);
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// A protocol violation in the buffered bytes.
    pub fn finish_buffered(&mut self) -> Result<bool, Error> {
        let (h1, state) = self.conn.parts_for_body();
        state_of(state).finish_buffered(h1)
    }
}

fn state_of(state: &mut Option<BodyState>) -> &mut BodyState {
    state.get_or_insert_with(|| BodyState::new(Framing::Unknown, &Headers::new()))
}

impl<S: Stream> Read for Body<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        match self.step(|s, c| s.next_data(c, buf.len()))? {
            Piece::Data(d) => {
                buf[..d.len()].copy_from_slice(&d);
                Ok(d.len())
            }
            _ => Ok(0),
        }
    }
}

/// Pieces of a body; made by [`Body::chunks`].
///
/// ```
/// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_std::Client::new();
/// let mut res = client.get(&format!("{base}/bytes/5")).send()?;
/// let mut body = res.body();
/// let pieces: Vec<_> = body.chunks(Some(2)).collect::<Result<_, _>>()?;
/// assert_eq!(pieces, ["ab", "cd", "e"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Chunks<'a, S> {
    body: Body<'a, S>,
    max: Option<usize>,
    over: bool,
}

impl<S: Stream> Iterator for Chunks<'_, S> {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.over {
            return None;
        }
        let item = self.body.next_chunk(self.max).transpose();
        self.over = !matches!(item, Some(Ok(_)));
        item
    }
}

/// Lines of a body, as bytes; made by [`Body::lines`].
///
/// ```
/// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_std::Client::new();
/// let mut res = client.get(&format!("{base}/stream/2")).send()?;
/// let mut body = res.body();
/// let lines: Vec<_> = body.lines().collect::<Result<_, _>>()?;
/// assert_eq!(lines, ["{\"id\":0}", "{\"id\":1}"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Lines<'a, S> {
    body: Body<'a, S>,
    over: bool,
}

impl<S: Stream> Iterator for Lines<'_, S> {
    type Item = Result<Bytes, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.over {
            return None;
        }
        let item = self.body.next_line().transpose();
        self.over = !matches!(item, Some(Ok(_)));
        item
    }
}

/// Lines of a body, as text; made by [`Body::text_lines`].
///
/// ```
/// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_std::Client::new();
/// let mut res = client.get(&format!("{base}/stream/2")).send()?;
/// let mut body = res.body();
/// let mut lines = body.text_lines(h1_std::TextOptions::default())?;
/// assert_eq!(lines.next().transpose()?.as_deref(), Some("{\"id\":0}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct TextLines<'a, S> {
    lines: Lines<'a, S>,
    decoder: TextDecoder,
}

impl<S> TextLines<'_, S> {
    /// The charset the lines are decoded with.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/1")).send()?;
    /// let mut body = res.body();
    /// let lines = body.text_lines(h1_std::TextOptions::default())?;
    /// assert_eq!(lines.charset(), h1_std::Charset::UTF_8); // no charset given: the default
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn charset(&self) -> h1_common::Charset {
        self.decoder.charset()
    }
}

impl<S: Stream> Iterator for TextLines<'_, S> {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = match self.lines.next()? {
            Ok(line) => line,
            Err(e) => return Some(Err(e)),
        };
        let text = self.decoder.decode(&line);
        if text.is_err() {
            self.lines.over = true;
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::Duplex;
    use h1::{Connection, Event, Role};
    use h1_common::{Charset, ErrorKind, Malformed};

    /// A peer that delivers its bytes a few at a time (sizes cycling through `steps`), then
    /// ends the stream.
    #[derive(Debug)]
    struct Trickle {
        wire: Vec<u8>,
        at: usize,
        steps: Vec<usize>,
        turn: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let step = self.steps[self.turn % self.steps.len()];
            self.turn += 1;
            let n = step.min(buf.len()).min(self.wire.len() - self.at);
            buf[..n].copy_from_slice(&self.wire[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    type Peer = Duplex<Trickle, Vec<u8>>;

    /// A server connection whose request head was read from `wire`, delivered in reads of
    /// the given sizes.
    fn server(wire: &[u8], steps: &[usize]) -> Conn<Peer> {
        let trickle = Trickle {
            wire: wire.to_vec(),
            at: 0,
            steps: steps.to_vec(),
            turn: 0,
        };
        let mut conn = Conn::new(
            Duplex::new(trickle, Vec::new()),
            Connection::new(Role::Server),
        );
        let Event::Request(req) = conn.next_event().unwrap() else {
            panic!("no request head")
        };
        conn.start_body(Framing::incoming(conn.connection()), req.headers());
        conn
    }

    fn chunked(head_extra: &str, pieces: &[&[u8]]) -> Vec<u8> {
        let mut w =
            format!("POST / HTTP/1.1\r\nHost: a\r\n{head_extra}Transfer-Encoding: chunked\r\n\r\n")
                .into_bytes();
        for p in pieces {
            w.extend_from_slice(format!("{:x}\r\n", p.len()).as_bytes());
            w.extend_from_slice(p);
            w.extend_from_slice(b"\r\n");
        }
        w.extend_from_slice(b"0\r\n\r\n");
        w
    }

    #[test]
    fn pieces_never_exceed_n_whatever_the_reads() {
        let body: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let wire = chunked("", &[&body[..1000], &body[1000..1001], &body[1001..]]);
        for steps in [vec![1], vec![7, 300, 2], vec![4096]] {
            for n in [1, 3, 64, 1000] {
                let mut conn = server(&wire, &steps);
                let mut got = Vec::new();
                for piece in Body::new(&mut conn).chunks(Some(n)) {
                    let piece = piece.unwrap();
                    assert!(
                        !piece.is_empty() && piece.len() <= n,
                        "{} > {n}",
                        piece.len()
                    );
                    got.extend_from_slice(&piece);
                }
                assert_eq!(got, body, "steps {steps:?}, n {n}");
            }
        }
    }

    #[test]
    fn whatever_arrived_is_one_piece_per_read() {
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789";
        // The head arrives in reads of 5 bytes; the body then in reads of 3.
        let mut conn = server(wire, &[5]);
        let got: Vec<Bytes> = Body::new(&mut conn)
            .chunks(None)
            .map(Result::unwrap)
            .collect();
        assert!(got.iter().all(|p| p.len() <= 5), "{got:?}");
        assert_eq!(got.concat(), b"0123456789");
    }

    #[test]
    fn lines_across_reads_and_terminators() {
        let wire = chunked("", &[b"one\r", b"\ntwo\rthree\n\nfou", b"r"]);
        for steps in [vec![1], vec![2, 5], vec![1000]] {
            let mut conn = server(&wire, &steps);
            let lines: Vec<Bytes> = Body::new(&mut conn).lines().map(Result::unwrap).collect();
            assert_eq!(lines, ["one", "two", "three", "", "four"], "{steps:?}");
        }
    }

    #[test]
    fn line_length_is_bounded() {
        let mut limits = h1::Limits::default();
        limits.max_line_length = 8;
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 15\r\n\r\nshort\n123456789";
        let trickle = Trickle {
            wire: wire.to_vec(),
            at: 0,
            steps: vec![3],
            turn: 0,
        };
        let mut conn = Conn::new(
            Duplex::new(trickle, Vec::new()),
            Connection::with_limits(Role::Server, limits),
        );
        let Event::Request(req) = conn.next_event().unwrap() else {
            panic!()
        };
        conn.start_body(Framing::incoming(conn.connection()), req.headers());
        let mut lines = Body::new(&mut conn).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "short");
        let e = lines.next().unwrap().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol);
        assert_eq!(
            e.h1().map(h1::Error::kind),
            Some(h1::ErrorKind::LineTooLong)
        );
        assert!(lines.next().is_none(), "the iterator ends after an error");
        assert!(conn.is_broken());
    }

    #[test]
    fn text_lines_follow_the_content_type_charset() {
        let wire = chunked(
            "Content-Type: text/plain; charset=iso-8859-1\r\n",
            &[b"caf\xe9\n\xfcber"],
        );
        let mut conn = server(&wire, &[4]);
        let lines = Body::new(&mut conn)
            .text_lines(TextOptions::default())
            .unwrap();
        assert_eq!(lines.charset(), Charset::ISO_8859_1);
        let lines: Vec<String> = lines.map(Result::unwrap).collect();
        assert_eq!(lines, ["café", "über"]);
    }

    #[test]
    fn malformed_text_is_an_error_or_replaced() {
        let wire = chunked("", &[b"ok\nbad \xff\nafter"]);
        let mut conn = server(&wire, &[100]);
        let mut lines = Body::new(&mut conn)
            .text_lines(TextOptions::default())
            .unwrap();
        assert_eq!(lines.next().unwrap().unwrap(), "ok");
        assert_eq!(lines.next().unwrap().unwrap_err().kind(), ErrorKind::Decode);
        assert!(lines.next().is_none());

        let mut conn = server(&wire, &[100]);
        let options = TextOptions::default().malformed(Malformed::Replace);
        let lines: Vec<String> = Body::new(&mut conn)
            .text_lines(options)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(lines, ["ok", "bad \u{fffd}", "after"]);
    }

    #[test]
    fn an_unknown_charset_is_refused_up_front() {
        let wire = chunked("Content-Type: text/plain; charset=x-no-such\r\n", &[b"a"]);
        let mut conn = server(&wire, &[100]);
        let e = Body::new(&mut conn)
            .text_lines(TextOptions::default())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn bytes_limit_refuses_a_long_content_length_before_reading() {
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789";
        let mut conn = server(wire, &[1]);
        let received = conn.bytes_received();
        let e = Body::new(&mut conn).bytes(9).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge);
        assert_eq!(conn.bytes_received(), received, "nothing was read");
        let mut conn = server(wire, &[1]);
        assert_eq!(Body::new(&mut conn).bytes(10).unwrap(), "0123456789");
    }

    #[test]
    fn bytes_limit_stops_a_chunked_body_as_it_passes() {
        let big = vec![b'x'; 10_000];
        let wire = chunked("", &[&big, &big, &big]);
        let mut conn = server(&wire, &[512]);
        let e = Body::new(&mut conn).bytes(15_000).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge);
        assert!(
            conn.bytes_received() < 16_000,
            "stopped reading at the limit, read {}",
            conn.bytes_received()
        );
        let mut conn = server(&wire, &[512]);
        let text = Body::new(&mut conn)
            .text(30_000, TextOptions::default())
            .unwrap();
        assert_eq!(text.len(), 30_000);
    }

    #[test]
    fn a_body_cut_short_is_unexpected_eof_with_the_core_error_inside() {
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123";
        let mut conn = server(wire, &[3]);
        let mut got = Vec::new();
        let e = Body::new(&mut conn).read_to_end(&mut got).unwrap_err();
        assert_eq!(got, b"0123");
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        let inner = Error::in_io(&e).unwrap();
        assert_eq!(inner.kind(), ErrorKind::BodyCutShort);
        assert_eq!(
            inner.h1().map(h1::Error::kind),
            Some(h1::ErrorKind::Incomplete)
        );

        let wire = chunked("", &[b"abc"]);
        let cut = &wire[..wire.len() - 5]; // no last chunk
        let mut conn = server(cut, &[100]);
        let e = Body::new(&mut conn).bytes(100).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BodyCutShort);
    }

    #[test]
    fn a_protocol_violation_is_invalid_data() {
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n";
        let mut conn = server(wire, &[100]);
        let e = Body::new(&mut conn)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(Error::in_io(&e).unwrap().kind(), ErrorKind::Protocol);
    }

    #[test]
    fn the_reader_sends_100_continue_before_its_first_read_only() {
        let wire =
            b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi";
        // The head alone arrives in the first read: the reader must read again.
        let head_len = wire.len() - 2;
        let mut conn = server(wire, &[head_len, 2]);
        assert!(
            conn.stream().writer().is_empty(),
            "nothing sent before the body is read"
        );
        assert_eq!(Body::new(&mut conn).bytes(10).unwrap(), "hi");
        assert_eq!(
            conn.stream().writer().as_slice(),
            b"HTTP/1.1 100 Continue\r\n\r\n"
        );
    }

    #[test]
    fn drain_reads_on_up_to_a_limit() {
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789";
        let mut conn = server(wire, &[52]); // the head and 1 body byte
        let mut body = Body::new(&mut conn);
        assert!(!body.drain(4).unwrap());
        assert_eq!(body.delivered(), 4);
        assert!(body.drain(6).unwrap());
        assert!(body.is_done());
        assert!(conn.is_reusable() || conn.connection().our_state() != h1::State::Done);
    }
}
