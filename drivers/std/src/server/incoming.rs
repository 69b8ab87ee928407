//! [`Incoming`]: the request a handler gets, its head at once and its body when read.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::Duration;

use h1::{Bytes, Event, Headers, Request, Response};

use super::socket::{Fail, Io, Wait};

/// A request as its handler sees it: the head, already parsed, and the body, read from
/// the socket only as the handler reads it ([`Read`]).
///
/// When the client sent `Expect: 100-continue`, the server answers `100 Continue` just
/// before the first read of the body, so a handler that refuses the request without
/// reading (a `413`, a `401`) spares the client the upload.
///
/// A read returns an error when the client breaks the framing (kind `InvalidData`, with
/// the [`h1::Error`] inside), stops sending for longer than the body timeout
/// (`TimedOut`), or closes mid-body (`UnexpectedEof`); the server then answers or closes
/// on its own, whatever the handler returns.
///
/// ```no_run
/// use std::io::Read;
/// use h1_std::server::{Incoming, Reply, Server};
///
/// Server::bind("127.0.0.1:8080")?.serve(|req: &mut Incoming<'_>| {
///     let mut body = Vec::new();
///     req.take(1 << 20).read_to_end(&mut body)?; // at most 1 MiB
///     Ok(Reply::new(200)?.with_body(format!("{} bytes\n", body.len())))
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Incoming<'a> {
    head: Request,
    peer: SocketAddr,
    io: &'a mut Io,
    body_timeout: Duration,
    /// Body bytes handed over by the core and not yet read.
    pending: Bytes,
    /// The core handed out `EndOfMessage`.
    finished: bool,
}

impl<'a> Incoming<'a> {
    pub(crate) fn new(
        io: &'a mut Io,
        head: Request,
        peer: SocketAddr,
        body_timeout: Duration,
    ) -> Self {
        let mut incoming = Self {
            head,
            peer,
            io,
            body_timeout,
            pending: Bytes::new(),
            finished: false,
        };
        // Whatever of the body is already buffered is taken without reading the socket:
        // a request without a body is finished at once.
        match incoming.io.conn.next_event() {
            Ok(Event::Data(data)) => incoming.pending = data,
            Ok(Event::EndOfMessage(_)) => incoming.finished = true,
            // NeedData, or an error the server finds again after the handler (it is sticky).
            _ => {}
        }
        incoming
    }

    /// The request head: method, target, version, header fields.
    ///
    /// ```no_run
    /// # use h1_std::server::{Reply, Server};
    /// Server::bind("127.0.0.1:8080")?.serve(|req| {
    ///     let agent = req.head().headers().get_str("user-agent").unwrap_or("?").to_owned();
    ///     Ok(Reply::new(200)?.with_body(agent))
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn head(&self) -> &Request {
        &self.head
    }

    /// The method, as sent (`GET`, `POST`, …).
    pub fn method(&self) -> &str {
        self.head.method()
    }

    /// The request target as sent: usually a path and query (`/search?q=h1`).
    pub fn target(&self) -> &str {
        self.head.target()
    }

    /// The request's header fields.
    pub fn headers(&self) -> &Headers {
        self.head.headers()
    }

    /// The client's address.
    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }

    /// True once the body was read to its end (at once for a request without a body).
    pub fn is_body_finished(&self) -> bool {
        self.finished && self.pending.is_empty()
    }

    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// The next piece of body from the core, reading the socket when needed.
    fn next_piece(&mut self) -> io::Result<()> {
        if self.io.conn.client_is_waiting_for_100_continue() {
            let cont = Response::new(100).map_err(super::socket::local)?;
            let out = self
                .io
                .conn
                .send_response(&cont)
                .map_err(super::socket::local)?;
            self.io.write(&[out])?;
        }
        match self.io.next_event(Wait::EachRead(self.body_timeout)) {
            Ok(Event::Data(data)) => self.pending = data,
            Ok(Event::EndOfMessage(_)) => self.finished = true,
            Ok(other) => {
                return Err(io::Error::other(format!(
                    "unexpected event in a request body: {other:?}"
                )))
            }
            Err(Fail::Protocol(e)) if e.kind() == h1::ErrorKind::Incomplete => {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, e))
            }
            Err(fail) => return Err(fail.into()),
        }
        Ok(())
    }
}

impl Read for Incoming<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pending.is_empty() {
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            self.next_piece()?;
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending.split_to(n));
        Ok(n)
    }
}

impl std::fmt::Debug for Incoming<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("head", &self.head)
            .field("peer", &self.peer)
            .field("finished", &self.finished)
            .finish()
    }
}
