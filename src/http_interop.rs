//! Conversions between h1's heads and the `http` crate's types (feature `http`).
//!
//! Every conversion is a [`TryFrom`] from a reference, in both directions:
//!
//! | h1 | `http` |
//! | --- | --- |
//! | [`Request`] | [`http::request::Parts`], [`http::Request<()>`](http::Request) (and from any `http::Request<B>`) |
//! | [`Response`] | [`http::response::Parts`], [`http::Response<()>`](http::Response) (and from any `http::Response<B>`) |
//! | [`Headers`] (fields or trailers) | [`http::HeaderMap`] |
//! | [`Version`] | [`http::Version`] |
//!
//! A failed conversion is an [`Error`] of kind [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
//! naming what could not be converted: an HTTP version other than 1.0 and 1.1, a status
//! outside 100–599, a URI that is not a request target h1 can send (a fragment, a
//! character outside visible ASCII), a header value with whitespace at either end, more
//! fields than a `HeaderMap` holds.
//!
//! ## What a `HeaderMap` keeps and loses
//!
//! A `HeaderMap` groups the values of one name together, and stores names in lower case.
//! Converting h1's [`Headers`] to it keeps every field and the order of the values of each
//! name (`Set-Cookie`, `Via`, ... stay in order), but loses
//! - the relative order of fields with different names: `A: 1`, `B: 2`, `A: 3` comes back
//!   as `a: 1`, `a: 3`, `b: 2`;
//! - the case of names as they were sent: `X-Trace-ID` comes back as `x-trace-id` (names
//!   compare ignoring case, so no meaning is lost).
//!
//! Values are bytes on both sides: obs-text (bytes 0x80–0xFF) goes through unchanged.
//! A parsed head's values become slices of the received head, without a copy.
//!
//! A response's reason phrase has no place in `http::response::Parts` and is lost; from
//! `http` the usual phrase of the status is taken. The `extensions` of `Parts` are left
//! empty one way and ignored the other.
//!
//! ## Request targets
//!
//! The request target and the URI are the same text: an origin-form target (`/path?q`)
//! is a URI with only a path and query; the absolute form (`http://example.com/p`), the
//! authority form of CONNECT (`example.com:443`) and the asterisk form of OPTIONS (`*`)
//! keep their form both ways. No Host field is added or taken from the URI: a request
//! built from `http` types carries the Host field it was given.
//!
//! ## Versions
//!
//! Heads h1 sends are always written as HTTP/1.1 (the connection adapts the framing when
//! the peer speaks HTTP/1.0), so a head built from `http` types is an HTTP/1.1 head; it
//! may come from HTTP/1.0 or HTTP/1.1 parts. HTTP/0.9, HTTP/2 and HTTP/3 are refused.
//!
//! ```
//! use h1::{Connection, Event, Role};
//!
//! // A server hands a received request to code written for the `http` crate...
//! let mut server = Connection::new(Role::Server);
//! server.receive(b"GET /items?page=2 HTTP/1.1\r\nHost: example.com\r\n\r\n")?;
//! let Event::Request(req) = server.next_event()? else { panic!() };
//! let req = http::Request::<()>::try_from(&req)?;
//! assert_eq!(req.uri().path(), "/items");
//! assert_eq!(req.headers()["host"], "example.com");
//!
//! // ...and sends the `http::Response` it returns.
//! let res = http::Response::builder()
//!     .status(http::StatusCode::NOT_FOUND)
//!     .header("content-length", "0")
//!     .body(())
//!     .unwrap();
//! let wire = server.send_response(&h1::Response::try_from(&res)?)?.to_vec();
//! assert_eq!(wire, b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
//! # Ok::<(), h1::Error>(())
//! ```

use alloc::format;
use alloc::string::ToString;

use crate::error::Error;
use crate::event::{Request, Response, Version};
use crate::headers::Headers;

impl From<Version> for http::Version {
    fn from(version: Version) -> Self {
        match version {
            Version::Http10 => Self::HTTP_10,
            Version::Http11 => Self::HTTP_11,
        }
    }
}

impl TryFrom<http::Version> for Version {
    type Error = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for any version but
    /// HTTP/1.0 and HTTP/1.1.
    fn try_from(version: http::Version) -> Result<Self, Error> {
        match version {
            http::Version::HTTP_10 => Ok(Self::Http10),
            http::Version::HTTP_11 => Ok(Self::Http11),
            other => Err(Error::input(format!(
                "{other:?} is not HTTP/1.0 or HTTP/1.1"
            ))),
        }
    }
}

/// The fields, in order; the values of a parsed head are slices of it (no copy).
impl TryFrom<&Headers> for http::HeaderMap {
    type Error = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when a name or value is
    /// one `http` refuses (a name over 64 KiB), or there are more fields than a
    /// `HeaderMap` holds (32,768).
    fn try_from(headers: &Headers) -> Result<Self, Error> {
        let mut map = Self::new();
        map.try_reserve(headers.len())
            .map_err(|_| too_many_fields())?;
        for (name, value) in headers.raw() {
            let name = http::HeaderName::from_bytes(name)
                .map_err(|e| Error::input(format!("header field name: {e}")))?;
            let value = match headers.shared() {
                // Received fields lie in the head: hand out slices of it.
                Some(head) => http::HeaderValue::from_maybe_shared(head.slice_ref(value)),
                None => http::HeaderValue::from_bytes(value),
            }
            .map_err(|e| Error::input(format!("header field value: {e}")))?;
            map.try_append(name, value).map_err(|_| too_many_fields())?;
        }
        Ok(map)
    }
}

fn too_many_fields() -> Error {
    Error::input("more header fields than an http::HeaderMap holds")
}

/// Each name's values in order; names come grouped, in lower case.
impl TryFrom<&http::HeaderMap> for Headers {
    type Error = Error;

    /// # Errors
    /// As [`Headers::append`]: a value with whitespace at either end (which `http` allows
    /// and HTTP/1.1 cannot carry, since a recipient strips it).
    fn try_from(map: &http::HeaderMap) -> Result<Self, Error> {
        let mut headers = Self::new();
        for (name, value) in map {
            headers.append(name.as_str(), value.as_bytes())?;
        }
        Ok(headers)
    }
}

/// The request target becomes the URI (see the [module docs](self) for each form).
impl TryFrom<&Request> for http::request::Parts {
    type Error = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the method, the
    /// target or a field is one `http` refuses: a target with a fragment (`#`, which a
    /// request target never has) or that is not a URI, or as for [`http::HeaderMap`].
    fn try_from(req: &Request) -> Result<Self, Error> {
        let method = http::Method::from_bytes(req.method().as_bytes())
            .map_err(|e| Error::input(format!("method {:?}: {e}", req.method())))?;
        let target = req.target();
        if target.contains('#') {
            // `http` would drop the fragment without a word; a request target has none.
            return Err(Error::input(format!(
                "request target {target:?} has a fragment"
            )));
        }
        let uri = http::Uri::try_from(target)
            .map_err(|e| Error::input(format!("request target {target:?}: {e}")))?;
        let headers = http::HeaderMap::try_from(req.headers())?;
        let (mut parts, ()) = http::Request::new(()).into_parts();
        parts.method = method;
        parts.uri = uri;
        parts.version = req.version().into();
        parts.headers = headers;
        Ok(parts)
    }
}

impl TryFrom<&Request> for http::Request<()> {
    type Error = Error;

    /// # Errors
    /// As for [`http::request::Parts`].
    fn try_from(req: &Request) -> Result<Self, Error> {
        http::request::Parts::try_from(req).map(|parts| Self::from_parts(parts, ()))
    }
}

/// An HTTP/1.1 request head; the URI becomes the request target.
impl TryFrom<&http::request::Parts> for Request {
    type Error = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a version other
    /// than HTTP/1.0 and 1.1, a URI that is not a target h1 sends (one with a byte outside
    /// visible ASCII, which `http` allows in paths), or a field as for [`Headers`].
    fn try_from(parts: &http::request::Parts) -> Result<Self, Error> {
        request_from_http(&parts.method, &parts.uri, parts.version, &parts.headers)
    }
}

impl<B> TryFrom<&http::Request<B>> for Request {
    type Error = Error;

    /// # Errors
    /// As from [`http::request::Parts`]. The body is not looked at.
    fn try_from(req: &http::Request<B>) -> Result<Self, Error> {
        request_from_http(req.method(), req.uri(), req.version(), req.headers())
    }
}

fn request_from_http(
    method: &http::Method,
    uri: &http::Uri,
    version: http::Version,
    headers: &http::HeaderMap,
) -> Result<Request, Error> {
    Version::try_from(version)?;
    // An origin-form URI is its path and query as they are; others are written out.
    let written;
    let target = match (uri.scheme(), uri.authority(), uri.path_and_query()) {
        (None, None, Some(pq)) => pq.as_str(),
        _ => {
            written = uri.to_string();
            &written
        }
    };
    let mut req = Request::new(method.as_str(), target)?;
    *req.headers_mut() = Headers::try_from(headers)?;
    Ok(req)
}

/// The status, version and fields; the reason phrase is left out (`http` has no place
/// for it).
impl TryFrom<&Response> for http::response::Parts {
    type Error = Error;

    /// # Errors
    /// As for [`http::HeaderMap`].
    fn try_from(res: &Response) -> Result<Self, Error> {
        // 100–599 on parse and in `Response::new`, so always a valid `StatusCode`.
        let status = http::StatusCode::from_u16(res.status())
            .map_err(|e| Error::input(format!("status {}: {e}", res.status())))?;
        let headers = http::HeaderMap::try_from(res.headers())?;
        let (mut parts, ()) = http::Response::new(()).into_parts();
        parts.status = status;
        parts.version = res.version().into();
        parts.headers = headers;
        Ok(parts)
    }
}

impl TryFrom<&Response> for http::Response<()> {
    type Error = Error;

    /// # Errors
    /// As for [`http::response::Parts`].
    fn try_from(res: &Response) -> Result<Self, Error> {
        http::response::Parts::try_from(res).map(|parts| Self::from_parts(parts, ()))
    }
}

/// An HTTP/1.1 response head with the usual reason phrase of the status.
impl TryFrom<&http::response::Parts> for Response {
    type Error = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a status over 599
    /// (`http` allows up to 999), a version other than HTTP/1.0 and 1.1, or a field as
    /// for [`Headers`].
    fn try_from(parts: &http::response::Parts) -> Result<Self, Error> {
        response_from_http(parts.status, parts.version, &parts.headers)
    }
}

impl<B> TryFrom<&http::Response<B>> for Response {
    type Error = Error;

    /// # Errors
    /// As from [`http::response::Parts`]. The body is not looked at.
    fn try_from(res: &http::Response<B>) -> Result<Self, Error> {
        response_from_http(res.status(), res.version(), res.headers())
    }
}

fn response_from_http(
    status: http::StatusCode,
    version: http::Version,
    headers: &http::HeaderMap,
) -> Result<Response, Error> {
    Version::try_from(version)?;
    let mut res = Response::new(status.as_u16())?;
    if res.reason().is_empty() {
        // h1 knows the common phrases; `http` knows every registered one.
        if let Some(reason) = status.canonical_reason() {
            res = res.with_reason(reason)?;
        }
    }
    *res.headers_mut() = Headers::try_from(headers)?;
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Connection, ErrorKind, Event, Role};
    use alloc::vec::Vec;
    use bytes::Bytes;

    /// A request as a server receives it.
    fn received(head: &[u8]) -> Request {
        let mut server = Connection::new(Role::Server);
        server.receive(head).unwrap();
        match server.next_event() {
            Ok(Event::Request(req)) => req,
            other => panic!("expected a request, got {other:?}"),
        }
    }

    /// A response as a client receives it (to a GET).
    fn received_response(head: &[u8]) -> Response {
        let mut client = Connection::new(Role::Client);
        let req = Request::new("GET", "/")
            .unwrap()
            .with_header("Host", "a")
            .unwrap();
        let _ = client.send_request(&req).unwrap();
        let _ = client.send_end().unwrap();
        client.receive(head).unwrap();
        match client.next_event() {
            Ok(Event::Response(res)) => res,
            other => panic!("expected a response, got {other:?}"),
        }
    }

    fn pairs(map: &http::HeaderMap) -> Vec<(&str, &[u8])> {
        map.iter()
            .map(|(n, v)| (n.as_str(), v.as_bytes()))
            .collect()
    }

    #[test]
    fn request_to_http_keeps_method_target_version_fields() {
        let req = received(b"PATCH /items/7?x=1 HTTP/1.0\r\nHost: a\r\nX-Trace-ID: t1\r\n\r\n");
        let parts = http::request::Parts::try_from(&req).unwrap();
        assert_eq!(parts.method, http::Method::PATCH);
        assert_eq!(parts.uri.path(), "/items/7");
        assert_eq!(parts.uri.query(), Some("x=1"));
        assert_eq!(parts.version, http::Version::HTTP_10);
        assert_eq!(
            pairs(&parts.headers),
            [("host", &b"a"[..]), ("x-trace-id", b"t1")]
        );
        let whole = http::Request::<()>::try_from(&req).unwrap();
        assert_eq!(whole.method(), "PATCH");
        assert_eq!(whole.uri(), "/items/7?x=1");
    }

    #[test]
    fn extension_methods_both_ways() {
        for method in ["PROPFIND", "QUERY", "X-CUSTOM_1", "M!#$%&'*+-.^_`|~"] {
            let req = Request::new(method, "/").unwrap();
            let parts = http::request::Parts::try_from(&req).unwrap();
            assert_eq!(parts.method.as_str(), method);
            let back = Request::try_from(&parts).unwrap();
            assert_eq!(back.method(), method);
        }
        // Methods are case-sensitive on both sides.
        let parts = http::request::Parts::try_from(&Request::new("get", "/").unwrap()).unwrap();
        assert_ne!(parts.method, http::Method::GET);
        assert_eq!(parts.method.as_str(), "get");
    }

    #[test]
    fn duplicate_fields_keep_their_order_and_lose_names_case_and_interleaving() {
        let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
        for i in 0..40 {
            head.extend_from_slice(format!("Set-Cookie: c{i}=v\r\nX-Other: {i}\r\n").as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        let req = received(&head);
        assert_eq!(req.headers().len(), 81);
        let map = http::HeaderMap::try_from(req.headers()).unwrap();
        assert_eq!(map.len(), 81);
        let cookies: Vec<_> = map.get_all("set-cookie").iter().collect();
        assert_eq!(cookies.len(), 40);
        for (i, c) in cookies.iter().enumerate() {
            assert_eq!(c.as_bytes(), format!("c{i}=v").as_bytes());
        }
        // Back in h1: every field, each name's values in order, names grouped and lower
        // case (the interleaving and the case are what a HeaderMap loses).
        let back = Headers::try_from(&map).unwrap();
        assert_eq!(back.len(), 81);
        let names: Vec<_> = back.iter().map(|(n, _)| n).collect();
        assert_eq!(names[0], "host");
        assert!(names[1..41].iter().all(|n| *n == "set-cookie"));
        assert!(names[41..].iter().all(|n| *n == "x-other"));
        let others: Vec<_> = back.get_all("X-Other").collect();
        let want: Vec<_> = (0..40).map(|i| i.to_string()).collect();
        assert_eq!(
            others,
            want.iter().map(|s| s.as_bytes()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn more_fields_than_a_header_map_holds_is_an_error() {
        let mut built = Headers::new();
        for i in 0..1000 {
            built.append("Via", format!("1.1 p{i}")).unwrap();
        }
        let map = http::HeaderMap::try_from(&built).unwrap();
        let vias: Vec<_> = map.get_all("via").iter().map(|v| v.as_bytes()).collect();
        assert_eq!(vias.len(), 1000);
        assert_eq!((vias[0], vias[999]), (&b"1.1 p0"[..], &b"1.1 p999"[..]));

        // A HeaderMap holds at most 32,768 fields.
        for i in 1000..40_000 {
            built.append("Via", format!("1.1 p{i}")).unwrap();
        }
        let e = http::HeaderMap::try_from(&built).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("HeaderMap"), "{e}");
    }

    #[test]
    fn obs_text_values_go_through_unchanged() {
        let req = received(b"GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xe9 \xff\x80\tok\r\n\r\n");
        let map = http::HeaderMap::try_from(req.headers()).unwrap();
        let value = &map["x-name"];
        assert_eq!(value.as_bytes(), b"caf\xe9 \xff\x80\tok");
        assert!(value.to_str().is_err(), "not UTF-8, and kept so");
        let back = Headers::try_from(&map).unwrap();
        assert_eq!(back.get("x-name"), Some(&b"caf\xe9 \xff\x80\tok"[..]));
        // Built (not parsed) fields too.
        let mut built = Headers::new();
        built.append("X-Bin", b"\x80\xfe").unwrap();
        let map = http::HeaderMap::try_from(&built).unwrap();
        assert_eq!(map["x-bin"].as_bytes(), b"\x80\xfe");
    }

    #[test]
    fn parsed_values_are_slices_of_the_head() {
        let req = received(b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
        let map = http::HeaderMap::try_from(req.headers()).unwrap();
        let in_h1 = req.headers().get("host").unwrap();
        assert_eq!(map["host"].as_bytes().as_ptr(), in_h1.as_ptr());
    }

    #[test]
    fn target_forms_both_ways() {
        let cases = [
            // (target, scheme, authority, path, query)
            ("/p/q?a=1&b", None, None, "/p/q", Some("a=1&b")),
            (
                "http://example.com:8080/p?q",
                Some("http"),
                Some("example.com:8080"),
                "/p",
                Some("q"),
            ),
            ("example.com:443", None, Some("example.com:443"), "", None),
            ("[::1]:8443", None, Some("[::1]:8443"), "", None),
            ("*", None, None, "*", None),
        ];
        for (target, scheme, authority, path, query) in cases {
            let method = match target {
                "*" => "OPTIONS",
                t if !t.starts_with('/') && !t.contains("://") => "CONNECT",
                _ => "GET",
            };
            let req = Request::new(method, target).unwrap();
            let parts = http::request::Parts::try_from(&req).unwrap();
            assert_eq!(parts.uri.scheme_str(), scheme, "{target}");
            assert_eq!(
                parts.uri.authority().map(|a| a.as_str()),
                authority,
                "{target}"
            );
            assert_eq!(parts.uri.path(), path, "{target}");
            assert_eq!(parts.uri.query(), query, "{target}");
            let back = Request::try_from(&parts).unwrap();
            assert_eq!(back.target(), target);
            assert_eq!(back.method(), method);
        }
        // A CONNECT received by a server, through http::Request and back.
        let req = received(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        let http_req = http::Request::<()>::try_from(&req).unwrap();
        assert_eq!(http_req.method(), http::Method::CONNECT);
        assert_eq!(http_req.uri().host(), Some("example.com"));
        assert_eq!(http_req.uri().port_u16(), Some(443));
        let back = Request::try_from(&http_req).unwrap();
        assert_eq!(
            (back.method(), back.target()),
            ("CONNECT", "example.com:443")
        );
        assert_eq!(back.headers().get("Host"), Some(&b"example.com:443"[..]));
    }

    #[test]
    fn targets_that_do_not_convert_are_errors() {
        let req = received(b"GET /p#frag HTTP/1.1\r\nHost: a\r\n\r\n");
        let e = http::request::Parts::try_from(&req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("fragment"), "{e}");
        // `<` is visible ASCII (h1 takes it) but not a URI character.
        let req = received(b"GET /a<b> HTTP/1.1\r\nHost: a\r\n\r\n");
        let e = http::request::Parts::try_from(&req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("/a<b>"), "{e}");
        // `http` takes UTF-8 in a path; a request target is ASCII.
        let parts = http::Request::get("/caf\u{e9}")
            .body(())
            .unwrap()
            .into_parts()
            .0;
        let e = Request::try_from(&parts).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn versions_other_than_1x_are_refused() {
        for v in [
            http::Version::HTTP_09,
            http::Version::HTTP_2,
            http::Version::HTTP_3,
        ] {
            let req = http::Request::builder().version(v).body(()).unwrap();
            let e = Request::try_from(&req).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.message().contains("HTTP/1.0 or HTTP/1.1"), "{e}");
            let res = http::Response::builder().version(v).body(()).unwrap();
            assert!(Response::try_from(&res).is_err());
            assert!(Version::try_from(v).is_err());
        }
        let req = http::Request::builder()
            .version(http::Version::HTTP_10)
            .uri("/")
            .body(())
            .unwrap();
        // Sent as HTTP/1.1, as every head h1 writes.
        assert_eq!(Request::try_from(&req).unwrap().version(), Version::Http11);
        for v in [Version::Http10, Version::Http11] {
            assert_eq!(Version::try_from(http::Version::from(v)).unwrap(), v);
        }
    }

    #[test]
    fn request_from_http_is_sent_as_is() {
        let req = http::Request::post("http://proxy.example/up")
            .header("Host", "proxy.example")
            .header("X-A", "1")
            .header("x-a", "2")
            .header("Content-Length", "2")
            .body(b"hi")
            .unwrap();
        let head = Request::try_from(&req).unwrap();
        let mut client = Connection::new(Role::Client);
        let mut wire = client.send_request(&head).unwrap().to_vec();
        wire.extend(
            client
                .send_data(Bytes::from_static(*req.body()))
                .unwrap()
                .to_vec(),
        );
        wire.extend(client.send_end().unwrap().to_vec());
        assert_eq!(
            wire,
            b"POST http://proxy.example/up HTTP/1.1\r\nhost: proxy.example\r\n\
              x-a: 1\r\nx-a: 2\r\ncontent-length: 2\r\n\r\nhi"
        );
    }

    #[test]
    fn values_h1_cannot_send_are_errors() {
        let req = http::Request::get("/")
            .header("x-pad", http::HeaderValue::from_static(" padded"))
            .body(())
            .unwrap();
        let e = Request::try_from(&req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.message().contains("whitespace"), "{e}");
        let map: http::HeaderMap = [(http::header::VIA, http::HeaderValue::from_static("1.1 a\t"))]
            .into_iter()
            .collect();
        assert!(Headers::try_from(&map).is_err());
    }

    #[test]
    fn response_both_ways() {
        let res = received_response(
            b"HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\nVary: A\r\nvary: B\r\n\r\n",
        );
        let parts = http::response::Parts::try_from(&res).unwrap();
        assert_eq!(parts.status, http::StatusCode::IM_A_TEAPOT);
        assert_eq!(parts.version, http::Version::HTTP_11);
        assert_eq!(
            pairs(&parts.headers),
            [
                ("content-length", &b"0"[..]),
                ("vary", b"A"),
                ("vary", b"B")
            ]
        );
        // The reason phrase has no place in `http`: the usual one comes back.
        let back = Response::try_from(&parts).unwrap();
        assert_eq!(back.status(), 418);
        assert_eq!(back.reason(), b"I'm a teapot");
        let res = received_response(b"HTTP/1.0 200 Fine\r\nContent-Length: 0\r\n\r\n");
        let whole = http::Response::<()>::try_from(&res).unwrap();
        assert_eq!(whole.version(), http::Version::HTTP_10);
        assert_eq!(Response::try_from(&whole).unwrap().reason(), b"OK");
        // Informational responses convert too.
        let parts = http::response::Parts::try_from(&Response::new(103).unwrap()).unwrap();
        assert!(parts.status.is_informational());
    }

    #[test]
    fn statuses_h1_refuses_are_errors() {
        for status in [600, 700, 999] {
            let res = http::Response::builder().status(status).body(()).unwrap();
            let e = Response::try_from(&res).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{status}");
        }
        // A status h1 has no phrase for takes `http`'s, or none.
        let res = http::Response::builder().status(425).body(()).unwrap();
        assert_eq!(Response::try_from(&res).unwrap().reason(), b"Too Early");
        let res = http::Response::builder().status(599).body(()).unwrap();
        assert_eq!(Response::try_from(&res).unwrap().reason(), b"");
    }

    #[test]
    fn trailers_convert() {
        let mut conn = Connection::new(Role::Server);
        conn.receive(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\
              0\r\nX-Checksum: abc\r\nX-Checksum: def\r\n\r\n",
        )
        .unwrap();
        assert!(matches!(conn.next_event(), Ok(Event::Request(_))));
        let Ok(Event::EndOfMessage(trailers)) = conn.next_event() else {
            panic!("no end")
        };
        let map = http::HeaderMap::try_from(&trailers).unwrap();
        let sums: Vec<_> = map.get_all("x-checksum").iter().collect();
        assert_eq!(sums, ["abc", "def"]);
        assert_eq!(Headers::try_from(&map).unwrap().len(), 2);
        assert!(http::HeaderMap::try_from(&Headers::new())
            .unwrap()
            .is_empty());
    }
}
