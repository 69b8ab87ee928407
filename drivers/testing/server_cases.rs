//! Exchanges our servers must have with a raw client, whatever the driver: protocol errors
//! answered with their status hint, heads that stall or trickle, idle connections,
//! pipelining, HTTP/1.0, unread bodies. Each case is played over one socket by [`play`],
//! against a server with the example routes (`h1_examples::routes` or `tokio_routes`)
//! and the case's configuration.

use std::io::Write;
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use h1_common::server::ServerConfig;

use super::{connect, letters, ndjson, read_exact, read_to_close};

/// One step of a case.
#[derive(Debug, Clone)]
pub enum Step {
    /// Writes these bytes.
    Send(Vec<u8>),
    /// Writes these bytes one at a time, `every` apart, giving up after `at_most` (or when
    /// the server closed).
    Trickle {
        bytes: Vec<u8>,
        every: Duration,
        at_most: Duration,
    },
    /// Waits.
    Sleep(Duration),
    /// Reads exactly these bytes.
    Read(String),
    /// Reads to the close; the text must start with `starts`, contain each of `contains`
    /// and end with `ends`, and the close must come no sooner than `not_before` after
    /// the step before.
    Closed {
        starts: &'static str,
        contains: Vec<&'static str>,
        ends: &'static str,
        not_before: Duration,
    },
}

/// A server case: a name, a change to the quick configuration, and its steps.
pub struct Case {
    pub name: &'static str,
    pub config: fn(&mut ServerConfig),
    pub steps: Vec<Step>,
}

/// The configuration the cases start from: the defaults, with a short shutdown.
pub fn quick_config() -> ServerConfig {
    let mut config = ServerConfig::default();
    config.shutdown_timeout = Duration::from_secs(5);
    config
}

fn no_change(_: &mut ServerConfig) {}

fn send(bytes: impl Into<Vec<u8>>) -> Step {
    Step::Send(bytes.into())
}

/// Read to the close: an answer starting with `status_line` and closing the connection.
fn answered_and_closed(status_line: &'static str) -> Step {
    Step::Closed {
        starts: status_line,
        contains: vec!["\r\nConnection: close\r\n"],
        ends: "",
        not_before: Duration::ZERO,
    }
}

/// The head of a `/bytes/n` answer from the example routes, and its body.
fn bytes_answer(n: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {n}\r\n\r\n{}",
        String::from_utf8(letters(n)).unwrap()
    )
}

fn small_limits(config: &mut ServerConfig) {
    config.limits.max_start_line = 100;
    config.limits.max_body_size = Some(1000);
}

fn head_deadline(config: &mut ServerConfig) {
    config.header_timeout = Duration::from_millis(400);
}

fn short_idle(config: &mut ServerConfig) {
    config.idle_timeout = Duration::from_millis(300);
}

/// Requests our server refuses with the core's status hint and a close.
pub fn status_hint_cases() -> Vec<Case> {
    let refused = [
        ("garbage".to_owned(), "HELLO THERE\r\n\r\n".to_owned(), "400 Bad Request"),
        (
            "a target over max_start_line".to_owned(),
            format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "x".repeat(200)),
            "414 URI Too Long",
        ),
        (
            "two Host fields".to_owned(),
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".to_owned(),
            "400 Bad Request",
        ),
        (
            "a Content-Length over max_body_size".to_owned(),
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n".to_owned(),
            "413 Content Too Large",
        ),
        (
            "a coding before chunked".to_owned(),
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".to_owned(),
            "501 Not Implemented",
        ),
        (
            "HTTP/3.0".to_owned(),
            "GET / HTTP/3.0\r\nHost: a\r\n\r\n".to_owned(),
            "505 HTTP Version Not Supported",
        ),
        (
            "a bad chunk size in a body the handler reads".to_owned(),
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"
                .to_owned(),
            "400 Bad Request",
        ),
    ];
    refused
        .into_iter()
        .map(|(name, request, status)| Case {
            name: Box::leak(name.into_boxed_str()),
            config: small_limits,
            steps: vec![
                send(request),
                answered_and_closed(Box::leak(format!("HTTP/1.1 {status}\r\n").into_boxed_str())),
            ],
        })
        .collect()
}

/// Heads that stall or trickle, idle connections, pipelining, HTTP/1.0 and unread bodies.
pub fn connection_cases() -> Vec<Case> {
    let is_408 = |not_before| Step::Closed {
        starts: "HTTP/1.1 408 Request Timeout\r\n",
        contains: vec!["\r\nConnection: close\r\n"],
        ends: "",
        not_before,
    };
    let deadline = Duration::from_millis(350);
    let silent_close = |after| Step::Closed {
        starts: "",
        contains: vec![],
        ends: "",
        not_before: after,
    };
    vec![
        Case {
            name: "a new connection on which nothing arrives is closed without an answer",
            config: head_deadline,
            steps: vec![silent_close(Duration::from_millis(350))],
        },
        Case {
            name: "part of a head, then nothing: 408 at the deadline",
            config: head_deadline,
            steps: vec![send("GET /bytes/1 HTTP/1.1\r\nHo"), is_408(deadline)],
        },
        Case {
            name: "a byte every 100 ms: the deadline is for the whole head",
            config: head_deadline,
            steps: vec![
                Step::Trickle {
                    bytes: b"GET /bytes/1 HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".to_vec(),
                    every: Duration::from_millis(100),
                    at_most: Duration::from_millis(700),
                },
                is_408(Duration::ZERO),
            ],
        },
        Case {
            name: "on a kept-alive connection the head deadline counts from its first byte",
            config: head_deadline,
            steps: vec![
                send("GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Step::Read(bytes_answer(3)),
                Step::Sleep(Duration::from_millis(500)),
                send("GET /bytes/3 HTTP/1.1\r\n"),
                is_408(deadline),
            ],
        },
        Case {
            name: "an idle kept-alive connection is closed after the idle timeout",
            config: short_idle,
            steps: vec![
                send("GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Step::Read(bytes_answer(3)),
                silent_close(Duration::from_millis(250)),
            ],
        },
        Case {
            name: "pipelined requests are answered in order on one connection",
            config: no_change,
            steps: vec![
                send(
                    "GET /bytes/5 HTTP/1.1\r\nHost: a\r\n\r\n\
                     POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nping\
                     GET /stream/2 HTTP/1.1\r\nHost: a\r\n\r\n\
                     GET /nowhere HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                ),
                Step::Read(format!(
                    "{}HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nping\
                     HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n\
                     9\r\n{{\"id\":0}}\n\r\n9\r\n{{\"id\":1}}\n\r\n0\r\n\r\n",
                    bytes_answer(5)
                )),
                Step::Closed {
                    starts: "HTTP/1.1 404 Not Found\r\n",
                    contains: vec!["\r\nConnection: close\r\n"],
                    ends: "\r\n\r\n404 Not Found\n",
                    not_before: Duration::ZERO,
                },
            ],
        },
        Case {
            name: "an HTTP/1.0 client gets a close-delimited stream",
            config: no_change,
            steps: vec![
                send("GET /stream/3 HTTP/1.0\r\n\r\n"),
                Step::Closed {
                    starts: "HTTP/1.1 200 OK\r\n",
                    contains: vec![],
                    ends: leak(format!("\r\n\r\n{}", ndjson(3))),
                    not_before: Duration::ZERO,
                },
            ],
        },
        Case {
            name: "an unread small body is drained and the connection kept",
            config: no_change,
            steps: vec![
                // A known path with another method: answered 405 without reading.
                send("POST /bytes/3 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"),
                send("GET /bytes/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
                Step::Closed {
                    starts: "HTTP/1.1 405 Method Not Allowed\r\n",
                    contains: vec!["\n405 Method Not Allowed\nHTTP/1.1 200 OK\r\n"],
                    ends: "Connection: close\r\n\r\nab",
                    not_before: Duration::ZERO,
                },
            ],
        },
    ]
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Plays `case` over one connection to `addr`; panics, naming the case, on any
/// difference.
pub fn play(addr: SocketAddr, case: &Case) {
    let name = case.name;
    let mut sock = connect(addr);
    let mut since = Instant::now();
    for step in &case.steps {
        match step {
            Step::Send(bytes) => {
                sock.write_all(bytes).unwrap();
                since = Instant::now();
            }
            Step::Trickle {
                bytes,
                every,
                at_most,
            } => {
                let start = Instant::now();
                for b in bytes {
                    if start.elapsed() > *at_most || sock.write_all(&[*b]).is_err() {
                        break;
                    }
                    thread::sleep(*every);
                }
                since = Instant::now();
            }
            Step::Sleep(d) => thread::sleep(*d),
            Step::Read(want) => {
                let got = read_exact(&mut sock, want.len());
                assert_eq!(String::from_utf8_lossy(&got), *want, "{name}");
                since = Instant::now();
            }
            Step::Closed {
                starts,
                contains,
                ends,
                not_before,
            } => {
                let got = String::from_utf8_lossy(&read_to_close(&mut sock)).into_owned();
                let took = since.elapsed();
                assert!(got.starts_with(starts), "{name}: {got:?}");
                assert!(got.ends_with(ends), "{name}: {got:?}");
                for part in contains {
                    assert!(got.contains(part), "{name}: {part:?} in {got:?}");
                }
                if starts.is_empty() && ends.is_empty() && contains.is_empty() {
                    assert_eq!(got, "", "{name}: a silent close");
                }
                assert!(took >= *not_before, "{name}: closed after {took:?}");
                assert!(
                    took < Duration::from_secs(4),
                    "{name}: closed after {took:?}"
                );
            }
        }
    }
}

/// Four pipelined requests, only the second with a body, for a handler that answers
/// `"{is_done} {content_length:?} {body length} {charset or decode error kind:?}"` (see
/// [`check_bodiless_answers`]).
pub const BODILESS_REQUESTS: &[u8] =
    b"GET /a HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n\
      POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc\
      GET /c HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain; charset=klingon\r\n\r\n\
      GET /d HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

/// Checks the answers to [`BODILESS_REQUESTS`] (`got`: all the server wrote): a request
/// without a body reads as empty and finished, and still knows its head's `Content-Type`.
pub fn check_bodiless_answers(got: &str) {
    let bodies: Vec<&str> = got
        .split("HTTP/1.1 200 OK\r\n")
        .skip(1)
        .map(|r| r.split_once("\r\n\r\n").unwrap().1)
        .collect();
    let latin1 = format!("{:?}", h1_common::Charset::ISO_8859_1);
    let utf8 = format!("{:?}", h1_common::Charset::UTF_8);
    let decode = format!("{:?}", h1_common::ErrorKind::Decode);
    assert_eq!(
        bodies,
        [
            format!("true Some(0) 0 {latin1}"),
            format!("false Some(3) 3 {utf8}"),
            format!("true Some(0) 0 {decode}"),
            format!("true Some(0) 0 {utf8}"),
        ]
    );
}
