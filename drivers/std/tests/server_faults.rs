//! The server against raw sockets: protocol errors, slow and idle clients, pipelining,
//! unread bodies, failing handlers and replies, the connection cap and graceful shutdown.
//! Every wait is bounded by a socket timeout.

mod support;

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use h1_std::server::{Reply, ServerConfig};
use support::shared::server_cases::{
    check_bodiless_answers, connection_cases, play, status_hint_cases, Case, BODILESS_REQUESTS,
};
use support::{connect, quick_config, read_exact, read_to_close, send, stop_within, TestServer};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The shared server cases: each protocol error answered with its status hint and a close.
#[test]
fn the_shared_status_hint_cases() {
    play_all(status_hint_cases());
}

/// The shared server cases: heads that stall or trickle (408, or a silent close), idle
/// connections, pipelining, HTTP/1.0, unread bodies.
#[test]
fn the_shared_connection_cases() {
    play_all(connection_cases());
}

fn play_all(cases: Vec<Case>) {
    for case in cases {
        let mut config = quick_config();
        (case.config)(&mut config);
        let server = TestServer::start(config);
        play(server.addr, &case);
        server.stop();
    }
}

#[test]
fn chunks_reach_the_client_as_they_are_produced() {
    // The second chunk is made only after the client has read the first: a server that
    // held chunks back would leave the client waiting (its read times out).
    let (read_first, first_was_read) = mpsc::channel::<()>();
    let first_was_read = Arc::new(std::sync::Mutex::new(first_was_read));
    let server = TestServer::with_handler(quick_config(), move |_req| {
        let wait = first_was_read.clone();
        let chunks = (0..2).map(move |i| {
            if i == 1 {
                let _ = wait.lock().unwrap().recv_timeout(Duration::from_secs(10));
            }
            format!("chunk {i}\n")
        });
        Ok(Reply::new(200)?.with_chunks(chunks))
    });
    let mut sock = connect(server.addr);
    sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    send(&mut sock, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    let first = "8\r\nchunk 0\n\r\n";
    assert_eq!(
        text(&read_exact(&mut sock, head.len() + first.len())),
        format!("{head}{first}")
    );
    read_first.send(()).unwrap();
    let rest = "8\r\nchunk 1\n\r\n0\r\n\r\n";
    assert_eq!(text(&read_exact(&mut sock, rest.len())), rest);
    server.stop();
}

#[test]
fn an_unread_large_body_closes_the_connection() {
    let mut config = quick_config();
    config.drain_limit = 1000;
    let server = TestServer::with_handler(config, |_req| Ok(Reply::new(202)?));
    let mut sock = connect(server.addr);
    let writer = {
        let mut sock = sock.try_clone().unwrap();
        thread::spawn(move || {
            let _ = std::io::Write::write_all(
                &mut sock,
                b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            );
            for _ in 0..100 {
                if std::io::Write::write_all(&mut sock, b"64\r\n").is_err()
                    || std::io::Write::write_all(&mut sock, &[b'x'; 100]).is_err()
                    || std::io::Write::write_all(&mut sock, b"\r\n").is_err()
                {
                    break;
                }
            }
        })
    };
    let got = text(&read_to_close(&mut sock));
    assert_eq!(
        got,
        "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    writer.join().unwrap();
    server.stop();
}

#[test]
fn a_refusal_without_reading_sends_no_100_continue_and_closes() {
    let server = TestServer::with_handler(quick_config(), |_req| Ok(Reply::new(413)?));
    let mut sock = connect(server.addr);
    send(
        &mut sock,
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n",
    );
    let got = text(&read_to_close(&mut sock));
    assert_eq!(
        got,
        "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    server.stop();
}

/// A request without a body reads as an empty, finished body that still knows the head's
/// `Content-Type`, between requests with bodies on one connection.
#[test]
fn a_request_without_a_body_reads_as_empty_and_finished() {
    let server = TestServer::with_handler(quick_config(), |req| {
        let done = req.body().is_done();
        let length = req.body().content_length();
        let body = req.body().bytes(64)?;
        let charset = match req.body().text_lines(h1_std::TextOptions::default()) {
            Ok(lines) => format!("{:?}", lines.charset()),
            Err(e) => format!("{:?}", e.kind()),
        };
        let text = format!("{done} {length:?} {} {charset}", body.len());
        Ok(Reply::new(200)?.with_body(text))
    });
    let mut sock = connect(server.addr);
    send(&mut sock, BODILESS_REQUESTS);
    check_bodiless_answers(&text(&read_to_close(&mut sock)));
    server.stop();
}

#[test]
fn a_failing_or_panicking_handler_gets_500_and_a_close() {
    let server = TestServer::with_handler(quick_config(), |req| match req.target() {
        "/panic" => panic!("a handler bug (this panic is expected by the test)"),
        "/err" => Err(std::io::Error::other("backend down").into()),
        _ => Ok(Reply::new(200)?),
    });
    for path in ["/panic", "/err"] {
        let mut sock = connect(server.addr);
        send(
            &mut sock,
            format!("GET {path} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes(),
        );
        let got = text(&read_to_close(&mut sock));
        assert!(
            got.starts_with("HTTP/1.1 500 Internal Server Error\r\n"),
            "{got}"
        );
        assert!(got.contains("Connection: close\r\n"), "{got}");
    }
    server.stop();
}

#[test]
fn a_reply_body_cut_short_closes_instead_of_ending() {
    let server = TestServer::with_handler(quick_config(), |req| {
        let reply = Reply::new(200)?;
        Ok(match req.target() {
            "/short-reader" => reply.with_reader(std::io::Cursor::new(b"only 9 b".to_vec()), 100),
            _ => reply.with_try_chunks(vec![
                Ok("first\n".into()),
                Err(std::io::Error::other("the producer failed")),
            ]),
        })
    });
    let mut sock = connect(server.addr);
    send(&mut sock, b"GET /short-reader HTTP/1.1\r\nHost: a\r\n\r\n");
    let got = text(&read_to_close(&mut sock));
    assert_eq!(
        got,
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly 9 b"
    );

    let mut sock = connect(server.addr);
    send(&mut sock, b"GET /chunks HTTP/1.1\r\nHost: a\r\n\r\n");
    let got = text(&read_to_close(&mut sock));
    assert_eq!(
        got, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n",
        "no last chunk"
    );
    server.stop();
}

#[test]
fn at_the_cap_new_clients_wait_until_a_connection_ends() {
    let mut config = quick_config();
    config.max_connections = 2;
    let server = TestServer::start(config);
    let request = b"GET /bytes/2 HTTP/1.1\r\nHost: a\r\n\r\n";
    let answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\nab";
    let mut busy: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut sock = connect(server.addr);
            send(&mut sock, request);
            assert_eq!(text(&read_exact(&mut sock, answer.len())), answer);
            sock
        })
        .collect();
    // The third connects (the kernel's backlog takes it) but is not served yet.
    let mut third = connect(server.addr);
    send(&mut third, request);
    third
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let err = third.read(&mut [0u8; 16]).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut
    ));
    // One ends: the third is served.
    busy.pop();
    third.set_read_timeout(Some(support::TIMEOUT)).unwrap();
    assert_eq!(text(&read_exact(&mut third, answer.len())), answer);
    drop(busy);
    server.stop();
}

#[test]
fn shutdown_lets_an_in_flight_response_finish_and_closes_idle_connections() {
    let release = Arc::new(AtomicBool::new(false));
    let gate = release.clone();
    let mut server = TestServer::with_handler(quick_config(), move |req| {
        if req.target() == "/slow" {
            let gate = gate.clone();
            let chunks = (0..3).map(move |i| {
                let until = Instant::now() + Duration::from_secs(10);
                while i == 1 && !gate.load(Ordering::SeqCst) && Instant::now() < until {
                    thread::sleep(Duration::from_millis(5));
                }
                format!("part {i}\n")
            });
            return Ok(Reply::new(200)?.with_chunks(chunks));
        }
        Ok(Reply::new(204)?)
    });
    // An idle kept-alive connection, and one in the middle of a streamed response.
    let mut idle = connect(server.addr);
    send(&mut idle, b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    let no_content = "HTTP/1.1 204 No Content\r\n\r\n";
    assert_eq!(text(&read_exact(&mut idle, no_content.len())), no_content);
    let mut busy = connect(server.addr);
    send(&mut busy, b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npart 0\n\r\n";
    assert_eq!(text(&read_exact(&mut busy, head.len())), head);

    let running = server.running.take().unwrap();
    let handle = running.shutdown_handle();
    let stopper = thread::spawn(move || stop_within(running, Duration::from_secs(10)));
    // The idle connection is closed at once; the new one is not served.
    assert_eq!(read_to_close(&mut idle), b"");
    assert!(handle.is_shutting_down());
    // The streamed response finishes whole, then its connection closes.
    release.store(true, Ordering::SeqCst);
    let rest = text(&read_to_close(&mut busy));
    assert_eq!(rest, "7\r\npart 1\n\r\n7\r\npart 2\n\r\n0\r\n\r\n");
    stopper.join().unwrap();
    assert!(
        TcpStream::connect_timeout(&server.addr, Duration::from_secs(2)).is_err(),
        "the listener is closed"
    );
}

#[test]
fn shutdown_closes_what_is_left_after_its_timeout() {
    let mut config: ServerConfig = quick_config();
    config.shutdown_timeout = Duration::from_millis(300);
    let mut server = TestServer::with_handler(config, |_req| {
        // A stream that never ends by itself.
        let endless = std::iter::repeat_with(|| {
            thread::sleep(Duration::from_millis(20));
            "tick\n"
        });
        Ok(Reply::new(200)?.with_chunks(endless))
    });
    let mut sock = connect(server.addr);
    send(&mut sock, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    read_exact(&mut sock, 10);
    let start = Instant::now();
    stop_within(server.running.take().unwrap(), Duration::from_secs(5));
    assert!(start.elapsed() >= Duration::from_millis(250));
    let rest = text(&read_to_close(&mut sock));
    assert!(!rest.ends_with("0\r\n\r\n"), "cut, not ended: {rest}");
}

#[test]
fn a_body_over_the_handlers_limit_is_refused_before_100_continue() {
    let server = TestServer::start(quick_config());
    let mut sock = connect(server.addr);
    let too_big = h1_examples::routes::ECHO_LIMIT + 1;
    send(
        &mut sock,
        format!(
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: {too_big}\r\nExpect: 100-continue\r\n\r\n"
        )
        .as_bytes(),
    );
    let got = text(&read_to_close(&mut sock));
    assert!(
        got.starts_with("HTTP/1.1 413 Content Too Large\r\n"),
        "no 100 Continue first: {got}"
    );
    assert!(got.contains("Connection: close\r\n"), "{got}");
    server.stop();
}

#[test]
fn a_handler_reads_the_body_as_lines_while_it_arrives() {
    let server = TestServer::with_handler(quick_config(), |req| {
        let mut ids = Vec::new();
        for line in req.body().lines() {
            ids.push(String::from_utf8(line?.to_vec())?);
        }
        Ok(Reply::new(200)?.with_body(ids.join(",")))
    });
    let mut sock = connect(server.addr);
    send(
        &mut sock,
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
    );
    let cont = "HTTP/1.1 100 Continue\r\n\r\n";
    assert_eq!(text(&read_exact(&mut sock, cont.len())), cont);
    // A CRLF split across chunks counts once; the last line has no terminator.
    send(&mut sock, b"4\r\none\r\r\n");
    send(&mut sock, b"6\r\n\ntwo\nt\r\n");
    send(&mut sock, b"4\r\nhree\r\n0\r\n\r\n");
    let want = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\none,two,three";
    assert_eq!(text(&read_exact(&mut sock, want.len())), want);
    server.stop();
}
