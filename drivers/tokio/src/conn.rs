//! The glue between an [`h1::Connection`] and an async stream: socket reads land in the
//! connection's receive buffer (no copy, no zero-fill; between messages a read goes
//! through the stack so an idle connection holds no read window), the core's [`Output`]s are
//! queued (pieces of a few hundred bytes copied into one buffer, larger ones as the
//! refcounted `Bytes` they are) and written vectored, reads and writes are bounded by `tokio::time` timeouts and an overall
//! deadline, and bytes are counted. The client and the server both drive their
//! connections through [`Conn`].

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::io::{self, IoSlice};
use std::mem::MaybeUninit;
use std::pin::{pin, Pin};
use std::task::{ready, Context, Poll, Waker};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use h1::{Connection, Event, Output, Role, State};
use h1_common::{BodyState, Error, ErrorKind, Framing, Piece, Traffic};

pub(crate) use crate::body::Want;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The largest read between messages, into a buffer on the stack (see
/// `Conn::poll_read_raw`); at most the core's `read_size`.
const IDLE_READ: usize = 16 * 1024;

/// The most pieces handed to one `write_vectored` call.
const MAX_SLICES: usize = 32;

/// Queued bytes above which [`Conn::queue`] callers should flush before producing more:
/// what bounds the memory a connection holds for a slow reader.
pub(crate) const HIGH_WATER: usize = 64 * 1024;

/// One HTTP/1.1 connection over an async stream: the core's [`Connection`], the stream,
/// what is queued to write, timeouts, counters, and the state of the body being read.
///
/// Every `poll_*` method may be called from any task; the `async` ones are thin loops
/// over them. Dropping a `Conn` closes the stream.
///
/// ```
/// use h1::{Connection, Event, Role};
/// use h1_tokio::Conn;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), h1_tokio::Error> {
/// let (client, mut server) = tokio::io::duplex(1024);
/// let mut conn = Conn::new(client, Connection::new(Role::Client));
/// let req = h1::Request::new("GET", "/hi")?.with_header("Host", "a")?;
/// conn.send(|h1| h1.send_request(&req)).await?;
/// conn.send(|h1| h1.send_end()).await?;
/// conn.flush().await?;
/// tokio::io::AsyncWriteExt::write_all(&mut server, b"HTTP/1.1 204 No Content\r\n\r\n")
///     .await
///     .unwrap();
/// let Event::Response(res) = conn.next_event().await? else { panic!() };
/// assert_eq!(res.status(), 204);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Conn<S> {
    h1: Connection,
    stream: S,
    out: OutQueue,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    deadline: Option<Instant>,
    read_timer: Timer,
    write_timer: Timer,
    traffic: Traffic,
    body: Option<BodyState>,
    /// A read or write failed, or a caller gave up mid-message: never reuse.
    broken: bool,
}

impl<S> Conn<S> {
    /// Drives `h1` over `stream`.
    ///
    /// ```
    /// use h1::{Connection, Role};
    ///
    /// let (stream, _peer) = tokio::io::duplex(1024);
    /// let conn = h1_tokio::Conn::new(stream, Connection::new(Role::Client));
    /// assert_eq!(conn.connection().role(), Role::Client);
    /// assert_eq!(conn.queued(), 0); // nothing to write yet
    /// ```
    pub fn new(stream: S, h1: Connection) -> Self {
        Self {
            h1,
            stream,
            out: OutQueue::default(),
            read_timeout: None,
            write_timeout: None,
            deadline: None,
            read_timer: Timer::default(),
            write_timer: Timer::default(),
            traffic: Traffic::default(),
            body: None,
            broken: false,
        }
    }

    h1_common::conn_accessors!();

    /// How long one read may wait for the peer's next bytes (`None`, the default: for
    /// ever). Time spent writing does not count.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use std::time::Duration;
    ///
    /// assert_eq!(conn.fill().await?, 51); // all the peer sent
    /// conn.set_read_timeout(Some(Duration::from_millis(20)));
    /// let e = conn.fill().await.unwrap_err(); // the peer sends nothing more
    /// assert_eq!(e.kind(), h1_tokio::ErrorKind::Timeout);
    #[doc = crate::doc::doc_text!(close)]
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
        self.read_timer.disarm();
    }

    /// How long one write may wait for the peer to take bytes (`None`, the default: for
    /// ever).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use std::time::Duration;
    ///
    /// conn.set_write_timeout(Some(Duration::from_millis(20)));
    /// let _request = conn.next_event().await?;
    /// let res = h1::Response::new(200)?.with_header("Content-Length", "10000")?;
    /// conn.queue_send(|h1| h1.send_response(&res))?;
    /// conn.queue_send(|h1| h1.send_data(vec![b'x'; 10_000].into()))?;
    /// let e = conn.flush().await.unwrap_err(); // the peer reads nothing: its 4 KiB fill up
    /// assert_eq!(e.kind(), h1_tokio::ErrorKind::Timeout);
    /// assert!(conn.is_broken());
    #[doc = crate::doc::doc_text!(close)]
    pub fn set_write_timeout(&mut self, timeout: Option<Duration>) {
        self.write_timeout = timeout;
        self.write_timer.disarm();
    }

    /// A point in time after which reads fail with [`ErrorKind::Timeout`] (`None`, the
    /// default: no deadline).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// conn.set_deadline(Some(tokio::time::Instant::now())); // already passed
    /// let e = conn.next_event().await.unwrap_err();
    /// assert_eq!(e.kind(), h1_tokio::ErrorKind::Timeout);
    #[doc = crate::doc::doc_text!(close)]
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
        self.read_timer.disarm();
    }

    /// Bytes queued and not yet written.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let _request = conn.next_event().await?;
    /// let res = h1::Response::new(204)?;
    /// conn.queue_send(|h1| h1.send_response(&res))?;
    /// assert_eq!(conn.queued(), 27); // "HTTP/1.1 204 No Content\r\n\r\n"
    /// conn.flush().await?;
    /// assert_eq!(conn.queued(), 0);
    #[doc = crate::doc::doc_text!(close)]
    pub fn queued(&self) -> usize {
        self.out.len
    }

    /// True when both sides finished their messages, nothing is left over or queued,
    /// nothing failed, and no side asked to close: the connection can serve another
    /// exchange after [`Connection::start_next_cycle`].
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(_) = conn.next_event().await? else { panic!() };
    /// let h1::Event::Data(_) = conn.next_event().await? else { panic!() }; // the body
    /// let h1::Event::EndOfMessage(_) = conn.next_event().await? else { panic!() };
    /// let res = h1::Response::new(204)?;
    /// conn.send(|h1| h1.send_response(&res)).await?;
    /// conn.send(|h1| h1.send_end()).await?;
    /// assert!(!conn.is_reusable()); // the response is still queued
    /// conn.flush().await?;
    /// assert!(conn.is_reusable());
    #[doc = crate::doc::doc_text!(close)]
    pub fn is_reusable(&self) -> bool {
        self.out.len == 0
            && self.can_continue()
            && (self.h1.role() == Role::Server || self.h1.buffered() == 0)
    }

    /// Both sides are done, nothing failed, and the connection is kept alive (what is
    /// queued may still be unwritten).
    pub(crate) fn can_continue(&self) -> bool {
        !self.broken
            && self.h1.is_keep_alive()
            && self.h1.our_state() == State::Done
            && self.h1.their_state() == State::Done
    }

    /// Queues an output for writing: pieces of a few hundred bytes are copied into one
    /// buffer, larger ones queued as the refcounted `Bytes` they are;
    /// [`flush_queued`](Self::flush_queued) or [`flush`](Self::flush) write it.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use tokio::io::AsyncReadExt;
    ///
    /// let _request = conn.next_event().await?;
    /// let out = conn.connection_mut().send_response(&h1::Response::new(204)?)?;
    /// conn.queue(out);
    /// conn.flush().await?;
    /// let mut got = [0; 12];
    /// peer.read_exact(&mut got).await?;
    /// assert_eq!(&got, b"HTTP/1.1 204");
    #[doc = crate::doc::doc_text!(close)]
    pub fn queue(&mut self, out: Output) {
        for piece in out.parts() {
            self.out.push(piece);
        }
    }

    /// Queues what `f` sends through the core: `conn.queue_send(|h1| h1.send_data(piece))`.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let _request = conn.next_event().await?;
    /// let res = h1::Response::new(200)?.with_header("Content-Length", "2")?;
    /// conn.queue_send(|h1| h1.send_response(&res))?;
    /// conn.queue_send(|h1| h1.send_data("ok".into()))?;
    /// assert!(conn.queued() > 2); // nothing written yet
    /// assert!(conn.queue_send(|h1| h1.send_data("more".into())).is_err()); // over the length
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// The core's refusal ([`ErrorKind::InvalidInput`]).
    pub fn queue_send(
        &mut self,
        f: impl FnOnce(&mut Connection) -> Result<Output, h1::Error>,
    ) -> Result<(), Error> {
        let out = f(&mut self.h1)?;
        self.queue(out);
        Ok(())
    }

    /// Reads on through the body bytes already buffered, without I/O; true when the body
    /// ended (then a response dropped early can still give its connection back).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event().await? else { panic!() };
    /// conn.start_body(h1_tokio::Framing::incoming(conn.connection()), req.headers());
    /// assert!(conn.finish_buffered()?); // the body came with the head: no read needed
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// A protocol violation in the buffered bytes; the connection is then broken.
    pub fn finish_buffered(&mut self) -> Result<bool, Error> {
        let state = self
            .body
            .get_or_insert_with(|| BodyState::new(Framing::Unknown, &h1::Headers::new()));
        state
            .finish_buffered(&mut self.h1)
            .inspect_err(|_| self.broken = true)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    /// Reads once from the stream into the connection's receive buffer (no copy: the
    /// stream's `poll_read` fills the buffer the core lends). A read of 0 bytes tells the
    /// connection the stream ended. `Ready(Ok(n))`: `n` bytes arrived.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let n = std::future::poll_fn(|cx| conn.poll_fill(cx)).await?;
    /// assert_eq!(n, 51); // all the peer sent
    /// assert_eq!(conn.connection().buffered(), 51);
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// [`ErrorKind::Timeout`] when the read timeout or the deadline passed,
    /// [`ErrorKind::Transport`] for another I/O error. The connection is then broken.
    pub fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<Result<usize, Error>> {
        if let Some(deadline) = self.deadline {
            if Instant::now() >= deadline {
                self.broken = true;
                return Poll::Ready(Err(Error::new(ErrorKind::Timeout, "the deadline passed")));
            }
        }
        match self.poll_read_raw(cx) {
            Poll::Ready(Ok(n)) => {
                self.read_timer.disarm();
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => {
                self.broken = true;
                self.read_timer.disarm();
                Poll::Ready(Err(Error::from_io(e).context("reading from the peer")))
            }
            Poll::Pending => {
                let idle = self.read_timeout.map(|t| Instant::now() + t);
                let wake = match (idle, self.deadline) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let Some(wake) = wake else {
                    return Poll::Pending;
                };
                if self.read_timer.poll_at(cx, wake).is_ready() {
                    self.broken = true;
                    let what = match (self.deadline, self.read_timeout) {
                        (Some(d), _) if Instant::now() >= d => "the deadline passed".into(),
                        (_, Some(t)) => format!("no bytes from the peer for {t:?}"),
                        _ => "timed out waiting for the peer".into(),
                    };
                    return Poll::Ready(Err(Error::new(ErrorKind::Timeout, what)));
                }
                Poll::Pending
            }
        }
    }

    /// One read into the receive buffer, without timers.
    ///
    /// Between messages (nothing buffered, the peer's next message not begun), the read
    /// lands in an uninitialized buffer on the stack and only what arrived is copied in
    /// ([`Connection::receive`]): an idle connection then holds no read window, only
    /// the small buffer the core keeps between messages. Otherwise tokio's `read_buf`
    /// fills the core's receive window in place ([`Connection::read_buf`]): not
    /// zero-filled, no copy.
    fn poll_read_raw(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let stream = &mut self.stream;
        let polled = if self.h1.buffered() == 0 && self.h1.their_state() == State::Idle {
            let mut space = [MaybeUninit::<u8>::uninit(); IDLE_READ];
            let size = self.h1.buffers().read_size.clamp(1, IDLE_READ);
            let mut buf = ReadBuf::uninit(&mut space[..size]);
            match Pin::new(&mut *stream).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) => {
                    let n = buf.filled().len();
                    if n > 0 {
                        if let Err(e) = self.h1.receive(buf.filled()) {
                            return Poll::Ready(Err(io::Error::other(e)));
                        }
                    }
                    Poll::Ready(Ok(n))
                }
                other => other.map_ok(|()| 0),
            }
        } else {
            self.h1
                .read_buf(|window| pin!(stream.read_buf(window)).poll(cx))
        };
        match polled {
            Poll::Ready(Ok(n)) => {
                if n == 0 {
                    self.h1.receive_eof();
                }
                self.traffic.add_received(n as u64);
                Poll::Ready(Ok(n))
            }
            other => other,
        }
    }

    /// Reads once from the stream into the connection; see [`poll_fill`](Self::poll_fill).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// assert_eq!(conn.fill().await?, 51); // all the peer sent
    /// drop(peer);
    /// assert_eq!(conn.fill().await?, 0); // the stream ended
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_fill`](Self::poll_fill).
    pub async fn fill(&mut self) -> Result<usize, Error> {
        poll_fn(|cx| self.poll_fill(cx)).await
    }

    /// The next event, reading from the stream as long as the connection needs data.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let event = std::future::poll_fn(|cx| conn.poll_next_event(cx)).await?;
    /// assert!(matches!(event, h1::Event::Request(req) if req.target() == "/hi"));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// The core's error ([`Error::from_h1`]), or [`poll_fill`](Self::poll_fill)'s.
    pub fn poll_next_event(&mut self, cx: &mut Context<'_>) -> Poll<Result<Event, Error>> {
        loop {
            match self.h1.next_event() {
                Ok(Event::NeedData) => {
                    ready!(self.poll_fill(cx))?;
                }
                Ok(event) => return Poll::Ready(Ok(event)),
                Err(e) => {
                    self.broken = true;
                    return Poll::Ready(Err(Error::from_h1(e)));
                }
            }
        }
    }

    /// The next event; see [`poll_next_event`](Self::poll_next_event).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event().await? else { panic!() };
    /// assert_eq!((req.method(), req.target()), ("POST", "/hi"));
    /// assert!(matches!(conn.next_event().await?, h1::Event::Data(d) if d == "hi"));
    /// assert!(matches!(conn.next_event().await?, h1::Event::EndOfMessage(_)));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_next_event`](Self::poll_next_event).
    pub async fn next_event(&mut self) -> Result<Event, Error> {
        poll_fn(|cx| self.poll_next_event(cx)).await
    }

    /// Writes what is queued, vectored, until the queue is empty.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let _request = conn.next_event().await?;
    /// conn.queue_send(|h1| h1.send_response(&h1::Response::new(204)?))?;
    /// std::future::poll_fn(|cx| conn.poll_flush_queued(cx)).await?;
    /// assert_eq!((conn.queued(), conn.bytes_sent()), (0, 27));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// [`ErrorKind::Transport`], or [`ErrorKind::Timeout`] after the write timeout: the
    /// core connection is told ([`Connection::send_failed`]) and this one is broken.
    pub fn poll_flush_queued(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        while self.out.len > 0 {
            match self.out.poll_write(&mut self.stream, cx) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(self.write_failed(io::ErrorKind::WriteZero.into())))
                }
                Poll::Ready(Ok(k)) => {
                    self.write_timer.disarm();
                    self.out.advance(k);
                    self.traffic.add_sent(k as u64);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(self.write_failed(e))),
                Poll::Pending => {
                    if let Some(t) = self.write_timeout {
                        if self.write_timer.poll_at(cx, Instant::now() + t).is_ready() {
                            self.h1.send_failed();
                            self.broken = true;
                            let e = Error::new(
                                ErrorKind::Timeout,
                                format!("the peer took no bytes for {t:?}"),
                            );
                            return Poll::Ready(Err(e));
                        }
                    }
                    return Poll::Pending;
                }
            }
        }
        Poll::Ready(Ok(()))
    }

    fn write_failed(&mut self, e: io::Error) -> Error {
        self.h1.send_failed();
        self.broken = true;
        self.write_timer.disarm();
        Error::from_io(e).context("writing to the peer")
    }

    /// Writes what is queued; see [`poll_flush_queued`](Self::poll_flush_queued).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let _request = conn.next_event().await?;
    /// conn.queue_send(|h1| h1.send_response(&h1::Response::new(204)?))?;
    /// conn.flush_queued().await?;
    /// assert_eq!((conn.queued(), conn.bytes_sent()), (0, 27));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_flush_queued`](Self::poll_flush_queued).
    pub async fn flush_queued(&mut self) -> Result<(), Error> {
        poll_fn(|cx| self.poll_flush_queued(cx)).await
    }

    /// Writes what is queued, then flushes the stream (so the peer sees it now).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use tokio::io::AsyncReadExt;
    ///
    /// let _request = conn.next_event().await?;
    /// conn.queue_send(|h1| h1.send_response(&h1::Response::new(204)?))?;
    /// std::future::poll_fn(|cx| conn.poll_flush(cx)).await?;
    /// let mut got = [0; 27];
    /// peer.read_exact(&mut got).await?;
    /// assert_eq!(&got, b"HTTP/1.1 204 No Content\r\n\r\n");
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_flush_queued`](Self::poll_flush_queued).
    pub fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        ready!(self.poll_flush_queued(cx))?;
        match Pin::new(&mut self.stream).poll_flush(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(self.write_failed(e))),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Writes what is queued and flushes the stream; see [`poll_flush`](Self::poll_flush).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use tokio::io::AsyncReadExt;
    ///
    /// let _request = conn.next_event().await?;
    /// conn.queue_send(|h1| h1.send_response(&h1::Response::new(204)?))?;
    /// conn.flush().await?;
    /// let mut got = [0; 27];
    /// peer.read_exact(&mut got).await?;
    /// assert_eq!(&got, b"HTTP/1.1 204 No Content\r\n\r\n");
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_flush_queued`](Self::poll_flush_queued).
    pub async fn flush(&mut self) -> Result<(), Error> {
        poll_fn(|cx| self.poll_flush(cx)).await
    }

    /// Sends through the core and queues the output, writing the queue once it holds
    /// more than a few dozen KiB (so a fast producer waits for a slow reader); call
    /// [`flush`](Self::flush) after the last piece of a message.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use tokio::io::AsyncReadExt;
    ///
    /// let _request = conn.next_event().await?;
    /// let res = h1::Response::new(200)?.with_header("Content-Length", "2")?;
    /// conn.send(|h1| h1.send_response(&res)).await?;
    /// conn.send(|h1| h1.send_data("ok".into())).await?;
    /// conn.send(|h1| h1.send_end()).await?;
    /// conn.flush().await?;
    /// let mut got = vec![0; conn.bytes_sent() as usize];
    /// peer.read_exact(&mut got).await?;
    /// assert!(got.starts_with(b"HTTP/1.1 200 OK\r\n") && got.ends_with(b"\r\n\r\nok"));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// The core's refusal ([`ErrorKind::InvalidInput`]), or a failed write.
    pub async fn send(
        &mut self,
        f: impl FnOnce(&mut Connection) -> Result<Output, h1::Error>,
    ) -> Result<(), Error> {
        self.queue_send(f)?;
        if self.out.len > HIGH_WATER {
            self.flush_queued().await?;
        }
        Ok(())
    }

    /// Shuts the writing side of the stream down (after a last response), writing what
    /// is queued first.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use tokio::io::AsyncReadExt;
    ///
    /// let _request = conn.next_event().await?;
    /// conn.queue_send(|h1| h1.send_response(&h1::Response::new(204)?))?;
    /// conn.shutdown().await?;
    /// let mut got = Vec::new();
    /// peer.read_to_end(&mut got).await?; // ends: the stream was shut down
    /// assert_eq!(got, b"HTTP/1.1 204 No Content\r\n\r\n");
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// As [`poll_flush_queued`](Self::poll_flush_queued).
    pub async fn shutdown(&mut self) -> Result<(), Error> {
        self.flush().await?;
        poll_fn(|cx| Pin::new(&mut self.stream).poll_shutdown(cx))
            .await
            .map_err(|e| self.write_failed(e))
    }

    /// A cheap check, without waiting, that an idle kept-alive connection is still open
    /// and nothing unexpected arrived on it: false when the peer closed it, sent bytes,
    /// or the stream failed.
    ///
    /// ```
    /// use h1::{Connection, Role};
    /// use tokio::io::AsyncWriteExt;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let (stream, mut peer) = tokio::io::duplex(1024);
    /// let mut conn = h1_tokio::Conn::new(stream, Connection::new(Role::Client));
    /// assert!(conn.is_idle_alive()); // open, and nothing arrived
    /// peer.write_all(b"HTTP/1.1 408 Request Timeout\r\n\r\n").await?;
    /// assert!(!conn.is_idle_alive()); // something arrived while idle: not reusable
    /// # Ok(()) }
    /// ```
    pub fn is_idle_alive(&mut self) -> bool {
        if self.broken || self.h1.buffered() > 0 {
            return false;
        }
        let mut cx = Context::from_waker(Waker::noop());
        // Whatever this reads stays in the buffer, which makes the connection unusable:
        // that is the answer too.
        matches!(self.poll_read_raw(&mut cx), Poll::Pending)
    }

    /// A server that has not answered yet, whose client waits for `100 Continue` before it
    /// sends the body: queues `HTTP/1.1 100 Continue` and flushes it.
    fn poll_continue_if_waiting(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if self.h1.role() == Role::Server && self.h1.client_is_waiting_for_100_continue() {
            let res = h1::Response::new(100)?;
            self.queue_send(|h1| h1.send_response(&res))?;
        }
        self.poll_flush(cx)
    }

    /// One step of reading the current body: a piece of at most `want` bytes or a line,
    /// reading from the stream (after `100 Continue` when the client waits for it)
    /// whenever the connection needs data.
    pub(crate) fn poll_piece(
        &mut self,
        cx: &mut Context<'_>,
        want: Want,
    ) -> Poll<Result<Piece, Error>> {
        loop {
            let state = self
                .body
                .get_or_insert_with(|| BodyState::new(Framing::Unknown, &h1::Headers::new()));
            let step = match want {
                Want::Data(max) => state.next_data(&mut self.h1, max),
                Want::Line => state.next_line(&mut self.h1),
            };
            match step {
                Ok(Piece::NeedData) => {
                    if self.out.len > 0 || self.h1.client_is_waiting_for_100_continue() {
                        ready!(self.poll_continue_if_waiting(cx))?;
                    }
                    ready!(self.poll_fill(cx))?;
                }
                Ok(piece) => return Poll::Ready(Ok(piece)),
                Err(e) => {
                    self.broken = true;
                    return Poll::Ready(Err(e));
                }
            }
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> crate::body::Sealed for Conn<S> {
    fn poll_piece(&mut self, cx: &mut Context<'_>, want: Want) -> Poll<Result<Piece, Error>> {
        Self::poll_piece(self, cx, want)
    }

    fn with_state<R>(&self, f: impl FnOnce(Option<&BodyState>) -> R) -> R {
        f(self.body.as_ref())
    }

    fn finish_buffered(&mut self) -> Result<bool, Error> {
        Self::finish_buffered(self)
    }
}

/// Pieces up to this size are copied into the queue's own buffer instead of being queued
/// as they are: heads, chunk-size lines and small bodies of pipelined answers then go out
/// as one slice, and the core's scratch buffer, which no queued head holds any more, is
/// reused for the next head instead of reallocated.
const COPY_AT_MOST: usize = 512;

/// The capacity of the copy buffer kept once it is written out; a larger one is given
/// back.
const COPY_KEEP: usize = 16 * 1024;

/// Bytes waiting to be written: refcounted pieces (the first possibly partly written),
/// then the small pieces copied after them.
#[derive(Debug, Default)]
struct OutQueue {
    pieces: VecDeque<Bytes>,
    /// Small pieces, copied; they follow every piece in `pieces`.
    copied: BytesMut,
    len: usize,
}

impl OutQueue {
    fn push(&mut self, piece: &Bytes) {
        if piece.is_empty() {
            return;
        }
        self.len += piece.len();
        if piece.len() <= COPY_AT_MOST {
            self.copied.extend_from_slice(piece);
            return;
        }
        if !self.copied.is_empty() {
            self.pieces.push_back(self.copied.split().freeze());
        }
        self.pieces.push_back(piece.clone());
    }

    /// Writes once to `stream`: the copied bytes alone with a plain write, else up to
    /// [`MAX_SLICES`] pieces vectored.
    fn poll_write<S: AsyncWrite + Unpin>(
        &self,
        stream: &mut S,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<usize>> {
        if self.pieces.is_empty() {
            return Pin::new(stream).poll_write(cx, &self.copied);
        }
        let mut slices = [IoSlice::new(&[]); MAX_SLICES];
        let n = self.slices(&mut slices);
        Pin::new(stream).poll_write_vectored(cx, &slices[..n])
    }

    fn slices<'a>(&'a self, slices: &mut [IoSlice<'a>]) -> usize {
        let copied = (!self.copied.is_empty()).then_some(&self.copied[..]);
        let all = self.pieces.iter().map(|p| &p[..]).chain(copied);
        let mut n = 0;
        for (slot, piece) in slices.iter_mut().zip(all) {
            *slot = IoSlice::new(piece);
            n += 1;
        }
        n
    }

    fn advance(&mut self, mut written: usize) {
        self.len -= written;
        while written > 0 {
            let Some(front) = self.pieces.front_mut() else {
                if written < self.copied.len() {
                    self.copied.advance(written);
                } else if self.copied.capacity() > COPY_KEEP {
                    self.copied = BytesMut::new();
                } else {
                    // Emptied in place: the next pieces are copied from the buffer's start,
                    // with no move of its start back.
                    self.copied.clear();
                }
                return;
            };
            if written >= front.len() {
                written -= front.len();
                self.pieces.pop_front();
            } else {
                front.advance(written);
                written = 0;
            }
        }
    }
}

/// A timer made when first needed and reused: armed when a wait starts, disarmed when it
/// ends.
///
/// A wait that ends later than the one before it (the next idle timeout, say) keeps the
/// sleep registered for the earlier instant instead of moving it in the runtime's timer
/// wheel; when it fires early, it is moved once to the instant due. While the sleep is
/// registered and was last polled with the waker of the task now waiting, it is not
/// polled again: it wakes that task when it fires.
#[derive(Debug, Default)]
struct Timer {
    sleep: Option<Pin<Box<Sleep>>>,
    /// When the current wait times out.
    due: Option<Instant>,
    /// The waker the sleep was last polled with, while it is registered for its instant.
    registered: Option<Waker>,
}

impl Timer {
    fn disarm(&mut self) {
        self.due = None;
    }

    /// Polls the timer, arming it for `at` when no wait is in progress.
    fn poll_at(&mut self, cx: &mut Context<'_>, at: Instant) -> Poll<()> {
        let due = *self.due.get_or_insert(at);
        let sleep = match &mut self.sleep {
            Some(sleep) => {
                if sleep.deadline() > due {
                    sleep.as_mut().reset(due);
                    self.registered = None;
                } else if !sleep.is_elapsed()
                    && self
                        .registered
                        .as_ref()
                        .is_some_and(|w| w.will_wake(cx.waker()))
                {
                    return Poll::Pending;
                }
                sleep
            }
            None => self.sleep.insert(Box::pin(tokio::time::sleep_until(due))),
        };
        loop {
            if sleep.as_mut().poll(cx).is_pending() {
                match &mut self.registered {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    other => *other = Some(cx.waker().clone()),
                }
                return Poll::Pending;
            }
            self.registered = None;
            if sleep.deadline() >= due {
                self.due = None;
                return Poll::Ready(());
            }
            // Fired for an earlier wait's instant: on to this one's.
            sleep.as_mut().reset(due);
        }
    }
}

/// A waker that counts its wakes, for tests of what a poll registers.
#[cfg(test)]
pub(crate) mod counting {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    #[derive(Default)]
    pub(crate) struct Wakes(AtomicUsize);

    impl Wakes {
        pub(crate) fn count(&self) -> usize {
            self.0.load(Ordering::SeqCst)
        }
    }

    impl Wake for Wakes {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// A new waker and its count.
    pub(crate) fn waker() -> (Arc<Wakes>, Waker) {
        let wakes = Arc::new(Wakes::default());
        (wakes.clone(), Waker::from(wakes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn queued_pieces_are_written_in_order_through_a_small_pipe() {
        let (a, mut b) = tokio::io::duplex(7);
        let mut conn = Conn::new(a, Connection::new(Role::Client));
        for piece in ["GET / HTTP/1.1\r\n", "", "Host: a\r\n", "\r\n"] {
            conn.out.push(&Bytes::from(piece));
        }
        assert_eq!(conn.queued(), 27);
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            tokio::io::AsyncReadExt::read_to_end(&mut b, &mut got)
                .await
                .unwrap();
            got
        });
        conn.flush().await.unwrap();
        assert_eq!(conn.queued(), 0);
        assert_eq!(conn.bytes_sent(), 27);
        drop(conn);
        assert_eq!(reader.await.unwrap(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    /// What one vectored write of the queue would hand over, slice by slice.
    fn pending(q: &OutQueue) -> Vec<Vec<u8>> {
        let mut slices = [IoSlice::new(&[]); MAX_SLICES];
        let n = q.slices(&mut slices);
        slices[..n].iter().map(|s| s.to_vec()).collect()
    }

    #[test]
    fn small_pieces_are_copied_into_one_slice_large_ones_queued_in_order() {
        let mut q = OutQueue::default();
        let large = vec![b'L'; COPY_AT_MOST + 1];
        for piece in ["HTTP/1.1 200 OK\r\n\r\n", "a", "", "bc"] {
            q.push(&Bytes::from(piece));
        }
        q.push(&Bytes::from(large.clone()));
        q.push(&Bytes::from("tail"));
        let head = b"HTTP/1.1 200 OK\r\n\r\nabc".to_vec();
        assert_eq!(pending(&q), [head, large.clone(), b"tail".to_vec()]);
        assert_eq!(q.len, 22 + large.len() + 4);

        // Written part way into the large piece, then into the copied tail.
        q.advance(22 + 10);
        assert_eq!(pending(&q), [large[10..].to_vec(), b"tail".to_vec()]);
        q.advance(large.len() - 10 + 2);
        assert_eq!(pending(&q), [b"il".to_vec()]);
        q.advance(2);
        assert_eq!(q.len, 0);
        assert!(pending(&q).is_empty());
        // The copy buffer is used again from its start.
        q.push(&Bytes::from("next"));
        assert_eq!(pending(&q), [b"next".to_vec()]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_timer_fires_at_each_waits_own_instant() {
        let mut timer = Timer::default();
        let start = Instant::now();
        let fired = |timer: &mut Timer, at: Instant| {
            let mut cx = Context::from_waker(Waker::noop());
            timer.poll_at(&mut cx, at).is_ready()
        };
        // A wait for +2 s, ended early; the next wait, for +5 s, keeps the sleep at +2 s.
        assert!(!fired(&mut timer, start + Duration::from_secs(2)));
        timer.disarm();
        assert!(!fired(&mut timer, start + Duration::from_secs(5)));
        tokio::time::advance(Duration::from_secs(3)).await;
        assert!(
            !fired(&mut timer, start + Duration::from_secs(99)),
            "fired at +3 s"
        );
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(
            fired(&mut timer, start + Duration::from_secs(99)),
            "not fired at +5 s"
        );
        // A wait shorter than the sleep's instant moves it earlier.
        timer.disarm();
        assert!(!fired(&mut timer, Instant::now() + Duration::from_secs(30)));
        timer.disarm();
        assert!(!fired(&mut timer, Instant::now() + Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(fired(&mut timer, Instant::now() + Duration::from_secs(99)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_timer_left_registered_wakes_the_task_that_polled_it_last() {
        let mut timer = Timer::default();
        let start = Instant::now();
        let (a, waker_a) = counting::waker();
        let (b, waker_b) = counting::waker();
        let poll = |timer: &mut Timer, waker: &Waker, at: Instant| {
            timer
                .poll_at(&mut Context::from_waker(waker), at)
                .is_ready()
        };
        assert!(!poll(&mut timer, &waker_a, start + Duration::from_secs(2)));
        // The next wait, with the same waker, leaves the sleep as it was registered.
        timer.disarm();
        assert!(!poll(&mut timer, &waker_a, start + Duration::from_secs(4)));
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(a.count(), 1, "woken at +2 s");
        // Early for this wait: moved to +4 s, polled from another task.
        assert!(!poll(&mut timer, &waker_b, start + Duration::from_secs(99)));
        // Back to the first task: its waker is registered again.
        assert!(!poll(&mut timer, &waker_a, start + Duration::from_secs(99)));
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!((a.count(), b.count()), (2, 0), "woken at +4 s");
        assert!(poll(&mut timer, &waker_a, start + Duration::from_secs(99)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_peer_trips_the_read_timeout() {
        let (a, _b) = tokio::io::duplex(64);
        let mut conn = Conn::new(a, Connection::new(Role::Server));
        conn.set_read_timeout(Some(Duration::from_secs(2)));
        let e = conn.next_event().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert!(conn.is_broken());
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_bounds_a_trickling_peer() {
        let (a, mut b) = tokio::io::duplex(64);
        let mut conn = Conn::new(a, Connection::new(Role::Server));
        conn.set_read_timeout(Some(Duration::from_secs(2)));
        conn.set_deadline(Some(Instant::now() + Duration::from_secs(5)));
        tokio::spawn(async move {
            for b_ in b"GET / HTTP/1.1\r\n".iter().cycle() {
                if b.write_all(&[*b_]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        let start = Instant::now();
        let e = conn.next_event().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert_eq!(e.message(), "the deadline passed");
        assert!(start.elapsed() >= Duration::from_secs(5));
        assert!(start.elapsed() < Duration::from_secs(7));
    }

    #[tokio::test]
    async fn a_closed_or_chatty_idle_peer_is_not_alive() {
        let (a, b) = tokio::io::duplex(64);
        let mut conn = Conn::new(a, Connection::new(Role::Client));
        assert!(conn.is_idle_alive());
        drop(b);
        assert!(!conn.is_idle_alive());

        let (a, mut b) = tokio::io::duplex(64);
        let mut conn = Conn::new(a, Connection::new(Role::Client));
        b.write_all(b"HTTP/1.1 200 OK\r\n").await.unwrap();
        assert!(!conn.is_idle_alive());
    }
}
