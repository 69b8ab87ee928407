//! Inputs found by fuzzing or property tests, minimized, with the behaviour they should
//! have. Each test names the target that found it; see docs/testing.md to add one.

mod common;

use h1::{Connection, ErrorKind, Event, Limits, Request, Role};
use h1_harness::{Answer, Item, Requests, Script, Splitter};

fn small_start_line() -> Limits {
    let mut l = Limits::default();
    l.max_start_line = 16;
    l
}

/// Found by `receive_client` (split and whole runs disagreed: TooLarge in pieces,
/// Incomplete whole). A status line over `max_start_line` must be refused as soon as its
/// CRLF is seen, not only once the whole head has arrived: otherwise the error depends on
/// how the bytes were split, and at EOF it is reported as an incomplete message.
#[test]
fn long_status_line_is_refused_before_the_head_ends() {
    let mut client = common::client_after_get(small_start_line());
    client
        .receive(b"HTTP/1.1 200 A Reason Longer Than Sixteen\r\nX: y\r\n")
        .unwrap();
    let e = client.next_event().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e:?}");
    assert_eq!(e.status_hint(), None, "a client answers nothing");
}

/// The same for a request line (414), and the same error at EOF.
#[test]
fn long_request_line_is_refused_before_the_head_ends() {
    for eof in [false, true] {
        let mut server = Connection::with_limits(Role::Server, small_start_line());
        server
            .receive(b"GET /a-long-target-path HTTP/1.1\r\nHost: a\r\n")
            .unwrap();
        if eof {
            server.receive_eof();
        }
        let e = server.next_event().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge, "eof {eof}: {e:?}");
        assert_eq!(e.status_hint(), Some(414));
    }
}

/// Control: a start line within the limit still waits for the rest of the head.
#[test]
fn short_start_line_waits_for_the_head() {
    let mut server = Connection::with_limits(Role::Server, small_start_line());
    server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap();
    assert_eq!(server.next_event(), Ok(Event::NeedData));
}

/// A client that sent `GET /` and its end, fed `input` in pieces of `piece` bytes; the
/// events until the first error, NeedData at the end of the input, or the end of the
/// response.
fn client_reads(input: &[u8], piece: usize) -> Result<Vec<Event>, h1::Error> {
    let script = Script {
        eof: false,
        messages: Some(1),
        ..Script::new(Role::Client)
            .requests(Requests::Once)
            .answer(Answer::None)
    };
    let mut events = Vec::new();
    for item in script.run(input, Splitter::cycle(&[piece])) {
        events.push(match item {
            Item::Response(r) => Event::Response(r),
            Item::Informational(r) => Event::Informational(r),
            Item::Data(d) => Event::Data(d),
            Item::End(t) => Event::EndOfMessage(t),
            Item::Error(e) => return Err(e),
            other => panic!("unexpected {other:?}"),
        });
    }
    Ok(events)
}

/// Found by `receive_client` at 9617f78 (split and whole runs disagreed). A bare LF
/// followed by a whitespace-only line (`X: a\n \r\n`, an obs-fold with nothing in it)
/// must be refused like any bare LF. It was refused when the head arrived in pieces (the
/// incremental scan checks every LF) but accepted when it arrived whole: the fast path
/// checks only the two bytes before each field name and inside folded values, and
/// httparse trims the whitespace-only continuation off the value, so this LF lies in no
/// checked place.
#[test]
fn bare_lf_before_blank_fold_line_is_refused_however_split() {
    for head in [
        &b"HTTP/1.1 200 OK\r\nX: a\n \r\nContent-Length: 0\r\n\r\n"[..],
        b"HTTP/1.1 200 OK\r\nX: a\n\t\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: a\n b\r\nContent-Length: 0\r\n\r\n",
    ] {
        for piece in [head.len(), 7, 1] {
            let e = client_reads(head, piece).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Malformed, "piece {piece}: {e:?}");
        }
    }
}

/// The same in a response's trailer section (refused whole and in pieces).
#[test]
fn bare_lf_in_trailer_fold_is_refused_however_split() {
    for input in [
        &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: a\n \r\n\r\n"[..],
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: a\n b\r\n\r\n",
    ] {
        for piece in [input.len(), 5, 1] {
            let e = client_reads(input, piece).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Malformed, "piece {piece}: {e:?}");
        }
    }
}

/// Control: a CRLF obs-fold in a response is unfolded, however split.
#[test]
fn crlf_obs_fold_in_response_is_unfolded_however_split() {
    let head = b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n";
    for piece in [head.len(), 7, 1] {
        let events = client_reads(head, piece).unwrap();
        let Event::Response(res) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(res.headers().get("x"), Some(&b"a   b"[..]), "piece {piece}");
    }
}

/// Found by `tests/model.rs` (h11's rule: when a client is Done with both a switch
/// proposal pending and keep-alive off, the proposal wins: MightSwitchProtocol, not
/// MustClose). An HTTP/1.0 CONNECT (keep-alive is off in 1.0) that the server accepts
/// must turn the connection into a tunnel: the bytes that follow are handed back with
/// `take_trailing_data`, not refused as "bytes after the last request".
#[test]
fn http10_connect_accepted_becomes_a_tunnel() {
    use h1::{Response, State};
    let mut server = Connection::new(Role::Server);
    server
        .receive(b"CONNECT example.com:443 HTTP/1.0\r\n\r\n")
        .unwrap();
    assert!(matches!(server.next_event(), Ok(Event::Request(_))));
    assert!(matches!(server.next_event(), Ok(Event::EndOfMessage(_))));
    assert_eq!(server.their_state(), State::MightSwitchProtocol);
    let _ = server.send_response(&Response::new(200).unwrap()).unwrap();
    assert_eq!(server.our_state(), State::SwitchedProtocol);
    assert_eq!(server.their_state(), State::SwitchedProtocol);
    server.receive(b"\x16\x03\x01tls").unwrap();
    assert_eq!(server.next_event(), Ok(Event::Paused));
    assert_eq!(
        &server.take_trailing_data().unwrap()[..],
        b"\x16\x03\x01tls"
    );
}

/// The client side of the same: a CONNECT sent with `Connection: close`, answered 200.
#[test]
fn connect_with_close_accepted_becomes_a_tunnel() {
    use h1::State;
    let mut client = Connection::new(Role::Client);
    let req = Request::new("CONNECT", "example.com:443")
        .unwrap()
        .with_header("Host", "example.com:443")
        .unwrap()
        .with_header("Connection", "close")
        .unwrap();
    let _ = client.send_request(&req).unwrap();
    let _ = client.send_end().unwrap();
    assert_eq!(client.our_state(), State::MightSwitchProtocol);
    client
        .receive(b"HTTP/1.1 200 Connection Established\r\n\r\ntunnel")
        .unwrap();
    assert!(matches!(client.next_event(), Ok(Event::Response(_))));
    assert_eq!(client.next_event(), Ok(Event::Paused));
    assert_eq!(client.our_state(), State::SwitchedProtocol);
    assert_eq!(&client.take_trailing_data().unwrap()[..], b"tunnel");
}
