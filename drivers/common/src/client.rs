//! What a client driver keeps beyond the core and without I/O: its configuration, what
//! happened to its connections ([`ClientStats`]), and what became of a response's
//! connection ([`Released`]). The same for the blocking and the async client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::pool::PoolConfig;
use crate::{
    is_idempotent, parse_url, request_head, Counters, Error, ErrorKind, IdlePool, PoolKey,
    UploadFraming, Url,
};

/// How a client behaves; every field has a documented default.
///
/// ```
/// use std::time::Duration;
/// let mut config = h1_common::client::ClientConfig::default();
/// config.read_timeout = Some(Duration::from_secs(5));
/// config.pool.max_idle_per_host = 2;
/// assert_eq!(config.continue_timeout, Duration::from_secs(1));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// How long connecting may take (default 10 s; `None`: the system's limit).
    pub connect_timeout: Option<Duration>,
    /// How long one read may wait for the server's next bytes (default 30 s; `None`: for
    /// ever). Time spent writing the request body does not count.
    pub read_timeout: Option<Duration>,
    /// An overall deadline for each exchange, from sending the request to the end of the
    /// response body (default `None`: long streams run as long as bytes keep coming).
    pub deadline: Option<Duration>,
    /// With `Expect: 100-continue`, how long to wait for the server's answer before the
    /// body is sent anyway (default 1 s).
    pub continue_timeout: Duration,
    /// The pool's idle timeout and size.
    pub pool: PoolConfig,
    /// The core's limits for responses (head size, line length, …).
    pub limits: h1::Limits,
    /// The core's buffer tuning (read size, when memory is given back).
    pub buffers: h1::Buffers,
    /// Retry an idempotent request once on a fresh connection when a pooled one failed
    /// before any response byte arrived (default true).
    pub retry: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(30)),
            deadline: None,
            continue_timeout: Duration::from_secs(1),
            pool: PoolConfig::default(),
            limits: h1::Limits::default(),
            buffers: h1::Buffers::default(),
            retry: true,
        }
    }
}

/// What happened to connections in a client's life, for logs and tests.
///
/// ```
/// assert_eq!(h1_common::client::ClientStats::default().opened, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientStats {
    /// Connections opened.
    pub opened: u64,
    /// Requests sent on a connection taken from the pool.
    pub reused: u64,
    /// Connections given back to the pool after a response.
    pub pooled: u64,
    /// Connections closed after a response (not reusable, or the body was not read).
    pub closed: u64,
    /// Idle connections found closed (or with unexpected bytes) and dropped before reuse.
    pub stale: u64,
    /// Requests sent again on a fresh connection after a pooled one failed.
    pub retried: u64,
}

/// Which [`ClientStats`] counter an event bumps.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Count {
    /// A connection was opened.
    Opened,
    /// A pooled connection was taken for a request.
    Reused,
    /// A connection went back to the pool.
    Pooled,
    /// A connection was closed after a response or a failure.
    Closed,
    /// An idle connection was found dead before reuse.
    Stale,
    /// A request was sent again on a fresh connection.
    Retried,
}

/// The counters behind [`ClientStats`], shared by a client's clones and tasks.
///
/// ```
/// use h1_common::client::{Count, StatCounts};
/// let counts = StatCounts::default();
/// counts.count(Count::Opened);
/// counts.count(Count::Pooled);
/// assert_eq!((counts.stats().opened, counts.stats().pooled), (1, 1));
/// ```
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct StatCounts([AtomicU64; 6]);

#[doc(hidden)] // as the type is
impl StatCounts {
    /// Bumps one counter.
    pub fn count(&self, which: Count) {
        let i = match which {
            Count::Opened => 0,
            Count::Reused => 1,
            Count::Pooled => 2,
            Count::Closed => 3,
            Count::Stale => 4,
            Count::Retried => 5,
        };
        self.0[i].fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn stats(&self) -> ClientStats {
        let get = |i: usize| self.0[i].load(Ordering::Relaxed);
        ClientStats {
            opened: get(0),
            reused: get(1),
            pooled: get(2),
            closed: get(3),
            stale: get(4),
            retried: get(5),
        }
    }
}

/// What became of a response's connection when the response was finished or dropped
/// (`finish` on either driver's `Response` returns it).
///
/// ```
/// use h1_common::client::Released;
///
/// fn describe(released: Released) -> &'static str {
///     match released {
///         Released::Pooled => "kept for the next request",
///         Released::Closed => "closed",
///         _ => "not known to this version", // the enum is non-exhaustive
///     }
/// }
/// assert_eq!(describe(Released::Pooled), "kept for the next request");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Released {
    /// Back in the pool for the next request to the same origin.
    Pooled,
    /// Closed: the body was not read to its end, or the connection cannot be reused
    /// (`Connection: close`, HTTP/1.0 without keep-alive, a body delimited by closing, an
    /// upgrade, an error, bytes after the body).
    Closed,
}

/// A request body as a client's builder holds it: none, known bytes, a reader of a known
/// length, or pieces sent chunked. `R` and `S` are the driver's reader and piece source
/// (`Read` and an iterator for the blocking client, `AsyncRead` and a `Stream` for the
/// async one); what the body means for the request is decided here, once.
///
/// ```
/// use h1_common::client::Upload;
/// use h1_common::UploadFraming;
///
/// let bytes: Upload<(), ()> = Upload::Bytes("hello".into());
/// assert_eq!(bytes.framing(), UploadFraming::Length(5));
/// assert!(bytes.replayable());
/// let chunks: Upload<(), ()> = Upload::Chunks(());
/// assert_eq!(chunks.framing(), UploadFraming::Chunked);
/// assert!(!chunks.replayable());
/// ```
#[doc(hidden)]
#[derive(Debug, Default)]
pub enum Upload<R, S> {
    /// No body.
    #[default]
    None,
    /// These bytes, with `Content-Length`.
    Bytes(bytes::Bytes),
    /// Exactly this many bytes from a reader, with `Content-Length`.
    Reader(R, u64),
    /// Pieces of unknown total length, sent chunked.
    Chunks(S),
}

#[doc(hidden)] // as the type is
impl<R, S> Upload<R, S> {
    /// How the body is framed on the wire.
    pub fn framing(&self) -> UploadFraming {
        match self {
            Self::None => UploadFraming::None,
            Self::Bytes(b) => UploadFraming::Length(b.len() as u64),
            Self::Reader(_, n) => UploadFraming::Length(*n),
            Self::Chunks(_) => UploadFraming::Chunked,
        }
    }

    /// True when the body can be sent twice (none, or bytes), so a failed request may be
    /// retried.
    pub fn replayable(&self) -> bool {
        matches!(self, Self::None | Self::Bytes(_))
    }

    /// True for no body.
    pub fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }
}

/// What a client's request builder collects besides its body: the method, the URL (checked
/// when the request is sent), header fields (the first invalid one is kept as the error
/// the request fails with), and the per-request options. Both clients' builders hold one.
///
/// ```
/// use h1_common::client::{ClientConfig, RequestParts};
/// use h1_common::UploadFraming;
///
/// let mut parts = RequestParts::new("GET", "http://example.com:8080/a?b", &ClientConfig::default());
/// parts.header("Accept", "text/plain");
/// let (head, key) = parts.prepare(UploadFraming::None)?;
/// assert_eq!(head.target(), "/a?b");
/// assert_eq!(key.port, 8080);
/// assert!(parts.prepare(UploadFraming::None).is_err()); // taken once
/// # Ok::<(), h1_common::Error>(())
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct RequestParts {
    /// The method.
    pub method: String,
    url: Result<(Url, PoolKey), Error>,
    headers: h1::Headers,
    header_error: Option<Error>,
    /// Send `Expect: 100-continue` with a body and wait for the answer before it.
    pub expect_continue: bool,
    /// An overall deadline for the exchange, from sending to the end of the response body.
    pub deadline: Option<Duration>,
    /// How long one read may wait for the server (`None`: for ever).
    pub read_timeout: Option<Duration>,
}

#[doc(hidden)] // as the type is
impl RequestParts {
    /// A request with `method` to `url`, with `config`'s deadline and read timeout.
    pub fn new(method: &str, url: &str, config: &ClientConfig) -> Self {
        Self {
            method: method.to_owned(),
            url: parse_url(url),
            headers: h1::Headers::new(),
            header_error: None,
            expect_continue: false,
            deadline: config.deadline,
            read_timeout: config.read_timeout,
        }
    }

    /// Adds a header field; an invalid name or value is remembered and fails the request
    /// when it is sent.
    pub fn header(&mut self, name: &str, value: impl AsRef<[u8]>) {
        if let Err(e) = self.headers.append(name, value) {
            self.fail(Error::from_h1(e));
        }
    }

    /// Keeps `e` as the error the request fails with when sent, unless an earlier one is
    /// kept already.
    pub(crate) fn fail(&mut self, e: Error) {
        self.header_error.get_or_insert(e);
    }

    /// The URL as given (`None` when it did not parse).
    pub fn url(&self) -> Option<&Url> {
        self.url.as_ref().ok().map(|(url, _)| url)
    }

    /// The header fields added so far.
    pub fn headers(&self) -> &h1::Headers {
        &self.headers
    }

    /// The request head to send, for a body framed as `framing` ([`request_head`]), and
    /// the pool key of its origin. Taken once: a second call is an error.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] for a bad URL or header field, a framing field set by
    /// hand, or a second call.
    pub fn prepare(&mut self, framing: UploadFraming) -> Result<(h1::Request, PoolKey), Error> {
        if let Some(e) = self.header_error.take() {
            return Err(e);
        }
        let (url, key) = std::mem::replace(
            &mut self.url,
            Err(Error::new(ErrorKind::InvalidInput, "sent twice")),
        )?;
        let head = request_head(
            &self.method,
            &url,
            &self.headers,
            framing,
            self.expect_continue,
        )?;
        Ok((head, key))
    }

    /// Formats a request builder holding these parts (method, URL, header fields), for its
    /// `Debug`.
    ///
    /// # Errors
    /// The formatter's.
    pub fn fmt_builder(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("url", &self.url().map(Url::as_str))
            .field("headers", self.headers())
            .finish_non_exhaustive()
    }

    /// Whether a request that failed before any response byte on a pooled (`reused`)
    /// connection may be sent once more on a fresh one: retries are on, the method is
    /// idempotent and the body can be sent twice.
    pub fn may_retry(&self, reused: bool, config: &ClientConfig, replayable: bool) -> bool {
        reused && config.retry && is_idempotent(&self.method) && replayable
    }
}

/// A client's idle connections ([`IdlePool`], behind a lock) and what happened to its
/// connections ([`StatCounts`]): the pool both clients share between their clones, tasks
/// and threads. The driver checks liveness (passed in as `alive`) and closes what is
/// dropped; time is passed in.
///
/// ```
/// use std::time::Instant;
/// use h1_common::client::{Pool, Released};
/// use h1_common::{PoolConfig, PoolKey};
///
/// let key = PoolKey { scheme: "http".into(), host: "a".into(), port: 80 };
/// let pool = Pool::new(PoolConfig::default());
/// assert_eq!(pool.release(&key, "conn", true, Instant::now(), None), Released::Pooled);
/// assert_eq!(pool.checkout(&key, Instant::now(), |_| false), None); // found dead
/// assert_eq!((pool.stats().pooled, pool.stats().stale), (1, 1));
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct Pool<T> {
    idle: Mutex<IdlePool<T>>,
    counts: StatCounts,
}

#[doc(hidden)] // as the type is
impl<T> Pool<T> {
    /// An empty pool.
    pub fn new(config: PoolConfig) -> Self {
        Self {
            idle: Mutex::new(IdlePool::new(config)),
            counts: StatCounts::default(),
        }
    }

    fn idle(&self) -> MutexGuard<'_, IdlePool<T>> {
        // Every operation on the pool is a single push or pop: a panic while holding the
        // lock cannot leave it half-changed.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most recently used idle connection to `key` for which `alive` holds (the others
    /// are dropped, closed, and counted as stale); counted as reused.
    pub fn checkout(
        &self,
        key: &PoolKey,
        now: Instant,
        mut alive: impl FnMut(&mut T) -> bool,
    ) -> Option<T> {
        loop {
            let mut conn = self.idle().take(key, now)?;
            if alive(&mut conn) {
                self.counts.count(Count::Reused);
                return Some(conn);
            }
            self.counts.count(Count::Stale);
        }
    }

    /// What becomes of a response's connection: kept idle for `key` when `reusable` (the
    /// body was read to its end and neither side asked to close), closed otherwise.
    /// `keep_alive` is the server's `Keep-Alive: timeout=`.
    pub fn release(
        &self,
        key: &PoolKey,
        conn: T,
        reusable: bool,
        now: Instant,
        keep_alive: Option<Duration>,
    ) -> Released {
        if !reusable {
            self.counts.count(Count::Closed);
            return Released::Closed;
        }
        self.counts.count(Count::Pooled);
        let pushed_out = self.idle().put(key.clone(), conn, now, keep_alive);
        drop(pushed_out); // closed outside the lock
        Released::Pooled
    }

    /// Bumps one counter.
    pub fn count(&self, which: Count) {
        self.counts.count(which);
    }

    /// What happened to connections so far.
    pub fn stats(&self) -> ClientStats {
        self.counts.stats()
    }

    /// Idle connections kept at `now` (expired ones are dropped first).
    pub fn idle_count(&self, now: Instant) -> usize {
        let mut idle = self.idle();
        idle.prune(now);
        idle.len()
    }

    /// Drops (closes) every idle connection.
    pub fn clear(&self) {
        self.idle().clear();
    }
}

/// What a client and its clones share: the connector `K`, the configuration, the pool of
/// connections `T`, and the byte counters.
///
/// ```
/// use h1_common::client::{ClientConfig, Shared};
/// let shared: Shared<(), ()> = Shared::new((), ClientConfig::default());
/// assert_eq!(shared.pool.stats().opened, 0);
/// ```
#[doc(hidden)]
#[derive(Debug)]
#[non_exhaustive]
pub struct Shared<K, T> {
    /// Opens connections.
    pub connector: K,
    /// The configuration.
    pub config: ClientConfig,
    /// Idle connections and statistics.
    pub pool: Arc<Pool<T>>,
    /// Bytes sent and received by every connection.
    pub counters: Arc<Counters>,
}

#[doc(hidden)] // as the type is
impl<K, T> Shared<K, T> {
    /// A fresh pool and counters for `connector` and `config`.
    pub fn new(connector: K, config: ClientConfig) -> Self {
        Self {
            connector,
            pool: Arc::new(Pool::new(config.pool)),
            config,
            counters: Arc::new(Counters::default()),
        }
    }

    /// The core connection for a newly opened stream, with the configured limits and
    /// buffers; counted as opened.
    pub fn new_connection(&self) -> h1::Connection {
        self.pool.count(Count::Opened);
        h1::Connection::with_limits(h1::Role::Client, self.config.limits.clone())
            .with_buffers(self.config.buffers.clone())
    }
}

/// What one event means while a client waits for a response head: `Some` final head (a
/// `101` that switched protocols counts as one), `None` to read on past an interim `1xx`.
///
/// # Errors
/// [`ErrorKind::Protocol`] for any other event.
///
/// ```
/// use h1::{Event, Response};
/// use h1_common::client::response_head_of;
/// let interim = Event::Informational(Response::new(103)?);
/// assert_eq!(response_head_of(interim)?, None);
/// let head = response_head_of(Event::Response(Response::new(200)?))?;
/// assert_eq!(head.map(|h| h.status()), Some(200));
/// assert!(response_head_of(Event::NeedData).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(hidden)]
pub fn response_head_of(event: h1::Event) -> Result<Option<h1::Response>, Error> {
    match event {
        h1::Event::Response(res) => Ok(Some(res)),
        h1::Event::Informational(res) if res.status() == 101 => Ok(Some(res)),
        h1::Event::Informational(_) => Ok(None),
        other => Err(unexpected(&other)),
    }
}

/// The error for an event that is not a response head where one was expected.
///
/// ```
/// let e = h1_common::client::unexpected(&h1::Event::NeedData);
/// assert_eq!(e.kind(), h1_common::ErrorKind::Protocol);
/// ```
#[doc(hidden)]
pub fn unexpected(event: &h1::Event) -> Error {
    Error::new(
        ErrorKind::Protocol,
        format!("expected a response head, got {event:?}"),
    )
}

/// The errors an upload's source causes: a reader that ended before its length, a reader
/// or a piece source that failed. Each fails the request as [`ErrorKind::InvalidInput`].
#[doc(hidden)]
pub mod upload_error {
    use crate::{Error, ErrorKind};

    /// A body reader that ended after `sent` of its `len` bytes.
    ///
    /// ```
    /// let e = h1_common::client::upload_error::ended_early(3, 10);
    /// assert_eq!(e.message(), "the body reader ended after 3 of 10 bytes");
    /// ```
    pub fn ended_early(sent: u64, len: u64) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!("the body reader ended after {sent} of {len} bytes"),
        )
    }

    /// A body reader that failed.
    pub fn reading(e: std::io::Error) -> Error {
        Error::from_io(e)
            .with_kind(ErrorKind::InvalidInput)
            .context("reading the request body")
    }

    /// A piece source that failed.
    pub fn producing(e: std::io::Error) -> Error {
        Error::from_io(e)
            .with_kind(ErrorKind::InvalidInput)
            .context("producing the request body")
    }
}

/// Checks that a plain TCP connector can open `key`: only `http`.
///
/// # Errors
/// [`ErrorKind::InvalidInput`] for another scheme.
///
/// ```
/// let key = h1_common::PoolKey { scheme: "https".into(), host: "a".into(), port: 443 };
/// assert!(h1_common::client::plain_http_only(&key).is_err());
/// ```
#[doc(hidden)]
pub fn plain_http_only(key: &PoolKey) -> Result<(), Error> {
    if key.scheme == "http" {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidInput,
        format!(
            "{key}: TcpConnector speaks plain http; use a TLS connector for {}",
            key.scheme
        ),
    ))
}

/// A failure to connect to `key`, as [`ErrorKind::Connect`].
#[doc(hidden)]
pub fn connect_error(e: std::io::Error, key: &PoolKey) -> Error {
    Error::from_io(e)
        .with_kind(ErrorKind::Connect)
        .context(&format!("connecting to {key}"))
}
