//! One connection's life: wait for a head, run the handler, deal with the body it left,
//! send its reply, and go round again while the core keeps the connection alive.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use bytes::BytesMut;
use h1::{Bytes, Connection, Event, Output, Request, Role, State};
use h1_common::server::{error_response, unread_body, BodyLeft, ServerConfig, UnreadBody};

use super::incoming::Incoming;
use super::reply::{Body, Reply};
use super::socket::{local, Fail, Io, Wait};
use super::track::Tracker;
use super::Handler;

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
    let conn = Connection::with_limits(Role::Server, config.limits.clone());
    let mut io = Io::new(conn, stream);
    let mut first = true;
    loop {
        let req = match next_head(&mut io, config, tracker, first) {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(Fail::Protocol(e)) => {
                answer_error(&mut io, &e);
                return io.linger_close();
            }
            Err(Fail::TimedOut | Fail::Io(_)) => return io.linger_close(),
        };
        first = false;
        match handle(&mut io, req, peer, config, handler, tracker) {
            Next::Again => {
                if io.conn.start_next_cycle().is_err() {
                    return io.linger_close();
                }
            }
            Next::Close => return io.linger_close(),
        }
    }
}

/// Waits for the next request head: `Ok(None)` when the client closed cleanly between
/// requests, stayed idle too long, or the server is shutting down.
fn next_head(
    io: &mut Io,
    config: &ServerConfig,
    tracker: &Tracker,
    first: bool,
) -> Result<Option<Request>, Fail> {
    if io.conn.buffered() == 0 {
        // Idle: nothing of the next request yet. Shutdown may close the socket meanwhile.
        if !tracker.set_idle(true) {
            return Ok(None);
        }
        let wait = if first {
            config.header_timeout
        } else {
            config.idle_timeout
        };
        let read = io.fill(Wait::EachRead(wait));
        tracker.set_idle(false);
        match read {
            Ok(_) => {}
            Err(Fail::TimedOut) => return Ok(None),
            Err(fail) => return Err(fail),
        }
    }
    let deadline = Instant::now() + config.header_timeout;
    match io.next_event(Wait::Until(deadline))? {
        Event::Request(req) => Ok(Some(req)),
        _ => Ok(None), // ConnectionClosed: the client closed between requests
    }
}

/// Runs the handler for one request and sends its reply.
fn handle<H: Handler>(
    io: &mut Io,
    req: Request,
    peer: SocketAddr,
    config: &ServerConfig,
    handler: &H,
    tracker: &Tracker,
) -> Next {
    let is_head = req.method() == "HEAD";
    let mut incoming = Incoming::new(io, req, peer, config.body_timeout);
    let outcome = catch_unwind(AssertUnwindSafe(|| handler(&mut incoming)));
    let finished = incoming.finished();
    drop(incoming);

    // The socket failed or a body read timed out: nothing more can be said.
    if io.broken {
        return Next::Close;
    }
    // The client broke the protocol in its body: its error is answered, whatever the
    // handler made of it.
    if io.conn.their_state() == State::Error {
        if let Err(Fail::Protocol(e)) = io.next_event(Wait::EachRead(config.body_timeout)) {
            answer_error(io, &e);
        }
        return Next::Close;
    }
    let (mut reply, mut close) = match outcome {
        Ok(Ok(reply)) if reply.head.status() >= 200 => (reply, false),
        // A failed or panicking handler, or one answering 1xx (the server's to send).
        _ => (internal_error(), true),
    };
    if !finished && !close {
        let left = BodyLeft::unfinished(io.conn.client_is_waiting_for_100_continue(), None);
        match unread_body(left, config.drain_limit) {
            UnreadBody::Drain { limit } => match drain(io, limit, config) {
                Ok(kept) => close = !kept,
                Err(Fail::Protocol(e)) => {
                    answer_error(io, &e);
                    return Next::Close;
                }
                Err(_) => return Next::Close,
            },
            _ => close = true,
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
    if send(io, reply, is_head).is_err() {
        return Next::Close;
    }
    if io.conn.our_state() == State::Done && io.conn.their_state() == State::Done {
        Next::Again
    } else {
        Next::Close
    }
}

/// Reads the rest of the request body and throws it away, up to `limit` bytes: true when
/// it ended within the limit.
fn drain(io: &mut Io, limit: u64, config: &ServerConfig) -> Result<bool, Fail> {
    let mut seen = 0u64;
    loop {
        match io.next_event(Wait::EachRead(config.body_timeout))? {
            Event::Data(data) => {
                seen += data.len() as u64;
                if seen > limit {
                    return Ok(false);
                }
            }
            Event::EndOfMessage(_) => return Ok(true),
            _ => return Ok(false),
        }
    }
}

/// `500 Internal Server Error`, for a handler that failed.
fn internal_error() -> Reply {
    let body = "500 Internal Server Error: the handler failed\n";
    let reply = Reply::new(500)
        .and_then(|r| r.with_header("Content-Type", "text/plain; charset=utf-8"))
        .unwrap_or_else(|_| unreachable!("a fixed, valid head"));
    reply.with_body(body)
}

/// Answers a peer's protocol error with its status hint (when there is one to give).
fn answer_error(io: &mut Io, err: &h1::Error) {
    let Some(answer) = error_response(err) else {
        return;
    };
    let Ok(head) = io.conn.send_response(&answer.head) else {
        return;
    };
    let mut outputs = vec![head];
    if let Ok(data) = io.conn.send_data(answer.body) {
        outputs.push(data);
    }
    if let Ok(end) = io.conn.send_end() {
        outputs.push(end);
    }
    let _ = io.write(&outputs);
}

/// Whether a response carries a body: not for HEAD, 204 and 304.
fn takes_body(is_head: bool, status: u16) -> bool {
    !(is_head || status == 204 || status == 304)
}

/// Sends a reply: head and body, framed by the core.
fn send(io: &mut Io, reply: Reply, is_head: bool) -> Result<(), Fail> {
    let Reply { mut head, body } = reply;
    let status = head.status();
    let has_body = takes_body(is_head, status);
    let framed =
        head.headers().contains("content-length") || head.headers().contains("transfer-encoding");
    let known_len = match &body {
        Body::Bytes(b) => Some(b.len() as u64),
        Body::Reader { len, .. } => Some(*len),
        Body::Chunks(_) => None,
    };
    if let Some(len) = known_len {
        if !framed && status != 204 && status != 304 {
            head.headers_mut()
                .append("Content-Length", len.to_string())
                .map_err(local)?;
        }
    }
    let head_out = io.conn.send_response(&head).map_err(local)?;
    if !has_body {
        let end = io.conn.send_end().map_err(local)?;
        return io.write(&[head_out, end]);
    }
    match body {
        Body::Bytes(bytes) => {
            // Head, body and end in one gathered write.
            let data = io.conn.send_data(bytes).map_err(local)?;
            let end = io.conn.send_end().map_err(local)?;
            io.write(&[head_out, data, end])
        }
        Body::Reader { reader, len } => {
            let mut reader = reader.take(len);
            let mut pending = vec![head_out];
            loop {
                let piece = read_piece(&mut reader)?;
                if piece.is_empty() {
                    break;
                }
                pending.push(io.conn.send_data(piece).map_err(local)?);
                io.write(&pending)?;
                pending.clear();
            }
            // Fewer bytes than `len`: the core refuses to end the body, and the caller
            // closes the connection, so the client sees it cut short.
            pending.push(io.conn.send_end().map_err(local)?);
            io.write(&pending)
        }
        Body::Chunks(chunks) => {
            // The head goes at once: the client sees it before the first chunk is made.
            io.write(&[head_out])?;
            for chunk in chunks {
                let chunk = chunk?;
                if !chunk.is_empty() {
                    let out = io.conn.send_data(chunk).map_err(local)?;
                    io.write(&[out])?;
                }
            }
            let end: Output = io.conn.send_end().map_err(local)?;
            io.write(&[end])
        }
    }
}

/// One read of up to [`READ_PIECE`] bytes; empty at the end.
fn read_piece(reader: &mut impl Read) -> Result<Bytes, Fail> {
    let mut buf = BytesMut::zeroed(READ_PIECE);
    loop {
        match reader.read(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf.freeze());
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Fail::Io(e)),
        }
    }
}
