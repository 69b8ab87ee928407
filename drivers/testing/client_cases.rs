//! Servers that misbehave, for both drivers' clients: a body cut short, more bytes than
//! the Content-Length, a server too slow for the read timeout, a pooled connection the
//! server closed. Each raw server runs on a thread of its own (blocking `std::net`), so
//! the async client meets exactly the bytes the blocking one does.

use std::io::Write;
use std::thread;
use std::time::Duration;

use h1::{Connection, Role};
use h1_common::ErrorKind;

use super::{raw_server, read_request, wait_for_close};

/// What the raw server does after writing its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// Closes the connection.
    Close,
    /// Keeps it open, sending nothing more, until the client closes it.
    Stall,
}

/// What the client must make of the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The whole body, these bytes; the connection is closed afterwards, not pooled.
    BodyThenClosed(&'static str),
    /// `send` fails with this kind (no usable head arrived).
    HeadError(ErrorKind),
    /// The head arrives; reading the body fails with this kind.
    BodyError(ErrorKind),
}

/// One GET against a raw server that answers `response`, then does `then`.
#[derive(Debug, Clone, Copy)]
pub struct BodyCase {
    pub name: &'static str,
    pub response: &'static [u8],
    pub then: Then,
    /// The request's read timeout (`None`: the test's bound).
    pub read_timeout: Option<Duration>,
    pub expect: Expect,
}

/// The limit the body is read under (`bytes(BODY_LIMIT)`).
pub const BODY_LIMIT: u64 = 999;

const SHORT: Option<Duration> = Some(Duration::from_millis(200));

/// The cases.
pub const BODY_CASES: &[BodyCase] = &[
    BodyCase {
        name: "the server closes mid-body (Content-Length)",
        response: b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..",
        then: Then::Close,
        read_timeout: None,
        expect: Expect::BodyError(ErrorKind::BodyCutShort),
    },
    BodyCase {
        name: "the server closes mid-body (chunked, no last chunk)",
        response: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
        then: Then::Close,
        read_timeout: None,
        expect: Expect::BodyError(ErrorKind::BodyCutShort),
    },
    BodyCase {
        name: "more bytes than the Content-Length: never delivered, the connection dropped",
        response: b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nconn0EXTRA BYTES",
        then: Then::Stall,
        read_timeout: None,
        expect: Expect::BodyThenClosed("conn0"),
    },
    BodyCase {
        name: "a server silent after the request trips the read timeout",
        response: b"",
        then: Then::Stall,
        read_timeout: SHORT,
        expect: Expect::HeadError(ErrorKind::Timeout),
    },
    BodyCase {
        name: "a server silent mid-body trips the read timeout",
        response: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
        then: Then::Stall,
        read_timeout: SHORT,
        expect: Expect::BodyError(ErrorKind::Timeout),
    },
    BodyCase {
        name: "a Content-Length over the caller's limit is refused before reading",
        response: b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
        then: Then::Stall,
        read_timeout: None,
        expect: Expect::BodyError(ErrorKind::TooLarge),
    },
    BodyCase {
        name: "an HTTP/1.0 close-delimited body is read to the close and not pooled",
        response: b"HTTP/1.0 200 OK\r\n\r\nall of it",
        then: Then::Close,
        read_timeout: None,
        expect: Expect::BodyThenClosed("all of it"),
    },
];

/// A raw server for `case`: one connection; reads a request, answers, then does what the
/// case says. Returns the base URL and the server's thread.
pub fn serve_body_case(case: &BodyCase) -> (String, thread::JoinHandle<()>) {
    let (response, then) = (case.response, case.then);
    raw_server(1, move |_, mut sock| {
        let mut conn = Connection::new(Role::Server);
        if read_request(&mut conn, &mut sock).is_none() {
            return;
        }
        if sock.write_all(response).is_err() {
            return;
        }
        if then == Then::Stall {
            wait_for_close(&mut sock);
        }
    })
}

/// How a pooled connection ends when the client sends its second request on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The server reads the request and closes without a byte of an answer (as a server
    /// closing an idle connection just as a request arrives).
    Close,
    /// It closes with the request unread, so the client's read is reset.
    Reset,
    /// It reads the request, sends the start of an answer, and closes.
    Partial,
}

/// What the second request comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryExpect {
    /// Sent again once on a fresh connection (not reused), answered `"fresh N"` where N
    /// is the request body's length; 2 connections opened, 1 retry.
    Retried,
    /// Fails with this kind, saying whether a retry would have been safe; 1 connection
    /// opened, no retry.
    Failed { kind: ErrorKind, retry_safe: bool },
}

/// A first GET that leaves its connection in the pool (answered `"first"`), then a
/// request with `method` (with the body `"payload"` for POST) on that connection, which
/// the server ends as `ending`.
#[derive(Debug, Clone, Copy)]
pub struct RetryCase {
    pub name: &'static str,
    pub ending: Ending,
    pub method: &'static str,
    pub expect: RetryExpect,
}

impl RetryCase {
    /// The connections the server must accept.
    pub fn conns(&self) -> usize {
        match self.expect {
            RetryExpect::Retried => 2,
            RetryExpect::Failed { .. } => 1,
        }
    }
}

/// The cases.
pub const RETRY_CASES: &[RetryCase] = &[
    RetryCase {
        name: "a GET on a pooled connection closed on arrival is retried once",
        ending: Ending::Close,
        method: "GET",
        expect: RetryExpect::Retried,
    },
    RetryCase {
        name: "a GET on a pooled connection reset is retried once",
        ending: Ending::Reset,
        method: "GET",
        expect: RetryExpect::Retried,
    },
    RetryCase {
        name: "a POST on a pooled connection closed on arrival is not retried",
        ending: Ending::Close,
        method: "POST",
        expect: RetryExpect::Failed {
            kind: ErrorKind::Transport,
            retry_safe: true,
        },
    },
    RetryCase {
        name: "a POST on a pooled connection reset is not retried",
        ending: Ending::Reset,
        method: "POST",
        expect: RetryExpect::Failed {
            kind: ErrorKind::Transport,
            retry_safe: true,
        },
    },
    RetryCase {
        name: "a close after some response bytes is not retried",
        ending: Ending::Partial,
        method: "GET",
        expect: RetryExpect::Failed {
            kind: ErrorKind::BodyCutShort,
            retry_safe: false,
        },
    },
];

/// `200 OK` with `body` and its Content-Length.
pub fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers every request on the connection with `wire(target, body)`, until it closes.
pub fn answer_all(mut sock: std::net::TcpStream, wire: impl Fn(&str, &[u8]) -> Vec<u8>) {
    loop {
        // The raw servers write raw responses; the core only reads the requests.
        let mut conn = Connection::new(Role::Server);
        let Some((req, body)) = read_request(&mut conn, &mut sock) else {
            return;
        };
        if sock.write_all(&wire(req.target(), &body)).is_err() {
            return;
        }
    }
}

/// Connection 0 answers its first request `"first"`, then ends as `ending` says; later
/// connections answer `"fresh N"` (N: the request body's length).
pub fn closing_server(conns: usize, ending: Ending) -> (String, thread::JoinHandle<()>) {
    raw_server(conns, move |i, mut sock| {
        if i > 0 {
            return answer_all(sock, |_, body| ok(&format!("fresh {}", body.len())));
        }
        let mut conn = Connection::new(Role::Server);
        read_request(&mut conn, &mut sock).unwrap();
        sock.write_all(&ok("first")).unwrap();
        match ending {
            Ending::Close => {
                let mut conn = Connection::new(Role::Server);
                let _ = read_request(&mut conn, &mut sock);
            }
            Ending::Reset => {
                // Waits for the request's first bytes; closing with them unread makes the
                // kernel answer with a reset.
                let _ = sock.peek(&mut [0u8; 1]);
            }
            Ending::Partial => {
                let mut conn = Connection::new(Role::Server);
                let _ = read_request(&mut conn, &mut sock);
                let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Len");
            }
        }
    })
}

/// Checks what `send` gave for `case`: the error a `HeadError` case expects (not safe to
/// retry: the request reached the server); `Some(())` when a head was expected and came.
pub fn check_sent<T>(case: &BodyCase, sent: &Result<T, h1_common::Error>) -> Option<()> {
    let name = case.name;
    match (sent, case.expect) {
        (Err(e), Expect::HeadError(kind)) => {
            assert_eq!(e.kind(), kind, "{name}: {e}");
            assert!(!e.is_retry_safe(), "{name}: {e}");
            None
        }
        (Ok(_), Expect::HeadError(_)) => panic!("{name}: a head arrived"),
        (Err(e), _) => panic!("{name}: {e}"),
        (Ok(_), _) => Some(()),
    }
}

/// Checks the error reading the body gave for a `BodyError` case: its kind, and the
/// core's error inside it when the body was cut short.
pub fn check_body_error(case: &BodyCase, e: &h1_common::Error) {
    let name = case.name;
    let Expect::BodyError(kind) = case.expect else {
        panic!("{name}: {e}");
    };
    assert_eq!(e.kind(), kind, "{name}: {e}");
    if kind == ErrorKind::BodyCutShort {
        assert!(e.h1().is_some(), "{name}: the core's error stays reachable");
    }
}

/// Checks the second request of a retry case: `Ok((reused, body))` or its error, and the
/// client's statistics after it.
pub fn check_retry(
    case: &RetryCase,
    second: Result<(bool, bytes::Bytes), h1_common::Error>,
    stats: h1_common::client::ClientStats,
) {
    let name = case.name;
    match (second, case.expect) {
        (Ok((reused, body)), RetryExpect::Retried) => {
            assert!(!reused, "{name}: the retry went over a fresh connection");
            assert_eq!(body, "fresh 0", "{name}");
        }
        (Err(e), RetryExpect::Failed { kind, retry_safe }) => {
            assert_eq!(e.kind(), kind, "{name}: {e}");
            assert_eq!(e.is_retry_safe(), retry_safe, "{name}: {e}");
            if retry_safe {
                let core = e.h1().is_some_and(h1::Error::is_retry_safe);
                assert!(core, "{name}: the core's answer");
            }
        }
        (got, _) => panic!("{name}: {:?}", got.map(|(_, body)| body)),
    }
    let retried = u64::from(case.expect == RetryExpect::Retried);
    assert_eq!(
        (stats.opened, stats.retried),
        (1 + retried, retried),
        "{name}"
    );
}

/// Servers for the pool and upload cases both clients play, one function each, so the
/// blocking and the async client meet the same bytes.
pub mod servers {
    use std::io::{Read, Write};
    use std::thread;
    use std::time::Duration;

    use h1::{Connection, Event, Role};

    use super::super::{raw_server, read_request};
    use super::{answer_all, ok};

    type Running = (String, thread::JoinHandle<()>);

    /// Answers one request with a close-delimited text body: `"until\nthe close"`.
    pub fn close_delimited() -> Running {
        raw_server(1, |_, mut sock| {
            let mut conn = Connection::new(Role::Server);
            read_request(&mut conn, &mut sock).unwrap();
            sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil\nthe close")
                .unwrap();
        })
    }

    /// Answers every request with the chunked body `"hello, world"` and the trailer
    /// `X-Sum: 12`.
    pub fn chunked_with_trailers() -> Running {
        raw_server(1, |_, sock| {
            answer_all(sock, |_, _| {
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n\
                  5\r\nhello\r\n7\r\n, world\r\n0\r\nX-Sum: 12\r\n\r\n"
                    .to_vec()
            })
        })
    }

    /// Answers one request with a chunked body of one byte every 50 ms, 50 times.
    pub fn trickling() -> Running {
        raw_server(1, |_, mut sock| {
            let mut conn = Connection::new(Role::Server);
            read_request(&mut conn, &mut sock).unwrap();
            if sock
                .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                .is_err()
            {
                return;
            }
            for _ in 0..50 {
                thread::sleep(Duration::from_millis(50));
                if sock.write_all(b"1\r\nx\r\n").is_err() {
                    return;
                }
            }
        })
    }

    /// Connection 0 answers `"conn 0"` and closes at once (while the client keeps it
    /// idle); connection 1 answers `"conn 1"`, then `"again"` to every request.
    pub fn closing_while_idle() -> Running {
        raw_server(2, |i, mut sock| {
            let mut conn = Connection::new(Role::Server);
            read_request(&mut conn, &mut sock).unwrap();
            sock.write_all(&ok(&format!("conn {i}"))).unwrap();
            if i == 1 {
                answer_all(sock, |_, _| ok("again"));
            }
        })
    }

    /// Answers every request `"ok"` with `Keep-Alive: timeout=1`.
    pub fn keep_alive_one_second() -> Running {
        raw_server(1, |_, sock| {
            answer_all(sock, |_, _| {
                b"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok".to_vec()
            })
        })
    }

    /// Two connections answering `"ok"`: the first with `Connection: close`, the second
    /// as HTTP/1.0 without keep-alive.
    pub fn not_for_reuse() -> Running {
        raw_server(2, |i, sock| {
            answer_all(sock, move |_, _| {
                if i == 0 {
                    b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".to_vec()
                } else {
                    b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec()
                }
            })
        })
    }

    /// Reads one chunked request, calling `seen` with the body's length so far after each
    /// piece of data, and answers the whole body back.
    pub fn chunked_upload(seen: impl Fn(usize) + Send + 'static) -> Running {
        raw_server(1, move |_, mut sock| {
            let mut conn = Connection::new(Role::Server);
            let mut body = Vec::new();
            loop {
                match conn.next_event().unwrap() {
                    Event::NeedData => {
                        assert!(conn.read_into(|b| sock.read(b)).unwrap() > 0);
                    }
                    Event::Request(req) => {
                        let te = req.headers().get_str("transfer-encoding");
                        assert_eq!(te, Some("chunked"));
                    }
                    Event::Data(d) => {
                        body.extend_from_slice(&d);
                        seen(body.len());
                    }
                    Event::EndOfMessage(_) => break,
                    other => panic!("{other:?}"),
                }
            }
            sock.write_all(&ok(&String::from_utf8(body).unwrap()))
                .unwrap();
        })
    }

    /// Answers every request `"got BODY"`.
    pub fn echo_got() -> Running {
        raw_server(1, |_, sock| {
            answer_all(sock, |_, body| {
                ok(&format!("got {}", String::from_utf8_lossy(body)))
            })
        })
    }

    /// Reads a request head with `Expect: 100-continue`, answers `413` at once, and
    /// fails (panics) if any byte of the body follows within 300 ms.
    pub fn refusing_before_continue() -> Running {
        raw_server(1, |_, mut sock| {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                assert_eq!(sock.read(&mut byte).unwrap(), 1);
                head.push(byte[0]);
            }
            sock.write_all(b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n")
                .unwrap();
            sock.set_read_timeout(Some(Duration::from_millis(300)))
                .unwrap();
            match sock.read(&mut byte) {
                Ok(0) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                other => panic!("the body was sent anyway: {other:?}"),
            }
        })
    }

    /// Answers every request `"12345"`.
    pub fn five_bytes() -> Running {
        raw_server(1, |_, sock| answer_all(sock, |_, _| ok("12345")))
    }
}
