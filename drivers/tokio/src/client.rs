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
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use h1::{Connection, Event, Headers};
use h1_common::client::{response_head_of, unexpected, upload_error};
use h1_common::{
    keep_alive_timeout, BodyState, Error, ErrorKind, Framing, Piece, PoolKey, TextOptions,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

pub use h1_common::client::{ClientConfig, ClientStats, Released};

use crate::body::{Body, Chunks, Lines, Sealed, TextLines, Want};
use crate::conn::Conn;

/// Opens connections for a [`Client`]: plain TCP ([`TcpConnector`]) by default; implement
/// it to add TLS (a `tokio-rustls` stream is an `AsyncRead + AsyncWrite`) or a proxy.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use h1_tokio::client::{Client, ClientConfig, Connector, TcpConnector};
/// use h1_tokio::{Error, PoolKey};
///
/// /// Plain TCP, counting the connections it opens.
/// struct Counting(Arc<AtomicUsize>);
///
/// impl Connector for Counting {
///     type Stream = tokio::net::TcpStream;
///
///     async fn connect(&self, key: &PoolKey) -> Result<Self::Stream, Error> {
///         self.0.fetch_add(1, Ordering::Relaxed);
///         TcpConnector.connect(key).await
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// let opened = Arc::new(AtomicUsize::new(0));
/// let client = Client::with_connector(Counting(Arc::clone(&opened)), ClientConfig::default());
/// for _ in 0..2 {
///     client.get(&format!("{base}/bytes/3")).send().await?.bytes(100).await?;
/// }
/// assert_eq!(opened.load(Ordering::Relaxed), 1); // the second request reused the first's
/// # Ok(()) }
/// ```
pub trait Connector: Send + Sync + 'static {
    /// The stream a connection runs over.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug + 'static;

    /// Opens a connection to `key`'s host and port (the client bounds it with its
    /// connect timeout).
    ///
    /// # Errors
    /// [`ErrorKind::Connect`] when no address accepted the connection,
    /// [`ErrorKind::InvalidInput`] for a scheme this connector does not speak.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// use h1_tokio::client::{Connector, TcpConnector};
    ///
    /// let key = h1_tokio::PoolKey {
    ///     scheme: "http".into(),
    ///     host: "127.0.0.1".into(),
    ///     port: server.local_addr().port(),
    /// };
    /// let stream = TcpConnector.connect(&key).await?;
    /// assert_eq!(stream.peer_addr()?, server.local_addr());
    /// # Ok(()) }
    /// ```
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
        h1_common::client::plain_http_only(key)?;
        let stream = TcpStream::connect((key.host.as_str(), key.port))
            .await
            .map_err(|e| h1_common::client::connect_error(e, key))?;
        let _ = stream.set_nodelay(true);
        Ok(stream)
    }
}

/// The client's pool: idle connections, and what happened to connections.
type Pool<S> = h1_common::client::Pool<Conn<S>>;

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
    shared: Arc<h1_common::client::Shared<C, Conn<C::Stream>>>,
}

h1_common::client_methods!("h1_tokio::client");

// Private methods only: rustdoc renders nothing of this block, but the (unstable, so
// unknown to stable rustdoc) example lint checks it.
#[allow(unknown_lints, rustdoc::missing_doc_code_examples)]
impl<C: Connector> Client<C> {
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
        let mut conn = Conn::new(stream, self.shared.new_connection());
        conn.set_counters(Some(Arc::clone(&self.shared.counters)));
        Ok(conn)
    }

    /// The most recently used idle connection to `key` that is still open.
    fn checkout(&self, key: &PoolKey) -> Option<Conn<C::Stream>> {
        let alive = |conn: &mut Conn<C::Stream>| conn.is_idle_alive();
        (self.shared.pool).checkout(key, std::time::Instant::now(), alive)
    }

    /// Sends an `http::Request` (feature `http`) and returns the response as an
    /// `http::Response` as soon as its head arrived: the body is the response's [`Body`],
    /// read lazily from the connection. The request is
    /// [`request_http`](Self::request_http)'s, sent with the client's options; the
    /// response is [`Response::into_http`]'s.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = h1_tokio::client::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/stream/20").body(())?;
    /// let mut res = client.send_http(req).await?;
    /// assert_eq!(res.status(), http::StatusCode::OK);
    /// while let Some(line) = res.body_mut().next_line().await? {
    ///     println!("{}", String::from_utf8_lossy(&line));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a request that cannot be sent (see
    /// [`request_http`](Self::request_http)), and as [`RequestBuilder::send`] and
    /// [`Response::into_http`].
    #[cfg(feature = "http")]
    pub async fn send_http<B: h1_common::FullBody>(
        &self,
        req: http::Request<B>,
    ) -> Result<http::Response<Body<ResponseSource<C::Stream>>>, Error> {
        self.request_http(req).send().await?.into_http()
    }
}

/// A request body: an `AsyncRead` with a length, or a `Stream` of pieces.
type Upload<'a> = h1_common::client::Upload<
    Pin<Box<dyn AsyncRead + Send + 'a>>,
    Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send + 'a>>,
>;

h1_common::request_builder! {
    "h1_tokio::client";
/// A request being built; [`send`](Self::send) sends it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// let client = h1_tokio::client::Client::new();
/// let res = client
///     .post(&format!("{base}/echo"))
///     .header("Content-Type", "text/plain")
///     .body("ping")
///     .send()
///     .await?;
/// assert_eq!(res.headers().get_str("content-type"), Some("text/plain"));
/// assert_eq!(res.bytes(100).await?, "ping");
/// # Ok(()) }
/// ```
}

/// Streamed bodies, and sending.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// let req = client.post(&format!("{base}/echo")).body_reader(&b"from a reader"[..], 13);
/// assert_eq!(req.send().await?.bytes(100).await?, "from a reader");
/// # Ok(()) }
/// ```
impl<'a, C: Connector> RequestBuilder<'a, C> {
    /// A body read from `reader`, exactly `len` bytes, sent with `Content-Length`; a
    /// reader that ends early fails the request.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let file = tokio::io::repeat(b'x'); // any AsyncRead: a file, a socket
    /// let res = client.post(&format!("{base}/echo")).body_reader(file, 1000).send().await?;
    /// assert_eq!(res.content_length(), Some(1000));
    /// # Ok(()) }
    /// ```
    pub fn body_reader(mut self, reader: impl AsyncRead + Send + 'a, len: u64) -> Self {
        self.upload = Upload::Reader(Box::pin(reader), len);
        self
    }

    /// A body of unknown length from a [`Stream`] of pieces (Python's
    /// `requests.post(url, data=gen())`): sent chunked, each piece written and flushed as
    /// it is produced; empty pieces are skipped (never sent as the last chunk). The first
    /// error stops the upload and fails the request (the connection is closed, so the
    /// server never sees a complete body).
    ///
    /// ```
    /// use std::pin::Pin;
    /// use std::task::{Context, Poll};
    ///
    /// /// Three pieces, each made when the upload asks for it.
    /// struct Pieces(u32);
    ///
    /// impl futures_core::Stream for Pieces {
    ///     type Item = std::io::Result<String>;
    ///
    ///     fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
    ///         self.0 += 1;
    ///         Poll::Ready((self.0 <= 3).then(|| Ok(format!("piece {}\n", self.0))))
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.post(&format!("{base}/echo")).body_stream(Pieces(0)).send().await?;
    /// let text = res.text(1 << 10, h1_tokio::TextOptions::default()).await?;
    /// assert_eq!(text, "piece 1\npiece 2\npiece 3\n");
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/bytes/3")).send().await?; // the head is here
    /// assert_eq!(res.status(), 200);
    /// assert_eq!(res.bytes(100).await?, "abc"); // the body is read now
    /// let bad = client.get("ftp://127.0.0.1/").send().await;
    /// assert_eq!(bad.unwrap_err().kind(), h1_tokio::ErrorKind::InvalidInput);
    /// # Ok(()) }
    /// ```
    pub async fn send(mut self) -> Result<Response<C::Stream>, Error> {
        let (mut conn, head, key, reused) = h1_common::send_with_retry!(self.await);
        conn.start_body(Framing::incoming(conn.connection()), head.headers());
        let source = ResponseSource {
            keep_alive: keep_alive_timeout(head.headers()),
            conn: Some(conn),
            pool: Arc::clone(&self.client.shared.pool),
            key,
            read_timeout: self.client.shared.config.read_timeout,
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
    ) -> Result<h1::Response, Error> {
        conn.queue_send(|h1| h1.send_request(req))?;
        if self.upload.is_none() {
            conn.queue_send(Connection::send_end)?;
            conn.flush().await?;
            return read_head(conn).await;
        }
        if self.parts.expect_continue {
            conn.flush().await?;
            let wait = self.client.shared.config.continue_timeout;
            if let Some(early) = wait_for_continue(conn, wait).await? {
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
                        .map_err(upload_error::reading)?;
                    let n = read.filled().len();
                    if n == 0 {
                        return Err(upload_error::ended_early(len - left, len));
                    }
                    buf.truncate(n);
                    left -= n as u64;
                    conn.send(|h1| h1.send_data(buf.freeze())).await?;
                }
            }
            Upload::Chunks(mut chunks) => loop {
                let next = poll_fn(|cx| chunks.as_mut().poll_next(cx)).await;
                let Some(chunk) = next else { break };
                let chunk = chunk.map_err(upload_error::producing)?;
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

/// Waits up to the continue timeout: `None` to send the body (a 100 arrived, or
/// nothing did), or the final response that came first.
// A free function, not a method: holding `&self` across its awaits would make the
// send future need a `Sync` builder, and so not be `Send`.
async fn wait_for_continue<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    wait: Duration,
) -> Result<Option<h1::Response>, Error> {
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
        if let Some(head) = response_head_of(conn.next_event().await?)? {
            return Ok(head);
        }
    }
}

/// What a response [`Body`] reads from: the connection the response owns, which goes
/// back to the pool when the body was read to its end, and is closed otherwise.
///
/// ```
/// use h1_tokio::client::ResponseSource;
/// use h1_tokio::Body;
/// use tokio::net::TcpStream;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// let res = client.get(&format!("{base}/bytes/3")).send().await?;
/// let mut body: Body<ResponseSource<TcpStream>> = res.into_body();
/// assert_eq!(body.bytes(100).await?, "abc");
/// # Ok(()) }
/// ```
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

// Private methods only: rustdoc renders nothing of this block, but the (unstable, so
// unknown to stable rustdoc) example lint checks it.
#[allow(unknown_lints, rustdoc::missing_doc_code_examples)]
impl<S: AsyncRead + AsyncWrite + Unpin> ResponseSource<S> {
    fn release(&mut self) -> Released {
        let Some(mut conn) = self.conn.take() else {
            return Released::Closed;
        };
        let ended = conn.finish_buffered().unwrap_or(false);
        let reusable =
            ended && conn.is_reusable() && conn.connection_mut().start_next_cycle().is_ok();
        if reusable {
            conn.set_deadline(None);
            conn.set_read_timeout(self.read_timeout);
        }
        let now = std::time::Instant::now();
        self.pool
            .release(&self.key, conn, reusable, now, self.keep_alive)
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

impl<S: AsyncRead + AsyncWrite + Unpin> Body<ResponseSource<S>> {
    /// Gives the connection back to the pool if the body was read to its end (or its rest
    /// is already buffered) and the connection is reusable; closes it otherwise, as
    /// [`Response::finish`]. Dropping the body does the same.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// let client = h1_tokio::client::Client::new();
    /// let mut body = client.get("http://127.0.0.1:8080/bytes/10").send().await?.into_body();
    /// body.drain(1 << 16).await?;
    /// assert_eq!(body.finish(), h1_tokio::client::Released::Pooled);
    /// # Ok(()) }
    /// ```
    pub fn finish(self) -> Released {
        self.into_source().release()
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

/// The head's accessors, then the body's readers: each reader consumes the response or
/// borrows its body.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
/// # let base = format!("http://{}", server.local_addr());
/// # let client = h1_tokio::client::Client::new();
/// let mut res = client.get(&format!("{base}/bytes/3")).send().await?;
/// assert_eq!((res.status(), res.content_length()), (200, Some(3)));
/// assert_eq!(res.body_mut().next_chunk(None).await?.as_deref(), Some(&b"abc"[..]));
/// assert_eq!(res.finish(), h1_tokio::client::Released::Pooled);
/// # Ok(()) }
/// ```
impl<S: AsyncRead + AsyncWrite + Unpin> Response<S> {
    h1_common::response_head! {
        ///
        /// ```no_run
        /// # #[tokio::main(flavor = "current_thread")]
        /// # async fn main() -> Result<(), h1_tokio::Error> {
        /// let client = h1_tokio::client::Client::new();
        /// let res = client.get("http://127.0.0.1:8080/stream/3").send().await?;
        /// let parts = res.http_parts()?; // the response keeps its body
        /// assert_eq!(parts.status, http::StatusCode::OK);
        /// # Ok(()) }
        /// ```
    }

    /// The length of the body that follows: its Content-Length, 0 when no body follows,
    /// `None` for chunked and close-delimited bodies.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let sized = client.get(&format!("{base}/bytes/10")).send().await?;
    /// assert_eq!(sized.content_length(), Some(10));
    /// let chunked = client.get(&format!("{base}/stream/2")).send().await?;
    /// assert_eq!(chunked.content_length(), None);
    /// # Ok(()) }
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.body.content_length()
    }

    /// The body, to read while keeping the response.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let mut res = client.get(&format!("{base}/stream/2")).send().await?;
    /// assert_eq!(res.body_mut().next_line().await?.as_deref(), Some(&b"{\"id\":0}"[..]));
    /// assert_eq!(res.status(), 200); // the head is still at hand
    /// # Ok(()) }
    /// ```
    pub fn body_mut(&mut self) -> &mut Body<ResponseSource<S>> {
        &mut self.body
    }

    /// The body alone (the head is dropped).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/bytes/4")).send().await?;
    /// let mut body = res.into_body();
    /// assert_eq!(body.bytes(100).await?, "abcd");
    /// # Ok(()) }
    /// ```
    pub fn into_body(self) -> Body<ResponseSource<S>> {
        self.body
    }

    /// Pieces of at most `max` bytes, or of whatever arrived with `None`
    /// ([`Body::chunks`]).
    ///
    /// ```no_run
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// let client = h1_tokio::client::Client::new();
    /// let res = client.get("http://127.0.0.1:8080/bytes/100000").send().await?;
    /// let mut pieces = res.chunks(Some(1000));
    /// while let Some(piece) = poll_fn(|cx| Pin::new(&mut pieces).poll_next(cx)).await {
    ///     assert!(piece?.len() <= 1000);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn chunks(self, max: Option<usize>) -> Chunks<ResponseSource<S>> {
        self.body.chunks(max)
    }

    /// Lines as bytes ([`Body::lines`]).
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/stream/3")).send().await?;
    /// let mut lines = res.lines();
    /// let mut n = 0;
    /// while let Some(line) = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await {
    ///     assert_eq!(line?, format!("{{\"id\":{n}}}")); // without its terminator
    ///     n += 1;
    /// }
    /// assert_eq!(n, 3);
    /// # Ok(()) }
    /// ```
    pub fn lines(self) -> Lines<ResponseSource<S>> {
        self.body.lines()
    }

    /// Lines as text ([`Body::text_lines`]).
    ///
    /// # Errors
    /// An unknown charset.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use std::pin::Pin;
    /// use futures_core::Stream;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/stream/1")).send().await?;
    /// let mut lines = res.text_lines(h1_tokio::TextOptions::default())?;
    /// let first = poll_fn(|cx| Pin::new(&mut lines).poll_next(cx)).await;
    /// assert_eq!(first.transpose()?.as_deref(), Some("{\"id\":0}"));
    /// # Ok(()) }
    /// ```
    pub fn text_lines(self, options: TextOptions) -> Result<TextLines<ResponseSource<S>>, Error> {
        self.body.text_lines(options)
    }

    /// The whole body, refused past `limit` bytes ([`Body::bytes`]); the connection then
    /// goes back to the pool (when reusable).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], or a failure reading.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/bytes/5")).send().await?;
    /// assert_eq!(res.bytes(1 << 20).await?, "abcde");
    /// let res = client.get(&format!("{base}/bytes/5000")).send().await?;
    /// let too_large = res.bytes(100).await.unwrap_err();
    /// assert_eq!(too_large.kind(), h1_tokio::ErrorKind::TooLarge);
    /// # Ok(()) }
    /// ```
    pub async fn bytes(mut self, limit: u64) -> Result<Bytes, Error> {
        self.body.bytes(limit).await
    }

    /// The whole body as text, refused past `limit` bytes ([`Body::text`]).
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], [`ErrorKind::Decode`], or a failure reading.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/stream/2")).send().await?;
    /// let text = res.text(1 << 20, h1_tokio::TextOptions::default()).await?;
    /// assert_eq!(text, "{\"id\":0}\n{\"id\":1}\n");
    /// # Ok(()) }
    /// ```
    pub async fn text(mut self, limit: u64, options: TextOptions) -> Result<String, Error> {
        self.body.text(limit, options).await
    }

    /// Reads and discards at most `limit` more body bytes so the connection can be
    /// reused; true when the body ended within the limit.
    ///
    /// # Errors
    /// A failure reading.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// let client = h1_tokio::client::Client::new();
    /// let mut res = client.get("http://127.0.0.1:8080/bytes/10").send().await?;
    /// if res.drain(1 << 16).await? {
    ///     assert_eq!(res.finish(), h1_tokio::client::Released::Pooled);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        self.body.drain(limit).await
    }

    /// The trailer fields of a chunked body (empty until its end was read).
    ///
    /// ```
    /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// # let url = format!("http://{}/", listener.local_addr()?);
    /// // A server that sends a checksum after the body.
    /// tokio::spawn(async move {
    ///     let (mut sock, _) = listener.accept().await?;
    ///     let _request = sock.read(&mut [0; 1024]).await?;
    ///     sock.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
    ///                      2\r\nhi\r\n0\r\nChecksum: 42\r\n\r\n").await
    /// });
    /// let client = h1_tokio::client::Client::new();
    /// let mut res = client.get(&url).send().await?;
    /// assert!(res.trailers().is_empty()); // the body is not read yet
    /// assert_eq!(res.body_mut().bytes(100).await?, "hi");
    /// assert_eq!(res.trailers().get_str("checksum"), Some("42"));
    /// # Ok(()) }
    /// ```
    pub fn trailers(&self) -> Headers {
        self.body.trailers()
    }

    /// Gives the connection back to the pool if the body was read to its end (or its rest
    /// is already buffered) and the connection is reusable; closes it otherwise. Dropping
    /// the response does the same.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?.spawn(h1_examples::tokio_routes::route)?;
    /// # let base = format!("http://{}", server.local_addr());
    /// # let client = h1_tokio::client::Client::new();
    /// let res = client.get(&format!("{base}/bytes/1000000")).send().await?;
    /// assert_eq!(res.finish(), h1_tokio::client::Released::Closed); // its body was not read
    /// let mut res = client.get(&format!("{base}/bytes/3")).send().await?;
    /// res.body_mut().bytes(100).await?;
    /// assert_eq!(res.finish(), h1_tokio::client::Released::Pooled);
    /// # Ok(()) }
    /// ```
    pub fn finish(self) -> Released {
        self.body.finish()
    }

    /// The response as an `http::Response` (feature `http`): the head as
    /// [`http_parts`](Self::http_parts) gives it, and the body still unread.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), h1_tokio::Error> {
    /// let client = h1_tokio::client::Client::new();
    /// let res = client.get("http://127.0.0.1:8080/bytes/100").send().await?.into_http()?;
    /// assert_eq!(res.headers()["content-length"], "100");
    /// assert_eq!(res.into_body().bytes(1 << 20).await?.len(), 100);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`http_parts`](Self::http_parts): more fields than an `http::HeaderMap` holds.
    #[cfg(feature = "http")]
    pub fn into_http(self) -> Result<http::Response<Body<ResponseSource<S>>>, Error> {
        let parts = self.http_parts()?;
        Ok(http::Response::from_parts(parts, self.body))
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
