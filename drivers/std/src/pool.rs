//! The client's pool of idle connections: the bookkeeping is [`h1_common::IdlePool`]'s
//! (time passed in); this holds the sockets, checks liveness before reuse, and counts
//! what happens to connections.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use h1_common::{IdlePool, PoolConfig, PoolKey};

use crate::conn::{Conn, Stream};

/// What happened to connections in a client's life, for logs and tests.
///
/// ```
/// let client = h1_std::Client::new();
/// assert_eq!(client.stats(), h1_std::ClientStats::default());
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

#[derive(Debug, Default)]
struct Counts {
    opened: AtomicU64,
    reused: AtomicU64,
    pooled: AtomicU64,
    closed: AtomicU64,
    stale: AtomicU64,
    retried: AtomicU64,
}

/// Idle connections and what happened to them.
#[derive(Debug)]
pub(crate) struct Pool<S> {
    idle: Mutex<IdlePool<Conn<S>>>,
    counts: Counts,
}

/// Which counter to bump.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Count {
    Opened,
    Reused,
    Closed,
    Retried,
}

impl<S: Stream> Pool<S> {
    pub(crate) fn new(config: PoolConfig) -> Self {
        Self {
            idle: Mutex::new(IdlePool::new(config)),
            counts: Counts::default(),
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, IdlePool<Conn<S>>> {
        // A panic while holding the lock cannot leave the pool inconsistent: every
        // operation on it is a single push or pop.
        self.idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The most recently used idle connection to `key` that is still open.
    pub(crate) fn checkout(&self, key: &PoolKey) -> Option<Conn<S>> {
        loop {
            let mut conn = self.idle().take(key, Instant::now())?;
            if conn.stream_mut().is_idle_alive() {
                self.count(Count::Reused);
                return Some(conn);
            }
            self.counts.stale.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Keeps a finished, reusable connection.
    pub(crate) fn checkin(&self, key: PoolKey, conn: Conn<S>, keep_alive: Option<Duration>) {
        self.counts.pooled.fetch_add(1, Ordering::Relaxed);
        let pushed_out = self.idle().put(key, conn, Instant::now(), keep_alive);
        // Closed outside the lock.
        drop(pushed_out);
    }

    pub(crate) fn count(&self, which: Count) {
        let c = match which {
            Count::Opened => &self.counts.opened,
            Count::Reused => &self.counts.reused,
            Count::Closed => &self.counts.closed,
            Count::Retried => &self.counts.retried,
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> ClientStats {
        let c = &self.counts;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        ClientStats {
            opened: get(&c.opened),
            reused: get(&c.reused),
            pooled: get(&c.pooled),
            closed: get(&c.closed),
            stale: get(&c.stale),
            retried: get(&c.retried),
        }
    }

    pub(crate) fn idle_count(&self) -> usize {
        let mut idle = self.idle();
        idle.prune(Instant::now());
        idle.len()
    }

    pub(crate) fn clear(&self) {
        self.idle().clear();
    }
}
