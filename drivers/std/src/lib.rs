//! # h1-std: a blocking HTTP/1.1 client and server over `std::net`
//!
//! A thin driver around the sans-IO [`h1::Connection`]: it owns sockets, buffers, threads,
//! timeouts and the connection pool; every protocol decision is the core's.
//!
//! ## Cargo features
//! - `encoding`: charsets other than UTF-8 for decoded text lines (through `encoding_rs`).
//! - `http`: requests and responses as the [`http`](https://docs.rs/http/1) crate's types:
//!   `Client::send_http` sends an `http::Request<B>` and gives an `http::Response` whose
//!   body (`ResponseBody`) is read lazily; handlers read `Incoming::http_request` and reply
//!   with an `http::Response<B>` (`Reply: TryFrom`). See `docs/client.md` and
//!   `docs/server.md`.

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: items behind a feature are labelled with it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unreachable_pub, clippy::use_self)]

mod body;
mod client;
mod conn;
mod doc;
#[cfg(feature = "http")]
mod response_body;

pub use body::{Body, Chunks, Lines, TextLines};
pub use client::{
    Client, ClientConfig, Connector, Released, RequestBuilder, Response, TcpConnector,
};
pub use conn::{Conn, Duplex, Stream};
pub use h1_common::client::ClientStats;
#[cfg(feature = "http")]
pub use h1_common::FullBody;
pub use h1_common::{
    Charset, Counters, Error, ErrorKind, Framing, Malformed, PoolConfig, PoolKey, TextOptions, Url,
};
#[cfg(feature = "http")]
pub use response_body::ResponseBody;

pub mod server;

/// `docs/server.md`: its examples compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/server.md")]
struct ServerDocs;

/// The README's examples (a client and a server of this crate, and the core alone),
/// compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDocs;

/// `docs/client.md`: its examples compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/client.md")]
struct ClientDocs;
