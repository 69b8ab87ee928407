//! What both drivers need to take and give the `http` crate's types (feature `http`): the
//! bodies an `http::Request<B>` or `http::Response<B>` may carry, and a client request
//! built from `http::request::Parts`. The heads themselves convert through h1's own
//! conversions (`h1::http_interop`, with what a `HeaderMap` keeps and loses).

use bytes::{Bytes, BytesMut};

use crate::client::{ClientConfig, RequestParts};
use crate::{Error, ErrorKind};

/// A body whose bytes are all at hand, as an `http::Request<B>` a client sends or an
/// `http::Response<B>` a handler replies with carries it: `()` for no body, or bytes
/// ([`Bytes`], [`BytesMut`], `Vec<u8>`, `Box<[u8]>`, `String`, `&'static str`,
/// `&'static [u8]`).
///
/// A request with `()` goes out without a body (no `Content-Length`); one with bytes, even
/// empty, goes out with `Content-Length`. A reply's `()` is an empty body.
///
/// ```
/// use h1_common::FullBody;
///
/// assert_eq!(().into_body_bytes(), None);
/// assert_eq!("hi".into_body_bytes().as_deref(), Some(&b"hi"[..]));
/// assert_eq!(Vec::<u8>::new().into_body_bytes().map(|b| b.len()), Some(0));
/// ```
pub trait FullBody {
    /// The bytes, or `None` for no body at all.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use h1_common::FullBody;
    ///
    /// assert_eq!(String::from("abc").into_body_bytes(), Some(Bytes::from("abc")));
    /// assert_eq!((&b""[..]).into_body_bytes(), Some(Bytes::new())); // empty, but a body
    /// assert_eq!(().into_body_bytes(), None);
    /// ```
    fn into_body_bytes(self) -> Option<Bytes>;
}

impl FullBody for () {
    fn into_body_bytes(self) -> Option<Bytes> {
        None
    }
}

macro_rules! bytes_like {
    ($($t:ty),*) => {$(
        impl FullBody for $t {
            fn into_body_bytes(self) -> Option<Bytes> {
                Some(Bytes::from(self))
            }
        }
    )*};
}

bytes_like!(
    Bytes,
    BytesMut,
    Vec<u8>,
    Box<[u8]>,
    String,
    &'static str,
    &'static [u8]
);

#[doc(hidden)] // as the type is
impl RequestParts {
    /// The parts of a client request from an `http` request head: its method, URI (which
    /// must be absolute, `http://host/path`: it says where to connect), version and
    /// header fields, with `config`'s deadline and read timeout. `body_len` is the length
    /// of the bytes that go with it: a `Content-Length` field equal to it is left out (the
    /// body sets it), any other is kept and fails the request as for
    /// [`header`](Self::header) fields. `Expect: 100-continue` turns
    /// [`expect_continue`](Self::expect_continue) on (the field goes out with a body, and
    /// the body waits for the server's answer). The `extensions` are not looked at.
    ///
    /// Nothing fails here: a URI that is not absolute, a version other than HTTP/1.0 and
    /// HTTP/1.1, or a field h1 cannot send is kept as the error
    /// [`prepare`](Self::prepare) returns, [`ErrorKind::InvalidInput`].
    ///
    /// ```
    /// use h1_common::client::{ClientConfig, RequestParts};
    /// use h1_common::UploadFraming;
    ///
    /// let req = http::Request::post("http://example.com/items?x=1")
    ///     .header("content-type", "application/json")
    ///     .header("content-length", "2")
    ///     .body("{}")?;
    /// let mut parts = RequestParts::from_http(req.into_parts().0, Some(2), &ClientConfig::default());
    /// let (head, key) = parts.prepare(UploadFraming::Length(2))?;
    /// assert_eq!((head.method(), head.target()), ("POST", "/items?x=1"));
    /// assert_eq!(head.headers().get_all("content-length").count(), 1);
    /// assert_eq!(key.host, "example.com");
    ///
    /// let relative = http::Request::get("/items").body(())?.into_parts().0;
    /// let mut parts = RequestParts::from_http(relative, None, &ClientConfig::default());
    /// assert!(parts.prepare(UploadFraming::None).is_err()); // where would it go?
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_http(
        parts: http::request::Parts,
        body_len: Option<u64>,
        config: &ClientConfig,
    ) -> Self {
        let uri = &parts.uri;
        let url = if uri.scheme().is_some() && uri.authority().is_some() {
            uri.to_string()
        } else {
            String::new()
        };
        let mut req = Self::new(parts.method.as_str(), &url, config);
        if url.is_empty() {
            req.fail(Error::new(
                ErrorKind::InvalidInput,
                format!("a client sends to an absolute URI (http://host/path), not {uri:?}"),
            ));
        }
        if let Err(e) = h1::Version::try_from(parts.version) {
            req.fail(Error::from_h1(e));
        }
        let body_len = body_len.map(|n| n.to_string());
        for (name, value) in &parts.headers {
            let set_by_body = name == http::header::CONTENT_LENGTH
                && body_len.as_deref().map(str::as_bytes) == Some(value.as_bytes());
            let continue_asked = name == http::header::EXPECT
                && value.as_bytes().eq_ignore_ascii_case(b"100-continue");
            if continue_asked {
                req.expect_continue = true;
            } else if !set_by_body {
                req.header(name.as_str(), value.as_bytes());
            }
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UploadFraming;

    fn parts(req: http::request::Builder) -> http::request::Parts {
        req.body(()).unwrap().into_parts().0
    }

    fn prepared(req: http::request::Builder, len: Option<u64>) -> Result<h1::Request, Error> {
        let framing = len.map_or(UploadFraming::None, UploadFraming::Length);
        RequestParts::from_http(parts(req), len, &ClientConfig::default())
            .prepare(framing)
            .map(|(head, _)| head)
    }

    #[test]
    fn host_from_the_uri_unless_given_and_fields_in_order() {
        let head = prepared(
            http::Request::delete("http://example.com:8080/a?b")
                .header("x-a", "1")
                .header("x-a", "2"),
            None,
        )
        .unwrap();
        assert_eq!((head.method(), head.target()), ("DELETE", "/a?b"));
        assert_eq!(head.headers().get_str("host"), Some("example.com:8080"));
        let xa: Vec<_> = head.headers().get_all("x-a").collect();
        assert_eq!(xa, [&b"1"[..], b"2"]);
        let head = prepared(
            http::Request::get("http://10.0.0.1/").header("host", "virtual.example"),
            None,
        )
        .unwrap();
        assert_eq!(head.headers().get_all("host").count(), 1);
        assert_eq!(head.headers().get_str("host"), Some("virtual.example"));
    }

    #[test]
    fn the_pool_key_follows_the_scheme() {
        let mut req = RequestParts::from_http(
            parts(http::Request::get("https://example.com/")),
            None,
            &ClientConfig::default(),
        );
        let (_, key) = req.prepare(UploadFraming::None).unwrap();
        assert_eq!((key.scheme.as_str(), key.port), ("https", 443));
    }

    #[test]
    fn expect_continue_is_the_option_not_a_copied_field() {
        let req = RequestParts::from_http(
            parts(http::Request::put("http://a/").header("expect", "100-Continue")),
            Some(3),
            &ClientConfig::default(),
        );
        assert!(req.expect_continue);
        assert!(!req.headers().contains("expect"));
        let head = prepared(
            http::Request::put("http://a/").header("expect", "100-continue"),
            Some(3),
        )
        .unwrap();
        assert_eq!(head.headers().get_all("expect").count(), 1);
    }

    #[test]
    fn what_cannot_be_sent_fails_at_prepare_with_the_first_error() {
        let cases = [
            (http::Request::get("/relative"), None, "absolute"),
            (http::Request::get("example.com:443"), None, "absolute"),
            (
                http::Request::get("http://a/").version(http::Version::HTTP_3),
                None,
                "HTTP/1.1",
            ),
            (
                http::Request::post("http://a/").header("content-length", "4"),
                Some(3),
                "Content-Length",
            ),
            (
                http::Request::post("http://a/").header("content-length", "3"),
                None,
                "Content-Length",
            ),
            (
                // The URI's error comes first.
                http::Request::get("/x").version(http::Version::HTTP_2),
                None,
                "absolute",
            ),
        ];
        for (req, len, word) in cases {
            let e = prepared(req, len).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            assert!(e.message().contains(word), "{word}: {e}");
        }
        assert!(prepared(
            http::Request::post("http://a/").header("content-length", "3"),
            Some(3)
        )
        .is_ok());
    }

    #[test]
    fn full_bodies() {
        assert_eq!(().into_body_bytes(), None);
        let all = [
            Bytes::from_static(b"ab").into_body_bytes(),
            BytesMut::from(&b"ab"[..]).into_body_bytes(),
            b"ab".to_vec().into_body_bytes(),
            Box::<[u8]>::from(&b"ab"[..]).into_body_bytes(),
            String::from("ab").into_body_bytes(),
            "ab".into_body_bytes(),
            (&b"ab"[..]).into_body_bytes(),
        ];
        for body in all {
            assert_eq!(body.as_deref(), Some(&b"ab"[..]));
        }
    }
}
