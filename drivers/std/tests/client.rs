//! The client against small raw servers on 127.0.0.1 (each test starts its own): framing
//! forms, keep-alive and the pool, uploads, and the fault cases. Every socket has a
//! timeout and every server thread ends on its own.

use std::io::{self, Read};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use h1_std::{Client, ClientConfig, ErrorKind, Released, TextOptions};

#[path = "../../testing/mod.rs"]
mod shared;

use shared::client_cases::{
    answer_all, check_body_error, check_retry, check_sent, closing_server, ok, serve_body_case,
    servers, Expect, BODY_CASES, BODY_LIMIT, RETRY_CASES,
};
use shared::raw_server as server;

const LIMIT: Duration = Duration::from_secs(10);

fn quick_client() -> Client {
    let mut config = ClientConfig::default();
    config.read_timeout = Some(LIMIT);
    config.connect_timeout = Some(LIMIT);
    Client::with_config(config)
}

/// Each misbehaving server of the shared cases: the documented error, or the right body
/// and a closed connection; never a hang, never wrong data. Bodies cut short or stalled
/// are read through `Read`, whose `io::Error` must keep the driver's error inside.
#[test]
fn the_shared_body_fault_cases() {
    for case in BODY_CASES {
        let name = case.name;
        let (url, server) = serve_body_case(case);
        let client = quick_client();
        let started = Instant::now();
        let timeout = case.read_timeout.or(Some(LIMIT));
        let sent = client.get(&url).read_timeout(timeout).send();
        if check_sent(case, &sent).is_some() {
            let mut res = sent.unwrap();
            match case.expect {
                Expect::BodyError(ErrorKind::TooLarge) => {
                    check_body_error(case, &res.body().bytes(BODY_LIMIT).unwrap_err());
                }
                Expect::BodyError(kind) => {
                    let e = res.read_to_end(&mut Vec::new()).unwrap_err();
                    let want = match kind {
                        ErrorKind::BodyCutShort => io::ErrorKind::UnexpectedEof,
                        _ => io::ErrorKind::TimedOut,
                    };
                    assert_eq!(e.kind(), want, "{name}: {e}");
                    check_body_error(case, h1_std::Error::in_io(&e).expect("the error inside"));
                }
                Expect::BodyThenClosed(body) => {
                    thread::sleep(Duration::from_millis(50)); // extra bytes arrive too
                    assert_eq!(res.body().bytes(BODY_LIMIT).unwrap(), body, "{name}");
                }
                Expect::HeadError(_) => unreachable!(),
            }
            assert_eq!(res.finish(), Released::Closed, "{name}");
        }
        assert!(started.elapsed() < LIMIT, "{name}");
        assert_eq!(client.idle_connections(), 0, "{name}");
        drop(client);
        server.join().unwrap();
    }
}

/// A request on a pooled connection the server closed: retried once on a fresh one when
/// idempotent and no response byte arrived, an error otherwise (shared cases).
#[test]
fn the_shared_retry_cases() {
    for case in RETRY_CASES {
        let (url, server) = closing_server(case.conns(), case.ending);
        let client = quick_client();
        let mut res = client.get(&url).send().unwrap();
        assert_eq!(res.body().bytes(100).unwrap(), "first", "{}", case.name);
        assert_eq!(res.finish(), Released::Pooled, "{}", case.name);
        let mut second = client.request(case.method, &url);
        if case.method == "POST" {
            second = second.body("payload");
        }
        let second = second
            .send()
            .and_then(|mut res| Ok((res.reused(), res.body().bytes(100)?)));
        check_retry(case, second, client.stats());
        drop(client);
        server.join().unwrap();
    }
}

#[test]
fn close_delimited_body_is_read_to_the_close_and_not_pooled() {
    let (url, server) = servers::close_delimited();
    let client = quick_client();
    let mut res = client.get(&format!("{url}/x")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.content_length(), None);
    let lines: Vec<String> = res
        .text_lines(TextOptions::default())
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(lines, ["until", "the close"]);
    assert_eq!(res.finish(), Released::Closed);
    server.join().unwrap();
}

#[test]
fn chunked_with_trailers_then_pooled() {
    let (url, server) = servers::chunked_with_trailers();
    let client = quick_client();
    let mut res = client.get(&format!("{url}/t")).send().unwrap();
    let pieces: Vec<_> = res.iter_content(Some(4)).map(Result::unwrap).collect();
    assert!(pieces.iter().all(|p| p.len() <= 4));
    assert_eq!(pieces.concat(), b"hello, world");
    assert_eq!(res.trailers().get_str("x-sum"), Some("12"));
    assert_eq!(res.finish(), Released::Pooled);
    assert_eq!(client.idle_connections(), 1);
    drop(client);
    server.join().unwrap();
}

#[test]
fn keep_alive_reuses_one_connection_and_says_so() {
    let (url, server) = server(1, |_, sock| answer_all(sock, |target, _| ok(target)));
    let client = quick_client();
    for i in 0..3 {
        let mut res = client.get(&format!("{url}/n{i}")).send().unwrap();
        assert_eq!(res.reused(), i > 0);
        assert_eq!(
            res.body().text(100, TextOptions::default()).unwrap(),
            format!("/n{i}")
        );
        assert_eq!(res.finish(), Released::Pooled);
    }
    let stats = client.stats();
    assert_eq!((stats.opened, stats.reused, stats.pooled), (1, 2, 3));
    drop(client);
    server.join().unwrap();
}

#[test]
fn a_response_dropped_mid_body_closes_unless_its_rest_arrived() {
    let (url, server) = server(2, |i, sock| {
        answer_all(sock, move |target, _| {
            if target == "/big" {
                let mut w = b"HTTP/1.1 200 OK\r\nContent-Length: 4000000\r\n\r\n".to_vec();
                w.extend(std::iter::repeat_n(b'x', 100_000));
                w // the rest never comes: the client must not wait for it
            } else {
                ok(&format!("small on connection {i}"))
            }
        })
    });
    let client = quick_client();
    // The whole small body arrived with the head: dropping it unread still reuses.
    let res = client.get(&format!("{url}/small")).send().unwrap();
    thread::sleep(Duration::from_millis(50));
    assert_eq!(res.finish(), Released::Pooled);
    let mut res = client.get(&format!("{url}/big")).send().unwrap();
    assert!(res.reused());
    let mut first = [0u8; 10];
    res.read_exact(&mut first).unwrap();
    assert_eq!(res.finish(), Released::Closed);
    let mut res = client.get(&format!("{url}/small")).send().unwrap();
    assert!(!res.reused());
    assert_eq!(res.body().bytes(100).unwrap(), "small on connection 1");
    assert_eq!(client.stats().opened, 2);
    drop(res);
    drop(client);
    server.join().unwrap();
}

#[test]
fn the_deadline_stops_a_trickling_stream() {
    let (url, server) = servers::trickling();
    let client = quick_client();
    let mut res = client
        .get(&url)
        .read_timeout(Some(Duration::from_secs(1)))
        .deadline(Duration::from_millis(400))
        .send()
        .unwrap();
    let started = Instant::now();
    let e = res.body().bytes(1 << 20).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(res);
    server.join().unwrap();
}

#[test]
fn an_idle_connection_the_server_closed_is_not_used() {
    let (url, server) = servers::closing_while_idle();
    let client = quick_client();
    let mut res = client.get(&url).send().unwrap();
    assert_eq!(res.body().bytes(100).unwrap(), "conn 0");
    drop(res);
    thread::sleep(Duration::from_millis(100));
    let mut res = client.get(&url).send().unwrap();
    assert_eq!(res.body().bytes(100).unwrap(), "conn 1");
    let stats = client.stats();
    // Found closed by the liveness check, or (if its close had not arrived yet) by the
    // request, then retried: either way a fresh connection, once.
    assert_eq!(stats.stale + stats.retried, 1, "{stats:?}");
    assert_eq!(stats.opened, 2);
    drop(res);
    drop(client);
    server.join().unwrap();
}

#[test]
fn keep_alive_timeout_of_the_server_shortens_the_idle_time() {
    let (url, server) = servers::keep_alive_one_second();
    let client = quick_client();
    let mut res = client.get(&url).send().unwrap();
    assert_eq!(res.body().bytes(10).unwrap(), "ok");
    assert_eq!(res.finish(), Released::Pooled);
    assert_eq!(client.idle_connections(), 1);
    thread::sleep(Duration::from_millis(700));
    assert_eq!(
        client.idle_connections(),
        0,
        "kept no longer than the server would"
    );
    drop(client);
    server.join().unwrap();
}

#[test]
fn connection_close_and_http10_are_not_pooled() {
    let (url, server) = servers::not_for_reuse();
    let client = quick_client();
    for _ in 0..2 {
        let mut res = client.get(&url).send().unwrap();
        assert_eq!(res.body().bytes(10).unwrap(), "ok");
        assert_eq!(res.finish(), Released::Closed);
    }
    server.join().unwrap();
}

#[test]
fn chunked_upload_sends_each_piece_as_it_is_produced() {
    let (seen_tx, seen_rx) = mpsc::channel::<usize>();
    let (url, server) = servers::chunked_upload(move |len| {
        let _ = seen_tx.send(len);
    });
    let client = quick_client();
    // Each piece is produced only after the server has seen the one before; the empty
    // piece is skipped (were it sent, it would be the last-chunk and end the body).
    let pieces = ["first,", "", "second,", "third"];
    let mut sent = 0;
    let generator = pieces.into_iter().inspect(|p| {
        if sent > 0 && !p.is_empty() {
            let seen = seen_rx
                .recv_timeout(LIMIT)
                .expect("the previous piece arrived");
            assert_eq!(seen, sent);
        }
        sent += p.len();
    });
    let mut res = client.post(&url).body_chunks(generator).send().unwrap();
    assert_eq!(res.body().bytes(100).unwrap(), "first,second,third");
    drop(res);
    server.join().unwrap();
}

#[test]
fn uploads_with_a_known_length_and_expect_continue() {
    let (url, server) = servers::echo_got();
    let client = quick_client();
    let mut res = client
        .put(&url)
        .body_reader(&b"from a reader, and more"[..], 14)
        .send()
        .unwrap();
    assert_eq!(res.body().bytes(100).unwrap(), "got from a reader,");
    drop(res);
    let mut res = client
        .post(&url)
        .expect_continue(true)
        .body("waited")
        .send()
        .unwrap();
    assert_eq!(res.body().bytes(100).unwrap(), "got waited");
    drop(res);
    let e = client
        .put(&url)
        .body_reader(&b"short"[..], 10)
        .send()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    drop(client);
    server.join().unwrap();
}

#[test]
fn an_early_final_answer_to_expect_continue_skips_the_body() {
    let (url, server) = servers::refusing_before_continue();
    let client = quick_client();
    let res = client
        .post(&url)
        .expect_continue(true)
        .body(vec![b'x'; 100_000])
        .send()
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.finish(), Released::Closed);
    server.join().unwrap();
}

#[test]
fn counters_and_bad_input() {
    let (url, server) = servers::five_bytes();
    let client = quick_client();
    let mut res = client.get(&url).header("X-Test", "1").send().unwrap();
    assert_eq!(res.body().bytes(5).unwrap(), "12345");
    assert_eq!(client.counters().received(), ok("12345").len() as u64);
    assert!(client.counters().sent() > 20);
    drop(res);
    // The consuming form gives the connection back at once.
    let data = client.get(&url).send().unwrap().bytes(5).unwrap();
    assert_eq!(data, "12345");
    assert_eq!(client.idle_connections(), 1);
    let e = client.get("ftp://x/").send().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = client
        .get(&url)
        .header("Bad\nName", "v")
        .send()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let mut res = client.get(&url).send().unwrap();
    assert_eq!(res.body().bytes(4).unwrap_err().kind(), ErrorKind::TooLarge);
    drop(res);
    drop(client);
    server.join().unwrap();
}

#[test]
fn connecting_to_a_closed_port_is_a_connect_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = quick_client()
        .get(&format!("http://127.0.0.1:{port}/"))
        .send()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
}
