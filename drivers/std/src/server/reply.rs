//! [`Reply`]: what a handler answers, a response head and a body of one of three kinds.

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
    pub(crate) body: ReplyBody,
}

/// The three kinds of body, as the connection sends them.
pub(crate) enum ReplyBody {
    Bytes(Bytes),
    Reader { reader: Box<dyn Read>, len: u64 },
    Chunks(Box<dyn Iterator<Item = io::Result<Bytes>>>),
}

h1_common::reply_methods!("h1_std::server", "chunks");

impl Reply {
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
        self.body = ReplyBody::Reader {
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
        self.body = ReplyBody::Chunks(Box::new(chunks.into_iter()));
        self
    }
}
