//! The client's pool of idle connections: the bookkeeping is [`h1_common::IdlePool`]'s
//! (time passed in); this holds the sockets, checks liveness before reuse, and counts
//! what happens to connections.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use h1_common::client::{ClientStats, Count, StatCounts};
use h1_common::{IdlePool, PoolConfig, PoolKey};

use crate::conn::{Conn, Stream};

/// Idle connections and what happened to them.
#[derive(Debug)]
pub(crate) struct Pool<S> {
    idle: Mutex<IdlePool<Conn<S>>>,
    counts: StatCounts,
}

impl<S: Stream> Pool<S> {
    pub(crate) fn new(config: PoolConfig) -> Self {
        Self {
            idle: Mutex::new(IdlePool::new(config)),
            counts: StatCounts::default(),
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
            self.counts.count(Count::Stale);
        }
    }

    /// Keeps a finished, reusable connection.
    pub(crate) fn checkin(&self, key: PoolKey, conn: Conn<S>, keep_alive: Option<Duration>) {
        self.counts.count(Count::Pooled);
        let pushed_out = self.idle().put(key, conn, Instant::now(), keep_alive);
        // Closed outside the lock.
        drop(pushed_out);
    }

    pub(crate) fn count(&self, which: Count) {
        self.counts.count(which);
    }

    pub(crate) fn stats(&self) -> ClientStats {
        self.counts.stats()
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
