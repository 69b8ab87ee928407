//! Edges no other test pins: every limit exactly at its bound with the input split just
//! before the terminator, lines at the length limit across chunks, the last line of a
//! body without EOF, a CR-ended line before a switch to data mode, unsolicited responses in
//! each idle state, `Connection: close` next to another Connection token, and errors after
//! chunks too large to be gathered, at their byte however the framing is cut.

mod common;

use common::*;
use h1::{BodyMode, Connection, ErrorKind, Event, Limits, Role, State};
use h1_harness::{Answer, Item, Requests, Script, Splitter};

/// Events from `input` fed as `input[..cut]` then the rest (no EOF), until `NeedData`
/// with the input all fed, `Paused` or an error. `mode` is set after each head.
fn feed_split(
    conn: &mut Connection,
    input: &[u8],
    cut: usize,
    mode: BodyMode,
) -> Result<Vec<Event>, h1::Error> {
    let script = Script {
        eof: false,
        ..Script::new(conn.role())
            .mode(mode)
            .requests(Requests::None)
            .answer(Answer::None)
    };
    let mut events = Vec::new();
    for item in script.run_on(conn, input, Splitter::cycle(&[cut, usize::MAX])) {
        events.push(match item {
            Item::Request(r) => Event::Request(r),
            Item::Response(r) => Event::Response(r),
            Item::Informational(r) => Event::Informational(r),
            Item::Data(d) => Event::Data(d),
            Item::Line(l) => Event::LineComplete(l),
            Item::End(t) => Event::EndOfMessage(t),
            Item::Paused => continue,
            Item::Error(e) => return Err(e),
            other => panic!("unexpected {other:?}"),
        });
    }
    Ok(events)
}

/// Runs `input` split at each of the last `tail` positions and whole: the outcome (events,
/// or the error's kind) must be the same for every split; returns it.
fn every_tail_split(
    make: impl Fn() -> Connection,
    input: &[u8],
    tail: usize,
    mode: BodyMode,
) -> Result<Vec<Event>, ErrorKind> {
    let whole = feed_split(&mut make(), input, input.len(), mode).map_err(|e| e.kind());
    for cut in input.len().saturating_sub(tail)..input.len() {
        let split = feed_split(&mut make(), input, cut, mode).map_err(|e| e.kind());
        let joined = |r: &Result<Vec<Event>, ErrorKind>| {
            r.clone().map(|evs| {
                let mut out = Vec::new();
                for e in evs {
                    match (out.last_mut(), e) {
                        (Some(Event::Data(prev)), Event::Data(d)) => {
                            *prev = [&prev[..], &d[..]].concat().into()
                        }
                        (_, e) => out.push(e),
                    }
                }
                out
            })
        };
        assert_eq!(joined(&split), joined(&whole), "cut at {cut}");
    }
    whole
}

fn server(limits: &Limits) -> impl Fn() -> Connection + '_ {
    move || Connection::with_limits(Role::Server, limits.clone())
}

fn data() -> BodyMode {
    BodyMode::Data { max: usize::MAX }
}

/// `at` accepted, `at + 1` refused with `kind`, both split anywhere in the last 4 bytes.
fn bound(limits: &Limits, at: &[u8], over: &[u8], kind: ErrorKind, mode: BodyMode) {
    let ok = every_tail_split(server(limits), at, 4, mode);
    assert!(
        ok.is_ok(),
        "{:?}: {ok:?}",
        String::from_utf8_lossy(&at[..at.len().min(80)])
    );
    assert_eq!(every_tail_split(server(limits), over, 4, mode), Err(kind));
}

#[test]
fn head_size_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_head_size = 40;
    // 16 + 9 + 13 + 2 = 40 bytes, the empty line included.
    let at = b"GET / HTTP/1.1\r\nHost: a\r\nX: 12345678\r\n\r\n";
    assert_eq!(at.len(), 40);
    let over = b"GET / HTTP/1.1\r\nHost: a\r\nX: 123456789\r\n\r\n";
    bound(&l, at, over, ErrorKind::TooLarge, data());
}

#[test]
fn start_line_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_start_line = 16;
    // "GET /ab HTTP/1.1" is 16 bytes.
    bound(
        &l,
        b"GET /ab HTTP/1.1\r\nHost: a\r\n\r\n",
        b"GET /abc HTTP/1.1\r\nHost: a\r\n\r\n",
        ErrorKind::TooLarge,
        data(),
    );
}

#[test]
fn header_count_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_headers = 2;
    bound(
        &l,
        b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nY: 2\r\n\r\n",
        ErrorKind::TooLarge,
        data(),
    );
}

const CHUNKED: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

fn chunked(body: &[u8]) -> Vec<u8> {
    [CHUNKED, body].concat()
}

#[test]
fn chunk_line_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_chunk_line = 8;
    // "1;ab=cd" and its CR are 8 bytes (the LF excluded).
    bound(
        &l,
        &chunked(b"1;ab=cd\r\nx\r\n0\r\n\r\n"),
        &chunked(b"1;ab=cde\r\nx\r\n0\r\n\r\n"),
        ErrorKind::TooLarge,
        data(),
    );
}

/// Chunks over the size gathered (256 B) cross their boundaries whole in the buffer or
/// cut anywhere in the framing; errors after them are at their byte either way.
#[test]
fn errors_after_large_chunks_at_their_byte() {
    let x = [b'x'; 300];
    let two = [&b"12C\r\n"[..], &x, b"\r\n12C\r\n", &x, b"\r\n"].concat();
    let second = CHUNKED.len() + 5 + 300 + 7;
    let mut limited = Limits::default();
    limited.max_body_size = Some(450);
    let cases = [
        // Over the body limit: at the first byte of the second chunk past it.
        (
            &limited,
            [&two[..], b"0\r\n\r\n"].concat(),
            ErrorKind::TooLarge,
            second + 150,
        ),
        // A bad size line after two large chunks.
        (
            &Limits::default(),
            [&two[..], b"Z\r\n"].concat(),
            ErrorKind::Framing,
            second + 302,
        ),
    ];
    for (limits, body, kind, at) in cases {
        let wire = chunked(&body);
        for cut in [
            wire.len(),
            second - 7,
            second - 6,
            second - 3,
            second - 1,
            second + 301,
        ] {
            let err = feed_split(&mut server(limits)(), &wire, cut, data()).unwrap_err();
            assert_eq!(
                (err.kind(), err.offset()),
                (kind, Some(at as u64)),
                "cut at {cut}"
            );
        }
    }
}

#[test]
fn trailer_section_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_trailer_size = 10;
    // "X: 12345\r\n\r\n" is 12 bytes; "X: 123\r\n\r\n" is 10.
    bound(
        &l,
        &chunked(b"1\r\nx\r\n0\r\nX: 123\r\n\r\n"),
        &chunked(b"1\r\nx\r\n0\r\nX: 1234\r\n\r\n"),
        ErrorKind::TooLarge,
        data(),
    );
}

#[test]
fn line_length_exactly_at_its_bound() {
    let mut l = Limits::default();
    l.max_line_length = 4;
    let post = |body: &[u8]| {
        [
            format!(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
            body,
        ]
        .concat()
    };
    bound(
        &l,
        &post(b"abcd\r\n"),
        &post(b"abcde\r\n"),
        ErrorKind::LineTooLong,
        BodyMode::Lines,
    );
    // Across two chunks, exactly at the bound and one over.
    let ok = every_tail_split(
        server(&l),
        &chunked(b"2\r\nab\r\n3\r\ncd\n\r\n0\r\n\r\n"),
        8,
        BodyMode::Lines,
    )
    .unwrap();
    assert_eq!(ok[1], Event::LineComplete(bytes("abcd")));
    let over = every_tail_split(
        server(&l),
        &chunked(b"2\r\nab\r\n4\r\ncde\n\r\n0\r\n\r\n"),
        8,
        BodyMode::Lines,
    );
    assert_eq!(over, Err(ErrorKind::LineTooLong));
}

#[test]
fn last_line_of_a_content_length_body_without_eof() {
    let mut conn = Connection::new(Role::Server);
    let events = feed_split(
        &mut conn,
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab\ncd",
        40,
        BodyMode::Lines,
    )
    .unwrap();
    assert_eq!(
        events[1..3],
        [
            Event::LineComplete(bytes("ab")),
            Event::LineComplete(bytes("cd"))
        ]
    );
    assert!(matches!(events[3], Event::EndOfMessage(_)));
}

#[test]
fn cr_ended_line_then_data_mode_drops_the_lf() {
    let mut conn = Connection::new(Role::Server);
    conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nab\r")
        .unwrap();
    assert!(matches!(conn.next_event().unwrap(), Event::Request(_)));
    conn.set_body_mode(BodyMode::Lines).unwrap();
    assert_eq!(conn.next_event().unwrap(), Event::LineComplete(bytes("ab")));
    assert_eq!(conn.next_event().unwrap(), Event::NeedData);
    // The CR's LF arrives after the switch: it belongs to the line, not to the data.
    conn.set_body_mode(data()).unwrap();
    conn.receive(b"\ncd").unwrap();
    assert_eq!(conn.next_event().unwrap(), Event::Data(bytes("cd")));
    assert!(matches!(conn.next_event().unwrap(), Event::EndOfMessage(_)));
}

#[test]
fn unsolicited_response_refused_in_every_idle_state() {
    let response = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    // Before any request.
    let mut fresh = Connection::new(Role::Client);
    fresh.receive(response).unwrap();
    assert_eq!(
        fresh.next_event().unwrap_err().kind(),
        ErrorKind::Unexpected
    );
    // After a full cycle, back in Idle.
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&get("/")));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| s.send_response(&response_with_length()));
    p.server_sends(|s| s.send_end());
    p.client_events();
    p.client.start_next_cycle().unwrap();
    p.client.receive(response).unwrap();
    assert_eq!(
        p.client.next_event().unwrap_err().kind(),
        ErrorKind::Unexpected
    );
    // After a response that closes: MustClose.
    let mut client = client_after_get(Limits::default());
    client
        .receive(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert!(matches!(client.next_event().unwrap(), Event::Response(_)));
    assert!(matches!(
        client.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    assert_eq!(client.their_state(), State::MustClose);
    client.receive(response).unwrap();
    assert_eq!(
        client.next_event().unwrap_err().kind(),
        ErrorKind::Unexpected
    );
}

fn response_with_length() -> h1::Response {
    response(200, &[("Content-Length", "0")])
}

#[test]
fn connection_close_added_next_to_another_token() {
    // The client asked to close; the response names another Connection option only.
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&request("GET", "/", &[("Connection", "close")])));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| {
        s.send_response(&response(
            200,
            &[("Connection", "x-custom"), ("Content-Length", "0")],
        ))
    });
    let wire = String::from_utf8(p.to_client.clone()).unwrap();
    assert!(wire.contains("Connection: x-custom\r\n"), "{wire}");
    assert!(wire.contains("Connection: close\r\n"), "{wire}");
    // Already there: not added twice.
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&request("GET", "/", &[("Connection", "close")])));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| {
        s.send_response(&response(
            200,
            &[("Connection", "x-custom, close"), ("Content-Length", "0")],
        ))
    });
    let wire = String::from_utf8(p.to_client.clone()).unwrap();
    assert_eq!(wire.matches("close").count(), 1, "{wire}");
}

/// The limits a connection was made with are the ones it reports; `new` reports the
/// defaults.
#[test]
fn limits_are_reported_as_given() {
    let mut limits = Limits::default();
    limits.max_head_size = 123;
    limits.max_body_size = Some(7);
    let conn = Connection::with_limits(Role::Server, limits.clone());
    assert_eq!(conn.limits(), &limits);
    assert_eq!(Connection::new(Role::Client).limits(), &Limits::default());
}

/// The body mode reads back as set, and each new message starts with the default.
#[test]
fn body_mode_reads_back_and_resets_per_message() {
    let mut server = Connection::new(Role::Server);
    let default = BodyMode::Data { max: usize::MAX };
    assert_eq!(server.body_mode(), default);
    server
        .receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nab")
        .unwrap();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    server.set_body_mode(BodyMode::Lines).unwrap();
    assert_eq!(server.body_mode(), BodyMode::Lines);
    server.set_body_mode(BodyMode::Data { max: 1 }).unwrap();
    assert_eq!(server.body_mode(), BodyMode::Data { max: 1 });
    assert_eq!(server.next_event().unwrap(), Event::Data("a".into()));
    assert_eq!(server.next_event().unwrap(), Event::Data("b".into()));
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    let res = h1::Response::new(200)
        .and_then(|r| r.with_header("Content-Length", "0"))
        .unwrap();
    let _ = server.send_response(&res).unwrap();
    let _ = server.send_end().unwrap();
    server.start_next_cycle().unwrap();
    server
        .receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .unwrap();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    assert_eq!(server.body_mode(), default);
}

/// A server that switches protocols before the client finished its request body: the
/// client sees the switch on the server's side only, and the bytes after the 101 are
/// handed back as the new protocol's.
#[test]
fn switch_while_the_client_still_sends_its_body() {
    let mut client = Connection::new(Role::Client);
    let req = h1::Request::new("POST", "/chat")
        .and_then(|r| r.with_header("Host", "a"))
        .and_then(|r| r.with_header("Upgrade", "websocket"))
        .and_then(|r| r.with_header("Connection", "Upgrade"))
        .and_then(|r| r.with_header("Content-Length", "5"))
        .unwrap();
    let _ = client.send_request(&req).unwrap();
    client
        .receive(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nWS")
        .unwrap();
    assert!(matches!(client.next_event().unwrap(), Event::Informational(r) if r.status() == 101));
    assert_eq!(
        (client.our_state(), client.their_state()),
        (State::SendBody, State::SwitchedProtocol)
    );
    assert_eq!(client.take_trailing_data().unwrap(), &b"WS"[..]);
}

/// A line that ended in CR at the very end of a body, and a switch to data mode before
/// the body's end: the LF the splitter would have skipped belongs to no later message. The
/// next body starts with its own "\n", handed out whole.
#[test]
fn a_pending_lf_skip_does_not_outlive_its_message() {
    let mut client = Connection::new(Role::Client);
    let get = h1::Request::new("GET", "/")
        .and_then(|r| r.with_header("Host", "a"))
        .unwrap();
    let _ = client.send_request(&get).unwrap();
    let _ = client.send_end().unwrap();
    client
        .receive(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\na\r")
        .unwrap();
    assert!(matches!(client.next_event().unwrap(), Event::Response(_)));
    client.set_body_mode(BodyMode::Lines).unwrap();
    assert_eq!(
        client.next_event().unwrap(),
        Event::LineComplete("a".into())
    );
    client
        .set_body_mode(BodyMode::Data { max: usize::MAX })
        .unwrap();
    assert!(matches!(
        client.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    client.start_next_cycle().unwrap();
    let _ = client.send_request(&get).unwrap();
    let _ = client.send_end().unwrap();
    client
        .receive(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n\nb")
        .unwrap();
    assert!(matches!(client.next_event().unwrap(), Event::Response(_)));
    assert_eq!(client.next_event().unwrap(), Event::Data("\nb".into()));
}

#[test]
fn a_head_cut_in_two_anywhere_is_answered_as_whole() {
    // Heads good and bad (by the walk's rules, by httparse's alone, by a limit), each cut
    // at every byte: the same events, or the same error at the same offset, as whole.
    let mut small = Limits::default();
    small.max_head_size = 120;
    small.max_start_line = 40;
    let heads: &[&[u8]] = &[
        b"GET /a/longer/target?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: test agent\r\nAccept: */*\r\n\r\n",
        b"\r\nGET / HTTP/1.1\r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Tab: a\tb\r\nX-Obs: caf\xc3\xa9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Bad: a\x01b and more bytes after it\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Del: abcdefgh\x7fijklmnop\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Bare: a\rb and more bytes after it\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Lf: a bare line feed\nafter\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: with a space in the name\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\n: an empty name and then some more\r\n\r\n",
        b"GET /a\x80b HTTP/1.1\r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        b"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\n\r\n",
        b"GET / HTTP/1.1 \r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
        b"G\x01T / HTTP/1.1\r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
    ];
    let outcome = |r: Result<Vec<Event>, h1::Error>| {
        r.map(|events| format!("{events:?}"))
            .map_err(|e| (e.kind(), e.offset()))
    };
    for limits in [Limits::default(), small] {
        for &head in heads {
            let whole = outcome(feed_split(&mut server(&limits)(), head, head.len(), data()));
            for cut in 1..head.len() {
                let split = outcome(feed_split(&mut server(&limits)(), head, cut, data()));
                assert_eq!(
                    split,
                    whole,
                    "{:?} cut at {cut}",
                    String::from_utf8_lossy(head)
                );
            }
        }
    }
}
