//! # h1-common: what the h1 drivers share and is not I/O
//!
//! The blocking driver (`h1-std`) and the async one (`h1-tokio`) move bytes; every protocol
//! decision is `h1::Connection`'s. What both need beyond that, and which involves no
//! socket, clock or executor, is written once here: building a request from a URL, the
//! pool's bookkeeping (time is passed in), the state of body readers (pieces and lines),
//! charset decoding, and (feature `http`) requests and replies from the `http` crate's
//! types.
//!
//! # What is here for users
//! A program using `h1-std` or `h1-tokio` meets this crate's types through them: the
//! configurations ([`client::ClientConfig`], [`server::ServerConfig`], [`PoolConfig`]),
//! what a client reports ([`client::ClientStats`], [`client::Released`], [`Counters`]),
//! errors ([`Error`], [`ErrorKind`]), and body decoding ([`TextOptions`], [`Charset`],
//! [`Framing`]). The building blocks below them (body-reader state, the idle pool, request
//! heads from URLs, the server's answers to errors and unread bodies) are public for a
//! driver of one's own and documented as such. The two clients' shared internals (their
//! pool and counters behind a lock, the parts of a request builder, the macros that write
//! their common methods) are public only so both drivers can reach them: they are hidden
//! from these docs and may change with the drivers.

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: items behind a feature are labelled with it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unreachable_pub, clippy::use_self)]

mod body;
mod charset;
mod error;
#[cfg(feature = "http")]
mod interop;
mod macros;
mod pool;
mod progress;
mod request;

pub use body::{BodyState, Collect, Framing, Piece};
pub use charset::{content_type_charset, Charset, Malformed, TextDecoder, TextOptions};
pub use error::{Error, ErrorKind};
#[cfg(feature = "http")]
pub use interop::FullBody;
pub use pool::{keep_alive_timeout, IdlePool, PoolConfig, PoolKey};
pub use progress::{Counters, Traffic};
pub use request::{is_idempotent, parse_url, request_head, UploadFraming};
pub use url::Url;

pub mod client;
pub mod server;

#[cfg(test)]
mod tests {
    /// A client connection that sent a GET, with `arrived` received from the server.
    pub(crate) fn asked(arrived: &[u8]) -> h1::Connection {
        let mut conn = h1::Connection::new(h1::Role::Client);
        let req = h1::Request::new("GET", "/")
            .unwrap()
            .with_header("Host", "a")
            .unwrap();
        let _ = conn.send_request(&req).unwrap();
        let _ = conn.send_end().unwrap();
        conn.receive(arrived).unwrap();
        conn
    }
}
