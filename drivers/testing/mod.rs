//! What both drivers' tests share, included by each with
//! `#[path = "../../testing/mod.rs"] mod shared;`: the case tables (requests our servers
//! must answer a given way, misbehaving servers our clients must survive) and the blocking
//! harness that plays them over real sockets on 127.0.0.1. The harness uses `std::net`
//! only, so it runs against the async server too (from `spawn_blocking`), and its raw
//! servers serve the async client as well as the blocking one. Every wait is bounded.

#![allow(dead_code)] // each test file uses a part

pub mod client_cases;
pub mod server_cases;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use h1::{Connection, Event};

/// The longest any test waits for anything.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The body of the example routes' `/bytes/n`: byte `i` is `b'a' + i % 26`.
pub fn letters(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

/// The body of the example routes' `/stream/n`: `{"id":i}` lines.
pub fn ndjson(n: u64) -> String {
    (0..n).map(|i| format!("{{\"id\":{i}}}\n")).collect()
}

/// An upload of `len` bytes that differs from one client `id` to the next.
pub fn upload(len: usize, id: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + id) as u8).collect()
}

/// True when `program` can be run. Under CI (the `CI` variable set) a missing peer is a
/// failure, not a skip: CI installs them.
pub fn have(program: &str, check: &[&str]) -> bool {
    let found = Command::new(program)
        .args(check)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {program} ({program} {check:?} failed)"
        );
        eprintln!("SKIPPED: `{program}` is not available here (`{program} {check:?}` failed)");
    }
    found
}

/// A client socket with read and write timeouts.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    sock
}

/// Reads until the peer closes the connection (a reset counts as a close); panics at the
/// read timeout.
pub fn read_to_close(sock: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match sock.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return out,
            Err(e) => panic!("no close after {:?}: {e}", String::from_utf8_lossy(&out)),
        }
    }
}

/// Reads exactly `n` bytes.
pub fn read_exact(sock: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut out = vec![0; n];
    sock.read_exact(&mut out).unwrap();
    out
}

/// Reads one request (head and body) with the core, as a server would; `None` when the
/// client closed or broke the protocol first.
pub fn read_request(conn: &mut Connection, sock: &mut TcpStream) -> Option<(h1::Request, Vec<u8>)> {
    let mut req = None;
    let mut body = Vec::new();
    loop {
        match conn.next_event() {
            Ok(Event::NeedData) => match conn.read_into(|b| sock.read(b)) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            },
            Ok(Event::Request(r)) => {
                if conn.client_is_waiting_for_100_continue() {
                    sock.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").ok()?;
                }
                req = Some(r);
            }
            Ok(Event::Data(d)) => body.extend_from_slice(&d),
            Ok(Event::EndOfMessage(_)) => return Some((req?, body)),
            Ok(_) | Err(_) => return None,
        }
    }
}

/// A raw server on 127.0.0.1 whose connection `i` is handed to `serve(i, socket)`, for
/// `conns` connections, on a thread. Returns the base URL and the thread.
pub fn raw_server<F>(conns: usize, serve: F) -> (String, thread::JoinHandle<()>)
where
    F: Fn(usize, TcpStream) + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        for i in 0..conns {
            let Ok((sock, _)) = listener.accept() else {
                return;
            };
            sock.set_read_timeout(Some(TIMEOUT)).unwrap();
            sock.set_write_timeout(Some(TIMEOUT)).unwrap();
            serve(i, sock);
        }
    });
    (format!("http://{addr}"), handle)
}

/// Waits (bounded) until the client closes the connection, reading what it sends.
pub fn wait_for_close(sock: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    while matches!(sock.read(&mut buf), Ok(n) if n > 0) {}
}
