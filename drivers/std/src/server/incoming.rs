//! [`Incoming`]: the request a handler gets, its head at once and its body when read.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};

use h1::Request;

use crate::body::Body;
use crate::conn::Conn;

/// A request as its handler sees it: the head, already parsed, and the body, read from
/// the socket only as the handler reads it — through [`Read`] on the `Incoming` itself, or
/// through [`body`](Self::body) for pieces, lines, text and whole bodies under a limit
/// (the same [`Body`] reader a client response has).
///
/// When the client sent `Expect: 100-continue`, `100 Continue` is written just before the
/// first read of the body from the socket, so a handler that refuses the request without
/// reading it (a `413`, a `401`) spares the client the upload. [`Body::bytes`] refuses a
/// Content-Length over its limit before reading anything.
///
/// A read fails when the client breaks the framing (the [`h1::Error`] is inside), stops
/// sending for longer than [`ServerConfig::body_timeout`](super::ServerConfig::body_timeout),
/// or closes mid-body; the server then answers the protocol error, or closes, whatever the
/// handler returns.
///
/// ```no_run
/// use std::io::Read;
/// use h1_std::server::{Reply, Server};
///
/// Server::bind("127.0.0.1:8080")?.serve(|req| {
///     let mut body = Vec::new();
///     req.take(1 << 20).read_to_end(&mut body)?; // at most 1 MiB, through `Read`
///     Ok(Reply::new(200)?.with_body(format!("{} bytes\n", body.len())))
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Incoming<'a> {
    head: Request,
    peer: SocketAddr,
    conn: &'a mut Conn<TcpStream>,
}

impl<'a> Incoming<'a> {
    /// A request whose body state was started on `conn` ([`Conn::start_body`]).
    pub(crate) fn new(conn: &'a mut Conn<TcpStream>, head: Request, peer: SocketAddr) -> Self {
        Self { head, peer, conn }
    }

    h1_common::request_head! {
        ///
        /// ```
        /// use std::io::{Read, Write};
        /// use h1_std::server::{Reply, Server};
        ///
        /// let server = Server::bind("127.0.0.1:0")?;
        /// let (addr, stop) = (server.local_addr()?, server.shutdown_handle());
        /// let running = std::thread::spawn(move || server.serve(|req| {
        ///     let parts = req.http_parts()?;
        ///     let page = parts.uri.query().unwrap_or("");
        ///     Ok(Reply::new(200)?.with_body(format!("{} {page}", parts.method)))
        /// }));
        /// let mut sock = std::net::TcpStream::connect(addr)?;
        /// sock.write_all(b"GET /items?page=2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")?;
        /// let mut answer = String::new();
        /// sock.read_to_string(&mut answer)?;
        /// assert!(answer.ends_with("GET page=2"));
        /// stop.shutdown();
        /// running.join().unwrap()?;
        /// # Ok::<(), std::io::Error>(())
        /// ```
    }

    /// The client's address.
    ///
    #[doc = crate::doc::doc_text!(handler)]
    /// assert!(req.peer_addr().ip().is_loopback()); // the example's client
    #[doc = crate::doc::doc_text!(handler_end)]
    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }

    /// The body's length when the head announced one (`Some(0)` for a request without a
    /// body; `None` for a chunked body): a handler can refuse a body too large for it
    /// before reading it, and before `100 Continue` invites it.
    ///
    /// ```no_run
    /// # use h1_std::server::{Reply, Server};
    /// Server::bind("127.0.0.1:8080")?.serve(|req| {
    ///     if req.content_length().is_some_and(|n| n > 10 << 20) {
    ///         return Ok(Reply::new(413)?); // no 100 Continue was sent
    ///     }
    ///     let upload = req.body().bytes(10 << 20)?; // a chunked one is checked as it comes
    ///     Ok(Reply::new(200)?.with_body(format!("{} bytes\n", upload.len())))
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.conn.body_state().and_then(|b| b.content_length())
    }

    /// True once the body was read to its end.
    ///
    #[doc = crate::doc::doc_text!(handler)]
    /// let _ = req.body().bytes(1 << 10)?; // this GET's empty body
    /// assert!(req.is_body_finished());
    #[doc = crate::doc::doc_text!(handler_end)]
    pub fn is_body_finished(&self) -> bool {
        self.conn.body_state().is_some_and(|b| b.is_done())
    }

    /// The body, to read in pieces of at most N bytes ([`Body::chunks`]), as lines
    /// ([`Body::lines`], [`Body::text_lines`]), whole under a limit ([`Body::bytes`],
    /// [`Body::text`]), or as [`Read`]. Reading may stop anywhere and go on through
    /// another call; what is left unread when the handler returns is the server's.
    ///
    /// ```no_run
    /// # use h1_std::server::{Reply, Server};
    /// Server::bind("127.0.0.1:8080")?.serve(|req| {
    ///     let mut count = 0;
    ///     for line in req.body().lines() {
    ///         if !line?.is_empty() {
    ///             count += 1;
    ///         }
    ///     }
    ///     Ok(Reply::new(200)?.with_body(format!("{count} lines\n")))
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn body(&mut self) -> Body<'_, TcpStream> {
        Body::new(&mut *self.conn)
    }

    /// The request as an `http::Request` (feature `http`), for code written for the
    /// `http` crate: the head as [`http_parts`](Self::http_parts) gives it, and the body
    /// still unread, as the [`Body`] reader (borrowing this request).
    ///
    /// ```no_run
    /// use h1_std::server::{Reply, Server};
    ///
    /// fn route(req: http::Request<h1_std::Body<'_, std::net::TcpStream>>) -> http::Response<String> {
    ///     let who = req.uri().query().unwrap_or("world").to_owned();
    ///     let n = req.into_body().bytes(1 << 20).map_or(0, |b| b.len());
    ///     http::Response::new(format!("hello {who}, {n} bytes\n"))
    /// }
    ///
    /// Server::bind("127.0.0.1:8080")?.serve(|req| Ok(route(req.http_request()?).try_into()?))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`http_parts`](Self::http_parts): a target that is not a URI, more fields than
    /// an `http::HeaderMap` holds.
    #[cfg(feature = "http")]
    pub fn http_request(&mut self) -> Result<http::Request<Body<'_, TcpStream>>, crate::Error> {
        let parts = self.http_parts()?;
        Ok(http::Request::from_parts(parts, self.body()))
    }
}

impl Read for Incoming<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body().read(buf)
    }
}

impl std::fmt::Debug for Incoming<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("head", &self.head)
            .field("peer", &self.peer)
            .field("body_finished", &self.is_body_finished())
            .finish()
    }
}
