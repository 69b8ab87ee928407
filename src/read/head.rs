//! Finding the end of a head incrementally, then parsing it once with httparse.
//!
//! httparse alone would re-parse a head from its start whenever more bytes arrive: a head
//! dripped one byte at a time would cost O(n²). [`HeadScanner`] instead remembers where
//! its search for the empty line stopped, so every byte is looked at once by `memchr`, and
//! httparse runs exactly once, on a complete head.

use alloc::vec::Vec;
use bytes::{Bytes, BytesMut};
use core::mem::MaybeUninit;

use crate::config::Limits;
use crate::error::{Error, ErrorKind};
use crate::event::{Request, Response, Version};
use crate::headers::{Entry, Headers};

/// Resumable search for the empty line that ends a head or a trailer section.
#[derive(Debug, Default, Clone)]
pub(crate) struct HeadScanner {
    /// Everything before `pos` was searched.
    pos: usize,
    /// Where the line being searched starts.
    line_start: usize,
    /// Length of the first line (without CRLF), once its end was seen.
    first_line: Option<usize>,
}

impl HeadScanner {
    /// Looks for the end of the head in `buf`, which must be what earlier calls saw with
    /// bytes appended. Returns the head's length (through the empty line) once complete.
    ///
    /// Every line must end with CRLF: a bare LF is refused here, at once, so that a head
    /// two parsers could cut differently never reaches httparse (which accepts bare LF).
    pub(crate) fn scan(&mut self, buf: &[u8]) -> Result<Option<usize>, Error> {
        let from = self.pos;
        for i in memchr::memchr_iter(b'\n', &buf[from..]) {
            let i = from + i;
            if i == 0 || buf[i - 1] != b'\r' {
                return Err(Error::malformed(
                    "a line of the head ends with a bare LF (CRLF is required)",
                ));
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
        Ok(None)
    }

    /// The first line's length once its CRLF was seen.
    pub(crate) fn first_line(&self) -> Option<usize> {
        self.first_line
    }

    /// How many bytes were searched.
    pub(crate) fn scanned(&self) -> usize {
        self.pos
    }
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

/// Collects httparse's headers as offsets into `base`.
fn entries(base: &[u8], headers: &[httparse::Header<'_>]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(headers.len());
    for h in headers {
        let name = offset(base, h.name.as_bytes());
        let value = if h.value.is_empty() {
            // httparse may hand back an empty slice that is not inside `base`.
            0
        } else {
            offset(base, h.value)
        };
        out.push(Entry {
            name: (name, name + h.name.len() as u32),
            value: (value, value + h.value.len() as u32),
        });
    }
    out
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
) -> Result<Request, Error> {
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
    if !target.iter().all(|b| b.is_ascii_graphic()) {
        return Err(Error::malformed(
            "request target has a byte outside visible ASCII",
        ));
    }
    let m = (offset(head, method), method.len() as u32);
    let t = (offset(head, target), target.len() as u32);
    let ver = version(req.version);
    let entries = entries(head, req.headers);
    let head = buf.split_to(len).freeze();
    let slice = |(start, n): (u32, u32)| head.slice(start as usize..(start + n) as usize);
    let (method, target) = (slice(m), slice(t));
    Ok(Request::from_parts(
        method,
        target,
        ver,
        Headers::from_parsed(head, entries),
    ))
}

/// Parses the complete response head of `len` bytes at the front of `buf` and splits it off.
/// obs-fold is unfolded in place (RFC 9112 §5.2: a user agent replaces each with SP).
pub(crate) fn parse_response(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
) -> Result<Response, Error> {
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
    let entries = entries(head, res.headers);
    for e in &entries {
        let value = &mut buf[e.value.0 as usize..e.value.1 as usize];
        if value.contains(&b'\n') {
            for b in value.iter_mut().filter(|b| **b == b'\r' || **b == b'\n') {
                *b = b' ';
            }
        }
    }
    let head = buf.split_to(len).freeze();
    let reason = head.slice(reason.0..reason.1);
    Ok(Response::from_parts(
        status,
        reason,
        ver,
        Headers::from_parsed(head, entries),
    ))
}

/// Parses a complete trailer section of `len` bytes at the front of `buf` and splits it off.
pub(crate) fn parse_trailers(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
) -> Result<Headers, Error> {
    let mut heap = Vec::new();
    heap.resize(limits.max_headers.min(len / 3 + 1), httparse::EMPTY_HEADER);
    let section = &buf[..len];
    let entries = match httparse::parse_headers(section, &mut heap) {
        Ok(httparse::Status::Complete((n, headers))) if n == len => entries(section, headers),
        Ok(_) => {
            return Err(Error::malformed(
                "the trailer section does not end where its empty line is",
            ))
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Error::new(ErrorKind::TooLarge, "too many trailer fields").with_status(431))
        }
        Err(e) => return Err(map_httparse(e, section, true).with_context("in the trailer section")),
    };
    let section: Bytes = buf.split_to(len).freeze();
    Ok(Headers::from_parsed(section, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(input: &[u8]) -> Result<Option<usize>, Error> {
        HeadScanner::default().scan(input)
    }

    #[test]
    fn finds_end_whole_and_dripped() {
        let head = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest";
        assert_eq!(scan_all(head).unwrap(), Some(27));
        let mut s = HeadScanner::default();
        let mut found = None;
        for n in 1..=head.len() {
            if let Some(len) = s.scan(&head[..n]).unwrap() {
                found = Some((n, len));
                break;
            }
        }
        assert_eq!(found, Some((27, 27)));
        assert_eq!(s.first_line(), Some(14));
    }

    #[test]
    fn refuses_bare_lf() {
        assert!(scan_all(b"GET / HTTP/1.1\nHost: a\r\n\r\n").is_err());
        assert!(scan_all(b"GET / HTTP/1.1\r\nHost: a\n\n").is_err());
        assert!(scan_all(b"\n").is_err());
    }

    #[test]
    fn empty_trailer_section() {
        assert_eq!(scan_all(b"\r\n").unwrap(), Some(2));
        assert_eq!(scan_all(b"X: y\r\n\r\n").unwrap(), Some(8));
    }

    #[test]
    fn parses_request_zero_copy() {
        let mut buf = BytesMut::from(&b"GET /p HTTP/1.1\r\nHost: a\r\nX:  v  \r\n\r\nBODY"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let req = parse_request(&mut buf, len, &Limits::default()).unwrap();
        assert_eq!(req.method(), "GET");
        assert_eq!(req.target(), "/p");
        assert_eq!(req.headers().get("x"), Some(&b"v"[..]));
        assert_eq!(&buf[..], b"BODY");
    }

    #[test]
    fn unfolds_obs_fold_in_responses() {
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\nX: a\r\n  b\r\nY: c\r\n\r\n"[..]);
        let len = scan_all(&buf).unwrap().unwrap();
        let res = parse_response(&mut buf, len, &Limits::default()).unwrap();
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
