//! The other side of every comparison: httparse alone, actix-http's h1 `Codec`, ureq-proto's
//! client `Call`, and the physical limits (memcpy, memchr). Each starts from the same bytes
//! in a plain slice as the h1 side and copies them into its own read buffer first, in the
//! same read sizes, as a socket read would.

use std::hint::black_box;

use actix_codec::{Decoder, Encoder};
use actix_http::body::BodySize;
use actix_http::h1::{Codec, Message};
use actix_http::{Response, StatusCode};
use bytes::BytesMut;

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
