//! Cutting a body into lines, for [`BodyMode::Lines`](crate::BodyMode::Lines).
//!
//! The splitter looks at the body bytes at the front of the receive buffer, which the body
//! reader has freed of framing. A line that lies within one run of contiguous body bytes
//! (all of a Content-Length or close-delimited body; one chunk of a chunked body) is sliced
//! off the buffer without a copy, even when it arrived over several reads: the unfinished
//! line stays in the buffer and only the new bytes are searched when more arrive. Only a
//! line that straddles chunk framing is assembled by copying into `partial`.
//!
//! Terminators are CRLF, LF and a lone CR. A line ending in CR is handed out at once; an LF
//! that follows (in the same read or a later one, in the same chunk or the next) is then
//! skipped, so a CRLF counts once however it was split.

use bytes::{Buf, Bytes, BytesMut};

use crate::error::{Error, ErrorKind};

/// State carried between calls: at most one unfinished line.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    /// The start of a line copied out of earlier runs (chunks).
    partial: BytesMut,
    /// How many bytes at the front of the buffer were searched and hold no terminator.
    scanned: usize,
    /// The last line ended with CR: an LF at the front is the rest of its CRLF.
    skip_lf: bool,
}

/// What one call of [`LineSplitter::feed`] did.
#[derive(Debug)]
pub(crate) enum Fed {
    /// A line; `consumed` bytes were taken off the buffer (line, terminator and any LF skipped).
    Line { line: Bytes, consumed: usize },
    /// `consumed` bytes were taken into the unfinished line (or skipped); call again.
    Progress { consumed: usize },
    /// No terminator in the run yet and more of it may come: wait for input.
    /// `consumed` bytes (a skipped LF) were taken off the buffer.
    NeedData { consumed: usize },
}

impl LineSplitter {
    /// Looks for the next line in the `len` body bytes at the front of `buf`.
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
                if len == 1 {
                    return Ok(Fed::Progress { consumed: 1 });
                }
            }
        }
        let len = len - skipped;
        let from = self.scanned.min(len);
        match memchr::memchr2(b'\n', b'\r', &buf[from..len]) {
            Some(i) => {
                let end = from + i;
                if self.partial.len() + end > max {
                    return Err(too_long(max));
                }
                let cr = buf[end] == b'\r';
                let line = if self.partial.is_empty() {
                    // One split for the line and its terminator; dropping the terminator
                    // from the frozen slice is free.
                    let mut line = buf.split_to(end + 1).freeze();
                    line.truncate(end);
                    line
                } else {
                    self.partial.extend_from_slice(&buf[..end]);
                    buf.advance(end + 1);
                    self.partial.split().freeze()
                };
                let mut consumed = skipped + end + 1;
                if cr {
                    if end + 1 < len {
                        if buf[0] == b'\n' {
                            buf.advance(1);
                            consumed += 1;
                        }
                    } else {
                        self.skip_lf = true;
                    }
                }
                self.scanned = 0;
                Ok(Fed::Line { line, consumed })
            }
            None => {
                if self.partial.len() + len > max {
                    return Err(too_long(max));
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
        }
    }

    /// At the end of the body: the last line if it had no terminator.
    pub(crate) fn finish(&mut self) -> Option<Bytes> {
        self.skip_lf = false;
        self.scanned = 0;
        if self.partial.is_empty() {
            None
        } else {
            Some(self.partial.split().freeze())
        }
    }

    /// Leaving line mode: the copied start of an unfinished line, at most `max` bytes of
    /// it, to be handed out as data. The part still in the receive buffer stays there.
    pub(crate) fn take_partial(&mut self, max: usize) -> Option<Bytes> {
        self.scanned = 0;
        if self.partial.is_empty() {
            None
        } else {
            let n = self.partial.len().min(max);
            Some(self.partial.split_to(n).freeze())
        }
    }

    /// Leaving line mode right after a CR: whether an LF at the front is to be dropped.
    pub(crate) fn take_skip_lf(&mut self) -> bool {
        core::mem::take(&mut self.skip_lf)
    }

    /// Forgets everything (a new message).
    pub(crate) fn reset(&mut self) {
        self.partial = BytesMut::new();
        self.scanned = 0;
        self.skip_lf = false;
    }
}

fn too_long(max: usize) -> Error {
    Error::new(
        ErrorKind::LineTooLong,
        alloc::format!("a body line is longer than the limit of {max} bytes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn limit_exact_and_over() {
        assert_eq!(split(&[b"abcd\n"], 1, 4).unwrap(), v(&["abcd"]));
        assert_eq!(split(&[b"ab", b"cd\n"], 1, 4).unwrap(), v(&["abcd"]));
        let e = split(&[b"abcde\n"], 1, 4).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LineTooLong);
        assert!(split(&[b"abc", b"de\n"], 5, 4).is_err());
    }
}
