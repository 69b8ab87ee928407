//! How a message's body is delimited, and the framing rules both directions share: the
//! Content-Length grammar, what a method means for its response's body, and keep-alive.
//! The receive side's own rules (which heads are refused) are in `read/framing.rs`.

use crate::error::Error;
use crate::event::Version;
use crate::headers::{eq_lower, trim, Headers, ProtocolFields};

/// How the body of a message is delimited (RFC 9112 §6.3).
///
/// Received: [`Connection::incoming_framing`](crate::Connection::incoming_framing) after
/// the head arrived, so a server can refuse a body too large (413) before it answers
/// `100 Continue`. Sent: [`Connection::response_framing`](crate::Connection::response_framing)
/// says which framing a response would get before it is sent.
///
/// ```
/// use h1::{Connection, Event, Framing, Role};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000\r\n\r\n")?;
/// let Event::Request(_) = server.next_event()? else { panic!() };
/// assert_eq!(server.incoming_framing(), Some(Framing::Length(5_000_000))); // 413 now?
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Framing {
    /// The message has no body: a request without Content-Length or Transfer-Encoding, an
    /// informational (1xx), 204 or 304 response, a response to HEAD, or a 2xx answer to
    /// CONNECT (the connection becomes a tunnel).
    NoBody,
    /// Exactly this many bytes (`Content-Length`).
    Length(u64),
    /// Chunked transfer coding: a body of unknown length, trailers allowed.
    Chunked,
    /// Everything until the connection closes (responses only).
    UntilClose,
}

/// What a request's method means for the framing of its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum MethodKind {
    Head,
    Connect,
    #[default]
    Other,
}

impl MethodKind {
    pub(crate) fn of(method: &[u8]) -> Self {
        match method {
            b"HEAD" => Self::Head,
            b"CONNECT" => Self::Connect,
            _ => Self::Other,
        }
    }
}

/// What a message may do with more than one Content-Length value (RFC 9110 §8.6 allows
/// either choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeats {
    /// Any repetition is refused (requests received, and every message sent).
    Refused,
    /// Several equal values (`42, 42`, or two fields) are taken as one (responses
    /// received).
    IdenticalAllowed,
}

/// The Content-Length of a message: `None` if absent.
///
/// Each value must be 1*DIGIT without sign or whitespace, and fit in a u64; what several
/// values mean is `repeats`.
pub(crate) fn content_length(
    headers: &Headers,
    protocol: &ProtocolFields,
    repeats: Repeats,
) -> Result<Option<u64>, Error> {
    match protocol.content_length() {
        0 => Ok(None),
        1 => length_of(
            core::iter::once(headers.value_at(protocol.content_length_at())),
            headers,
            repeats,
        ),
        _ => length_of(headers.get_all("content-length"), headers, repeats),
    }
}

/// The length the `values` say; an error is at the value (or list element) refused.
fn length_of<'a>(
    values: impl Iterator<Item = &'a [u8]>,
    headers: &Headers,
    repeats: Repeats,
) -> Result<Option<u64>, Error> {
    let allow_identical = repeats == Repeats::IdenticalAllowed;
    let mut found: Option<u64> = None;
    let mut note = |n: u64| match found {
        None => {
            found = Some(n);
            Ok(())
        }
        Some(m) if m == n && allow_identical => Ok(()),
        Some(_) => Err(Error::framing(if allow_identical {
            "Content-Length values differ"
        } else {
            "more than one Content-Length value in a request"
        })),
    };
    for value in values {
        // The usual plain number needs no list splitting.
        if !value.is_empty() && value.iter().all(u8::is_ascii_digit) {
            parse_decimal(value)
                .and_then(&mut note)
                .map_err(|e| e.at(headers.offset_of(value)))?;
            continue;
        }
        for element in value.split(|&b| b == b',') {
            let element = trim(element);
            parse_decimal(element)
                .and_then(&mut note)
                .map_err(|e| e.at(headers.offset_of(element)))?;
        }
    }
    Ok(found)
}

fn parse_decimal(digits: &[u8]) -> Result<u64, Error> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::framing(
            "Content-Length is not a non-negative decimal integer",
        ));
    }
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| Error::framing("Content-Length overflows 64 bits"))
    })
}

/// Whether a response with `status` to a request made with `method` has a body at all
/// (RFC 9110 §6.4.1): not for HEAD, 1xx, 204, 304, nor a 2xx answer to CONNECT.
pub(crate) fn response_has_body(method: MethodKind, status: u16) -> bool {
    !(method == MethodKind::Head
        || status < 200
        || status == 204
        || status == 304
        || method == MethodKind::Connect && (200..300).contains(&status))
}

/// Whether the sender of a message with these headers lets the connection be reused.
/// HTTP/1.1: unless `Connection: close`. HTTP/1.0: only with `Connection: keep-alive`.
pub(crate) fn keep_alive(version: Version, headers: &Headers, protocol: &ProtocolFields) -> bool {
    if protocol.connection() == 0 {
        return version == Version::Http11;
    }
    if protocol.connection() == 1 {
        // The usual single-token values, without splitting a list.
        let value = headers.value_at(protocol.connection_at());
        if eq_lower(value, b"keep-alive") {
            return true;
        }
        if eq_lower(value, b"close") {
            return false;
        }
    }
    if headers.has_token("connection", "close") {
        return false;
    }
    version == Version::Http11 || headers.has_token("connection", "keep-alive")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_alive_defaults() {
        let ka = |v, h: &Headers| keep_alive(v, h, &h.protocol_fields());
        let mut h = Headers::new();
        assert!(ka(Version::Http11, &h));
        assert!(!ka(Version::Http10, &h));
        h.append("Connection", "Keep-Alive").unwrap();
        assert!(ka(Version::Http10, &h));
        h.append("Connection", "close").unwrap();
        assert!(!ka(Version::Http11, &h));
    }

    #[test]
    fn keep_alive_reads_the_connection_field_wherever_it_stands() {
        let mut h = Headers::new();
        h.append("X-A", "close").unwrap();
        h.append("X-B", "close").unwrap();
        h.append("Connection", "keep-alive").unwrap();
        assert!(keep_alive(Version::Http10, &h, &h.protocol_fields()));
        let mut h = Headers::new();
        h.append("X-A", "keep-alive").unwrap();
        h.append("X-B", "keep-alive").unwrap();
        h.append("Connection", "close").unwrap();
        assert!(!keep_alive(Version::Http11, &h, &h.protocol_fields()));
    }
}
