//! The other side of every comparison: httparse alone, actix-http's h1 `Codec`, ureq-proto's
//! client `Call`, and the physical limits (memcpy, memchr). Each starts from the same bytes
//! in a plain slice as the h1 side and copies them into its own read buffer first, in the
//! same read sizes, as a socket read would.

use std::hint::black_box;

use actix_codec::{Decoder, Encoder};
use actix_http::body::BodySize;
use actix_http::h1::{Codec, Message};
use actix_http::{Response, StatusCode};
use bytes::{Buf, Bytes, BytesMut};
use h1::{Error, Event};

/// httparse alone on one request head: copy into a reused `BytesMut`, parse with a
/// 16-entry header array (as httparse's own bench does). Returns the number of fields.
pub fn httparse_request(buf: &mut BytesMut, head: &[u8]) -> usize {
    buf.clear();
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut req = httparse::Request::new(&mut headers);
    let status = req.parse(black_box(&buf[..])).unwrap();
    assert!(status.is_complete());
    black_box(&req);
    req.headers.len()
}

/// httparse alone on one response head: copy into a reused `BytesMut`, parse.
pub fn httparse_response(buf: &mut BytesMut, head: &[u8]) -> usize {
    buf.clear();
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut res = httparse::Response::new(&mut headers);
    let status = res.parse(black_box(&buf[..])).unwrap();
    assert!(status.is_complete());
    black_box(&res);
    res.headers.len()
}

/// httparse re-run from the start of the buffer after every byte of `head` (what a driver
/// built on httparse alone does when a head arrives one byte at a time).
pub fn httparse_drip(buf: &mut BytesMut, head: &[u8]) -> usize {
    buf.clear();
    for (i, b) in head.iter().enumerate() {
        buf.extend_from_slice(core::slice::from_ref(b));
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if req.parse(black_box(&buf[..])).unwrap().is_complete() {
            assert_eq!(i + 1, head.len());
            return i + 1;
        }
    }
    panic!("the head never completed")
}

/// A fresh actix-http server `Codec`. Needs to run inside an actix/tokio `LocalSet` (its
/// date service spawns a timer task).
pub fn actix_codec() -> Codec {
    Codec::default()
}

/// actix-http's `Codec` on pipelined requests without bodies, read in `read`-byte pieces
/// into its `BytesMut`. With `respond`, each request also gets a `200` with
/// `content-length: 0` encoded into `out` (cleared after every read), as the h1 side does.
/// Returns the number of requests.
pub fn actix_pipelined(
    codec: &mut Codec,
    buf: &mut BytesMut,
    out: &mut BytesMut,
    wire: &[u8],
    read: usize,
    respond: bool,
) -> usize {
    let mut n = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        while let Some(msg) = codec.decode(buf).unwrap() {
            match msg {
                Message::Item(req) => {
                    black_box(&req);
                    n += 1;
                    if respond {
                        let res = Response::with_body(StatusCode::OK, ());
                        codec
                            .encode(Message::Item((res, BodySize::Sized(0))), out)
                            .unwrap();
                    }
                }
                Message::Chunk(c) => {
                    black_box(c);
                }
            }
        }
        black_box(&out[..]);
        out.clear();
    }
    n
}

/// actix-http's `Codec` on one request with a body (`wire`), read in `read`-byte pieces:
/// decodes the head, then every payload chunk. Returns the number of payload chunks.
pub fn actix_upload(wire: &[u8], read: usize) -> usize {
    let mut codec = actix_codec();
    let mut buf = BytesMut::new();
    let mut chunks = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        while let Some(msg) = codec.decode(&mut buf).unwrap() {
            match msg {
                Message::Item(req) => {
                    black_box(req);
                }
                Message::Chunk(Some(c)) => {
                    black_box(c);
                    chunks += 1;
                }
                Message::Chunk(None) => return chunks,
            }
        }
    }
    panic!("the body never ended")
}

/// ureq-proto's client `Call` for one exchange: build `GET http://example.com/`, write its
/// head into `out`, copy the response (`wire`: head and small body) into `buf`, parse the
/// head, read the body, reach `Cleanup`. Returns the body bytes.
pub fn ureq_fetch(out: &mut [u8], buf: &mut Vec<u8>, body: &mut [u8], wire: &[u8]) -> usize {
    use ureq_proto::client::{Call, RecvBodyResult, RecvResponseResult, SendRequestResult};
    use ureq_proto::http::Request;

    let request = Request::get("http://example.com/").body(()).unwrap();
    let mut call = Call::new(request).unwrap().proceed();
    let n = call.write(out).unwrap();
    black_box(&out[..n]);
    let Ok(Some(SendRequestResult::RecvResponse(mut call))) = call.proceed() else {
        panic!("expected RecvResponse")
    };
    buf.clear();
    buf.extend_from_slice(wire);
    let (used, res) = call.try_response(buf, false).unwrap();
    black_box(res.expect("a complete response"));
    let Some(RecvResponseResult::RecvBody(mut call)) = call.proceed() else {
        panic!("expected RecvBody")
    };
    let (_, got) = call.read(&buf[used..], body).unwrap();
    black_box(&body[..got]);
    let Some(RecvBodyResult::Cleanup(call)) = call.proceed() else {
        panic!("expected Cleanup")
    };
    black_box(call.must_close_connection());
    got
}

/// The physical limit of taking bytes: copy `wire` in `read`-byte pieces into a reused
/// buffer. Returns the bytes copied.
pub fn memcpy(buf: &mut [u8], wire: &[u8], read: usize) -> usize {
    let mut n = 0;
    for piece in wire.chunks(read) {
        buf[..piece.len()].copy_from_slice(piece);
        black_box(&buf[..piece.len()]);
        n += piece.len();
    }
    n
}

/// The floor of any API that hands out received body bytes as `Bytes` without copying
/// them again (one refcount increment and decrement per read): copy `wire` in
/// `read`-byte pieces into a reused `BytesMut`, split each piece off as one `Bytes`, and
/// drop it after `black_box`, so the buffer is reclaimed for the next read. Returns the
/// bytes taken.
pub fn memcpy_bytes(buf: &mut BytesMut, wire: &[u8], read: usize) -> usize {
    let mut n = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        let taken = buf.split().freeze();
        n += black_box(taken).len();
    }
    n
}

/// The floor of any zero-copy decoder of a chunked body: `memcpy_bytes` plus the least a
/// decoder must do at each chunk boundary. Copy `wire` (a response head, then a chunked
/// body) in `read`-byte pieces into a reused `BytesMut`; skip the head (found once with
/// `memmem`); then split every run of chunk data in the buffer off as one `Bytes`
/// (dropped after `black_box`), and at each boundary find the size line's LF with
/// `memchr`, skip the CRLF that ends the previous chunk, and read the hex size. No
/// validation, no chunk extensions, no trailers, no limits. Returns the body bytes taken.
pub fn memcpy_chunked(buf: &mut BytesMut, wire: &[u8], read: usize) -> usize {
    buf.clear();
    let (mut n, mut left, mut crlf, mut head) = (0, 0usize, 0, true);
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        loop {
            if left > 0 {
                if buf.is_empty() {
                    break;
                }
                let take = left.min(buf.len());
                n += black_box(buf.split_to(take).freeze()).len();
                left -= take;
            } else if head {
                let Some(end) = memchr::memmem::find(buf, b"\r\n\r\n") else {
                    break;
                };
                buf.advance(end + 4);
                head = false;
            } else {
                let Some(lf) = buf.get(crlf..).and_then(|b| memchr::memchr(b'\n', b)) else {
                    break;
                };
                let size = buf[crlf..crlf + lf]
                    .iter()
                    .map_while(|&b| (b as char).to_digit(16))
                    .fold(0usize, |size, d| size << 4 | d as usize);
                buf.advance(crlf + lf + 1);
                if size == 0 {
                    buf.clear();
                    return n;
                }
                left = size;
                // Every later size line follows chunk data and its CRLF.
                crlf = 2;
            }
        }
    }
    n
}

/// The floor of the design the issue hints at for a head on a fresh connection (one
/// refcounted buffer for the whole head, offsets into it): allocate a read buffer, copy
/// the head in, parse it with httparse, collect each field's name and value as offsets
/// into a `Vec`, and split the head off as one `Bytes`; drop it all. Returns the number
/// of fields.
pub fn httparse_fresh_offsets(head: &[u8]) -> usize {
    let mut buf = BytesMut::new();
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(black_box(&buf[..])) {
        Ok(httparse::Status::Complete(len)) => len,
        other => panic!("not a complete head: {other:?}"),
    };
    let base = buf.as_ptr() as usize;
    let at = |s: &[u8]| (s.as_ptr() as usize - base) as u32;
    let offsets: Vec<[u32; 4]> = req
        .headers
        .iter()
        .map(|h| {
            let (n, v) = (at(h.name.as_bytes()), at(h.value));
            [n, n + h.name.len() as u32, v, v + h.value.len() as u32]
        })
        .collect();
    let head = buf.split_to(len).freeze();
    black_box((&head, &offsets));
    offsets.len()
}

/// The floor of a kept-alive server cycle in this design (one refcounted buffer per head,
/// offsets into it, the answer written out): copy the request into a reused `BytesMut`,
/// parse it with httparse, collect each field's name and value offsets into a reused
/// `Vec`, split the head off as one `Bytes` (dropped, so the buffer is reclaimed for the
/// next read), and copy `response` into a reused output buffer. No validation, framing,
/// state or response building. Returns the number of fields.
pub fn keepalive_floor(
    buf: &mut BytesMut,
    offsets: &mut Vec<[u32; 4]>,
    out: &mut Vec<u8>,
    head: &[u8],
    response: &[u8],
) -> usize {
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(black_box(&buf[..])) {
        Ok(httparse::Status::Complete(len)) => len,
        other => panic!("not a complete head: {other:?}"),
    };
    offsets.clear();
    collect_offsets(buf, req.headers, offsets);
    let head = buf.split_to(len).freeze();
    black_box((&head, &offsets[..]));
    out.extend_from_slice(response);
    black_box(&out[..]);
    out.clear();
    offsets.len()
}

/// The floor of a kept-alive client exchange in this design: copy the request head out
/// into a reused buffer (as written to a socket), copy the response (`wire`: head and
/// body) into a reused `BytesMut`, parse its head with httparse, collect the field offsets
/// into a reused `Vec`, find the body's length (`Content-Length`, compared ignoring case),
/// and split head and body off as one `Bytes`. Returns the body bytes.
pub fn client_floor(
    out: &mut Vec<u8>,
    buf: &mut BytesMut,
    offsets: &mut Vec<[u32; 4]>,
    request: &[u8],
    wire: &[u8],
) -> usize {
    out.extend_from_slice(request);
    black_box(&out[..]);
    out.clear();
    buf.extend_from_slice(wire);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut res = httparse::Response::new(&mut headers);
    let len = match res.parse(black_box(&buf[..])) {
        Ok(httparse::Status::Complete(len)) => len,
        other => panic!("not a complete head: {other:?}"),
    };
    let body = res
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .map_or(0, |h| {
            h.value
                .iter()
                .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'))
        });
    offsets.clear();
    collect_offsets(buf, res.headers, offsets);
    let message = buf.split_to(len + body).freeze();
    black_box((&message, &offsets[..]));
    body
}

/// The keep-alive floor plus what RFC 9110 and RFC 9112 require a strict server to check
/// of these bytes that httparse does not (see [`strict_fields`]): exactly one `Host`, its
/// value a `host[:port]`; the request's body framing (`Content-Length` and
/// `Transfer-Encoding`); whether the connection stays open (the version and the
/// `Connection` tokens). Panics on a request it would refuse. Returns the number of fields.
pub fn keepalive_strict_floor(
    buf: &mut BytesMut,
    offsets: &mut Vec<[u32; 4]>,
    out: &mut Vec<u8>,
    head: &[u8],
    response: &[u8],
) -> usize {
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (len, fields, f, keep_alive) = strict_request(black_box(&buf[..]), &mut headers);
    offsets.clear();
    collect_offsets(buf, fields, offsets);
    let head = buf.split_to(len).freeze();
    black_box((&head, &offsets[..], keep_alive, f.length));
    out.extend_from_slice(response);
    black_box(&out[..]);
    out.clear();
    offsets.len()
}

/// The client floor plus what RFC 9110 and RFC 9112 require a strict client to check of
/// these bytes that httparse does not: the status code in 100–599 (§15), the body's
/// framing (§6.3: none for 1xx, 204 and 304; else `Transfer-Encoding`, else one agreed
/// `Content-Length`, see [`strict_fields`]) and whether the connection stays open.
/// Panics on a response it would refuse. Returns the body bytes.
pub fn client_strict_floor(
    out: &mut Vec<u8>,
    buf: &mut BytesMut,
    offsets: &mut Vec<[u32; 4]>,
    request: &[u8],
    wire: &[u8],
) -> usize {
    out.extend_from_slice(request);
    black_box(&out[..]);
    out.clear();
    buf.extend_from_slice(wire);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (len, fields, body, keep_alive) = strict_response(black_box(&buf[..]), &mut headers);
    offsets.clear();
    collect_offsets(buf, fields, offsets);
    let message = buf.split_to(len + body).freeze();
    black_box((&message, &offsets[..], keep_alive));
    body
}

/// The keep-alive strict floor in the shape of this design, which hands each head out as
/// an owned event and takes each response as a value the caller built. What that shape
/// adds, and nothing more: the field offsets go into a `Vec` of their own that leaves with
/// the head (an event outlives the next read, so no offsets buffer can be reused for it);
/// the response is built as a value, its one field checked (a token name, a value without
/// control characters) and stored in one allocation, its `Content-Length` read back as the
/// body's framing (RFC 9110 §8.6: none on a 1xx or 204), and its head written from that
/// value into the reused output buffer. No state machine. Returns the number of fields.
pub fn keepalive_design_floor(buf: &mut BytesMut, out: &mut Vec<u8>, head: &[u8]) -> usize {
    buf.extend_from_slice(head);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (len, fields, f, keep_alive) = strict_request(black_box(&buf[..]), &mut headers);
    let mut offsets = Vec::with_capacity(fields.len());
    collect_offsets(buf, fields, &mut offsets);
    let fields = offsets.len();
    let head = buf.split_to(len).freeze();
    black_box((head, offsets, keep_alive, f.length));

    let fields_out = built_field(black_box("Content-Length"), black_box("0"));
    let status = black_box(200u16);
    let length = content_length_of(&fields_out);
    assert!(
        length.is_none() || !(status < 200 || status == 204),
        "framing"
    );
    out.extend_from_slice(b"HTTP/1.1 200 OK\r\n");
    out.extend_from_slice(&fields_out);
    out.extend_from_slice(b"\r\n");
    black_box((&out[..], length));
    out.clear();
    fields
}

/// The client strict floor in the shape of this design: the request is a value the
/// caller built (its method a token, its target visible ASCII, its `Host` field checked
/// and stored with the line in one allocation, exactly one `Host` required), written from
/// that value into the reused output buffer; the response head's field offsets go into a
/// `Vec` of their own that leaves with the head. No state machine. Returns the body bytes.
pub fn client_design_floor(buf: &mut BytesMut, out: &mut Vec<u8>, wire: &[u8]) -> usize {
    let (method, target) = (black_box("GET"), black_box("/"));
    assert!(
        !method.is_empty() && method.bytes().all(|b| TCHAR[b as usize]),
        "method"
    );
    assert!(
        !target.is_empty() && target.bytes().all(|b| b.is_ascii_graphic()),
        "target"
    );
    let (name, value) = (black_box("Host"), black_box("example.com"));
    let mut request = Vec::with_capacity(method.len() + target.len() + 1 + 128);
    request.extend_from_slice(method.as_bytes());
    request.push(b' ');
    request.extend_from_slice(target.as_bytes());
    let line = request.len();
    push_field(&mut request, name, value);
    assert!(is_name(name.as_bytes(), b"host"), "one Host");
    out.extend_from_slice(&request[..line]);
    out.extend_from_slice(b" HTTP/1.1\r\n");
    out.extend_from_slice(&request[line..]);
    out.extend_from_slice(b"\r\n");
    black_box(&out[..]);
    out.clear();
    drop(request);

    buf.extend_from_slice(wire);
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (len, fields, body, keep_alive) = strict_response(black_box(&buf[..]), &mut headers);
    let mut offsets = Vec::with_capacity(fields.len());
    collect_offsets(buf, fields, &mut offsets);
    let message = buf.split_to(len + body).freeze();
    black_box((message, offsets, keep_alive));
    body
}

/// One field a caller gives, checked (RFC 9110 §5: a token name; a value without control
/// characters but HTAB, nor whitespace at its ends) and stored in wire form in one
/// allocation.
fn built_field(name: &str, value: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(128);
    push_field(&mut v, name, value);
    v
}

fn push_field(v: &mut Vec<u8>, name: &str, value: &str) {
    let (name, value) = (name.as_bytes(), value.as_bytes());
    assert!(
        !name.is_empty() && name.iter().all(|&b| TCHAR[b as usize]),
        "name"
    );
    assert!(
        !value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
            && !matches!(value.first(), Some(b' ' | b'\t'))
            && !matches!(value.last(), Some(b' ' | b'\t')),
        "value"
    );
    v.extend_from_slice(name);
    v.extend_from_slice(b": ");
    v.extend_from_slice(value);
    v.extend_from_slice(b"\r\n");
}

/// The `Content-Length` of one built field in wire form, if that is its name.
fn content_length_of(field: &[u8]) -> Option<u64> {
    let colon = field.iter().position(|&b| b == b':')?;
    if !is_name(&field[..colon], b"content-length") {
        return None;
    }
    let digits = &field[colon + 2..field.len() - 2];
    assert!(
        !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        "length"
    );
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// `tchar` of RFC 9110 §5.6.2.
static TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
            | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+'
            | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~');
        b += 1;
    }
    t
};

/// httparse over a request head, then what a strict server owes it beyond that
/// ([`strict_fields`]; RFC 9112 §3.2: one Host in an HTTP/1.1 request, a valid
/// `host[:port]`; §6.3: a request with Transfer-Encoding must end its codings with
/// chunked). Returns the head's length, its fields, their framing fields and whether the
/// connection stays open; panics on a request it would refuse.
#[inline(always)]
fn strict_request<'h, 'b>(
    input: &'b [u8],
    headers: &'h mut [httparse::Header<'b>],
) -> (usize, &'h [httparse::Header<'b>], Strict, bool) {
    let mut req = httparse::Request::new(headers);
    let len = match req.parse(input) {
        Ok(httparse::Status::Complete(len)) => len,
        other => panic!("not a complete head: {other:?}"),
    };
    let http11 = req.version == Some(1);
    let f = strict_fields(req.headers).expect("a strict server refuses this request");
    assert!(f.hosts == 1 || (f.hosts == 0 && !http11), "Host");
    assert!(f.host_valid, "Host value");
    assert!(
        f.codings == Codings::None || f.codings == Codings::Chunked,
        "framing"
    );
    let keep_alive = if http11 { !f.close } else { f.keep_alive };
    (len, req.headers, f, keep_alive)
}

/// httparse over a response head, then what a strict client owes it beyond that: the
/// status code in 100–599 (RFC 9110 §15), the body's framing (RFC 9112 §6.3: none for
/// 1xx, 204 and 304; else `Transfer-Encoding`, else one agreed `Content-Length`, see
/// [`strict_fields`]) and whether the connection stays open. Returns the head's length,
/// its fields, the body's length and whether the connection stays open; panics on a
/// response it would refuse or a framing the floors do not read.
#[inline(always)]
fn strict_response<'h, 'b>(
    input: &'b [u8],
    headers: &'h mut [httparse::Header<'b>],
) -> (usize, &'h [httparse::Header<'b>], usize, bool) {
    let mut res = httparse::Response::new(headers);
    let len = match res.parse(input) {
        Ok(httparse::Status::Complete(len)) => len,
        other => panic!("not a complete head: {other:?}"),
    };
    let code = res.code.unwrap_or(0);
    assert!((100..=599).contains(&code), "status code");
    let f = strict_fields(res.headers).expect("a strict client refuses this response");
    let body = match (code, f.codings, f.length) {
        (100..=199 | 204 | 304, _, _) => 0,
        (_, Codings::None, Some(n)) => n as usize,
        other => panic!("a body framing this floor does not read: {other:?}"),
    };
    let keep_alive = if res.version == Some(1) {
        !f.close
    } else {
        f.keep_alive
    };
    (len, res.headers, body, keep_alive)
}

/// The transfer codings of a message, as far as framing needs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Codings {
    None,
    /// The last coding is `chunked`.
    Chunked,
    /// Codings that do not end with `chunked`.
    Other,
}

/// The fields a strict recipient must interpret, found in one pass over the parsed head.
struct Strict {
    /// The Content-Length all its values agree on.
    length: Option<u64>,
    codings: Codings,
    hosts: u32,
    /// Every Host value is a `host[:port]`.
    host_valid: bool,
    /// `close` among the Connection tokens.
    close: bool,
    /// `keep-alive` among the Connection tokens.
    keep_alive: bool,
}

/// One pass over the fields httparse parsed (which already refuses names that are not
/// tokens, and controls but HTAB or DEL in values, RFC 9110 §5): the checks a strict
/// parser still owes these bytes. `None` for what RFC 9110 §8.6 and RFC 9112 §6.3 make a
/// recipient refuse: a `Content-Length` that is not 1*DIGIT or overflows, values that
/// disagree, `Transfer-Encoding` together with `Content-Length`.
fn strict_fields(headers: &[httparse::Header<'_>]) -> Option<Strict> {
    let mut f = Strict {
        length: None,
        codings: Codings::None,
        hosts: 0,
        host_valid: true,
        close: false,
        keep_alive: false,
    };
    for h in headers {
        let name = h.name.as_bytes();
        match name.len() {
            4 if is_name(name, b"host") => {
                f.hosts += 1;
                f.host_valid &=
                    !h.value.is_empty() && h.value.iter().all(|&b| AUTHORITY[b as usize]);
            }
            10 if is_name(name, b"connection") => {
                for token in h.value.split(|&b| b == b',') {
                    let token = token.trim_ascii();
                    f.close |= is_name(token, b"close");
                    f.keep_alive |= is_name(token, b"keep-alive");
                }
            }
            14 if is_name(name, b"content-length") => {
                if h.value.is_empty() {
                    return None;
                }
                let mut n: u64 = 0;
                for &d in h.value {
                    if !d.is_ascii_digit() {
                        return None;
                    }
                    n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
                }
                if f.length.is_some_and(|m| m != n) {
                    return None;
                }
                f.length = Some(n);
            }
            17 if is_name(name, b"transfer-encoding") => {
                let last = h.value.rsplit(|&b| b == b',').next().unwrap_or_default();
                f.codings = if is_name(last.trim_ascii(), b"chunked") {
                    Codings::Chunked
                } else {
                    Codings::Other
                };
            }
            _ => {}
        }
    }
    if f.codings != Codings::None && f.length.is_some() {
        return None;
    }
    Some(f)
}

/// `token` is `lower` (lowercase letters and `-`) ignoring case: each byte with its 0x20
/// bit set is the letter or `-` it should be, which no other byte of a token (or of a
/// field value, which holds no CR) becomes.
fn is_name(token: &[u8], lower: &[u8]) -> bool {
    token.len() == lower.len() && token.iter().zip(lower).all(|(&a, &b)| a | 0x20 == b)
}

/// Bytes of a `host[:port]` (RFC 3986 reg-name, IP literal, port): unreserved,
/// sub-delims, `:`, `%`, `[`, `]`.
static AUTHORITY: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'%'
                    | b'['
                    | b']'
            );
        b += 1;
    }
    t
};

/// Each field's name and value as `[name start, name end, value start, value end]` offsets
/// into `buf`, the buffer httparse parsed.
fn collect_offsets(buf: &[u8], headers: &[httparse::Header<'_>], offsets: &mut Vec<[u32; 4]>) {
    let base = buf.as_ptr() as usize;
    let at = |s: &[u8]| (s.as_ptr() as usize - base) as u32;
    offsets.extend(headers.iter().map(|h| {
        let (n, v) = (at(h.name.as_bytes()), at(h.value));
        [n, n + h.name.len() as u32, v, v + h.value.len() as u32]
    }));
}

/// The physical limit of line splitting: copy `body` in `read`-byte pieces into a reused
/// buffer (keeping an unfinished line at its front), and cut it at every `\n` with memchr,
/// handing out each line as a slice. Returns the number of lines.
pub fn memchr_lines(buf: &mut Vec<u8>, body: &[u8], read: usize) -> usize {
    buf.clear();
    let mut lines = 0;
    for piece in body.chunks(read) {
        buf.extend_from_slice(piece);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', buf) {
            black_box(&buf[start..end]);
            lines += 1;
            start = end + 1;
        }
        buf.drain(..start);
    }
    if !buf.is_empty() {
        black_box(&buf[..]);
        lines += 1;
    }
    lines
}

/// The floor of any API that hands out each line as its own `Bytes` (one refcount
/// increment and decrement per line): copy `body` in `read`-byte pieces into a reused
/// `BytesMut`, freeze everything up to the last `\n` once per read, and hand out every
/// line as a `Bytes::slice` of that, dropped after `black_box`. Returns the number of lines.
pub fn memchr_bytes_lines(buf: &mut BytesMut, body: &[u8], read: usize) -> usize {
    buf.clear();
    let mut lines = 0;
    for piece in body.chunks(read) {
        buf.extend_from_slice(piece);
        let Some(last) = memchr::memrchr(b'\n', buf) else {
            continue;
        };
        let run = buf.split_to(last + 1).freeze();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &run) {
            black_box(run.slice(start..end));
            lines += 1;
            start = end + 1;
        }
    }
    if !buf.is_empty() {
        black_box(buf.split().freeze());
        lines += 1;
    }
    lines
}

/// The floor of line mode in the shape of h1's API, which hands out every line as an
/// event: `memchr_bytes_lines` plus only what that shape adds. Each call of `next` returns
/// a `Result<h1::Event, h1::Error>` (`LineComplete`, or `NeedData` when no complete line
/// is left), inlined into the caller's `match` as h1's hot path is; a line ends at LF or
/// CR (h1's terminators), found with memchr's SSE2 two-byte search inlined (as h1 does for
/// a short line), and is cut off the read's complete lines with `split_to` and
/// `advance`, a CRLF skipped. Not done: a CRLF split between reads, lines across chunks,
/// the line limit, any framing or state.
#[derive(Default)]
pub struct LinesDesignFloor {
    buf: BytesMut,
    ready: Bytes,
}

impl LinesDesignFloor {
    #[inline]
    fn next(&mut self) -> Result<Event, Error> {
        if self.ready.is_empty() {
            return Ok(Event::NeedData);
        }
        // `ready` ends with a terminator.
        let end = find_terminator(&self.ready).unwrap_or(self.ready.len() - 1);
        let cr = self.ready[end] == b'\r';
        let line = self.ready.split_to(end);
        self.ready.advance(1);
        if cr && self.ready.first() == Some(&b'\n') {
            self.ready.advance(1);
        }
        Ok(Event::LineComplete(line))
    }

    fn receive(&mut self, piece: &[u8]) {
        self.ready = Bytes::new();
        self.buf.extend_from_slice(piece);
        if let Some(last) = memchr::memrchr2(b'\n', b'\r', &self.buf) {
            self.ready = self.buf.split_to(last + 1).freeze();
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn find_terminator(hay: &[u8]) -> Option<usize> {
    match memchr::arch::x86_64::sse2::memchr::Two::new(b'\n', b'\r') {
        Some(two) => two.find(hay),
        None => memchr::memchr2(b'\n', b'\r', hay),
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn find_terminator(hay: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', hay)
}

/// Drives [`LinesDesignFloor`] over `body` in `read`-byte pieces as h1's workload drives a
/// connection: `match floor.next().unwrap()`, each line dropped after `black_box`.
/// Returns the number of lines.
pub fn lines_design_floor(floor: &mut LinesDesignFloor, body: &[u8], read: usize) -> usize {
    floor.buf.clear();
    let mut pieces = body.chunks(read);
    let mut lines = 0;
    loop {
        match floor.next().unwrap() {
            Event::LineComplete(line) => {
                black_box(line);
                lines += 1;
            }
            Event::NeedData => match pieces.next() {
                Some(piece) => floor.receive(piece),
                None => break,
            },
            other => panic!("unexpected {other:?}"),
        }
    }
    if !floor.buf.is_empty() {
        black_box(floor.buf.split().freeze());
        lines += 1;
    }
    lines
}
