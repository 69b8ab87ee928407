//! Cases that need options the tracer does not have: limits other than the defaults, and
//! a client request carrying `Upgrade`. Each runs on the harness's runner with no answers
//! (a client sends one `GET`), its input whole and one byte at a time, and checks the
//! events and the error.

use h1::{BodyMode, Bytes, Connection, ErrorKind, Event, Limits, Request, Role, State};
use h1_harness::{join_data, Answer, Item, Requests, Script, Splitter};

/// What a run produced: the events (`NeedData` left out, adjacent data joined) and the
/// error it ended with, if any.
#[derive(Debug, PartialEq)]
struct Run {
    events: Vec<Event>,
    /// Kind, status hint, message and offset.
    error: Option<(ErrorKind, Option<u16>, String, Option<u64>)>,
}

/// A run's trace as events and its error.
fn run(trace: Vec<Item>) -> Run {
    let mut events = Vec::new();
    let mut error = None;
    for item in join_data(trace) {
        events.push(match item {
            Item::Request(r) => Event::Request(r),
            Item::Response(r) => Event::Response(r),
            Item::Informational(r) => Event::Informational(r),
            Item::Data(d) => Event::Data(d),
            Item::Line(l) => Event::LineComplete(l),
            Item::End(t) => Event::EndOfMessage(t),
            Item::Closed => Event::ConnectionClosed,
            Item::Paused => Event::Paused,
            Item::Switched(_) => continue,
            Item::Error(e) => {
                let status = e.status_hint();
                error = Some((e.kind(), status, e.message().to_owned(), e.offset()));
                continue;
            }
            Item::Refused(e) => panic!("the request was refused: {e:?}"),
        });
    }
    Run { events, error }
}

/// Runs `input` whole and one byte at a time with `limits`, asserts both agree, and
/// returns the run.
fn both(role: Role, limits: &Limits, input: &[u8], mode: BodyMode) -> Run {
    let script = Script::new(role)
        .limits(limits.clone())
        .mode(mode)
        .requests(Requests::Once)
        .answer(Answer::None);
    let whole = run(script.run(input, Splitter::whole()));
    let dripped = run(script.run(input, Splitter::cycle(&[1])));
    assert_eq!(whole, dripped, "any split");
    whole
}

fn data() -> BodyMode {
    BodyMode::Data { max: usize::MAX }
}

/// Asserts the run ended with an error of `kind`, `status` and a message containing `phrase`.
fn assert_error(run: &Run, kind: ErrorKind, status: u16, phrase: &str) {
    assert_error_with(run, kind, Some(status), phrase)
}

/// The same in the client role: no status (a client answers nothing).
fn assert_client_error(run: &Run, kind: ErrorKind, phrase: &str) {
    assert_error_with(run, kind, None, phrase)
}

fn assert_error_with(run: &Run, kind: ErrorKind, status: Option<u16>, phrase: &str) {
    let (k, s, m, _) = run.error.as_ref().expect("an error");
    assert_eq!((*k, *s), (kind, status), "{m}");
    assert!(m.contains(phrase), "{m:?} lacks {phrase:?}");
}

/// Asserts the run's error is at byte `offset` of its message (the first byte past the
/// limit, or the value that declared too much).
fn assert_offset(run: &Run, offset: u64) {
    let (.., m, at) = run.error.as_ref().expect("an error");
    assert_eq!(*at, Some(offset), "{m}");
}

fn limits(edit: impl FnOnce(&mut Limits)) -> Limits {
    let mut l = Limits::default();
    edit(&mut l);
    l
}

/// A Content-Length over `max_body_size` is refused at the head, before any event (413).
#[test]
fn body_limit_content_length_413() {
    let l = limits(|l| l.max_body_size = Some(10));
    let r = both(
        Role::Server,
        &l,
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n",
        data(),
    );
    assert!(r.events.is_empty());
    assert_error(&r, ErrorKind::TooLarge, 413, "body limit");
    // At the Content-Length value.
    assert_offset(&r, 42);
    let ok = both(
        Role::Server,
        &l,
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
        data(),
    );
    assert_eq!(ok.error, None);
    assert_eq!(ok.events[1], Event::Data(Bytes::from_static(b"0123456789")));
}

/// A chunked body is refused when a chunk size would take it over the limit (413).
#[test]
fn body_limit_chunked_413() {
    let l = limits(|l| l.max_body_size = Some(10));
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_eq!(r.events[1], Event::Data(Bytes::from_static(b"abcdef")));
    assert_error(&r, ErrorKind::TooLarge, 413, "limit of 10");
    // At "k", the fifth byte of the second chunk's data (70..75): the eleventh of the body.
    assert_offset(&r, 74);
}

/// Small chunks received together are handed out as one piece up to the chunk that would
/// pass the limit; that one is refused (413), the same way whole or byte by byte.
#[test]
fn body_limit_after_gathered_small_chunks_413() {
    let l = limits(|l| l.max_body_size = Some(10));
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n4\r\nghij\r\n1\r\nk\r\n0\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_eq!(r.events[1], Event::Data(Bytes::from_static(b"abcdefghij")));
    assert_error(&r, ErrorKind::TooLarge, 413, "limit of 10");
    assert_offset(&r, 84);
    // Exactly at the limit: accepted.
    let l = limits(|l| l.max_body_size = Some(11));
    let r = both(Role::Server, &l, input, data());
    assert_eq!(r.error, None);
    assert_eq!(r.events[1], Event::Data(Bytes::from_static(b"abcdefghijk")));
}

/// A close-delimited body is refused once it grows over the limit (413); the bytes within
/// the limit are handed out first, however the input was split.
#[test]
fn body_limit_until_close_413() {
    let l = limits(|l| l.max_body_size = Some(4));
    let r = both(Role::Client, &l, b"HTTP/1.1 200 OK\r\n\r\n0123", data());
    assert_eq!(r.error, None);
    let r = both(Role::Client, &l, b"HTTP/1.1 200 OK\r\n\r\n01234", data());
    assert_eq!(r.events[1..], [Event::Data(Bytes::from_static(b"0123"))]);
    assert_client_error(&r, ErrorKind::TooLarge, "limit of 4");
    assert_offset(&r, 23);
}

#[test]
fn head_size_limit_431() {
    let l = limits(|l| l.max_head_size = 40);
    let input = b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_error(&r, ErrorKind::TooLarge, 431, "the head");
    // The head's 40th byte is not its end.
    assert_offset(&r, 39);
    let l = limits(|l| l.max_head_size = input.len());
    assert_eq!(both(Role::Server, &l, input, data()).error, None);
    // A head exactly at the limit with another fault gets that fault, not 431.
    let bad = b"GET / HTTP/1.1\r\nHost: a\r\nX Long: 0123456789\r\n\r\n";
    let l = limits(|l| l.max_head_size = bad.len());
    let r = both(Role::Server, &l, bad, data());
    assert_error(&r, ErrorKind::Malformed, 400, "invalid header field name");
    assert_offset(&r, 26);
}

#[test]
fn header_count_limit_431() {
    let l = limits(|l| l.max_headers = 2);
    let r = both(
        Role::Server,
        &l,
        b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nY: 2\r\n\r\n",
        data(),
    );
    assert_error(&r, ErrorKind::TooLarge, 431, "too many");
    // At the field one too many.
    assert_offset(&r, 31);
    let r = both(
        Role::Server,
        &l,
        b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n",
        data(),
    );
    assert_eq!(r.error, None);
}

#[test]
fn request_line_limit_414() {
    let l = limits(|l| l.max_start_line = 16);
    let r = both(
        Role::Server,
        &l,
        b"GET /0123456789ab HTTP/1.1\r\nHost: a\r\n\r\n",
        data(),
    );
    assert_error(&r, ErrorKind::TooLarge, 414, "request line");
    assert_offset(&r, 17);
    let r = both(
        Role::Server,
        &l,
        b"GET /0 HTTP/1.1\r\nHost: a\r\n\r\n",
        data(),
    );
    assert_eq!(r.error, None);
}

#[test]
fn status_line_limit_refused() {
    let l = limits(|l| l.max_start_line = 16);
    let r = both(
        Role::Client,
        &l,
        b"HTTP/1.1 200 A long reason\r\n\r\n",
        data(),
    );
    assert_client_error(&r, ErrorKind::TooLarge, "status line");
}

#[test]
fn chunk_line_limit_400() {
    let l = limits(|l| l.max_chunk_line = 8);
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=val\r\nabc\r\n0\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_error(&r, ErrorKind::TooLarge, 400, "chunk-size line");
    // The line starts at 56; its ninth byte is past the limit.
    assert_offset(&r, 64);
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=v\r\nabc\r\n0\r\n\r\n";
    assert_eq!(both(Role::Server, &l, input, data()).error, None);
    // Exactly at the limit ("3;e=val" and its CR are 8 bytes), also when the 8 bytes
    // arrive before the LF (the byte-by-byte run).
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=val\r\nabc\r\n0\r\n\r\n";
    assert_eq!(both(Role::Server, &l, input, data()).error, None);
}

#[test]
fn trailer_size_limit_431() {
    let l = limits(|l| l.max_trailer_size = 10);
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: 0123456789\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_error(&r, ErrorKind::TooLarge, 431, "trailer section");
    // The section starts at 59; its tenth byte is not its end.
    assert_offset(&r, 68);
}

#[test]
fn trailer_count_limit_431() {
    let l = limits(|l| l.max_headers = 2);
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    let r = both(Role::Server, &l, input, data());
    assert_error(&r, ErrorKind::TooLarge, 431, "too many trailer fields");
    // At "C", the trailer field one too many.
    assert_offset(&r, 71);
}

/// Line mode: a line over `max_line_length` is refused (kind LineTooLong, 413).
#[test]
fn line_length_limit_413() {
    let l = limits(|l| l.max_line_length = 4);
    let input = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabcd\nabcde";
    let r = both(Role::Server, &l, input, BodyMode::Lines);
    assert_eq!(
        r.events[1],
        Event::LineComplete(Bytes::from_static(b"abcd"))
    );
    assert_error(&r, ErrorKind::LineTooLong, 413, "body line is longer");
    // The second line starts at 53; its fifth byte ("e") is past the limit.
    assert_offset(&r, 57);
}

/// 101 answering a request with Upgrade: the head, then a switch; the bytes after the head
/// belong to the new protocol and are handed back whole, however the input was split.
#[test]
fn switching_protocols_101_hands_back_trailing_bytes() {
    let input = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello";
    for piece in [1, 4, input.len()] {
        let mut conn = Connection::new(Role::Client);
        let req = Request::new("GET", "/chat")
            .and_then(|r| r.with_header("Host", "a"))
            .and_then(|r| r.with_header("Connection", "upgrade"))
            .and_then(|r| r.with_header("Upgrade", "websocket"))
            .unwrap();
        let _ = conn.send_request(&req).unwrap();
        let _ = conn.send_end().unwrap();
        let mut events = Vec::new();
        for chunk in input.chunks(piece) {
            conn.receive(chunk).unwrap();
            loop {
                match conn.next_event().unwrap() {
                    Event::NeedData | Event::Paused => break,
                    ev => events.push(ev),
                }
            }
        }
        assert!(
            matches!(&events[..], [Event::Informational(r)] if r.status() == 101),
            "{events:?}"
        );
        assert_eq!(conn.their_state(), State::SwitchedProtocol);
        assert_eq!(&conn.take_trailing_data().unwrap()[..], b"\x81\x05hello");
    }
}
