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
    ///
    /// ```
    /// let c = h1_common::Counters::default();
    /// assert_eq!(c.sent(), 0);
    /// c.add_sent(7);
    /// assert_eq!(c.sent(), 7);
    /// ```
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Bytes read so far.
    ///
    /// ```
    /// let c = h1_common::Counters::default();
    /// assert_eq!(c.received(), 0);
    /// c.add_received(12);
    /// assert_eq!(c.received(), 12);
    /// ```
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Counts `n` more bytes written.
    ///
    /// ```
    /// let c = h1_common::Counters::default();
    /// c.add_sent(4);
    /// c.add_sent(5);
    /// assert_eq!((c.sent(), c.received()), (9, 0));
    /// ```
    pub fn add_sent(&self, n: u64) {
        self.sent.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts `n` more bytes read.
    ///
    /// ```
    /// let c = h1_common::Counters::default();
    /// c.add_received(4);
    /// c.add_received(5);
    /// assert_eq!((c.sent(), c.received()), (0, 9));
    /// ```
    pub fn add_received(&self, n: u64) {
        self.received.fetch_add(n, Ordering::Relaxed);
    }
}

/// One connection's byte counts, and the shared [`Counters`] they are added to as well
/// (when a client set them).
///
/// ```
/// use std::sync::Arc;
/// let shared = Arc::new(h1_common::Counters::default());
/// let mut t = h1_common::Traffic::default();
/// t.set_counters(Some(Arc::clone(&shared)));
/// t.add_sent(3);
/// t.add_received(10);
/// assert_eq!((t.sent(), t.received()), (3, 10));
/// assert_eq!(shared.received(), 10);
/// ```
#[derive(Debug, Default)]
pub struct Traffic {
    sent: u64,
    received: u64,
    counters: Option<std::sync::Arc<Counters>>,
}

impl Traffic {
    /// Also counts into `counters` from now on (`None`: no longer).
    ///
    /// ```
    /// use std::sync::Arc;
    /// let shared = Arc::new(h1_common::Counters::default());
    /// let mut t = h1_common::Traffic::default();
    /// t.add_sent(1); // before: not shared
    /// t.set_counters(Some(Arc::clone(&shared)));
    /// t.add_sent(2);
    /// t.set_counters(None);
    /// t.add_sent(4); // after: not shared
    /// assert_eq!((t.sent(), shared.sent()), (7, 2));
    /// ```
    pub fn set_counters(&mut self, counters: Option<std::sync::Arc<Counters>>) {
        self.counters = counters;
    }

    /// Counts `n` more bytes written.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let shared = Arc::new(h1_common::Counters::default());
    /// let mut t = h1_common::Traffic::default();
    /// t.set_counters(Some(Arc::clone(&shared)));
    /// t.add_sent(5);
    /// assert_eq!((t.sent(), shared.sent()), (5, 5));
    /// ```
    pub fn add_sent(&mut self, n: u64) {
        self.sent += n;
        if let Some(c) = &self.counters {
            c.add_sent(n);
        }
    }

    /// Counts `n` more bytes read.
    ///
    /// ```
    /// use std::sync::Arc;
    /// let shared = Arc::new(h1_common::Counters::default());
    /// let mut t = h1_common::Traffic::default();
    /// t.set_counters(Some(Arc::clone(&shared)));
    /// t.add_received(8);
    /// assert_eq!((t.received(), shared.received()), (8, 8));
    /// ```
    pub fn add_received(&mut self, n: u64) {
        self.received += n;
        if let Some(c) = &self.counters {
            c.add_received(n);
        }
    }

    /// Bytes written on this connection.
    ///
    /// ```
    /// let mut t = h1_common::Traffic::default();
    /// t.add_sent(3);
    /// t.add_received(10);
    /// assert_eq!(t.sent(), 3);
    /// ```
    pub fn sent(&self) -> u64 {
        self.sent
    }

    /// Bytes read on this connection.
    ///
    /// ```
    /// let mut t = h1_common::Traffic::default();
    /// t.add_sent(3);
    /// t.add_received(10);
    /// assert_eq!(t.received(), 10);
    /// ```
    pub fn received(&self) -> u64 {
        self.received
    }
}
