//! The chunked body reader (RFC 9112 §7.1): a state per place in the framing, and a method
//! per state. The receive buffer's front is stripped of chunk-size lines, CRLFs and the
//! trailer section in place; chunk data stays where it is, to be sliced off.

use bytes::{Buf, BytesMut};

use crate::config::Limits;
use crate::error::{Error, Limit};
use crate::headers::{is_tchar, Headers};
use crate::read::body::{clamp, Step};
use crate::read::head::{
    bare_cr, control, first_violation, violation_at, HeadScanner, Section, Violation,
};
use crate::read::parse::parse_trailers;
use crate::state::Role;

/// Where a chunked body's reader is, between calls.
#[derive(Debug)]
pub(crate) enum Chunked {
    /// Reading a chunk-size line; `scanned` bytes of it were searched for LF.
    Size { scanned: usize },
    /// Inside a chunk's data.
    Data { remaining: u64 },
    /// After a chunk's data: CRLF must follow.
    DataEnd,
    /// After the last chunk: the trailer section.
    Trailers(HeadScanner),
}

/// What a step of the chunked reader needs besides its state and the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    /// The stream ended: nothing more will be appended to the buffer.
    pub(crate) eof: bool,
    pub(crate) limits: &'a Limits,
    /// Body bytes handed out so far (for `Limits::max_body_size`).
    pub(crate) total: u64,
    /// Who sends the body: a response's trailers have obs-fold unfolded.
    pub(crate) sender: Role,
}

fn closed() -> Error {
    Error::incomplete("the connection closed in the middle of a chunked body")
}

/// Waits for more bytes, or fails when none will come (at the byte after the `received`
/// ones at the front of the buffer).
#[inline(always)]
fn need_data(eof: bool, received: usize) -> Result<Step, Error> {
    if eof {
        Err(closed().at(received))
    } else {
        Ok(Step::NeedData)
    }
}

impl Chunked {
    /// A reader at the start of a chunked body.
    pub(crate) fn new() -> Self {
        Self::Size { scanned: 0 }
    }

    /// Strips chunk framing off the front of `buf` (adding its length to `framed`) until
    /// chunk data, the end of the body (its trailers then in `trailers`), or a need for
    /// more input. Each state has its method; the framing ones return `None` to go on
    /// with the next state.
    #[inline(always)]
    pub(crate) fn step(
        &mut self,
        buf: &mut BytesMut,
        input: Input<'_>,
        trailers: &mut Headers,
        framed: &mut u64,
    ) -> Result<Step, Error> {
        loop {
            let step = match self {
                Self::Size { .. } => self.size_line(buf, input, framed)?,
                Self::Data { remaining } => return data(buf, *remaining, input.eof),
                Self::DataEnd => self.data_end(buf, input, framed)?,
                Self::Trailers(_) => self.trailer_section(buf, input, trailers, framed)?,
            };
            if let Some(step) = step {
                return Ok(step);
            }
        }
    }

    /// A chunk-size line: on to the chunk (or the trailers), or wait.
    #[inline(always)]
    fn size_line(
        &mut self,
        buf: &mut BytesMut,
        input: Input<'_>,
        framed: &mut u64,
    ) -> Result<Option<Step>, Error> {
        let Self::Size { scanned } = self else {
            return Ok(None);
        };
        let max_line = input.limits.max_chunk_line;
        // Fast path: the usual `HEX CRLF` line, whole in the buffer.
        if let Some((len, size)) = plain_size_line(buf, max_line) {
            self.enter_chunk(buf, len, size, input, framed)?;
            return Ok(None);
        }
        let Some(i) = memchr::memchr(b'\n', &buf[*scanned..]).map(|i| i + *scanned) else {
            *scanned = buf.len();
            if buf.len() > max_line {
                return Err(Error::over(Limit::ChunkLine, max_line as u64).at(max_line));
            }
            return need_data(input.eof, buf.len()).map(Some);
        };
        if i > max_line {
            return Err(Error::over(Limit::ChunkLine, max_line as u64).at(max_line));
        }
        if i == 0 || buf[i - 1] != b'\r' {
            return Err(Error::framing("chunk-size line ends with a bare LF").at(i));
        }
        let size = parse_chunk_line(&buf[..i - 1])?;
        self.enter_chunk(buf, i + 1, size, input, framed)?;
        Ok(None)
    }

    /// After a chunk's data: its CRLF, and the next size line if it is plain.
    #[inline(always)]
    fn data_end(
        &mut self,
        buf: &mut BytesMut,
        input: Input<'_>,
        framed: &mut u64,
    ) -> Result<Option<Step>, Error> {
        match buf.get(..2) {
            Some(b"\r\n") => {}
            Some(pair) => return Err(not_crlf(pair)),
            None if buf.first().is_some_and(|&b| b != b'\r') => return Err(not_crlf(buf)),
            None => return need_data(input.eof, buf.len()).map(Some),
        }
        // Fast path: the next `HEX CRLF` size line right behind; one advance.
        match plain_size_line(&buf[2..], input.limits.max_chunk_line) {
            Some((len, size)) => self.enter_chunk(buf, 2 + len, size, input, framed)?,
            None => {
                buf.advance(2);
                *framed += 2;
                *self = Self::new();
            }
        }
        Ok(None)
    }

    /// The trailer section after the last chunk: the end of the body, or wait.
    fn trailer_section(
        &mut self,
        buf: &mut BytesMut,
        input: Input<'_>,
        trailers_out: &mut Headers,
        framed: &mut u64,
    ) -> Result<Option<Step>, Error> {
        let Self::Trailers(scanner) = self else {
            return Ok(None);
        };
        let max = input.limits.max_trailer_size;
        let len = match scanner.scan(buf, max, usize::MAX) {
            Ok(Some(len)) => len,
            Ok(None) => return need_data(input.eof, buf.len()).map(Some),
            Err(v) => {
                let at = violation_at(Section::Trailers, buf, v, max, usize::MAX);
                return Err(trailer_violation(v, max).at(at));
            }
        };
        let trailers = if len == 2 {
            buf.advance(2);
            Headers::new()
        } else {
            parse_trailers(buf, len, input.limits, input.sender).map_err(
                |e| match first_violation(Section::Trailers, buf, len, max, usize::MAX) {
                    Some((v, at)) => trailer_violation(v, max).at(at),
                    None => e.with_context("in the trailer section"),
                },
            )?
        };
        *framed += len as u64;
        let k = trailers.protocol_fields();
        if k.content_length() + k.transfer_encoding() > 0 {
            // RFC 9110 §6.5.1: framing fields cannot come late. A stack that merged them
            // into the head would frame the message differently. The section is off the
            // buffer already: the offset counts back from its end.
            let name = ["content-length", "transfer-encoding"]
                .iter()
                .filter_map(|n| trailers.name_offset(n, 0))
                .min()
                .unwrap_or(0);
            return Err(Error::framing(
                "Content-Length or Transfer-Encoding in the trailer section",
            )
            .before(len - name));
        }
        *self = Self::new();
        *trailers_out = trailers;
        Ok(Some(Step::End))
    }

    /// A chunk of `size` bytes was announced by the `framing` bytes at the front of `buf`:
    /// checks the body limit, takes the framing off, and reads the chunk (or, for size 0,
    /// the trailer section).
    #[inline(always)]
    fn enter_chunk(
        &mut self,
        buf: &mut BytesMut,
        framing: usize,
        size: u64,
        input: Input<'_>,
        framed: &mut u64,
    ) -> Result<(), Error> {
        match input.limits.max_body_size {
            Some(max) if !within_body_limit(input.limits, input.total, size) => {
                // At the first byte of the chunk's data past the limit.
                let past = framing as u64 + max.saturating_sub(input.total);
                return Err(Error::over(Limit::BodySize, max).at(past as usize));
            }
            _ => {}
        }
        buf.advance(framing);
        *framed += framing as u64;
        *self = if size == 0 {
            Self::Trailers(HeadScanner::default())
        } else {
            Self::Data { remaining: size }
        };
        Ok(())
    }
}

/// Inside a chunk's data: how many of its bytes lie at the front of `buf`.
#[inline(always)]
fn data(buf: &BytesMut, remaining: u64, eof: bool) -> Result<Step, Error> {
    let len = clamp(buf.len(), remaining);
    if len > 0 {
        // The run goes on while more of this chunk is to come.
        Ok(Step::Body {
            len,
            run_ends: eof || len as u64 == remaining,
        })
    } else {
        need_data(eof, 0)
    }
}

/// Chunk data followed by `after` (one or two bytes), not CRLF: at the first wrong one.
#[cold]
fn not_crlf(after: &[u8]) -> Error {
    let at = usize::from(after.first() == Some(&b'\r'));
    Error::framing("chunk data is not followed by CRLF").at(at)
}

fn trailer_violation(v: Violation, max: usize) -> Error {
    match v {
        Violation::TooLarge => Error::over(Limit::TrailerSize, max as u64),
        Violation::Control => control().with_context("in the trailer section"),
        Violation::BareCr => bare_cr().with_context("in the trailer section"),
        _ => Error::malformed(
            "in the trailer section: a line ends with a bare LF (CRLF is required)",
        ),
    }
}

/// A chunk of `size` bytes after `total` body bytes stays within `Limits::max_body_size`.
pub(crate) fn within_body_limit(limits: &Limits, total: u64, size: u64) -> bool {
    limits
        .max_body_size
        .is_none_or(|max| total.saturating_add(size) <= max)
}

/// The value of each byte as a hexadecimal digit, or 255: one load per digit of a size line.
const HEX_DIGIT: [u8; 256] = {
    let mut table = [255; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match i as u8 {
            b @ b'0'..=b'9' => b - b'0',
            b @ b'a'..=b'f' => b - b'a' + 10,
            b @ b'A'..=b'F' => b - b'A' + 10,
            _ => 255,
        };
        i += 1;
    }
    table
};

/// A chunk-size line that is 1 to 16 hex digits and CRLF, complete at the front of `buf`
/// and within `max_line` (the general path decides everything else, errors included):
/// its length with CRLF, and the size.
#[inline]
pub(crate) fn plain_size_line(buf: &[u8], max_line: usize) -> Option<(usize, u64)> {
    let mut size: u64 = 0;
    let mut digits = 0;
    for &b in buf.iter().take(16) {
        let d = HEX_DIGIT[usize::from(b)];
        if d > 15 {
            break;
        }
        size = (size << 4) + u64::from(d);
        digits += 1;
    }
    let crlf = buf.get(digits..digits + 2) == Some(b"\r\n");
    (digits > 0 && crlf && digits < max_line).then_some((digits + 2, size))
}

/// `chunk-size [ chunk-ext ]` without its CRLF (RFC 9112 §7.1):
/// `chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )`, `ext-val = token / quoted-string`.
/// Extensions are checked and then ignored.
pub(crate) fn parse_chunk_line(line: &[u8]) -> Result<u64, Error> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 {
        return Err(Error::framing("chunk size is not a hexadecimal number").at(0));
    }
    let mut size: u64 = 0;
    for (i, &b) in line[..digits].iter().enumerate() {
        let d = (b as char).to_digit(16).unwrap_or_default() as u64;
        size = size
            .checked_mul(16)
            .and_then(|s| s.checked_add(d))
            .ok_or_else(|| Error::framing("chunk size overflows 64 bits").at(i))?;
    }
    check_extensions(&line[digits..])
        .map_err(|rest| Error::framing("invalid chunk extension").at(line.len() - rest))?;
    Ok(size)
}

/// qdtext of RFC 9110 §5.6.4: HTAB, SP, visible ASCII but `"` and `\\`, obs-text.
fn is_qtext(b: u8) -> bool {
    b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\' || b >= 0x80
}

/// Checks the extensions after a chunk size; on error, how many bytes of `rest` are left
/// from the offending one on.
fn check_extensions(mut rest: &[u8]) -> Result<(), usize> {
    let skip_ws = |s: &mut &[u8]| {
        while let [b' ' | b'\t', tail @ ..] = *s {
            *s = tail;
        }
    };
    let token = |s: &mut &[u8]| -> Result<(), usize> {
        let n = s.iter().take_while(|&&b| is_tchar(b)).count();
        if n == 0 {
            return Err(s.len());
        }
        *s = &s[n..];
        Ok(())
    };
    // BWS may stand only before ";" or "=": whitespace followed by nothing is refused.
    while !rest.is_empty() {
        skip_ws(&mut rest);
        let [b';', tail @ ..] = rest else {
            return Err(rest.len());
        };
        rest = tail;
        skip_ws(&mut rest);
        token(&mut rest)?;
        let before_ws = rest;
        skip_ws(&mut rest);
        let [b'=', tail @ ..] = rest else {
            rest = before_ws;
            continue;
        };
        rest = tail;
        skip_ws(&mut rest);
        let [b'"', tail @ ..] = rest else {
            token(&mut rest)?;
            continue;
        };
        // quoted-string: qdtext / quoted-pair, then the closing quote
        rest = tail;
        loop {
            match rest {
                [b'"', tail @ ..] => {
                    rest = tail;
                    break;
                }
                [b'\\', q, tail @ ..] if is_qtext(*q) || *q == b'"' || *q == b'\\' => rest = tail,
                [b, tail @ ..] if is_qtext(*b) => rest = tail,
                // A backslash before a byte not allowed is refused at that byte.
                [b'\\', tail @ ..] => return Err(tail.len()),
                _ => return Err(rest.len()),
            }
        }
    }
    Ok(())
}
