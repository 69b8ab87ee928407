//! Fifty clients at once against one server, each streaming downloads and uploads on one
//! kept-alive connection, every byte checked. The clients drive `h1::Connection` over
//! blocking sockets with timeouts.

mod support;

use std::io::Read;
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::thread;

use h1::{BodyMode, Bytes, Connection, Event, Request, Role};
use support::{connect, letters, quick_config, TestServer};

const CLIENTS: usize = 50;

fn next(conn: &mut Connection, sock: &mut TcpStream) -> Event {
    loop {
        match conn.next_event().expect("a valid response") {
            Event::NeedData => {
                conn.read_into(|buf| sock.read(buf)).expect("read");
            }
            event => return event,
        }
    }
}

/// Sends a request with a body of `pieces` (chunked when there is more than none), and
/// returns the response body, read in pieces of at most `max` bytes.
fn exchange(
    conn: &mut Connection,
    sock: &mut TcpStream,
    method: &str,
    path: &str,
    pieces: &[Bytes],
    mode: BodyMode,
) -> Vec<Bytes> {
    let mut req = Request::new(method, path)
        .unwrap()
        .with_header("Host", "test")
        .unwrap();
    if !pieces.is_empty() {
        req = req.with_header("Transfer-Encoding", "chunked").unwrap();
    }
    conn.send_request(&req).unwrap().write_to(sock).unwrap();
    for piece in pieces {
        conn.send_data(piece.clone())
            .unwrap()
            .write_to(sock)
            .unwrap();
    }
    conn.send_end().unwrap().write_to(sock).unwrap();
    let Event::Response(res) = next(conn, sock) else {
        panic!("no response")
    };
    assert_eq!(res.status(), 200);
    conn.set_body_mode(mode).unwrap();
    let mut body = Vec::new();
    loop {
        match next(conn, sock) {
            Event::Data(d) | Event::LineComplete(d) => body.push(d),
            Event::EndOfMessage(_) => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    conn.start_next_cycle().unwrap();
    body
}

fn client(addr: std::net::SocketAddr, id: usize, start: &Barrier) {
    let mut sock = connect(addr);
    let mut conn = Connection::new(Role::Client);
    start.wait();

    // A download of a size of its own, in pieces of at most 4 KiB.
    let n = 100_000 + id * 1_337;
    let pieces = exchange(
        &mut conn,
        &mut sock,
        "GET",
        &format!("/bytes/{n}"),
        &[],
        BodyMode::Data { max: 4096 },
    );
    assert!(pieces.iter().all(|p| p.len() <= 4096));
    assert!(pieces.concat() == letters(n), "client {id}: /bytes/{n}");

    // A chunked upload of 200 pieces, echoed back.
    let upload: Vec<Bytes> = (0..200)
        .map(|i| Bytes::from(format!("client {id} piece {i};").repeat(1 + (i + id) % 7)))
        .collect();
    let echoed = exchange(
        &mut conn,
        &mut sock,
        "POST",
        "/echo",
        &upload,
        BodyMode::Data { max: usize::MAX },
    );
    assert!(echoed.concat() == upload.concat(), "client {id}: echo");

    // An NDJSON stream, line by line.
    let lines = exchange(
        &mut conn,
        &mut sock,
        "GET",
        &format!("/stream/{}", 50 + id),
        &[],
        BodyMode::Lines,
    );
    let want: Vec<String> = (0..50 + id).map(|i| format!("{{\"id\":{i}}}")).collect();
    let got: Vec<String> = lines
        .iter()
        .map(|l| String::from_utf8(l.to_vec()).unwrap())
        .collect();
    assert_eq!(got, want, "client {id}: stream");
}

#[test]
fn fifty_clients_stream_downloads_and_uploads_at_once() {
    let server = TestServer::start(quick_config());
    let start = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (addr, start) = (server.addr, start.clone());
            thread::spawn(move || client(addr, id, &start))
        })
        .collect();
    for (id, c) in clients.into_iter().enumerate() {
        c.join()
            .unwrap_or_else(|_| panic!("client {id} failed (see above)"));
    }
    assert_eq!(server.requests(), 3 * CLIENTS);
    assert_eq!(
        server.connections(),
        CLIENTS,
        "one kept-alive connection each"
    );
    server.stop();
}
