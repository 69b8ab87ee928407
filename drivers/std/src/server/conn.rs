//! One connection's life: wait for a head, run the handler, deal with the body it left,
//! send its reply, and go round again while the core keeps the connection alive.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use bytes::{Buf, BytesMut};
use h1::{Bytes, Connection, Event, Request, Role, State};
use h1_common::server::{
    end_without_body, error_response, head_error_response, reply_length, send_reply_head,
    unread_body, BodyLeft, ErrorResponse, ServerConfig, UnreadBody,
};
use h1_common::{BodyState, Error, ErrorKind, Framing};

use super::incoming::Incoming;
use super::reply::{Reply, ReplyBody};
use super::socket::linger_close;
use super::track::Tracker;
use super::Handler;
use crate::body::Body;
use crate::conn::Conn;

/// The size of each read from a [`Reply::with_reader`] body.
const READ_PIECE: usize = 16 * 1024;

/// What happens after a request was answered.
enum Next {
    /// Both sides are done and the connection is kept alive: wait for the next request.
    Again,
    /// Close the connection.
    Close,
}

/// Serves one connection until it closes.
pub(crate) fn serve<H: Handler>(
    stream: TcpStream,
    peer: SocketAddr,
    config: &ServerConfig,
    handler: &H,
    tracker: &Tracker,
) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(config.write_timeout));
    let h1 = Connection::with_limits(Role::Server, config.limits.clone())
        .with_buffers(config.buffers.clone());
    let mut conn = Conn::new(stream, h1);
    let mut first = true;
    loop {
        let req = match next_head(&mut conn, config, tracker, first) {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(e) => {
                // A protocol error, or a head cut off by its deadline: 400-class or 408.
                let received = conn.connection().buffered();
                answer(&mut conn, head_error_response(&e, received));
                return linger_close(&mut conn);
            }
        };
        first = false;
        match handle(&mut conn, req, peer, config, handler, tracker) {
            Next::Again => {
                if conn.connection_mut().start_next_cycle().is_err() {
                    return linger_close(&mut conn);
                }
            }
            Next::Close => return linger_close(&mut conn),
        }
    }
}

/// Waits for the next request head: `Ok(None)` when the client closed cleanly between
/// requests, stayed idle too long, or the server is shutting down.
fn next_head(
    conn: &mut Conn<TcpStream>,
    config: &ServerConfig,
    tracker: &Tracker,
    first: bool,
) -> Result<Option<Request>, Error> {
    // A new connection's head is due within the head timeout of the accept; a kept-alive
    // one's within the head timeout of its first byte, after the idle wait.
    let mut deadline = first.then(|| Instant::now() + config.header_timeout);
    conn.set_deadline(deadline);
    conn.set_read_timeout((!first).then_some(config.idle_timeout));
    if conn.connection().buffered() == 0 {
        // Idle: nothing of the next request yet. Shutdown may close the socket meanwhile.
        if !tracker.set_idle(true) {
            return Ok(None);
        }
        let read = conn.fill();
        tracker.set_idle(false);
        match read {
            Ok(_) => {}
            Err(e) if e.is_timeout() => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    if deadline.is_none() {
        // A head already buffered whole (the usual pipelined request) needs no deadline:
        // the clock is read only for one found incomplete.
        match conn.connection_mut().next_event() {
            Ok(Event::NeedData) => {}
            Ok(Event::Request(req)) => return Ok(Some(req)),
            Ok(_) => return Ok(None), // ConnectionClosed: the client closed between requests
            Err(e) => {
                conn.mark_broken();
                return Err(Error::from_h1(e));
            }
        }
        deadline = Some(Instant::now() + config.header_timeout);
    }
    conn.set_read_timeout(None);
    conn.set_deadline(deadline);
    let event = conn.next_event();
    conn.set_deadline(None);
    match event? {
        Event::Request(req) => Ok(Some(req)),
        _ => Ok(None), // ConnectionClosed: the client closed between requests
    }
}

/// Runs the handler for one request and sends its reply.
fn handle<H: Handler>(
    conn: &mut Conn<TcpStream>,
    req: Request,
    peer: SocketAddr,
    config: &ServerConfig,
    handler: &H,
    tracker: &Tracker,
) -> Next {
    let framing = Framing::incoming(conn.connection());
    if framing == Framing::None {
        // No body: the request ends at once, its end taken from the core now.
        if end_without_body(conn.connection_mut()).is_err() {
            conn.mark_broken();
            return Next::Close;
        }
        let content_type = req
            .headers()
            .get("content-type")
            .map(Bytes::copy_from_slice);
        conn.body = Some(BodyState::without_body(content_type));
    } else {
        conn.start_body(framing, req.headers());
    }
    conn.set_read_timeout(Some(config.body_timeout));
    let mut incoming = Incoming::new(conn, req, peer);
    let outcome = catch_unwind(AssertUnwindSafe(|| handler(&mut incoming)));
    drop(incoming);

    // The client broke the protocol in its body: its error is answered, whatever the
    // handler made of it.
    if conn.connection().their_state() == State::Error {
        if let Err(e) = conn.connection_mut().next_event() {
            answer(conn, error_response(&e));
        }
        return Next::Close;
    }
    let (mut reply, mut close) = match outcome {
        Ok(Ok(reply)) if reply.head.status() >= 200 => (reply, false),
        // A failed or panicking handler, or one answering 1xx (the server's to send).
        _ => (Reply::handler_failed(), true),
    };
    // A failed read or write (a timeout, a reset): answer if the socket still takes it,
    // then close.
    close |= conn.is_broken();
    if !close {
        match finish_body(conn, config) {
            Ok(kept) => close = !kept,
            Err(e) => {
                if let Some(core) = e.h1().filter(|_| e.kind() == ErrorKind::Protocol) {
                    answer(conn, error_response(core));
                }
                return Next::Close;
            }
        }
    }
    if close || tracker.stopping() {
        // The core sees the field and will not keep the connection.
        if reply
            .head
            .headers_mut()
            .append("Connection", "close")
            .is_err()
        {
            return Next::Close;
        }
    }
    if send(conn, reply).is_err() {
        // A reply body that failed or came short: nothing more is written, and the close
        // shows the client its response is incomplete.
        conn.connection_mut().abort_send();
        return Next::Close;
    }
    if conn.is_reusable() {
        Next::Again
    } else {
        Next::Close
    }
}

/// Deals with what the handler left of the request body ([`unread_body`]): true when the
/// body is finished and the connection can go on.
fn finish_body(conn: &mut Conn<TcpStream>, config: &ServerConfig) -> Result<bool, Error> {
    let mut body = Body::new(conn);
    // What is already buffered costs no I/O (and a request without a body ends here).
    if body.finish_buffered()? {
        return Ok(true);
    }
    let remaining = body
        .content_length()
        .map(|n| n.saturating_sub(body.delivered()));
    let waiting = conn.connection().client_is_waiting_for_100_continue();
    match unread_body(BodyLeft::unfinished(waiting, remaining), config.drain_limit) {
        UnreadBody::Done => Ok(true),
        UnreadBody::Drain { limit } => Body::new(conn).drain(limit),
        _ => Ok(false),
    }
}

/// Writes the answer to a peer's protocol error or late head (its status hint, or 408),
/// when there is one to give.
fn answer(conn: &mut Conn<TcpStream>, answer: Option<ErrorResponse>) {
    let Some(answer) = answer else {
        return;
    };
    let h1 = conn.connection_mut();
    let Ok(head) = h1.send_response(&answer.head) else {
        return;
    };
    let data = h1.send_data(answer.body).unwrap_or_default();
    let end = h1.send_end().unwrap_or_default();
    // Head, body and end in one write.
    let _ = conn.write(head.chain(data).chain(end));
}

/// Sends a reply: head and body, framed by the core.
fn send(conn: &mut Conn<TcpStream>, reply: Reply) -> Result<(), Error> {
    let (head, body, len) = reply.into_sized();
    if let ReplyBody::Bytes(bytes) = &body {
        if reply_length(&head, len).is_some() {
            // Head, body and end from one call of the core, in one write.
            let out = conn
                .connection_mut()
                .send_response_with_body(&head, bytes.clone())?;
            return conn.write(out);
        }
    }
    let has_body = conn.connection().response_has_body(head.status());
    let h1 = conn.connection_mut();
    let head_out = send_reply_head(h1, &head, len)?;
    if !has_body {
        let end = h1.send_end()?;
        return conn.write(head_out.chain(end));
    }
    match body {
        ReplyBody::Bytes(bytes) => {
            // Head, body and end in one write.
            let data = h1.send_data(bytes)?;
            let end = h1.send_end()?;
            conn.write(head_out.chain(data).chain(end))
        }
        ReplyBody::Reader { reader, len } => {
            let mut reader = reader.take(len);
            // The head goes out with the first piece, in one write.
            let mut head = head_out;
            loop {
                let piece = read_piece(&mut reader)?;
                if piece.is_empty() {
                    break;
                }
                let data = conn.connection_mut().send_data(piece)?;
                conn.write(std::mem::take(&mut head).chain(data))?;
            }
            // Fewer bytes than `len`: the core refuses to end the body, and the caller
            // aborts it and closes, so the client sees it cut short.
            let end = conn.connection_mut().send_end()?;
            conn.write(head.chain(end))
        }
        ReplyBody::Chunks(chunks) => {
            // The head goes at once: the client sees it before the first chunk is made.
            conn.write(head_out)?;
            for chunk in chunks {
                let chunk = chunk.map_err(|e| Error::from_io(e).context("the reply's chunks"))?;
                conn.send(|h1| h1.send_data(chunk))?;
            }
            conn.send(|h1| h1.send_end())
        }
    }
}

/// One read of up to [`READ_PIECE`] bytes; empty at the end.
fn read_piece(reader: &mut impl Read) -> Result<Bytes, Error> {
    let mut buf = BytesMut::zeroed(READ_PIECE);
    loop {
        match reader.read(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf.freeze());
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::from_io(e).context("the reply's reader")),
        }
    }
}
