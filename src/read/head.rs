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
//!
//! The walk passes over runs of bytes that no rule acts on (the text of a field line, a
//! request target) sixteen or eight at a time, and judges the others one by one. A head
//! cut by a read is walked only up to the cut: when at least as many bytes arrive after it
//! as were walked, httparse gets the whole head again, as on a first look.
//!
//! A head is refused as soon as the bytes so far cannot begin a valid one: the walk also
//! judges every new byte on its own (no control character but HTAB, no CR but before LF)
//! and, while the start line lasts, where it stands in it (a method of tchars, a target
//! without controls or spaces, `HTTP/1.x` then CRLF; a response starts with `HTTP/1.x`).
//! So a TLS hello or an SSH banner on a plain-text port is refused at its first byte, not
//! after `max_head_size` bytes or a timeout. Each of these rules only refuses what httparse
//! refuses too, so a head that arrives whole (and never meets the walk) gets the same
//! answer.

use crate::error::Error;
use crate::headers::is_tchar;

/// A problem found by position, before httparse runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A line ends with LF alone.
    BareLf,
    /// The first line is longer than allowed.
    FirstLineTooLong,
    /// The head is larger than allowed.
    TooLarge,
    /// A control character other than HTAB (NUL, ESC, DEL, …).
    Control,
    /// A CR not followed by LF.
    BareCr,
    /// A byte that cannot stand where it is in the start line (a method that is not a
    /// token, a control or a second SP in the target; a response not starting `HTTP/`).
    StartLine,
    /// A start line with an HTTP major version other than 1.
    Version,
    /// Something other than CRLF after a request line's version.
    LineEnding,
}

/// What kind of section a [`HeadScanner`] walks: which start line it checks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// A request head: `method SP target SP HTTP/1.x CRLF` first.
    Request,
    /// A response head: `HTTP/1.x` first.
    Response,
    /// A trailer section: field lines only.
    #[default]
    Trailers,
}

/// Where the walk stands in the start line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// In the method; `true` once it has a byte.
    Method(bool),
    /// In the target; `true` once it has a byte.
    Target(bool),
    /// At byte `k` of the version, in the line `of`.
    Version { k: u8, of: VersionOf },
    /// Past what is checked byte by byte (or no start line at all).
    #[default]
    Done,
}

/// Which start line a version is in: the one that ends a request line is checked through
/// the CR after it (`HTTP/1.x` CR); the one that begins a status line, through its last
/// digit (httparse checks the rest of the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VersionOf {
    RequestLine,
    StatusLine,
}

/// Control characters no head may hold (HTAB, LF and CR are judged apart).
const fn control_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    t[0x7f] = true;
    t
}

static CONTROL: [bool; 256] = control_table();

/// The message of [`Violation::Control`].
pub(crate) fn control() -> Error {
    Error::malformed("a control character in the head (only HTAB is allowed, in field values)")
}

/// The message of [`Violation::BareCr`].
pub(crate) fn bare_cr() -> Error {
    Error::malformed("a bare CR in the head (CR is allowed only before LF)")
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
    /// Where the walk stands in the start line.
    start: Start,
}

pub(crate) fn bare_lf() -> Error {
    Error::malformed("a line of the head ends with a bare LF (CRLF is required)")
}

impl HeadScanner {
    /// A scanner for a section of this kind.
    pub(crate) fn new(section: Section) -> Self {
        let start = match section {
            Section::Request => Start::Method(false),
            Section::Response => Start::Version {
                k: 0,
                of: VersionOf::StatusLine,
            },
            Section::Trailers => Start::Done,
        };
        Self {
            start,
            ..Self::default()
        }
    }

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
        // (Once two bytes were walked, neither can be: the walk ended or refused there.)
        if self.pos <= 1 {
            match buf {
                [b'\r', b'\n', ..] => return Ok(Some(2)),
                // httparse would skip a leading bare LF; h1 refuses it.
                [b'\n', ..] => return Err(Violation::BareLf),
                _ => {}
            }
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

    /// True when at least as many bytes of `buf` arrived since the last look as were
    /// checked before it: a head cut by a read rather than dripped in. Such a head may be
    /// given to httparse whole again; a head that grows a little at a time never is, so
    /// every byte is parsed O(1) times.
    pub(crate) fn mostly_new(&self, buf: &[u8]) -> bool {
        buf.len() / 2 >= self.pos
    }

    /// Checks the bytes after `pos` in order, each once: bare LFs and CRs, control
    /// characters, the first line's limit and syntax, the end.
    #[inline(always)]
    fn walk(&mut self, buf: &[u8], max_first_line: usize) -> Result<Option<usize>, Violation> {
        if buf.len().saturating_sub(self.pos) >= 16 {
            self.walk_runs(buf, max_first_line)
        } else {
            // A few bytes (a head dripped in): passing over runs costs more than it saves.
            self.walk_bytes(buf, max_first_line)
        }
    }

    /// [`walk`](Self::walk) one byte at a time.
    #[inline(never)]
    fn walk_bytes(
        &mut self,
        buf: &[u8],
        max_first_line: usize,
    ) -> Result<Option<usize>, Violation> {
        for (i, &b) in buf.iter().enumerate().skip(self.pos) {
            if let Some(len) = self.judge(buf, i, b, max_first_line)? {
                return Ok(Some(len));
            }
        }
        self.pos = buf.len();
        Ok(None)
    }

    /// [`walk`](Self::walk) over many bytes: runs of bytes that no rule acts on are passed
    /// over a word at a time, the others judged one by one.
    #[inline(never)]
    fn walk_runs(&mut self, buf: &[u8], max_first_line: usize) -> Result<Option<usize>, Violation> {
        let mut i = self.pos;
        while i < buf.len() {
            if i == 0 || buf[i - 1] != b'\r' {
                match self.pass_over(buf, i, max_first_line) {
                    Run::End(len) => return Ok(Some(len)),
                    Run::Stop(at) if at == buf.len() => break,
                    Run::Stop(at) => i = at,
                }
            }
            if let Some(len) = self.judge(buf, i, buf[i], max_first_line)? {
                return Ok(Some(len));
            }
            i += 1;
        }
        self.pos = buf.len();
        Ok(None)
    }

    /// Judges byte `b` at `i`: `Some(len)` when it ends the head.
    #[inline(always)]
    fn judge(
        &mut self,
        buf: &[u8],
        i: usize,
        b: u8,
        max_first_line: usize,
    ) -> Result<Option<usize>, Violation> {
        if b == b'\n' {
            return self.line_end(buf, i, max_first_line);
        }
        if self.first_line.is_none() && i > max_first_line {
            return Err(Violation::FirstLineTooLong);
        }
        if buf.get(i.wrapping_sub(1)) == Some(&b'\r') {
            return Err(Violation::BareCr);
        }
        if CONTROL[b as usize] {
            return Err(Violation::Control);
        }
        if self.start != Start::Done {
            self.start = start_byte(self.start, b, i == self.line_start)?;
        }
        Ok(None)
    }

    /// Passes over the bytes from `i` on that [`walk`](Self::walk) would pass over without
    /// refusing anything, changing only what the walk would change: in a request line, a
    /// method of tchars, its SP, a target of bytes above SP but DEL and a version
    /// ` HTTP/1.x` with its CR; in other lines, any byte but a control character or DEL,
    /// and, past the first line, CRLF line ends. Before the first line's end, no byte
    /// past its limit. `i` must not follow a CR (the byte after a CR is judged on its own).
    #[inline(never)]
    fn pass_over(&mut self, buf: &[u8], mut i: usize, max_first_line: usize) -> Run {
        if self.first_line.is_some() {
            return self.pass_over_fields(buf, i);
        }
        let first_end = buf.len().min(max_first_line.saturating_add(1));
        if let Start::Method(_) = self.start {
            let method = buf.get(i..first_end).unwrap_or_default();
            let j = i + method.iter().take_while(|&&b| is_tchar(b)).count();
            if j > i {
                self.start = Start::Method(true);
            }
            if self.start != Start::Method(true) || j >= first_end || buf[j] != b' ' {
                return Run::Stop(j);
            }
            self.start = Start::Target(false);
            i = j + 1;
        }
        match self.start {
            Start::Target(_) => {
                let j = plain_run(buf, i, first_end, b' ' + 1);
                if j > i {
                    self.start = Start::Target(true);
                }
                // SP, `HTTP/1.`, a digit and the CR: the version as `start_byte` checks it.
                if let Some(&[b' ', b'H', b'T', b'T', b'P', b'/', b'1', b'.', d, b'\r']) =
                    buf.get(j..first_end.min(j + 10))
                {
                    if self.start == Start::Target(true) && d.is_ascii_digit() {
                        self.start = Start::Done;
                        return Run::Stop(j + 10);
                    }
                }
                Run::Stop(j)
            }
            Start::Done => Run::Stop(plain_run(buf, i, first_end, b' ')),
            Start::Method(_) | Start::Version { .. } => Run::Stop(i),
        }
    }

    /// [`pass_over`](Self::pass_over) past the first line: whole field lines, up to the
    /// empty line that ends the section or the first byte to judge on its own.
    fn pass_over_fields(&mut self, buf: &[u8], mut i: usize) -> Run {
        loop {
            i = plain_run(buf, i, buf.len(), b' ');
            if buf.get(i..i + 2) != Some(b"\r\n") {
                return Run::Stop(i);
            }
            if i == self.line_start {
                // The section is complete (see `line_end`).
                return Run::End(i + 2);
            }
            i += 2;
            self.line_start = i;
        }
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
            self.start = Start::Done;
        }
        if i - 1 == self.line_start {
            // The section is complete: the scanner is done (and replaced before any reuse).
            return Ok(Some(i + 1));
        }
        self.line_start = i + 1;
        Ok(None)
    }
}

/// What [`HeadScanner::pass_over`] found.
enum Run {
    /// The section ends after this many bytes.
    End(usize),
    /// The byte at this index is to be judged on its own (or the input ends there).
    Stop(usize),
}

/// The first index from `i` up to `end` whose byte is below `below` (at most `b' ' + 1`)
/// or DEL, or `end`: sixteen bytes per step (a test the compiler turns into vector
/// instructions), then eight, then one by one.
#[inline(always)]
fn plain_run(buf: &[u8], mut i: usize, end: usize, below: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let end = end.min(buf.len());
    while i + 16 <= end {
        let Ok(block) = <&[u8; 16]>::try_from(&buf[i..i + 16]) else {
            break;
        };
        let stop = block
            .iter()
            .fold(false, |acc, &b| acc | (b < below) | (b == 0x7f));
        if stop {
            break;
        }
        i += 16;
    }
    while i + 8 <= end {
        let Ok(word) = <[u8; 8]>::try_from(&buf[i..i + 8]) else {
            break;
        };
        let x = u64::from_le_bytes(word);
        // The high bit of each byte below `below`, and of each DEL (a zero byte of
        // `x ^ DEL`). A borrow only runs towards higher bytes, so the lowest bit set is
        // exactly the first such byte (for thresholds up to 0x80).
        let y = x ^ (ONES * 0x7f);
        let stops =
            (x.wrapping_sub(ONES * u64::from(below)) & !x | y.wrapping_sub(ONES) & !y) & HIGH;
        if stops != 0 {
            return i + (stops.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < end && buf[i] >= below && buf[i] != 0x7f {
        i += 1;
    }
    i
}

/// Judges byte `b` of the start line in state `at`; `first` when it is the line's first
/// byte. A CR is judged by what follows it ([`Violation::BareCr`], or the line's end).
fn start_byte(at: Start, b: u8, first: bool) -> Result<Start, Violation> {
    Ok(match at {
        // An empty line before a head: CR then LF (judged at the LF).
        Start::Method(false) | Start::Version { k: 0, .. } if first && b == b'\r' => at,
        Start::Method(_) if is_tchar(b) => Start::Method(true),
        Start::Method(true) if b == b' ' => Start::Target(false),
        Start::Target(true) if b == b' ' => Start::Version {
            k: 0,
            of: VersionOf::RequestLine,
        },
        Start::Target(_) if b > b' ' && b != 0x7f => Start::Target(true),
        Start::Method(_) | Start::Target(_) => return Err(Violation::StartLine),
        Start::Version { k, of } => {
            let ok = match k {
                0..=4 => b == b"HTTP/"[k as usize],
                5 if b == b'1' => true,
                5 if b.is_ascii_digit() => return Err(Violation::Version),
                5 => false,
                6 => b == b'.',
                7 => b.is_ascii_digit(),
                _ if b == b'\r' => return Ok(Start::Done),
                _ => return Err(Violation::LineEnding),
            };
            if !ok {
                return Err(Violation::StartLine);
            }
            match (k, of) {
                (7, VersionOf::StatusLine) => Start::Done,
                _ => Start::Version { k: k + 1, of },
            }
        }
        Start::Done => Start::Done,
    })
}

/// The first problem by position among the first `max_size` bytes of `buf`, and where it
/// is, as the incremental scan of a `section` would have reported them, given that the
/// head is `len` bytes long.
pub(crate) fn first_violation(
    section: Section,
    buf: &[u8],
    len: usize,
    max_size: usize,
    max_first_line: usize,
) -> Option<(Violation, usize)> {
    let window = len.min(max_size).min(buf.len());
    match HeadScanner::new(section).walk(&buf[..window], max_first_line) {
        Err(v) => Some((
            v,
            locate_violation(section, &buf[..window], v, max_first_line),
        )),
        Ok(_) if len > max_size => Some((Violation::TooLarge, max_size.saturating_sub(1))),
        Ok(_) => None,
    }
}

/// Where the violation `v` that a scan of a `section` in `buf` returned is: the offset of
/// the offending byte in the section ([`Error::offset`](crate::Error::offset) says which
/// byte that is for each kind). Found again on the error path, so the walk keeps no
/// position for it.
#[cold]
pub(crate) fn violation_at(
    section: Section,
    buf: &[u8],
    v: Violation,
    max_size: usize,
    max_first_line: usize,
) -> usize {
    // A head too large is found by no walk of its first `max_size` bytes: the search
    // ends at the last of them.
    locate_violation(section, &buf[..buf.len().min(max_size)], v, max_first_line)
}

/// Where the walk of a `section` over `buf` meets the violation `v` it reports: the walk
/// judges bytes in order, so the prefixes it refuses are all those that reach the byte
/// where it finds `v`, and a binary search over fresh walks finds that byte. A bare CR is
/// found at the byte after it, and reported at the CR. Errors only: O(n log n).
#[cold]
#[inline(never)]
fn locate_violation(section: Section, buf: &[u8], v: Violation, max_first_line: usize) -> usize {
    let refused = |k: usize| {
        HeadScanner::new(section)
            .walk(&buf[..k], max_first_line)
            .is_err()
    };
    // Invariant: the walk of `lo` bytes finds nothing, the walk of `hi` bytes finds `v`.
    let (mut lo, mut hi) = (0, buf.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if refused(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let found = hi.saturating_sub(1);
    match v {
        Violation::BareCr => found.saturating_sub(1),
        _ => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(input: &[u8]) -> Result<Option<usize>, Violation> {
        HeadScanner::new(Section::Request).scan(input, 1 << 20, 1 << 20)
    }

    #[test]
    fn finds_end_whole_and_dripped() {
        let head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        assert_eq!(scan_all(head).unwrap(), Some(27));
        let mut s = HeadScanner::new(Section::Request);
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
            first_violation(Section::Request, head, head.len(), 100, 100),
            Some((Violation::BareLf, 23))
        );
    }

    #[test]
    fn violations_are_positional() {
        // A long first line with a bare LF after the limit: "too long" whatever the split.
        let mut head = b"GET /".to_vec();
        head.extend(core::iter::repeat_n(b'a', 30));
        head.extend_from_slice(b"\nHost: a\r\n\r\n");
        for cut in 1..head.len() {
            let mut s = HeadScanner::new(Section::Request);
            let result = match s.scan(&head[..cut], 1000, 20) {
                Ok(None) => s.scan(&head, 1000, 20),
                other => other,
            };
            assert_eq!(result, Err(Violation::FirstLineTooLong), "cut at {cut}");
        }
        assert_eq!(
            first_violation(Section::Request, &head, head.len(), 1000, 20),
            Some((Violation::FirstLineTooLong, 21))
        );
        // Too large: the head does not end within max_size bytes.
        assert_eq!(scan_all(b"GET / HTTP/1.1\r\n").unwrap(), None);
        assert_eq!(
            HeadScanner::new(Section::Request).scan(b"GET / HTTP/1.1\r\nHost: a\r\n", 20, 20),
            Err(Violation::TooLarge)
        );
        assert_eq!(
            HeadScanner::new(Section::Request).scan(b"GET / HTTP/1.1\r\n\r\n", 18, 20),
            Ok(Some(18))
        );
        assert_eq!(
            first_violation(Section::Request, b"GET / HTTP/1.1\r\n\r\n", 18, 10, 20),
            Some((Violation::TooLarge, 9))
        );
    }

    #[test]
    fn empty_trailer_section() {
        let mut t = HeadScanner::new(Section::Trailers);
        assert_eq!(t.scan(b"\r\n", 100, usize::MAX).unwrap(), Some(2));
        let mut t = HeadScanner::new(Section::Trailers);
        assert_eq!(t.scan(b"X: y\r\n\r\n", 100, usize::MAX).unwrap(), Some(8));
        let mut t = HeadScanner::new(Section::Trailers);
        assert_eq!(t.scan(b"X: \x00", 100, usize::MAX), Err(Violation::Control));
    }

    /// Scans `input` one byte at a time as a `section`: the first violation, or the end.
    fn drip(section: Section, input: &[u8]) -> Result<Option<usize>, Violation> {
        let mut s = HeadScanner::new(section);
        for n in 1..=input.len() {
            if let Some(len) = s.scan(&input[..n], 1 << 20, 1 << 20)? {
                return Ok(Some(len));
            }
        }
        Ok(None)
    }

    #[test]
    fn refuses_as_soon_as_no_head_can_follow() {
        use Section::{Request, Response};
        let cases: &[(Section, &[u8], Violation, usize)] = &[
            // (section, input, violation, bytes needed to see it)
            (Request, b"\x16\x03\x01\x02\x00", Violation::Control, 1),
            (Request, b"G\x01T / HTTP/1.1\r\n", Violation::Control, 2),
            (
                Request,
                b"GET / HTTP/1.1\rHost: a\r\r",
                Violation::BareCr,
                16,
            ),
            (
                Request,
                b"GET / HTTP/1.1\r\nHost: a\r\nX\x00: b",
                Violation::Control,
                27,
            ),
            (Request, b"G@T / HTTP/1.1\r\n", Violation::StartLine, 2),
            (Request, b"GET  / HTTP/1.1\r\n", Violation::StartLine, 5),
            (Request, b"GET /\ta HTTP/1.1\r\n", Violation::StartLine, 6),
            (Request, b"GET / XTTP/1.1\r\n", Violation::StartLine, 7),
            (Request, b"GET / HTTP/2.0\r\n", Violation::Version, 12),
            (Request, b"GET / HTTP/1.1 \r\n", Violation::LineEnding, 15),
            (Request, b"GET / HTTP/1.10\r\n", Violation::LineEnding, 15),
            (Request, b"GET /\r\n", Violation::StartLine, 6),
            (Request, b" GET / HTTP/1.1\r\n", Violation::StartLine, 1),
            (Request, b"\rGET", Violation::BareCr, 2),
            (
                Response,
                b"SSH-2.0-OpenSSH_9.6\r\n",
                Violation::StartLine,
                1,
            ),
            (Response, b"HTTP/3.0 200 OK\r\n", Violation::Version, 6),
            (Response, b"HTTP/1.1 200 O\x7fK\r\n", Violation::Control, 15),
        ];
        for &(section, input, v, at) in cases {
            assert_eq!(drip(section, input), Err(v), "{input:?}");
            assert_eq!(
                drip(section, &input[..at - 1]),
                Ok(None),
                "{input:?} refused before byte {at}"
            );
            // Whole: the same, and the same as the walk of a complete head reports.
            let mut whole = HeadScanner::new(section);
            assert_eq!(whole.scan(input, 1 << 20, 1 << 20), Err(v), "{input:?}");
            assert_eq!(
                first_violation(section, input, input.len(), 1 << 20, 1 << 20),
                Some((v, violation_at(section, input, v, 1 << 20, 1 << 20)))
            );
        }
        // What is allowed: heads, an empty line first, obs-fold and HTAB in responses,
        // later minor versions, obs-text in a target (refused later, by httparse).
        for (section, input) in [
            (Request, &b"\r\n"[..]),
            (Request, b"GET /a?b=c HTTP/1.9\r\nX: a\tb\r\n\r\n"),
            (
                Request,
                b"M-S.E_A!R#C$H%&'*+^`|~ http://a/ HTTP/1.0\r\n\r\n",
            ),
            (Response, b"\r\n"),
            (Response, b"HTTP/1.1 200 \tOK\xff\r\nX: a\r\n b\r\n\r\n"),
            (Response, b"HTTP/1.5 200 OK\r\n\r\n"),
        ] {
            assert!(matches!(drip(section, input), Ok(Some(_))), "{input:?}");
        }
        assert_eq!(
            drip(Request, b"GET /\x80 HTTP/1.1\r\n\r\n").map(|l| l.is_some()),
            Ok(true)
        );
    }

    #[test]
    fn passing_over_runs_changes_no_answer() {
        // Every byte class the walk judges, at every position of a head, split at every
        // point: the answer is the one a walk one byte at a time gives.
        let head = b"GET /a/long/enough/target?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: a longer field value\r\n\r\n";
        let status = b"HTTP/1.1 200 OK with a longer reason\r\nServer: example server\r\n\r\n";
        for section in [Section::Request, Section::Response, Section::Trailers] {
            let base: &[u8] = match section {
                Section::Request => head,
                Section::Response => status,
                Section::Trailers => &head[40..],
            };
            for at in 0..base.len() {
                for b in [0u8, b'\t', b'\r', b'\n', b' ', 0x7f, 0x80, b'x'] {
                    let mut input = base.to_vec();
                    input[at] = b;
                    // Start-line limits that end in the method, the target, the version.
                    for limit in [2, 37, 38, 1 << 20] {
                        let dripped = {
                            let mut s = HeadScanner::new(section);
                            (1..=input.len())
                                .map(|n| s.scan(&input[..n], 1 << 20, limit))
                                .find(|r| !matches!(r, Ok(None)))
                                .unwrap_or(Ok(None))
                        };
                        for cut in 1..input.len() {
                            let mut s = HeadScanner::new(section);
                            let split = match s.scan(&input[..cut], 1 << 20, limit) {
                                Ok(None) => s.scan(&input, 1 << 20, limit),
                                other => other,
                            };
                            assert_eq!(split, dripped, "{input:?} cut at {cut}, limit {limit}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn start_line_limit_comes_before_what_follows_it() {
        // A control byte past the start-line limit: the limit is met first.
        let mut s = HeadScanner::new(Section::Request);
        assert_eq!(
            s.scan(b"GET /abcdef\x00", 100, 8),
            Err(Violation::FirstLineTooLong)
        );
    }
}
