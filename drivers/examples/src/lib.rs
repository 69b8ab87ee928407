//! The drivers' example programs live in `examples/`: `fetch`, `serve` and `demo`. This
//! library holds what they and the drivers' tests share: the test server's routes,
//! `fetch`'s progress display, and (feature `tls`) rustls plugged into the blocking client.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The answer of `POST /echo` from the result of reading the request body (`$read`), for
/// either driver's handler: the body back with its `Content-Type`, or `413` past the limit.
macro_rules! echo {
    ($req:ident, $read:expr) => {{
        let body = match $read {
            Ok(body) => body,
            Err(e) if e.kind() == ErrorKind::TooLarge => return status(413),
            Err(e) => return Err(e.into()),
        };
        let mut reply = Reply::new(200)?;
        if let Some(kind) = $req.headers().get("content-type") {
            reply = reply.with_header("Content-Type", kind)?;
        }
        Ok(reply.with_body(body))
    }};
}

/// `fn status(code)`: a reply with a status and its reason as a plain-text body, for the
/// driver whose `Reply` and `HandlerResult` are in scope.
macro_rules! status_reply {
    () => {
        /// A reply with a status and its reason as a plain-text body.
        fn status(code: u16) -> HandlerResult {
            let reply = Reply::new(code)?;
            let text = crate::routes::status_text(code, reply.head().reason());
            Ok(reply
                .with_header("Content-Type", "text/plain; charset=utf-8")?
                .with_body(text))
        }
    };
}

pub mod progress;
#[cfg(feature = "tls")]
pub mod tls;

pub mod routes {
    //! The routes of the `serve` example, for the demo and the tests to reuse:
    //!
    //! - `GET /stream/N`: N lines of NDJSON, `{"id":0}` to `{"id":N-1}`, sent chunked, one
    //!   chunk per line, each written as it is made;
    //! - `GET /bytes/N`: N bytes with `Content-Length` (the letters `a` to `z`, over and
    //!   over: byte `i` is `b'a' + i % 26`); `HEAD` gives the head only;
    //! - `POST /echo`: the request body back (whatever its framing), with its
    //!   `Content-Type`, up to [`ECHO_LIMIT`] bytes (`413` past it).
    //!
    //! Anything else is `404`; a known path with another method `405`; a bad N `400`.

    use std::io::{self, Read};

    use h1_std::server::{HandlerResult, Incoming, Reply};
    use h1_std::ErrorKind;

    /// The largest body `POST /echo` takes: 64 MiB.
    pub const ECHO_LIMIT: u64 = 64 << 20;

    /// The most lines `GET /stream/N` sends.
    pub const STREAM_LIMIT: u64 = 10_000_000;

    /// Answers one request of the test server.
    ///
    /// ```
    /// let running = h1_std::server::Server::bind("127.0.0.1:0")?.spawn(h1_examples::routes::route)?;
    /// # running.shutdown()?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// When the request body cannot be read (the server then closes the connection).
    pub fn route(req: &mut Incoming<'_>) -> HandlerResult {
        match decide(req.method(), req.target()) {
            Route::Stream(n) => {
                let lines = (0..n).map(|i| format!("{{\"id\":{i}}}\n"));
                Ok(Reply::new(200)?
                    .with_header("Content-Type", "application/x-ndjson")?
                    .with_chunks(lines))
            }
            Route::Bytes(n) => Ok(Reply::new(200)?
                .with_header("Content-Type", "application/octet-stream")?
                .with_reader(Letters(0), n)),
            // A Content-Length over the limit is refused before `100 Continue` invites the
            // body; a chunked body as soon as it passes the limit.
            Route::Echo => echo!(req, req.body().bytes(ECHO_LIMIT)),
            Route::Status(code) => status(code),
        }
    }

    /// What the test server answers a request with, decided from its method and target
    /// alone (the same for both drivers' servers).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Route {
        /// `GET /stream/N`: N NDJSON lines.
        Stream(u64),
        /// `GET /bytes/N` (or `HEAD`): N letters.
        Bytes(u64),
        /// `POST /echo`: the body back.
        Echo,
        /// A status alone, with its reason as a plain-text body (400, 404, 405).
        Status(u16),
    }

    /// The route of a request.
    ///
    /// ```
    /// use h1_examples::routes::{decide, Route};
    /// assert_eq!(decide("GET", "/stream/3?x"), Route::Stream(3));
    /// assert_eq!(decide("POST", "/bytes/3"), Route::Status(405));
    /// assert_eq!(decide("GET", "/nothing"), Route::Status(404));
    /// ```
    pub fn decide(method: &str, target: &str) -> Route {
        let path = target.split('?').next().unwrap_or_default();
        let read_only = matches!(method, "GET" | "HEAD");
        if let Some(n) = path.strip_prefix("/stream/") {
            if !read_only {
                return Route::Status(405);
            }
            return number(n)
                .filter(|&n| n <= STREAM_LIMIT)
                .map_or(Route::Status(400), Route::Stream);
        }
        if let Some(n) = path.strip_prefix("/bytes/") {
            if !read_only {
                return Route::Status(405);
            }
            return number(n).map_or(Route::Status(400), Route::Bytes);
        }
        if path == "/echo" {
            return if method == "POST" {
                Route::Echo
            } else {
                Route::Status(405)
            };
        }
        Route::Status(404)
    }

    /// The plain-text body of a status reply: `"404 Not Found\n"`.
    pub fn status_text(code: u16, reason: &[u8]) -> String {
        format!("{code} {}\n", String::from_utf8_lossy(reason))
    }

    /// The byte at `offset` of a `/bytes/N` body.
    pub fn letter(offset: u64) -> u8 {
        b'a' + (offset % 26) as u8
    }

    status_reply!();

    /// A plain decimal number (no sign, no spaces).
    pub fn number(s: &str) -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    /// The endless `/bytes/N` pattern, from an offset; the reply takes N bytes of it.
    struct Letters(u64);

    impl Read for Letters {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            for b in buf.iter_mut() {
                *b = letter(self.0);
                self.0 += 1;
            }
            Ok(buf.len())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn numbers_are_plain_decimal() {
            assert_eq!(number("20"), Some(20));
            assert_eq!(number(""), None);
            assert_eq!(number("+1"), None);
            assert_eq!(number("1x"), None);
            assert_eq!(number("99999999999999999999999"), None);
        }

        #[test]
        fn letters_cycle_from_a_to_z() {
            let mut r = Letters(24);
            let mut buf = [0; 4];
            assert_eq!(r.read(&mut buf).unwrap(), 4);
            assert_eq!(&buf, b"yzab");
            assert_eq!(letter(26 * 1000 + 2), b'c');
        }
    }
}

pub mod tokio_routes {
    //! The same routes ([`routes::decide`](crate::routes::decide)) on the async server.

    use std::pin::Pin;
    use std::task::{Context, Poll};

    use futures_core::Stream;
    use h1_tokio::server::{HandlerResult, Incoming, Reply};
    use h1_tokio::ErrorKind;
    use tokio::io::{AsyncRead, ReadBuf};

    use crate::routes::{decide, letter, Route, ECHO_LIMIT};

    /// Answers one request of the test server, on the async server.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
    /// let running = h1_tokio::server::Server::bind("127.0.0.1:0").await?
    ///     .spawn(h1_examples::tokio_routes::route)?;
    /// # running.shutdown().await?;
    /// # Ok::<(), std::io::Error>(())
    /// # })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// When the request body cannot be read (the server then closes the connection).
    pub async fn route(mut req: Incoming) -> HandlerResult {
        match decide(req.method(), req.target()) {
            Route::Stream(n) => Ok(Reply::new(200)?
                .with_header("Content-Type", "application/x-ndjson")?
                .with_chunks(Lines { next: 0, n })),
            Route::Bytes(n) => Ok(Reply::new(200)?
                .with_header("Content-Type", "application/octet-stream")?
                .with_reader(Letters(0), n)),
            Route::Echo => echo!(req, req.body_mut().bytes(ECHO_LIMIT).await),
            Route::Status(code) => status(code),
        }
    }

    status_reply!();

    /// `{"id":i}` lines, one chunk each.
    struct Lines {
        next: u64,
        n: u64,
    }

    impl Stream for Lines {
        type Item = String;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
            if self.next == self.n {
                return Poll::Ready(None);
            }
            self.next += 1;
            Poll::Ready(Some(format!("{{\"id\":{}}}\n", self.next - 1)))
        }
    }

    /// The `/bytes/N` pattern as an `AsyncRead`.
    struct Letters(u64);

    impl AsyncRead for Letters {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let n = buf.remaining().min(64 * 1024);
            let start = self.0;
            let piece: Vec<u8> = (0..n as u64).map(|i| letter(start + i)).collect();
            buf.put_slice(&piece);
            self.0 += n as u64;
            Poll::Ready(Ok(()))
        }
    }
}
