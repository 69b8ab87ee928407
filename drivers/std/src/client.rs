//! [`Client`]: requests from URLs over pooled connections, responses read lazily.

use std::fmt;
use std::io::{self, Read};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, Bytes, BytesMut};
use h1::{Event, Headers, Output};
use h1_common::client::{response_head_of, unexpected, upload_error};
use h1_common::{keep_alive_timeout, Error, ErrorKind, Framing, PoolKey, TextOptions};

use crate::body::{Body, Chunks, Lines, TextLines};
use crate::conn::{Conn, Stream};
#[cfg(feature = "http")]
use crate::ResponseBody;

/// The client's pool: idle connections, and what happened to connections.
type Pool<S> = h1_common::client::Pool<Conn<S>>;

/// Opens connections for a [`Client`]: plain TCP ([`TcpConnector`]) by default; implement it
/// to add TLS or a proxy (see `docs/client.md`, "TLS").
///
/// ```
/// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_std::Client::new();
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
/// use h1_std::{Client, ClientConfig, Connector, Error, PoolKey, TcpConnector};
///
/// /// Plain TCP, counting the connections it opens.
/// struct Counting(Arc<AtomicUsize>);
///
/// impl Connector for Counting {
///     type Stream = std::net::TcpStream;
///
///     fn connect(&self, key: &PoolKey, timeout: Option<Duration>) -> Result<Self::Stream, Error> {
///         self.0.fetch_add(1, Ordering::Relaxed);
///         TcpConnector.connect(key, timeout)
///     }
/// }
///
/// let opened = Arc::new(AtomicUsize::new(0));
/// let client = Client::with_connector(Counting(Arc::clone(&opened)), ClientConfig::default());
/// for _ in 0..2 {
///     client.get(&format!("{base}/bytes/3")).send()?.bytes(100)?;
/// }
/// assert_eq!(opened.load(Ordering::Relaxed), 1); // the second request reused the first's
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Connector: Send + Sync + 'static {
    /// The stream a connection runs over.
    type Stream: Stream + Send + 'static;

    /// Opens a connection to `key`'s host and port, within `timeout` when one is given.
    ///
    /// # Errors
    /// [`ErrorKind::Connect`] when no address accepted the connection,
    /// [`ErrorKind::Timeout`] when the timeout passed, [`ErrorKind::InvalidInput`] for a
    /// scheme this connector does not speak.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// use h1_std::{Connector, PoolKey, TcpConnector};
    ///
    /// let key = PoolKey { scheme: "http".into(), host: "127.0.0.1".into(), port: server.local_addr().port() };
    /// let stream = TcpConnector.connect(&key, None)?;
    /// assert_eq!(stream.peer_addr()?, server.local_addr());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn connect(&self, key: &PoolKey, timeout: Option<Duration>) -> Result<Self::Stream, Error>;
}

/// Plain TCP, for `http` URLs: tries each address the host resolves to, in order.
///
/// ```
/// use h1_std::Connector;
/// let key = h1_common::PoolKey { scheme: "https".into(), host: "a".into(), port: 443 };
/// assert!(h1_std::TcpConnector.connect(&key, None).is_err()); // TLS needs another connector
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpConnector;

impl Connector for TcpConnector {
    type Stream = TcpStream;

    fn connect(&self, key: &PoolKey, timeout: Option<Duration>) -> Result<TcpStream, Error> {
        h1_common::client::plain_http_only(key)?;
        let addrs = (key.host.as_str(), key.port)
            .to_socket_addrs()
            .map_err(|e| {
                Error::from_io(e)
                    .with_kind(ErrorKind::Connect)
                    .context(&format!("resolving {}", key.host))
            })?;
        let mut last = None;
        for addr in addrs {
            let attempt = match timeout {
                Some(t) => TcpStream::connect_timeout(&addr, t),
                None => TcpStream::connect(addr),
            };
            match attempt {
                Ok(stream) => {
                    // Heads and small chunks go out at once; the driver writes whole pieces.
                    let _ = stream.set_nodelay(true);
                    return Ok(stream);
                }
                Err(e) => last = Some((addr, e)),
            }
        }
        Err(match last {
            Some((addr, e)) => {
                let e = Error::from_io(e);
                let kind = if e.is_timeout() {
                    ErrorKind::Timeout
                } else {
                    ErrorKind::Connect
                };
                e.with_kind(kind).context(&format!("connecting to {addr}"))
            }
            None => Error::new(
                ErrorKind::Connect,
                format!("{} resolved to no address", key.host),
            ),
        })
    }
}

pub use h1_common::client::{ClientConfig, Released};

/// A blocking HTTP/1.1 client with a connection pool. Cheap to clone; clones share the
/// pool, and it can be used from several threads at once.
///
/// ```no_run
/// let client = h1_std::Client::new();
/// let mut res = client.get("http://example.com/").send()?;
/// println!("{} ({:?} bytes)", res.status(), res.content_length());
/// for line in res.iter_lines() {
///     println!("{}", String::from_utf8_lossy(&line?));
/// }
/// # Ok::<(), h1_std::Error>(())
/// ```
pub struct Client<C: Connector = TcpConnector> {
    shared: Arc<h1_common::client::Shared<C, Conn<C::Stream>>>,
}

h1_common::client_methods!("h1_std");

impl<C: Connector> Client<C> {
    fn open(&self, key: &PoolKey) -> Result<Conn<C::Stream>, Error> {
        let config = &self.shared.config;
        let stream = self.shared.connector.connect(key, config.connect_timeout)?;
        let mut conn = Conn::new(stream, self.shared.new_connection());
        conn.set_counters(Some(Arc::clone(&self.shared.counters)));
        Ok(conn)
    }

    /// The most recently used idle connection to `key` that is still open.
    fn checkout(&self, key: &PoolKey) -> Option<Conn<C::Stream>> {
        let alive = |conn: &mut Conn<C::Stream>| conn.stream_mut().is_idle_alive();
        self.shared.pool.checkout(key, Instant::now(), alive)
    }

    /// Sends an `http::Request` (feature `http`) and returns the response as an
    /// `http::Response` as soon as its head arrived: the body is a [`ResponseBody`], read
    /// lazily from the connection like a [`Response`]'s. The request is
    /// [`request_http`](Self::request_http)'s, sent with the client's options; the
    /// response head is [`Response::into_http`]'s.
    ///
    /// ```no_run
    /// use std::io::Read;
    ///
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/stream/20").body(())?;
    /// let mut res = client.send_http(req)?;
    /// assert_eq!(res.status(), http::StatusCode::OK);
    /// let mut text = String::new();
    /// res.body_mut().take(1 << 20).read_to_string(&mut text)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a request that cannot be sent (see
    /// [`request_http`](Self::request_http)), and as [`RequestBuilder::send`] and
    /// [`Response::into_http`].
    #[cfg(feature = "http")]
    pub fn send_http<B: h1_common::FullBody>(
        &self,
        req: http::Request<B>,
    ) -> Result<http::Response<ResponseBody<C::Stream>>, Error> {
        self.request_http(req).send()?.into_http()
    }
}

/// A request body: a `Read` with a length, or an iterator of pieces.
type Upload<'a> =
    h1_common::client::Upload<Box<dyn Read + 'a>, Box<dyn Iterator<Item = io::Result<Bytes>> + 'a>>;

h1_common::request_builder! {
    "h1_std";
/// A request being built; [`send`](Self::send) sends it.
///
/// ```no_run
/// let client = h1_std::Client::new();
/// let lines = ["{\"n\":1}\n", "{\"n\":2}\n"];
/// let res = client
///     .post("http://127.0.0.1:8080/echo")
///     .header("Content-Type", "application/x-ndjson")
///     .body_chunks(lines) // sent chunked, each piece flushed as it is produced
///     .send()?;
/// assert_eq!(res.status(), 200);
/// # Ok::<(), h1_std::Error>(())
/// ```
}

impl<'a, C: Connector> RequestBuilder<'a, C> {
    /// A body read from `reader`, exactly `len` bytes, sent with `Content-Length`; a reader
    /// that ends early fails the request.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let file = std::io::repeat(b'x'); // any Read: a file, a socket
    /// let res = client.post(&format!("{base}/echo")).body_reader(file, 1000).send()?;
    /// assert_eq!(res.content_length(), Some(1000));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body_reader(mut self, reader: impl Read + 'a, len: u64) -> Self {
        self.upload = Upload::Reader(Box::new(reader), len);
        self
    }

    /// A body of unknown length from an iterator of pieces (Python's
    /// `requests.post(url, data=gen())`): sent chunked, each piece written and flushed as
    /// it is produced; empty pieces are skipped (never sent as the last chunk).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let pieces = (1..=3).map(|i| format!("piece {i}\n")); // each made when the upload asks
    /// let res = client.post(&format!("{base}/echo")).body_chunks(pieces).send()?;
    /// assert_eq!(res.text(1 << 10, h1_std::TextOptions::default())?, "piece 1\npiece 2\npiece 3\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body_chunks<I>(mut self, chunks: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Bytes>,
        I::IntoIter: 'a,
    {
        self.upload = Upload::Chunks(Box::new(chunks.into_iter().map(|c| Ok(c.into()))));
        self
    }

    /// As [`body_chunks`](Self::body_chunks), from pieces that may fail: the first error
    /// stops the upload and fails the request (the connection is closed, so the server
    /// never sees a complete body).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// use std::io;
    ///
    /// let pieces = vec![Ok("a"), Err(io::Error::other("the source failed"))];
    /// let sent = client.post(&format!("{base}/echo")).try_body_chunks(pieces).send();
    /// assert_eq!(sent.unwrap_err().kind(), h1_std::ErrorKind::InvalidInput);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn try_body_chunks<I, B>(mut self, chunks: I) -> Self
    where
        I: IntoIterator<Item = io::Result<B>>,
        B: Into<Bytes>,
        I::IntoIter: 'a,
    {
        self.upload = Upload::Chunks(Box::new(chunks.into_iter().map(|c| c.map(Into::into))));
        self
    }

    /// Sends the request and returns as soon as the response head arrived; the body is
    /// read from the [`Response`]. A request on a pooled connection that fails before any
    /// response byte arrived is sent again once on a fresh connection, when its method is
    /// idempotent and its body can be sent twice.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a bad URL, header or body; [`ErrorKind::Connect`],
    /// [`ErrorKind::Transport`], [`ErrorKind::Timeout`], [`ErrorKind::Protocol`].
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let res = client.get(&format!("{base}/bytes/3")).send()?; // the head is here
    /// assert_eq!(res.status(), 200);
    /// assert_eq!(res.bytes(100)?, "abc"); // the body is read now
    /// let bad = client.get("ftp://127.0.0.1/").send();
    /// assert_eq!(bad.unwrap_err().kind(), h1_std::ErrorKind::InvalidInput);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send(mut self) -> Result<Response<C::Stream>, Error> {
        let (mut conn, head, key, reused) = h1_common::send_with_retry!(self);
        conn.start_body(Framing::incoming(conn.connection()), head.headers());
        Ok(Response {
            keep_alive: keep_alive_timeout(head.headers()),
            head,
            conn: Some(conn),
            pool: Arc::clone(&self.client.shared.pool),
            key,
            reused,
            read_timeout: self.client.shared.config.read_timeout,
        })
    }

    /// One attempt: the head, the body, then the response head.
    fn exchange(
        &mut self,
        conn: &mut Conn<C::Stream>,
        req: &h1::Request,
    ) -> Result<h1::Response, Error> {
        let head = conn.connection_mut().send_request(req)?;
        if self.upload.is_none() {
            let end = conn.connection_mut().send_end()?;
            conn.write(head.chain(end))?;
            conn.flush()?;
            return read_head(conn);
        }
        let head = if self.parts.expect_continue {
            conn.write(head)?;
            conn.flush()?;
            if let Some(early) = self.wait_for_continue(conn)? {
                // A final answer before the body: the body is not sent, and the connection
                // (whose request is unfinished) is closed after this response.
                conn.mark_broken();
                return Ok(early);
            }
            Output::default()
        } else {
            head
        };
        match self.send_body(conn, head) {
            Ok(()) => read_head(conn),
            // A server may answer and close before it read the whole body (a 413, say):
            // its answer is worth more than the write error.
            Err(e) if e.kind() == ErrorKind::Transport => read_head(conn).map_err(|_| e),
            Err(e) => Err(e),
        }
    }

    /// Waits up to the continue timeout: `None` to send the body (a 100 arrived, or
    /// nothing did), or the final response that came first.
    fn wait_for_continue(&self, conn: &mut Conn<C::Stream>) -> Result<Option<h1::Response>, Error> {
        let until = Instant::now() + self.client.shared.config.continue_timeout;
        loop {
            match conn.connection_mut().next_event() {
                Ok(Event::NeedData) => {
                    let left = until.saturating_duration_since(Instant::now());
                    if left.is_zero() || conn.fill_within(left)?.is_none() {
                        return Ok(None);
                    }
                }
                Ok(Event::Informational(res)) if res.status() == 100 => return Ok(None),
                Ok(Event::Informational(_)) => {}
                Ok(Event::Response(res)) => return Ok(Some(res)),
                Ok(other) => return Err(unexpected(&other)),
                Err(e) => return Err(Error::from_h1(e)),
            }
        }
    }

    /// Sends the body and the end of the request; `head`, when not yet written, goes out
    /// with the first bytes of the body in one write (with all of a body of known bytes).
    fn send_body(&mut self, conn: &mut Conn<C::Stream>, mut head: Output) -> Result<(), Error> {
        match std::mem::replace(&mut self.upload, Upload::None) {
            Upload::None => {}
            Upload::Bytes(bytes) => {
                // Kept for a retry: cloning `Bytes` is a refcount.
                self.upload = Upload::Bytes(bytes.clone());
                let h1 = conn.connection_mut();
                let data = h1.send_data(bytes)?;
                let end = h1.send_end()?;
                conn.write(head.chain(data).chain(end))?;
                return conn.flush();
            }
            Upload::Reader(mut reader, len) => {
                let mut left = len;
                let mut buf = BytesMut::new();
                while left > 0 {
                    let want = left.min(64 * 1024) as usize;
                    buf.resize(want, 0);
                    let n = match reader.read(&mut buf[..want]) {
                        Ok(0) => return Err(upload_error::ended_early(len - left, len)),
                        Ok(n) => n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(upload_error::reading(e)),
                    };
                    let piece = buf.split_to(n).freeze();
                    left -= n as u64;
                    let data = conn.connection_mut().send_data(piece)?;
                    conn.write(std::mem::take(&mut head).chain(data))?;
                }
            }
            Upload::Chunks(chunks) => {
                // The head goes at once: the server sees it before the first piece is made.
                conn.write(std::mem::take(&mut head))?;
                conn.flush()?;
                for chunk in chunks {
                    let chunk = chunk.map_err(upload_error::producing)?;
                    if chunk.is_empty() {
                        continue;
                    }
                    conn.send(|h1| h1.send_data(chunk))?;
                    conn.flush()?;
                }
            }
        }
        let end = conn.connection_mut().send_end()?;
        conn.write(head.chain(end))?;
        conn.flush()
    }
}

/// Reads up to the final response head (skipping 1xx; a 101 that switched protocols is
/// returned as the head).
fn read_head<S: Stream>(conn: &mut Conn<S>) -> Result<h1::Response, Error> {
    loop {
        if let Some(head) = response_head_of(conn.next_event()?)? {
            return Ok(head);
        }
    }
}

/// A response whose head arrived; its body is read lazily from the connection it owns.
///
/// The connection goes back to the pool when the response is finished or dropped after
/// the body was read to its end (or its rest was already buffered); otherwise it is
/// closed. [`finish`](Self::finish) says which.
///
/// ```no_run
/// let client = h1_std::Client::new();
/// let mut res = client.get("http://127.0.0.1:8080/bytes/100").send()?;
/// if res.content_length().is_some_and(|n| n > 1 << 20) {
///     return Ok(()); // too large: dropping the response closes the connection
/// }
/// for piece in res.iter_content(Some(16)) {
///     assert!(piece?.len() <= 16);
/// }
/// assert_eq!(res.finish(), h1_std::Released::Pooled);
/// # Ok::<(), h1_std::Error>(())
/// ```
pub struct Response<S: Stream> {
    head: h1::Response,
    conn: Option<Conn<S>>,
    pool: Arc<Pool<S>>,
    key: PoolKey,
    reused: bool,
    keep_alive: Option<Duration>,
    read_timeout: Option<Duration>,
}

impl<S: Stream> fmt::Debug for Response<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("head", &self.head)
            .field("origin", &self.key.to_string())
            .field("reused", &self.reused)
            .finish_non_exhaustive()
    }
}

impl<S: Stream> Response<S> {
    h1_common::response_head! {
        ///
        /// ```no_run
        /// let client = h1_std::Client::new();
        /// let res = client.get("http://127.0.0.1:8080/stream/3").send()?;
        /// let parts = res.http_parts()?; // the response keeps its body
        /// assert_eq!(parts.status, http::StatusCode::OK);
        /// # Ok::<(), h1_std::Error>(())
        /// ```
    }

    /// The length of the body that follows: its Content-Length, 0 when no body follows
    /// (a response to HEAD, 204, 304), `None` for chunked and close-delimited bodies.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let sized = client.get(&format!("{base}/bytes/10")).send()?;
    /// assert_eq!(sized.content_length(), Some(10));
    /// let chunked = client.get(&format!("{base}/stream/2")).send()?;
    /// assert_eq!(chunked.content_length(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.conn
            .as_ref()
            .and_then(Conn::body_state)
            .and_then(h1_common::BodyState::content_length)
    }

    /// The body reader (borrowing the response); the methods below are shortcuts to it.
    ///
    /// # Panics
    /// Never: the connection is only taken by [`finish`](Self::finish), which consumes
    /// the response.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/2")).send()?;
    /// assert_eq!(res.body().next_line()?.as_deref(), Some(&b"{\"id\":0}"[..]));
    /// assert_eq!(res.status(), 200); // the head is still at hand
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(&mut self) -> Body<'_, S> {
        Body::new(
            self.conn
                .as_mut()
                .expect("a live response owns its connection"),
        )
    }

    /// Pieces of at most `max` bytes, or of whatever arrived with `None`
    /// ([`Body::chunks`]).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/bytes/2500")).send()?;
    /// let mut total = 0;
    /// for piece in res.iter_content(Some(1000)) {
    ///     let piece = piece?;
    ///     assert!(piece.len() <= 1000);
    ///     total += piece.len();
    /// }
    /// assert_eq!(total, 2500);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter_content(&mut self, max: Option<usize>) -> Chunks<'_, S> {
        self.body().chunks(max)
    }

    /// Lines as bytes ([`Body::lines`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let mut res = client.get("http://127.0.0.1:8080/stream/20").send()?;
    /// for line in res.iter_lines() {
    ///     println!("{}", String::from_utf8_lossy(&line?)); // without its terminator
    /// }
    /// # Ok::<(), h1_std::Error>(())
    /// ```
    pub fn iter_lines(&mut self) -> Lines<'_, S> {
        self.body().lines()
    }

    /// Lines as text, decoded with the Content-Type charset or `options`' fallback
    /// ([`Body::text_lines`]).
    ///
    /// # Errors
    /// An unknown charset.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/2")).send()?;
    /// let lines: Vec<String> = res.text_lines(h1_std::TextOptions::default())?.collect::<Result<_, _>>()?;
    /// assert_eq!(lines, ["{\"id\":0}", "{\"id\":1}"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text_lines(&mut self, options: TextOptions) -> Result<TextLines<'_, S>, Error> {
        self.body().text_lines(options)
    }

    /// The whole body, refused past `limit` bytes ([`Body::bytes`]); the connection then
    /// goes back to the pool (when reusable). `res.body().bytes(limit)` does the same
    /// without consuming the response.
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], or a failure reading.
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let res = client.get("http://127.0.0.1:8080/bytes/100").send()?;
    /// let body = res.bytes(1 << 20)?; // an ErrorKind::TooLarge error past 1 MiB
    /// assert_eq!(body.len(), 100);
    /// # Ok::<(), h1_std::Error>(())
    /// ```
    pub fn bytes(mut self, limit: u64) -> Result<Bytes, Error> {
        self.body().bytes(limit)
    }

    /// The whole body as text, refused past `limit` bytes ([`Body::text`]); the
    /// connection then goes back to the pool (when reusable).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], [`ErrorKind::Decode`], or a failure reading.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let res = client.get(&format!("{base}/stream/2")).send()?;
    /// let text = res.text(1 << 20, h1_std::TextOptions::default())?;
    /// assert_eq!(text, "{\"id\":0}\n{\"id\":1}\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn text(mut self, limit: u64, options: TextOptions) -> Result<String, Error> {
        self.body().text(limit, options)
    }

    /// Reads and discards at most `limit` more body bytes so the connection can be
    /// reused; true when the body ended within the limit.
    ///
    /// # Errors
    /// A failure reading.
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let mut res = client.get("http://127.0.0.1:8080/bytes/10").send()?;
    /// if res.drain(1 << 16)? {
    ///     assert_eq!(res.finish(), h1_std::Released::Pooled);
    /// }
    /// # Ok::<(), h1_std::Error>(())
    /// ```
    pub fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        self.body().drain(limit)
    }

    /// The trailer fields of a chunked body (empty until its end was read).
    ///
    /// ```
    /// use std::io::{Read, Write};
    ///
    /// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let url = format!("http://{}/", listener.local_addr()?);
    /// // A server that sends a checksum after the body.
    /// std::thread::spawn(move || -> std::io::Result<()> {
    ///     let (mut sock, _) = listener.accept()?;
    ///     let _request = sock.read(&mut [0; 1024])?;
    ///     sock.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
    ///                      2\r\nhi\r\n0\r\nChecksum: 42\r\n\r\n")
    /// });
    /// let client = h1_std::Client::new();
    /// let mut res = client.get(&url).send()?;
    /// assert!(res.trailers().is_empty()); // the body is not read yet
    /// assert_eq!(res.body().bytes(100)?, "hi");
    /// assert_eq!(res.trailers().get_str("checksum"), Some("42"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trailers(&self) -> &Headers {
        static EMPTY: std::sync::OnceLock<Headers> = std::sync::OnceLock::new();
        self.conn.as_ref().and_then(Conn::body_state).map_or_else(
            || EMPTY.get_or_init(Headers::new),
            h1_common::BodyState::trailers,
        )
    }

    /// Bytes received on this response's connection so far (heads included).
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let mut res = client.get(&format!("{base}/bytes/1000")).send()?;
    /// res.body().bytes(10_000)?;
    /// assert!(res.bytes_received() > 1000); // the head, then the whole body
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bytes_received(&self) -> u64 {
        self.conn.as_ref().map_or(0, Conn::bytes_received)
    }

    /// Gives the connection back to the pool if the body was read to its end (or its rest
    /// is already buffered) and the connection is reusable; closes it otherwise. Dropping
    /// the response does the same.
    ///
    /// ```
    /// # let server = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_std::Client::new();
    /// let res = client.get(&format!("{base}/bytes/1000000")).send()?;
    /// assert_eq!(res.finish(), h1_std::Released::Closed); // its body was not read
    /// let mut res = client.get(&format!("{base}/bytes/3")).send()?;
    /// res.body().bytes(100)?;
    /// assert_eq!(res.finish(), h1_std::Released::Pooled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> Released {
        self.release()
    }

    /// The response as an `http::Response` (feature `http`): the head as
    /// [`http_parts`](Self::http_parts) gives it, and the body still unread, as a
    /// [`ResponseBody`] that reads it lazily from the connection.
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let res = client.get("http://127.0.0.1:8080/bytes/100").send()?.into_http()?;
    /// assert_eq!(res.headers()["content-length"], "100");
    /// assert_eq!(res.into_body().bytes(1 << 20)?.len(), 100);
    /// # Ok::<(), h1_std::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`http_parts`](Self::http_parts): more fields than an `http::HeaderMap` holds.
    #[cfg(feature = "http")]
    pub fn into_http(self) -> Result<http::Response<ResponseBody<S>>, Error> {
        let parts = self.http_parts()?;
        Ok(http::Response::from_parts(parts, ResponseBody(self)))
    }

    fn release(&mut self) -> Released {
        let Some(mut conn) = self.conn.take() else {
            return Released::Closed;
        };
        let ended = Body::new(&mut conn).finish_buffered().unwrap_or(false);
        let reusable =
            ended && conn.is_reusable() && conn.connection_mut().start_next_cycle().is_ok();
        if reusable {
            conn.body = None;
            conn.set_deadline(None);
            conn.set_read_timeout(self.read_timeout);
        }
        let now = Instant::now();
        self.pool
            .release(&self.key, conn, reusable, now, self.keep_alive)
    }
}

impl<S: Stream> Read for Response<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body().read(buf)
    }
}

impl<S: Stream> Drop for Response<S> {
    fn drop(&mut self) {
        self.release();
    }
}
