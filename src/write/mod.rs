//! The send side: heads and body pieces in, bytes out as a few [`Bytes`](bytes::Bytes).
//!
//! - [`output`]: the [`Output`](crate::Output) handed back by every `send_*` call.
//! - [`head`]: serializing request and response heads.
//! - [`body`]: Content-Length accounting, the chunked encoder, trailers.

pub(crate) mod body;
pub(crate) mod head;
pub(crate) mod output;
