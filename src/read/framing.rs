//! Where an incoming message's body ends: RFC 9112 §6.3, every rule, strictly.
//!
//! Each function here maps a head to one [`Framing`] or refuses it. A head that two
//! parsers could frame differently is refused, never guessed at.

use crate::config::Limits;
use crate::error::{Error, ErrorKind, Limit};
use crate::event::{Request, Response, Version};
use crate::headers::{split_list, trim, Headers, ProtocolFields};

use crate::framing::{content_length, response_has_body, Framing, MethodKind, Repeats};

/// What the transfer codings of a message are, in the terms framing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Codings {
    /// `chunked` is the final coding (applied once, without parameters).
    last_chunked: bool,
    /// A coding other than `chunked` is present.
    other: bool,
}

/// The transfer codings in a message, in order, or why they are refused.
fn transfer_codings(headers: &Headers) -> Result<Codings, Error> {
    let mut seen_chunked = false;
    let mut last_chunked = false;
    let mut other = false;
    let mut any = false;
    let at = |part: &[u8]| headers.offset_of(part);
    for value in headers.get_all("transfer-encoding") {
        for coding in split_list(value) {
            any = true;
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            let name = trim(coding.split(|&b| b == b';').next().unwrap_or_default());
            if !crate::headers::is_token(name) {
                return Err(
                    Error::framing("Transfer-Encoding has an invalid coding").at(at(coding))
                );
            }
            if name.eq_ignore_ascii_case(b"chunked") {
                if seen_chunked {
                    return Err(Error::framing("chunked is applied more than once").at(at(coding)));
                }
                if coding.len() != name.len() {
                    return Err(Error::framing("chunked takes no parameters").at(at(coding)));
                }
                seen_chunked = true;
                last_chunked = true;
            } else {
                other = true;
                last_chunked = false;
            }
        }
    }
    if !any {
        return Err(Error::framing("Transfer-Encoding is empty").at(te_at(headers)));
    }
    Ok(Codings {
        last_chunked,
        other,
    })
}

/// Where the first Transfer-Encoding field's value starts in the head.
#[cold]
fn te_at(headers: &Headers) -> usize {
    headers
        .get_all("transfer-encoding")
        .next()
        .map_or(0, |v| headers.offset_of(v))
}

/// The framing of a request (server role), or why it is refused.
pub(crate) fn request_body(
    req: &Request,
    protocol: &ProtocolFields,
    limits: &Limits,
) -> Result<Framing, Error> {
    let headers = req.headers();
    let kind = if protocol.transfer_encoding() > 0 {
        if req.version() == Version::Http10 {
            return Err(
                Error::framing("Transfer-Encoding in an HTTP/1.0 request").at(te_at(headers))
            );
        }
        if protocol.content_length() > 0 {
            // The later of the two fields is the one too many.
            let te = headers.name_offset("transfer-encoding", 0).unwrap_or(0);
            let cl = headers.name_offset("content-length", 0).unwrap_or(0);
            return Err(
                Error::framing("a request with both Transfer-Encoding and Content-Length")
                    .at(te.max(cl)),
            );
        }
        let Codings {
            last_chunked,
            other,
        } = transfer_codings(headers)?;
        if !last_chunked {
            return Err(
                Error::framing("request Transfer-Encoding does not end in chunked")
                    .at(te_at(headers)),
            );
        }
        if other {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                "request uses a transfer coding other than chunked",
            )
            .at(te_at(headers)));
        }
        Framing::Chunked
    } else if protocol.content_length() > 0 {
        Framing::Length(content_length(headers, protocol, Repeats::Refused)?.unwrap_or_default())
    } else {
        Framing::NoBody
    };
    check_body_limit(kind, headers, protocol, limits)?;
    Ok(kind)
}

/// How a received response's body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResponseBody {
    pub(crate) framing: Framing,
    /// The connection must close after this response: its body ends with the connection,
    /// or it had both Transfer-Encoding and Content-Length.
    pub(crate) must_close: bool,
}

/// The framing of a response to a request made with `method` (client role), and whether
/// the connection must close after it.
pub(crate) fn response_body(
    res: &Response,
    protocol: &ProtocolFields,
    method: MethodKind,
    limits: &Limits,
) -> Result<ResponseBody, Error> {
    if !response_has_body(method, res.status()) {
        return Ok(ResponseBody {
            framing: Framing::NoBody,
            must_close: false,
        });
    }
    let headers = res.headers();
    let (kind, close) = if protocol.transfer_encoding() > 0 {
        if res.version() == Version::Http10 {
            return Err(
                Error::framing("Transfer-Encoding in an HTTP/1.0 response").at(te_at(headers))
            );
        }
        // With Content-Length too, Transfer-Encoding wins, and the connection must close
        // after this response (RFC 9112 §6.3 rule 3).
        let both = protocol.content_length() > 0;
        if transfer_codings(headers)?.last_chunked {
            (Framing::Chunked, both)
        } else {
            (Framing::UntilClose, true)
        }
    } else {
        match content_length(headers, protocol, Repeats::IdenticalAllowed)? {
            Some(n) => (Framing::Length(n), false),
            None => (Framing::UntilClose, true),
        }
    };
    check_body_limit(kind, headers, protocol, limits)?;
    Ok(ResponseBody {
        framing: kind,
        must_close: close,
    })
}

/// A Content-Length over `Limits::max_body_size` is refused at the value that says it.
fn check_body_limit(
    kind: Framing,
    headers: &Headers,
    protocol: &ProtocolFields,
    limits: &Limits,
) -> Result<(), Error> {
    match (kind, limits.max_body_size) {
        (Framing::Length(n), Some(max)) if n > max => {
            let value = headers.value_at(protocol.content_length_at());
            Err(Error::over(Limit::DeclaredBody(n), max).at(headers.offset_of(value)))
        }
        _ => Ok(()),
    }
}

/// Host rules of RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host; a request never
/// has two. The value must be a valid authority (no userinfo, path or whitespace).
pub(crate) fn check_host(req: &Request, protocol: &ProtocolFields) -> Result<(), Error> {
    match protocol.host() {
        // Refused at the empty line that ends the head without one.
        0 if req.version() == Version::Http11 => Err(Error::malformed(
            "HTTP/1.1 request without a Host header field",
        )
        .at(req.headers().storage().len().saturating_sub(2))),
        0 => Ok(()),
        1 if req
            .headers()
            .value_at(protocol.host_at())
            .iter()
            .all(|&b| is_authority_byte(b)) =>
        {
            Ok(())
        }
        1 => {
            let headers = req.headers();
            let value = headers.value_at(protocol.host_at());
            Err(
                Error::malformed("Host header field is not a valid host[:port]")
                    .at(headers.offset_of(value)),
            )
        }
        _ => Err(Error::malformed("more than one Host header field")
            .at(req.headers().name_offset("host", 1).unwrap_or(0))),
    }
}

/// Bytes allowed in an authority (host[:port]) without userinfo: unreserved, sub-delims,
/// ":", "%" (pct-encoding) and "[" "]" (IP literals).
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

fn is_authority_byte(b: u8) -> bool {
    AUTHORITY[b as usize]
}

/// The four request-target forms of RFC 9112 §3.2, each allowed only where it belongs.
pub(crate) fn check_target(req: &Request) -> Result<(), Error> {
    let target = req.target_bytes();
    check_target_form(req, target).map_err(|e| e.at(req.headers().offset_of(target)))
}

fn check_target_form(req: &Request, target: &[u8]) -> Result<(), Error> {
    let connect = req.method_bytes() == b"CONNECT";
    if connect {
        // authority-form: host:port, nothing else.
        let ok = !target.starts_with(b"/")
            && target.iter().all(|&b| is_authority_byte(b) && b != b'@')
            && target.iter().rposition(|&b| b == b':').is_some_and(|i| {
                let port = &target[i + 1..];
                i > 0 && !port.is_empty() && port.iter().all(u8::is_ascii_digit)
            });
        return if ok {
            Ok(())
        } else {
            Err(Error::malformed(
                "CONNECT target is not in authority form (host:port)",
            ))
        };
    }
    if target == b"*" {
        return if req.method_bytes() == b"OPTIONS" {
            Ok(())
        } else {
            Err(Error::malformed(
                "asterisk-form target with a method other than OPTIONS",
            ))
        };
    }
    if target.starts_with(b"/") {
        return Ok(());
    }
    // absolute-form: scheme ":" hier-part, scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    // (a scheme is not empty: a target starting with ":" fails the ALPHA).
    let scheme_ok = target.iter().position(|&b| b == b':').is_some_and(|i| {
        target[0].is_ascii_alphabetic()
            && target[..i]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    if scheme_ok {
        Ok(())
    } else {
        Err(Error::malformed(
            "request target is in none of the forms of RFC 9112 §3.2",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: &str, target: &str, headers: &[(&str, &str)]) -> Request {
        let mut r = Request::new(method, target).unwrap();
        for (n, v) in headers {
            r.headers_mut().append(n, v).unwrap();
        }
        r
    }

    fn request_body_of(r: &Request, l: &Limits) -> Result<Framing, Error> {
        request_body(r, &r.headers().protocol_fields(), l)
    }

    fn response_body_of(r: &Response, m: MethodKind, l: &Limits) -> Result<(Framing, bool), Error> {
        response_body(r, &r.headers().protocol_fields(), m, l).map(|b| (b.framing, b.must_close))
    }

    fn check_host_of(r: &Request) -> Result<(), Error> {
        check_host(r, &r.headers().protocol_fields())
    }

    fn res(status: u16, headers: &[(&str, &str)]) -> Response {
        let mut r = Response::new(status).unwrap();
        for (n, v) in headers {
            r.headers_mut().append(n, v).unwrap();
        }
        r
    }

    #[test]
    fn content_length_rules() {
        let l = Limits::default();
        assert_eq!(
            request_body_of(&req("POST", "/", &[("Content-Length", "007")]), &l),
            Ok(Framing::Length(7))
        );
        for bad in ["-1", "+1", "1 2", "0x10", "", "1,", "99999999999999999999"] {
            assert!(
                request_body_of(&req("POST", "/", &[("Content-Length", bad)]), &l).is_err(),
                "{bad}"
            );
        }
        let dup = [("Content-Length", "5"), ("Content-Length", "5")];
        assert!(request_body_of(&req("POST", "/", &dup), &l).is_err());
        assert_eq!(
            response_body_of(&res(200, &dup), MethodKind::Other, &l),
            Ok((Framing::Length(5), false))
        );
        let differ = [("Content-Length", "5, 6")];
        assert!(response_body_of(&res(200, &differ), MethodKind::Other, &l).is_err());
    }

    #[test]
    fn transfer_encoding_rules() {
        let l = Limits::default();
        let te = |v| req("POST", "/", &[("Transfer-Encoding", v)]);
        assert_eq!(request_body_of(&te("chunked"), &l), Ok(Framing::Chunked));
        assert_eq!(request_body_of(&te("CHUNKED"), &l), Ok(Framing::Chunked));
        assert_eq!(
            request_body_of(&te("gzip"), &l).unwrap_err().status_hint(),
            Some(400)
        );
        assert_eq!(
            request_body_of(&te("gzip, chunked"), &l)
                .unwrap_err()
                .status_hint(),
            Some(501)
        );
        assert!(request_body_of(&te("chunked, chunked"), &l).is_err());
        assert!(request_body_of(&te("chunked;x=1"), &l).is_err());
        assert!(request_body_of(&te(""), &l).is_err());
        let both = req(
            "POST",
            "/",
            &[("Transfer-Encoding", "chunked"), ("Content-Length", "3")],
        );
        assert!(request_body_of(&both, &l).is_err());

        let r = res(
            200,
            &[("Transfer-Encoding", "chunked"), ("Content-Length", "3")],
        );
        assert_eq!(
            response_body_of(&r, MethodKind::Other, &l),
            Ok((Framing::Chunked, true))
        );
        let r = res(200, &[("Transfer-Encoding", "chunked, gzip")]);
        assert_eq!(
            response_body_of(&r, MethodKind::Other, &l),
            Ok((Framing::UntilClose, true))
        );
        let r = res(200, &[]);
        assert_eq!(
            response_body_of(&r, MethodKind::Other, &l),
            Ok((Framing::UntilClose, true))
        );
    }

    #[test]
    fn bodiless_responses() {
        let l = Limits::default();
        let te = [("Transfer-Encoding", "chunked")];
        for (status, method) in [
            (200, MethodKind::Head),
            (204, MethodKind::Other),
            (304, MethodKind::Other),
            (100, MethodKind::Other),
            (200, MethodKind::Connect),
        ] {
            assert_eq!(
                response_body_of(&res(status, &te), method, &l),
                Ok((Framing::NoBody, false))
            );
        }
        assert_eq!(
            response_body_of(
                &res(407, &[("Content-Length", "2")]),
                MethodKind::Connect,
                &l
            ),
            Ok((Framing::Length(2), false))
        );
    }

    #[test]
    fn body_limit() {
        let l = Limits {
            max_body_size: Some(10),
            ..Limits::default()
        };
        let e = request_body_of(&req("POST", "/", &[("Content-Length", "11")]), &l).unwrap_err();
        assert_eq!(e.status_hint(), Some(413));
    }

    #[test]
    fn targets_and_hosts() {
        assert!(check_target(&req("GET", "/a?b", &[])).is_ok());
        assert!(check_target(&req("GET", "http://x/y", &[])).is_ok());
        assert!(check_target(&req("OPTIONS", "*", &[])).is_ok());
        assert!(check_target(&req("GET", "*", &[])).is_err());
        assert!(check_target(&req("CONNECT", "example.com:443", &[])).is_ok());
        assert!(check_target(&req("CONNECT", "/x", &[])).is_err());
        assert!(check_target(&req("CONNECT", "example.com", &[])).is_err());
        assert!(check_target(&req("CONNECT", "u@example.com:1", &[])).is_err());
        assert!(check_target(&req("GET", "x", &[])).is_err());
        assert!(check_target(&req("GET", "1http://x", &[])).is_err());
        assert!(check_host_of(&req("GET", "/", &[("Host", "a:80")])).is_ok());
        assert!(check_host_of(&req("GET", "/", &[])).is_err());
        assert!(check_host_of(&req("GET", "/", &[("Host", "a"), ("Host", "a")])).is_err());
        assert!(check_host_of(&req("GET", "/", &[("Host", "a/b")])).is_err());
        assert!(check_host_of(&req("GET", "/", &[("Host", "u@a")])).is_err());
    }
}
