//! The h1 demo: a server and a client over 127.0.0.1, each a few lines of blocking I/O
//! around a `Connection`. The client streams an NDJSON body line by line (Python's
//! `iter_lines()`), then reuses the connection to read a body in pieces of at most 16
//! bytes (`iter_content(16)`), then uploads a chunked body from a generator.
//!
//! Run: `cargo run --example demo`

use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use h1::{BodyMode, Bytes, Connection, Event, Request, Response, Role};

/// The next event, reading from the socket whenever the connection needs more bytes.
fn next(conn: &mut Connection, sock: &mut TcpStream) -> io::Result<Event> {
    loop {
        match conn.next_event() {
            Ok(Event::NeedData) => {
                conn.read_into(|buf| sock.read(buf))?;
            }
            Ok(event) => return Ok(event),
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        }
    }
}

fn h1_err(e: h1::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e)
}

/// Serves requests on one connection until the client closes it.
fn serve(mut sock: TcpStream) -> io::Result<()> {
    let mut conn = Connection::new(Role::Server);
    loop {
        let req = match next(&mut conn, &mut sock)? {
            Event::Request(req) => req,
            Event::ConnectionClosed => return Ok(()),
            other => return Err(io::Error::other(format!("unexpected {other:?}"))),
        };
        // Read the request body (an upload, if any) to its end.
        conn.set_body_mode(BodyMode::Data { max: 1 << 20 })
            .map_err(h1_err)?;
        let mut uploaded = 0;
        loop {
            match next(&mut conn, &mut sock)? {
                Event::Data(d) => uploaded += d.len(),
                Event::EndOfMessage(_) => break,
                other => return Err(io::Error::other(format!("unexpected {other:?}"))),
            }
        }
        let body: Vec<Bytes> = match req.target() {
            "/events" => (1..=4)
                .map(|i| Bytes::from(format!("{{\"event\":{i},\"text\":\"tick {i}\"}}\n")))
                .collect(),
            "/upload" => vec![Bytes::from(format!("received {uploaded} bytes\n"))],
            _ => vec![Bytes::from_static(
                b"h1 serves bodies in pieces: zero-copy slices of the receive buffer.\n",
            )],
        };
        // No Content-Length: the connection chooses chunked for an HTTP/1.1 client.
        let res = Response::new(200)
            .and_then(|r| r.with_header("Content-Type", "application/x-ndjson"))
            .map_err(h1_err)?;
        conn.send_response(&res)
            .map_err(h1_err)?
            .write_to(&mut sock)?;
        for piece in body {
            conn.send_data(piece).map_err(h1_err)?.write_to(&mut sock)?;
        }
        conn.send_end().map_err(h1_err)?.write_to(&mut sock)?;
        conn.start_next_cycle().map_err(h1_err)?;
    }
}

fn request(
    conn: &mut Connection,
    sock: &mut TcpStream,
    req: &Request,
    upload: &[&str],
) -> io::Result<()> {
    conn.send_request(req).map_err(h1_err)?.write_to(sock)?;
    for piece in upload {
        conn.send_data(Bytes::copy_from_slice(piece.as_bytes()))
            .map_err(h1_err)?
            .write_to(sock)?;
    }
    conn.send_end().map_err(h1_err)?.write_to(sock)?;
    Ok(())
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = thread::spawn(move || -> io::Result<()> {
        let (sock, _) = listener.accept()?;
        sock.set_read_timeout(Some(Duration::from_secs(10)))?;
        serve(sock)
    });

    let mut sock = TcpStream::connect(addr)?;
    sock.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut conn = Connection::new(Role::Client);
    let host = addr.to_string();

    // 1. Stream NDJSON line by line: headers first, then iter_lines().
    let req = Request::new("GET", "/events")
        .and_then(|r| r.with_header("Host", &host))
        .map_err(h1_err)?;
    request(&mut conn, &mut sock, &req, &[])?;
    let Event::Response(res) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("no response"));
    };
    println!(
        "GET /events -> {} {}",
        res.status(),
        String::from_utf8_lossy(res.reason())
    );
    for (name, value) in res.headers() {
        println!("  {name}: {}", String::from_utf8_lossy(value));
    }
    conn.set_body_mode(BodyMode::Lines).map_err(h1_err)?;
    loop {
        match next(&mut conn, &mut sock)? {
            Event::LineComplete(line) => println!("  line: {}", String::from_utf8_lossy(&line)),
            Event::EndOfMessage(_) => break,
            other => return Err(io::Error::other(format!("unexpected {other:?}"))),
        }
    }
    conn.start_next_cycle().map_err(h1_err)?;

    // 2. Same connection: read a body in pieces of at most 16 bytes: iter_content(16).
    let req = Request::new("GET", "/about")
        .and_then(|r| r.with_header("Host", &host))
        .map_err(h1_err)?;
    request(&mut conn, &mut sock, &req, &[])?;
    let Event::Response(res) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("no response"));
    };
    println!("GET /about (same connection) -> {}", res.status());
    conn.set_body_mode(BodyMode::Data { max: 16 })
        .map_err(h1_err)?;
    loop {
        match next(&mut conn, &mut sock)? {
            Event::Data(piece) => println!(
                "  piece ({:2} bytes): {:?}",
                piece.len(),
                String::from_utf8_lossy(&piece)
            ),
            Event::EndOfMessage(_) => break,
            other => return Err(io::Error::other(format!("unexpected {other:?}"))),
        }
    }
    conn.start_next_cycle().map_err(h1_err)?;

    // 3. Upload a body of unknown length, chunked, from a generator.
    let req = Request::new("POST", "/upload")
        .and_then(|r| r.with_header("Host", &host))
        .and_then(|r| r.with_header("Transfer-Encoding", "chunked"))
        .map_err(h1_err)?;
    let pieces: Vec<String> = (0..5).map(|i| format!("record {i};")).collect();
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
    request(&mut conn, &mut sock, &req, &pieces)?;
    let Event::Response(res) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("no response"));
    };
    conn.set_body_mode(BodyMode::Lines).map_err(h1_err)?;
    let Event::LineComplete(line) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("no line"));
    };
    println!(
        "POST /upload (chunked, {} pieces) -> {}: {}",
        pieces.len(),
        res.status(),
        String::from_utf8_lossy(&line)
    );
    let Event::EndOfMessage(_) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("no end"));
    };

    // Done: close our side; the server sees ConnectionClosed and stops.
    conn.send_close().map_err(h1_err)?;
    sock.shutdown(std::net::Shutdown::Both)?;
    server
        .join()
        .map_err(|_| io::Error::other("server thread panicked"))??;
    println!("connection reused for 3 requests, closed cleanly");
    Ok(())
}
