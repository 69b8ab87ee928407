#!/usr/bin/env python3
"""Writes the seed corpus under fuzz/corpus/<target>/ (deterministic; run from anywhere).

The receive seeds are the raw inputs of the conformance cases (tests/conformance/*.rs,
`conf-*` files: every RFC 9112 rule, strictness case and limit) plus the real-world
messages below.

receive_server / receive_client inputs are: one config byte (see fuzz/src/receive.rs:
method, body modes, small limits, switch), one split-seed byte, then the peer's bytes.
The messages are real-world shapes plus the edge cases of docs/conformance (smuggling
attempts, obs-fold, bare LF, limits). roundtrip and lines take `arbitrary` structures, so
their seeds are pseudo-random byte strings of assorted sizes, which libFuzzer then evolves.
"""
import os
import random
import re
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

CHROME = (
    b"Host: www.example.com\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36\r\n"
    b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    b"Accept-Language: en-US,en;q=0.9\r\n"
    b"Accept-Encoding: gzip, deflate, br\r\n"
    b"Cookie: session=abc123; theme=dark\r\n"
)

REQUESTS = {
    "get-browser": b"GET /index.html?q=1 HTTP/1.1\r\n" + CHROME + b"\r\n",
    "get-curl": b"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
    "post-length": b"POST /api/items HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n"
    b"Content-Length: 27\r\n\r\n{\"name\":\"widget\",\"qty\":12}\n",
    "post-chunked-trailers": b"POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
    b"5;ext=1\r\nhello\r\n7;name=\"quoted \\\" val\"\r\n, world\r\n0\r\nX-Sum: 42\r\n\r\n",
    "pipelined-three": b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
    b"HEAD /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    "http10-keepalive": b"GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /old2 HTTP/1.0\r\n\r\n",
    "close-then-bytes": b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
    "connect": b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\xa5tls hello",
    "options-star": b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    "upgrade-websocket": b"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\x85frame",
    "expect-continue": b"PUT /big HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n0123456789",
    "ndjson-lines": b"POST /events HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"a\r\n{\"n\":1}\r\n{\r\n8\r\n\"n\":2}\r\n\r\n3\r\n\r\r\n\r\n0\r\n\r\n",
    "lines-length-mixed-terminators": b"POST /l HTTP/1.1\r\nHost: a\r\nContent-Length: 14\r\n\r\na\r\nb\nc\rd\r\n\r\ne",
    "smuggle-cl-te": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "smuggle-two-cl": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
    "smuggle-te-gzip-chunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "smuggle-te-space": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "obs-fold": b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: part1\r\n part2\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: a\n\n",
    "leading-crlf": b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "absolute-form": b"GET http://example.com/p?x=y HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "no-host": b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n",
    "http2-version": b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
    "chunk-overflow": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n0\r\n\r\n",
    "chunk-bad-crlf": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n",
    "chunk-bare-lf": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n",
    "many-headers": b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(12)) + b"\r\n",
    "long-target": b"GET /" + b"a" * 300 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
    "long-header": b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"b" * 600 + b"\r\n\r\n",
    "big-trailers": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
    + b"".join(b"T%d: %s\r\n" % (i, b"v" * 30) for i in range(6)) + b"\r\n",
    "truncated-body": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a little",
    "nul-in-header": b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n",
    "long-line-body": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + b"z" * 99 + b"\n",
}

RESPONSES = {
    "ok-length": b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
    "ok-chunked-trailers": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5;x=y\r\npedia\r\n0\r\nExpires: never\r\n\r\n",
    "nginx-html": b"HTTP/1.1 200 OK\r\nServer: nginx/1.25.3\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
    b"Content-Type: text/html\r\nContent-Length: 20\r\nConnection: keep-alive\r\n\r\n<html>hello</html>\r\n",
    "no-content": b"HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n",
    "not-modified-with-length": b"HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\nContent-Length: 1234\r\n\r\n",
    "continue-then-ok": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "early-hints": b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    "switching": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi",
    "connect-established": b"HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03\x03tunnel bytes",
    "http10-close-delimited": b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall until close\nsecond line",
    "te-and-cl": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
    "obs-fold": b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\nContent-Length: 1\r\n\r\nx",
    "close-then-bytes": b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n",
    "keepalive-two": b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
    b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
    "ndjson-chunked": b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"7\r\n{\"n\":1}\r\n1\r\n\n\r\n6\r\n{\"n\":2\r\n2\r\n}\r\r\n1\r\n\n\r\n0\r\n\r\n",
    "bad-status": b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
    "cl-list-same": b"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
    "cl-list-differ": b"HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
    "te-gzip-until-close": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00binary",
    "empty-reason": b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
    "no-reason": b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
    "head-response-with-length": b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    "http09": b"<html>no status line</html>",
    "truncated-chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort",
    "long-status-line": b"HTTP/1.1 200 " + b"R" * 200 + b"\r\nContent-Length: 0\r\n\r\n",
}

# Config bytes: receive.rs Config (bits 0-2 method, 3-4 modes, 5 small limits, 6 switch).
SERVER_CFGS = [0x00, 0x08, 0x10, 0x18, 0x20, 0x30, 0x40, 0x58]
CLIENT_CFGS = [0x00, 0x01, 0x02, 0x03, 0x04, 0x0B, 0x10, 0x28, 0x40, 0x5A]


CONFORMANCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "conformance")
METHODS = ["GET", "HEAD", "CONNECT", "POST", "OPTIONS"]
CASE = re.compile(
    r'(\w+):\s*(server\(\)|client\("(\w+)"\)|client_upgrading\(\))([^,]*),\s*'
    r'(b"(?:[^"\\]|\\.)*"|chunked_post\(b"(?:[^"\\]|\\.)*"\)|chunked_200\(b"(?:[^"\\]|\\.)*"\))\s*=>',
    re.S,
)
PREFIX = {
    "chunked_post": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
    "chunked_200": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
}


def rust_bytes(lit):
    """Decodes a Rust byte string literal b"..."."""
    body, out, i = lit[lit.index('"') + 1 : lit.rindex('"')], bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        e = body[i + 1]
        if e == "\n":  # line continuation: skip the newline and leading whitespace
            i += 2
            while i < len(body) and body[i] in " \t\n":
                i += 1
            continue
        if e == "x":
            out.append(int(body[i + 2 : i + 4], 16))
            i += 4
            continue
        out += {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}[e]
        i += 2
    return bytes(out)


def conformance_cases():
    """(target, name, config byte, input) for each conformance case with a literal input."""
    for fname in sorted(os.listdir(CONFORMANCE)):
        text = open(os.path.join(CONFORMANCE, fname)).read()
        group = fname[:-3]
        for m in CASE.finditer(text):
            name, role, method, opts, expr = m.groups()
            data = rust_bytes(expr)
            fn = expr.split("(")[0]
            if fn in PREFIX:
                data = PREFIX[fn] + data
            modes = 2 if ".lines()" in opts else 1 if "max_data" in opts else 0
            small = 0x20 if group == "with_limits" else 0
            if role == "server()":
                yield "receive_server", "conf-%s-%s" % (group, name), (modes << 3) | small, data
            elif role == "client_upgrading()":
                # GET requests proposing an Upgrade (the switch bit).
                yield "receive_client", "conf-%s-%s" % (group, name), 0x40 | (modes << 3) | small, data
            elif method in METHODS:
                cfg = METHODS.index(method) | (modes << 3) | small
                yield "receive_client", "conf-%s-%s" % (group, name), cfg, data


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    for i, (name, msg) in enumerate(sorted(REQUESTS.items())):
        cfg = SERVER_CFGS[i % len(SERVER_CFGS)]
        write("receive_server", name, bytes([cfg, i * 37 % 256]) + msg)
    for i, (name, msg) in enumerate(sorted(RESPONSES.items())):
        cfg = CLIENT_CFGS[i % len(CLIENT_CFGS)]
        if "connect" in name:
            cfg = 0x02
        elif "switching" in name:
            cfg = 0x40
        elif "head" in name:
            cfg = 0x01
        write("receive_client", name, bytes([cfg, i * 53 % 256]) + msg)
    for i, (target, name, cfg, data) in enumerate(conformance_cases()):
        write(target, name, bytes([cfg, i * 29 % 256]) + data)
    rng = random.Random(4)
    for target in ("roundtrip", "lines"):
        for i in range(32):
            size = rng.choice([8, 16, 32, 64, 128, 256, 512, 1024])
            write(target, "random-%02d" % i, bytes(rng.randrange(256) for _ in range(size)))


if __name__ == "__main__":
    main()
