//! The receive side: bytes in, parsed heads and body pieces out.
//!
//! - [`head`]: find the end of a head (or trailers) incrementally, by position.
//! - [`parse`]: everything httparse does: once per head or trailer section, the checks it
//!   does not make, its errors mapped, the head as one buffer.
//! - [`framing`]: RFC 9112 §6.3, which framing a received head implies, or why it is
//!   refused (the rules both directions share are in `crate::framing`).
//! - [`body`]: the body reader: Content-Length and until-close here, small chunks gathered.
//! - [`chunked`]: the chunked reader, a method per place in the framing.
//! - [`lines`]: cutting a body into lines for line mode.

pub(crate) mod body;
pub(crate) mod chunked;
pub(crate) mod framing;
pub(crate) mod head;
pub(crate) mod lines;
pub(crate) mod parse;
