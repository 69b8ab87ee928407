//! Fixed, real-world benchmark samples, shared by `benches/core.rs` (criterion) and the
//! comparison runner in `benches/compare/` (which includes this file by path).
//!
//! Small heads are literal byte strings; large bodies are generated deterministically (no
//! randomness source, no files), so every run and every version measures the same bytes.

#![allow(dead_code)]

/// The 37-byte minimal GET.
pub const MINIMAL_GET: &[u8] = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";

/// The classic browser GET (703 bytes, 9 header fields) used by httparse's and
/// picohttpparser's own benches: a Firefox request for an image with a long cookie.
pub const BROWSER_GET: &[u8] = b"\
GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n\
Accept-Encoding: gzip,deflate\r\n\
Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n\
Keep-Alive: 115\r\n\
Connection: keep-alive\r\n\
Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral\r\n\
\r\n";

/// The classic Apache response head (285 bytes, 8 header fields) of httparse's response
/// bench, with `Connection: keep-alive` so a client can reuse the connection.
pub const RESPONSE_HEAD: &[u8] = b"\
HTTP/1.1 200 OK\r\n\
Date: Sun, 10 Oct 2010 23:26:07 GMT\r\n\
Server: Apache/2.2.8 (Ubuntu) mod_ssl/2.2.8 OpenSSL/0.9.8g\r\n\
Last-Modified: Sun, 26 Sep 2010 22:04:35 GMT\r\n\
ETag: \"45b6-834-49130cc1182c0\"\r\n\
Accept-Ranges: bytes\r\n\
Content-Length: 12\r\n\
Connection: keep-alive\r\n\
Content-Type: text/html\r\n\
\r\n";

/// The 12-byte body that [`RESPONSE_HEAD`] announces.
pub const RESPONSE_BODY: &[u8] = b"Hello world!";

/// The 38-byte answer every kept-alive request gets in the benchmarks: `200 OK` with
/// `Content-Length: 0`, as h1 writes it.
pub const EMPTY_OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

/// The size of every large body: 16 MiB.
pub const BIG: usize = 16 << 20;

/// How many bytes a driver reads from its socket at a time (h1's default `read_size`).
pub const READ: usize = 16 * 1024;

/// The browser GET repeated `n` times back to back (pipelined).
pub fn pipelined(n: usize) -> Vec<u8> {
    BROWSER_GET.repeat(n)
}

/// [`RESPONSE_HEAD`] followed by [`RESPONSE_BODY`].
pub fn small_response() -> Vec<u8> {
    [RESPONSE_HEAD, RESPONSE_BODY].concat()
}

/// A deterministic pseudo-random printable body of `len` bytes (xorshift64).
pub fn body(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b' ' + (x % 95) as u8
        })
        .collect()
}

/// How many 100-byte NDJSON lines fit in 16 MiB: the NDJSON body is 16,777,200 bytes.
pub const NDJSON_LINES: usize = BIG / 100;

/// NDJSON of `lines` lines of exactly 100 bytes each (99 bytes of JSON and `\n`).
pub fn ndjson(lines: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines * 100);
    for i in 0..lines {
        let head = format!(
            "{{\"id\":{i:08},\"user\":\"u{:05}\",\"text\":\"",
            i % 99_991
        );
        let pad = 99 - head.len() - 2;
        out.extend_from_slice(head.as_bytes());
        out.extend((0..pad).map(|k| b'a' + ((i + k) % 26) as u8));
        out.extend_from_slice(b"\"}\n");
    }
    out
}

/// A response head announcing a Content-Length body of `len` bytes.
pub fn cl_head(len: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\n\r\n")
        .into_bytes()
}

/// A response head announcing a chunked body.
pub const CHUNKED_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

/// A request head (POST) announcing a chunked body, for server-role body workloads.
pub const CHUNKED_POST_HEAD: &[u8] =
    b"POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n";

/// `body` in chunked framing with chunks of `chunk` bytes (the last may be shorter), then
/// the last-chunk and an empty trailer section.
pub fn chunked(body: &[u8], chunk: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / chunk * 12 + 16);
    for piece in body.chunks(chunk) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// A whole response: head and body in the given framing (`None`: Content-Length;
/// `Some(n)`: chunked in `n`-byte chunks).
pub fn response(body: &[u8], chunk: Option<usize>) -> Vec<u8> {
    match chunk {
        None => [cl_head(body.len()).as_slice(), body].concat(),
        Some(n) => [CHUNKED_HEAD, chunked(body, n).as_slice()].concat(),
    }
}

/// A GET head of exactly `size` bytes (a multiple of 128, at least 256): a request line,
/// Host, and `X-Pad-NNN` fields of 128 bytes each. 4 KiB has 31 fields, 8 KiB 63.
pub fn big_head(size: usize) -> Vec<u8> {
    assert!(
        size >= 256 && size & 127 == 0,
        "size must be a multiple of 128"
    );
    let mut out = b"GET /big HTTP/1.1\r\nHost: example.com\r\n".to_vec();
    let mut n = 0;
    // Each field is 128 bytes: "X-Pad-NNN: " (11) + value (115) + CRLF (2).
    while out.len() + 128 + 2 <= size {
        out.extend_from_slice(format!("X-Pad-{n:03}: ").as_bytes());
        out.extend((0..115).map(|k| b'a' + ((n + k) % 26) as u8));
        out.extend_from_slice(b"\r\n");
        n += 1;
    }
    // Fill the remainder with one shorter field, then the empty line.
    let rest = size - out.len() - 2;
    if rest > 0 {
        assert!(rest >= 11, "no room for a filler field");
        out.extend_from_slice(b"X-Fill: ");
        out.extend((0..rest - 10).map(|_| b'f'));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    assert_eq!(out.len(), size);
    out
}

/// A GET head of exactly `size` bytes whose bulk is one long `Cookie` field (a large head
/// that stays under `max_headers`), for memory figures.
pub fn cookie_head(size: usize) -> Vec<u8> {
    let mut out = b"GET / HTTP/1.1\r\nHost: example.com\r\nCookie: ".to_vec();
    let fill = size - out.len() - 4;
    out.extend((0..fill).map(|k| b'a' + (k % 26) as u8));
    out.extend_from_slice(b"\r\n\r\n");
    assert_eq!(out.len(), size);
    out
}
