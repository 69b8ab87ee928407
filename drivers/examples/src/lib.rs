//! The drivers' example programs live in `examples/`: `fetch`, `serve` and `demo`. This
//! library holds what they and the drivers' tests share: the test server's routes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

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
        let target = req.target().to_owned();
        let path = target.split('?').next().unwrap_or_default();
        let (method, read_only) = (req.method(), matches!(req.method(), "GET" | "HEAD"));
        if let Some(n) = path.strip_prefix("/stream/") {
            if !read_only {
                return status(405);
            }
            let Some(n) = number(n).filter(|&n| n <= STREAM_LIMIT) else {
                return status(400);
            };
            let lines = (0..n).map(|i| format!("{{\"id\":{i}}}\n"));
            return Ok(Reply::new(200)?
                .with_header("Content-Type", "application/x-ndjson")?
                .with_chunks(lines));
        }
        if let Some(n) = path.strip_prefix("/bytes/") {
            if !read_only {
                return status(405);
            }
            let Some(n) = number(n) else {
                return status(400);
            };
            return Ok(Reply::new(200)?
                .with_header("Content-Type", "application/octet-stream")?
                .with_reader(Letters(0), n));
        }
        if path == "/echo" {
            if method != "POST" {
                return status(405);
            }
            // A Content-Length over the limit is refused before `100 Continue` invites
            // the body; a chunked body as soon as it passes the limit.
            let body = match req.body().bytes(ECHO_LIMIT) {
                Ok(body) => body,
                Err(e) if e.kind() == ErrorKind::TooLarge => return status(413),
                Err(e) => return Err(e.into()),
            };
            let mut reply = Reply::new(200)?;
            if let Some(kind) = req.headers().get("content-type") {
                reply = reply.with_header("Content-Type", kind)?;
            }
            return Ok(reply.with_body(body));
        }
        status(404)
    }

    /// The byte at `offset` of a `/bytes/N` body.
    pub fn letter(offset: u64) -> u8 {
        b'a' + (offset % 26) as u8
    }

    /// A reply with a status and its reason as a plain-text body.
    fn status(code: u16) -> HandlerResult {
        let reply = Reply::new(code)?;
        let text = format!(
            "{code} {}\n",
            String::from_utf8_lossy(reply.head().reason())
        );
        Ok(reply
            .with_header("Content-Type", "text/plain; charset=utf-8")?
            .with_body(text))
    }

    fn number(s: &str) -> Option<u64> {
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
