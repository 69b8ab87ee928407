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

    h1_common::request_head!();

    /// The client's address.
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
