//! # h1-tokio: an async HTTP/1.1 client and server on tokio
//!
//! A thin driver around the sans-IO [`h1::Connection`], the async twin of `h1-std`: it owns
//! sockets, tasks, timers and the connection pool; every protocol decision is the core's,
//! and what both drivers decide beyond it without I/O (body-reader state, charsets, pool
//! bookkeeping, request building, a server's answers to errors and unread bodies) is
//! `h1-common`'s, written once.
//!
//! - [`server::Server`]: a task per connection, async handlers, keep-alive, pipelining,
//!   automatic `100 Continue`, timeouts, graceful shutdown, streamed replies with
//!   backpressure.
//! - [`Body`]: an incoming body read lazily, as [`tokio::io::AsyncRead`], a
//!   [`futures_core::Stream`] of chunks of at most N bytes ([`Body::chunks`]), of lines
//!   ([`Body::lines`]) or of decoded text lines ([`Body::text_lines`]).
//! - [`Conn`]: the glue between a connection and any `AsyncRead + AsyncWrite`: socket
//!   reads land in the connection's receive buffer, writes are vectored from the core's
//!   `Output`s, never copied.
//!
//! ## Cargo features
//! - `encoding`: charsets other than UTF-8 for decoded text lines (through `encoding_rs`).
//! - `http`: requests and responses as the [`http`](https://docs.rs/http/1) crate's types:
//!   `Client::send_http` sends an `http::Request<B>` and gives an `http::Response` whose
//!   body is read lazily; handlers read `Incoming::into_http` and reply with an
//!   `http::Response<B>` (`Reply: TryFrom`).
//!
//! ```
//! use h1_tokio::server::{Incoming, Reply, Server};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let running = Server::bind("127.0.0.1:0").await?.spawn(|req: Incoming| async move {
//!     Ok(Reply::new(200)?.with_body(format!("you asked for {}\n", req.target())))
//! })?;
//! let mut sock = tokio::net::TcpStream::connect(running.local_addr()).await?;
//! sock.write_all(b"GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").await?;
//! let mut answer = String::new();
//! sock.read_to_string(&mut answer).await?;
//! assert!(answer.ends_with("you asked for /hello\n"));
//! running.shutdown().await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: items behind a feature are labelled with it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unreachable_pub, clippy::use_self)]

mod body;
pub mod client;
mod conn;
mod doc;
pub mod server;

pub use body::{Body, Chunks, Lines, Source, TextLines};
pub use conn::Conn;
#[cfg(feature = "http")]
pub use h1_common::FullBody;
pub use h1_common::{
    Charset, Counters, Error, ErrorKind, Framing, Malformed, PoolConfig, PoolKey, TextOptions, Url,
};
