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
/// assert_eq!(().into_bytes(), None);
/// assert_eq!("hi".into_bytes().as_deref(), Some(&b"hi"[..]));
/// assert_eq!(Vec::<u8>::new().into_bytes().map(|b| b.len()), Some(0));
/// ```
pub trait FullBody {
    /// The bytes, or `None` for no body at all.
    fn into_bytes(self) -> Option<Bytes>;
}

impl FullBody for () {
    fn into_bytes(self) -> Option<Bytes> {
        None
    }
}

macro_rules! bytes_like {
    ($($t:ty),*) => {$(
        impl FullBody for $t {
            fn into_bytes(self) -> Option<Bytes> {
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

impl RequestParts {
    /// The parts of a client request from an `http` request head: its method, URI (which
    /// must be absolute, `http://host/path`: it says where to connect), version and
    /// header fields, with `config`'s deadline and read timeout. `body_len` is the length
    /// of the bytes that go with it: a `Content-Length` field equal to it is left out (the
    /// body sets it), any other is kept and fails the request as for
    /// [`header`](Self::header) fields. The `extensions` are not looked at.
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
            if !set_by_body {
                req.header(name.as_str(), value.as_bytes());
            }
        }
        req
    }
}
