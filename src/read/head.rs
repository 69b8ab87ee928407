//! Finding the end of a head incrementally, then parsing it once with httparse.
//!
//! httparse alone would re-parse a head from its start whenever more bytes arrive: a head
//! dripped one byte at a time would cost O(n²). [`HeadScanner`] instead remembers where
//! its search for the empty line stopped, so every byte is searched once (one `memmem`
//! call when the head arrives whole), and httparse runs exactly once, on a complete head.
//!
//! Every line must end with CRLF. httparse accepts a bare LF, and parsers that do and
//! parsers that don't cut such a head differently, so h1 refuses it in two places: while a
//! head is incomplete, each new `\n` is checked as it arrives (so a dripped bad head fails
//! at once); on a complete head, the two bytes before every field name must be CRLF
//! ([`check_crlf`]), which covers every line ending httparse accepted.

use alloc::vec::Vec;
use bytes::{Bytes, BytesMut};
use core::mem::MaybeUninit;

use crate::config::Limits;
use crate::error::{Error, ErrorKind};
use crate::event::{Request, Response, Version};
use crate::headers::{Entry, Headers, Known};

/// A problem found by position while scanning a head, before httparse runs.
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
/// positions where the limits end, in order, and the first problem wins. When a head
/// arrives whole, the fast path (one `memmem`, then httparse) skips that walk; if the
/// head is then refused, [`first_violation`] walks it to report what the positional scan
/// would have.
#[derive(Debug, Default, Clone)]
pub(crate) struct HeadScanner {
    /// Everything before `pos` was checked.
    pos: usize,
    /// Where the line being checked starts.
    line_start: usize,
    /// Length of the first line (without CRLF), once its end was seen.
    first_line: Option<usize>,
}

fn bare_lf() -> Error {
    Error::malformed("a line of the head ends with a bare LF (CRLF is required)")
}

impl HeadScanner {
    /// Looks for the end of the head in `buf`, which must be what earlier calls saw with
    /// bytes appended. Returns the head's length (through the empty line) once complete;
    /// `Some(2)` when `buf` starts with an empty line. A complete head found by the fast
    /// path is not yet checked for bare LFs or the first-line limit: the caller does that
    /// after httparse, and calls [`first_violation`] if it refuses the head.
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
        let from = self.pos.saturating_sub(3).min(window);
        if let Some(i) = memchr::memmem::find(&buf[from..window], b"\r\n\r\n") {
            let len = from + i + 4;
            if self.first_line.is_none() {
                self.first_line = memchr::memchr(b'\n', &buf[..len]).map(|i| i.saturating_sub(1));
            }
            self.pos = len;
            return Ok(Some(len));
        }
        if let Some(len) = self.walk(&buf[..window], max_first_line)? {
            return Ok(Some(len));
        }
        if buf.len() >= max_size {
            return Err(Violation::TooLarge);
        }
        Ok(None)
    }

    /// Checks the bytes after `pos` in order: bare LFs, the first line's limit, the end.
    fn walk(&mut self, buf: &[u8], max_first_line: usize) -> Result<Option<usize>, Violation> {
        let from = self.pos;
        for i in memchr::memchr_iter(b'\n', &buf[from..]) {
            let i = from + i;
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
        }
        self.pos = buf.len();
        if self.first_line.is_none() && buf.len() > max_first_line.saturating_add(1) {
            return Err(Violation::FirstLineTooLong);
        }
        Ok(None)
    }

    /// The first line's length once its CRLF was seen.
    pub(crate) fn first_line(&self) -> Option<usize> {
        self.first_line
    }
}

/// The first problem by position in a complete head of `head.len()` bytes, as the
/// incremental scan would have reported it; `None` if there is none.
pub(crate) fn first_violation(head: &[u8], max_first_line: usize) -> Option<Violation> {
    HeadScanner::default().walk(head, max_first_line).err()
}

/// On a complete head (or trailer section) that httparse accepted: every line ends with
/// CRLF. httparse ends a field line at a `\n` with or without `\r`; so the two bytes
/// before each field name (`first` is where the first line may start, with no line
/// before it) must be CRLF. The last line and the empty line are the CRLF CRLF found by
/// the scanner, and a length mismatch with httparse is refused by the caller.
fn check_crlf(section: &[u8], entries: &[Entry], first: u32) -> Result<(), Error> {
    for e in entries {
        let at = e.name.0 as usize;
        if e.name.0 != first && (at < 2 || &section[at - 2..at] != b"\r\n") {
            return Err(bare_lf());
        }
    }
    Ok(())
}

/// Most headers parsed with a stack array; more spill to the heap.
const STACK_HEADERS: usize = 128;

fn offset(base: &[u8], part: &[u8]) -> u32 {
    // `part` is a sub-slice of `base` (httparse returns slices of its input); heads are
    // bounded by `Limits::max_head_size`, far below 4 GiB.
    (part.as_ptr() as usize - base.as_ptr() as usize) as u32
}

fn map_httparse(e: httparse::Error, head: &[u8], request: bool) -> Error {
    use httparse::Error as H;
    match e {
        H::Version => Error::new(
            ErrorKind::UnsupportedVersion,
            "HTTP version is not HTTP/1.0 or HTTP/1.1",
        ),
        H::TooManyHeaders => {
            Error::new(ErrorKind::TooLarge, "too many header fields").with_status(431)
        }
        H::HeaderName if request && is_folded(head) => Error::malformed(
            "obs-fold (a header line starting with whitespace) is not allowed in requests",
        ),
        H::HeaderName => Error::malformed(
            "invalid header field name (whitespace before the colon, or a character outside token)",
        ),
        H::HeaderValue => {
            Error::malformed("invalid header field value (a control character, or a CR without LF)")
        }
        H::NewLine => Error::malformed("invalid line ending in the head"),
        H::Status => Error::malformed("invalid status line"),
        H::Token if request => Error::malformed("invalid request line (method or target)"),
        H::Token => Error::malformed("invalid token in the status line"),
    }
}

/// A header line starting with whitespace: obs-fold.
fn is_folded(head: &[u8]) -> bool {
    memchr::memmem::find(head, b"\n ").is_some() || memchr::memmem::find(head, b"\n\t").is_some()
}

/// Collects httparse's headers as offsets into `base`, and classifies the fields that
/// steer the protocol in the same pass.
fn entries(base: &[u8], headers: &[httparse::Header<'_>]) -> (Vec<Entry>, Known) {
    let mut out = Vec::with_capacity(headers.len());
    let mut known = Known::default();
    for h in headers {
        let name = offset(base, h.name.as_bytes());
        let value = if h.value.is_empty() {
            // httparse may hand back an empty slice that is not inside `base`.
            0
        } else {
            offset(base, h.value)
        };
        known.note(h.name.as_bytes(), out.len());
        out.push(Entry {
            name: (name, name + h.name.len() as u32),
            value: (value, value + h.value.len() as u32),
        });
    }
    (out, known)
}

fn version(v: Option<u8>) -> Version {
    match v {
        Some(0) => Version::Http10,
        _ => Version::Http11,
    }
}

/// Parses the complete request head of `len` bytes at the front of `buf` and splits it off.
pub(crate) fn parse_request(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
) -> Result<(Request, Known), Error> {
    let mut stack = [MaybeUninit::<httparse::Header<'_>>::uninit(); STACK_HEADERS];
    let mut heap = Vec::new();
    let slots: &mut [MaybeUninit<httparse::Header<'_>>] = if limits.max_headers <= STACK_HEADERS {
        &mut stack[..limits.max_headers]
    } else {
        heap.resize(limits.max_headers, MaybeUninit::uninit());
        &mut heap
    };
    let head = &buf[..len];
    let mut req = httparse::Request::new(&mut []);
    match req.parse_with_uninit_headers(head, slots) {
        Ok(httparse::Status::Complete(n)) if n == len => {}
        Ok(_) => {
            return Err(Error::malformed(
                "the request head does not end where its empty line is",
            ))
        }
        Err(e) => return Err(map_httparse(e, head, true)),
    }
    let method = req.method.unwrap_or_default().as_bytes();
    let target = req.path.unwrap_or_default().as_bytes();
    // httparse allows only 0x21-0x7E and obs-text in a target: ASCII means visible ASCII.
    if !target.is_ascii() {
        return Err(Error::malformed(
            "request target has a byte outside visible ASCII",
        ));
    }
    let m = (offset(head, method), method.len() as u32);
    let t = (offset(head, target), target.len() as u32);
    let ver = version(req.version);
    let (entries, known) = entries(head, req.headers);
    check_crlf(head, &entries, u32::MAX)?;
    let head = buf.split_to(len).freeze();
    let slice = |(start, n): (u32, u32)| head.slice(start as usize..(start + n) as usize);
    let (method, target) = (slice(m), slice(t));
    let req = Request::from_parts(method, target, ver, Headers::from_parsed(head, entries));
    Ok((req, known))
}

/// Parses the complete response head of `len` bytes at the front of `buf` and splits it off.
/// obs-fold is unfolded in place (RFC 9112 §5.2: a user agent replaces each with SP).
pub(crate) fn parse_response(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
) -> Result<(Response, Known), Error> {
    let mut stack = [MaybeUninit::<httparse::Header<'_>>::uninit(); STACK_HEADERS];
    let mut heap = Vec::new();
    let slots: &mut [MaybeUninit<httparse::Header<'_>>] = if limits.max_headers <= STACK_HEADERS {
        &mut stack[..limits.max_headers]
    } else {
        heap.resize(limits.max_headers, MaybeUninit::uninit());
        &mut heap
    };
    let head = &buf[..len];
    let mut res = httparse::Response::new(&mut []);
    let parsed = httparse::ParserConfig::default()
        .allow_obsolete_multiline_headers_in_responses(true)
        .parse_response_with_uninit_headers(&mut res, head, slots);
    match parsed {
        Ok(httparse::Status::Complete(n)) if n == len => {}
        Ok(_) => {
            return Err(Error::malformed(
                "the response head does not end where its empty line is",
            ))
        }
        Err(e) => return Err(map_httparse(e, head, false)),
    }
    let status = res.code.unwrap_or_default();
    if !(100..=599).contains(&status) {
        return Err(Error::malformed("status code outside 100-599"));
    }
    // "HTTP/1.1 200 reason\r\n": the reason is whatever follows the code and one SP.
    let line_end = memchr::memchr(b'\r', head).unwrap_or(head.len());
    let reason = (line_end.min(13), line_end);
    let ver = version(res.version);
    let (entries, known) = entries(head, res.headers);
    check_crlf(head, &entries, u32::MAX)?;
    // obs-fold: each line break inside a value must be CRLF; check all, then unfold in place.
    let folded =
        |e: &&Entry| memchr::memchr(b'\n', &head[e.value.0 as usize..e.value.1 as usize]).is_some();
    let folded: Vec<Entry> = entries.iter().filter(folded).copied().collect();
    for e in &folded {
        for i in e.value.0 as usize..e.value.1 as usize {
            if head[i] == b'\n' && head[i - 1] != b'\r' {
                return Err(bare_lf());
            }
        }
    }
    for e in &folded {
        let value = &mut buf[e.value.0 as usize..e.value.1 as usize];
        for b in value.iter_mut().filter(|b| **b == b'\r' || **b == b'\n') {
            *b = b' ';
        }
    }
    let head = buf.split_to(len).freeze();
    let reason = head.slice(reason.0..reason.1);
    let res = Response::from_parts(status, reason, ver, Headers::from_parsed(head, entries));
    Ok((res, known))
}

/// Parses a complete trailer section of `len` bytes at the front of `buf` and splits it off.
/// In a response (`unfold`), obs-fold is replaced with SP in place first, as in a head
/// (RFC 9112 §5.2); in a request it is refused.
pub(crate) fn parse_trailers(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
    unfold: bool,
) -> Result<Headers, Error> {
    if unfold {
        let folds: Vec<usize> = memchr::memchr_iter(b'\n', &buf[..len])
            .filter(|&i| {
                i > 0 && buf[i - 1] == b'\r' && matches!(buf.get(i + 1), Some(b' ' | b'\t'))
            })
            .collect();
        for i in folds {
            buf[i - 1] = b' ';
            buf[i] = b' ';
        }
    }
    let mut heap = Vec::new();
    heap.resize(limits.max_headers.min(len / 3 + 1), httparse::EMPTY_HEADER);
    let section = &buf[..len];
    let entries = match httparse::parse_headers(section, &mut heap) {
        Ok(httparse::Status::Complete((n, headers))) if n == len => entries(section, headers).0,
        Ok(_) => {
            return Err(Error::malformed(
                "the trailer section does not end where its empty line is",
            ))
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Error::new(ErrorKind::TooLarge, "too many trailer fields").with_status(431))
        }
        Err(e) => return Err(map_httparse(e, section, !unfold)),
    };
    check_crlf(section, &entries, 0)?;
    let section: Bytes = buf.split_to(len).freeze();
    Ok(Headers::from_parsed(section, entries))
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
        assert_eq!(s.first_line(), Some(14));
    }

    #[test]
    fn refuses_bare_lf() {
        // Incomplete: refused by the scanner as soon as the LF arrives.
        assert!(scan_all(b"GET / HTTP/1.1\nHo").is_err());
        assert!(scan_all(b"GET / HTTP/1.1\r\nHost: a\n").is_err());
        assert!(scan_all(b"\n").is_err());
        // Complete: refused by the CRLF check after httparse, wherever the LF is.
        for head in [
            &b"GET / HTTP/1.1\nHost: a\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\n\r\n\r\n",
            b"GET / HTTP/1.1\n\r\n\r\n",
        ] {
            let mut buf = BytesMut::from(head);
            let r = match scan_all(&buf) {
                Ok(Some(len)) => parse_request(&mut buf, len, &Limits::default()).map(|_| ()),
                Ok(None) => Ok(()),
                Err(_) => Err(bare_lf()),
            };
            assert!(r.is_err(), "{:?}", String::from_utf8_lossy(head));
        }
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\nX: a\n b\r\n\r\n"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        assert!(
            parse_response(&mut buf, len, &Limits::default()).is_err(),
            "bare LF in obs-fold"
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
            let first = s.scan(&head[..cut], 1000, 20);
            let result = match first {
                Ok(None) => s.scan(&head, 1000, 20),
                other => other,
            };
            let result = match result {
                Ok(Some(len)) => first_violation(&head[..len], 20).map_or(Ok(()), Err),
                Ok(None) => Ok(()),
                Err(v) => Err(v),
            };
            assert_eq!(result, Err(Violation::FirstLineTooLong), "cut at {cut}");
        }
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
    }

    #[test]
    fn empty_trailer_section() {
        assert_eq!(scan_all(b"\r\n").unwrap(), Some(2));
        assert_eq!(
            scan_all(b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Err(Violation::BareLf)
        );
        assert_eq!(scan_all(b"X: y\r\n\r\n").unwrap(), Some(8));
    }

    #[test]
    fn parses_request_zero_copy() {
        let mut buf = BytesMut::from(&b"GET /p HTTP/1.1\r\nHost: a\r\nX:  v  \r\n\r\nBODY"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let (req, known) = parse_request(&mut buf, len, &Limits::default()).unwrap();
        assert_eq!((known.host, known.host_at), (1, 0));
        assert_eq!(req.method(), "GET");
        assert_eq!(req.target(), "/p");
        assert_eq!(req.headers().get("x"), Some(&b"v"[..]));
        assert_eq!(&buf[..], b"BODY");
    }

    #[test]
    fn unfolds_obs_fold_in_responses() {
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\nX: a\r\n  b\r\nY: c\r\n\r\n"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let (res, _) = parse_response(&mut buf, len, &Limits::default()).unwrap();
        assert_eq!(res.headers().get("x"), Some(&b"a    b"[..]));
        assert_eq!(res.headers().get("y"), Some(&b"c"[..]));
        assert_eq!(res.reason(), b"OK");
    }

    #[test]
    fn refuses_obs_fold_in_requests() {
        let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let e = parse_request(&mut buf, len, &Limits::default()).unwrap_err();
        assert!(e.message().contains("obs-fold"), "{e}");
    }

    #[test]
    fn too_many_headers_is_431() {
        let limits = Limits {
            max_headers: 1,
            ..Limits::default()
        };
        let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let e = parse_request(&mut buf, len, &limits).unwrap_err();
        assert_eq!(e.status_hint(), Some(431));
    }
}
