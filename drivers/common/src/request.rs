//! Building a request head from a URL: the target (path and query), `Host`, and the
//! framing fields that follow from the body.

use url::{Position, Url};

use crate::error::{Error, ErrorKind};
use crate::pool::PoolKey;

/// How a request's body goes on the wire.
///
/// ```
/// use h1_common::{request_head, UploadFraming};
///
/// let url = url::Url::parse("http://example.com/upload")?;
/// let headers = h1::Headers::new();
/// let req = request_head("PUT", &url, &headers, UploadFraming::Length(5), false)?;
/// assert_eq!(req.headers().get_str("content-length"), Some("5"));
/// let req = request_head("GET", &url, &headers, UploadFraming::None, true)?;
/// assert!(!req.headers().contains("content-length") && !req.headers().contains("expect"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadFraming {
    /// No body.
    None,
    /// Exactly this many bytes (`Content-Length`).
    Length(u64),
    /// A body of unknown length, sent in chunks (`Transfer-Encoding: chunked`).
    Chunked,
}

/// True for the methods RFC 9110 §9.2.2 calls idempotent (GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE): a client may send them again after a failure that left their effect unknown.
///
/// ```
/// assert!(h1_common::is_idempotent("GET"));
/// assert!(!h1_common::is_idempotent("POST"));
/// ```
pub fn is_idempotent(method: &str) -> bool {
    matches!(
        method,
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

/// Parses an absolute `http` or `https` URL and returns it with its pool key.
///
/// # Errors
/// [`ErrorKind::InvalidInput`] for an unparsable URL, another scheme, or no host.
///
/// ```
/// let (url, key) = h1_common::parse_url("http://example.com:8080/a b?q")?;
/// assert_eq!(url.path(), "/a%20b");
/// assert_eq!(key.port, 8080);
/// # Ok::<(), h1_common::Error>(())
/// ```
pub fn parse_url(url: &str) -> Result<(Url, PoolKey), Error> {
    let url = Url::parse(url)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("invalid URL {url:?}: {e}")))?;
    let key = PoolKey::from_url(&url)?;
    Ok((url, key))
}

/// The request head for `method` on `url`: the target is the URL's path and query (never
/// its fragment), `Host` is its host (and port when not the default) unless `headers`
/// already has one, then the caller's `headers`, then the framing field of the body and,
/// when asked and there is a body, `Expect: 100-continue`.
///
/// ```
/// use h1_common::{request_head, UploadFraming};
/// let url = url::Url::parse("http://example.com:8080/search?q=1#top")?;
/// let mut headers = h1::Headers::new();
/// headers.append("Accept", "text/plain")?;
/// let req = request_head("POST", &url, &headers, UploadFraming::Chunked, false)?;
/// assert_eq!(req.target(), "/search?q=1");
/// assert_eq!(req.headers().get_str("host"), Some("example.com:8080"));
/// assert_eq!(req.headers().get_str("transfer-encoding"), Some("chunked"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ErrorKind::InvalidInput`] for a method the core refuses, a URL without a host, or
/// `Content-Length` / `Transfer-Encoding` in `headers` (the body decides them).
pub fn request_head(
    method: &str,
    url: &Url,
    headers: &h1::Headers,
    framing: UploadFraming,
    expect_continue: bool,
) -> Result<h1::Request, Error> {
    if headers.contains("content-length") || headers.contains("transfer-encoding") {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "Content-Length and Transfer-Encoding follow from the body; do not set them",
        ));
    }
    let target = match &url[Position::BeforePath..Position::AfterQuery] {
        "" => "/",
        t => t,
    };
    let mut req = h1::Request::new(method, target)?;
    if !headers.contains("host") {
        let host = url.host_str().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("the URL {url} has no host"),
            )
        })?;
        match url.port() {
            Some(port) => req.headers_mut().append("Host", format!("{host}:{port}"))?,
            None => req.headers_mut().append("Host", host)?,
        }
    }
    for (name, value) in headers {
        req.headers_mut().append(name, value)?;
    }
    match framing {
        UploadFraming::None => {}
        UploadFraming::Length(n) => req.headers_mut().append("Content-Length", n.to_string())?,
        UploadFraming::Chunked => req.headers_mut().append("Transfer-Encoding", "chunked")?,
    }
    if expect_continue && framing != UploadFraming::None {
        req.headers_mut().append("Expect", "100-continue")?;
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(url: &str, framing: UploadFraming, expect: bool) -> h1::Request {
        let (url, _) = parse_url(url).unwrap();
        request_head("PUT", &url, &h1::Headers::new(), framing, expect).unwrap()
    }

    #[test]
    fn target_and_host() {
        let r = head("http://a.example", UploadFraming::None, true);
        assert_eq!(r.target(), "/");
        assert_eq!(r.headers().get_str("host"), Some("a.example"));
        assert!(!r.headers().contains("expect"), "no body, no Expect");
        let r = head("http://[::1]:81/x?y=%20#f", UploadFraming::Length(3), true);
        assert_eq!(r.target(), "/x?y=%20");
        assert_eq!(r.headers().get_str("host"), Some("[::1]:81"));
        assert_eq!(r.headers().get_str("content-length"), Some("3"));
        assert_eq!(r.headers().get_str("expect"), Some("100-continue"));
        let r = head("https://a.example:443/", UploadFraming::None, false);
        assert_eq!(r.headers().get_str("host"), Some("a.example"));
    }

    #[test]
    fn callers_host_wins_and_framing_fields_are_refused() {
        let (url, _) = parse_url("http://10.0.0.1/").unwrap();
        let mut h = h1::Headers::new();
        h.append("Host", "virtual.example").unwrap();
        let r = request_head("GET", &url, &h, UploadFraming::None, false).unwrap();
        assert_eq!(r.headers().get_all("host").count(), 1);
        assert_eq!(r.headers().get_str("host"), Some("virtual.example"));
        h.append("Content-Length", "1").unwrap();
        let e = request_head("GET", &url, &h, UploadFraming::None, false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn bad_urls() {
        for bad in ["not a url", "ftp://a/", "file:///etc/passwd", "http://"] {
            assert_eq!(
                parse_url(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad}"
            );
        }
    }
}
