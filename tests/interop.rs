//! Interoperability with real peers started by the test on 127.0.0.1: curl and Python's
//! `requests` as clients of an h1 server, and h1 as a client of Python's `http.server`.
//! Every socket has a timeout, every child process a deadline, and each child is killed by
//! its PID when the test ends.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use h1::{BodyMode, Bytes, Connection, Event, Request, Response, Role, State};

const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------
// A minimal blocking loop around the core, as a driver would write it.

fn next(conn: &mut Connection, sock: &mut TcpStream) -> io::Result<Event> {
    for _ in 0..100_000 {
        match conn.next_event() {
            Ok(Event::NeedData) => {
                conn.read_into(|buf| sock.read(buf))?;
            }
            Ok(event) => return Ok(event),
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        }
    }
    Err(io::Error::other("no progress"))
}

fn send(out: Result<h1::Output, h1::Error>, sock: &mut TcpStream) -> io::Result<()> {
    out.map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?
        .write_to(sock)
}

/// What the test server saw.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    connections: AtomicUsize,
}

/// Serves one connection: `/ndjson` streams lines chunked, `/echo` answers with the
/// request body (Content-Length), anything else a short text body.
fn serve_connection(mut sock: TcpStream, seen: &Seen) -> io::Result<()> {
    sock.set_read_timeout(Some(TIMEOUT))?;
    seen.connections.fetch_add(1, Ordering::SeqCst);
    let mut conn = Connection::new(Role::Server);
    loop {
        let req = match next(&mut conn, &mut sock)? {
            Event::Request(req) => req,
            Event::ConnectionClosed => return Ok(()),
            other => return Err(io::Error::other(format!("unexpected {other:?}"))),
        };
        seen.requests.fetch_add(1, Ordering::SeqCst);
        if conn.client_is_waiting_for_100_continue() {
            send(conn.send_response(&Response::new(100).unwrap()), &mut sock)?;
        }
        let mut body = Vec::new();
        loop {
            match next(&mut conn, &mut sock)? {
                Event::Data(d) => body.extend_from_slice(&d),
                Event::EndOfMessage(_) => break,
                other => return Err(io::Error::other(format!("unexpected {other:?}"))),
            }
        }
        let (res, pieces): (Response, Vec<Bytes>) = match req.target() {
            "/ndjson" => (
                Response::new(200)
                    .unwrap()
                    .with_header("Content-Type", "application/x-ndjson")
                    .unwrap(),
                // Lines straddle the chunks on purpose, and one CRLF is split.
                vec![
                    "{\"n\":1}\n{\"n\"".into(),
                    ":2}\r".into(),
                    "\n{\"n\":3}\n".into(),
                ],
            ),
            "/echo" => (
                Response::new(200)
                    .unwrap()
                    .with_header("Content-Length", body.len().to_string())
                    .unwrap(),
                vec![Bytes::from(body)],
            ),
            _ => (
                Response::new(200)
                    .unwrap()
                    .with_header("Content-Length", "6")
                    .unwrap(),
                vec!["hello\n".into()],
            ),
        };
        send(conn.send_response(&res), &mut sock)?;
        if conn.our_state() == State::SendBody {
            for p in pieces {
                if req.method() != "HEAD" {
                    send(conn.send_data(p), &mut sock)?;
                }
            }
            send(conn.send_end(), &mut sock)?;
        }
        match (conn.our_state(), conn.their_state()) {
            (State::Done, State::Done) => conn.start_next_cycle().unwrap(),
            _ => return Ok(()), // MustClose: dropping the socket closes it
        }
    }
}

/// Starts a server accepting up to `max_conns` connections; returns its address.
fn start_server(max_conns: usize) -> (SocketAddr, Arc<Seen>, thread::JoinHandle<io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    let handle = thread::spawn(move || {
        for _ in 0..max_conns {
            let (sock, _) = listener.accept()?;
            serve_connection(sock, &s)?;
        }
        Ok(())
    });
    (addr, seen, handle)
}

/// Runs a command with a deadline; returns its stdout. Stdin is written and stdout/stderr
/// drained on their own threads (no pipe deadlock); the child is killed (by PID) if it
/// overruns.
fn run(cmd: &mut Command, stdin: &[u8]) -> String {
    String::from_utf8(run_bytes(cmd, stdin)).expect("UTF-8 output")
}

/// As [`run`], for binary output.
fn run_bytes(cmd: &mut Command, stdin: &[u8]) -> Vec<u8> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = thread::spawn(move || {
        let mut err = Vec::new();
        let _ = stderr.read_to_end(&mut err);
        err
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            let _ = child.wait();
            panic!("{cmd:?} did not finish in {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    writer.join().unwrap();
    let out = reader.join().unwrap();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    assert!(status.success(), "{cmd:?} failed: {status}\nstderr: {err}");
    out
}

fn curl(args: &[&str], stdin: &[u8]) -> String {
    run(
        Command::new("curl")
            .args(["-sS", "--max-time", "10"])
            .args(args),
        stdin,
    )
}

// ---------------------------------------------------------------------------------------
// curl as the client.

#[test]
fn curl_get_keep_alive_reuses_one_connection() {
    let (addr, seen, server) = start_server(1);
    let url = format!("http://{addr}/a");
    let out = curl(&[&url, &url, &url], b"");
    assert_eq!(out, "hello\nhello\nhello\n");
    server.join().unwrap().unwrap();
    assert_eq!(seen.requests.load(Ordering::SeqCst), 3);
    assert_eq!(seen.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn curl_chunked_upload_and_expect_100() {
    let (addr, _, server) = start_server(2);
    let url = format!("http://{addr}/echo");
    let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let out = run_bytes(
        Command::new("curl")
            .args([
                "-sS",
                "--max-time",
                "10",
                "-H",
                "Transfer-Encoding: chunked",
                "--data-binary",
                "@-",
                "-o",
                "-",
            ])
            .arg(&url),
        &body,
    );
    assert!(out == body, "echoed {} bytes", out.len());
    // Expect: 100-continue: curl waits for our 100 before sending the body.
    let out = curl(
        &["-H", "Expect: 100-continue", "--data-binary", "@-", &url],
        b"waited for 100",
    );
    assert_eq!(out, "waited for 100");
    server.join().unwrap().unwrap();
}

#[test]
fn curl_http10_and_head() {
    let (addr, _, server) = start_server(2);
    let out = curl(&["--http1.0", &format!("http://{addr}/ndjson")], b"");
    assert_eq!(
        out, "{\"n\":1}\n{\"n\":2}\r\n{\"n\":3}\n",
        "close-delimited body for HTTP/1.0"
    );
    let out = curl(&["-I", &format!("http://{addr}/a")], b"");
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains("Content-Length: 6"), "{out}");
    server.join().unwrap().unwrap();
}

// ---------------------------------------------------------------------------------------
// Python's requests as the client: stream=True, iter_lines, a generator upload.

fn python_has_requests() -> bool {
    Command::new("python3")
        .args(["-c", "import requests"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn python_requests_streams_lines_and_uploads_chunked() {
    if !python_has_requests() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install python requests (pip install requests)"
        );
        eprintln!("skipping: python3 with requests not available");
        return;
    }
    let (addr, seen, server) = start_server(1);
    let script = r#"
import sys, requests
base = sys.argv[1]
s = requests.Session()
r = s.get(base + "/ndjson", stream=True, timeout=10)
print(r.status_code, r.headers.get("Transfer-Encoding"))
for line in r.iter_lines():
    print("line", line.decode())
def gen():
    for i in range(5):
        yield b"part%d;" % i
r = s.post(base + "/echo", data=gen(), timeout=10)
print("echo", r.text)
"#;
    let out = run(
        Command::new("python3").args(["-c", script, &format!("http://{addr}")]),
        b"",
    );
    // requests' iter_lines splits each piece with splitlines(): the CRLF our server split
    // across two chunks becomes an extra empty line there. h1's line mode counts it once
    // (tests/lines.rs, crlf_split_across_chunks_is_one_terminator): this pins the
    // difference, so a change on either side shows.
    assert_eq!(
        out,
        "200 chunked\nline {\"n\":1}\nline {\"n\":2}\nline \nline {\"n\":3}\necho part0;part1;part2;part3;part4;\n"
    );
    server.join().unwrap().unwrap();
    assert_eq!(
        seen.connections.load(Ordering::SeqCst),
        1,
        "the session reused the connection"
    );
}

// ---------------------------------------------------------------------------------------
// h1 as the client of Python's http.server.

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a Python http.server (HTTP/1.1) with a chunked NDJSON route; returns its address.
fn start_python_server() -> (SocketAddr, Killed) {
    let script = r#"
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in [b'{"a":1}\n{"b"', b':2}\n', b'{"c":3}']:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            body = b"x" * 100000
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
    do_HEAD = do_GET
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.timeout = 10
for _ in range(20):
    srv.handle_request()
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().parse().expect("port");
    (SocketAddr::from(([127, 0, 0, 1], port)), Killed(child))
}

#[test]
fn h1_client_against_python_http_server() {
    let (addr, _server) = start_python_server();
    let mut sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut conn = Connection::new(Role::Client);
    let host = addr.to_string();

    // A Content-Length body read in bounded pieces.
    let req = Request::new("GET", "/big")
        .unwrap()
        .with_header("Host", &host)
        .unwrap();
    send(conn.send_request(&req), &mut sock).unwrap();
    send(conn.send_end(), &mut sock).unwrap();
    let Event::Response(res) = next(&mut conn, &mut sock).unwrap() else {
        panic!()
    };
    assert_eq!(res.headers().get("content-length"), Some(&b"100000"[..]));
    conn.set_body_mode(BodyMode::Data { max: 4096 }).unwrap();
    let mut total = 0;
    loop {
        match next(&mut conn, &mut sock).unwrap() {
            Event::Data(d) => {
                assert!(d.len() <= 4096);
                total += d.len();
            }
            Event::EndOfMessage(_) => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(total, 100_000);
    // Python's server keeps HTTP/1.1 connections alive: reuse it.
    conn.start_next_cycle().unwrap();

    let req = Request::new("GET", "/chunked")
        .unwrap()
        .with_header("Host", &host)
        .unwrap();
    send(conn.send_request(&req), &mut sock).unwrap();
    send(conn.send_end(), &mut sock).unwrap();
    let Event::Response(_) = next(&mut conn, &mut sock).unwrap() else {
        panic!()
    };
    conn.set_body_mode(BodyMode::Lines).unwrap();
    let mut lines = Vec::new();
    loop {
        match next(&mut conn, &mut sock).unwrap() {
            Event::LineComplete(l) => lines.push(String::from_utf8(l.to_vec()).unwrap()),
            Event::EndOfMessage(_) => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(lines, ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"]);
    conn.start_next_cycle().unwrap();

    // HEAD: a Content-Length but no body.
    let req = Request::new("HEAD", "/big")
        .unwrap()
        .with_header("Host", &host)
        .unwrap();
    send(conn.send_request(&req), &mut sock).unwrap();
    send(conn.send_end(), &mut sock).unwrap();
    let Event::Response(res) = next(&mut conn, &mut sock).unwrap() else {
        panic!()
    };
    assert_eq!(res.headers().get("content-length"), Some(&b"100000"[..]));
    assert!(matches!(
        next(&mut conn, &mut sock).unwrap(),
        Event::EndOfMessage(_)
    ));
}

// ---------------------------------------------------------------------------------------
// A final status while curl waits for 100 Continue.

/// Answers one request with 413 at once, without sending `100 Continue` or reading the
/// body; returns whether the connection stayed reusable and the response head sent.
fn refuse_without_continue(listener: TcpListener) -> io::Result<(bool, bool, Vec<u8>)> {
    let (mut sock, _) = listener.accept()?;
    sock.set_read_timeout(Some(TIMEOUT))?;
    let mut conn = Connection::new(Role::Server);
    let Event::Request(_) = next(&mut conn, &mut sock)? else {
        return Err(io::Error::other("expected a request"));
    };
    let waited = conn.client_is_waiting_for_100_continue();
    let res = Response::new(413)
        .unwrap()
        .with_header("Content-Length", "9")
        .unwrap();
    let head = conn.send_response(&res).unwrap().to_vec();
    sock.write_all(&head)?;
    send(conn.send_data("too large".into()), &mut sock)?;
    send(conn.send_end(), &mut sock)?;
    assert_eq!(conn.our_state(), State::MustClose);
    Ok((waited, conn.is_keep_alive(), head))
    // Dropping the socket closes the connection, as MustClose says.
}

#[test]
fn curl_expect_100_answered_with_413_closes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || refuse_without_continue(listener));
    // curl waits up to 5 s for 100 Continue; the 413 comes first, so it never sends the
    // body and reads the answer at once.
    let started = Instant::now();
    let out = curl(
        &[
            "-i",
            "-H",
            "Expect: 100-continue",
            "--expect100-timeout",
            "5",
            "--data-binary",
            "@-",
            &format!("http://{addr}/upload"),
        ],
        &[b'x'; 1000],
    );
    assert!(started.elapsed() < Duration::from_secs(5), "curl waited");
    let (waited, keep_alive, head) = server.join().unwrap().unwrap();
    assert!(waited, "the server saw curl waiting for 100 Continue");
    assert!(!keep_alive, "the connection is not reused");
    let head = String::from_utf8(head).unwrap();
    assert!(head.contains("\r\nConnection: close\r\n"), "{head}");
    assert!(out.starts_with("HTTP/1.1 413 "), "{out}");
    assert!(out.contains("Connection: close"), "{out}");
    assert!(out.ends_with("too large"), "{out}");
}
