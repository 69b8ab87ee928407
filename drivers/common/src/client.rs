//! What a client driver keeps beyond the core and without I/O: its configuration, what
//! happened to its connections ([`ClientStats`]), and what became of a response's
//! connection ([`Released`]). The same for the blocking and the async client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::pool::PoolConfig;

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
