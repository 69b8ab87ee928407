//! Cases that need options the tracer does not have: limits other than the defaults, and
//! a client request carrying `Upgrade`. Each limit case is a row: a role, its `Limits`, the
//! body mode, the input, every event it reads and the error it ends with. The harness's
//! runner reads the input with no answers (a client sends one `GET`), whole and one byte at
//! a time, with the same events and error.

use h1::{BodyMode, Connection, ErrorKind, Event, Limits, Request, Role, State};
use h1_harness::{join_data, Answer, Item, Requests, Script, Splitter};

/// One limit case.
struct Case {
    role: Role,
    limits: Limits,
    mode: BodyMode,
    input: &'static [u8],
    /// Every event, in short: `head`, `data BYTES` (adjacent data joined), `line BYTES`,
    /// `end`, `closed`.
    events: &'static [&'static str],
    /// The error the run ends with, if any.
    error: Option<Refusal>,
}

/// An error: its kind, status hint (none in the client role: a client answers nothing),
/// a phrase of its message, and the offset of the offending byte from the message's start
/// (the first byte past the limit, or the value that declared too much).
struct Refusal {
    kind: ErrorKind,
    status: Option<u16>,
    phrase: &'static str,
    offset: Option<u64>,
}

/// A case in the server role with the default limits edited by `edit`, in data mode.
fn server(edit: fn(&mut Limits), input: &'static [u8]) -> Case {
    let mut limits = Limits::default();
    edit(&mut limits);
    Case {
        role: Role::Server,
        limits,
        mode: BodyMode::Data { max: usize::MAX },
        input,
        events: &[],
        error: None,
    }
}

/// The same in the client role (the input answers a `GET`).
fn client(edit: fn(&mut Limits), input: &'static [u8]) -> Case {
    Case {
        role: Role::Client,
        ..server(edit, input)
    }
}

impl Case {
    /// The body is read in line mode.
    fn lines(mut self) -> Self {
        self.mode = BodyMode::Lines;
        self
    }

    /// The events the case reads.
    fn reads(mut self, events: &'static [&'static str]) -> Self {
        self.events = events;
        self
    }

    /// The error the case ends with: `kind`, `status` (`None` in the client role) and a
    /// message containing `phrase`.
    fn refused(mut self, kind: ErrorKind, status: Option<u16>, phrase: &'static str) -> Self {
        self.error = Some(Refusal {
            kind,
            status,
            phrase,
            offset: None,
        });
        self
    }

    /// The error is at byte `offset` of its message.
    fn at(mut self, offset: u64) -> Self {
        self.error.as_mut().expect("an error").offset = Some(offset);
        self
    }
}

/// What a run read: its events in short (see [`Case::events`]) and its error.
fn run(script: &Script, input: &[u8], splits: Splitter) -> (Vec<String>, Option<h1::Error>) {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut events = Vec::new();
    let mut error = None;
    for item in join_data(script.run(input, splits)) {
        events.push(match item {
            Item::Request(_) | Item::Response(_) | Item::Informational(_) => "head".into(),
            Item::Data(d) => format!("data {}", text(&d)),
            Item::Line(l) => format!("line {}", text(&l)),
            Item::End(t) if t.is_empty() => "end".into(),
            Item::Closed => "closed".into(),
            Item::Error(e) => {
                error = Some(e);
                continue;
            }
            other => panic!("unexpected {other:?}"),
        });
    }
    (events, error)
}

/// Runs each case whole and one byte at a time: both read the same, and what the case says.
fn check(cases: &[Case]) {
    for case in cases {
        let script = Script::new(case.role)
            .limits(case.limits.clone())
            .mode(case.mode)
            .requests(Requests::Once)
            .answer(Answer::None);
        let whole = run(&script, case.input, Splitter::whole());
        let dripped = run(&script, case.input, Splitter::cycle(&[1]));
        let input = String::from_utf8_lossy(case.input);
        assert_eq!(whole, dripped, "any split: {input:?}");
        let (events, error) = whole;
        assert_eq!(events, case.events, "{input:?}");
        match (&case.error, error) {
            (None, None) => {}
            (Some(want), Some(e)) => {
                let m = e.message();
                assert_eq!((e.kind(), e.status_hint()), (want.kind, want.status), "{m}");
                assert!(m.contains(want.phrase), "{m:?} lacks {:?}", want.phrase);
                if want.offset.is_some() {
                    assert_eq!(e.offset(), want.offset, "{m}");
                }
            }
            (want, got) => panic!(
                "{input:?}: expected {:?}, got {got:?}",
                want.as_ref().map(|w| w.kind)
            ),
        }
    }
}

/// A Content-Length over `max_body_size` is refused at the head, before any event (413).
#[test]
fn body_limit_content_length_413() {
    let limit = |l: &mut Limits| l.max_body_size = Some(10);
    check(&[
        // At the Content-Length value.
        server(
            limit,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n",
        )
        .refused(ErrorKind::TooLarge, Some(413), "body limit")
        .at(42),
        server(
            limit,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789",
        )
        .reads(&["head", "data 0123456789", "end", "closed"]),
    ]);
}

/// A chunked body is refused when a chunk size would take it over the limit (413).
#[test]
fn body_limit_chunked_413() {
    let limit = |l: &mut Limits| l.max_body_size = Some(10);
    check(&[
        // At "k", the fifth byte of the second chunk's data (70..75): the eleventh of the body.
        server(limit, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n")
            .reads(&["head", "data abcdef"])
            .refused(ErrorKind::TooLarge, Some(413), "limit of 10")
            .at(74),
    ]);
}

/// Small chunks received together are handed out as one piece up to the chunk that would
/// pass the limit; that one is refused (413), the same way whole or byte by byte.
#[test]
fn body_limit_after_gathered_small_chunks_413() {
    const INPUT: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n4\r\nghij\r\n1\r\nk\r\n0\r\n\r\n";
    check(&[
        server(|l| l.max_body_size = Some(10), INPUT)
            .reads(&["head", "data abcdefghij"])
            .refused(ErrorKind::TooLarge, Some(413), "limit of 10")
            .at(84),
        // Exactly at the limit: accepted.
        server(|l| l.max_body_size = Some(11), INPUT).reads(&[
            "head",
            "data abcdefghijk",
            "end",
            "closed",
        ]),
    ]);
}

/// A close-delimited body is refused once it grows over the limit (413); the bytes within
/// the limit are handed out first, however the input was split.
#[test]
fn body_limit_until_close_413() {
    let limit = |l: &mut Limits| l.max_body_size = Some(4);
    check(&[
        client(limit, b"HTTP/1.1 200 OK\r\n\r\n0123").reads(&[
            "head",
            "data 0123",
            "end",
            "closed",
        ]),
        client(limit, b"HTTP/1.1 200 OK\r\n\r\n01234")
            .reads(&["head", "data 0123"])
            .refused(ErrorKind::TooLarge, None, "limit of 4")
            .at(23),
    ]);
}

#[test]
fn head_size_limit_431() {
    const INPUT: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789\r\n\r\n";
    const BAD: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\nX Long: 0123456789\r\n\r\n";
    check(&[
        // The head's 40th byte is not its end.
        server(|l| l.max_head_size = 40, INPUT)
            .refused(ErrorKind::TooLarge, Some(431), "the head")
            .at(39),
        server(|l| l.max_head_size = INPUT.len(), INPUT).reads(&["head", "end", "closed"]),
        // A head exactly at the limit with another fault gets that fault, not 431.
        server(|l| l.max_head_size = BAD.len(), BAD)
            .refused(ErrorKind::Malformed, Some(400), "invalid header field name")
            .at(26),
    ]);
}

#[test]
fn header_count_limit_431() {
    let limit = |l: &mut Limits| l.max_headers = 2;
    check(&[
        // At the field one too many.
        server(limit, b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nY: 2\r\n\r\n")
            .refused(ErrorKind::TooLarge, Some(431), "too many")
            .at(31),
        server(limit, b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n")
            .reads(&["head", "end", "closed"]),
        // In a response, an obs-fold line belongs to the field it continues: the field one
        // too many is "C" (at 33), not "B" (the third line after the status line).
        client(
            limit,
            b"HTTP/1.1 200 OK\r\nA: 1\r\n 2\r\nB: 3\r\nC: 4\r\n\r\n",
        )
        .refused(ErrorKind::TooLarge, None, "too many")
        .at(33),
        client(limit, b"HTTP/1.1 200 OK\r\nA: 1\r\n 2\r\nB: 3\r\n\r\n")
            .reads(&["head", "end", "closed"]),
    ]);
}

#[test]
fn request_line_limit_414() {
    let limit = |l: &mut Limits| l.max_start_line = 16;
    check(&[
        server(limit, b"GET /0123456789ab HTTP/1.1\r\nHost: a\r\n\r\n")
            .refused(ErrorKind::TooLarge, Some(414), "request line")
            .at(17),
        server(limit, b"GET /0 HTTP/1.1\r\nHost: a\r\n\r\n").reads(&["head", "end", "closed"]),
    ]);
}

#[test]
fn status_line_limit_refused() {
    check(&[client(
        |l| l.max_start_line = 16,
        b"HTTP/1.1 200 A long reason\r\n\r\n",
    )
    .refused(ErrorKind::TooLarge, None, "status line")
    // At byte 17, as a request line over the same limit.
    .at(17)]);
}

#[test]
fn chunk_line_limit_400() {
    let limit = |l: &mut Limits| l.max_chunk_line = 8;
    let ok = &["head", "data abc", "end", "closed"];
    check(&[
        // The line starts at 56; its ninth byte is past the limit.
        server(limit, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=val\r\nabc\r\n0\r\n\r\n")
            .reads(&["head"])
            .refused(ErrorKind::TooLarge, Some(400), "chunk-size line")
            .at(64),
        server(limit, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=v\r\nabc\r\n0\r\n\r\n")
            .reads(ok),
        // Exactly at the limit ("3;e=val" and its CR are 8 bytes), also when the 8 bytes
        // arrive before the LF (the byte-by-byte run).
        server(limit, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=val\r\nabc\r\n0\r\n\r\n")
            .reads(ok),
    ]);
}

#[test]
fn trailer_size_limit_431() {
    check(&[
        // The section starts at 59; its tenth byte is not its end.
        server(|l| l.max_trailer_size = 10, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: 0123456789\r\n\r\n")
            .reads(&["head"])
            .refused(ErrorKind::TooLarge, Some(431), "trailer section")
            .at(68),
    ]);
}

#[test]
fn trailer_count_limit_431() {
    check(&[
        // At "C", the trailer field one too many.
        server(|l| l.max_headers = 2, b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")
            .reads(&["head"])
            .refused(ErrorKind::TooLarge, Some(431), "too many trailer fields")
            .at(71),
    ]);
}

/// Line mode: a line over `max_line_length` is refused (kind LineTooLong, 413).
#[test]
fn line_length_limit_413() {
    check(&[
        // The second line starts at 53; its fifth byte ("e") is past the limit.
        server(
            |l| l.max_line_length = 4,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabcd\nabcde",
        )
        .lines()
        .reads(&["head", "line abcd"])
        .refused(ErrorKind::LineTooLong, Some(413), "body line is longer")
        .at(57),
        // A long line that arrived whole with its terminator: at its fifth byte too ("e").
        server(
            |l| l.max_line_length = 4,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nok\nabcdef\n",
        )
        .lines()
        .reads(&["head", "line ok"])
        .refused(ErrorKind::LineTooLong, Some(413), "body line is longer")
        .at(55),
        // A line that began in an earlier chunk: at its fifth byte all the same ("e", in
        // the second chunk, whose data starts at 66).
        server(
            |l| l.max_line_length = 4,
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n5\r\ncdef\n\r\n0\r\n\r\n",
        )
        .lines()
        .reads(&["head"])
        .refused(ErrorKind::LineTooLong, Some(413), "body line is longer")
        .at(68),
    ]);
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
