//! One connection's life: wait for a head, run the handler, deal with the body it left,
//! send its reply, and go round again while the core keeps the connection alive.

use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream as _;
use h1::{Connection, Event, Request, Response, Role, State};
use h1_common::server::{
    end_without_body, error_response, head_error_response, reply_length, send_reply_head,
    unread_body, BodyLeft, ErrorResponse, ServerConfig, UnreadBody,
};
use h1_common::{Error, ErrorKind, Framing};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;
use tokio::time::Instant;

use super::incoming::{lend, new_slot, take_back, Incoming, RequestSource, SharedSlot};
use super::reply::{ChunkStream, Reply, ReplyBody};
use super::HandlerResult;
use crate::conn::{Conn, HIGH_WATER};

/// The size of each read from a [`Reply::with_reader`] body.
const READ_PIECE: usize = 16 * 1024;

/// Whether the server is stopping, as each connection watches it.
pub(crate) type Stop = watch::Receiver<bool>;

/// Serves one connection until it closes.
pub(crate) async fn serve<S, F, Fut>(
    stream: S,
    peer: Option<SocketAddr>,
    config: Arc<ServerConfig>,
    handler: Arc<F>,
    stop: Stop,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug + 'static,
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    // Boxed: the connection moves between this task and the request body's slot, and a
    // move of a box is a pointer's.
    let mut conn = Box::new(Conn::new(
        stream,
        Connection::with_limits(Role::Server, config.limits.clone())
            .with_buffers(config.buffers.clone()),
    ));
    conn.set_write_timeout(Some(config.write_timeout));
    // Made when a request with a body first arrives, then reused.
    let mut slot: Option<SharedSlot<S>> = None;
    // Ends when the server starts stopping. One future for the connection's life, so its
    // registration with the watch is made once, not at every wait between requests.
    let changed = pin!(stop_changed(&stop));
    let mut stopping = Stopping::new(&stop, changed);
    let mut first = true;
    loop {
        let req = match next_head(&mut conn, &config, &mut stopping, first).await {
            Ok(Some(req)) => req,
            Ok(None) => return linger_close(conn).await,
            Err(e) => {
                // A protocol error, or a head cut off by its deadline: 400-class or 408.
                let received = conn.connection().buffered();
                answer(&mut conn, head_error_response(&e, received));
                return linger_close(conn).await;
            }
        };
        first = false;
        let next = handle(conn, req, peer, &config, &*handler, &mut slot, &stop).await;
        match next {
            Some(mut kept) => {
                if kept.connection_mut().start_next_cycle().is_err() {
                    return linger_close(kept).await;
                }
                conn = kept;
            }
            None => return,
        }
    }
}

/// The server's shutdown as a connection waits for it between requests: the watch's
/// future (`changed`) is polled, which registers the task's waker with the watch, at the
/// first wait and whenever the waker differs from the one registered; at the waits after
/// that, the registered waker wakes the task, and reading the watch's version is enough.
struct Stopping<'a, F> {
    stop: &'a Stop,
    changed: Pin<&'a mut F>,
    registered: Option<Waker>,
}

/// A future that ends when the server starts stopping (or the watch's sender is gone), on
/// its own clone of the watch.
fn stop_changed(stop: &Stop) -> impl Future<Output = ()> {
    let mut watch = stop.clone();
    async move {
        let _ = watch.changed().await;
    }
}

impl<'a, F: Future<Output = ()>> Stopping<'a, F> {
    /// Watches `stop` through `changed` ([`stop_changed`] of it), not yet registered.
    fn new(stop: &'a Stop, changed: Pin<&'a mut F>) -> Self {
        Self {
            stop,
            changed,
            registered: None,
        }
    }

    /// `Ready` once the server started stopping (or the watch's sender is gone).
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(w) = &self.registered {
            if w.will_wake(cx.waker()) {
                return match self.stop.has_changed() {
                    Ok(false) => Poll::Pending,
                    _ => Poll::Ready(()),
                };
            }
        }
        if self.changed.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        self.registered = Some(cx.waker().clone());
        Poll::Pending
    }

    /// Whether the server started stopping.
    fn now(&self) -> bool {
        *self.stop.borrow()
    }
}

/// Waits for the next request head: `Ok(None)` when the client closed cleanly between
/// requests, stayed idle too long, or the server is stopping. Responses queued for
/// earlier (pipelined) requests are written before waiting for bytes.
async fn next_head<S, F: Future<Output = ()>>(
    conn: &mut Conn<S>,
    config: &ServerConfig,
    stopping: &mut Stopping<'_, F>,
    first: bool,
) -> Result<Option<Request>, Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut started = conn.connection().buffered() > 0;
    // A new connection's head is due within the head timeout from the accept; a later
    // one's from its first byte (or from now, when bytes of it are already here). The
    // clock is read only for a head found incomplete: one already buffered whole (the
    // usual pipelined request) needs no deadline.
    let mut due = first.then(|| Instant::now() + config.header_timeout);
    conn.set_deadline(due);
    loop {
        match conn.connection_mut().next_event() {
            Ok(Event::Request(req)) => return Ok(Some(req)),
            Ok(Event::NeedData) => {}
            Ok(_) => return Ok(None), // ConnectionClosed: the client closed between requests
            Err(e) => {
                conn.mark_broken();
                return Err(Error::from_h1(e));
            }
        }
        if started && due.is_none() {
            due = Some(Instant::now() + config.header_timeout);
            conn.set_deadline(due);
        }
        if conn.queued() > 0 {
            conn.flush().await?;
        }
        if started {
            conn.set_read_timeout(None);
            conn.fill().await?;
            continue;
        }
        // Idle: nothing of the next request yet. Stopping closes the connection now.
        if stopping.now() {
            return Ok(None);
        }
        let wait = if first {
            config.header_timeout
        } else {
            config.idle_timeout
        };
        conn.set_read_timeout(Some(wait));
        let read = poll_fn(|cx| match conn.poll_fill(cx) {
            Poll::Ready(read) => Poll::Ready(Some(read)),
            Poll::Pending => stopping.poll(cx).map(|()| None),
        })
        .await;
        let Some(read) = read else {
            return Ok(None);
        };
        match read {
            Ok(_) => {}
            Err(e) if e.is_timeout() => return Ok(None),
            Err(e) => return Err(e),
        }
        started = true;
    }
}

/// Runs the handler for one request and sends its reply; the connection comes back when
/// it can serve another request.
async fn handle<S, F, Fut>(
    mut conn: Box<Conn<S>>,
    req: Request,
    peer: Option<SocketAddr>,
    config: &ServerConfig,
    handler: &F,
    slot: &mut Option<SharedSlot<S>>,
    stop: &Stop,
) -> Option<Box<Conn<S>>>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug + 'static,
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    let framing = Framing::incoming(conn.connection());
    conn.set_deadline(None);
    conn.set_read_timeout(Some(config.body_timeout));

    let outcome = if framing == Framing::None {
        // No body: the handler never needs the connection, which stays here; responses
        // queued for earlier pipelined requests go out while the handler waits. The
        // request ends at once, and no body state is kept for it.
        if end_without_body(conn.connection_mut()).is_err() {
            conn.mark_broken();
            return None;
        }
        let source = RequestSource::empty();
        // The handler's future is made and polled in place (no future wraps it); one
        // ready at once is answered without waiting.
        match start(handler, Incoming::new(req, peer, source)) {
            None => None,
            Some(fut) => {
                let mut fut = pin!(fut);
                let first = poll_fn(|cx| Poll::Ready(poll_caught(fut.as_mut(), cx))).await;
                match first {
                    Poll::Ready(outcome) => outcome,
                    Poll::Pending => {
                        if conn.queued() > 0 && conn.flush().await.is_err() {
                            return None;
                        }
                        poll_fn(|cx| poll_caught(fut.as_mut(), cx)).await
                    }
                }
            }
        }
    } else {
        conn.start_body(framing, req.headers());
        // Written before the handler may wait on the body (a client may wait for them).
        if conn.queued() > 0 && conn.flush().await.is_err() {
            return None;
        }
        let shared = slot.get_or_insert_with(new_slot).clone();
        let generation = lend(&shared, conn);
        let access: Arc<dyn super::incoming::SlotAccess> = shared.clone();
        let source = RequestSource::shared(access, generation);
        let outcome = match start(handler, Incoming::new(req, peer, source)) {
            None => None,
            Some(fut) => {
                let mut fut = pin!(fut);
                poll_fn(|cx| poll_caught(fut.as_mut(), cx)).await
            }
        };
        conn = take_back(&shared)?;
        outcome
    };

    // The socket failed or a body read timed out: nothing more can be said.
    if conn.is_broken() && conn.connection().their_state() != State::Error {
        return None;
    }
    // The client broke the protocol in its body: its error is answered, whatever the
    // handler made of it.
    if conn.connection().their_state() == State::Error {
        if let Err(e) = conn.connection_mut().next_event() {
            answer(&mut conn, error_response(&e));
        }
        linger_close(conn).await;
        return None;
    }
    let (mut reply, mut close) = match outcome {
        Some(Ok(reply)) if reply.head.status() >= 200 => (reply, false),
        // A failed or panicking handler, or one answering 1xx (the server's to send).
        _ => (Reply::handler_failed(), true),
    };
    let finished =
        framing == Framing::None || conn.body_state().is_some_and(h1_common::BodyState::is_done);
    if !finished && !close {
        let remaining = match framing {
            Framing::Length(n) => {
                Some(n.saturating_sub(conn.body_state().map_or(0, |s| s.delivered())))
            }
            _ => None,
        };
        let waiting = conn.connection().client_is_waiting_for_100_continue();
        let left = BodyLeft::unfinished(waiting, remaining);
        match unread_body(left, config.drain_limit) {
            UnreadBody::Drain { limit } => match drain(&mut conn, limit).await {
                Ok(kept) => close = !kept,
                Err(e) => {
                    if let Some(core) = e.h1() {
                        answer(&mut conn, error_response(core));
                        linger_close(conn).await;
                    }
                    return None;
                }
            },
            _ => close = true,
        }
    }
    if (close || *stop.borrow())
        && reply
            .head
            .headers_mut()
            .append("Connection", "close")
            .is_err()
    {
        return None;
    }
    let (head, body, len) = reply.into_sized();
    let queued = match body {
        ReplyBody::Bytes(bytes) => queue_whole(&mut conn, &head, bytes, len),
        ReplyBody::Reader { reader, len } => send_read(&mut conn, &head, reader, len).await,
        ReplyBody::Chunks(chunks) => send_chunks(&mut conn, &head, chunks).await,
    };
    if queued.is_err() || finish(&mut conn).await.is_err() {
        return None;
    }
    let done = conn.connection().our_state() == State::Done
        && conn.connection().their_state() == State::Done;
    if done && !conn.is_broken() {
        Some(conn)
    } else {
        linger_close(conn).await;
        None
    }
}

/// Calls the handler for its future; `None` when it panicked.
fn start<F, Fut>(handler: &F, incoming: Incoming) -> Option<Fut>
where
    F: Fn(Incoming) -> Fut,
{
    catch_unwind(AssertUnwindSafe(|| handler(incoming))).ok()
}

/// Polls the handler's future; `Ready(None)` when it panicked.
fn poll_caught<Fut>(fut: Pin<&mut Fut>, cx: &mut Context<'_>) -> Poll<Option<HandlerResult>>
where
    Fut: Future<Output = HandlerResult>,
{
    match catch_unwind(AssertUnwindSafe(|| fut.poll(cx))) {
        Ok(Poll::Ready(result)) => Poll::Ready(Some(result)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(_) => Poll::Ready(None),
    }
}

/// Reads the rest of the request body and throws it away, up to `limit` bytes: true when
/// it ended within the limit.
async fn drain<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    limit: u64,
) -> Result<bool, Error> {
    let mut body = crate::body::Body::new(&mut *conn);
    body.drain(limit).await
}

/// Queues the answer to a peer's protocol error or late head (its status hint, or 408),
/// when there is one.
fn answer<S>(conn: &mut Conn<S>, answer: Option<ErrorResponse>) {
    let Some(answer) = answer else {
        return;
    };
    if conn.queue_send(|h1| h1.send_response(&answer.head)).is_ok()
        && conn.queue_send(|h1| h1.send_data(answer.body)).is_ok()
    {
        let _ = conn.queue_send(|h1| h1.send_end());
    }
}

/// Closes the connection so the client reads everything written: what is queued goes
/// out, the sending side is shut, then what the client still sends is read and dropped
/// for a moment (closing with unread bytes would reset the connection and could destroy
/// the response in flight).
async fn linger_close<S: AsyncRead + AsyncWrite + Unpin>(mut conn: Box<Conn<S>>) {
    let broken = conn.is_broken() && conn.queued() == 0;
    if conn.shutdown().await.is_err() || broken {
        return;
    }
    let (mut stream, _) = (*conn).into_parts();
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        let mut sink = [0u8; 4096];
        let mut left = 256 * 1024usize;
        while left > 0 {
            let mut buf = ReadBuf::new(&mut sink);
            match poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_read(cx, &mut buf)).await {
                Ok(()) if !buf.filled().is_empty() => left -= buf.filled().len().min(left),
                _ => break,
            }
        }
    })
    .await;
}

/// Queues a whole reply whose body is bytes, framed by the core: head, body and end,
/// without waiting (the next wait for bytes writes it, with any other pipelined answers).
fn queue_whole<S>(
    conn: &mut Conn<S>,
    head: &Response,
    body: Bytes,
    len: Option<u64>,
) -> Result<(), Error> {
    if reply_length(head, len).is_some() {
        // Head, body and end from one call of the core.
        return conn.queue_send(|h1| h1.send_response_with_body(head, body));
    }
    let has_body = conn.connection().response_has_body(head.status());
    conn.queue_send(|h1| send_reply_head(h1, head, len))?;
    if has_body {
        conn.queue_send(|h1| h1.send_data(body))?;
    }
    conn.queue_send(|h1| h1.send_end())
}

/// Queues a reply's head, and its end when the response carries no body: true when the
/// body follows.
fn queue_head<S>(conn: &mut Conn<S>, head: &Response, len: Option<u64>) -> Result<bool, Error> {
    let has_body = conn.connection().response_has_body(head.status());
    conn.queue_send(|h1| send_reply_head(h1, head, len))?;
    if has_body {
        return Ok(true);
    }
    conn.queue_send(|h1| h1.send_end())?;
    Ok(false)
}

/// Sends a reply whose body is read from `reader`, `len` bytes, with `Content-Length`,
/// piece by piece; the end is left queued.
async fn send_read<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    head: &Response,
    mut reader: Pin<Box<dyn AsyncRead + Send>>,
    len: u64,
) -> Result<(), Error> {
    if !queue_head(conn, head, Some(len))? {
        return Ok(());
    }
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(READ_PIECE);
        let mut piece = BytesMut::zeroed(want);
        let mut buf = ReadBuf::new(&mut piece);
        poll_fn(|cx| reader.as_mut().poll_read(cx, &mut buf))
            .await
            .map_err(|e| {
                conn.mark_broken();
                Error::from_io(e).context("reading the reply body")
            })?;
        let n = buf.filled().len();
        if n == 0 {
            // Fewer bytes than announced: the core refuses to end the body; the
            // connection closes, so the client sees it cut short.
            conn.flush().await?;
            conn.mark_broken();
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "the reply body ended before its length",
            ));
        }
        piece.truncate(n);
        left -= n as u64;
        conn.send(|h1| h1.send_data(piece.freeze())).await?;
    }
    conn.queue_send(|h1| h1.send_end())
}

/// Sends a reply whose body is a stream of chunks, each written and flushed as it comes;
/// the end is left queued.
async fn send_chunks<S: AsyncRead + AsyncWrite + Unpin>(
    conn: &mut Conn<S>,
    head: &Response,
    mut chunks: ChunkStream,
) -> Result<(), Error> {
    if !queue_head(conn, head, None)? {
        return Ok(());
    }
    // The head goes at once: the client sees it before the first chunk is made.
    conn.flush().await?;
    loop {
        let next = poll_fn(|cx| std::pin::Pin::new(&mut chunks).poll_next(cx)).await;
        match next {
            Some(Ok(chunk)) => {
                if !chunk.is_empty() {
                    conn.queue_send(|h1| h1.send_data(chunk))?;
                    conn.flush().await?;
                }
            }
            Some(Err(e)) => {
                conn.mark_broken();
                return Err(Error::from_io(e).context("producing the reply body"));
            }
            None => break,
        }
    }
    conn.queue_send(|h1| h1.send_end())
}

/// After a whole response was queued: keep it queued when another request may follow
/// (pipelined answers go out together), write it when the queue is large or the
/// connection ends.
async fn finish<S: AsyncRead + AsyncWrite + Unpin>(conn: &mut Conn<S>) -> Result<(), Error> {
    if conn.queued() > HIGH_WATER || !conn.can_continue() {
        conn.flush().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::counting;

    #[test]
    fn stopping_wakes_the_task_that_waited_last_and_ends_when_the_sender_goes() {
        for how in ["shutdown", "sender dropped"] {
            let (tx, stop) = watch::channel(false);
            let changed = pin!(stop_changed(&stop));
            let mut stopping = Stopping::new(&stop, changed);
            let (a, waker_a) = counting::waker();
            let (b, waker_b) = counting::waker();
            let mut poll = |waker: &Waker| stopping.poll(&mut Context::from_waker(waker));
            assert!(poll(&waker_a).is_pending());
            assert!(poll(&waker_a).is_pending(), "{how}");
            // Another task waits now: its waker replaces the first.
            assert!(poll(&waker_b).is_pending(), "{how}");
            if how == "shutdown" {
                tx.send_replace(true);
            } else {
                drop(tx);
            }
            assert_eq!((a.count(), b.count()), (0, 1), "{how}");
            assert!(poll(&waker_b).is_ready(), "{how}");
        }
    }
}
