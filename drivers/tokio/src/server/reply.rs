//! [`Reply`]: what a handler answers, a response head and a body of one of three kinds.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use h1::Response;
use tokio::io::AsyncRead;

/// A boxed stream of body chunks, as the server sends them.
pub(crate) type ChunkStream = Box<dyn Stream<Item = io::Result<Bytes>> + Send + Unpin>;

/// A handler's answer: a response head and its body.
///
/// The body is one of:
/// - bytes, sent with `Content-Length` ([`Reply::with_body`]; the default is empty);
/// - an [`AsyncRead`] with a known length, sent with `Content-Length` in pieces as it is
///   read ([`Reply::with_reader`]);
/// - a [`Stream`] of chunks of unknown total length, sent chunked, each chunk written and
///   flushed as soon as the stream yields it ([`Reply::with_chunks`],
///   [`Reply::with_try_chunks`]); an HTTP/1.0 client gets the same bytes delimited by the
///   end of the connection instead. The stream is polled only when the previous chunk was
///   written, so a slow reader slows the producer.
///
/// Header fields given here are sent as they are; the server adds the framing fields the
/// body needs when they are missing. A response to `HEAD`, and a 204 or 304, go out
/// without their body.
///
/// ```
/// use h1_tokio::server::Reply;
///
/// let hello = Reply::new(200)?
///     .with_header("Content-Type", "text/plain")?
///     .with_body("hello\n");
/// assert_eq!(hello.head().status(), 200);
/// # Ok::<(), h1::Error>(())
/// ```
pub struct Reply {
    pub(crate) head: Response,
    pub(crate) body: ReplyBody,
}

/// The three kinds of body, as the connection sends them.
pub(crate) enum ReplyBody {
    Bytes(Bytes),
    Reader {
        reader: Pin<Box<dyn AsyncRead + Send>>,
        len: u64,
    },
    Chunks(ChunkStream),
}

h1_common::reply_methods!("h1_tokio::server", "a stream of chunks");

impl Reply {
    /// The body read from `reader`, exactly `len` bytes, sent with `Content-Length` in
    /// pieces as they are read. A reader that ends early closes the connection (the
    /// client sees a body cut short, never a short success).
    ///
    /// ```
    /// let file_like: &'static [u8] = b"0123456789";
    /// let r = h1_tokio::server::Reply::new(200)?.with_reader(file_like, 10);
    /// # let _ = r;
    /// # Ok::<(), h1::Error>(())
    /// ```
    #[must_use]
    pub fn with_reader(mut self, reader: impl AsyncRead + Send + 'static, len: u64) -> Self {
        self.body = ReplyBody::Reader {
            reader: Box::pin(reader),
            len,
        };
        self
    }

    /// The body as a stream of chunks, sent chunked (empty chunks are skipped), each
    /// written and flushed as it is produced.
    ///
    /// ```
    /// use futures_core::Stream;
    /// use std::pin::Pin;
    /// use std::task::{Context, Poll};
    ///
    /// /// Counts to three, one line per chunk.
    /// struct Count(u8);
    /// impl Stream for Count {
    ///     type Item = String;
    ///     fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
    ///         self.0 += 1;
    ///         Poll::Ready((self.0 <= 3).then(|| format!("{}\n", self.0)))
    ///     }
    /// }
    /// let r = h1_tokio::server::Reply::new(200)?.with_chunks(Count(0));
    /// # let _ = r;
    /// # Ok::<(), h1::Error>(())
    /// ```
    #[must_use]
    pub fn with_chunks<S, T>(self, chunks: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
        T: Into<Bytes>,
    {
        self.chunk_stream(chunks, |chunk| Ok(chunk.into()))
    }

    /// The body as a stream of chunks that may fail: a failure ends the response early,
    /// without its last chunk, and closes the connection, so the client sees a body cut
    /// short.
    ///
    /// ```
    /// # use futures_core::Stream;
    /// # use std::pin::Pin;
    /// # use std::task::{Context, Poll};
    /// struct Failing;
    /// impl Stream for Failing {
    ///     type Item = std::io::Result<&'static str>;
    ///     fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
    ///         Poll::Ready(Some(Err(std::io::Error::other("the source failed"))))
    ///     }
    /// }
    /// let r = h1_tokio::server::Reply::new(200)?.with_try_chunks(Failing);
    /// # let _ = r;
    /// # Ok::<(), h1::Error>(())
    /// ```
    #[must_use]
    pub fn with_try_chunks<S, T, E>(self, chunks: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        T: Into<Bytes>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.chunk_stream(chunks, |chunk| {
            chunk.map(Into::into).map_err(io::Error::other)
        })
    }

    fn chunk_stream<S>(mut self, chunks: S, map: fn(S::Item) -> io::Result<Bytes>) -> Self
    where
        S: Stream + Send + 'static,
    {
        self.body = ReplyBody::Chunks(Box::new(IoChunks {
            inner: Box::pin(chunks),
            map,
        }));
        self
    }
}

/// A stream of chunks turned into `io::Result<Bytes>` items by `map`.
struct IoChunks<S: Stream> {
    inner: Pin<Box<S>>,
    map: fn(S::Item) -> io::Result<Bytes>,
}

impl<S: Stream> Stream for IoChunks<S> {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let map = self.map;
        self.inner.as_mut().poll_next(cx).map(|o| o.map(map))
    }
}
