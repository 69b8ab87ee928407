//! `lines`: line mode and bounded data pieces over arbitrary bodies, framings and splits,
//! checked against [`reference_lines`], a splitter written the obvious way.
//!
//! Each message is a request with a Content-Length or chunked body (chunk sizes from the
//! input), pipelined one after the other and fed to a server in arbitrary pieces. Its body
//! is read in one mode, and may switch mode after some events:
//! - lines: exactly the reference's lines, or `LineTooLong` at the first line over the
//!   limit (and not before);
//! - `Data { max }`: pieces of at most `max` whose concatenation is the body;
//! - lines then data: the data is the body after the last line's terminator (an LF after
//!   a CR that ended the last line is skipped, as the CRLF is one terminator);
//! - data then lines: the lines are the reference's lines of the rest of the body.

use arbitrary::Arbitrary;
use h1::{BodyMode, Bytes, ErrorKind, Event, Limits, Request, Role};

use crate::check::Checked;
use crate::Splitter;

/// The fuzz input.
#[derive(Debug, Arbitrary)]
pub struct Input {
    messages: Vec<Message>,
    /// Piece sizes to feed the server.
    splits: Vec<u8>,
    /// `max_line_length`, 1..=256 (0: 4).
    max_line: u8,
}

#[derive(Debug, Arbitrary)]
struct Message {
    /// Body bytes; those under 0x40 become CR or LF, so lines are frequent.
    body: Vec<u8>,
    /// Chunk sizes for a chunked body; `None`: Content-Length.
    chunks: Option<Vec<u8>>,
    /// Start in line mode (else data mode).
    lines: bool,
    /// `Data { max }` bound; 0 means unbounded.
    max: u8,
    /// Switch to the other mode after this many events (0: never).
    switch_after: u8,
}

/// The lines of `body`, each with the offset just after its terminator (CRLF, LF, CR);
/// a last line without terminator ends at the end of the body.
pub fn reference_lines(body: &[u8]) -> Vec<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < body.len() {
        match body[i] {
            b'\n' => {
                out.push((body[start..i].to_vec(), i + 1));
                i += 1;
                start = i;
            }
            b'\r' => {
                let end = if body.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push((body[start..i].to_vec(), end));
                i = end;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < body.len() {
        out.push((body[start..].to_vec(), body.len()));
    }
    out
}

impl Message {
    fn body(&self) -> Vec<u8> {
        self.body
            .iter()
            .map(|&b| match b {
                0..=0x1f => b'\r',
                0x20..=0x3f => b'\n',
                _ => b,
            })
            .take(2048)
            .collect()
    }

    /// The request head and framed body, sent by a client connection.
    fn wire(&self, body: &[u8]) -> Vec<u8> {
        let mut client = h1::Connection::new(Role::Client);
        let mut req = Request::new("POST", "/lines")
            .and_then(|r| r.with_header("Host", "example.com"))
            .unwrap();
        let h = req.headers_mut();
        match self.chunks {
            None => h.append("Content-Length", body.len().to_string()).unwrap(),
            Some(_) => h.append("Transfer-Encoding", "chunked").unwrap(),
        }
        let mut wire = client.send_request(&req).unwrap().to_vec();
        let mut sizes = Splitter::from_sizes(self.chunks.as_deref().unwrap_or_default());
        let mut at = 0;
        while at < body.len() {
            let n = sizes.piece(body.len() - at);
            let piece = Bytes::copy_from_slice(&body[at..at + n]);
            wire.extend(client.send_data(piece).unwrap().to_vec());
            at += n;
        }
        wire.extend(client.send_end().unwrap().to_vec());
        wire
    }

    fn mode(&self, lines: bool) -> BodyMode {
        if lines {
            BodyMode::Lines
        } else if self.max == 0 {
            BodyMode::default()
        } else {
            BodyMode::Data {
                max: usize::from(self.max % 16 + 1),
            }
        }
    }
}

/// Runs one input.
pub fn run(input: &Input) {
    let mut limits = Limits::default();
    limits.max_line_length = match input.max_line {
        0 => 4,
        n => usize::from(n),
    };
    let messages = &input.messages[..input.messages.len().min(6)];
    let bodies: Vec<Vec<u8>> = messages.iter().map(Message::body).collect();
    let wire: Vec<u8> = messages
        .iter()
        .zip(&bodies)
        .flat_map(|(m, b)| m.wire(b))
        .collect();
    let mut server = Checked::new(Role::Server, limits.clone(), h1::Buffers::default());
    let mut splits = Splitter::from_sizes(&input.splits);
    let mut fed = 0;
    for (m, body) in messages.iter().zip(&bodies) {
        // The head.
        loop {
            match server.next_event().expect("valid head") {
                Event::NeedData => {
                    let n = splits.piece(wire.len() - fed);
                    server.feed(&wire[fed..fed + n]);
                    fed += n;
                }
                Event::Request(_) => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        let mut lines = m.lines;
        server.set_mode(m.mode(lines));
        // What the body reads as.
        let mut data = Vec::new();
        let mut got_lines = Vec::new();
        let mut at = 0; // body offset where the current mode started
        let mut events = 0;
        let mut switched = false;
        let err = loop {
            if !switched && events == usize::from(m.switch_after) && events > 0 {
                switched = true;
                let consumed = if lines {
                    got_lines
                        .len()
                        .checked_sub(1)
                        .map_or(at, |i| line_ends(&body[at..])[i] + at)
                } else {
                    at + data.len()
                };
                check_so_far(
                    &body[at..],
                    lines,
                    &data,
                    &got_lines,
                    limits.max_line_length,
                );
                (at, lines) = (consumed, !lines);
                data.clear();
                got_lines.clear();
                server.set_mode(m.mode(lines));
            }
            match server.next_event() {
                Ok(Event::NeedData) => {
                    let n = splits.piece(wire.len() - fed);
                    server.feed(&wire[fed..fed + n]);
                    fed += n;
                    continue;
                }
                Ok(Event::Data(d)) => data.extend_from_slice(&d),
                Ok(Event::LineComplete(l)) => got_lines.push(l.to_vec()),
                Ok(Event::EndOfMessage(_)) => break None,
                Ok(other) => panic!("unexpected {other:?}"),
                Err(e) => break Some(e),
            }
            events += 1;
        };
        let rest = &body[at..];
        if lines {
            let expected = reference_lines(rest);
            let max = limits.max_line_length;
            match expected.iter().position(|(l, _)| l.len() > max) {
                Some(i) => {
                    assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::LineTooLong));
                    let before: Vec<_> = expected[..i].iter().map(|(l, _)| l.clone()).collect();
                    assert_eq!(got_lines, before);
                    return;
                }
                None => {
                    assert!(err.is_none(), "{err:?}");
                    let all: Vec<_> = expected.into_iter().map(|(l, _)| l).collect();
                    assert_eq!(got_lines, all);
                }
            }
        } else {
            assert!(err.is_none(), "{err:?}");
            assert_eq!(data, rest);
        }
        let _ = server.conn.send_response(&h1::Response::new(204).unwrap());
        let _ = server.conn.send_end().expect("a 204 ends");
        server.conn.start_next_cycle().expect("both Done");
    }
    // Everything was read; the stream may now end.
    assert_eq!(fed + server.conn.buffered(), wire.len());
    while fed < wire.len() {
        let n = splits.piece(wire.len() - fed);
        server.feed(&wire[fed..fed + n]);
        fed += n;
    }
    assert_eq!(
        server.conn.buffered(),
        0,
        "bytes left after the last message"
    );
    server.eof();
    assert_eq!(server.next_event(), Ok(Event::ConnectionClosed));
}

/// The offsets after each line's terminator in `body`.
fn line_ends(body: &[u8]) -> Vec<usize> {
    reference_lines(body).into_iter().map(|(_, e)| e).collect()
}

/// Before a switch: what was read so far in one mode is a prefix of what the reference
/// gives for the same part of the body.
fn check_so_far(rest: &[u8], lines: bool, data: &[u8], got: &[Vec<u8>], max: usize) {
    if lines {
        let expected = reference_lines(rest);
        assert!(got.len() <= expected.len());
        for (g, (e, _)) in got.iter().zip(&expected) {
            assert_eq!(g, e);
            assert!(g.len() <= max);
        }
    } else {
        assert_eq!(data, &rest[..data.len()]);
    }
}
