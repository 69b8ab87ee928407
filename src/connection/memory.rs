//! The connection's memory policy, in one place: the receive buffer and the scratch buffer,
//! how much each grew this cycle, and when each is given back.
//!
//! Two moments decide what a connection keeps:
//!
//! - **A message ends** (ours or the peer's): a buffer larger than
//!   [`Buffers::shrink_threshold`] is given back at once, so one large head or line does
//!   not stay with the connection (the receive buffer only once it is empty: bytes
//!   received always stay).
//! - **The next cycle starts** (`start_next_cycle`): an idle kept-alive connection holds
//!   little heap. An empty receive buffer is kept only if it never grew past
//!   [`RECV_KEEP`] this cycle, the scratch buffer only if it never held more than
//!   [`SCRATCH_KEEP`], so the next small request costs no allocation while an idle
//!   connection holds at most about 1.2 KiB.
//!
//! Each buffer remembers its *peak* (the most it grew to this cycle) where it grows: the
//! receive buffer when bytes come in ([`RecvBuf::extend`], [`RecvBuf::lend`]), the
//! scratch buffer when a head, a trailer section or gathered chunks are written into it
//! ([`Scratch::note`]). Everything else only consumes them (`split_to`, `advance`), which
//! lowers their capacity and says nothing of how large they were.

use bytes::buf::Limit;
use bytes::{BufMut, BytesMut};
use core::ops::{Deref, DerefMut};

use crate::config::Buffers;
use crate::write::head::LastHead;

/// Between keep-alive cycles, an empty receive buffer that never grew past this is kept
/// for the next request (no allocation then); a larger one is given back. With
/// [`SCRATCH_KEEP`], an idle connection holds at most ~1.2 KiB of heap, so 10,000 idle
/// connections stay well under 20 MiB.
pub(super) const RECV_KEEP: usize = 768;

/// The same for the scratch buffer: a cycle whose heads (plus the room kept for added
/// fields) fit in this keeps it.
pub(super) const SCRATCH_KEEP: usize = 384;

/// The receive buffer: bytes from the peer not yet handed out as events. Every `Data`
/// and `LineComplete` is a slice split off its front; it grows only through
/// [`extend`](Self::extend) and [`lend`](Self::lend), which note its peak.
#[derive(Debug, Default)]
pub(crate) struct RecvBuf {
    buf: BytesMut,
    /// The largest capacity it had this cycle.
    peak: usize,
}

impl RecvBuf {
    /// Appends bytes the peer sent.
    #[inline]
    pub(super) fn extend(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
        self.peak = self.peak.max(self.buf.capacity());
    }

    /// Lends `read` a zero-filled window of `want` bytes at the end of the buffer; keeps
    /// as many as it says it filled (at most `want`) and returns its own value.
    pub(super) fn lend<T>(&mut self, want: usize, read: impl FnOnce(&mut [u8]) -> (usize, T)) -> T {
        let len = self.buf.len();
        self.buf.resize(len + want, 0);
        self.peak = self.peak.max(self.buf.capacity());
        let (filled, value) = read(&mut self.buf[len..]);
        self.buf.truncate(len + filled.min(want));
        value
    }

    /// Lends `read` the spare capacity at the end of the buffer as a `BufMut` of at most
    /// `want` bytes, not zero-filled (at least `want` reserved); returns its value.
    pub(super) fn lend_buf<T>(
        &mut self,
        want: usize,
        read: impl FnOnce(&mut Limit<&mut BytesMut>) -> T,
    ) -> T {
        self.buf.reserve(want);
        self.peak = self.peak.max(self.buf.capacity());
        read(&mut (&mut self.buf).limit(want))
    }

    /// A message ended: an empty buffer over the threshold is given back.
    pub(super) fn message_ended(&mut self, buffers: &Buffers) {
        if self.buf.is_empty() && self.buf.capacity() > buffers.shrink_threshold {
            self.buf = BytesMut::new();
        }
    }

    /// The next cycle starts: an empty buffer that grew past [`RECV_KEEP`] is given back
    /// (a pipelined request's bytes always stay), and the peak starts again.
    pub(super) fn next_cycle(&mut self) {
        if self.buf.is_empty() && self.peak > RECV_KEEP {
            self.buf = BytesMut::new();
        }
        self.peak = self.buf.capacity();
    }
}

impl Deref for RecvBuf {
    type Target = BytesMut;
    #[inline(always)]
    fn deref(&self) -> &BytesMut {
        &self.buf
    }
}

impl DerefMut for RecvBuf {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }
}

/// The scratch buffer: heads and trailer sections we write, chunk-size lines, and small
/// chunks gathered on the receive side. Whatever is written into it is split off as a
/// `Bytes` at once, so it is empty between uses, and the two directions never use it at
/// the same time: one buffer serves both, and a connection allocates it once.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    buf: BytesMut,
    /// The most one use put in it this cycle.
    peak: usize,
    /// The last small response head written into it, to be handed out again.
    pub(super) last_head: LastHead,
}

impl Scratch {
    /// One use wrote (or reserved room for) `used` bytes.
    #[inline]
    pub(super) fn note(&mut self, used: usize) {
        self.peak = self.peak.max(used);
    }

    /// A message ended: a buffer over the threshold is given back.
    pub(super) fn message_ended(&mut self, buffers: &Buffers) {
        if self.buf.capacity() > buffers.shrink_threshold {
            self.buf = BytesMut::new();
            // It may lie in the buffer given back.
            self.last_head = LastHead::default();
        }
    }

    /// The next cycle starts: a buffer that held more than [`SCRATCH_KEEP`] is given back,
    /// and the peak starts again.
    pub(super) fn next_cycle(&mut self) {
        if self.peak > SCRATCH_KEEP {
            self.buf = BytesMut::new();
            self.last_head = LastHead::default();
        }
        self.peak = 0;
    }
}

impl Deref for Scratch {
    type Target = BytesMut;
    #[inline(always)]
    fn deref(&self) -> &BytesMut {
        &self.buf
    }
}

impl DerefMut for Scratch {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receive_buffer_released_when_a_message_ends_only_if_empty_and_large() {
        let buffers = Buffers::default();
        let mut r = RecvBuf::default();
        r.extend(&[b'x'; 100]);
        r.message_ended(&buffers);
        assert_eq!(r.len(), 100, "bytes received always stay");
        let big = alloc::vec![b'x'; buffers.shrink_threshold + 1];
        r.extend(&big);
        r.message_ended(&buffers);
        assert_eq!(r.len(), 100 + big.len(), "large but holding bytes: kept");
        r.clear();
        assert!(r.capacity() > buffers.shrink_threshold);
        r.message_ended(&buffers);
        assert_eq!(r.capacity(), 0, "large and empty: given back");

        let t = buffers.shrink_threshold;
        let mut r = RecvBuf {
            buf: BytesMut::with_capacity(t),
            peak: 0,
        };
        assert_eq!(r.capacity(), t);
        r.message_ended(&buffers);
        assert_eq!(r.capacity(), t, "at the threshold: kept");
    }

    #[test]
    fn scratch_released_when_a_message_ends_only_if_over_the_threshold() {
        let buffers = Buffers::default();
        let t = buffers.shrink_threshold;
        let mut s = Scratch {
            buf: BytesMut::with_capacity(t),
            peak: 0,
            last_head: LastHead::default(),
        };
        assert_eq!(s.capacity(), t);
        s.message_ended(&buffers);
        assert_eq!(s.capacity(), t, "at the threshold: kept");
        let mut s = Scratch {
            buf: BytesMut::with_capacity(t + 1),
            peak: 0,
            last_head: LastHead::default(),
        };
        s.message_ended(&buffers);
        assert_eq!(s.capacity(), 0, "over the threshold: given back");
        let mut s = Scratch {
            buf: BytesMut::with_capacity(16),
            peak: 0,
            last_head: LastHead::default(),
        };
        s.message_ended(&buffers);
        assert!(s.capacity() >= 16, "small: kept");
    }

    #[test]
    fn between_cycles_small_buffers_are_kept_and_large_ones_given_back() {
        let mut r = RecvBuf::default();
        r.reserve(RECV_KEEP);
        r.extend(&[b'x'; 10]);
        let _ = r.split();
        r.next_cycle();
        assert!(r.capacity() > 0, "small: kept for the next request");
        r.extend(&[b'x'; RECV_KEEP + 1]);
        let _ = r.split();
        r.next_cycle();
        assert_eq!(r.capacity(), 0, "grew past RECV_KEEP: given back");

        // The peak counts, not what is left once the bytes were split off.
        let mut r = RecvBuf::default();
        r.lend(RECV_KEEP * 2, |w| (w.len(), ()));
        let _ = r.split_to(RECV_KEEP * 2);
        r.next_cycle();
        assert_eq!(r.capacity(), 0);

        let mut s = Scratch::default();
        s.reserve(SCRATCH_KEEP * 2);
        s.note(SCRATCH_KEEP);
        s.next_cycle();
        assert!(s.capacity() > 0, "used up to SCRATCH_KEEP: kept");
        s.note(SCRATCH_KEEP + 1);
        s.next_cycle();
        assert_eq!(s.capacity(), 0);
    }
}
