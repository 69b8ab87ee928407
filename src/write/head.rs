//! Serializing heads. Names and values were validated when they were added to
//! [`Headers`](crate::Headers), so nothing here can emit a CR or LF the caller put in.

use bytes::{BufMut, Bytes, BytesMut};

use crate::event::{Request, Response};
use crate::headers::Headers;

/// Header fields the connection adds to, or drops from, what the caller gave.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extra {
    /// Add `Transfer-Encoding: chunked`.
    pub(crate) chunked: bool,
    /// Add `Connection: close`.
    pub(crate) close: bool,
    /// Add `Connection: keep-alive` (an HTTP/1.0 peer that asked for it).
    pub(crate) keep_alive: bool,
    /// Leave out the caller's Transfer-Encoding (an HTTP/1.0 peer cannot read it).
    pub(crate) drop_transfer_encoding: bool,
    /// Add `Content-Length` with this value (a length the caller gave apart from its
    /// fields).
    pub(crate) content_length: Option<u64>,
}

/// Room reserved beyond the caller's fields for what the connection adds: at most
/// `Transfer-Encoding: chunked` or a `Content-Length` of 20 digits (38 bytes), a
/// `Connection` field (24) and the empty line, so writing a head never grows the buffer
/// twice.
pub(crate) const ADDED_FIELDS_ROOM: usize = 64;

/// `name: value` CRLF for each field, plus [`ADDED_FIELDS_ROOM`].
fn fields_len(headers: &Headers) -> usize {
    let fields = match headers.wire() {
        Some(wire) => wire.len(),
        None => headers
            .raw()
            .map(|(n, v)| n.len() + v.len() + ": \r\n".len())
            .sum::<usize>(),
    };
    fields + ADDED_FIELDS_ROOM
}

fn put_fields(out: &mut BytesMut, headers: &Headers, extra: Extra) {
    match headers.wire() {
        // A built list is already in wire form: one copy.
        Some(wire) if !extra.drop_transfer_encoding => out.put_slice(wire),
        _ => {
            for (name, value) in headers.raw() {
                if extra.drop_transfer_encoding && name.eq_ignore_ascii_case(b"transfer-encoding") {
                    continue;
                }
                out.put_slice(name);
                out.put_slice(b": ");
                out.put_slice(value);
                out.put_slice(b"\r\n");
            }
        }
    }
    if extra.chunked {
        out.put_slice(b"Transfer-Encoding: chunked\r\n");
    }
    if let Some(len) = extra.content_length {
        out.put_slice(b"Content-Length: ");
        put_decimal(out, len);
        out.put_slice(b"\r\n");
    }
    if extra.close {
        out.put_slice(b"Connection: close\r\n");
    }
    if extra.keep_alive {
        out.put_slice(b"Connection: keep-alive\r\n");
    }
    out.put_slice(b"\r\n");
}

/// `n` in decimal.
fn put_decimal(out: &mut BytesMut, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.put_slice(&digits[at..]);
}

/// `METHOD target HTTP/1.1` CRLF, the fields, CRLF.
pub(crate) fn request(scratch: &mut BytesMut, req: &Request, extra: Extra) -> Bytes {
    let line = req.line();
    scratch.reserve(line.len() + 11 + fields_len(req.headers()));
    scratch.put_slice(line);
    scratch.put_slice(b" HTTP/1.1\r\n");
    put_fields(scratch, req.headers(), extra);
    scratch.split().freeze()
}

/// Where a response head's reason phrase starts: after `HTTP/1.1 200 `.
const REASON_AT: usize = 13;

/// The largest response head [`LastHead`] keeps.
const LAST_HEAD_MAX: usize = 256;

/// The last small response head written from a built list of fields, handed out again
/// (one refcount, no writing) when the next response is the same: a server answers many
/// requests with the same head. A head is fully determined by the status, the reason,
/// the fields in wire form and the [`Extra`] fields, so all four are compared (two of
/// them as bytes of the kept head itself). It is a slice of the scratch buffer it was
/// written into; the scratch buffer forgets it when it gives its memory back.
#[derive(Debug, Default)]
pub(crate) struct LastHead {
    head: Bytes,
    status: u16,
    reason_len: u32,
    wire_len: u32,
    extra: Extra,
}

impl LastHead {
    /// The kept head, if `res` (whose fields are `wire`) with `extra` writes exactly it.
    #[inline]
    pub(crate) fn get(&self, res: &Response, wire: &[u8], extra: Extra) -> Option<Bytes> {
        let reason = res.reason();
        let same_shape = self.status == res.status()
            && self.reason_len as usize == reason.len()
            && self.wire_len as usize == wire.len()
            && self.extra == extra
            && !self.head.is_empty();
        if !same_shape {
            return None;
        }
        let kept_reason = self.head.get(REASON_AT..REASON_AT + reason.len())?;
        let at = REASON_AT + reason.len() + "\r\n".len();
        let kept_wire = self.head.get(at..at + wire.len())?;
        (kept_reason == reason && kept_wire == wire).then(|| self.head.clone())
    }

    /// Keeps `head`, just written for `res` (fields `wire`) with `extra`, if it is small.
    pub(crate) fn keep(&mut self, head: &Bytes, res: &Response, wire: &[u8], extra: Extra) {
        if head.len() > LAST_HEAD_MAX {
            return;
        }
        *self = Self {
            head: head.clone(),
            status: res.status(),
            // Both are within a head of at most `LAST_HEAD_MAX` bytes.
            reason_len: res.reason().len() as u32,
            wire_len: wire.len() as u32,
            extra,
        };
    }
}

/// `HTTP/1.1 status reason` CRLF, the fields, CRLF.
pub(crate) fn response(scratch: &mut BytesMut, res: &Response, extra: Extra) -> Bytes {
    scratch.reserve(res.reason().len() + 16 + fields_len(res.headers()));
    scratch.put_slice(b"HTTP/1.1 ");
    let s = res.status();
    scratch.put_slice(&[
        b'0' + (s / 100) as u8,
        b'0' + (s / 10 % 10) as u8,
        b'0' + (s % 10) as u8,
    ]);
    scratch.put_u8(b' ');
    scratch.put_slice(res.reason());
    scratch.put_slice(b"\r\n");
    put_fields(scratch, res.headers(), extra);
    scratch.split().freeze()
}

/// The trailer section after the last chunk: `0` CRLF, the fields, CRLF.
pub(crate) fn last_chunk(scratch: &mut BytesMut, trailers: &Headers) -> Bytes {
    scratch.reserve(3 + fields_len(trailers));
    scratch.put_slice(b"0\r\n");
    put_fields(scratch, trailers, Extra::default());
    scratch.split().freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_head_is_handed_out_only_for_the_same_response() {
        let mut scratch = BytesMut::new();
        let mut last = LastHead::default();
        let res = |status, reason: &str, fields: &[(&str, &str)]| {
            let mut r = Response::new(status).unwrap().with_reason(reason).unwrap();
            for (n, v) in fields {
                r.headers_mut().append(n, v).unwrap();
            }
            r
        };
        let extra = Extra {
            content_length: Some(5),
            ..Extra::default()
        };
        let first = res(200, "OK", &[("Content-Type", "text/plain")]);
        let wire = first.headers().wire().unwrap();
        assert_eq!(last.get(&first, wire, extra), None);
        let head = response(&mut scratch, &first, extra);
        last.keep(&head, &first, wire, extra);
        let again = res(200, "OK", &[("Content-Type", "text/plain")]);
        let kept = last.get(&again, again.headers().wire().unwrap(), extra);
        assert_eq!(kept.as_deref(), Some(&head[..]));
        assert_eq!(&head[..], response(&mut scratch, &again, extra));
        // Anything that changes the head misses: status, reason, a field's bytes, a field
        // less or more, the added fields.
        for other in [
            res(201, "OK", &[("Content-Type", "text/plain")]),
            res(200, "Ok", &[("Content-Type", "text/plain")]),
            res(200, "OK", &[("Content-Type", "text/plaiN")]),
            res(200, "OK", &[("Content-Type", "text/plain"), ("X", "1")]),
            res(200, "OK", &[]),
        ] {
            assert_eq!(
                last.get(&other, other.headers().wire().unwrap(), extra),
                None
            );
        }
        let close = Extra {
            close: true,
            ..extra
        };
        assert_eq!(
            last.get(&again, again.headers().wire().unwrap(), close),
            None
        );
        // A large head is not kept.
        let big = res(200, "OK", &[("X-Big", &"b".repeat(LAST_HEAD_MAX))]);
        let wire = big.headers().wire().unwrap();
        let head = response(&mut scratch, &big, extra);
        last.keep(&head, &big, wire, extra);
        assert_eq!(last.get(&big, wire, extra), None);
        assert!(last
            .get(&again, again.headers().wire().unwrap(), extra)
            .is_some());
    }

    #[test]
    fn heads_with_extras() {
        let mut scratch = BytesMut::new();
        let req = Request::new("POST", "/u")
            .unwrap()
            .with_header("Host", "h")
            .unwrap();
        let extra = Extra {
            chunked: true,
            ..Extra::default()
        };
        assert_eq!(
            &request(&mut scratch, &req, extra)[..],
            b"POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        let res = Response::new(200)
            .unwrap()
            .with_header("Transfer-Encoding", "chunked")
            .unwrap();
        let extra = Extra {
            close: true,
            drop_transfer_encoding: true,
            ..Extra::default()
        };
        assert_eq!(
            &response(&mut scratch, &res, extra)[..],
            b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
        );
        let mut t = Headers::new();
        t.append("X-Sum", "1").unwrap();
        assert_eq!(&last_chunk(&mut scratch, &t)[..], b"0\r\nX-Sum: 1\r\n\r\n");
    }

    #[test]
    fn a_given_length_in_decimal_fits_the_added_room() {
        let mut scratch = BytesMut::new();
        for n in [0, 9, 10, 13, 1 << 20, u64::MAX] {
            let extra = Extra {
                content_length: Some(n),
                keep_alive: true,
                ..Extra::default()
            };
            let head = response(&mut scratch, &Response::new(200).unwrap(), extra);
            let want = alloc::format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nConnection: keep-alive\r\n\r\n"
            );
            assert_eq!(&head[..], want.as_bytes());
        }
        let most = "Content-Length: 18446744073709551615\r\nConnection: keep-alive\r\n\r\n";
        assert!(most.len() <= ADDED_FIELDS_ROOM);
    }
}
