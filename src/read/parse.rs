//! Everything httparse does for h1: parsing a request or response head and a trailer
//! section, the checks httparse does not make, mapping its errors, and building the head
//! as one shared buffer with offsets into it.
//!
//! The fast path: on the first look at a new head, the connection runs httparse over
//! everything buffered, letting httparse find where the head ends. A complete head is
//! then checked for what httparse allows and h1 refuses ([`well_formed`]: bare LFs, the
//! limits) in O(fields). Anything else (incomplete, or refused) goes to the positional
//! [`HeadScanner`](super::head::HeadScanner), so that what is reported never depends on
//! how the bytes were split.

use alloc::vec::Vec;
use bytes::{Bytes, BytesMut};
use core::mem::MaybeUninit;

use crate::config::Limits;
use crate::error::{Error, ErrorKind, Limit};
use crate::event::{Request, Response, Version};
use crate::headers::{Entry, Headers, Parsed, ProtocolFields, Span};
use crate::read::head::bare_lf;
use crate::state::Role;

/// What one httparse run over some bytes gave.
#[derive(Debug)]
pub(crate) enum Attempt {
    /// A complete head.
    Complete(Raw),
    /// The bytes end before the head does.
    Partial,
    /// httparse refused the bytes.
    Invalid(Error),
}

/// A head httparse accepted, as offsets into the bytes it parsed.
#[derive(Debug)]
pub(crate) struct Raw {
    /// The head's length, through its empty line.
    pub(crate) len: usize,
    line: Line,
    version: Version,
    fields: Parsed,
}

#[derive(Debug)]
enum Line {
    Request {
        method: Span,
        target: Span,
    },
    Response {
        status: u16,
        reason: Span,
        /// The head holds obs-fold (see [`has_fold`]).
        folded: bool,
    },
}

/// Headers are parsed into a stack array (32 bytes a slot, 8 KiB, uninitialized: free to
/// set up) up to the default `max_headers`; a larger `max_headers` spills to the heap.
const STACK_HEADERS: usize = 256;

/// Where a status line's code starts: after `HTTP/1.1 `.
pub(crate) const STATUS_AT: usize = 9;

/// Where a status line's reason phrase starts: after `HTTP/1.1 200 ` (the version, SP,
/// the three-digit code, SP). A line that ends sooner has an empty reason.
const REASON_AT: usize = 13;

/// The shortest field line httparse accepts, `a:` and LF: a trailer section of `len`
/// bytes holds at most `len / 3` fields, so no more slots than that are set up.
const SHORTEST_FIELD_LINE: usize = 3;

fn version(v: Option<u8>) -> Version {
    match v {
        Some(0) => Version::Http10,
        _ => Version::Http11,
    }
}

/// Runs `parse` with `max` uninitialized header slots: on the stack up to
/// [`STACK_HEADERS`], else on the heap.
fn with_slots<'b, R>(
    max: usize,
    parse: impl FnOnce(&mut [MaybeUninit<httparse::Header<'b>>]) -> R,
) -> R {
    if max <= STACK_HEADERS {
        let mut stack = [MaybeUninit::<httparse::Header<'b>>::uninit(); STACK_HEADERS];
        parse(&mut stack[..max])
    } else {
        let mut heap = Vec::new();
        heap.resize(max, MaybeUninit::uninit());
        parse(&mut heap)
    }
}

fn span(base: &[u8], part: &[u8]) -> Span {
    Span::at(offset(base, part), part.len())
}

/// Runs httparse once over `input` as a request head (twice for a later HTTP/1.x minor
/// version: see [`later_minor`]).
pub(crate) fn parse_request(input: &[u8], limits: &Limits) -> Attempt {
    match with_slots(limits.max_headers, |slots| request_in(input, slots)) {
        Attempt::Invalid(e) if e.kind() == ErrorKind::UnsupportedVersion => {
            match later_minor(input, version_at_in_request(input)) {
                Some(copy) => with_slots(limits.max_headers, |slots| request_in(&copy, slots)),
                None => Attempt::Invalid(e),
            }
        }
        other => other,
    }
}

/// Where the version of a request line starts: after the method and the target, each
/// followed by one SP. `None` when the line has no second SP.
fn version_at_in_request(input: &[u8]) -> Option<usize> {
    let method_end = memchr::memchr(b' ', input)?;
    let target_end = method_end + 1 + memchr::memchr(b' ', &input[method_end + 1..])?;
    Some(target_end + 1)
}

/// RFC 9110 §2.5: a message with a later minor version of HTTP/1 is processed as the
/// highest minor version this crate implements, HTTP/1.1. httparse knows only `1.0` and
/// `1.1`, so when the version at `at` is `HTTP/1.2` to `HTTP/1.9`, this returns a copy of
/// `input` with the version written as `HTTP/1.1`, to parse instead. The copy has the
/// same layout, so offsets found in it hold for `input`; the head keeps its own bytes.
/// Runs only after httparse refused a version, never on the common path.
fn later_minor(input: &[u8], at: Option<usize>) -> Option<Vec<u8>> {
    let at = at?;
    let version = input.get(at..at + 8)?;
    if !(version.starts_with(b"HTTP/1.") && (b'2'..=b'9').contains(&version[7])) {
        return None;
    }
    let mut copy = input.to_vec();
    copy[at + 7] = b'1';
    Some(copy)
}

fn request_in<'b>(input: &'b [u8], slots: &mut [MaybeUninit<httparse::Header<'b>>]) -> Attempt {
    let mut req = httparse::Request::new(&mut []);
    let len = match req.parse_with_uninit_headers(input, slots) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Attempt::Partial,
        Err(e) => return Attempt::Invalid(map_httparse(e, input, Role::Client, slots.len())),
    };
    let method = req.method.unwrap_or_default().as_bytes();
    let target = req.path.unwrap_or_default().as_bytes();
    // httparse allows only 0x21-0x7E and obs-text in a target: ASCII means visible ASCII.
    if !target.is_ascii() {
        let at =
            offset(input, target) as usize + target.iter().take_while(|b| b.is_ascii()).count();
        return Attempt::Invalid(
            Error::malformed("request target has a byte outside visible ASCII").at(at),
        );
    }
    let line = Line::Request {
        method: span(input, method),
        target: span(input, target),
    };
    Attempt::Complete(Raw {
        len,
        line,
        version: version(req.version),
        fields: entries(input, req.headers),
    })
}

/// Runs httparse over `input` as a response head. Obs-fold is allowed (and unfolded later),
/// but most responses have none: the strict parse takes those, and only a head it refuses
/// is parsed again with obs-fold allowed, so looking for obs-fold costs nothing on the
/// common path.
pub(crate) fn parse_response(input: &[u8], limits: &Limits) -> Attempt {
    let parse = |input: &[u8]| {
        with_slots(limits.max_headers, |slots| {
            match response_in(input, slots, ObsFold::Refused) {
                Attempt::Invalid(_) => response_in(input, slots, ObsFold::Allowed),
                other => other,
            }
        })
    };
    match parse(input) {
        // A later HTTP/1.x minor version: parsed as HTTP/1.1 (see `later_minor`).
        Attempt::Invalid(e) if e.kind() == ErrorKind::UnsupportedVersion => {
            match later_minor(input, Some(0)) {
                Some(copy) => parse(&copy),
                None => Attempt::Invalid(e),
            }
        }
        other => other,
    }
}

/// Whether an httparse run over a response head takes obs-fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObsFold {
    Refused,
    Allowed,
}

/// One httparse run, with obs-fold allowed or not.
fn response_in<'b>(
    input: &'b [u8],
    slots: &mut [MaybeUninit<httparse::Header<'b>>],
    obs_fold: ObsFold,
) -> Attempt {
    let mut res = httparse::Response::new(&mut []);
    let parsed = httparse::ParserConfig::default()
        .allow_obsolete_multiline_headers_in_responses(obs_fold == ObsFold::Allowed)
        .parse_response_with_uninit_headers(&mut res, input, slots);
    let len = match parsed {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Attempt::Partial,
        Err(e) => return Attempt::Invalid(map_httparse(e, input, Role::Server, slots.len())),
    };
    let status = res.code.unwrap_or_default();
    if !(100..=599).contains(&status) {
        return Attempt::Invalid(Error::malformed("status code outside 100-599").at(STATUS_AT));
    }
    // "HTTP/1.1 200 reason\r\n": the reason is whatever follows the code and one SP.
    let line_end = memchr::memchr(b'\r', &input[..len]).unwrap_or(len);
    let fields = entries(input, res.headers);
    // Without obs-fold allowed, httparse refuses any line that starts with whitespace.
    let folded = obs_fold == ObsFold::Allowed && has_fold(&input[..len], fields.entries());
    debug_assert_eq!(folded, has_fold(&input[..len], fields.entries()));
    let line = Line::Response {
        status,
        reason: Span {
            start: line_end.min(REASON_AT) as u32,
            end: line_end as u32,
        },
        folded,
    };
    Attempt::Complete(Raw {
        len,
        line,
        version: version(res.version),
        fields,
    })
}

/// What httparse accepts and h1 refuses, on a complete head: a head or start line over
/// the limits, and any line not ended by CRLF. This costs O(fields) where the only LFs end
/// lines (requests, where httparse refuses obs-fold, and responses without it): the CRLF
/// before each field name covers them all. A response with obs-fold: one pass over every
/// LF.
pub(crate) fn well_formed(input: &[u8], raw: &Raw, limits: &Limits) -> bool {
    let head = &input[..raw.len];
    // Where the start line's CR is, once every line is known to end in CRLF: after
    // `method SP target SP HTTP/1.x` (httparse takes one SP before the version and none
    // after it), or where the reason phrase ends.
    let first_line = match raw.line {
        Line::Request { target, .. } => target.end as usize + " HTTP/1.1".len(),
        Line::Response { reason, .. } => reason.end as usize,
    };
    let lines_end_in_crlf = match raw.line {
        Line::Request { .. } => check_crlf(head, raw.fields.entries(), u32::MAX),
        // Without obs-fold, the only LFs end the start line, each field and the head; the
        // CRLF checks of a request then cover them all.
        Line::Response { folded: false, .. } => check_crlf(head, raw.fields.entries(), u32::MAX),
        Line::Response { .. } => {
            memchr::memchr_iter(b'\n', head).all(|i| head[..i].ends_with(b"\r"))
        }
    };
    raw.len <= limits.max_head_size && first_line <= limits.max_start_line && lines_end_in_crlf
}

/// Whether a complete head holds obs-fold: more LFs than its lines (the start line, one per
/// field, the empty line). Counting LFs is one vectorized pass, far cheaper than a search
/// per value or a stop at every LF; it runs only on a head the strict parse refused.
fn has_fold(head: &[u8], entries: &[Entry]) -> bool {
    memchr::memchr_iter(b'\n', head).count() != entries.len() + 2
}

/// Splits the head off the front of `buf` as one `Bytes` and builds the request on it;
/// returns it with its protocol fields.
pub(crate) fn into_request(buf: &mut BytesMut, raw: Raw) -> (Request, ProtocolFields) {
    let head = buf.split_to(raw.len).freeze();
    let Line::Request { method, target } = raw.line else {
        unreachable!("into_request is called on what parse_request returned")
    };
    // httparse allows one SP between method and target: `method SP target` is one span.
    let method_end = (method.end - method.start) as usize;
    let (headers, fields) = Headers::from_parsed(head, raw.fields);
    let line = Span {
        start: method.start,
        end: target.end,
    };
    let req = Request::from_parts(line, method_end, raw.version, headers);
    (req, fields)
}

/// Unfolds obs-fold in place, splits the head off the front of `buf` as one `Bytes` and
/// builds the response on it; returns it with its protocol fields.
pub(crate) fn into_response(buf: &mut BytesMut, raw: Raw) -> (Response, ProtocolFields) {
    if let Line::Response { folded: true, .. } = raw.line {
        unfold(&mut buf[..raw.len]);
    }
    let head = buf.split_to(raw.len).freeze();
    let Line::Response { status, reason, .. } = raw.line else {
        unreachable!("into_response is called on what parse_response returned")
    };
    let (headers, fields) = Headers::from_parsed(head, raw.fields);
    let res = Response::from_parts(status, reason, raw.version, headers);
    (res, fields)
}

/// On a section httparse accepted whole: every line ends with CRLF. httparse ends a field
/// line at a `\n` with or without `\r`, so the two bytes before each field name (but one
/// starting at `first`, which no line precedes) must be CRLF, and the section must end
/// with CRLF CRLF (or be the single CRLF of an empty trailer section).
pub(crate) fn check_crlf(section: &[u8], entries: &[Entry], first: u32) -> bool {
    let ends_well = section.ends_with(b"\r\n\r\n") || section == b"\r\n";
    ends_well
        && entries.iter().all(|e| {
            let at = e.name.start as usize;
            e.name.start == first || (at >= 2 && &section[at - 2..at] == b"\r\n")
        })
}

/// Where `part`, a sub-slice of `base` (httparse returns slices of its input), starts.
/// Heads are bounded by `Limits::max_head_size`, far below 4 GiB.
pub(crate) fn offset(base: &[u8], part: &[u8]) -> u32 {
    (part.as_ptr() as usize - base.as_ptr() as usize) as u32
}

/// Collects httparse's headers as offsets into `base`, and finds the fields that steer
/// the protocol in the same pass.
pub(crate) fn entries(base: &[u8], headers: &[httparse::Header<'_>]) -> Parsed {
    Parsed::collect(headers.iter().map(|h| {
        let name = offset(base, h.name.as_bytes());
        // httparse may hand back an empty value slice that is not inside `base`: it is
        // placed right after the colon.
        let value = if h.value.is_empty() {
            name + h.name.len() as u32 + 1
        } else {
            offset(base, h.value)
        };
        let entry = Entry {
            name: Span::at(name, h.name.len()),
            value: Span::at(value, h.value.len()),
        };
        (h.name.as_bytes(), entry)
    }))
}

/// A header line starting with whitespace: obs-fold.
fn is_folded(head: &[u8]) -> bool {
    memchr::memmem::find(head, b"\n ").is_some() || memchr::memmem::find(head, b"\n\t").is_some()
}

/// httparse's refusal of a head (or trailer section) `sender` sent, read with
/// `max_fields` header slots, as an h1 error.
pub(crate) fn map_httparse(
    e: httparse::Error,
    head: &[u8],
    sender: Role,
    max_fields: usize,
) -> Error {
    let request = sender == Role::Client;
    use httparse::Error as H;
    match e {
        H::Version => Error::new(
            ErrorKind::UnsupportedVersion,
            "HTTP version is not HTTP/1.x (HTTP/2.0, HTTP/0.9, …)",
        ),
        // At the field one too many: the start line is line 0.
        H::TooManyHeaders => {
            Error::over(Limit::HeaderCount, max_fields as u64).at(line_start(head, max_fields + 1))
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
        // httparse reads tokens only in a request line (the method and the target).
        H::Token => Error::malformed("invalid request line (method or target)"),
    }
}

/// Where in `section` (a complete head or trailer section that `parse` refuses) the
/// offending byte is: the end of the shortest prefix that `parse` already refuses.
/// httparse judges bytes in order and answers `Partial` for a valid beginning, so the
/// prefixes it refuses are all those from that byte on: a binary search finds it in
/// O(log n) runs. Errors only.
#[cold]
#[inline(never)]
pub(crate) fn locate(section: &[u8], refuses: impl Fn(&[u8]) -> bool) -> usize {
    let (mut lo, mut hi) = (0, section.len());
    // Invariant: the prefix of `lo` bytes is not refused, the prefix of `hi` bytes is.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if refuses(&section[..mid]) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi.saturating_sub(1)
}

/// Where line `n` (from 0) of `section` starts, continuation lines (obs-fold) counted
/// with the line they continue; the end of `section` if it has fewer. Errors only.
#[cold]
fn line_start(section: &[u8], n: usize) -> usize {
    let mut starts = core::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', section).map(|i| i + 1))
        .filter(|&i| i == 0 || !matches!(section.get(i), Some(b' ' | b'\t')));
    starts.nth(n).unwrap_or(section.len())
}

/// In a request head: where its target stops being UTF-8, if it does. httparse reads a
/// target whole before it checks that, so [`locate`] finds the SP after it. Errors only.
#[cold]
pub(crate) fn target_not_utf8(head: &[u8]) -> Option<usize> {
    let start = memchr::memchr(b' ', head)? + 1;
    let end = start + memchr::memchr(b' ', &head[start..])?;
    let valid = core::str::from_utf8(&head[start..end]).err()?.valid_up_to();
    Some(start + valid)
}

/// [`locate`] in a field section httparse refuses, read with `slots` header slots.
#[cold]
fn locate_in_fields(section: &[u8], slots: usize) -> usize {
    let mut fresh = Vec::new();
    fresh.resize(slots, httparse::EMPTY_HEADER);
    locate(section, |p| {
        let mut fresh = fresh.clone();
        httparse::parse_headers(p, &mut fresh).is_err()
    })
}

/// Replaces each obs-fold (CRLF then SP or HTAB) in `section` with SP, in place
/// (RFC 9112 §5.2: what a user agent does with obs-fold in a response).
pub(crate) fn unfold(section: &mut [u8]) {
    let folds: Vec<usize> = memchr::memchr_iter(b'\n', section)
        .filter(|&i| {
            section[..i].ends_with(b"\r") && matches!(section.get(i + 1), Some(b' ' | b'\t'))
        })
        .collect();
    for i in folds {
        section[i - 1] = b' ';
        section[i] = b' ';
    }
}

/// Parses a complete trailer section of `len` bytes at the front of `buf` and splits it off.
/// In a response (sent by the server), obs-fold is unfolded first, as in a head; in a
/// request it is refused.
pub(crate) fn parse_trailers(
    buf: &mut BytesMut,
    len: usize,
    limits: &Limits,
    sender: Role,
) -> Result<Headers, Error> {
    if sender == Role::Server {
        unfold(&mut buf[..len]);
    }
    let mut slots = Vec::new();
    let most_fields = len / SHORTEST_FIELD_LINE;
    slots.resize(limits.max_headers.min(most_fields), httparse::EMPTY_HEADER);
    let section = &buf[..len];
    let fields = match httparse::parse_headers(section, &mut slots) {
        Ok(httparse::Status::Complete((n, headers))) if n == len => entries(section, headers),
        Ok(_) => {
            return Err(Error::malformed(
                "the trailer section does not end where its empty line is",
            )
            .at(len - 1))
        }
        Err(httparse::Error::TooManyHeaders) => {
            let at = line_start(section, slots.len());
            return Err(Error::over(Limit::TrailerCount, slots.len() as u64).at(at));
        }
        Err(e) => {
            let at = locate_in_fields(section, slots.len());
            return Err(map_httparse(e, section, sender, slots.len()).at(at));
        }
    };
    if !check_crlf(section, fields.entries(), 0) {
        // The walk of the section refuses a bare LF first; this is a safeguard.
        return Err(bare_lf().at(len - 1));
    }
    let section: Bytes = buf.split_to(len).freeze();
    Ok(Headers::from_parsed(section, fields).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(a: Attempt) -> Raw {
        match a {
            Attempt::Complete(raw) => raw,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn request_zero_copy() {
        let limits = Limits::default();
        let mut buf = BytesMut::from(&b"GET /p HTTP/1.1\r\nHost: a\r\nX:  v  \r\n\r\nBODY"[..]);
        let raw = complete(parse_request(&buf, &limits));
        assert!(well_formed(&buf, &raw, &limits));
        let (req, fields) = into_request(&mut buf, raw);
        assert_eq!((fields.host(), fields.host_at()), (1, 0));
        assert_eq!((req.method(), req.target()), ("GET", "/p"));
        assert_eq!(req.headers().get("x"), Some(&b"v"[..]));
        assert_eq!(&buf[..], b"BODY");
        assert!(matches!(
            parse_request(b"GET / HTTP/1.1\r\nHo", &limits),
            Attempt::Partial
        ));
    }

    #[test]
    fn response_unfolds_obs_fold() {
        let limits = Limits::default();
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\nX: a\r\n  b\r\nY: c\r\n\r\n"[..]);
        let raw = complete(parse_response(&buf, &limits));
        assert!(well_formed(&buf, &raw, &limits));
        let (res, _) = into_response(&mut buf, raw);
        assert_eq!(res.headers().get("x"), Some(&b"a    b"[..]));
        assert_eq!(res.headers().get("y"), Some(&b"c"[..]));
        assert_eq!(res.reason(), b"OK");
        let buf = b"HTTP/1.1 200 OK\r\nX: a\n b\r\n\r\n";
        let raw = complete(parse_response(buf, &limits));
        assert!(!well_formed(buf, &raw, &limits), "bare LF inside obs-fold");
    }

    #[test]
    fn response_parsed_strictly_first() {
        let limits = Limits::default();
        let plain = complete(parse_response(b"HTTP/1.1 200 OK\r\nX: a\r\n\r\n", &limits));
        assert!(matches!(plain.line, Line::Response { folded: false, .. }));
        // A head both parses refuse gets the error of the parse that allows obs-fold.
        let bad = parse_response(b"HTTP/1.1 200 OK\r\nX y: a\r\n\r\n", &limits);
        assert!(matches!(bad, Attempt::Invalid(e) if e.message().contains("field name")));
        // A fold in a head still arriving: the strict parse refuses it, the retry waits.
        let partial = parse_response(b"HTTP/1.1 200 OK\r\nX: a\r\n b", &limits);
        assert!(matches!(partial, Attempt::Partial));
    }

    #[test]
    fn what_httparse_allows_and_h1_does_not() {
        let limits = Limits::default();
        for head in [
            &b"GET / HTTP/1.1\nHost: a\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nHost: a\n\r\n",
        ] {
            match parse_request(head, &limits) {
                Attempt::Complete(raw) => assert!(!well_formed(head, &raw, &limits)),
                Attempt::Partial => panic!("complete"),
                Attempt::Invalid(_) => {}
            }
        }
        let small = Limits {
            max_start_line: 10,
            ..Limits::default()
        };
        let head = b"GET /long/target HTTP/1.1\r\nHost: a\r\n\r\n";
        let raw = complete(parse_request(head, &small));
        assert!(!well_formed(head, &raw, &small));
    }

    #[test]
    fn later_minor_versions_read_as_http11() {
        let limits = Limits::default();
        for v in b'2'..=b'9' {
            let head = [&b"GET / HTTP/1."[..], &[v], b"\r\nHost: a\r\n\r\n"].concat();
            let raw = complete(parse_request(&head, &limits));
            assert_eq!(raw.version, Version::Http11);
            let head = [&b"HTTP/1."[..], &[v], b" 200 OK\r\n\r\n"].concat();
            let raw = complete(parse_response(&head, &limits));
            assert_eq!(raw.version, Version::Http11);
        }
        // Still arriving: waits, as for HTTP/1.1.
        assert!(matches!(
            parse_request(b"GET / HTTP/1.2", &limits),
            Attempt::Partial
        ));
        for head in [
            &b"GET / HTTP/2.0\r\n\r\n"[..],
            b"GET / HTTP/0.9\r\n\r\n",
            b"GET / HTTP/1.:\r\n\r\n",
            b"GET / HTTP/1./\r\n\r\n",
            b"GET / HTTPS/1.2\r\n\r\n",
        ] {
            let refused = parse_request(head, &limits);
            assert!(
                matches!(&refused, Attempt::Invalid(e) if e.kind() == ErrorKind::UnsupportedVersion),
                "{refused:?}"
            );
        }
        let refused = parse_response(b"HTTP/3.0 200 OK\r\n\r\n", &limits);
        assert!(matches!(refused, Attempt::Invalid(e) if e.status_hint() == Some(505)));
        assert_eq!(later_minor(b"GET / HTTP/1.", Some(6)), None);
        assert_eq!(later_minor(b"GET / HTTP/1.3", None), None);
    }

    #[test]
    fn refusals() {
        let limits = Limits::default();
        let one = Limits {
            max_headers: 1,
            ..Limits::default()
        };
        let too_many = parse_request(b"GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n", &one);
        assert!(matches!(too_many, Attempt::Invalid(e) if e.status_hint() == Some(431)));
        let folded = parse_request(b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", &limits);
        assert!(matches!(folded, Attempt::Invalid(e) if e.message().contains("obs-fold")));
        let status = parse_response(b"HTTP/1.1 600 X\r\n\r\n", &limits);
        assert!(matches!(status, Attempt::Invalid(_)));
    }

    #[test]
    fn crlf_check_on_whole_sections() {
        let e = |n: u32| Entry {
            name: Span::at(n, 1),
            value: Span::at(n + 3, 1),
        };
        assert!(check_crlf(
            b"GET / HTTP/1.1\r\nA: b\r\n\r\n",
            &[e(16)],
            u32::MAX
        ));
        assert!(!check_crlf(
            b"GET / HTTP/1.1\nAA: b\r\n\r\n",
            &[e(15)],
            u32::MAX
        ));
        assert!(!check_crlf(b"GET / HTTP/1.1\r\n\n", &[], u32::MAX));
        assert!(check_crlf(b"A: b\r\n\r\n", &[e(0)], 0));
    }

    #[test]
    fn unfold_in_place() {
        let mut t = *b"X: a\r\n b\r\n\r\n";
        unfold(&mut t);
        assert_eq!(&t, b"X: a   b\r\n\r\n");
    }
}
