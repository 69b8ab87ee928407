//! [`Client`]: requests from URLs over pooled connections, responses read lazily.
//!
//! The pool's bookkeeping (most recently used first, idle timeout honouring
//! `Keep-Alive: timeout=`, at most N idle per origin) is [`h1_common::IdlePool`]'s, request
//! heads are [`h1_common::request_head`]'s, the configuration and statistics
//! [`h1_common::client`]'s: the same as the blocking client's. This module owns sockets,
//! tasks and timers.
//!
//! # Cancel safety
//! Dropping a [`RequestBuilder::send`] future at any await point drops the connection it
//! was using (closing it); dropping a [`Response`] (or its body, or a stream made from it)
//! before the body's end closes its connection too, unless the rest of the body is
//! already buffered. A connection goes back to the pool only after its response was read
//! to its end: never a half-read one.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use h1::{Connection, Event, Headers, Role};
use h1_common::client::{ClientStats, Count, RequestParts, StatCounts};
use h1_common::{
    keep_alive_timeout, BodyState, Counters, Error, ErrorKind, Framing, IdlePool, Piece, PoolKey,
    TextOptions, Url,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

pub use h1_common::client::{ClientConfig, Released};

use crate::body::{Body, Chunks, Lines, Sealed, TextLines, Want};
use crate::conn::Conn;

/// Opens connections for a [`Client`]: plain TCP ([`TcpConnector`]) by default; implement
/// it to add TLS (a `tokio-rustls` stream is an `AsyncRead + AsyncWrite`) or a proxy.
pub trait Connector: Send + Sync + 'static {
    /// The stream a connection runs over.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug + 'static;

    /// Opens a connection to `key`'s host and port (the client bounds it with its
    /// connect timeout).
    ///
    /// # Errors
    /// [`ErrorKind::Connect`] when no address accepted the connection,
    /// [`ErrorKind::InvalidInput`] for a scheme this connector does not speak.
    fn connect(&self, key: &PoolKey) -> impl Future<Output = Result<Self::Stream, Error>> + Send;
}

/// Plain TCP, for `http` URLs.
///
/// ```
/// use h1_tokio::client::{Connector, TcpConnector};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let key = h1_common::PoolKey { scheme: "https".into(), host: "a".into(), port: 443 };
/// assert!(TcpConnector.connect(&key).await.is_err()); // TLS needs another connector
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpConnector;

impl Connector for TcpConnector {
    type Stream = TcpStream;

    async fn connect(&self, key: &PoolKey) -> Result<TcpStream, Error> {
        if key.scheme != "http" {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "{key}: TcpConnector speaks plain http; use a TLS connector for {}",
                    key.scheme
                ),
            ));
        }
        let stream = TcpStream::connect((key.host.as_str(), key.port))
            .await
            .map_err(|e| {
                Error::from_io(e)
                    .with_kind(ErrorKind::Connect)
                    .context(&format!("connecting to {key}"))
            })?;
        let _ = stream.set_nodelay(true);
        Ok(stream)
    }
}

/// Idle connections and what happened to connections.
struct Pool<S> {
    idle: Mutex<IdlePool<Conn<S>>>,
    counts: StatCounts,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Pool<S> {
    fn idle(&self) -> MutexGuard<'_, IdlePool<Conn<S>>> {
        // Every operation on the pool is a single push or pop: a panic cannot leave it
        // half-changed.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most recently used idle connection to `key` that is still open.
    fn checkout(&self, key: &PoolKey) -> Option<Conn<S>> {
        loop {
            let mut conn = self.idle().take(key, std::time::Instant::now())?;
            if conn.is_idle_alive() {
                self.counts.count(Count::Reused);
                return Some(conn);
            }
            self.counts.count(Count::Stale);
        }
    }

    fn checkin(&self, key: PoolKey, conn: Conn<S>, keep_alive: Option<Duration>) {
        self.counts.count(Count::Pooled);
        let pushed_out = self
            .idle()
            .put(key, conn, std::time::Instant::now(), keep_alive);
        drop(pushed_out); // closed outside the lock
    }
}

struct Shared<C: Connector> {
    connector: C,
    config: ClientConfig,
    pool: Arc<Pool<C::Stream>>,
    counters: Arc<Counters>,
}

/// An async HTTP/1.1 client with a connection pool, the twin of `h1_std::Client`. Cheap to
/// clone; clones share the pool, and it can be used from many tasks at once.
///
/// ```no_run
/// use futures_core::Stream;
/// use std::future::poll_fn;
/// use std::pin::Pin;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), h1_tokio::Error> {
/// let client = h1_tokio::client::Client::new();
/// let res = client.get("http://127.0.0.1:8080/stream/20").send().await?;
/// println!("{} ({:?} bytes)", res.status(), res.content_length());
/// let mut lines = res.lines();
/// while let Some(line) = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await {
///     println!("{}", String::from_utf8_lossy(&line?));
/// }
/// # Ok(()) }
/// ```
pub struct Client<C: Connector = TcpConnector> {
    shared: Arc<Shared<C>>,
}

impl<C: Connector> Clone for Client<C> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<C: Connector> fmt::Debug for Client<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.shared.config)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    /// A client over plain TCP with the default [`ClientConfig`].
    pub fn new() -> Self {
        Self::with_config(ClientConfig::default())
    }

    /// A client over plain TCP with `config`.
    ///
    /// ```
    /// let mut config = h1_tokio::client::ClientConfig::default();
    /// config.retry = false;
    /// let client = h1_tokio::client::Client::with_config(config);
    /// assert!(!client.config().retry);
    /// ```
    pub fn with_config(config: ClientConfig) -> Self {
        Self::with_connector(TcpConnector, config)
    }
}

impl<C: Connector> Client<C> {
    /// A client whose connections `connector` opens (TLS, a proxy, a test stream).
    pub fn with_connector(connector: C, config: ClientConfig) -> Self {
        Self {
            shared: Arc::new(Shared {
                connector,
                pool: Arc::new(Pool {
                    idle: Mutex::new(IdlePool::new(config.pool)),
                    counts: StatCounts::default(),
                }),
                config,
                counters: Arc::new(Counters::default()),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.shared.config
    }

    /// A request with `method` to `url` (an absolute `http` or `https` URL); the URL is
    /// checked when the request is sent.
    pub fn request(&self, method: &str, url: &str) -> RequestBuilder<'_, C> {
        RequestBuilder {
            client: self,
            parts: RequestParts::new(method, url, &self.shared.config),
            upload: Upload::None,
        }
    }

    h1_common::client_verbs!(RequestBuilder<'_, C>);

    /// What happened to connections so far: opened, reused, pooled, closed, stale, retried.
    pub fn stats(&self) -> ClientStats {
        self.shared.pool.counts.stats()
    }

    /// Bytes sent and received by every connection of this client (for progress reports).
    pub fn counters(&self) -> &Arc<Counters> {
        &self.shared.counters
    }

    /// Idle connections in the pool now (expired ones are dropped first).
    pub fn idle_connections(&self) -> usize {
        let mut idle = self.shared.pool.idle();
        idle.prune(std::time::Instant::now());
        idle.len()
    }

    async fn open(&self, key: &PoolKey) -> Result<Conn<C::Stream>, Error> {
        let config = &self.shared.config;
        let connect = self.shared.connector.connect(key);
        let stream = match config.connect_timeout {
            Some(t) => tokio::time::timeout(t, connect).await.map_err(|_| {
                Error::new(
                    ErrorKind::Timeout,
                    format!("connecting to {key} took longer than {t:?}"),
                )
            })??,
            None => connect.await?,
        };
        self.shared.pool.counts.count(Count::Opened);
        let mut conn = Conn::new(
            stream,
            Connection::with_limits(Role::Client, config.limits.clone())
                .with_buffers(config.buffers.clone()),
        );
        conn.set_counters(Some(Arc::clone(&self.shared.counters)));
        Ok(conn)
    }
}

/// A request body: an `AsyncRead` with a length, or a `Stream` of pieces.
type Upload<'a> = h1_common::client::Upload<
    Pin<Box<dyn AsyncRead + Send + 'a>>,
    Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + 'a>>,
>;

/// A request being built; [`send`](Self::send) sends it.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'a, C: Connector> {
    client: &'a Client<C>,
    parts: RequestParts,
    upload: Upload<'a>,
}

impl<C: Connector> fmt::Debug for RequestBuilder<'_, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.parts.method)
            .field("url", &self.parts.url().map(Url::as_str))
            .field("headers", self.parts.headers())
            .finish_non_exhaustive()
    }
}

impl<'a, C: Connector> RequestBuilder<'a, C> {
    h1_common::request_options!();

    /// A body of known bytes, sent with `Content-Length`.
    pub fn body(mut self, bytes: impl Into<Bytes>) -> Self {
        self.upload = Upload::Bytes(bytes.into());
        self
    }

    /// A body read from `reader`, exactly `len` bytes, sent with `Content-Length`; a
    /// reader that ends early fails the request.
    pub fn body_reader(mut self, reader: impl AsyncRead + Send + 'a, len: u64) -> Self {
        self.upload = Upload::Reader(Box::pin(reader), len);
        self
    }

    /// A body of unknown length from a [`Stream`] of pieces (Python's
    /// `requests.post(url, data=gen())`): sent chunked, each piece written and flushed as
    /// it is produced; empty pieces are skipped (never sent as the last chunk). The first
    /// error stops the upload and fails the request (the connection is closed, so the
    /// server never sees a complete body).
    pub fn body_stream<S, B>(mut self, chunks: S) -> Self
    where
        S: Stream<Item = io::Result<B>> + Send + 'a,
        B: Into<Bytes>,
    {
        self.upload = Upload::Chunks(Box::pin(IntoBytes(Box::pin(chunks))));
        self
    }

    /// Sends the request and returns as soon as the response head arrived; the body is
    /// read from the [`Response`]. A request on a pooled connection that fails before any
    /// response byte arrived is sent again once on a fresh connection, when its method is
    /// idempotent and its body can be sent twice. Cancel-safe in the sense of the module
    /// docs: dropping the future closes the connection in use.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a bad URL, header or body; [`ErrorKind::Connect`],
    /// [`ErrorKind::Transport`], [`ErrorKind::Timeout`], [`ErrorKind::Protocol`].
    pub async fn send(mut self) -> Result<Response<C::Stream>, Error> {
        let (req, key) = self.parts.prepare(self.upload.framing())?;
        let client = self.client;
        let pool = &client.shared.pool;
        let started = Instant::now();
        let (mut conn, mut reused) = match pool.checkout(&key) {
            Some(conn) => (conn, true),
            None => (client.open(&key).await?, false),
        };
        let may_retry =
            self.parts
                .may_retry(reused, &client.shared.config, self.upload.replayable());
        let head = match self.exchange(&mut conn, &req, started).await {
            Ok(head) => head,
            Err(e) if may_retry && e.is_retry_safe() => {
                pool.counts.count(Count::Closed);
                drop(conn);
                pool.counts.count(Count::Retried);
                conn = client.open(&key).await?;
                reused = false;
                self.exchange(&mut conn, &req, Instant::now())
                    .await
                    .map_err(|e| e.context("on a fresh connection after a failed reused one"))?
            }
            Err(e) => {
                pool.counts.count(Count::Closed);
                return Err(e);
            }
        };
        conn.start_body(Framing::incoming(conn.connection()), head.headers());
        let source = ResponseSource {
            keep_alive: keep_alive_timeout(head.headers()),
            conn: Some(conn),
            pool: Arc::clone(pool),
            key,
            read_timeout: client.shared.config.read_timeout,
        };
        Ok(Response {
            head,
            reused,
            body: Body::new(source),
        })
    }

    /// One attempt: the head, the body, then the response head.
    async fn exchange(
        &mut self,
        conn: &mut Conn<C::Stream>,
        req: &h1::Request,
        started: Instant,
    ) -> Result<h1::Response, Error> {
        conn.set_read_timeout(self.parts.read_timeout);
        conn.set_deadline(self.parts.deadline.map(|d| started + d));
        let result = self.exchange_inner(conn, req).await;
        result.map_err(|e| {
            conn.mark_broken();
            // Whether the request may be sent again is the core's answer.
            e.judged_by(conn.connection_mut())
        })
    }

    async fn exchange_inner(
        &mut self,
        conn: &mut Conn<C::Stream>,
        req: &h1::Request,
    ) -> Result<h1::Response, Error> {
        conn.queue_send(|h1| h1.send_request(req))?;
        if self.upload.is_none() {
            conn.queue_send(Connection::send_end)?;
            conn.flush().await?;
            return read_head(conn).await;
        }
        if self.parts.expect_continue {
            conn.flush().await?;
            if let Some(early) = self.wait_for_continue(conn).await? {
                // A final answer before the body: the body is not sent, and the connection
                // (whose request is unfinished) is closed after this response.
                conn.mark_broken();
                return Ok(early);
            }
        }
        match self.send_body(conn).await {
            Ok(()) => read_head(conn).await,
            // A server may answer and close before it read the whole body (a 413, say):
            // its answer is worth more than the write error.
            Err(e) if e.kind() == ErrorKind::Transport => read_head(conn).await.map_err(|_| e),
            Err(e) => Err(e),
        }
    }

    /// Waits up to the continue timeout: `None` to send the body (a 100 arrived, or
    /// nothing did), or the final response that came first.
    async fn wait_for_continue(
        &self,
        conn: &mut Conn<C::Stream>,
    ) -> Result<Option<h1::Response>, Error> {
        let wait = self.client.shared.config.continue_timeout;
        let answer = tokio::time::timeout(wait, async {
            loop {
                match conn.next_event().await? {
                    Event::Informational(res) if res.status() == 100 => return Ok(None),
                    Event::Informational(_) => {}
                    Event::Response(res) => return Ok(Some(res)),
                    other => return Err(unexpected(&other)),
                }
            }
        })
        .await;
        answer.unwrap_or(Ok(None))
    }

    async fn send_body(&mut self, conn: &mut Conn<C::Stream>) -> Result<(), Error> {
        match std::mem::replace(&mut self.upload, Upload::None) {
            Upload::None => {}
            Upload::Bytes(bytes) => {
                // Kept for a retry: cloning `Bytes` is a refcount.
                self.upload = Upload::Bytes(bytes.clone());
                conn.send(|h1| h1.send_data(bytes)).await?;
            }
            Upload::Reader(mut reader, len) => {
                let mut left = len;
                while left > 0 {
                    let want = usize::try_from(left.min(64 * 1024)).unwrap_or(64 * 1024);
                    let mut buf = BytesMut::zeroed(want);
                    let mut read = ReadBuf::new(&mut buf);
                    poll_fn(|cx| reader.as_mut().poll_read(cx, &mut read))
                        .await
                        .map_err(|e| {
                            Error::from_io(e)
                                .with_kind(ErrorKind::InvalidInput)
                                .context("reading the request body")
                        })?;
                    let n = read.filled().len();
                    if n == 0 {
                        return Err(Error::new(
                            ErrorKind::InvalidInput,
                            format!("the body reader ended after {} of {len} bytes", len - left),
                        ));
                    }
                    buf.truncate(n);
                    left -= n as u64;
                    conn.send(|h1| h1.send_data(buf.freeze())).await?;
                }
            }
            Upload::Chunks(mut chunks) => loop {
                let next = poll_fn(|cx| chunks.as_mut().poll_next(cx)).await;
                let Some(chunk) = next else { break };
                let chunk = chunk.map_err(|e| {
                    Error::from_io(e)
                        .with_kind(ErrorKind::InvalidInput)
                        .context("producing the request body")
                })?;
                if chunk.is_empty() {
                    continue;
                }
                conn.queue_send(|h1| h1.send_data(chunk))?;
                conn.flush().await?;
            },
        }
        conn.queue_send(Connection::send_end)?;
        conn.flush().await
    }
}

/// A stream of pieces as `Bytes`.
struct IntoBytes<S>(Pin<Box<S>>);

impl<S: Stream<Item = io::Result<B>>, B: Into<Bytes>> Stream for IntoBytes<S> {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|o| o.map(|r| r.map(Into::into)))
    }
}

/// Reads up to the final response head (skipping 1xx; a 101 that switched protocols is
/// returned as the head).
async fn read_head<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
) -> Result<h1::Response, Error> {
    loop {
        match conn.next_event().await? {
            Event::Response(res) => return Ok(res),
            Event::Informational(res) if res.status() == 101 => return Ok(res),
            Event::Informational(_) => {}
            other => return Err(unexpected(&other)),
        }
    }
}

fn unexpected(event: &Event) -> Error {
    Error::new(
        ErrorKind::Protocol,
        format!("expected a response head, got {event:?}"),
    )
}

/// What a response [`Body`] reads from: the connection the response owns, which goes
/// back to the pool when the body was read to its end, and is closed otherwise.
pub struct ResponseSource<S: AsyncRead + AsyncWrite + Unpin> {
    conn: Option<Conn<S>>,
    pool: Arc<Pool<S>>,
    key: PoolKey,
    keep_alive: Option<Duration>,
    read_timeout: Option<Duration>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> fmt::Debug for ResponseSource<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseSource")
            .field("origin", &self.key.to_string())
            .finish_non_exhaustive()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> ResponseSource<S> {
    fn release(&mut self) -> Released {
        let Some(mut conn) = self.conn.take() else {
            return Released::Closed;
        };
        let ended = conn.finish_buffered().unwrap_or(false);
        if ended && conn.is_reusable() && conn.connection_mut().start_next_cycle().is_ok() {
            conn.set_deadline(None);
            conn.set_read_timeout(self.read_timeout);
            self.pool.checkin(self.key.clone(), conn, self.keep_alive);
            Released::Pooled
        } else {
            self.pool.counts.count(Count::Closed);
            Released::Closed
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Sealed for ResponseSource<S> {
    fn poll_piece(&mut self, cx: &mut Context<'_>, want: Want) -> Poll<Result<Piece, Error>> {
        match &mut self.conn {
            Some(conn) => conn.poll_piece(cx, want),
            None => Poll::Ready(Ok(Piece::End)),
        }
    }

    fn with_state<R>(&self, f: impl FnOnce(Option<&BodyState>) -> R) -> R {
        f(self.conn.as_ref().and_then(Conn::body_state))
    }

    fn finish_buffered(&mut self) -> Result<bool, Error> {
        self.conn.as_mut().map_or(Ok(true), Conn::finish_buffered)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Drop for ResponseSource<S> {
    fn drop(&mut self) {
        self.release();
    }
}

/// A response whose head arrived; its body is read lazily from the connection it owns.
///
/// The connection goes back to the pool when the response is finished or dropped after
/// the body was read to its end (or its rest was already buffered); otherwise it is
/// closed. [`finish`](Self::finish) says which.
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), h1_tokio::Error> {
/// let client = h1_tokio::client::Client::new();
/// let mut res = client.get("http://127.0.0.1:8080/bytes/100").send().await?;
/// if res.content_length().is_some_and(|n| n > 1 << 20) {
///     return Ok(()); // too large: dropping the response closes the connection
/// }
/// while let Some(piece) = res.body_mut().next_chunk(Some(16)).await? {
///     assert!(piece.len() <= 16);
/// }
/// assert_eq!(res.finish(), h1_tokio::client::Released::Pooled);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Response<S: AsyncRead + AsyncWrite + Unpin> {
    head: h1::Response,
    reused: bool,
    body: Body<ResponseSource<S>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Response<S> {
    h1_common::response_head!();

    /// The length of the body that follows: its Content-Length, 0 when no body follows,
    /// `None` for chunked and close-delimited bodies.
    pub fn content_length(&self) -> Option<u64> {
        self.body.content_length()
    }

    /// The body, to read while keeping the response.
    pub fn body_mut(&mut self) -> &mut Body<ResponseSource<S>> {
        &mut self.body
    }

    /// The body alone (the head is dropped).
    pub fn into_body(self) -> Body<ResponseSource<S>> {
        self.body
    }

    /// Pieces of at most `max` bytes, or of whatever arrived with `None`
    /// ([`Body::chunks`]).
    pub fn chunks(self, max: Option<usize>) -> Chunks<ResponseSource<S>> {
        self.body.chunks(max)
    }

    /// Lines as bytes ([`Body::lines`]).
    pub fn lines(self) -> Lines<ResponseSource<S>> {
        self.body.lines()
    }

    /// Lines as text ([`Body::text_lines`]).
    ///
    /// # Errors
    /// An unknown charset.
    pub fn text_lines(self, options: TextOptions) -> Result<TextLines<ResponseSource<S>>, Error> {
        self.body.text_lines(options)
    }

    /// The whole body, refused past `limit` bytes ([`Body::bytes`]); the connection then
    /// goes back to the pool (when reusable).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], or a failure reading.
    pub async fn bytes(mut self, limit: u64) -> Result<Bytes, Error> {
        self.body.bytes(limit).await
    }

    /// The whole body as text, refused past `limit` bytes ([`Body::text`]).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], [`ErrorKind::Decode`], or a failure reading.
    pub async fn text(mut self, limit: u64, options: TextOptions) -> Result<String, Error> {
        self.body.text(limit, options).await
    }

    /// Reads and discards at most `limit` more body bytes so the connection can be
    /// reused; true when the body ended within the limit.
    ///
    /// # Errors
    /// A failure reading.
    pub async fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        self.body.drain(limit).await
    }

    /// The trailer fields of a chunked body (empty until its end was read).
    pub fn trailers(&self) -> Headers {
        self.body.trailers()
    }

    /// Gives the connection back to the pool if the body was read to its end (or its rest
    /// is already buffered) and the connection is reusable; closes it otherwise. Dropping
    /// the response does the same.
    pub fn finish(self) -> Released {
        self.body.into_source().release()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Response<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.body).poll_read(cx, buf)
    }
}
