//! The h1 side of every benchmark workload, shared by `benches/core.rs` (criterion) and the
//! comparison runner in `benches/compare/` (which includes this file by path), so both
//! measure exactly the same driver code.
//!
//! Every workload starts from bytes in a plain slice and hands them to the connection in
//! socket-sized reads ([`READ`](super::samples::READ) bytes, or one byte for the drips):
//! the copy into the connection's buffer is part of what is measured, as in a real driver.
//! Every event is passed through [`black_box`] so nothing can be optimised away.

#![allow(dead_code)]

use std::hint::black_box;

use h1::{BodyMode, Bytes, Connection, Event, Headers, Request, Response, Role};

/// Server role, one message: a fresh connection takes `head` (a request without a body)
/// to its `Request` and `EndOfMessage` events. Returns the number of header fields.
pub fn request_once(head: &[u8]) -> usize {
    let mut conn = Connection::new(Role::Server);
    conn.receive(head).unwrap();
    let Event::Request(req) = conn.next_event().unwrap() else {
        panic!("expected a request")
    };
    let n = black_box(&req).headers().len();
    let Event::EndOfMessage(t) = conn.next_event().unwrap() else {
        panic!("expected the end of the request")
    };
    black_box(t);
    n
}

/// The minimal response every pipelined request gets: `200 OK`, `Content-Length: 0`.
pub fn empty_ok() -> Response {
    Response::new(200)
        .and_then(|r| r.with_header("Content-Length", "0"))
        .unwrap()
}

/// Server role, keep-alive: takes `wire` (pipelined requests without bodies) in
/// `read`-byte reads; answers each request with [`empty_ok`] (the state machine needs an
/// answer before the next request is handed out), writes the answers into `out` (cleared
/// after every read, as if written to the socket) and starts the next cycle. Returns the
/// number of requests.
pub fn serve_pipelined(
    conn: &mut Connection,
    wire: &[u8],
    read: usize,
    out: &mut Vec<u8>,
) -> usize {
    let mut served = 0;
    for piece in wire.chunks(read) {
        conn.receive(piece).unwrap();
        loop {
            match conn.next_event().unwrap() {
                Event::Request(req) => {
                    black_box(&req);
                }
                Event::EndOfMessage(t) => {
                    black_box(t);
                    let res = empty_ok();
                    for part in conn.send_response(&res).unwrap() {
                        out.extend_from_slice(&part);
                    }
                    for part in conn.send_end().unwrap() {
                        out.extend_from_slice(&part);
                    }
                    conn.start_next_cycle().unwrap();
                    served += 1;
                }
                Event::NeedData => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        black_box(&out[..]);
        out.clear();
    }
    served
}

/// Client role, keep-alive: sends `GET /` (head written into `out`, as a driver would
/// copy it to the socket), then takes the response in `wire` in `read`-byte reads with the
/// given body mode, and starts the next cycle. Returns the body bytes (`Data` mode) or the
/// lines (`Lines` mode) received.
pub fn fetch(
    conn: &mut Connection,
    wire: &[u8],
    read: usize,
    mode: BodyMode,
    out: &mut Vec<u8>,
) -> usize {
    let req = Request::new("GET", "/")
        .and_then(|r| r.with_header("Host", "example.com"))
        .unwrap();
    for part in conn.send_request(&req).unwrap() {
        out.extend_from_slice(&part);
    }
    for part in conn.send_end().unwrap() {
        out.extend_from_slice(&part);
    }
    black_box(&out[..]);
    out.clear();
    let mut got = 0;
    let mut pieces = wire.chunks(read);
    loop {
        match conn.next_event().unwrap() {
            Event::Response(res) => {
                black_box(&res);
                if mode != BodyMode::default() {
                    conn.set_body_mode(mode).unwrap();
                }
            }
            Event::Data(d) => got += black_box(d).len(),
            Event::LineComplete(l) => {
                black_box(l);
                got += 1;
            }
            Event::EndOfMessage(t) => {
                black_box(t);
                break;
            }
            Event::NeedData => match pieces.next() {
                Some(piece) => conn.receive(piece).unwrap(),
                None => conn.receive_eof(),
            },
            other => panic!("unexpected {other:?}"),
        }
    }
    conn.start_next_cycle().unwrap();
    got
}

/// Server role, one message: a fresh connection takes a request with a body (`wire`) in
/// `read`-byte reads to its end. Returns the number of `Data` events.
pub fn upload(wire: &[u8], read: usize) -> usize {
    let mut conn = Connection::new(Role::Server);
    let mut events = 0;
    let mut pieces = wire.chunks(read);
    loop {
        match conn.next_event().unwrap() {
            Event::Request(req) => {
                black_box(req);
            }
            Event::Data(d) => {
                black_box(d);
                events += 1;
            }
            Event::EndOfMessage(t) => {
                black_box(t);
                return events;
            }
            Event::NeedData => match pieces.next() {
                Some(piece) => conn.receive(piece).unwrap(),
                None => conn.receive_eof(),
            },
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Server role: a fresh connection takes `head` one byte per `receive` call, asking for an
/// event after each. Returns the number of calls.
pub fn drip(head: &[u8]) -> usize {
    let mut conn = Connection::new(Role::Server);
    for (i, b) in head.iter().enumerate() {
        conn.receive(core::slice::from_ref(b)).unwrap();
        match conn.next_event().unwrap() {
            Event::NeedData => {}
            Event::Request(req) => {
                black_box(req);
                assert_eq!(i + 1, head.len(), "the head ended early");
                return i + 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("the head never completed")
}

/// Client role, send side: a fresh connection sends `POST` with a `Content-Length` body made
/// of `pieces` (cheap `Bytes` clones; h1 never copies them). Returns the bytes produced.
pub fn send_cl(pieces: &[Bytes]) -> usize {
    let total: usize = pieces.iter().map(Bytes::len).sum();
    let req = Request::new("POST", "/upload")
        .and_then(|r| r.with_header("Host", "example.com"))
        .and_then(|r| r.with_header("Content-Type", "application/octet-stream"))
        .and_then(|r| r.with_header("Content-Length", total.to_string()))
        .unwrap();
    send_body(&req, pieces, None)
}

/// Client role, send side: a fresh connection sends `POST` with a chunked body made of
/// `pieces`, ended with two trailer fields. Returns the bytes produced.
pub fn send_chunked(pieces: &[Bytes]) -> usize {
    let req = Request::new("POST", "/upload")
        .and_then(|r| r.with_header("Host", "example.com"))
        .and_then(|r| r.with_header("Content-Type", "application/octet-stream"))
        .and_then(|r| r.with_header("Transfer-Encoding", "chunked"))
        .and_then(|r| r.with_header("Trailer", "Digest, Server-Timing"))
        .unwrap();
    let mut trailers = Headers::new();
    trailers
        .append(
            "Digest",
            "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
        )
        .unwrap();
    trailers.append("Server-Timing", "total;dur=123.4").unwrap();
    send_body(&req, pieces, Some(&trailers))
}

fn send_body(req: &Request, pieces: &[Bytes], trailers: Option<&Headers>) -> usize {
    let mut conn = Connection::new(Role::Client);
    let mut n = 0;
    for part in conn.send_request(req).unwrap() {
        n += black_box(part).len();
    }
    for piece in pieces {
        for part in conn.send_data(piece.clone()).unwrap() {
            n += black_box(part).len();
        }
    }
    let end = match trailers {
        Some(t) => conn.send_end_with_trailers(t),
        None => conn.send_end(),
    };
    for part in end.unwrap() {
        n += black_box(part).len();
    }
    n
}
