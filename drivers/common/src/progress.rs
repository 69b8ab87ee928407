//! [`Counters`]: bytes sent and received, shared between a driver and whoever watches it.

use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes written to and read from the peer, counted as the stream moves them (heads,
/// framing and bodies alike). Cheap to share (`Arc<Counters>`) with a thread that draws a
/// progress bar.
///
/// ```
/// let c = h1_common::Counters::default();
/// c.add_received(10);
/// c.add_sent(3);
/// assert_eq!((c.sent(), c.received()), (3, 10));
/// ```
#[derive(Debug, Default)]
pub struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
}

impl Counters {
    /// Bytes written so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Bytes read so far.
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Counts `n` more bytes written.
    pub fn add_sent(&self, n: u64) {
        self.sent.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts `n` more bytes read.
    pub fn add_received(&self, n: u64) {
        self.received.fetch_add(n, Ordering::Relaxed);
    }
}
