//! [`ResponseBody`]: a client response's body as the body of an `http::Response`
//! (feature `http`).

use std::fmt;
use std::io::{self, Read};

use bytes::Bytes;
use h1::Headers;
use h1_common::{Error, TextOptions};

use crate::body::{Body, Chunks, Lines};
use crate::client::{Released, Response};
use crate::conn::Stream;
#[cfg(doc)]
use crate::{Client, ErrorKind};

/// The body of a response turned into an `http::Response` ([`Response::into_http`],
/// [`Client::send_http`]; feature `http`): read lazily from the connection the response
/// owns, through [`Read`], pieces, lines or the [`Body`] reader, and the connection goes
/// back to the pool as a [`Response`]'s does.
///
/// ```no_run
/// let client = h1_std::Client::new();
/// let req = http::Request::get("http://127.0.0.1:8080/stream/20").body(())?;
/// let mut res = client.send_http(req)?;
/// for line in res.body_mut().iter_lines() {
///     println!("{}", String::from_utf8_lossy(&line?));
/// }
/// assert_eq!(res.into_body().finish(), h1_std::Released::Pooled);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ResponseBody<S: Stream>(pub(crate) Response<S>);

impl<S: Stream> fmt::Debug for ResponseBody<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResponseBody").field(&self.0).finish()
    }
}

impl<S: Stream> ResponseBody<S> {
    /// The length of the body: as [`Response::content_length`].
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::head("http://127.0.0.1:8080/bytes/100").body(())?;
    /// assert_eq!(client.send_http(req)?.body().content_length(), Some(0)); // HEAD: none
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.0.content_length()
    }

    /// The body reader, for pieces, lines, text or a whole body under a limit (as
    /// [`Response::body`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/bytes/100000").body(())?;
    /// let mut res = client.send_http(req)?;
    /// for piece in res.body_mut().body().chunks(Some(1000)) {
    ///     assert!(piece?.len() <= 1000);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(&mut self) -> Body<'_, S> {
        self.0.body()
    }

    /// Pieces of at most `max` bytes, or of whatever arrived with `None` (as
    /// [`Response::iter_content`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/bytes/100000").body(())?;
    /// let mut res = client.send_http(req)?;
    /// for piece in res.body_mut().iter_content(Some(1000)) {
    ///     assert!(piece?.len() <= 1000);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter_content(&mut self, max: Option<usize>) -> Chunks<'_, S> {
        self.0.iter_content(max)
    }

    /// Lines as bytes, without their terminators (as [`Response::iter_lines`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/stream/20").body(())?;
    /// let mut res = client.send_http(req)?;
    /// for line in res.body_mut().iter_lines() {
    ///     println!("{}", String::from_utf8_lossy(&line?));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter_lines(&mut self) -> Lines<'_, S> {
        self.0.iter_lines()
    }

    /// Reads and discards at most `limit` more body bytes so the connection can be
    /// reused; true when the body ended within the limit (as [`Response::drain`]).
    ///
    /// # Errors
    /// A failure reading.
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/bytes/10").body(())?;
    /// let mut body = client.send_http(req)?.into_body();
    /// if body.drain(1 << 16)? {
    ///     assert_eq!(body.finish(), h1_std::Released::Pooled);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drain(&mut self, limit: u64) -> Result<bool, Error> {
        self.0.drain(limit)
    }

    /// The whole body, refused past `limit` bytes (as [`Response::bytes`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/bytes/100").body(())?;
    /// assert_eq!(client.send_http(req)?.into_body().bytes(1 << 20)?.len(), 100);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], or a failure reading.
    pub fn bytes(self, limit: u64) -> Result<Bytes, Error> {
        self.0.bytes(limit)
    }

    /// The whole body as text, refused past `limit` bytes (as [`Response::text`]).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/").body(())?;
    /// let text = client.send_http(req)?.into_body().text(1 << 20, Default::default())?;
    /// # let _ = text;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::TooLarge`], [`ErrorKind::Decode`], or a failure reading.
    pub fn text(self, limit: u64, options: TextOptions) -> Result<String, Error> {
        self.0.text(limit, options)
    }

    /// The trailer fields of a chunked body (empty until its end was read).
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/stream/3").body(())?;
    /// let mut body = client.send_http(req)?.into_body();
    /// body.drain(1 << 20)?;
    /// println!("{:?}", body.trailers().get_str("x-checksum"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn trailers(&self) -> &Headers {
        self.0.trailers()
    }

    /// Gives the connection back to the pool or closes it, as [`Response::finish`];
    /// dropping the body does the same.
    ///
    /// ```no_run
    /// let client = h1_std::Client::new();
    /// let req = http::Request::get("http://127.0.0.1:8080/bytes/10").body(())?;
    /// let mut body = client.send_http(req)?.into_body();
    /// body.drain(1 << 16)?;
    /// assert_eq!(body.finish(), h1_std::Released::Pooled);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Released {
        self.0.finish()
    }
}

impl<S: Stream> Read for ResponseBody<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}
