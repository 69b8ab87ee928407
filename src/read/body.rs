//! Body readers: one per framing. Each strips framing bytes off the front of the receive
//! buffer and says how many body bytes lie there, contiguous, ready to be sliced off.

use bytes::{Buf, BytesMut};

use crate::config::Limits;
use crate::error::{Error, Limit};
use crate::framing::Framing;
use crate::headers::Headers;
use crate::read::chunked::{plain_size_line, within_body_limit, Chunked, Input};
use crate::state::Role;

/// Chunks of at most this many bytes that sit whole in the buffer one after the other are
/// handed out as one `Data` event ([`BodyReader::gather_small`]): copying a few bytes costs
/// less than an event and a refcount for each.
pub(crate) const SMALL_CHUNK: u64 = 256;

/// What the reader found at the front of the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    /// `len` body bytes lie at the front of the buffer. `run_ends`: the bytes after them,
    /// when they come, are not body bytes contiguous with these (a chunk ends there, or
    /// the body does, or the stream did).
    Body { len: usize, run_ends: bool },
    /// More input is needed.
    NeedData,
    /// The body is complete; [`BodyReader::take_trailers`] has its trailers.
    End,
}

/// Reads one body, stateful across calls.
#[derive(Debug)]
pub(crate) struct BodyReader {
    kind: Kind,
    /// Body bytes handed out so far (for `Limits::max_body_size`).
    total: u64,
    /// The head's length and the framing bytes taken off the buffer so far (chunk-size
    /// lines, CRLFs, trailers): with `total`, where the buffer's front is in the message.
    framed: u64,
    /// Who sends the body: a response's (the server's) trailers have obs-fold unfolded
    /// rather than refused.
    sender: Role,
    /// The trailer section, once read.
    trailers: Headers,
}

#[derive(Debug)]
enum Kind {
    Length {
        remaining: u64,
    },
    Chunked(Chunked),
    UntilClose,
    /// A chunked body read to its end (the others stay at theirs by themselves).
    Done,
}

impl BodyReader {
    /// A reader for a body of `kind` that `sender` sends (for obs-fold in trailers), after
    /// a head of `start` bytes.
    pub(crate) fn new(kind: Framing, sender: Role, start: usize) -> Self {
        let kind = match kind {
            Framing::NoBody => Kind::Length { remaining: 0 },
            Framing::Length(n) => Kind::Length { remaining: n },
            Framing::Chunked => Kind::Chunked(Chunked::new()),
            Framing::UntilClose => Kind::UntilClose,
        };
        Self {
            kind,
            total: 0,
            framed: start as u64,
            sender,
            trailers: Headers::new(),
        }
    }

    /// The trailers of a body that reached [`Step::End`] (empty if it had none).
    pub(crate) fn take_trailers(&mut self) -> Headers {
        core::mem::take(&mut self.trailers)
    }

    /// Where the front of the receive buffer is in the message: the offset of its next
    /// byte. Errors only.
    #[cold]
    pub(crate) fn position(&self) -> u64 {
        self.framed + self.total
    }

    /// Strips framing off the front of `buf` until body bytes, the end, or a need for
    /// more input.
    ///
    /// # Errors
    /// The peer's, with its offset in the message.
    #[inline(always)]
    pub(crate) fn step(
        &mut self,
        buf: &mut BytesMut,
        eof: bool,
        limits: &Limits,
    ) -> Result<Step, Error> {
        self.step_in(buf, eof, limits)
            .map_err(|e| e.shifted(self.position()))
    }

    #[inline(always)]
    fn step_in(&mut self, buf: &mut BytesMut, eof: bool, limits: &Limits) -> Result<Step, Error> {
        match &mut self.kind {
            Kind::Length { remaining: 0 } => Ok(Step::End),
            Kind::Length { remaining } => {
                let len = clamp(buf.len(), *remaining);
                if len != 0 {
                    Ok(Step::Body {
                        len,
                        run_ends: eof || len as u64 == *remaining,
                    })
                } else if eof {
                    Err(Error::incomplete(
                        "the connection closed before the end of a Content-Length body",
                    )
                    .at(buf.len()))
                } else {
                    Ok(Step::NeedData)
                }
            }
            Kind::UntilClose => {
                if !buf.is_empty() {
                    let (mut len, mut run_ends) = (buf.len(), eof);
                    if let Some(max) = limits.max_body_size {
                        // Hand out exactly up to the limit, then refuse: the same events
                        // whatever the reads were.
                        let allowed = max - self.total;
                        if allowed == 0 {
                            return Err(Error::over(Limit::BodySize, max).at(0));
                        }
                        if (len as u64) > allowed {
                            (len, run_ends) = (allowed as usize, true);
                        }
                    }
                    Ok(Step::Body { len, run_ends })
                } else if eof {
                    Ok(Step::End)
                } else {
                    Ok(Step::NeedData)
                }
            }
            Kind::Chunked(state) => {
                let input = Input {
                    eof,
                    limits,
                    total: self.total,
                    sender: self.sender,
                };
                let step = state.step(buf, input, &mut self.trailers, &mut self.framed);
                if let Ok(Step::End) = step {
                    self.kind = Kind::Done;
                }
                step
            }
            Kind::Done => Ok(Step::End),
        }
    }

    /// The hot path of [`Self::step`] and [`Self::consumed`] in one: inside a
    /// Content-Length body or a chunk's data, with `available` bytes at the front of the
    /// buffer, takes up to `max` of them and says how many. `None` (nothing taken) when
    /// anything else is to be done: framing, an end, or waiting for bytes.
    #[inline(always)]
    pub(crate) fn take_in_run(&mut self, available: usize, max: usize) -> Option<usize> {
        let remaining = match &mut self.kind {
            Kind::Length { remaining } | Kind::Chunked(Chunked::Data { remaining }) => remaining,
            _ => return None,
        };
        if available == 0 || *remaining == 0 {
            return None;
        }
        let n = clamp(available, *remaining).min(max);
        self.consumed(n);
        Some(n)
    }

    /// Inside a Content-Length body or a chunk's data, with none of its bytes in the
    /// buffer yet: nothing to do but wait for them (unless the stream ended).
    #[inline(always)]
    pub(crate) fn awaits_data(&self, buffered: usize) -> bool {
        let remaining = match &self.kind {
            Kind::Length { remaining } | Kind::Chunked(Chunked::Data { remaining }) => remaining,
            _ => return false,
        };
        buffered == 0 && *remaining > 0
    }

    /// The fast way across a chunk boundary: right after a chunk's data, its CRLF and a plain
    /// `HEX CRLF` size line of a chunk larger than [`SMALL_CHUNK`] (so nothing is to be
    /// gathered), whole at the front of `buf` and within the limits, are taken off in one
    /// go; the chunk's data is then read as in [`Self::take_in_run`]. Anything else
    /// (another state, extensions, the last chunk, a small chunk, an error, bytes still to
    /// come) is left to [`Self::step`]: `false`, nothing done.
    #[inline(always)]
    pub(crate) fn next_large_chunk(&mut self, buf: &mut BytesMut, limits: &Limits) -> bool {
        let Kind::Chunked(state @ Chunked::DataEnd) = &mut self.kind else {
            return false;
        };
        let Some((line, size)) = buf
            .strip_prefix(b"\r\n")
            .and_then(|rest| plain_size_line(rest, limits.max_chunk_line))
        else {
            return false;
        };
        if size <= SMALL_CHUNK || !within_body_limit(limits, self.total, size) {
            return false;
        }
        buf.advance(2 + line);
        self.framed += 2 + line as u64;
        *state = Chunked::Data { remaining: size };
        true
    }

    /// Small chunks, handed out together. With all of a chunk of at most [`SMALL_CHUNK`]
    /// bytes at the front of `buf` (the `len` bytes of the last [`Step::Body`]) and another
    /// such chunk whole right behind it, copies the data of this chunk and of every whole
    /// small chunk that follows into `out` (empty on entry; at most `max` bytes in all) and
    /// takes them and their framing off the buffer. Returns how many bytes it copied: 0 when
    /// the chunk is not such a run, and the caller slices it as usual.
    ///
    /// Only bytes already received are gathered, so no chunk waits for a later one. The
    /// framing between the chunks must be the plain `CRLF HEX CRLF`, within the limits;
    /// anything else (an extension, the last chunk, the body limit, bad bytes) ends the
    /// run, for the general path to judge.
    pub(crate) fn gather_small(
        &mut self,
        buf: &mut BytesMut,
        len: usize,
        max: usize,
        limits: &Limits,
        out: &mut BytesMut,
    ) -> usize {
        let Kind::Chunked(state @ Chunked::Data { .. }) = &mut self.kind else {
            return 0;
        };
        let first = len as u64;
        let whole = matches!(state, Chunked::Data { remaining } if *remaining == first);
        let next = |rest: &[u8], total: u64, gathered: usize| {
            let (line, size) = match rest {
                [b'\r', b'\n', line @ ..] => plain_size_line(line, limits.max_chunk_line)?,
                _ => return None,
            };
            let framing = 2 + line;
            let fits = (1..=SMALL_CHUNK).contains(&size)
                && rest.len() - framing >= size as usize
                && max - gathered >= size as usize
                && within_body_limit(limits, total, size);
            fits.then_some((framing, size as usize))
        };
        let small = whole && first <= SMALL_CHUNK && len <= max;
        let Some(mut chunk) = small
            .then(|| next(&buf[len..], self.total + first, len))
            .flatten()
        else {
            return 0;
        };
        let before = buf.len();
        out.reserve(buf.len().min(max));
        out.extend_from_slice(&buf[..len]);
        buf.advance(len);
        self.total += first;
        loop {
            let (framing, size) = chunk;
            out.extend_from_slice(&buf[framing..framing + size]);
            buf.advance(framing + size);
            self.total += size as u64;
            match next(buf, self.total, out.len()) {
                Some(following) => chunk = following,
                None => break,
            }
        }
        *state = Chunked::DataEnd;
        // Of what left the buffer, everything but the data copied out was framing.
        self.framed += (before - buf.len() - out.len()) as u64;
        out.len()
    }

    /// The caller took `n` body bytes off the front of the buffer (at most the `len` of
    /// the last [`Step::Body`]).
    pub(crate) fn consumed(&mut self, n: usize) {
        self.total += n as u64;
        match &mut self.kind {
            Kind::Length { remaining } => *remaining -= n as u64,
            Kind::Chunked(state) => {
                if let Chunked::Data { remaining } = state {
                    *remaining -= n as u64;
                    if *remaining == 0 {
                        *state = Chunked::DataEnd;
                    }
                }
            }
            Kind::UntilClose | Kind::Done => {}
        }
    }
}

pub(crate) fn clamp(available: usize, remaining: u64) -> usize {
    if (available as u64) < remaining {
        available
    } else {
        remaining as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::read::chunked::parse_chunk_line;
    use alloc::vec::Vec;

    /// Runs a reader over `input` fed in pieces of `step` bytes; returns body and trailers.
    fn read_all(
        kind: Framing,
        input: &[u8],
        piece: usize,
    ) -> Result<(Vec<u8>, Headers, usize), Error> {
        let limits = Limits::default();
        let mut r = BodyReader::new(kind, Role::Server, 0);
        let mut buf = BytesMut::new();
        let mut fed = 0;
        let mut body = Vec::new();
        loop {
            let eof = fed == input.len();
            match r.step(&mut buf, eof, &limits)? {
                Step::Body { len, .. } => {
                    body.extend_from_slice(&buf.split_to(len));
                    r.consumed(len);
                }
                Step::NeedData => {
                    let n = piece.min(input.len() - fed);
                    buf.extend_from_slice(&input[fed..fed + n]);
                    fed += n;
                }
                Step::End => return Ok((body, r.take_trailers(), buf.len())),
            }
        }
    }

    #[test]
    fn chunked_any_split() {
        let input =
            b"5;a=b;c=\"q\\\"x\"\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        for piece in 1..input.len() {
            let (body, t, left) = read_all(Framing::Chunked, input, piece).unwrap();
            assert_eq!(body, b"hello world!");
            assert_eq!(t.get("x-t"), Some(&b"1"[..]));
            assert!(left <= 4);
        }
    }

    #[test]
    fn chunk_size_errors() {
        for bad in [
            &b"\r\n"[..],
            b"g\r\n",
            b"5 \r\n",
            b"5;\r\n",
            b"5;a=\r\n",
            b"5 x\r\n",
            b"5\n",
            b"5;a=\"x\r\n",
            b"11111111111111111\r\n",
        ] {
            let mut input = bad.to_vec();
            input.extend_from_slice(b"hello\r\n0\r\n\r\n");
            assert!(
                read_all(Framing::Chunked, &input, 100).is_err(),
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
        assert!(read_all(Framing::Chunked, b"5 ;a\r\nhello\r\n0\r\n\r\n", 100).is_ok());
        assert!(read_all(Framing::Chunked, b"5\r\nhelloXX0\r\n\r\n", 100).is_err());
        assert!(
            read_all(Framing::Chunked, b"5\r\nhello\r\n0\r\n\r", 100)
                .unwrap_err()
                .kind()
                == ErrorKind::Incomplete
        );
        assert_eq!(parse_chunk_line(b"ffffffffffffffff").unwrap(), u64::MAX);
        assert_eq!(
            plain_size_line(b"ffffffffffffffff\r\n", 100),
            Some((18, u64::MAX))
        );
        assert_eq!(plain_size_line(b"1A\r\nxx", 100), Some((4, 26)));
        assert_eq!(plain_size_line(b"1A\r", 100), None);
        assert_eq!(plain_size_line(b"1A;x\r\n", 100), None);
        assert_eq!(plain_size_line(b"00000000000000001\r\n", 100), None);
        assert_eq!(plain_size_line(b"1A\r\n", 2), None);
    }

    #[test]
    fn framing_fields_are_not_trailers() {
        for t in ["Content-Length: 5", "transfer-encoding: chunked"] {
            let input = alloc::format!("1\r\nx\r\n0\r\n{t}\r\n\r\n");
            let e = read_all(Framing::Chunked, input.as_bytes(), 100).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Framing, "{t}");
        }
        let (_, t, _) = read_all(
            Framing::Chunked,
            b"1\r\nx\r\n0\r\nContent-MD5: y\r\n\r\n",
            3,
        )
        .unwrap();
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn length_and_until_close() {
        let (body, _, left) = read_all(Framing::Length(5), b"helloGET", 3).unwrap();
        assert_eq!((&body[..], left), (&b"hello"[..], 1));
        let e = read_all(Framing::Length(9), b"hello", 3).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Incomplete);
        let (body, _, _) = read_all(Framing::UntilClose, b"all of it", 4).unwrap();
        assert_eq!(body, b"all of it");
    }

    /// Steps a chunked reader over `input` (all received at once) and gathers at the first
    /// chunk: what `gather_small` copied, and what the reader steps to afterwards.
    fn gather(input: &[u8], max: usize, limits: &Limits) -> (Vec<u8>, Vec<u8>) {
        let mut r = BodyReader::new(Framing::Chunked, Role::Client, 0);
        let mut buf = BytesMut::from(input);
        let Ok(Step::Body { len, .. }) = r.step(&mut buf, false, limits) else {
            panic!("no body bytes at the front")
        };
        let mut out = BytesMut::new();
        let n = r.gather_small(&mut buf, len, max, limits, &mut out);
        assert_eq!(n, out.len());
        let mut next = Vec::new();
        if let Ok(Step::Body { len, .. }) = r.step(&mut buf, false, limits) {
            next.extend_from_slice(&buf[..len]);
        }
        (out.to_vec(), next)
    }

    #[test]
    fn small_chunks_gathered_up_to_max_and_limits() {
        let d = Limits::default();
        let input = b"3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n";
        assert_eq!(
            gather(input, usize::MAX, &d),
            (b"abcdef".to_vec(), Vec::new())
        );
        // `max` bounds the run: the chunk that does not fit is the next step's.
        assert_eq!(gather(input, 5, &d), (b"abcde".to_vec(), b"f".to_vec()));
        // A first chunk larger than `max`, or alone, is sliced by the caller instead.
        assert_eq!(gather(input, 2, &d), (Vec::new(), b"abc".to_vec()));
        assert_eq!(
            gather(b"3\r\nabc\r\n0\r\n\r\n", 9, &d),
            (Vec::new(), b"abc".to_vec())
        );
        // The body limit ends the run where it would be passed (the general path refuses).
        let tight = Limits {
            max_body_size: Some(5),
            ..Limits::default()
        };
        let (got, next) = gather(input, usize::MAX, &tight);
        assert_eq!((got, next), (b"abcde".to_vec(), Vec::new()));
    }

    #[test]
    fn only_whole_small_chunks_are_gathered() {
        let d = Limits::default();
        let at = |size: usize| {
            let mut v = alloc::format!("{size:x}\r\n").into_bytes();
            v.resize(v.len() + size, b'x');
            v.extend_from_slice(b"\r\n1\r\ny\r\n");
            v
        };
        let small = SMALL_CHUNK as usize;
        assert_eq!(gather(&at(small), usize::MAX, &d).0.len(), small + 1);
        assert!(gather(&at(small + 1), usize::MAX, &d).0.is_empty());
        // The next chunk's data not all received yet: nothing to gather with.
        assert!(gather(b"1\r\na\r\n2\r\nb", usize::MAX, &d).0.is_empty());
        // The first chunk not all received yet.
        let mut r = BodyReader::new(Framing::Chunked, Role::Client, 0);
        let mut buf = BytesMut::from(&b"3\r\nab"[..]);
        let Ok(Step::Body { len, .. }) = r.step(&mut buf, false, &d) else {
            panic!("no body bytes")
        };
        assert_eq!(
            r.gather_small(&mut buf, len, 9, &d, &mut BytesMut::new()),
            0
        );
    }
}
