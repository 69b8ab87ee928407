//! The exchange both drivers' `http`-typed round trips play (feature `http`), included by
//! each with `#[path = "../../testing/http_cases.rs"] mod cases;`: the request a client
//! sends as an `http::Request`, the reply a handler builds as an `http::Response` from the
//! request it read as `http` parts, and the checks of what arrived on each side.

#![allow(dead_code)] // each test file uses a part

use bytes::Bytes;

/// How many times the request repeats `x-dup` and the reply `set-cookie`.
pub const DUPLICATES: usize = 40;

/// A header value that is not UTF-8 (obs-text, bytes 0x80–0xFF).
pub const NOT_UTF8: &[u8] = b"caf\xe9 \xff\x80";

/// The body the request carries.
pub const BODY: &[u8] = b"{\"query\":\"h1\"}";

/// A request with an extension method, many fields of one name interleaved with others,
/// a value that is not UTF-8 and a body, to `http://{addr}/echo?x=1`.
pub fn request(addr: std::net::SocketAddr) -> http::Request<Vec<u8>> {
    let mut req = http::Request::builder()
        .method("QUERY")
        .uri(format!("http://{addr}/echo?x=1"))
        .header("content-type", "application/json");
    for i in 0..DUPLICATES {
        req = req
            .header("x-dup", format!("v{i}"))
            .header("x-other", i.to_string());
    }
    req.header("x-bin", http::HeaderValue::from_bytes(NOT_UTF8).unwrap())
        .body(BODY.to_vec())
        .unwrap()
}

/// What a handler answers to `/echo`, from the request read as `http` parts and its
/// whole body: `207`, the method, target, Host and framing it saw, the `x-dup` values in
/// order, the value that is not UTF-8, [`DUPLICATES`] `set-cookie` fields, and the body.
pub fn echo(parts: &http::request::Parts, body: Bytes) -> http::Response<Bytes> {
    let seen = |name: &str| {
        parts
            .headers
            .get(name)
            .map_or(b"none".to_vec(), |v| v.as_bytes().to_vec())
    };
    let mut res = http::Response::builder()
        .status(http::StatusCode::MULTI_STATUS)
        .header("x-method", parts.method.as_str())
        .header("x-target", parts.uri.to_string())
        .header("x-host", seen("host"))
        .header("x-content-length", seen("content-length"))
        .header("x-bin", seen("x-bin"));
    for dup in parts.headers.get_all("x-dup") {
        res = res.header("x-dup", dup);
    }
    for i in 0..DUPLICATES {
        res = res.header("set-cookie", format!("c{i}=v; Path=/"));
    }
    res.body(body).unwrap()
}

/// Checks the head of the answer to [`request`] sent to `addr`.
pub fn check_echo(parts: &http::response::Parts, addr: std::net::SocketAddr) {
    assert_eq!(parts.status, http::StatusCode::MULTI_STATUS);
    assert_eq!(parts.version, http::Version::HTTP_11);
    let h = &parts.headers;
    assert_eq!(h["x-method"], "QUERY");
    assert_eq!(h["x-target"], "/echo?x=1");
    assert_eq!(h["x-host"], addr.to_string().as_str());
    assert_eq!(h["x-content-length"], BODY.len().to_string().as_str());
    assert_eq!(h["x-bin"].as_bytes(), NOT_UTF8);
    assert!(h["x-bin"].to_str().is_err(), "not UTF-8, and kept so");
    let dups: Vec<_> = h.get_all("x-dup").iter().map(|v| v.as_bytes()).collect();
    let want: Vec<_> = (0..DUPLICATES).map(|i| format!("v{i}")).collect();
    let want: Vec<_> = want.iter().map(String::as_bytes).collect();
    assert_eq!(dups, want);
    let cookies: Vec<_> = h.get_all("set-cookie").iter().collect();
    assert_eq!(cookies.len(), DUPLICATES);
    for (i, c) in cookies.iter().enumerate() {
        assert_eq!(*c, format!("c{i}=v; Path=/").as_str());
    }
    assert_eq!(
        h["content-length"],
        BODY.len().to_string().as_str(),
        "a reply of bytes goes with Content-Length"
    );
}

/// Requests a client refuses to send, each with a word of the error it fails with.
pub fn unsendable(addr: std::net::SocketAddr) -> Vec<(http::Request<Bytes>, &'static str)> {
    let to = format!("http://{addr}/echo");
    let get = || http::Request::get(to.as_str());
    vec![
        (
            http::Request::get("/echo").body(Bytes::new()).unwrap(),
            "absolute",
        ),
        (
            get()
                .version(http::Version::HTTP_2)
                .body(Bytes::new())
                .unwrap(),
            "HTTP/1.1",
        ),
        (
            get()
                .header("x-pad", http::HeaderValue::from_static("padded "))
                .body(Bytes::new())
                .unwrap(),
            "whitespace",
        ),
        (
            get()
                .header("transfer-encoding", "chunked")
                .body(Bytes::from_static(b"abc"))
                .unwrap(),
            "Transfer-Encoding",
        ),
        (
            get()
                .header("content-length", "5")
                .body(Bytes::from_static(b"abc"))
                .unwrap(),
            "Content-Length",
        ),
    ]
}

/// Replies h1 cannot send, each with a word of the error.
pub fn unsendable_replies() -> Vec<(http::Response<()>, &'static str)> {
    vec![
        (
            http::Response::builder().status(600).body(()).unwrap(),
            "100-599",
        ),
        (
            http::Response::builder()
                .version(http::Version::HTTP_2)
                .body(())
                .unwrap(),
            "HTTP/1.1",
        ),
        (
            http::Response::builder()
                .header("x-pad", http::HeaderValue::from_static(" padded"))
                .body(())
                .unwrap(),
            "whitespace",
        ),
    ]
}

/// A request whose target `http` refuses (`<` is visible ASCII, which h1 takes, but not
/// a URI character), written raw; the handler answers 400 with the error's kind.
pub const BAD_TARGET: &[u8] = b"GET /a<b> HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
