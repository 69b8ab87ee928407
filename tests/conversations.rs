//! Whole conversations between a client and a server `Connection`, in memory.

mod common;

use common::*;
use h1::{BodyMode, ErrorKind, Event, Headers, State};

#[test]
fn keep_alive_two_cycles_content_length_and_chunked() {
    let mut p = Pair::new();
    for (i, te) in [false, true].into_iter().enumerate() {
        p.client_sends(|c| c.send_request(&get("/a")));
        p.client_sends(|c| c.send_end());
        let ev = p.server_events();
        assert!(
            matches!(&ev[0], Event::Request(r) if r.target() == "/a"),
            "{ev:?}"
        );
        assert!(matches!(ev[1], Event::EndOfMessage(_)));
        let res = if te {
            response(200, &[])
        } else {
            response(200, &[("Content-Length", "5")])
        };
        p.server_sends(|s| s.send_response(&res));
        p.server_sends(|s| s.send_data(bytes("hel")));
        p.server_sends(|s| s.send_data(bytes("lo")));
        p.server_sends(|s| s.send_end());
        let wire = String::from_utf8(p.to_client.clone()).unwrap();
        assert_eq!(wire.contains("Transfer-Encoding: chunked"), te, "{wire}");
        let ev = p.client_events();
        assert!(matches!(&ev[0], Event::Response(r) if r.status() == 200));
        assert_eq!(body_of(&ev), b"hello", "cycle {i}");
        assert_eq!(
            (p.client.our_state(), p.client.their_state()),
            (State::Done, State::Done)
        );
        p.client.start_next_cycle().unwrap();
        p.server.start_next_cycle().unwrap();
    }
}

#[test]
fn pipelining_pauses_until_response_done() {
    let mut p = Pair::new();
    p.to_server.extend_from_slice(
        b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
    );
    let mut seen = Vec::new();
    let mut ev = p.server_events();
    for _ in 0..3 {
        match &ev[0] {
            Event::Request(r) => seen.push(r.target().to_string()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(ev[1], Event::EndOfMessage(_)));
        let last = seen.len() == 3;
        assert_eq!(ev[2], if last { Event::NeedData } else { Event::Paused });
        // Still paused until our response is complete.
        if !last {
            assert_eq!(p.server.next_event().unwrap(), Event::Paused);
        }
        let _ = p.server.send_response(&response(204, &[])).unwrap();
        let _ = p.server.send_end().unwrap();
        p.server.start_next_cycle().unwrap();
        ev = common::drain(&mut p.server);
    }
    assert_eq!(seen, ["/1", "/2", "/3"]);
}

/// A server answering many requests writes the same head each time it is the same
/// response, and exactly the head each response needs when anything in it changes: a
/// field's value, the length given apart, or a field the connection adds.
#[test]
fn repeated_and_changed_response_heads() {
    let mut server = h1::Connection::new(h1::Role::Server);
    let ok = |v: &str| response(200, &[("Content-Type", v)]);
    let cases: [(&[u8], h1::Response, Option<u64>, &str); 5] = [
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", ok("text/plain"), Some(2),
         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n"),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", ok("text/plain"), Some(2),
         "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n"),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", ok("text/plaiN"), Some(2),
         "HTTP/1.1 200 OK\r\nContent-Type: text/plaiN\r\nContent-Length: 2\r\n\r\n"),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", ok("text/plaiN"), Some(3),
         "HTTP/1.1 200 OK\r\nContent-Type: text/plaiN\r\nContent-Length: 3\r\n\r\n"),
        (b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", ok("text/plaiN"), Some(3),
         "HTTP/1.1 200 OK\r\nContent-Type: text/plaiN\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"),
    ];
    for (i, (request, res, length, want)) in cases.into_iter().enumerate() {
        if i > 0 {
            server.start_next_cycle().unwrap();
        }
        server.receive(request).unwrap();
        assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
        assert!(matches!(
            server.next_event().unwrap(),
            Event::EndOfMessage(_)
        ));
        let head = server
            .send_response_with_length(&res, length.unwrap())
            .unwrap()
            .to_vec();
        assert_eq!(String::from_utf8(head).unwrap(), want, "response {i}");
        let _ = server
            .send_data(h1::Bytes::from("x".repeat(length.unwrap() as usize)))
            .unwrap();
        let _ = server.send_end().unwrap();
    }
}

#[test]
fn expect_100_continue() {
    let mut p = Pair::new();
    let req = request(
        "PUT",
        "/up",
        &[("Content-Length", "4"), ("Expect", "100-continue")],
    );
    p.client_sends(|c| c.send_request(&req));
    assert!(p.client.client_is_waiting_for_100_continue());
    let ev = p.server_events();
    assert!(matches!(ev[0], Event::Request(_)));
    assert_eq!(ev[1], Event::NeedData);
    assert!(p.server.client_is_waiting_for_100_continue());
    p.server_sends(|s| s.send_response(&response(100, &[])));
    assert!(!p.server.client_is_waiting_for_100_continue());
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Informational(r) if r.status() == 100));
    assert!(!p.client.client_is_waiting_for_100_continue());
    p.client_sends(|c| c.send_data(bytes("data")));
    p.client_sends(|c| c.send_end());
    let ev = p.server_events();
    assert_eq!(body_of(&ev), b"data");
}

/// A client that stops waiting and sends its body: the first body byte ends the wait on
/// both sides; the server then reads the body without answering 100 first.
#[test]
fn expect_100_continue_ended_by_the_body() {
    let mut p = Pair::new();
    let req = request(
        "PUT",
        "/up",
        &[("Content-Length", "4"), ("Expect", "100-continue")],
    );
    p.client_sends(|c| c.send_request(&req));
    assert!(p.client.client_is_waiting_for_100_continue());
    // An empty piece writes nothing: the client still waits.
    p.client_sends(|c| c.send_data(bytes("")));
    assert!(p.client.client_is_waiting_for_100_continue());
    p.client_sends(|c| c.send_data(bytes("da")));
    assert!(!p.client.client_is_waiting_for_100_continue());
    p.client_sends(|c| c.send_data(bytes("ta")));
    p.client_sends(|c| c.send_end());
    let ev = p.server_events();
    assert!(matches!(ev[0], Event::Request(_)));
    assert!(!p.server.client_is_waiting_for_100_continue());
    assert_eq!(body_of(&ev), b"data");
}

/// Only the `100-continue` expectation makes a client wait; other Expect values and
/// requests without the field never do, on either side.
#[test]
fn other_expectations_do_not_wait() {
    for fields in [
        &[("Content-Length", "4"), ("Expect", "something-else")][..],
        &[("Content-Length", "4")],
    ] {
        let mut p = Pair::new();
        p.client_sends(|c| c.send_request(&request("PUT", "/up", fields)));
        assert!(!p.client.client_is_waiting_for_100_continue(), "{fields:?}");
        let ev = p.server_events();
        assert!(matches!(ev[0], Event::Request(_)));
        assert!(!p.server.client_is_waiting_for_100_continue(), "{fields:?}");
    }
}

#[test]
fn expect_100_continue_refused_with_final_response() {
    let mut p = Pair::new();
    let req = request(
        "PUT",
        "/up",
        &[("Content-Length", "4"), ("Expect", "100-continue")],
    );
    p.client_sends(|c| c.send_request(&req));
    p.server_events();
    p.server_sends(|s| {
        s.send_response(&response(
            417,
            &[("Content-Length", "0"), ("Connection", "close")],
        ))
    });
    p.server_sends(|s| s.send_end());
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Response(r) if r.status() == 417));
    assert!(matches!(ev[1], Event::EndOfMessage(_)));
    assert!(!p.client.client_is_waiting_for_100_continue());
    assert_eq!(p.client.their_state(), State::MustClose);
    assert!(!p.client.is_keep_alive());
}

#[test]
fn upgrade_hands_back_trailing_bytes() {
    let mut p = Pair::new();
    let req = request(
        "GET",
        "/ws",
        &[("Connection", "Upgrade"), ("Upgrade", "websocket")],
    );
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_end());
    p.to_server.extend_from_slice(b"\x81\x05hello");
    let ev = p.server_events();
    assert!(matches!(ev[1], Event::EndOfMessage(_)));
    assert_eq!(ev[2], Event::Paused);
    assert_eq!(p.server.their_state(), State::MightSwitchProtocol);
    let res = response(101, &[("Connection", "Upgrade"), ("Upgrade", "websocket")]);
    p.server_sends(|s| s.send_response(&res));
    assert_eq!(p.server.our_state(), State::SwitchedProtocol);
    assert_eq!(
        &p.server.take_trailing_data().unwrap()[..],
        b"\x81\x05hello"
    );

    p.to_client.extend_from_slice(b"\x81\x02hi");
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Informational(r) if r.status() == 101));
    assert_eq!(ev[1], Event::Paused);
    assert_eq!(p.client.our_state(), State::SwitchedProtocol);
    assert_eq!(&p.client.take_trailing_data().unwrap()[..], b"\x81\x02hi");
}

#[test]
fn upgrade_refused_continues_as_http() {
    let mut p = Pair::new();
    let req = request("GET", "/", &[("Upgrade", "h2c"), ("Connection", "Upgrade")]);
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[("Content-Length", "2")])));
    p.server_sends(|s| s.send_data(bytes("ok")));
    p.server_sends(|s| s.send_end());
    assert_eq!(p.server.their_state(), State::Done);
    let ev = p.client_events();
    assert_eq!(body_of(&ev), b"ok");
    p.client.start_next_cycle().unwrap();
    p.server.start_next_cycle().unwrap();
}

#[test]
fn connect_tunnel() {
    let mut p = Pair::new();
    let req = request("CONNECT", "example.com:443", &[]);
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_end());
    p.to_server.extend_from_slice(b"\x16\x03\x01");
    let ev = p.server_events();
    assert_eq!(ev[2], Event::Paused);
    p.server_sends(|s| s.send_response(&response(200, &[])));
    assert_eq!(p.server.our_state(), State::SwitchedProtocol);
    assert_eq!(&p.server.take_trailing_data().unwrap()[..], b"\x16\x03\x01");
    let wire = String::from_utf8(p.to_client.clone()).unwrap();
    assert_eq!(wire, "HTTP/1.1 200 OK\r\n\r\n");
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Response(r) if r.status() == 200));
    assert_eq!(ev[1], Event::Paused);
    assert_eq!(p.client.their_state(), State::SwitchedProtocol);
}

#[test]
fn head_response_has_no_body() {
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&request("HEAD", "/", &[])));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[("Content-Length", "1000")])));
    assert_eq!(
        p.server.send_data(bytes("x")).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    p.server_sends(|s| s.send_end());
    let ev = p.client_events();
    assert!(
        matches!(&ev[0], Event::Response(r) if r.headers().get("content-length") == Some(b"1000"))
    );
    assert!(matches!(ev[1], Event::EndOfMessage(_)));
    assert_eq!(ev[2], Event::NeedData);
}

#[test]
fn chunked_with_trailers() {
    let mut p = Pair::new();
    let req = request("POST", "/", &[("Transfer-Encoding", "chunked")]);
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_data(bytes("abc")));
    p.client_sends(|c| c.send_data(bytes("")));
    p.client_sends(|c| c.send_data(bytes("def")));
    let mut t = Headers::new();
    t.append("Digest", "sha-256=x").unwrap();
    p.client_sends(|c| c.send_end_with_trailers(&t));
    let ev = p.server_events();
    assert_eq!(body_of(&ev), b"abcdef");
    assert_eq!(trailers_of(&ev).unwrap(), t);
}

#[test]
fn close_delimited_response() {
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&get("/")));
    p.client_sends(|c| c.send_end());
    p.to_client
        .extend_from_slice(b"HTTP/1.1 200 OK\r\n\r\nall the rest");
    let ev = p.client_events();
    assert_eq!(body_of(&ev), b"all the rest");
    assert_eq!(ev.last(), Some(&Event::NeedData));
    p.client.receive_eof();
    let ev = common::drain(&mut p.client);
    assert!(matches!(ev[0], Event::EndOfMessage(_)));
    assert_eq!(ev[1], Event::ConnectionClosed);
    assert_eq!(p.client.their_state(), State::Closed);
    assert_eq!(p.client.our_state(), State::MustClose);
}

#[test]
fn http10_client_gets_close_delimited_or_keep_alive() {
    // Without keep-alive: body delimited by close, Connection: close added.
    let mut p = Pair::new();
    p.to_server.extend_from_slice(b"GET / HTTP/1.0\r\n\r\n");
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[])));
    p.server_sends(|s| s.send_data(bytes("x")));
    p.server_sends(|s| s.send_end());
    assert_eq!(
        p.to_client,
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nx"
    );
    assert_eq!(p.server.our_state(), State::MustClose);

    // Asked for keep-alive, with a length: kept alive and said so.
    let mut p = Pair::new();
    p.to_server
        .extend_from_slice(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[("Content-Length", "1")])));
    p.server_sends(|s| s.send_data(bytes("x")));
    p.server_sends(|s| s.send_end());
    assert_eq!(
        p.to_client,
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx"
    );
    p.server.start_next_cycle().unwrap();

    // Asked for keep-alive but no length: chunked is never sent to 1.0, so close.
    let mut p = Pair::new();
    p.to_server
        .extend_from_slice(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[("Transfer-Encoding", "chunked")])));
    assert_eq!(p.to_client, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
}

#[test]
fn bad_request_can_still_be_answered() {
    let mut p = Pair::new();
    p.to_server.extend_from_slice(
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    );
    p.server.receive(&std::mem::take(&mut p.to_server)).unwrap();
    let err = p.server.next_event().unwrap_err();
    assert_eq!(err.status_hint(), Some(400));
    assert_eq!(p.server.next_event().unwrap_err(), err, "errors are sticky");
    assert_eq!(p.server.their_state(), State::Error);
    let res = response(err.status_hint().unwrap(), &[("Content-Length", "0")]);
    let out = p.server.send_response(&res).unwrap();
    assert!(out.to_vec().ends_with(b"Connection: close\r\n\r\n"));
    let _ = p.server.send_end().unwrap();
    assert_eq!(p.server.our_state(), State::MustClose);
}

#[test]
fn local_errors_change_nothing() {
    let mut p = Pair::new();
    assert_eq!(
        p.client.send_data(bytes("x")).unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    assert_eq!(
        p.client.send_end().unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    let no_host = h1::Request::new("GET", "/").unwrap();
    assert_eq!(
        p.client.send_request(&no_host).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(p.client.our_state(), State::Idle);
    let req = request("POST", "/", &[("Content-Length", "3")]);
    p.client_sends(|c| c.send_request(&req));
    assert!(p.client.send_data(bytes("toolong")).is_err());
    assert!(p.client.send_end().is_err());
    p.client_sends(|c| c.send_data(bytes("abc")));
    p.client_sends(|c| c.send_end());
    let ev = p.server_events();
    assert_eq!(body_of(&ev), b"abc");
    assert!(p.server.send_request(&get("/")).is_err());
    assert!(p.client.send_response(&response(200, &[])).is_err());
}

#[test]
fn lines_mode_ndjson_stream() {
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&get("/events")));
    p.client_sends(|c| c.send_end());
    p.server_events();
    p.server_sends(|s| s.send_response(&response(200, &[])));
    for piece in ["{\"a\":1}\r", "\n{\"b\"", ":2}\n\n", "{\"c\":3}"] {
        p.server_sends(|s| s.send_data(bytes(piece)));
    }
    p.server_sends(|s| s.send_end());
    let bytes = std::mem::take(&mut p.to_client);
    p.client.receive(&bytes).unwrap();
    assert!(matches!(p.client.next_event().unwrap(), Event::Response(_)));
    p.client.set_body_mode(BodyMode::Lines).unwrap();
    let ev = common::drain(&mut p.client);
    let lines: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            Event::LineComplete(l) => Some(std::str::from_utf8(l).unwrap().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(lines, ["{\"a\":1}", "{\"b\":2}", "", "{\"c\":3}"]);
    assert!(matches!(ev[ev.len() - 2], Event::EndOfMessage(_)));
}

#[test]
fn receive_after_eof_is_local_error() {
    let mut p = Pair::new();
    p.server.receive_eof();
    assert_eq!(
        p.server.receive(b"x").unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    assert_eq!(p.server.next_event().unwrap(), Event::ConnectionClosed);
    assert_eq!(p.server.next_event().unwrap(), Event::ConnectionClosed);
}

#[test]
fn buffer_release_between_cycles_keeps_pipelined_bytes() {
    // start_next_cycle gives back an empty receive buffer; here it is not empty (a
    // pipelined request follows a large head), and those bytes must survive.
    let mut p = Pair::new();
    let big = "x".repeat(20_000);
    let req = request("GET", "/", &[("X-Big", big.as_str())]);
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_end());
    p.to_server
        .extend_from_slice(b"GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    let ev = p.server_events();
    assert_eq!(ev[2], Event::Paused);
    p.server_sends(|s| s.send_response(&response(204, &[])));
    p.server_sends(|s| s.send_end());
    p.server.start_next_cycle().unwrap();
    assert_eq!(p.server.buffered(), 31, "the pipelined request is kept");
    let ev = common::drain(&mut p.server);
    assert!(matches!(&ev[0], Event::Request(r) if r.target() == "/next"));
}

#[test]
fn no_body_statuses_when_sending() {
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&get("/cached")));
    p.client_sends(|c| c.send_end());
    p.server_events();
    // 204 with framing headers, and 304 with Transfer-Encoding: refused, nothing changes.
    let e = p
        .server
        .send_response(&response(204, &[("Content-Length", "0")]))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = p
        .server
        .send_response(&response(304, &[("Transfer-Encoding", "chunked")]))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(p.server.our_state(), State::SendResponse);
    // 304 keeps its Content-Length (the selected representation's) and sends no body.
    p.server_sends(|s| {
        s.send_response(&response(
            304,
            &[("Content-Length", "1234"), ("ETag", "\"v1\"")],
        ))
    });
    assert_eq!(
        p.server.send_data(bytes("x")).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    p.server_sends(|s| s.send_end());
    assert_eq!(
        p.to_client,
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: \"v1\"\r\n\r\n"
    );
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Response(r) if r.status() == 304));
    assert!(
        matches!(ev[1], Event::EndOfMessage(_)),
        "no body is read after a 304"
    );
    p.client.start_next_cycle().unwrap();
    p.server.start_next_cycle().unwrap();
}

#[test]
fn http10_request_expect_and_upgrade_are_ignored() {
    // RFC 9110 §10.1.1 and §7.8: a server ignores both in an HTTP/1.0 request.
    let mut p = Pair::new();
    p.to_server.extend_from_slice(
        b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nUpgrade: websocket\r\nConnection: Upgrade, keep-alive\r\nContent-Length: 2\r\n\r\nok",
    );
    let ev = p.server_events();
    assert!(matches!(&ev[0], Event::Request(_)));
    assert!(!p.server.client_is_waiting_for_100_continue());
    assert_eq!(body_of(&ev), b"ok");
    assert_eq!(
        p.server.their_state(),
        State::Done,
        "no switch was proposed"
    );
    let e = p
        .server
        .send_response(&response(101, &[("Upgrade", "websocket")]))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn framing_fields_cannot_be_sent_as_trailers() {
    let mut p = Pair::new();
    p.client_sends(|c| c.send_request(&request("POST", "/", &[("Transfer-Encoding", "chunked")])));
    p.client_sends(|c| c.send_data(bytes("x")));
    for name in ["Content-Length", "Transfer-Encoding", "Host", "Connection"] {
        let mut t = Headers::new();
        t.append(name, "1").unwrap();
        let e = p.client.send_end_with_trailers(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{name}");
    }
    assert_eq!(
        p.client.our_state(),
        State::SendBody,
        "a refused end changes nothing"
    );
    p.client_sends(|c| c.send_end());
    assert_eq!(p.client.our_state(), State::Done);
}

#[test]
fn no_1xx_to_an_http10_client() {
    // RFC 9110 §15.2: a server MUST NOT send a 1xx response to an HTTP/1.0 client.
    let mut p = Pair::new();
    p.to_server
        .extend_from_slice(b"POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\n");
    assert!(matches!(&p.server_events()[0], Event::Request(_)));
    for status in [100, 102, 103] {
        let e = p.server.send_response(&response(status, &[])).unwrap_err();
        assert!(e.is_local(), "{status}");
        assert!(e.message().contains("HTTP/1.0"), "{e}");
        assert_eq!(p.server.our_state(), State::SendResponse, "nothing changed");
    }
    // The final response is still due, and goes out as HTTP/1.0 wants it.
    p.server_sends(|s| s.send_response(&response(200, &[("Content-Length", "0")])));
    assert!(String::from_utf8_lossy(&p.to_client).starts_with("HTTP/1.1 200 OK\r\n"));
}

/// A server that got `head` answers it at once with a final status.
fn final_status_before_body(head: &[u8], send_continue: bool) -> (bool, String) {
    let mut p = Pair::new();
    p.to_server.extend_from_slice(head);
    assert!(matches!(&p.server_events()[0], Event::Request(_)));
    let waiting = p.server.client_is_waiting_for_100_continue();
    if send_continue {
        p.server_sends(|s| s.send_response(&response(100, &[])));
    }
    p.server_sends(|s| s.send_response(&response(413, &[("Content-Length", "0")])));
    p.server_sends(|s| s.send_end());
    let keep_alive = p.server.is_keep_alive();
    let wire = String::from_utf8(std::mem::take(&mut p.to_client)).unwrap();
    assert_eq!(
        wire.contains("\r\nConnection: close\r\n"),
        !keep_alive,
        "{wire}"
    );
    assert_eq!(
        p.server.our_state(),
        if keep_alive {
            State::Done
        } else {
            State::MustClose
        }
    );
    (waiting, wire)
}

#[test]
fn final_status_while_the_client_waits_for_100_continue_closes() {
    let expect = b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
    let (waiting, wire) = final_status_before_body(expect, false);
    assert!(waiting);
    assert!(wire.starts_with("HTTP/1.1 413 "), "{wire}");
    assert!(wire.contains("\r\nConnection: close\r\n"), "{wire}");

    // Once 100 Continue went out, the client sends its body: the connection is kept
    // (the server reads the body away before the next cycle).
    let (_, wire) = final_status_before_body(expect, true);
    assert!(!wire.contains("Connection: close"), "{wire}");

    // Only `100-continue` makes a client wait; an HTTP/1.0 request's is ignored, and so is
    // one on a request without a body.
    for head in [
        &b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\n"[..],
        b"PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n",
        b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
    ] {
        let (waiting, wire) = final_status_before_body(head, false);
        assert!(!waiting, "{}", String::from_utf8_lossy(head));
        assert!(!wire.contains("Connection: close"), "{wire}");
    }
    // Expect as a list with 100-continue in it: waits.
    let listed =
        b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: foo, 100-continue\r\nContent-Length: 5\r\n\r\n";
    assert!(final_status_before_body(listed, false).0);
}

#[test]
fn a_switch_waits_for_the_whole_request_body() {
    // The request body is HTTP; only the bytes after it are the new protocol.
    let mut p = Pair::new();
    p.to_server.extend_from_slice(
        b"POST / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 5\r\n\r\nhelloWSDATA",
    );
    p.server.receive(&std::mem::take(&mut p.to_server)).unwrap();
    assert!(matches!(p.server.next_event().unwrap(), Event::Request(_)));
    let switch = response(101, &[("Connection", "Upgrade"), ("Upgrade", "websocket")]);
    let e = p.server.send_response(&switch).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState, "{e}");
    assert_eq!(p.server.our_state(), State::SendResponse);
    assert_eq!(p.server.next_event().unwrap(), Event::Data(bytes("hello")));
    assert!(matches!(
        p.server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    p.server_sends(|s| s.send_response(&switch));
    assert_eq!(p.server.our_state(), State::SwitchedProtocol);
    assert_eq!(&p.server.take_trailing_data().unwrap()[..], b"WSDATA");

    // CONNECT: the same.
    let mut p = Pair::new();
    p.server
        .receive(b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 2\r\n\r\nhiTLS")
        .unwrap();
    assert!(matches!(p.server.next_event().unwrap(), Event::Request(_)));
    let e = p.server.send_response(&response(200, &[])).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState, "{e}");
    assert_eq!(p.server.next_event().unwrap(), Event::Data(bytes("hi")));
    assert!(matches!(
        p.server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    p.server_sends(|s| s.send_response(&response(200, &[])));
    assert_eq!(&p.server.take_trailing_data().unwrap()[..], b"TLS");
}

#[test]
fn no_trailing_data_without_a_switch() {
    let mut p = Pair::new();
    p.server
        .receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next")
        .unwrap();
    assert!(matches!(p.server.next_event().unwrap(), Event::Request(_)));
    let e = p.server.take_trailing_data().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert_eq!(p.server.buffered(), 9, "nothing taken");
    let mut client = client_after_get(h1::Limits::default());
    let e = client.take_trailing_data().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
}

#[test]
fn client_errors_carry_no_status() {
    // A client answers nothing: no status hint, and Display names none.
    for (input, eof) in [
        (&b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"[..], true),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            false,
        ),
        (b"HTTP/2.0 200 OK\r\n\r\n", false),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            false,
        ),
    ] {
        let mut client = client_after_get(h1::Limits::default());
        client.receive(input).unwrap();
        if eof {
            client.receive_eof();
        }
        let e = loop {
            match client.next_event() {
                Ok(Event::NeedData) => panic!("needs no more data"),
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(!e.is_local());
        assert_eq!(e.status_hint(), None, "{e:?}");
        assert!(!e.to_string().contains("answer"), "{e}");
        assert_eq!(client.next_event().unwrap_err(), e, "sticky");
    }
    // The same fault in the server role names the status.
    let mut server = Pair::new().server;
    server
        .receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab")
        .unwrap();
    server.receive_eof();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    let _ = server.next_event();
    let e = server.next_event().unwrap_err();
    assert_eq!(e.status_hint(), Some(400));
    assert!(e.to_string().ends_with("(answer 400)"), "{e}");
}
