//! What comes out of [`Connection::next_event`](crate::Connection::next_event), and the
//! request and response heads that go both ways.

use bytes::Bytes;
use core::fmt;

use crate::error::Error;
use crate::headers::{is_token, Headers, Span};

/// The HTTP version of a message: HTTP/1.0 or HTTP/1.1.
///
/// A received message with a later HTTP/1 minor version (`HTTP/1.2` to `HTTP/1.9`) is
/// processed as HTTP/1.1 and reports [`Version::Http11`] (RFC 9110 §2.5: a recipient
/// processes a higher minor version as the highest it conforms to). Any other major
/// version is refused with status 505.
///
/// ```
/// use h1::Version;
/// assert!(Version::Http10 < Version::Http11);
/// assert_eq!(h1::Request::new("GET", "/")?.version(), Version::Http11); // what h1 sends
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Version {
    /// HTTP/1.0: no chunked coding, no keep-alive unless asked for.
    Http10,
    /// HTTP/1.1.
    Http11,
}

impl Version {
    /// `"1.0"` or `"1.1"`.
    ///
    /// ```
    /// assert_eq!(h1::Version::Http11.as_str(), "1.1");
    /// assert_eq!(format!("HTTP/{}", h1::Version::Http10.as_str()), "HTTP/1.0");
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http10 => "1.0",
            Self::Http11 => "1.1",
        }
    }
}

/// A request head: method, request target, version and header fields.
///
/// ```
/// let mut req = h1::Request::new("GET", "/search?q=h1")?;
/// req.headers_mut().append("Host", "example.com")?;
/// assert_eq!(req.method(), "GET");
/// assert_eq!(req.target(), "/search?q=h1");
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Clone)]
pub struct Request {
    /// `method SP target`: one buffer for both (for a parsed request, a part of its head).
    line: Text,
    /// `line[..method_end]` is the method; `line[method_end + 1..]` the target.
    method_end: usize,
    version: Version,
    headers: Headers,
}

impl Request {
    /// A new HTTP/1.1 request head with no header fields.
    ///
    /// ```
    /// let req = h1::Request::new("PATCH", "/items/7")?;
    /// assert_eq!((req.method(), req.target()), ("PATCH", "/items/7"));
    /// assert!(h1::Request::new("GET", "/a b").is_err()); // a space in the target
    /// assert!(h1::Request::new("G T", "/").is_err()); // a method is a token
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `method` is not a
    /// token, `target` is empty or has a byte outside visible ASCII, or the two together
    /// are 4 GiB or longer.
    pub fn new(method: &str, target: &str) -> Result<Self, Error> {
        if !is_token(method.as_bytes()) {
            return Err(Error::input("request method is not a token"));
        }
        if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::input(
                "request target is empty or has a byte outside visible ASCII",
            ));
        }
        if method.len() + target.len() >= u32::MAX as usize {
            return Err(Error::input("request line longer than 4 GiB"));
        }
        // `method SP target` goes first in the fields' storage: one allocation for both.
        let (headers, line) = Headers::with_prefix(&[method.as_bytes(), b" ", target.as_bytes()]);
        Ok(Self {
            line: Text::InHead(line),
            method_end: method.len(),
            version: Version::Http11,
            headers,
        })
    }

    /// A parsed request: `method SP target` lies at `line` (`start..end`) in the head that
    /// `headers` were parsed from; the method is `method_end` bytes long.
    pub(crate) fn from_parts(
        line: Span,
        method_end: usize,
        version: Version,
        headers: Headers,
    ) -> Self {
        Self {
            line: Text::InHead(line),
            method_end,
            version,
            headers,
        }
    }

    /// `method SP target`.
    pub(crate) fn line(&self) -> &[u8] {
        self.line.get(&self.headers)
    }

    pub(crate) fn method_bytes(&self) -> &[u8] {
        self.line().get(..self.method_end).unwrap_or_default()
    }

    pub(crate) fn target_bytes(&self) -> &[u8] {
        self.line().get(self.method_end + 1..).unwrap_or_default()
    }

    /// The method, as sent (methods are case-sensitive: `GET` is not `get`).
    ///
    /// ```
    /// let req = h1::Request::new("DELETE", "/items/7")?;
    /// assert_eq!(req.method(), "DELETE");
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn method(&self) -> &str {
        // Checked to be a token on parse and in `new`, so ASCII.
        core::str::from_utf8(self.method_bytes()).unwrap_or_default()
    }

    /// The request target: origin form (`/path?q`), absolute form (`http://h/p`),
    /// authority form (`host:port`, for CONNECT) or asterisk form (`*`, for OPTIONS).
    ///
    /// ```
    /// assert_eq!(h1::Request::new("GET", "/a?b=c")?.target(), "/a?b=c");
    /// assert_eq!(h1::Request::new("CONNECT", "example.com:443")?.target(), "example.com:443");
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn target(&self) -> &str {
        // Checked to be visible ASCII on parse and in `new`.
        core::str::from_utf8(self.target_bytes()).unwrap_or_default()
    }

    /// The HTTP version the peer sent (requests we send are always HTTP/1.1).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET /a HTTP/1.0\r\n\r\n")?;
    /// let h1::Event::Request(req) = server.next_event()? else { panic!() };
    /// assert_eq!(req.version(), h1::Version::Http10);
    /// assert_eq!(h1::Request::new("GET", "/")?.version(), h1::Version::Http11);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn version(&self) -> Version {
        self.version
    }

    /// The header fields, in order.
    ///
    /// ```
    /// let req = h1::Request::new("GET", "/")?.with_header("Host", "a")?.with_header("Accept", "*/*")?;
    /// let names: Vec<&str> = req.headers().iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["Host", "Accept"]);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The header fields, to add or remove some before sending.
    ///
    /// ```
    /// let mut req = h1::Request::new("GET", "/")?.with_header("Host", "a")?;
    /// req.headers_mut().append("Accept", "text/plain")?;
    /// req.headers_mut().remove("host");
    /// assert_eq!(req.headers().len(), 1);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn headers_mut(&mut self) -> &mut Headers {
        self.line.detach(&self.headers);
        &mut self.headers
    }

    /// Adds a header field and returns the request, for building in one expression.
    ///
    /// # Errors
    /// As [`Headers::append`].
    ///
    /// ```
    /// let req = h1::Request::new("GET", "/")?.with_header("Host", "example.com")?;
    /// assert_eq!(req.headers().get_str("host"), Some("example.com"));
    /// assert!(h1::Request::new("GET", "/")?.with_header("Bad Name", "x").is_err());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_header(mut self, name: &str, value: impl AsRef<[u8]>) -> Result<Self, Error> {
        // Appending keeps every byte already stored where it was: the line stays valid.
        self.headers.append(name, value)?;
        Ok(self)
    }
}

impl PartialEq for Request {
    fn eq(&self, other: &Self) -> bool {
        self.method_bytes() == other.method_bytes()
            && self.target_bytes() == other.target_bytes()
            && self.version == other.version
            && self.headers == other.headers
    }
}

impl Eq for Request {}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method())
            .field("target", &self.target())
            .field("version", &self.version)
            .field("headers", &self.headers)
            .finish()
    }
}

/// A response head: status, reason phrase, version and header fields. Also used for
/// informational (1xx) responses.
///
/// ```
/// let res = h1::Response::new(404)?.with_header("Content-Length", "0")?;
/// assert_eq!(res.status(), 404);
/// assert_eq!(res.reason(), b"Not Found");
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Clone)]
pub struct Response {
    status: u16,
    reason: Text,
    version: Version,
    headers: Headers,
}

impl Response {
    /// A new HTTP/1.1 response head with the status's usual reason phrase and no fields.
    ///
    /// ```
    /// let res = h1::Response::new(404)?;
    /// assert_eq!(res.reason(), b"Not Found");
    /// let res = res.with_reason("Nothing Here")?;
    /// assert_eq!(res.reason(), b"Nothing Here");
    /// assert!(h1::Response::new(600).is_err());
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `status` is not in
    /// 100–599.
    pub fn new(status: u16) -> Result<Self, Error> {
        if !(100..=599).contains(&status) {
            return Err(Error::input("status code outside 100-599"));
        }
        Ok(Self {
            status,
            reason: Text::Own(Bytes::from_static(canonical_reason(status).as_bytes())),
            version: Version::Http11,
            headers: Headers::new(),
        })
    }

    /// A parsed response: its reason phrase lies at `reason` (`start..end`) in the head
    /// that `headers` were parsed from.
    pub(crate) fn from_parts(
        status: u16,
        reason: Span,
        version: Version,
        headers: Headers,
    ) -> Self {
        Self {
            status,
            reason: Text::InHead(reason),
            version,
            headers,
        }
    }

    /// Replaces the reason phrase.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when it has a control
    /// character other than HTAB.
    ///
    /// ```
    /// let res = h1::Response::new(200)?.with_reason("Fine")?;
    /// assert_eq!(res.reason(), b"Fine");
    /// assert!(h1::Response::new(200)?.with_reason("bad\r\n").is_err());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_reason(mut self, reason: &str) -> Result<Self, Error> {
        if reason
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(Error::input("reason phrase has a control character"));
        }
        self.reason = Text::Own(Bytes::copy_from_slice(reason.as_bytes()));
        Ok(self)
    }

    /// Adds a header field and returns the response, for building in one expression.
    ///
    /// # Errors
    /// As [`Headers::append`].
    ///
    /// ```
    /// let res = h1::Response::new(200)?.with_header("Content-Length", "0")?;
    /// assert_eq!(res.headers().get_str("content-length"), Some("0"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_header(mut self, name: &str, value: impl AsRef<[u8]>) -> Result<Self, Error> {
        // Appending keeps every byte already stored where it was: the reason stays valid.
        self.headers.append(name, value)?;
        Ok(self)
    }

    /// The status code, 100–599.
    ///
    /// ```
    /// assert_eq!(h1::Response::new(204)?.status(), 204);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reason phrase as bytes (it may be empty, and may hold obs-text).
    ///
    /// ```
    /// assert_eq!(h1::Response::new(404)?.reason(), b"Not Found");
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let _ = client.send_request(&h1::Request::new("GET", "/")?.with_header("Host", "a")?)?;
    /// let _ = client.send_end()?;
    /// client.receive(b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n")?;
    /// let h1::Event::Response(res) = client.next_event()? else { panic!() };
    /// assert_eq!(res.reason(), b""); // an empty reason is allowed
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn reason(&self) -> &[u8] {
        self.reason.get(&self.headers)
    }

    /// The HTTP version the peer sent (responses we send are always HTTP/1.1).
    ///
    /// ```
    /// assert_eq!(h1::Response::new(200)?.version(), h1::Version::Http11);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn version(&self) -> Version {
        self.version
    }

    /// True for 1xx statuses.
    ///
    /// ```
    /// assert!(h1::Response::new(103)?.is_informational());
    /// assert!(!h1::Response::new(200)?.is_informational());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_informational(&self) -> bool {
        self.status < 200
    }

    /// The header fields, in order.
    ///
    /// ```
    /// let res = h1::Response::new(200)?.with_header("Server", "h1")?;
    /// assert_eq!(res.headers().get_str("server"), Some("h1"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The header fields, to add or remove some before sending.
    ///
    /// ```
    /// let mut res = h1::Response::new(200)?;
    /// res.headers_mut().append("Cache-Control", "no-store")?;
    /// assert!(res.headers().contains("cache-control"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn headers_mut(&mut self) -> &mut Headers {
        self.reason.detach(&self.headers);
        &mut self.headers
    }
}

impl PartialEq for Response {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.reason() == other.reason()
            && self.version == other.version
            && self.headers == other.headers
    }
}

impl Eq for Response {}

/// The bytes of a start line's part (a request's `method SP target`, a reason phrase).
#[derive(Clone)]
enum Text {
    /// In a buffer of its own: taken out of the fields' storage before they could be
    /// replaced, or a static reason phrase.
    Own(Bytes),
    /// A span of the fields' storage: the head they were parsed from, or the storage of a
    /// built request, which begins with its line. No `Bytes` (and no refcount or
    /// allocation) of its own. Appending fields keeps it valid (stored bytes never move
    /// within the storage); only `headers_mut`, which could replace the fields, detaches it.
    InHead(Span),
}

impl Text {
    fn get<'a>(&'a self, headers: &'a Headers) -> &'a [u8] {
        match self {
            Self::Own(b) => b,
            Self::InHead(span) => span.get(headers.storage()),
        }
    }

    /// Before the fields may change (or be replaced): the text gets its own `Bytes`, a
    /// slice of the head while the fields still share it.
    fn detach(&mut self, headers: &Headers) {
        if let Self::InHead(span) = *self {
            *self = Self::Own(match headers.shared() {
                Some(head) => head.slice(span.range()),
                None => Bytes::copy_from_slice(self.get(headers)),
            });
        }
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field(
                "reason",
                &alloc::string::String::from_utf8_lossy(self.reason()),
            )
            .field("version", &self.version)
            .field("headers", &self.headers)
            .finish()
    }
}

/// The usual reason phrase of a status, or `""`.
pub(crate) fn canonical_reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// What [`Connection::next_event`](crate::Connection::next_event) hands out.
///
/// After every input, drain events until [`Event::NeedData`] or [`Event::Paused`]:
///
/// ```
/// use h1::{Connection, Event, Role};
///
/// let mut server = Connection::new(Role::Server);
/// // Two pipelined requests in one read; the second waits for our first answer.
/// server.receive(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi\
///                  GET /b HTTP/1.1\r\nHost: x\r\n\r\n")?;
/// let mut seen = Vec::new();
/// loop {
///     match server.next_event()? {
///         Event::Request(req) => seen.push(format!("request {}", req.target())),
///         Event::Data(data) => seen.push(format!("{} body bytes", data.len())),
///         Event::EndOfMessage(_) => seen.push("end".into()),
///         Event::NeedData | Event::Paused => break, // read more, or act first
///         other => seen.push(format!("{other:?}")),
///     }
/// }
/// assert_eq!(seen, ["request /a", "2 body bytes", "end"]);
/// assert!(server.response_due()); // answer /a; /b comes after start_next_cycle
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A request head arrived (server role). Its body, if any, follows.
    Request(Request),
    /// A final response head arrived (client role). Its body, if any, follows; a 2xx answer
    /// to CONNECT is followed by nothing: the connection is then a tunnel.
    Response(Response),
    /// An informational (1xx) response arrived (client role); the final one is still to
    /// come, unless it is a 101 that switched protocols.
    Informational(Response),
    /// A piece of body, never empty, and no longer than the [`BodyMode::Data`] bound.
    /// A zero-copy slice of the receive buffer, with one exception: the data of small
    /// chunks (at most 256 bytes each) that were received one after another is copied
    /// into one piece, which costs less than an event for each. Chunk boundaries carry no
    /// meaning (RFC 9112 §7.1), and no chunk waits for one not yet received.
    Data(Bytes),
    /// One line of the body in [`BodyMode::Lines`], without its terminator (CRLF, LF or CR).
    LineComplete(Bytes),
    /// The message is complete; holds the trailer fields of a chunked body (often empty).
    EndOfMessage(Headers),
    /// The peer closed its side cleanly, between messages. Returned again on every later call.
    ConnectionClosed,
    /// Nothing can be decided with the bytes at hand: read more and call
    /// [`Connection::receive`](crate::Connection::receive), or
    /// [`receive_eof`](crate::Connection::receive_eof) at the end of the stream.
    NeedData,
    /// The connection will not produce events until we act: our response to an earlier
    /// pipelined request is not done yet (finish it, then
    /// [`start_next_cycle`](crate::Connection::start_next_cycle)), or the protocol
    /// switched (take the bytes that follow with
    /// [`take_trailing_data`](crate::Connection::take_trailing_data)), or may switch
    /// (answer the Upgrade or CONNECT request).
    Paused,
}

/// How the body of the incoming message is delivered, chosen with
/// [`Connection::set_body_mode`](crate::Connection::set_body_mode) after its head arrived.
/// Every message starts in `Data { max: usize::MAX }`.
///
/// Reading an NDJSON stream line by line, whatever the chunking and however the reads
/// split it (here a CRLF is split between two chunks, and the last line has no newline):
///
/// ```
/// use h1::{BodyMode, Connection, Event, Request, Role};
///
/// let mut client = Connection::new(Role::Client);
/// let req = Request::new("GET", "/stream")?.with_header("Host", "api.example")?;
/// let _ = client.send_request(&req)?;
/// let _ = client.send_end()?;
///
/// client.receive(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")?;
/// let Event::Response(_) = client.next_event()? else { panic!() };
/// client.set_body_mode(BodyMode::Lines)?;
///
/// let mut lines = Vec::new();
/// for read in [&b"9\r\n{\"id\":1}\r\r\n"[..], b"9\r\n\n{\"id\":2}\r\n", b"0\r\n\r\n"] {
///     client.receive(read)?;
///     loop {
///         match client.next_event()? {
///             Event::LineComplete(line) => lines.push(line),
///             Event::NeedData | Event::EndOfMessage(_) => break,
///             other => panic!("{other:?}"),
///         }
///     }
/// }
/// assert_eq!(lines, ["{\"id\":1}", "{\"id\":2}"]);
/// # Ok::<(), h1::Error>(())
/// ```
///
/// And in pieces of at most 4 bytes, as Python's `iter_content(4)`:
///
/// ```
/// use h1::{BodyMode, Connection, Event, Role};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789")?;
/// let Event::Request(_) = server.next_event()? else { panic!() };
/// server.set_body_mode(BodyMode::Data { max: 4 })?;
/// let mut pieces = Vec::new();
/// while let Event::Data(piece) = server.next_event()? {
///     pieces.push(piece);
/// }
/// assert_eq!(pieces, ["0123", "4567", "89"]);
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyMode {
    /// [`Event::Data`] pieces of at most `max` bytes (`usize::MAX`: whatever arrived),
    /// as Python's `iter_content(chunk_size)`. Splitting does not copy.
    Data {
        /// The largest piece handed out; at least 1.
        max: usize,
    },
    /// [`Event::LineComplete`] for each line, as Python's `iter_lines()`: terminators are
    /// CRLF, LF and a lone CR; a CRLF split across reads or chunks counts once; a last
    /// line without terminator comes before [`Event::EndOfMessage`].
    Lines,
}

impl Default for BodyMode {
    fn default() -> Self {
        Self::Data { max: usize::MAX }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_phrase_refuses_control_characters() {
        // CR LF in a reason phrase would split the response: refused, as any control
        // character but HTAB, and DEL.
        for bad in ["OK\r\nX: y", "a\rb", "a\nb", "\0", "\x1f", "\x7f", "x\x01"] {
            let e = Response::new(200).unwrap().with_reason(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{bad:?}");
        }
        for good in ["", "All good", "a\tb", " ~!", "caf\u{e9}"] {
            let res = Response::new(200).unwrap().with_reason(good).unwrap();
            assert_eq!(res.reason(), good.as_bytes());
        }
    }

    #[test]
    fn request_new_validates() {
        assert!(Request::new("GET", "/").is_ok());
        assert!(Request::new("G T", "/").is_err());
        assert!(Request::new("", "/").is_err());
        assert!(Request::new("GET", "").is_err());
        assert!(Request::new("GET", "/a b").is_err());
        assert!(Request::new("GET", "/caf\u{e9}").is_err());
    }

    #[test]
    fn response_new_validates() {
        assert_eq!(Response::new(200).unwrap().reason(), b"OK");
        assert_eq!(Response::new(599).unwrap().reason(), b"");
        assert!(Response::new(99).is_err());
        assert!(Response::new(600).is_err());
        assert!(Response::new(200).unwrap().with_reason("A\r\nB").is_err());
        assert!(Response::new(101).unwrap().is_informational());
    }

    fn parsed_request() -> Request {
        let mut conn = crate::Connection::new(crate::Role::Server);
        conn.receive(b"PATCH /items/7?x=1 HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\r\n")
            .unwrap();
        let Ok(Event::Request(req)) = conn.next_event() else {
            panic!("no request")
        };
        req
    }

    /// A parsed start line lies in the head the fields share; editing or replacing the
    /// fields must not lose or change it.
    #[test]
    fn start_line_survives_edited_and_replaced_fields() {
        let req = parsed_request();
        assert!(matches!(req.line, Text::InHead { .. }));
        assert_eq!((req.method(), req.target()), ("PATCH", "/items/7?x=1"));
        assert_eq!(req, req.clone());

        let mut edited = req.clone();
        edited.headers_mut().remove("x-a");
        edited.headers_mut().append("X-B", "2").unwrap();
        assert_eq!(
            (edited.method(), edited.target()),
            ("PATCH", "/items/7?x=1")
        );
        assert_ne!(edited, req);

        let mut replaced = req.clone();
        *replaced.headers_mut() = Headers::new();
        assert_eq!(
            (replaced.method(), replaced.target()),
            ("PATCH", "/items/7?x=1")
        );
        assert!(replaced.headers().is_empty());

        let appended = req.clone().with_header("X-C", "3").unwrap();
        assert_eq!(appended.target(), "/items/7?x=1");
        // Equal content, different representations: equal.
        let built = Request::new("PATCH", "/items/7?x=1")
            .and_then(|r| r.with_header("Host", "a"))
            .and_then(|r| r.with_header("X-A", "1"))
            .unwrap();
        assert_eq!(built, req);
        // A built request's line lies in its fields' storage too.
        assert!(matches!(built.line, Text::InHead { .. }));
        let mut rebuilt = built.clone();
        *rebuilt.headers_mut() = Headers::new();
        assert_eq!(
            (rebuilt.method(), rebuilt.target()),
            ("PATCH", "/items/7?x=1")
        );
        let mut trimmed = built.clone();
        trimmed.headers_mut().remove("host");
        assert_eq!(trimmed.headers().len(), 1);
        assert_eq!(
            (trimmed.method(), trimmed.target()),
            ("PATCH", "/items/7?x=1")
        );

        let mut client = crate::Connection::new(crate::Role::Client);
        let _head = client.send_request(&built).unwrap();
        let _end = client.send_end().unwrap();
        client
            .receive(b"HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
        let Ok(Event::Response(res)) = client.next_event() else {
            panic!("no response")
        };
        assert!(matches!(res.reason, Text::InHead { .. }));
        let mut replaced = res.clone();
        *replaced.headers_mut() = Headers::new();
        assert_eq!(
            (replaced.status(), replaced.reason()),
            (418, &b"I'm a teapot"[..])
        );
        assert_eq!(
            res.clone().with_header("X", "y").unwrap().reason(),
            b"I'm a teapot"
        );
        assert_eq!(res, res.clone());
    }

    /// The reason phrases of RFC 9110 §15 (and 103 of RFC 8297) that `Response::new`
    /// writes, each as the status line a server sends.
    #[test]
    fn every_known_status_gets_its_reason_phrase() {
        let table: &[(u16, &str)] = &[
            (100, "Continue"),
            (101, "Switching Protocols"),
            (103, "Early Hints"),
            (200, "OK"),
            (201, "Created"),
            (202, "Accepted"),
            (204, "No Content"),
            (206, "Partial Content"),
            (301, "Moved Permanently"),
            (302, "Found"),
            (303, "See Other"),
            (304, "Not Modified"),
            (307, "Temporary Redirect"),
            (308, "Permanent Redirect"),
            (400, "Bad Request"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (408, "Request Timeout"),
            (409, "Conflict"),
            (411, "Length Required"),
            (413, "Content Too Large"),
            (414, "URI Too Long"),
            (417, "Expectation Failed"),
            (421, "Misdirected Request"),
            (426, "Upgrade Required"),
            (429, "Too Many Requests"),
            (431, "Request Header Fields Too Large"),
            (500, "Internal Server Error"),
            (501, "Not Implemented"),
            (502, "Bad Gateway"),
            (503, "Service Unavailable"),
            (504, "Gateway Timeout"),
            (505, "HTTP Version Not Supported"),
        ];
        for &(status, reason) in table {
            let res = Response::new(status).unwrap();
            assert_eq!(res.reason(), reason.as_bytes(), "{status}");
            if status < 200 {
                continue;
            }
            // Written as the status line, on a connection that has a request to answer.
            let mut conn = crate::Connection::new(crate::Role::Server);
            conn.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
            while !matches!(conn.next_event().unwrap(), Event::EndOfMessage(_)) {}
            let res = if matches!(status, 204 | 304) {
                res
            } else {
                res.with_header("Content-Length", "0").unwrap()
            };
            let out = conn.send_response(&res).unwrap().to_vec();
            let line = alloc::format!("HTTP/1.1 {status} {reason}\r\n");
            assert!(out.starts_with(line.as_bytes()), "{status}");
        }
        // Others have none.
        for status in [102, 299, 418, 599] {
            assert_eq!(Response::new(status).unwrap().reason(), b"", "{status}");
        }
    }

    #[test]
    fn informational_is_1xx_only() {
        for status in [100, 101, 103, 199] {
            assert!(
                Response::new(status).unwrap().is_informational(),
                "{status}"
            );
        }
        for status in [200, 204, 300, 404, 599] {
            assert!(
                !Response::new(status).unwrap().is_informational(),
                "{status}"
            );
        }
    }

    /// A request parsed from `head` by a server connection.
    fn request_from(head: &[u8]) -> Request {
        let mut conn = crate::Connection::new(crate::Role::Server);
        conn.receive(head).unwrap();
        let Ok(Event::Request(req)) = conn.next_event() else {
            panic!("no request")
        };
        req
    }

    /// Two heads are equal when method, target, version and fields are: each part counts.
    #[test]
    fn request_equality_looks_at_every_part() {
        let base = request_from(b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(base, request_from(b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n"));
        assert_eq!(
            base,
            Request::new("GET", "/a")
                .unwrap()
                .with_header("Host", "a")
                .unwrap()
        );
        for other in [
            &b"PUT /a HTTP/1.1\r\nHost: a\r\n\r\n"[..],
            b"GET /b HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET /a HTTP/1.0\r\nHost: a\r\n\r\n",
            b"GET /a HTTP/1.1\r\nHost: b\r\n\r\n",
        ] {
            assert_ne!(
                base,
                request_from(other),
                "{:?}",
                core::str::from_utf8(other)
            );
        }
    }

    #[test]
    fn response_equality_looks_at_every_part() {
        let res = |status: u16, reason: &str, field: &str| {
            Response::new(status)
                .unwrap()
                .with_reason(reason)
                .unwrap()
                .with_header("X", field)
                .unwrap()
        };
        let base = res(200, "OK", "1");
        assert_eq!(base, res(200, "OK", "1"));
        assert_ne!(base, res(201, "OK", "1"));
        assert_ne!(base, res(200, "Fine", "1"));
        assert_ne!(base, res(200, "OK", "2"));
        // The version: an HTTP/1.0 response read by a client.
        let mut conn = crate::Connection::new(crate::Role::Client);
        let req = Request::new("GET", "/")
            .unwrap()
            .with_header("Host", "a")
            .unwrap();
        let _ = conn.send_request(&req).unwrap();
        let _ = conn.send_end().unwrap();
        conn.receive(b"HTTP/1.0 200 OK\r\nX: 1\r\n\r\n").unwrap();
        let Ok(Event::Response(old)) = conn.next_event() else {
            panic!("no response")
        };
        assert_eq!(old.version(), Version::Http10);
        assert_ne!(base, old);
    }

    /// What a user sees when printing a head with `{:?}`.
    #[test]
    fn heads_debug_print_every_part() {
        let req = request_from(b"GET /a HTTP/1.0\r\nHost: h\r\n\r\n");
        assert_eq!(
            alloc::format!("{req:?}"),
            r#"Request { method: "GET", target: "/a", version: Http10, headers: [("Host", "h")] }"#
        );
        let res = Response::new(404).unwrap().with_header("X", "y").unwrap();
        assert_eq!(
            alloc::format!("{res:?}"),
            r#"Response { status: 404, reason: "Not Found", version: Http11, headers: [("X", "y")] }"#
        );
    }
}
