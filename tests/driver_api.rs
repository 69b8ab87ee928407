//! What a driver needs from the connection besides events: writing `Output`s as a
//! `bytes::Buf`, reading through a lent window (a slice or a `bytes::BufMut`), retry safety, the body mode's timing, the
//! framing of the message in and the response out, whose turn it is, and aborting a send.

mod common;

use h1::{BodyMode, Buf, Connection, ErrorKind, Event, Framing, Request, Response, Role, State};

fn get(target: &str) -> Request {
    Request::new("GET", target)
        .unwrap()
        .with_header("Host", "a")
        .unwrap()
}

/// A server that received `raw` (a whole request) up to its head.
fn server_after(raw: &[u8]) -> Connection {
    let mut server = Connection::new(Role::Server);
    server.receive(raw).unwrap();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    server
}

#[test]
fn chained_outputs_write_head_and_body_in_one_vectored_call() {
    let mut server = server_after(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    let res = Response::new(200).unwrap();
    let mut all = server
        .send_response(&res)
        .unwrap()
        .chain(server.send_data("hi".into()).unwrap())
        .chain(server.send_end().unwrap());
    let mut slices = [std::io::IoSlice::new(&[]); 16];
    let n = all.chunks_vectored(&mut slices);
    // head, chunk-size line, data, CRLF, last chunk
    assert_eq!(n, 5);
    let wire: Vec<u8> = slices[..n].iter().flat_map(|s| s.to_vec()).collect();
    assert_eq!(
        wire,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
    );
    all.advance(wire.len() - 3);
    assert_eq!(all.remaining(), 3);
    assert_eq!(all.chunk(), b"\n\r\n");
}

#[test]
fn read_with_hands_back_the_closures_value_and_keeps_only_what_was_filled() {
    let mut server = Connection::new(Role::Server);
    // Nothing filled (a pending poll): nothing received, no end of stream.
    let pending: Option<()> = server.read_with(|window| {
        assert!(window.len() >= server_read_size());
        (0, None)
    });
    assert_eq!(pending, None);
    assert_eq!(server.buffered(), 0);
    assert_eq!(server.next_event().unwrap(), Event::NeedData);

    let raw = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    let got = server.read_with(|window| {
        window[..raw.len()].copy_from_slice(raw);
        (raw.len(), "mine")
    });
    assert_eq!(got, "mine");
    assert_eq!(server.buffered(), raw.len());
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));

    // More than the window is taken as the whole window.
    let mut server = Connection::new(Role::Server);
    let window = server.read_with(|w| (usize::MAX, w.len()));
    assert_eq!(server.buffered(), window);
}

#[test]
fn read_buf_lends_the_window_as_a_bufmut_and_keeps_what_was_written() {
    use bytes::BufMut;
    let mut server = Connection::new(Role::Server);
    // Nothing written (a pending poll): nothing received, no end of stream.
    let offered = server.read_buf(|window| window.remaining_mut());
    assert_eq!(offered, server_read_size());
    assert_eq!(server.buffered(), 0);
    assert_eq!(server.next_event().unwrap(), Event::NeedData);

    // A request in two writes, the second across two calls; then a pipelined one.
    let raw = b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n";
    server.read_buf(|window| window.put_slice(&raw[..10]));
    assert_eq!(server.next_event().unwrap(), Event::NeedData);
    let got = server.read_buf(|window| {
        window.put_slice(&raw[10..20]);
        window.put_slice(&raw[20..]);
        "mine"
    });
    assert_eq!(got, "mine");
    assert_eq!(server.buffered(), raw.len());
    let Event::Request(a) = server.next_event().unwrap() else {
        panic!("a request")
    };
    assert_eq!(a.target(), "/a");
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    let _ = server.send_response(&Response::new(204).unwrap()).unwrap();
    let _ = server.send_end().unwrap();
    server.start_next_cycle().unwrap();
    let Event::Request(b) = server.next_event().unwrap() else {
        panic!("a request")
    };
    assert_eq!(b.target(), "/b");

    // The window holds at most `read_size` bytes, however much the buffer could take.
    let mut buffers = h1::Buffers::default();
    buffers.read_size = 100;
    let mut server = Connection::new(Role::Server).with_buffers(buffers);
    let room = server.read_buf(|window| {
        let room = window.remaining_mut();
        window.put_bytes(b'x', room);
        room
    });
    assert_eq!(room, 100);
    assert_eq!(server.buffered(), 100);
}

fn server_read_size() -> usize {
    h1::Buffers::default().read_size
}

#[test]
fn only_a_close_before_any_response_byte_is_retry_safe() {
    let sent = || {
        let mut client = Connection::new(Role::Client);
        let _ = client.send_request(&get("/")).unwrap();
        let _ = client.send_end().unwrap();
        client
    };
    let mut client = sent();
    client.receive_eof();
    let e = client.next_event().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Incomplete);
    assert!(e.is_retry_safe());
    // The error is sticky, and stays retry safe.
    assert!(client.next_event().unwrap_err().is_retry_safe());

    for partial in [
        &b"H"[..],
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    ] {
        let mut client = sent();
        client.receive(partial).unwrap();
        client.receive_eof();
        let e = loop {
            match client.next_event() {
                Ok(Event::NeedData) => panic!("NeedData after EOF"),
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert_eq!(e.kind(), ErrorKind::Incomplete, "{partial:?}");
        assert!(!e.is_retry_safe(), "{partial:?}");
    }
    // A server seeing a client close mid-request is not told to retry anything.
    let mut server = Connection::new(Role::Server);
    server.receive(b"GET / HT").unwrap();
    server.receive_eof();
    assert!(!server.next_event().unwrap_err().is_retry_safe());
}

#[test]
fn body_mode_is_refused_outside_a_body_being_received() {
    let mut server = Connection::new(Role::Server);
    let e = server.set_body_mode(BodyMode::Lines).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);
    assert_eq!(server.body_mode(), BodyMode::default());

    server
        .receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nabGET")
        .unwrap();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    server.set_body_mode(BodyMode::Data { max: 1 }).unwrap();
    assert_eq!(server.next_event().unwrap(), Event::Data("a".into()));
    assert_eq!(server.next_event().unwrap(), Event::Data("b".into()));
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    // After the end, before the next head: nothing to deliver.
    let e = server.set_body_mode(BodyMode::Lines).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidState);

    // Client: a 1xx is not the head of the final response.
    let mut client = Connection::new(Role::Client);
    let _ = client.send_request(&get("/")).unwrap();
    let _ = client.send_end().unwrap();
    client
        .receive(b"HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    assert!(matches!(
        client.next_event().unwrap(),
        Event::Informational(_)
    ));
    assert_eq!(
        client.set_body_mode(BodyMode::Lines).unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    assert!(matches!(client.next_event().unwrap(), Event::Response(_)));
    client.set_body_mode(BodyMode::Lines).unwrap();
}

#[test]
fn incoming_framing_after_each_head() {
    let cases: [(&[u8], Option<Framing>); 4] = [
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Some(Framing::NoBody)),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            Some(Framing::Length(0)),
        ),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12345\r\n\r\n",
            Some(Framing::Length(12345)),
        ),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            Some(Framing::Chunked),
        ),
    ];
    for (raw, want) in cases {
        let mut server = Connection::new(Role::Server);
        assert_eq!(server.incoming_framing(), None);
        server.receive(raw).unwrap();
        assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
        assert_eq!(server.incoming_framing(), want);
    }

    let mut client = Connection::new(Role::Client);
    let _ = client.send_request(&get("/")).unwrap();
    let _ = client.send_end().unwrap();
    client.receive(b"HTTP/1.1 100 Continue\r\n\r\n").unwrap();
    assert!(matches!(
        client.next_event().unwrap(),
        Event::Informational(_)
    ));
    assert_eq!(client.incoming_framing(), None);
    client.receive(b"HTTP/1.1 200 OK\r\n\r\nall").unwrap();
    assert!(matches!(client.next_event().unwrap(), Event::Response(_)));
    assert_eq!(client.incoming_framing(), Some(Framing::UntilClose));
}

/// A request's raw bytes, a response's status and fields, the framing it gets.
type Case = (
    &'static [u8],
    u16,
    &'static [(&'static str, &'static str)],
    Framing,
);

#[test]
fn response_framing_is_what_send_response_does() {
    let head_10 = b"GET / HTTP/1.0\r\n\r\n";
    let cases: [Case; 8] = [
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            200,
            &[],
            Framing::Chunked,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            200,
            &[("Content-Length", "3")],
            Framing::Length(3),
        ),
        (head_10, 200, &[], Framing::UntilClose),
        (
            head_10,
            200,
            &[("Transfer-Encoding", "chunked")],
            Framing::UntilClose,
        ),
        (
            b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n",
            200,
            &[],
            Framing::NoBody,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            204,
            &[],
            Framing::NoBody,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            103,
            &[],
            Framing::NoBody,
        ),
        (
            b"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n",
            200,
            &[],
            Framing::NoBody,
        ),
    ];
    for (raw, status, fields, want) in cases {
        let mut server = server_after(raw);
        assert!(matches!(
            server.next_event().unwrap(),
            Event::EndOfMessage(_)
        ));
        let mut res = Response::new(status).unwrap();
        for (n, v) in fields {
            res.headers_mut().append(n, v).unwrap();
        }
        assert_eq!(
            server.response_framing(&res).unwrap(),
            want,
            "{status} {fields:?}"
        );
        assert_eq!(
            server.response_has_body(status),
            want != Framing::NoBody,
            "{status}"
        );
        // The query changed nothing; sending gives what it said.
        let out = server.send_response(&res).unwrap();
        let wire = String::from_utf8(out.to_vec()).unwrap();
        match want {
            Framing::Chunked => assert!(wire.contains("Transfer-Encoding: chunked")),
            Framing::UntilClose => {
                assert!(!wire.contains("Transfer-Encoding"));
                assert!(!server.is_keep_alive());
            }
            Framing::NoBody if status >= 200 && !raw.starts_with(b"CONNECT") => {
                let e = server.send_data("x".into()).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidInput);
            }
            _ => {}
        }
    }
    // The same refusals as send_response.
    let server = server_after(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    let bad = Response::new(204)
        .unwrap()
        .with_header("Content-Length", "1")
        .unwrap();
    assert_eq!(
        server.response_framing(&bad).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let client = Connection::new(Role::Client);
    assert_eq!(
        client
            .response_framing(&Response::new(200).unwrap())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidState
    );
}

#[test]
fn response_due_once_the_request_is_whole_until_the_response_is_done() {
    let mut server = Connection::new(Role::Server);
    assert!(!server.response_due());
    server
        .receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n")
        .unwrap();
    assert!(matches!(server.next_event().unwrap(), Event::Request(_)));
    assert_eq!(server.next_event().unwrap(), Event::NeedData);
    assert!(!server.response_due(), "the body is still to come: read");
    server.receive(b"x").unwrap();
    assert_eq!(server.next_event().unwrap(), Event::Data("x".into()));
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    assert_eq!(server.next_event().unwrap(), Event::NeedData);
    assert!(
        server.response_due(),
        "NeedData, but the client waits for us"
    );
    let _ = server.send_response(&Response::new(200).unwrap()).unwrap();
    assert!(server.response_due());
    let _ = server.send_end().unwrap();
    assert!(!server.response_due());

    let mut client = Connection::new(Role::Client);
    let _ = client.send_request(&get("/")).unwrap();
    let _ = client.send_end().unwrap();
    assert!(!client.response_due());
}

#[test]
fn abort_send_stops_an_upload_and_the_response_is_still_read() {
    let mut p = common::Pair::new();
    let req = Request::new("PUT", "/big")
        .unwrap()
        .with_header("Host", "a")
        .unwrap()
        .with_header("Content-Length", "100")
        .unwrap();
    p.client_sends(|c| c.send_request(&req));
    p.client_sends(|c| c.send_data(vec![b'x'; 10].into()));
    let ev = p.server_events();
    assert!(matches!(ev[0], Event::Request(_)));
    assert_eq!(p.server.incoming_framing(), Some(Framing::Length(100)));
    let res = Response::new(413)
        .unwrap()
        .with_header("Connection", "close")
        .unwrap()
        .with_header("Content-Length", "4")
        .unwrap();
    p.server_sends(|s| s.send_response(&res));
    p.server_sends(|s| s.send_data("full".into()));
    p.server_sends(|s| s.send_end());

    // The client stops sending: nothing more is written, later sends are refused.
    p.client.abort_send();
    assert_eq!(p.client.our_state(), State::MustClose);
    assert_eq!(
        p.client.send_data("y".into()).unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    assert_eq!(
        p.client.send_end().unwrap_err().kind(),
        ErrorKind::InvalidState
    );
    let ev = p.client_events();
    assert!(matches!(&ev[0], Event::Response(r) if r.status() == 413));
    assert_eq!(ev[1], Event::Data("full".into()));
    assert!(matches!(ev[2], Event::EndOfMessage(_)));
    assert_eq!(p.client.their_state(), State::MustClose);
    assert!(!p.client.is_keep_alive());
    p.client.send_close().unwrap();
    assert_eq!(p.client.our_state(), State::Closed);
    assert!(p.client.start_next_cycle().is_err());

    // Between messages it only marks the connection to close.
    let mut idle = Connection::new(Role::Client);
    idle.abort_send();
    assert_eq!(idle.our_state(), State::MustClose);
    assert!(idle.send_request(&get("/")).is_err());
}

#[test]
fn abort_send_on_a_server_mid_body() {
    let mut server = server_after(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    assert!(matches!(
        server.next_event().unwrap(),
        Event::EndOfMessage(_)
    ));
    let res = Response::new(200)
        .unwrap()
        .with_header("Content-Length", "10")
        .unwrap();
    let _ = server.send_response(&res).unwrap();
    let _ = server.send_data("abc".into()).unwrap();
    server.abort_send();
    assert_eq!(server.our_state(), State::MustClose);
    assert!(!server.response_due());
    assert!(server.start_next_cycle().is_err());
    server.send_close().unwrap();
}

#[test]
fn read_window_follows_buffers_and_still_the_deprecated_limit() {
    let mut buffers = h1::Buffers::default();
    buffers.read_size = 100;
    let mut server = Connection::new(Role::Server).with_buffers(buffers);
    assert_eq!(server.read_with(|w| (0, w.len())), 100);

    // The migration path: `Limits::read_size` still sets the window of `with_limits`,
    // and `with_buffers` after it wins.
    let mut limits = h1::Limits::default();
    #[allow(deprecated)]
    {
        limits.read_size = 200;
    }
    let mut server = Connection::with_limits(Role::Server, limits.clone());
    assert_eq!(server.buffers().read_size, 200);
    assert_eq!(server.read_with(|w| (0, w.len())), 200);
    let mut server =
        Connection::with_limits(Role::Server, limits).with_buffers(h1::Buffers::default());
    assert_eq!(server.read_with(|w| (0, w.len())), server_read_size());
}

/// A request, the response status and the response's fields.
type Answer = (&'static [u8], u16, &'static [(&'static str, &'static str)]);

/// A length given apart from the head is written and obeyed as the head's own
/// `Content-Length` field would be, and refused where that field would be.
#[test]
fn a_length_given_apart_is_the_heads_own_content_length() {
    let cases: [Answer; 6] = [
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 200, &[]),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            404,
            &[("Content-Type", "text/plain")],
        ),
        (b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", 200, &[]),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 304, &[]),
        (
            b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            200,
            &[],
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            200,
            &[],
        ),
    ];
    for (raw, status, fields) in cases {
        let mut res = Response::new(status).unwrap();
        for (n, v) in fields {
            res.headers_mut().append(n, v).unwrap();
        }
        let with_field = res.clone().with_header("Content-Length", "5").unwrap();
        let mut by_field = server_after(raw);
        let mut apart = server_after(raw);
        for server in [&mut by_field, &mut apart] {
            assert!(matches!(
                server.next_event().unwrap(),
                Event::EndOfMessage(_)
            ));
        }
        let want = by_field.send_response(&with_field).unwrap().to_vec();
        let got = apart.send_response_with_length(&res, 5).unwrap().to_vec();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
        let mut outcomes = Vec::new();
        for server in [&mut by_field, &mut apart] {
            let body = server.send_data("hello".into()).map(|o| o.to_vec());
            let more = server.send_data("!".into()).map(|o| o.to_vec());
            let end = server.send_end().map(|o| o.to_vec());
            outcomes.push(format!(
                "{body:?} {more:?} {end:?} {:?}",
                server.our_state()
            ));
        }
        assert_eq!(outcomes[0], outcomes[1]);
        let sends_body = !(raw.starts_with(b"HEAD") || status == 304);
        assert_eq!(
            outcomes[1].starts_with("Ok([104, 101"),
            sends_body,
            "{}",
            outcomes[1]
        );
        assert_eq!(apart.is_keep_alive(), by_field.is_keep_alive());

        // The whole response from one call: what the three calls send, and where they leave
        // the connection.
        let mut three = server_after(raw);
        let mut one = server_after(raw);
        for server in [&mut three, &mut one] {
            assert!(matches!(
                server.next_event().unwrap(),
                Event::EndOfMessage(_)
            ));
        }
        let mut want = three.send_response_with_length(&res, 5).unwrap().to_vec();
        if three.response_has_body(status) {
            want.extend(three.send_data("hello".into()).unwrap().to_vec());
        }
        want.extend(three.send_end().unwrap().to_vec());
        let got = one.send_response_with_body(&res, "hello".into()).unwrap();
        assert_eq!(
            String::from_utf8(got.to_vec()).unwrap(),
            String::from_utf8(want).unwrap()
        );
        assert_eq!(one.our_state(), three.our_state());
        assert_eq!(one.is_keep_alive(), three.is_keep_alive());
    }

    // Refused where the field would be, and beside the head's own framing; nothing changes.
    let refusals: [(&[u8], Response); 5] = [
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Response::new(204).unwrap(),
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Response::new(103).unwrap(),
        ),
        (
            b"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n",
            Response::new(200).unwrap(),
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Response::new(200)
                .unwrap()
                .with_header("Content-Length", "5")
                .unwrap(),
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Response::new(200)
                .unwrap()
                .with_header("Transfer-Encoding", "chunked")
                .unwrap(),
        ),
    ];
    for (raw, res) in refusals {
        let mut server = server_after(raw);
        let _ = server.next_event().unwrap();
        let e = server.send_response_with_length(&res, 5).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", res.status());
        assert_eq!(server.our_state(), State::SendResponse);
        let e = server
            .send_response_with_body(&res, "hello".into())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", res.status());
        assert_eq!(server.our_state(), State::SendResponse);
        let out = server.send_response(&Response::new(200).unwrap()).unwrap();
        assert!(out.to_vec().starts_with(b"HTTP/1.1 200 OK\r\n"));
    }
}
