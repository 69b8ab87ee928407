//! The body readers, shared by the client and the server.
//!
//! A [`Body`] reads one incoming message's body lazily: as [`AsyncRead`], as a
//! [`Stream`] of pieces of at most N bytes or of whatever arrived ([`Body::chunks`]), as a
//! `Stream` of lines ([`Body::lines`]) or of decoded text lines ([`Body::text_lines`]), or
//! whole up to a limit ([`Body::bytes`], [`Body::text`]). Pieces and lines are `Bytes`
//! sliced from the connection's receive buffer, never copied.
//!
//! Which bytes a piece or line holds, and where a body ends, is the core's
//! ([`h1::BodyMode`]); the state kept between calls is [`h1_common::BodyState`]'s; what is
//! left here is polling the stream when the core needs data.

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use h1::Headers;
use h1_common::{BodyState, Collect, Error, Piece, TextDecoder, TextOptions};
use tokio::io::{AsyncRead, ReadBuf};

pub(crate) use private::{Sealed, Want};

pub(crate) mod private {
    use std::task::{Context, Poll};

    use h1_common::{BodyState, Error, Piece};

    /// What a body read asks for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Want {
        /// A piece of at most this many bytes (`usize::MAX`: whatever is buffered).
        Data(usize),
        /// A line.
        Line,
    }

    /// What a body reads from; implemented inside this crate only.
    pub trait Sealed: Unpin {
        /// One step: a piece or line, or the end, reading from the stream as needed.
        fn poll_piece(&mut self, cx: &mut Context<'_>, want: Want) -> Poll<Result<Piece, Error>>;
        /// Looks at the body's state (`None` when it is no longer reachable).
        fn with_state<R>(&self, f: impl FnOnce(Option<&BodyState>) -> R) -> R;
        /// Reads on through what is buffered, without I/O; true when the body ended.
        fn finish_buffered(&mut self) -> Result<bool, Error>;
    }
}

impl<T: Sealed> Sealed for &mut T {
    fn poll_piece(&mut self, cx: &mut Context<'_>, want: Want) -> Poll<Result<Piece, Error>> {
        (**self).poll_piece(cx, want)
    }

    fn with_state<R>(&self, f: impl FnOnce(Option<&BodyState>) -> R) -> R {
        (**self).with_state(f)
    }

    fn finish_buffered(&mut self) -> Result<bool, Error> {
        (**self).finish_buffered()
    }
}

/// What a [`Body`] reads from: a [`Conn`](crate::Conn) it owns
/// or the server's request ([`crate::server::RequestSource`]). Sealed.
///
#[doc = crate::doc::doc_text!(conn)]
/// use h1_tokio::{Body, Source};
///
/// /// The body's length, whatever it reads from.
/// async fn size(body: &mut Body<impl Source>) -> Result<usize, h1_tokio::Error> {
///     Ok(body.bytes(1 << 20).await?.len())
/// }
///
/// let h1::Event::Request(req) = conn.next_event().await? else { panic!() };
/// conn.start_body(h1_tokio::Framing::incoming(conn.connection()), req.headers());
/// assert_eq!(size(&mut Body::from_conn(conn)).await?, 2);
#[doc = crate::doc::doc_text!(close)]
pub trait Source: Sealed {}

impl<T: Sealed> Source for T {}

/// The body of an incoming message; see the module docs.
///
/// ```
/// use h1_tokio::server::{Incoming, Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
///     let body = req.into_body().bytes(1 << 20).await?; // at most 1 MiB
///     Ok(Reply::new(200)?.with_body(format!("{} bytes\n", body.len())))
/// })?;
/// # running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Body<B> {
    src: B,
}

impl<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin> Body<crate::Conn<S>> {
    /// The body of the message whose head `conn` just read (after
    /// [`Conn::start_body`](crate::Conn::start_body); without it, the length is taken as
    /// unknown), owning the connection.
    ///
    /// ```
    /// use h1::{Connection, Event, Role};
    /// use h1_tokio::{Body, Conn, Framing};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// let (a, mut b) = tokio::io::duplex(1024);
    /// tokio::io::AsyncWriteExt::write_all(
    ///     &mut b,
    ///     b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    /// )
    /// .await
    /// .unwrap();
    /// let mut conn = Conn::new(a, Connection::new(Role::Server));
    /// let Event::Request(req) = conn.next_event().await? else { panic!() };
    /// conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::from_conn(conn);
    /// assert_eq!(body.bytes(100).await?, "hello");
    /// let conn = body.into_conn();
    /// # let _ = conn;
    /// # Ok(()) }
    /// ```
    pub fn from_conn(conn: crate::Conn<S>) -> Self {
        Self { src: conn }
    }

    /// The connection back.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event().await? else { panic!() };
    /// conn.start_body(h1_tokio::Framing::incoming(conn.connection()), req.headers());
    /// let mut body = h1_tokio::Body::from_conn(conn);
    /// assert_eq!(body.bytes(100).await?, "hi");
    /// let conn = body.into_conn(); // to answer on
    /// assert!(conn.body_state().is_some_and(|b| b.is_done()));
    #[doc = crate::doc::doc_text!(close)]
    pub fn into_conn(self) -> crate::Conn<S> {
        self.src
    }
}

impl<B: Source> Body<B> {
    pub(crate) fn new(src: B) -> Self {
        Self { src }
    }

    pub(crate) fn into_source(self) -> B {
        self.src
    }

    pub(crate) fn source_mut(&mut self) -> &mut B {
        &mut self.src
    }

    /// The Content-Length the head announced (0 when no body follows; `None` for chunked
    /// and close-delimited bodies).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/bytes/10")).send().await?.into_body();
    /// assert_eq!(body.content_length(), Some(10));
    /// body.next_chunk(Some(4)).await?;
    /// assert_eq!(body.content_length(), Some(10)); // the whole length, not what is left
    /// # Ok(()) }
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.src
            .with_state(|s| s.and_then(BodyState::content_length))
    }

    /// True once the body was read to its end.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/bytes/3")).send().await?.into_body();
    /// assert!(!body.is_done());
    /// body.bytes(100).await?;
    /// assert!(body.is_done());
    /// # Ok(()) }
    /// ```
    pub fn is_done(&self) -> bool {
        self.src.with_state(|s| s.is_some_and(BodyState::is_done))
    }

    /// Body bytes read so far (line terminators included).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/bytes/5")).send().await?.into_body();
    /// body.next_chunk(Some(2)).await?;
    /// assert_eq!(body.delivered(), 2);
    /// # Ok(()) }
    /// ```
    pub fn delivered(&self) -> u64 {
        self.src.with_state(|s| s.map_or(0, BodyState::delivered))
    }

    /// The trailer fields of a chunked body (empty until the end is read).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/stream/1")).send().await?.into_body();
    /// body.bytes(100).await?;
    /// assert!(body.trailers().is_empty()); // this server sends none
    /// # Ok(()) }
    /// ```
    pub fn trailers(&self) -> Headers {
        self.src
            .with_state(|s| s.map(|s| s.trailers().clone()).unwrap_or_default())
    }

    fn content_type(&self) -> Option<Bytes> {
        self.src
            .with_state(|s| s.and_then(|s| s.content_type().map(Bytes::copy_from_slice)))
    }

    /// Polls for the next piece of at most `max` bytes, or of whatever arrived with
    /// `None`; `Ready(Ok(None))` at the end of the body.
    ///
    /// # Errors
    /// As [`next_chunk`](Self::next_chunk).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/bytes/5")).send().await?.into_body();
    /// let piece = std::future::poll_fn(|cx| body.poll_chunk(cx, Some(2))).await?;
    /// assert_eq!(piece.as_deref(), Some(&b"ab"[..]));
    /// # Ok(()) }
    /// ```
    pub fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
        max: Option<usize>,
    ) -> Poll<Result<Option<Bytes>, Error>> {
        let want = Want::Data(max.unwrap_or(usize::MAX).max(1));
        match ready!(self.src.poll_piece(cx, want))? {
            Piece::Data(d) => Poll::Ready(Ok(Some(d))),
            _ => Poll::Ready(Ok(None)),
        }
    }

    /// The next piece of at most `max` bytes, or of whatever arrived with `None` (never
    /// waiting to fill a piece); `None` at the end of the body.
    ///
    /// Cancel safety: dropping the future loses nothing (a piece is taken from the
    /// connection only in the poll that returns it).
    ///
    /// # Errors
    /// A body cut short ([`ErrorKind::BodyCutShort`](h1_common::ErrorKind::BodyCutShort)),
    /// a protocol violation, a timeout, a transport failure.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_tokio::{Body, Conn, Framing};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// # let (a, mut b) = tokio::io::duplex(1024);
    /// # let wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n";
    /// # tokio::io::AsyncWriteExt::write_all(&mut b, wire).await.unwrap();
    /// # let mut conn = Conn::new(a, Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event().await? else { panic!() };
    /// # conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::from_conn(conn);
    /// let mut got = Vec::new();
    /// while let Some(piece) = body.next_chunk(Some(4)).await? {
    ///     assert!(piece.len() <= 4);
    ///     got.extend_from_slice(&piece);
    /// }
    /// assert_eq!(got, b"{\"a\":1}\n{\"b\":2}\n");
    /// # Ok(()) }
    /// ```
    pub async fn next_chunk(&mut self, max: Option<usize>) -> Result<Option<Bytes>, Error> {
        poll_fn(|cx| self.poll_chunk(cx, max)).await
    }

    /// Polls for the next line; `Ready(Ok(None))` at the end of the body.
    ///
    /// # Errors
    /// As [`next_line`](Self::next_line).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/stream/2")).send().await?.into_body();
    /// let line = std::future::poll_fn(|cx| body.poll_line(cx)).await?;
    /// assert_eq!(line.as_deref(), Some(&b"{\"id\":0}"[..]));
    /// # Ok(()) }
    /// ```
    pub fn poll_line(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Bytes>, Error>> {
        match ready!(self.src.poll_piece(cx, Want::Line))? {
            Piece::Line(l) => Poll::Ready(Ok(Some(l))),
            _ => Poll::Ready(Ok(None)),
        }
    }

    /// The next line without its terminator (LF, CRLF or a lone CR); `None` at the end.
    /// Cancel-safe, as [`next_chunk`](Self::next_chunk).
    ///
    /// # Errors
    /// As [`next_chunk`](Self::next_chunk); a line longer than the connection's
    /// [`h1::Limits::max_line_length`] is a protocol error.
    ///
    /// ```
    /// # use h1::{Connection, Event, Role};
    /// # use h1_tokio::{Body, Conn, Framing};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// # let (a, mut b) = tokio::io::duplex(1024);
    /// # let wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n";
    /// # tokio::io::AsyncWriteExt::write_all(&mut b, wire).await.unwrap();
    /// # let mut conn = Conn::new(a, Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event().await? else { panic!() };
    /// # conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::from_conn(conn);
    /// assert_eq!(body.next_line().await?.as_deref(), Some(&b"{\"a\":1}"[..]));
    /// assert_eq!(body.next_line().await?.as_deref(), Some(&b"{\"b\":2}"[..]));
    /// assert_eq!(body.next_line().await?, None);
    /// # Ok(()) }
    /// ```
    pub async fn next_line(&mut self) -> Result<Option<Bytes>, Error> {
        poll_fn(|cx| self.poll_line(cx)).await
    }

    /// The body as a [`Stream`] of pieces of at most `max` bytes (Python's
    /// `iter_content(chunk_size)`), or with `None` of whatever arrived
    /// (`iter_content(None)`): each piece is what the stream delivered, never waiting to
    /// fill a larger one. The stream ends after the body's end or its first error.
    ///
    /// ```
    /// # use h1_tokio::server::{Incoming, Reply, Server};
    /// use futures_core::Stream;
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    ///
    /// async fn total(req: Incoming) -> Result<u64, h1_tokio::Error> {
    ///     let mut pieces = req.into_body().chunks(Some(1000));
    ///     let mut n = 0;
    ///     while let Some(piece) = poll_fn(|cx| Pin::new(&mut pieces).poll_next(cx)).await {
    ///         let piece = piece?;
    ///         assert!(piece.len() <= 1000);
    ///         n += piece.len() as u64;
    ///     }
    ///     Ok(n)
    /// }
    /// ```
    pub fn chunks(self, max: Option<usize>) -> Chunks<B> {
        Chunks {
            body: self,
            max,
            over: false,
        }
    }

    /// The body as a [`Stream`] of lines of bytes, without terminators (Python's
    /// `iter_lines()`): split on LF, CRLF and a lone CR only (never Unicode line
    /// separators); a CRLF split between reads counts once; the last line comes even
    /// without a terminator.
    ///
    /// ```
    /// # use h1_tokio::server::Incoming;
    /// use futures_core::Stream;
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    ///
    /// async fn count_lines(req: Incoming) -> Result<usize, h1_tokio::Error> {
    ///     let mut lines = req.into_body().lines();
    ///     let mut n = 0;
    ///     while let Some(line) = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await {
    ///         line?;
    ///         n += 1;
    ///     }
    ///     Ok(n)
    /// }
    /// ```
    pub fn lines(self) -> Lines<B> {
        Lines {
            body: self,
            over: false,
        }
    }

    /// The body as a [`Stream`] of lines of text: split as [`lines`](Self::lines), then
    /// decoded with the charset of `Content-Type`, or `options`' fallback when it names
    /// none (UTF-8 by default); malformed bytes are an error or replaced, as `options` say.
    ///
    /// ```
    /// # use h1_tokio::server::Incoming;
    /// use h1_tokio::{Charset, TextOptions};
    ///
    /// fn latin1_lines(req: Incoming) -> Result<h1_tokio::TextLines<h1_tokio::server::RequestSource>, h1_tokio::Error> {
    ///     req.into_body().text_lines(TextOptions::default().fallback(Charset::ISO_8859_1))
    /// }
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Decode`](h1_common::ErrorKind::Decode) at once when `Content-Type`
    /// names a charset this build does not know.
    pub fn text_lines(self, options: TextOptions) -> Result<TextLines<B>, Error> {
        let decoder = options.decoder(self.content_type().as_deref())?;
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
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/bytes/5")).send().await?.into_body();
    /// assert_eq!(body.bytes(1 << 20).await?, "abcde");
    /// let mut large = client.get(&format!("{base}/bytes/5000")).send().await?.into_body();
    /// assert_eq!(large.bytes(100).await.unwrap_err().kind(), h1_tokio::ErrorKind::TooLarge);
    /// # Ok(()) }
    /// ```
    pub async fn bytes(&mut self, limit: u64) -> Result<Bytes, Error> {
        if let Some(Err(e)) = self.src.with_state(|s| s.map(|s| s.check_announced(limit))) {
            return Err(e);
        }
        let mut all = Collect::new(limit);
        while let Some(piece) = self.next_chunk(Some(all.room())).await? {
            all.push(&piece)?;
        }
        Ok(all.finish())
    }

    /// Reads the whole body as text, as [`bytes`](Self::bytes) with the same limit,
    /// decoded as [`text_lines`](Self::text_lines) would.
    ///
    /// # Errors
    /// Those of [`bytes`](Self::bytes) and of decoding.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/stream/2")).send().await?.into_body();
    /// let text = body.text(1 << 20, h1_tokio::TextOptions::default()).await?;
    /// assert_eq!(text, "{\"id\":0}\n{\"id\":1}\n");
    /// # Ok(()) }
    /// ```
    pub async fn text(&mut self, limit: u64, options: TextOptions) -> Result<String, Error> {
        let decoder = options.decoder(self.content_type().as_deref())?;
        let all = self.bytes(limit).await?;
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
    /// # use h1_tokio::{Body, Conn, Framing};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// # let (a, mut b) = tokio::io::duplex(1024);
    /// # let wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"a\":1}\n\r\n8\r\n{\"b\":2}\n\r\n0\r\n\r\n";
    /// # tokio::io::AsyncWriteExt::write_all(&mut b, wire).await.unwrap();
    /// # let mut conn = Conn::new(a, Connection::new(Role::Server));
    /// # let Event::Request(req) = conn.next_event().await? else { panic!() };
    /// # conn.start_body(Framing::incoming(conn.connection()), req.headers());
    /// let mut body = Body::from_conn(conn);
    /// assert!(body.drain(1 << 16).await?); // the body ended within the limit
    /// assert!(body.is_done());
    /// # Ok(()) }
    /// ```
    pub async fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        let mut left = limit;
        while !self.is_done() {
            if left == 0 {
                // Whatever is already buffered costs no I/O: the end may be there.
                return self.src.finish_buffered();
            }
            let max = usize::try_from(left).unwrap_or(usize::MAX);
            match self.next_chunk(Some(max)).await? {
                Some(piece) => left -= piece.len() as u64,
                None => break,
            }
        }
        Ok(true)
    }
}

impl<B: Source> AsyncRead for Body<B> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let max = buf.remaining();
        match ready!(self.src.poll_piece(cx, Want::Data(max))) {
            Ok(Piece::Data(d)) => {
                buf.put_slice(&d);
                Poll::Ready(Ok(()))
            }
            Ok(_) => Poll::Ready(Ok(())),
            Err(e) => Poll::Ready(Err(e.into())),
        }
    }
}

/// Pieces of a body; made by [`Body::chunks`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// use std::future::poll_fn;
/// use std::pin::Pin;
/// use futures_core::Stream;
///
/// let mut body = client.get(&format!("{base}/bytes/5")).send().await?.into_body();
/// let mut pieces = body.chunks(Some(2));
/// let first = poll_fn(|cx| Pin::new(&mut pieces).poll_next(cx)).await.transpose()?;
/// assert_eq!(first.as_deref(), Some(&b"ab"[..]));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Chunks<B> {
    body: Body<B>,
    max: Option<usize>,
    over: bool,
}

impl<B> Chunks<B> {
    /// The body, to read the rest another way.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    ///
    /// let mut body = client.get(&format!("{base}/bytes/5")).send().await?.into_body();
    /// let mut pieces = body.chunks(Some(2));
    /// let _first = poll_fn(|cx| Pin::new(&mut pieces).poll_next(cx)).await;
    /// let mut body = pieces.into_body();
    /// assert_eq!(body.bytes(100).await?, "cde"); // the rest
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> Body<B> {
        self.body
    }
}

impl<B: Source> Stream for Chunks<B> {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.over {
            return Poll::Ready(None);
        }
        let max = self.max;
        let item = ready!(self.body.poll_chunk(cx, max)).transpose();
        self.over = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

/// Lines of a body, as bytes; made by [`Body::lines`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// use std::future::poll_fn;
/// use std::pin::Pin;
/// use futures_core::Stream;
///
/// let mut body = client.get(&format!("{base}/stream/2")).send().await?.into_body();
/// let mut lines = body.lines();
/// let first = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await.transpose()?;
/// assert_eq!(first.as_deref(), Some(&b"{\"id\":0}"[..]));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Lines<B> {
    body: Body<B>,
    over: bool,
}

impl<B> Lines<B> {
    /// The body, to read the rest another way.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    ///
    /// let mut body = client.get(&format!("{base}/stream/3")).send().await?.into_body();
    /// let mut lines = body.lines();
    /// let _first = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await;
    /// let mut body = lines.into_body();
    /// assert_eq!(body.next_line().await?.as_deref(), Some(&b"{\"id\":1}"[..]));
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> Body<B> {
        self.body
    }
}

impl<B: Source> Stream for Lines<B> {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.over {
            return Poll::Ready(None);
        }
        let item = ready!(self.body.poll_line(cx)).transpose();
        self.over = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

/// Lines of a body, as text; made by [`Body::text_lines`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// use std::future::poll_fn;
/// use std::pin::Pin;
/// use futures_core::Stream;
///
/// let mut body = client.get(&format!("{base}/stream/2")).send().await?.into_body();
/// let mut lines = body.text_lines(h1_tokio::TextOptions::default())?;
/// let first = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await.transpose()?;
/// assert_eq!(first.as_deref(), Some("{\"id\":0}"));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct TextLines<B> {
    lines: Lines<B>,
    decoder: TextDecoder,
}

impl<B> TextLines<B> {
    /// The charset the lines are decoded with.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut body = client.get(&format!("{base}/stream/1")).send().await?.into_body();
    /// let lines = body.text_lines(h1_tokio::TextOptions::default())?;
    /// assert_eq!(lines.charset(), h1_tokio::Charset::UTF_8); // no charset given: the default
    /// # Ok(()) }
    /// ```
    pub fn charset(&self) -> h1_common::Charset {
        self.decoder.charset()
    }
}

impl<B: Source> Stream for TextLines<B> {
    type Item = Result<String, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let line = match ready!(Pin::new(&mut self.lines).poll_next(cx)) {
            Some(Ok(line)) => line,
            Some(Err(e)) => return Poll::Ready(Some(Err(e))),
            None => return Poll::Ready(None),
        };
        let text = self.decoder.decode(&line);
        if text.is_err() {
            self.lines.over = true;
        }
        Poll::Ready(Some(text))
    }
}
