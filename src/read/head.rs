//! Finding the end of a head (or a trailer section) incrementally, by position.
//!
//! httparse alone would re-parse a head from its start whenever more bytes arrive: a head
//! dripped one byte at a time would cost O(n²). [`HeadScanner`] instead remembers where
//! its walk stopped, so every byte is looked at once; httparse then runs once on the
//! complete head. (A head that arrives whole skips the walk: see [`parse`](super::parse).)
//!
//! Every line must end with CRLF. httparse accepts a bare LF, and parsers that do and
//! parsers that don't cut such a head differently, so h1 refuses it: the walk checks each
//! `\n` as it arrives, and [`check_crlf`](super::parse::check_crlf) checks a section
//! httparse accepted whole.

use crate::error::Error;

/// A problem found by position, before httparse runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A line ends with LF alone.
    BareLf,
    /// The first line is longer than allowed.
    FirstLineTooLong,
    /// The head is larger than allowed.
    TooLarge,
}

/// Resumable search for the empty line that ends a head or a trailer section.
///
/// Which error a bad head gets must not depend on how it was split into reads. So the
/// scanner reports problems strictly by position: every byte is judged against the exact
/// positions where the limits end, in order, and the first problem wins. When the fast
/// path refuses a head that arrived whole, [`first_violation`] walks it to report what
/// this scan would have.
#[derive(Debug, Default, Clone)]
pub(crate) struct HeadScanner {
    /// Everything before `pos` was checked.
    pos: usize,
    /// Where the line being checked starts.
    line_start: usize,
    /// Length of the first line (without CRLF), once its end was seen.
    first_line: Option<usize>,
}

pub(crate) fn bare_lf() -> Error {
    Error::malformed("a line of the head ends with a bare LF (CRLF is required)")
}

impl HeadScanner {
    /// Looks for the end of the head in `buf`, which must be what earlier calls saw with
    /// bytes appended, checking each new byte once, in order. Returns the head's length
    /// (through the empty line) once complete; `Some(2)` when `buf` starts with an empty
    /// line.
    pub(crate) fn scan(
        &mut self,
        buf: &[u8],
        max_size: usize,
        max_first_line: usize,
    ) -> Result<Option<usize>, Violation> {
        match buf {
            [b'\r', b'\n', ..] => return Ok(Some(2)),
            // httparse would skip a leading bare LF; h1 refuses it.
            [b'\n', ..] => return Err(Violation::BareLf),
            _ => {}
        }
        let window = buf.len().min(max_size);
        if let Some(len) = self.walk(&buf[..window], max_first_line)? {
            return Ok(Some(len));
        }
        if buf.len() >= max_size {
            return Err(Violation::TooLarge);
        }
        Ok(None)
    }

    /// True while nothing of this head was looked at.
    pub(crate) fn is_fresh(&self) -> bool {
        self.pos == 0
    }

    /// Checks the bytes after `pos` in order: bare LFs, the first line's limit, the end.
    /// A short tail (a head dripped a few bytes at a time) is checked with a plain loop:
    /// setting up a `memchr` search costs more than the search.
    fn walk(&mut self, buf: &[u8], max_first_line: usize) -> Result<Option<usize>, Violation> {
        let from = self.pos;
        let tail = &buf[from..];
        if tail.len() < 16 {
            for (k, &b) in tail.iter().enumerate() {
                if b == b'\n' {
                    if let Some(len) = self.line_end(buf, from + k, max_first_line)? {
                        return Ok(Some(len));
                    }
                }
            }
        } else {
            for k in memchr::memchr_iter(b'\n', tail) {
                if let Some(len) = self.line_end(buf, from + k, max_first_line)? {
                    return Ok(Some(len));
                }
            }
        }
        self.pos = buf.len();
        if self.first_line.is_none() && buf.len() > max_first_line.saturating_add(1) {
            return Err(Violation::FirstLineTooLong);
        }
        Ok(None)
    }

    /// Judges the LF at `i`: `Some(len)` when it ends the head.
    #[inline]
    fn line_end(
        &mut self,
        buf: &[u8],
        i: usize,
        max_first_line: usize,
    ) -> Result<Option<usize>, Violation> {
        if self.first_line.is_none() && i > max_first_line.saturating_add(1) {
            return Err(Violation::FirstLineTooLong);
        }
        if i == 0 || buf[i - 1] != b'\r' {
            return Err(Violation::BareLf);
        }
        if self.first_line.is_none() {
            self.first_line = Some(i - 1);
        }
        if i - 1 == self.line_start {
            self.pos = i + 1;
            return Ok(Some(i + 1));
        }
        self.line_start = i + 1;
        Ok(None)
    }
}

/// The first problem by position among the first `max_size` bytes of `buf`, as the
/// incremental scan would have reported it, given that the head is `len` bytes long.
pub(crate) fn first_violation(
    buf: &[u8],
    len: usize,
    max_size: usize,
    max_first_line: usize,
) -> Option<Violation> {
    let window = len.min(max_size).min(buf.len());
    match HeadScanner::default().walk(&buf[..window], max_first_line) {
        Err(v) => Some(v),
        Ok(_) if len > max_size => Some(Violation::TooLarge),
        Ok(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(input: &[u8]) -> Result<Option<usize>, Violation> {
        HeadScanner::default().scan(input, 1 << 20, 1 << 20)
    }

    #[test]
    fn finds_end_whole_and_dripped() {
        let head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        assert_eq!(scan_all(head).unwrap(), Some(27));
        let mut s = HeadScanner::default();
        let mut found = None;
        for n in 1..=head.len() {
            if let Some(len) = s.scan(&head[..n], 1000, 1000).unwrap() {
                found = Some((n, len));
                break;
            }
        }
        assert_eq!(found, Some((27, 27)));
        assert_eq!(s.first_line, Some(14));
    }

    #[test]
    fn refuses_bare_lf_by_position() {
        assert_eq!(scan_all(b"GET / HTTP/1.1\nHo"), Err(Violation::BareLf));
        assert_eq!(
            scan_all(b"GET / HTTP/1.1\r\nHost: a\n"),
            Err(Violation::BareLf)
        );
        assert_eq!(scan_all(b"\n"), Err(Violation::BareLf));
        assert_eq!(
            scan_all(b"\nGET / HTTP/1.1\r\n\r\n"),
            Err(Violation::BareLf)
        );
        let head = b"GET / HTTP/1.1\r\nHost: a\n\r\n";
        assert_eq!(
            first_violation(head, head.len(), 100, 100),
            Some(Violation::BareLf)
        );
    }

    #[test]
    fn violations_are_positional() {
        // A long first line with a bare LF after the limit: "too long" whatever the split.
        let mut head = b"GET /".to_vec();
        head.extend(core::iter::repeat_n(b'a', 30));
        head.extend_from_slice(b"\nHost: a\r\n\r\n");
        for cut in 1..head.len() {
            let mut s = HeadScanner::default();
            let result = match s.scan(&head[..cut], 1000, 20) {
                Ok(None) => s.scan(&head, 1000, 20),
                other => other,
            };
            assert_eq!(result, Err(Violation::FirstLineTooLong), "cut at {cut}");
        }
        assert_eq!(
            first_violation(&head, head.len(), 1000, 20),
            Some(Violation::FirstLineTooLong)
        );
        // Too large: the head does not end within max_size bytes.
        assert_eq!(scan_all(b"GET / HTTP/1.1\r\n").unwrap(), None);
        assert_eq!(
            HeadScanner::default().scan(b"GET / HTTP/1.1\r\nHost: a\r\n", 20, 20),
            Err(Violation::TooLarge)
        );
        assert_eq!(
            HeadScanner::default().scan(b"GET / HTTP/1.1\r\n\r\n", 18, 20),
            Ok(Some(18))
        );
        assert_eq!(
            first_violation(b"GET / HTTP/1.1\r\n\r\n", 18, 10, 20),
            Some(Violation::TooLarge)
        );
    }

    #[test]
    fn empty_trailer_section() {
        assert_eq!(scan_all(b"\r\n").unwrap(), Some(2));
        assert_eq!(scan_all(b"X: y\r\n\r\n").unwrap(), Some(8));
    }
}
