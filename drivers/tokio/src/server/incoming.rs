//! [`Incoming`]: the request a handler gets, its head at once and its body when read.
//!
//! While the handler runs, the connection sits in a slot the request body shares with the
//! connection's task; when the handler returns, the task takes it back and the body
//! handle (wherever the handler left it) reads nothing more.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use h1::Request;
use h1_common::{BodyState, Error, ErrorKind, Piece};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::body::{Body, Sealed, Want};
use crate::conn::Conn;

/// A request as its handler sees it: the head, already parsed, and the body, read from
/// the socket only as the handler reads it ([`Incoming::body_mut`], or
/// [`Incoming::into_body`] for the streams).
///
/// When the client sent `Expect: 100-continue`, the server answers `100 Continue` just
/// before the first read of the body, so a handler that refuses the request without
/// reading spares the client the upload.
///
/// The body can be read while the handler runs; once it returned, reads fail with
/// [`ErrorKind::InvalidInput`] (the connection has moved on).
///
/// ```
/// use h1_tokio::server::{Incoming, Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let running = Server::bind("127.0.0.1:0").await?.spawn(|mut req: Incoming| async move {
///     let agent = req.headers().get_str("user-agent").unwrap_or("?").to_owned();
///     let body = req.body_mut().bytes(1 << 20).await?;
///     Ok(Reply::new(200)?.with_body(format!("{agent} sent {} bytes\n", body.len())))
/// })?;
/// # running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Incoming {
    head: Request,
    peer: Option<SocketAddr>,
    body: Body<RequestSource>,
}

impl Incoming {
    pub(crate) fn new(head: Request, peer: Option<SocketAddr>, source: RequestSource) -> Self {
        Self {
            head,
            peer,
            body: Body::new(source),
        }
    }

    h1_common::request_head! {
        ///
        /// ```
        /// use h1_tokio::server::{Incoming, Reply, Server};
        /// use tokio::io::{AsyncReadExt, AsyncWriteExt};
        ///
        /// # #[tokio::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
        ///     let parts = req.http_parts()?;
        ///     let page = parts.uri.query().unwrap_or("").to_owned();
        ///     Ok(Reply::new(200)?.with_body(format!("{} {page}", parts.method)))
        /// })?;
        /// let mut sock = tokio::net::TcpStream::connect(running.local_addr()).await?;
        /// sock.write_all(b"GET /items?page=2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").await?;
        /// let mut answer = String::new();
        /// sock.read_to_string(&mut answer).await?;
        /// assert!(answer.ends_with("GET page=2"));
        /// running.shutdown().await?;
        /// # Ok(()) }
        /// ```
    }

    /// The client's address (`None` for a stream served with
    /// [`serve_connection`](crate::server::serve_connection) without one).
    ///
    /// ```
    /// # use h1_tokio::server::{Incoming, Reply, Server};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
    ///     let loopback = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    ///     Ok(Reply::new(if loopback { 200 } else { 403 })?)
    /// })?;
    /// # let client = h1_tokio::client::Client::new();
    /// # let url = format!("http://{}/echo", running.local_addr());
    /// let res = client.post(&url).body("hello").send().await?;
    /// assert_eq!(res.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer
    }

    /// The body, to read.
    ///
    /// ```
    /// # use h1_tokio::server::{Incoming, Reply, Server};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|mut req: Incoming| async move {
    ///     let body = req.body_mut().bytes(1 << 20).await?; // the head stays at hand
    ///     Ok(Reply::new(200)?.with_body(format!("{} {}", req.method(), body.len())))
    /// })?;
    /// # let client = h1_tokio::client::Client::new();
    /// # let url = format!("http://{}/echo", running.local_addr());
    /// let res = client.post(&url).body("hello").send().await?;
    /// assert_eq!(res.bytes(100).await?, "POST 5");
    /// # Ok(()) }
    /// ```
    pub fn body_mut(&mut self) -> &mut Body<RequestSource> {
        self.body.source_mut().note_head(&self.head);
        &mut self.body
    }

    /// The body, to turn into a stream of chunks or lines.
    ///
    /// ```
    /// # use h1_tokio::server::{Incoming, Reply, Server};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
    ///     let mut body = req.into_body();
    ///     let mut n = 0;
    ///     while let Some(piece) = body.next_chunk(Some(2)).await? {
    ///         n += piece.len();
    ///     }
    ///     Ok(Reply::new(200)?.with_body(n.to_string()))
    /// })?;
    /// # let client = h1_tokio::client::Client::new();
    /// # let url = format!("http://{}/echo", running.local_addr());
    /// let res = client.post(&url).body("hello").send().await?;
    /// assert_eq!(res.bytes(100).await?, "5");
    /// # Ok(()) }
    /// ```
    pub fn into_body(mut self) -> Body<RequestSource> {
        self.body.source_mut().note_head(&self.head);
        self.body
    }

    /// The head and the body, apart.
    ///
    /// ```
    /// # use h1_tokio::server::{Incoming, Reply, Server};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
    ///     let (head, mut body) = req.into_parts();
    ///     let text = body.text(1 << 20, Default::default()).await?;
    ///     Ok(Reply::new(200)?.with_body(format!("{} {text}", head.target())))
    /// })?;
    /// # let client = h1_tokio::client::Client::new();
    /// # let url = format!("http://{}/echo", running.local_addr());
    /// let res = client.post(&url).body("hello").send().await?;
    /// assert_eq!(res.bytes(100).await?, "/echo hello");
    /// # Ok(()) }
    /// ```
    pub fn into_parts(mut self) -> (Request, Body<RequestSource>) {
        self.body.source_mut().note_head(&self.head);
        (self.head, self.body)
    }

    /// The request as an `http::Request` (feature `http`), for code written for the
    /// `http` crate: the head as [`http_parts`](Self::http_parts) gives it, and the body
    /// still unread.
    ///
    /// ```
    /// use h1_tokio::server::{Incoming, Reply, Server};
    ///
    /// async fn route(req: http::Request<h1_tokio::Body<h1_tokio::server::RequestSource>>) -> http::Response<String> {
    ///     let who = req.uri().query().unwrap_or("world").to_owned();
    ///     let n = req.into_body().bytes(1 << 20).await.map_or(0, |b| b.len());
    ///     http::Response::new(format!("hello {who}, {n} bytes\n"))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
    ///     Ok(Reply::try_from(route(req.into_http()?).await)?)
    /// })?;
    /// # running.shutdown().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`http_parts`](Self::http_parts): a target that is not a URI, more fields than
    /// an `http::HeaderMap` holds.
    #[cfg(feature = "http")]
    pub fn into_http(mut self) -> Result<http::Request<Body<RequestSource>>, Error> {
        self.body.source_mut().note_head(&self.head);
        let parts = self.http_parts()?;
        Ok(http::Request::from_parts(parts, self.body))
    }
}

/// What a request [`Body`] reads from: nothing, for a request without a body, or the
/// connection's slot while the handler runs.
///
#[doc = crate::doc::doc_text!(handler)]
/// use h1_tokio::{server::RequestSource, Body};
///
/// let mut body: Body<RequestSource> = req.into_body();
/// assert_eq!(body.bytes(1 << 10).await?, ""); // this GET has no body
#[doc = crate::doc::doc_text!(handler_end)]
#[derive(Debug)]
pub struct RequestSource(Inner);

#[derive(Debug)]
enum Inner {
    /// No body follows the head: the state, already at its end, is made when asked for,
    /// with the head's `Content-Type`, looked up when the body is first handed out.
    Empty {
        content_type: Option<Bytes>,
        looked_up: bool,
    },
    Shared {
        slot: Arc<dyn SlotAccess>,
        generation: u64,
    },
}

impl RequestSource {
    /// The source of a request without a body.
    pub(crate) fn empty() -> Self {
        Self(Inner::Empty {
            content_type: None,
            looked_up: false,
        })
    }

    /// For a request without a body: takes the `Content-Type` from its head, once (a
    /// handler that never asks for the body costs no lookup).
    fn note_head(&mut self, head: &Request) {
        if let Inner::Empty {
            content_type,
            looked_up: looked_up @ false,
        } = &mut self.0
        {
            *content_type = head
                .headers()
                .get("content-type")
                .map(Bytes::copy_from_slice);
            *looked_up = true;
        }
    }

    pub(crate) fn shared(slot: Arc<dyn SlotAccess>, generation: u64) -> Self {
        Self(Inner::Shared { slot, generation })
    }
}

fn gone() -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        "the request body can be read only while its handler runs",
    )
}

impl Sealed for RequestSource {
    fn poll_piece(&mut self, cx: &mut Context<'_>, want: Want) -> Poll<Result<Piece, Error>> {
        match &mut self.0 {
            Inner::Empty { .. } => Poll::Ready(Ok(Piece::End)),
            Inner::Shared { slot, generation } => slot.poll_piece(*generation, cx, want),
        }
    }

    fn with_state<R>(&self, f: impl FnOnce(Option<&BodyState>) -> R) -> R {
        match &self.0 {
            Inner::Empty { content_type, .. } => {
                f(Some(&BodyState::without_body(content_type.clone())))
            }
            Inner::Shared { slot, generation } => {
                let mut f = Some(f);
                let mut out = None;
                slot.with_state(*generation, &mut |state| {
                    if let Some(f) = f.take() {
                        out = Some(f(state));
                    }
                });
                match (out, f) {
                    (Some(out), _) => out,
                    (None, Some(f)) => f(None),
                    (None, None) => unreachable!("the closure ran or is still here"),
                }
            }
        }
    }

    fn finish_buffered(&mut self) -> Result<bool, Error> {
        match &mut self.0 {
            Inner::Empty { .. } => Ok(true),
            Inner::Shared { slot, generation } => slot.finish_buffered(*generation),
        }
    }
}

/// The connection while a handler may read its request's body.
#[derive(Debug)]
pub(crate) struct Slot<S> {
    conn: Option<Box<Conn<S>>>,
    generation: u64,
}

/// A slot shared between a connection's task and the request body it handed out.
pub(crate) type SharedSlot<S> = Arc<Mutex<Slot<S>>>;

pub(crate) fn new_slot<S>() -> SharedSlot<S> {
    Arc::new(Mutex::new(Slot {
        conn: None,
        generation: 0,
    }))
}

fn lock<S>(slot: &Mutex<Slot<S>>) -> MutexGuard<'_, Slot<S>> {
    // Nothing panics while holding the lock but the core, which then left the connection
    // in its error state: reading it again gives that error.
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Lends `conn` to the body handed out with the returned generation.
pub(crate) fn lend<S>(slot: &Mutex<Slot<S>>, conn: Box<Conn<S>>) -> u64 {
    let mut s = lock(slot);
    s.generation += 1;
    s.conn = Some(conn);
    s.generation
}

/// Takes the connection back: the body handed out before reads nothing more.
pub(crate) fn take_back<S>(slot: &Mutex<Slot<S>>) -> Option<Box<Conn<S>>> {
    let mut s = lock(slot);
    s.generation += 1;
    s.conn.take()
}

/// The slot as the body sees it, without the stream's type.
pub(crate) trait SlotAccess: Send + Sync + std::fmt::Debug {
    fn poll_piece(
        &self,
        generation: u64,
        cx: &mut Context<'_>,
        want: Want,
    ) -> Poll<Result<Piece, Error>>;
    fn with_state(&self, generation: u64, f: &mut dyn FnMut(Option<&BodyState>));
    fn finish_buffered(&self, generation: u64) -> Result<bool, Error>;
}

impl<S> SlotAccess for Mutex<Slot<S>>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug,
{
    fn poll_piece(
        &self,
        generation: u64,
        cx: &mut Context<'_>,
        want: Want,
    ) -> Poll<Result<Piece, Error>> {
        let mut s = lock(self);
        let current = s.generation == generation;
        match (&mut s.conn, current) {
            (Some(conn), true) => conn.poll_piece(cx, want),
            _ => Poll::Ready(Err(gone())),
        }
    }

    fn with_state(&self, generation: u64, f: &mut dyn FnMut(Option<&BodyState>)) {
        let s = lock(self);
        match (&s.conn, s.generation == generation) {
            (Some(conn), true) => f(conn.body_state()),
            _ => f(None),
        }
    }

    fn finish_buffered(&self, generation: u64) -> Result<bool, Error> {
        let mut s = lock(self);
        let current = s.generation == generation;
        match (&mut s.conn, current) {
            (Some(conn), true) => conn.finish_buffered(),
            _ => Err(gone()),
        }
    }
}
