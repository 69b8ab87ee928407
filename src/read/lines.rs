//! Cutting a body into lines, for [`BodyMode::Lines`](crate::BodyMode::Lines).
//!
//! The splitter looks at the body bytes at the front of the receive buffer, which the body
//! reader has freed of framing. Once a run of contiguous body bytes (all of a
//! Content-Length or close-delimited body; one chunk of a chunked body) holds a line
//! terminator, everything up to its *last* terminator is split off the buffer at once, as
//! one [`Bytes`] of complete lines (`ready`); each line is then a slice of that, cut with
//! `memchr2`: one refcount increment per line, no copy, and no call into the body reader.
//! The unfinished line after the last terminator stays in the receive buffer, so a line
//! that arrives over several reads is still one slice: only the new bytes are searched
//! when more arrive. Only a line that straddles chunk framing is assembled by copying into
//! `partial`.
//!
//! Terminators are CRLF, LF and a lone CR. A line ending in CR is handed out at once; an LF
//! that follows (in the same read or a later one, in the same chunk or the next) is then
//! skipped, so a CRLF counts once however it was split.

use bytes::{Buf, Bytes, BytesMut};

use crate::error::{Error, Limit};

/// State carried between calls: complete lines not yet handed out, or at most one
/// unfinished line.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    /// Complete lines taken off the buffer: starts at a line, ends with a terminator.
    ready: Bytes,
    /// The start of a line copied out of earlier runs (chunks). Empty while `ready` is not.
    partial: BytesMut,
    /// How many bytes at the front of the buffer were searched and hold no terminator.
    scanned: usize,
    /// The last line ended with CR: an LF at the front is the rest of its CRLF.
    skip_lf: bool,
}

/// What one call of [`LineSplitter::feed`] did.
#[derive(Debug)]
pub(crate) enum Fed {
    /// A line assembled from `partial`; `consumed` bytes were taken off the buffer.
    Line { line: Bytes, consumed: usize },
    /// `consumed` bytes were taken off the buffer: into `ready` (complete lines, for
    /// [`LineSplitter::cut_ready`]) or into the unfinished line, or skipped. Call again.
    Progress { consumed: usize },
    /// No terminator in the run yet and more of it may come: wait for input.
    /// `consumed` bytes (a skipped LF) were taken off the buffer.
    NeedData { consumed: usize },
}

impl LineSplitter {
    /// True while complete lines wait in `ready` for [`Self::cut_ready`].
    #[inline(always)]
    pub(crate) fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// True while no body bytes wait here (complete lines, the start of a line, or an LF
    /// to drop): data mode may slice the receive buffer directly.
    #[inline(always)]
    pub(crate) fn is_idle(&self) -> bool {
        self.ready.is_empty() && self.partial.is_empty() && !self.skip_lf
    }

    /// The next complete line out of `ready` (which is not empty): the hot path, a slice
    /// of `ready`. `None` if it is longer than `max` (an error: nothing is taken).
    #[inline(always)]
    pub(crate) fn cut_ready(&mut self, max: usize) -> Option<Bytes> {
        // `ready` ends with a terminator, so one is always found.
        let end = line_end(&self.ready).unwrap_or(self.ready.len() - 1);
        if end > max {
            return None;
        }
        let cr = self.ready[end] == b'\r';
        let line = self.ready.split_to(end);
        self.ready.advance(1);
        if cr && self.lf_follows(self.ready.first().copied()) {
            self.ready.advance(1);
        }
        if self.ready.is_empty() {
            // Let go of the receive buffer's storage, so that the next read can reuse it
            // instead of allocating another.
            self.ready = Bytes::new();
        }
        Some(line)
    }

    /// After a line ended in CR: true if `next`, the body byte after it, is the LF of a
    /// CRLF (to be dropped); with no byte yet (`None`), the next one is checked later.
    #[inline(always)]
    fn lf_follows(&mut self, next: Option<u8>) -> bool {
        match next {
            Some(b) => b == b'\n',
            None => {
                self.skip_lf = true;
                false
            }
        }
    }

    /// Looks for lines in the `len` body bytes at the front of `buf` (`ready` is empty).
    /// `run_ends`: no body byte contiguous with these will follow them in `buf`.
    pub(crate) fn feed(
        &mut self,
        buf: &mut BytesMut,
        len: usize,
        run_ends: bool,
        max: usize,
    ) -> Result<Fed, Error> {
        let mut skipped = 0;
        if self.skip_lf {
            self.skip_lf = false;
            if buf[0] == b'\n' {
                buf.advance(1);
                skipped = 1;
            }
        }
        let len = len - skipped;
        let from = self.scanned.min(len);
        if !self.partial.is_empty() {
            // The line began in an earlier run: copy up to its terminator.
            if let Some(i) = memchr::memchr2(b'\n', b'\r', &buf[from..len]) {
                let end = from + i;
                if self.partial.len() + end > max {
                    return Err(self.too_long_here(max, skipped));
                }
                let cr = buf[end] == b'\r';
                self.partial.extend_from_slice(&buf[..end]);
                buf.advance(end + 1);
                let mut consumed = skipped + end + 1;
                let next = (end + 1 < len).then(|| buf[0]);
                if cr && self.lf_follows(next) {
                    buf.advance(1);
                    consumed += 1;
                }
                self.scanned = 0;
                let line = self.partial.split().freeze();
                return Ok(Fed::Line { line, consumed });
            }
        } else if let Some(i) = memchr::memrchr2(b'\n', b'\r', &buf[from..len]) {
            // Every complete line at once; `cut_ready` cuts them.
            let end = from + i + 1;
            self.ready = buf.split_to(end).freeze();
            self.scanned = 0;
            return Ok(Fed::Progress {
                consumed: skipped + end,
            });
        }
        if self.partial.len() + len > max {
            return Err(self.too_long_here(max, skipped));
        }
        if run_ends {
            self.partial.extend_from_slice(&buf[..len]);
            buf.advance(len);
            self.scanned = 0;
            Ok(Fed::Progress {
                consumed: skipped + len,
            })
        } else {
            self.scanned = len;
            Ok(Fed::NeedData { consumed: skipped })
        }
    }

    /// A line too long, found by [`Self::feed`]: at its byte `max` (the first past the
    /// limit), counted from the front of the buffer as the call found it. The line began
    /// after `skipped` bytes, or in `partial` (never longer than `max`).
    #[cold]
    fn too_long_here(&self, max: usize, skipped: usize) -> Error {
        too_long(max).at(skipped + max - self.partial.len())
    }

    /// Complete lines taken off the buffer and not handed out yet.
    pub(crate) fn ready_len(&self) -> usize {
        self.ready.len()
    }

    /// At the end of the body (`ready` is empty): the last line if it had no terminator.
    pub(crate) fn finish(&mut self) -> Option<Bytes> {
        self.skip_lf = false;
        self.scanned = 0;
        if self.partial.is_empty() {
            None
        } else {
            Some(self.partial.split().freeze())
        }
    }

    /// Leaving line mode: body bytes taken off the buffer and not handed out (the copied
    /// start of an unfinished line, or complete lines), at most `max` of them, to be handed
    /// out as data. What is still in the receive buffer stays there.
    pub(crate) fn take_partial(&mut self, max: usize) -> Option<Bytes> {
        self.scanned = 0;
        if !self.partial.is_empty() {
            let n = self.partial.len().min(max);
            Some(self.partial.split_to(n).freeze())
        } else if !self.ready.is_empty() {
            let n = self.ready.len().min(max);
            Some(self.ready.split_to(n))
        } else {
            None
        }
    }

    /// Leaving line mode right after a CR: whether an LF at the front is to be dropped.
    pub(crate) fn take_skip_lf(&mut self) -> bool {
        core::mem::take(&mut self.skip_lf)
    }

    /// Forgets everything (a new message).
    pub(crate) fn reset(&mut self) {
        self.ready = Bytes::new();
        self.partial = BytesMut::new();
        self.scanned = 0;
        self.skip_lf = false;
    }
}

/// How many bytes [`line_end`] searches with the inlined 16-byte routine before it hands
/// the rest of a long line to `memchr2`.
const SHORT: usize = 256;

/// The first terminator (LF or CR) in `hay`, the complete lines of one read. Most lines are
/// short, so their first [`SHORT`] bytes are searched with memchr's SSE2 (or NEON) routine,
/// which is inlined here: `memchr2` picks its widest routine at run time, through a
/// function pointer and three calls, which on a 100-byte line cost as much as the search.
/// A longer line goes on with `memchr2`.
#[cfg(any(
    all(target_arch = "x86_64", target_feature = "sse2"),
    all(target_arch = "aarch64", target_feature = "neon")
))]
#[inline(always)]
fn line_end(hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "aarch64")]
    use memchr::arch::aarch64::neon::memchr::Two;
    #[cfg(target_arch = "x86_64")]
    use memchr::arch::x86_64::sse2::memchr::Two;
    let head = &hay[..hay.len().min(SHORT)];
    // `new` fails only without the target feature, which the `cfg` above requires.
    let found = match Two::new(b'\n', b'\r') {
        Some(two) => two.find(head),
        None => memchr::memchr2(b'\n', b'\r', head),
    };
    found.or_else(|| memchr::memchr2(b'\n', b'\r', &hay[head.len()..]).map(|i| head.len() + i))
}

/// The first terminator (LF or CR) in `hay`.
#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "sse2"),
    all(target_arch = "aarch64", target_feature = "neon")
)))]
#[inline(always)]
fn line_end(hay: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', hay)
}

pub(crate) fn too_long(max: usize) -> Error {
    Error::over(Limit::LineLength, max as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use alloc::vec::Vec;

    /// Feeds `runs` (each a contiguous run, e.g. a chunk) arriving in reads of `piece` bytes.
    fn split(runs: &[&[u8]], piece: usize, max: usize) -> Result<Vec<Vec<u8>>, Error> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for run in runs {
            let mut buf = BytesMut::new();
            let mut fed = 0;
            let mut avail = 0; // bytes of the run in buf
            loop {
                if s.has_ready() {
                    let line = s.cut_ready(max).ok_or_else(|| too_long(max))?;
                    out.push(line.to_vec());
                    continue;
                }
                if avail == 0 && fed == run.len() {
                    break;
                }
                let step = if avail == 0 {
                    Fed::NeedData { consumed: 0 }
                } else {
                    s.feed(&mut buf, avail, fed == run.len(), max)?
                };
                match step {
                    Fed::Line { line, consumed } => {
                        out.push(line.to_vec());
                        avail -= consumed;
                    }
                    Fed::Progress { consumed } => avail -= consumed,
                    Fed::NeedData { consumed } => {
                        avail -= consumed;
                        let n = piece.min(run.len() - fed);
                        buf.extend_from_slice(&run[fed..fed + n]);
                        fed += n;
                        avail += n;
                    }
                }
            }
        }
        if let Some(last) = s.finish() {
            out.push(last.to_vec());
        }
        Ok(out)
    }

    fn v(lines: &[&str]) -> Vec<Vec<u8>> {
        lines.iter().map(|l| l.as_bytes().to_vec()).collect()
    }

    #[test]
    fn terminators() {
        for piece in 1..8 {
            assert_eq!(
                split(&[b"a\r\nb\nc\rd"], piece, 100).unwrap(),
                v(&["a", "b", "c", "d"])
            );
            assert_eq!(split(&[b"\n\r\n\r"], piece, 100).unwrap(), v(&["", "", ""]));
            assert_eq!(
                split(&[b"a\r", b"\nb\r\n"], piece, 100).unwrap(),
                v(&["a", "b"])
            );
            assert_eq!(
                split(&[b"a\r", b"\rb"], piece, 100).unwrap(),
                v(&["a", "", "b"])
            );
        }
    }

    #[test]
    fn lines_across_runs() {
        assert_eq!(
            split(&[b"ab", b"cd", b"e\nf"], 2, 100).unwrap(),
            v(&["abcde", "f"])
        );
    }

    #[test]
    fn long_lines_past_the_short_search() {
        // Terminators on either side of the first `SHORT` bytes, which are searched apart.
        for len in [SHORT - 1, SHORT, SHORT + 1, 3 * SHORT] {
            for end in ["\n", "\r", "\r\n"] {
                let line = "x".repeat(len);
                let body = format!("{line}{end}{line}{end}y");
                for piece in [7, SHORT, 4 * SHORT] {
                    let got = split(&[body.as_bytes()], piece, 4 * SHORT).unwrap();
                    assert_eq!(got, v(&[&line, &line, "y"]), "{len} {end:?} {piece}");
                }
            }
        }
    }

    #[test]
    fn cut_lines_let_go_of_the_buffer() {
        // Once every complete line is cut (and the cut lines are dropped), the receive
        // buffer is its storage's only owner again: the next read reuses it.
        for body in [&b"a\nbc\nd"[..], b"a\r\nb\r", b"a\rb\r\n"] {
            let mut s = LineSplitter::default();
            let mut buf = BytesMut::with_capacity(64);
            buf.extend_from_slice(body);
            let Ok(Fed::Progress { .. }) = s.feed(&mut buf, body.len(), false, 100) else {
                panic!("no complete line in {body:?}");
            };
            while s.has_ready() {
                drop(s.cut_ready(100));
            }
            assert!(buf.try_reclaim(64 - buf.len()), "{body:?}");
        }
    }

    #[test]
    fn limit_exact_and_over() {
        assert_eq!(split(&[b"abcd\n"], 1, 4).unwrap(), v(&["abcd"]));
        assert_eq!(split(&[b"ab", b"cd\n"], 1, 4).unwrap(), v(&["abcd"]));
        let e = split(&[b"abcde\n"], 1, 4).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LineTooLong);
        assert!(split(&[b"abc", b"de\n"], 5, 4).is_err());
    }
}
