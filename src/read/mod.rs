//! The receive side: bytes in, parsed heads and body pieces out.
//!
//! - [`head`]: find the end of a head (or trailers) incrementally, by position.
//! - [`parse`]: httparse once per head, the checks it does not make, the head as one buffer.
//! - [`framing`]: RFC 9112 §6.3, which framing a head implies, or why it is refused.
//! - [`body`]: one reader per framing (Content-Length, chunked, until close).
//! - [`lines`]: cutting a body into lines for line mode.

pub(crate) mod body;
pub(crate) mod framing;
pub(crate) mod head;
pub(crate) mod lines;
pub(crate) mod parse;
