//! [`Reply`]: what a handler answers, a response head and a body of one of three kinds.

use std::fmt;
use std::io::{self, Read};

use h1::{Bytes, Response};

/// A handler's answer: a response head and its body.
///
/// The body is one of:
/// - bytes, sent with `Content-Length` ([`Reply::with_body`]; the default is empty);
/// - a [`Read`] with a known length, sent with `Content-Length` in pieces as it is read
///   ([`Reply::with_reader`]);
/// - an iterator of chunks of unknown total length, sent chunked, each chunk written to
///   the socket as soon as the iterator yields it ([`Reply::with_chunks`],
///   [`Reply::with_try_chunks`]); an HTTP/1.0 client gets the same bytes delimited by
///   the end of the connection instead.
///
/// Header fields given here are sent as they are; the server adds the framing fields the
/// body needs (`Content-Length`, or `Transfer-Encoding: chunked` through the core) when
/// they are missing. A response to `HEAD`, and a 204 or 304, go out without their body.
///
/// ```
/// use h1_std::server::Reply;
///
/// let hello = Reply::new(200)?
///     .with_header("Content-Type", "text/plain")?
///     .with_body("hello\n");
/// assert_eq!(hello.head().status(), 200);
///
/// let lines = Reply::new(200)?
///     .with_header("Content-Type", "application/x-ndjson")?
///     .with_chunks((0..3).map(|i| format!("{{\"id\":{i}}}\n")));
/// # let _ = lines;
/// # Ok::<(), h1::Error>(())
/// ```
pub struct Reply {
    pub(crate) head: Response,
    pub(crate) body: Body,
}

/// The three kinds of body, as the connection sends them.
pub(crate) enum Body {
    Bytes(Bytes),
    Reader { reader: Box<dyn Read>, len: u64 },
    Chunks(Box<dyn Iterator<Item = io::Result<Bytes>>>),
}

impl Reply {
    /// A reply with the status's usual reason phrase, no header fields and an empty body.
    ///
    /// ```
    /// let not_found = h1_std::server::Reply::new(404)?;
    /// assert_eq!(not_found.head().reason(), b"Not Found");
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// Informational statuses (1xx) are the server's to send (`100 Continue` goes out
    /// when a handler starts reading a body that waits for it): a handler that returns
    /// one is answered as a failed handler, `500` and a close.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](h1::ErrorKind::InvalidInput) for a status outside
    /// 100–599.
    pub fn new(status: u16) -> Result<Self, h1::Error> {
        Response::new(status).map(Self::from_head)
    }

    /// A reply with the given head and an empty body.
    ///
    /// ```
    /// let head = h1::Response::new(201)?.with_reason("Made")?;
    /// let reply = h1_std::server::Reply::from_head(head);
    /// assert_eq!(reply.head().reason(), b"Made");
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn from_head(head: Response) -> Self {
        Self {
            head,
            body: Body::Bytes(Bytes::new()),
        }
    }

    /// Adds a header field.
    ///
    /// ```
    /// let reply = h1_std::server::Reply::new(200)?.with_header("Cache-Control", "no-store")?;
    /// assert_eq!(reply.head().headers().get("cache-control"), Some(&b"no-store"[..]));
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`h1::Headers::append`]: a name that is not a token, a value with CR, LF or NUL.
    pub fn with_header(mut self, name: &str, value: impl AsRef<[u8]>) -> Result<Self, h1::Error> {
        self.head = self.head.with_header(name, value)?;
        Ok(self)
    }

    /// The body: these bytes, sent with `Content-Length`, in the same write as the head
    /// when they are small.
    ///
    /// ```
    /// let reply = h1_std::server::Reply::new(200)?.with_body(vec![1, 2, 3]);
    /// # let _ = reply;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Body::Bytes(body.into());
        self
    }

    /// The body: `len` bytes read from `reader` as they are sent, with `Content-Length:
    /// len`. Only `len` bytes are read. A reader that ends early, or fails, leaves the
    /// response short: the connection is closed, so the client sees an incomplete body,
    /// never a shorter one taken for whole.
    ///
    /// ```
    /// let file = std::io::Cursor::new(vec![b'x'; 100_000]); // or a std::fs::File
    /// let reply = h1_std::server::Reply::new(200)?.with_reader(file, 100_000);
    /// # let _ = reply;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_reader(mut self, reader: impl Read + 'static, len: u64) -> Self {
        self.body = Body::Reader {
            reader: Box::new(reader),
            len,
        };
        self
    }

    /// The body: the chunks `chunks` yields, sent chunked; each is written to the socket
    /// as soon as it is yielded, so the client sees it while the next is produced. Empty
    /// chunks are skipped (an empty chunk would end the body).
    ///
    /// ```
    /// use std::time::Duration;
    /// let ticks = (0..3).map(|i| {
    ///     std::thread::sleep(Duration::from_millis(1)); // produced over time
    ///     format!("tick {i}\n")
    /// });
    /// let reply = h1_std::server::Reply::new(200)?.with_chunks(ticks);
    /// # let _ = reply;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_chunks<I>(self, chunks: I) -> Self
    where
        I: IntoIterator + 'static,
        I::Item: Into<Bytes>,
    {
        self.with_try_chunks(chunks.into_iter().map(|c| Ok(c.into())))
    }

    /// As [`with_chunks`](Self::with_chunks), for a producer that can fail: at the first
    /// `Err` the body stops without its last chunk and the connection is closed, so the
    /// client sees an incomplete body rather than a complete-looking short one.
    ///
    /// ```
    /// use std::io;
    /// let rows = vec![Ok("a\n".into()), Err(io::Error::other("the database went away"))];
    /// let reply = h1_std::server::Reply::new(200)?.with_try_chunks(rows);
    /// # let _ = reply;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_try_chunks<I>(mut self, chunks: I) -> Self
    where
        I: IntoIterator<Item = io::Result<Bytes>> + 'static,
    {
        self.body = Body::Chunks(Box::new(chunks.into_iter()));
        self
    }

    /// The response head.
    pub fn head(&self) -> &Response {
        &self.head
    }

    /// The response head, to change.
    ///
    /// ```
    /// let mut reply = h1_std::server::Reply::new(200)?;
    /// reply.head_mut().headers_mut().append("X-Request-Id", "42")?;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn head_mut(&mut self) -> &mut Response {
        &mut self.head
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Bytes(b) => format!("{} bytes", b.len()),
            Body::Reader { len, .. } => format!("a reader of {len} bytes"),
            Body::Chunks(_) => "chunks".to_owned(),
        };
        f.debug_struct("Reply")
            .field("head", &self.head)
            .field("body", &body)
            .finish()
    }
}
