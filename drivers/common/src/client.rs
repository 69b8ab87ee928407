//! What a client driver keeps beyond the core and without I/O: its configuration, what
//! happened to its connections ([`ClientStats`]), and what became of a response's
//! connection ([`Released`]). The same for the blocking and the async client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::pool::PoolConfig;
use crate::{
    is_idempotent, parse_url, request_head, Error, ErrorKind, PoolKey, UploadFraming, Url,
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
#[derive(Debug, Default)]
pub struct StatCounts([AtomicU64; 6]);

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

/// What became of a response's connection when the response was finished or dropped.
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
            self.header_error.get_or_insert(Error::from_h1(e));
        }
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

    /// Whether a request that failed before any response byte on a pooled (`reused`)
    /// connection may be sent once more on a fresh one: retries are on, the method is
    /// idempotent and the body can be sent twice.
    pub fn may_retry(&self, reused: bool, config: &ClientConfig, replayable: bool) -> bool {
        reused && config.retry && is_idempotent(&self.method) && replayable
    }
}
