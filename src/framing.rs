//! How a message's body is delimited: the one answer both directions give.

/// How the body of a message is delimited (RFC 9112 §6.3).
///
/// Received: [`Connection::incoming_framing`](crate::Connection::incoming_framing) after
/// the head arrived, so a server can refuse a body too large (413) before it answers
/// `100 Continue`. Sent: [`Connection::response_framing`](crate::Connection::response_framing)
/// says which framing a response would get before it is sent.
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
