//! The blocking client and server with the `http` crate's types: a request sent as an
//! `http::Request`, read by the handler as `http` parts, answered with an
//! `http::Response`, and the answer read as an `http::Response` whose body streams.

#![cfg(feature = "http")]

#[path = "../../testing/http_cases.rs"]
mod cases;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

use h1_std::server::{HandlerResult, Incoming, Reply, RunningServer, Server};
use h1_std::{Client, ErrorKind, Released};

const TIMEOUT: Duration = Duration::from_secs(20);

fn start(
    handler: impl Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static,
) -> RunningServer {
    let server = Server::bind("127.0.0.1:0").unwrap();
    server.spawn(handler).unwrap()
}

/// `/echo` as [`cases::echo`] (the request read through `http_request`); any other path:
/// 400 with the kind of the error `http_parts` gave, or 204.
fn handler(req: &mut Incoming<'_>) -> HandlerResult {
    let parts = match req.http_parts() {
        Ok(parts) => parts,
        Err(e) => return Ok(Reply::new(400)?.with_body(format!("{:?}", e.kind()))),
    };
    if parts.uri.path() != "/echo" {
        return Ok(Reply::new(204)?);
    }
    let (parts, body) = req.http_request()?.into_parts();
    let body = body.bytes(1 << 20)?;
    Ok(cases::echo(&parts, body).try_into()?)
}

#[test]
fn round_trip_through_http_types() {
    let running = start(handler);
    let addr = running.local_addr();
    let client = Client::new();

    let res = client.send_http(cases::request(addr)).unwrap();
    let (parts, body) = res.into_parts();
    cases::check_echo(&parts, addr);
    assert_eq!(body.content_length(), Some(cases::BODY.len() as u64));
    assert_eq!(body.bytes(1 << 20).unwrap(), cases::BODY);

    // `()` is no body at all: no Content-Length; the pooled connection is reused.
    let req = http::Request::get(format!("http://{addr}/echo"))
        .body(())
        .unwrap();
    let mut res = client.send_http(req).unwrap();
    assert_eq!(res.headers()["x-content-length"], "none");
    assert_eq!(res.headers()["x-method"], "GET");
    let mut text = String::new();
    res.body_mut().read_to_string(&mut text).unwrap();
    assert_eq!(text, "");
    assert_eq!(res.into_body().finish(), Released::Pooled);
    assert_eq!((client.stats().opened, client.stats().reused), (1, 1));

    // The builder's options apply to a request from `http`; a response turns into
    // `http` types after it arrived.
    let res = client
        .request_http(cases::request(addr))
        .read_timeout(Some(TIMEOUT))
        .send()
        .unwrap();
    assert_eq!(res.status(), 207);
    assert_eq!(res.http_parts().unwrap().status, 207);
    let (parts, _unread) = res.into_http().unwrap().into_parts();
    cases::check_echo(&parts, addr);
    running.shutdown().unwrap();
}

#[test]
fn the_body_of_an_http_response_streams() {
    // Each chunk waits for the client's word that it read the one before.
    let (go, wait) = mpsc::channel::<()>();
    let wait = Mutex::new(Some(wait));
    let running = start(move |_req| {
        let wait = wait.lock().unwrap().take().expect("one request");
        let pieces = (0..3).map(move |i| {
            if i > 0 {
                wait.recv_timeout(TIMEOUT)
                    .expect("the client read the last piece");
            }
            format!("piece {i}\n")
        });
        Ok(Reply::new(200)?.with_chunks(pieces))
    });
    let client = Client::new();
    let req = http::Request::get(format!("http://{}/", running.local_addr()))
        .body(())
        .unwrap();
    let mut res = client.send_http(req).unwrap();
    assert_eq!(res.headers()["transfer-encoding"], "chunked");
    assert_eq!(res.body().content_length(), None);
    for i in 0..3 {
        let line = res.body_mut().iter_lines().next().unwrap().unwrap();
        assert_eq!(line, format!("piece {i}"));
        let _ = go.send(());
    }
    assert!(res.body_mut().iter_lines().next().is_none());
    assert_eq!(res.into_body().finish(), Released::Pooled);
    running.shutdown().unwrap();
}

#[test]
fn requests_that_cannot_be_sent_are_refused_before_connecting() {
    let running = start(handler);
    let client = Client::new();
    for (req, word) in cases::unsendable(running.local_addr()) {
        let e = client.send_http(req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains(word), "{word}: {e}");
    }
    assert_eq!(client.stats().opened, 0);

    // A Content-Length equal to the body's is the one the body sets.
    let req = http::Request::put(format!("http://{}/echo", running.local_addr()))
        .header("content-length", "3")
        .body("abc")
        .unwrap();
    let res = client.send_http(req).unwrap();
    assert_eq!(res.headers()["x-content-length"], "3");
    running.shutdown().unwrap();
}

#[test]
fn replies_that_cannot_be_sent_and_targets_that_are_not_uris_are_errors() {
    for (res, word) in cases::unsendable_replies() {
        let e = Reply::try_from(res).unwrap_err();
        assert_eq!(e.kind(), h1::ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains(word), "{word}: {e}");
    }

    let running = start(handler);
    let mut sock = TcpStream::connect(running.local_addr()).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.write_all(cases::BAD_TARGET).unwrap();
    let mut answer = String::new();
    sock.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(answer.ends_with("InvalidInput"), "{answer}");
    drop(sock); // the server's lingering close ends at once
    running.shutdown().unwrap();
}
