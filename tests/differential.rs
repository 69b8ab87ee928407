//! Differential head parsing against httparse alone.
//!
//! - Random valid heads (requests and responses): what h1 hands out (method, target,
//!   version, header fields in order; status, reason) equals what httparse parses.
//! - Random mutations of valid heads (byte flips; insertions of CR, LF, NUL, SP, HTAB,
//!   colon, DEL, obs-text; deletions; truncations), followed by EOF: h1 never accepts a
//!   head httparse rejects, and whatever h1 accepts, httparse parses the same way.
//!   (h1 may refuse more: it is stricter than httparse by design. The one head it reads
//!   beyond httparse, a later HTTP/1 minor version, the reference reads as HTTP/1.1 too.)

mod common;

use h1::{Connection, Event, Request, Response, Role, Version};
use proptest::prelude::*;

/// A head as both parsers see it: start line parts and fields.
#[derive(Debug, PartialEq)]
struct Parsed {
    start: Vec<Vec<u8>>,
    version: u8,
    fields: Vec<(String, Vec<u8>)>,
}

fn version(v: Version) -> u8 {
    match v {
        Version::Http10 => 0,
        _ => 1,
    }
}

fn from_request(r: &Request) -> Parsed {
    Parsed {
        start: vec![r.method().into(), r.target().into()],
        version: version(r.version()),
        fields: fields(r.headers()),
    }
}

fn from_response(r: &Response) -> Parsed {
    Parsed {
        start: vec![r.status().to_string().into(), r.reason().to_vec()],
        version: version(r.version()),
        fields: fields(r.headers()),
    }
}

fn fields(h: &h1::Headers) -> Vec<(String, Vec<u8>)> {
    h.iter().map(|(n, v)| (n.to_string(), v.to_vec())).collect()
}

/// h1's reading of `bytes` followed by EOF, as a server: the request, if accepted.
fn ours_request(bytes: &[u8]) -> Option<Parsed> {
    let mut server = Connection::new(Role::Server);
    server.receive(bytes).unwrap();
    server.receive_eof();
    match server.next_event() {
        Ok(Event::Request(r)) => Some(from_request(&r)),
        _ => None,
    }
}

/// h1's reading of `bytes` followed by EOF, as a client that sent `GET /`.
fn ours_response(bytes: &[u8]) -> Option<Parsed> {
    let mut client = common::client_after_get(h1::Limits::default());
    client.receive(bytes).unwrap();
    client.receive_eof();
    match client.next_event() {
        Ok(Event::Response(r) | Event::Informational(r)) => Some(from_response(&r)),
        _ => None,
    }
}

/// The one version h1 reads beyond httparse (RFC 9110 §2.5): when httparse refuses the
/// version and it is `HTTP/1.2` to `HTTP/1.9`, the bytes as HTTP/1.1, to parse instead.
/// `at` is where the version starts.
fn later_minor_as_11(bytes: &[u8], at: usize) -> Option<Vec<u8>> {
    let v = bytes.get(at..at + 8)?;
    (v.starts_with(b"HTTP/1.") && (b'2'..=b'9').contains(&v[7])).then(|| {
        let mut copy = bytes.to_vec();
        copy[at + 7] = b'1';
        copy
    })
}

/// httparse's reading: `Ok(Some)` complete, `Ok(None)` partial, `Err` rejected; a later
/// HTTP/1 minor version read as HTTP/1.1, as h1 does.
fn theirs_request(bytes: &[u8]) -> Result<Option<Parsed>, httparse::Error> {
    match httparse_request(bytes) {
        Err(httparse::Error::Version) => {
            // The version follows the method's and the target's SP.
            let mut spaces = bytes.iter().enumerate().filter(|(_, &b)| b == b' ');
            let at = spaces.nth(1).map_or(usize::MAX, |(i, _)| i + 1);
            match later_minor_as_11(bytes, at) {
                Some(copy) => httparse_request(&copy),
                None => Err(httparse::Error::Version),
            }
        }
        other => other,
    }
}

fn theirs_response(bytes: &[u8]) -> Result<Option<Parsed>, httparse::Error> {
    match httparse_response(bytes) {
        Err(httparse::Error::Version) => match later_minor_as_11(bytes, 0) {
            Some(copy) => httparse_response(&copy),
            None => Err(httparse::Error::Version),
        },
        other => other,
    }
}

fn httparse_request(bytes: &[u8]) -> Result<Option<Parsed>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; 256];
    let mut req = httparse::Request::new(&mut headers);
    Ok(match req.parse(bytes)? {
        httparse::Status::Partial => None,
        httparse::Status::Complete(_) => Some(Parsed {
            start: vec![req.method.unwrap().into(), req.path.unwrap().into()],
            version: req.version.unwrap(),
            fields: httparse_fields(req.headers, false),
        }),
    })
}

/// As h1 reads responses: obs-fold allowed (and unfolded: CR and LF become SP).
fn httparse_response(bytes: &[u8]) -> Result<Option<Parsed>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; 256];
    let mut res = httparse::Response::new(&mut headers);
    let status = httparse::ParserConfig::default()
        .allow_obsolete_multiline_headers_in_responses(true)
        .parse_response(&mut res, bytes)?;
    Ok(match status {
        httparse::Status::Partial => None,
        httparse::Status::Complete(_) => Some(Parsed {
            start: vec![
                res.code.unwrap().to_string().into(),
                reason(bytes, res.reason.unwrap_or_default()),
            ],
            version: res.version.unwrap(),
            fields: httparse_fields(res.headers, true),
        }),
    })
}

/// httparse gives `""` for a reason phrase with obs-text (it returns `&str`); h1 gives the
/// bytes. Such a reason is compared as the raw bytes after `HTTP/1.x NNN `.
fn reason(bytes: &[u8], parsed: &str) -> Vec<u8> {
    let line = &bytes[..bytes
        .iter()
        .position(|&b| b == b'\r')
        .unwrap_or(bytes.len())];
    match line.get(13..) {
        Some(raw) if parsed.is_empty() && raw.iter().any(|&b| b >= 0x80) => raw.to_vec(),
        _ => parsed.into(),
    }
}

fn httparse_fields(h: &[httparse::Header<'_>], unfold: bool) -> Vec<(String, Vec<u8>)> {
    h.iter()
        .map(|h| {
            let mut v = h.value.to_vec();
            if unfold {
                v.iter_mut()
                    .filter(|b| **b == b'\r' || **b == b'\n')
                    .for_each(|b| *b = b' ');
            }
            (h.name.to_string(), v)
        })
        .collect()
}

// ---- Valid heads ----

/// Field names that change framing: left out of random heads (their rules are h1's own).
const FRAMING: [&str; 3] = ["host", "content-length", "transfer-encoding"];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Accept",
            "User-Agent",
            "X-Forwarded-For",
            "cookie",
            "ETag"
        ])
        .prop_map(String::from),
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}",
    ]
    .prop_filter("framing fields", |n| {
        !FRAMING.contains(&n.to_ascii_lowercase().as_str())
    })
}

/// A field value on the wire: optional OWS, then VCHAR / obs-text with inner SP/HTAB.
fn value() -> impl Strategy<Value = Vec<u8>> {
    let byte =
        prop_oneof![8 => 0x21u8..0x7f, 1 => 0x80u8..=0xff, 1 => Just(b' '), 1 => Just(b'\t')];
    (
        prop::sample::select(vec!["", " ", "  ", "\t"]),
        prop::collection::vec(byte, 0..20),
        prop::sample::select(vec!["", " ", "\t"]),
    )
        .prop_map(|(pre, mut v, post)| {
            while v.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
                v.pop();
            }
            while v.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                v.remove(0);
            }
            [pre.as_bytes(), &v, post.as_bytes()].concat()
        })
}

fn field_lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((name(), value()), 0..6).prop_map(|fields| {
        let mut out = Vec::new();
        for (n, v) in fields {
            out.extend_from_slice(n.as_bytes());
            out.push(b':');
            out.extend_from_slice(&v);
            out.extend_from_slice(b"\r\n");
        }
        out
    })
}

fn request_head() -> impl Strategy<Value = Vec<u8>> {
    let method = prop_oneof![
        prop::sample::select(vec![
            "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"
        ])
        .prop_map(String::from),
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}".prop_filter("CONNECT", |m| m != "CONNECT"),
    ];
    let target = prop_oneof!["/[!-~]{0,30}", "http://[a-z]{1,8}\\.com(/[!-~]{0,20})?"];
    let host = "[a-z0-9.-]{1,16}(:[0-9]{1,5})?";
    (method, target, 0u8..2, host, field_lines(), field_lines()).prop_map(
        |(m, t, v, host, before, after)| {
            let mut out = format!("{m} {t} HTTP/1.{v}\r\n").into_bytes();
            out.extend(before);
            out.extend(format!("Host: {host}\r\n").into_bytes());
            out.extend(after);
            out.extend_from_slice(b"\r\n");
            out
        },
    )
}

fn response_head() -> impl Strategy<Value = Vec<u8>> {
    let status = (100u16..600).prop_filter("101 needs an Upgrade request", |s| *s != 101);
    let reason = prop_oneof![Just(None), "[ -~]{0,20}".prop_map(Some)];
    (status, reason, 0u8..2, field_lines()).prop_map(|(s, r, v, fields)| {
        let mut out = match r {
            Some(r) => format!("HTTP/1.{v} {s} {r}\r\n"),
            None => format!("HTTP/1.{v} {s}\r\n"),
        }
        .into_bytes();
        out.extend(fields);
        out.extend_from_slice(b"\r\n");
        out
    })
}

// ---- Mutations ----

#[derive(Debug, Clone)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop::sample::select(vec![b'\r', b'\n', 0, b' ', b'\t', b':', 0x7f, 0x80, 0xff]);
    prop_oneof![
        1 => (any::<prop::sample::Index>(), 0u8..8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        3 => (any::<prop::sample::Index>(), special).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Delete),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut head: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        if head.is_empty() {
            break;
        }
        match m {
            Mutation::Flip(i, bit) => {
                let at = i.index(head.len());
                head[at] ^= 1 << bit;
            }
            Mutation::Insert(i, b) => head.insert(i.index(head.len() + 1), *b),
            Mutation::Delete(i) => {
                head.remove(i.index(head.len()));
            }
            Mutation::Truncate(i) => head.truncate(i.index(head.len())),
        }
    }
    head
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// A valid request head reads the same in h1 as in httparse.
    #[test]
    fn valid_requests_match_httparse(head in request_head()) {
        let theirs = theirs_request(&head);
        // A head httparse refuses is no valid head (say, a target byte it does not allow).
        prop_assume!(matches!(theirs, Ok(Some(_))));
        prop_assert_eq!(ours_request(&head), theirs.unwrap());
    }

    /// A valid response head reads the same in h1 as in httparse.
    #[test]
    fn valid_responses_match_httparse(head in response_head()) {
        let theirs = theirs_response(&head);
        prop_assume!(matches!(theirs, Ok(Some(_))));
        prop_assert_eq!(ours_response(&head), theirs.unwrap());
    }

    /// A mutated request head: h1 accepts only what httparse accepts, and reads it alike.
    #[test]
    fn mutated_requests_never_accepted_beyond_httparse(
        head in request_head(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let bytes = mutate(head, &mutations);
        if let Some(ours) = ours_request(&bytes) {
            let theirs = theirs_request(&bytes);
            prop_assert!(matches!(theirs, Ok(Some(_))), "h1 accepted what httparse gives as {:?}: {:?}", theirs, String::from_utf8_lossy(&bytes));
            prop_assert_eq!(ours, theirs.unwrap().unwrap());
        }
    }

    /// A mutated response head: the same.
    #[test]
    fn mutated_responses_never_accepted_beyond_httparse(
        head in response_head(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let bytes = mutate(head, &mutations);
        if let Some(ours) = ours_response(&bytes) {
            let theirs = theirs_response(&bytes);
            prop_assert!(matches!(theirs, Ok(Some(_))), "h1 accepted what httparse gives as {:?}: {:?}", theirs, String::from_utf8_lossy(&bytes));
            prop_assert_eq!(ours, theirs.unwrap().unwrap());
        }
    }
}

/// The comparison can fail: a head h1 refuses (bare LF) that httparse accepts is fine,
/// but a field httparse reads differently would not be; this pins both readings of one
/// known head.
#[test]
fn known_head_reads_alike() {
    let head = b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-A:  v 1 \r\nx-b:\r\n\r\n";
    let ours = ours_request(head).unwrap();
    assert_eq!(ours, theirs_request(head).unwrap().unwrap());
    assert_eq!(ours.fields[1], ("X-A".to_string(), b"v 1".to_vec()));
    assert_eq!(ours_request(b"GET / HTTP/1.1\nHost: x\n\n"), None);
}

/// The reference reads a later HTTP/1 minor version as HTTP/1.1, as h1 does, and only that.
#[test]
fn later_minor_versions_read_alike() {
    let head = b"GET /x HTTP/1.7\r\nHost: x\r\n\r\n";
    let ours = ours_request(head).unwrap();
    assert_eq!(ours.version, 1);
    assert_eq!(ours, theirs_request(head).unwrap().unwrap());
    let head = b"HTTP/1.2 200 OK\r\n\r\n";
    assert_eq!(
        ours_response(head).unwrap(),
        theirs_response(head).unwrap().unwrap()
    );
    assert!(theirs_request(b"GET / HTTP/2.0\r\n\r\n").is_err());
    assert_eq!(ours_request(b"GET / HTTP/2.0\r\n\r\n"), None);
}
