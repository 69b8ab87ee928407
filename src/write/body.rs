//! Body writers: Content-Length accounting, the chunked encoder, close-delimited bodies.
//! Every check happens before anything is written, so a refused call leaves the writer
//! and the output unchanged.

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::Error;
use crate::headers::Headers;
use crate::write::head::last_chunk;
use crate::write::output::Output;

/// How the body we send is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyWriter {
    /// Exactly `remaining` more bytes.
    Length { remaining: u64 },
    /// Chunked coding; trailers allowed.
    Chunked,
    /// Delimited by closing the connection (HTTP/1.0 peers).
    UntilClose,
    /// No body may be sent (HEAD, 1xx, 204, 304); the reason names why.
    NoBody(&'static str),
}

impl BodyWriter {
    /// Encodes one piece of body. An empty piece writes nothing (a zero-size chunk would
    /// end a chunked body early).
    pub(crate) fn data(
        &mut self,
        data: Bytes,
        scratch: &mut BytesMut,
        out: &mut Output,
    ) -> Result<(), Error> {
        if data.is_empty() {
            return Ok(());
        }
        match self {
            Self::Length { remaining } => {
                if data.len() as u64 > *remaining {
                    return Err(Error::input(alloc::format!(
                        "{} body bytes given but only {} remain of the Content-Length",
                        data.len(),
                        remaining
                    )));
                }
                *remaining -= data.len() as u64;
                out.push(data);
            }
            Self::Chunked => {
                put_hex(scratch, data.len());
                scratch.put_slice(b"\r\n");
                out.push(scratch.split().freeze());
                out.push(data);
                out.push(Bytes::from_static(b"\r\n"));
            }
            Self::UntilClose => out.push(data),
            Self::NoBody(why) => return Err(Error::input(*why)),
        }
        Ok(())
    }

    /// Ends the body, with trailers for a chunked one.
    pub(crate) fn end(
        &mut self,
        trailers: &Headers,
        scratch: &mut BytesMut,
        out: &mut Output,
    ) -> Result<(), Error> {
        match self {
            Self::Chunked => {
                out.push(last_chunk(scratch, trailers));
                return Ok(());
            }
            _ if !trailers.is_empty() => {
                return Err(Error::input(
                    "trailers can only be sent with a chunked body",
                ))
            }
            Self::Length { remaining } if *remaining > 0 => {
                return Err(Error::input(alloc::format!(
                    "the body ended {remaining} bytes short of its Content-Length"
                )))
            }
            _ => {}
        }
        Ok(())
    }
}

/// Room reserved for a chunk-size line (at most 16 hex digits and CRLF): enough for a few,
/// so consecutive chunks' lines come out of one allocation.
const CHUNK_LINES_ROOM: usize = 64;

fn put_hex(out: &mut BytesMut, mut n: usize) {
    let mut digits = [0u8; 16];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b"0123456789abcdef"[n & 0xf];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    out.reserve(CHUNK_LINES_ROOM);
    out.put_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(w: &mut BodyWriter, data: &'static [u8]) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut out = Output::default();
        w.data(Bytes::from_static(data), &mut BytesMut::new(), &mut out)?;
        Ok(out.to_vec())
    }

    #[test]
    fn content_length_is_enforced() {
        let mut w = BodyWriter::Length { remaining: 5 };
        assert_eq!(send(&mut w, b"hel").unwrap(), b"hel");
        assert!(send(&mut w, b"lo!").is_err());
        let mut out = Output::default();
        assert!(w
            .end(&Headers::new(), &mut BytesMut::new(), &mut out)
            .is_err());
        assert_eq!(send(&mut w, b"lo").unwrap(), b"lo");
        w.end(&Headers::new(), &mut BytesMut::new(), &mut out)
            .unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn chunked_encoding() {
        let mut w = BodyWriter::Chunked;
        assert_eq!(send(&mut w, b"").unwrap(), b"");
        assert_eq!(send(&mut w, &[b'x'; 26]).unwrap()[..4], *b"1a\r\n");
        let mut out = Output::default();
        let mut t = Headers::new();
        t.append("A", "b").unwrap();
        w.end(&t, &mut BytesMut::new(), &mut out).unwrap();
        assert_eq!(out.to_vec(), b"0\r\nA: b\r\n\r\n");
    }

    #[test]
    fn no_body_and_trailers() {
        let mut w = BodyWriter::NoBody("a response to HEAD has no body");
        assert_eq!(
            send(&mut w, b"x").unwrap_err().message(),
            "a response to HEAD has no body"
        );
        assert_eq!(send(&mut w, b"").unwrap(), b"");
        let mut t = Headers::new();
        t.append("A", "b").unwrap();
        let mut w = BodyWriter::UntilClose;
        assert!(w
            .end(&t, &mut BytesMut::new(), &mut Output::default())
            .is_err());
    }

    #[test]
    fn hex() {
        for (n, s) in [
            (0usize, "0"),
            (15, "f"),
            (16, "10"),
            (usize::MAX, "ffffffffffffffff"),
        ] {
            let mut b = BytesMut::new();
            put_hex(&mut b, n);
            assert_eq!(&b[..], s.as_bytes());
        }
    }
}
