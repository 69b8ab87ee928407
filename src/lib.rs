//! # h1: a sans-IO HTTP/1.1 protocol engine
//!
//! [`Connection`] is a pure state machine for one side of an HTTP/1.1 connection, client or
//! server: bytes go in and come out as [`Event`]s; requests, responses and body pieces go
//! in and come out as bytes ([`Output`]). It holds no socket, clock, thread or executor,
//! so any I/O stack can drive it: blocking, async, or a test feeding it slices.
//!
//! - **Strict framing** (RFC 9112): every message two parsers could frame differently is
//!   refused; see `docs/conformance.md` for every rule and the test that shows it.
//! - **Bounded**: every quantity a peer controls has a [`Limits`] value.
//! - **Streaming and zero-copy**: body pieces ([`Event::Data`]) and lines
//!   ([`Event::LineComplete`]) are [`bytes::Bytes`] slices of the receive buffer (only runs
//!   of tiny chunks, and lines that straddle chunks, are copied); sent bodies are never
//!   copied.
//! - `#![no_std]` with `alloc` when the default `std` feature is off; no `unsafe`.
//!
//! ## A client and a server, in memory
//!
//! ```
//! use h1::{BodyMode, Connection, Event, Request, Response, Role};
//!
//! let mut client = Connection::new(Role::Client);
//! let mut server = Connection::new(Role::Server);
//!
//! // The client sends a request; its bytes go to the server.
//! let req = Request::new("GET", "/stream")?.with_header("Host", "example.com")?;
//! server.receive(&client.send_request(&req)?.to_vec())?;
//! server.receive(&client.send_end()?.to_vec())?;
//!
//! let Event::Request(got) = server.next_event()? else { panic!("expected a request") };
//! assert_eq!(got.target(), "/stream");
//! assert!(matches!(server.next_event()?, Event::EndOfMessage(_)));
//!
//! // The server answers with a chunked NDJSON body (no Content-Length given).
//! let res = Response::new(200)?.with_header("Content-Type", "application/x-ndjson")?;
//! let mut wire = server.send_response(&res)?.to_vec();
//! wire.extend(server.send_data("{\"n\":1}\n{\"n\"".into())?.to_vec());
//! wire.extend(server.send_data(":2}\n".into())?.to_vec());
//! wire.extend(server.send_end()?.to_vec());
//!
//! // The client reads the head first, then the body line by line.
//! client.receive(&wire)?;
//! let Event::Response(res) = client.next_event()? else { panic!("expected a response") };
//! assert_eq!(res.status(), 200);
//! client.set_body_mode(BodyMode::Lines)?;
//! let mut lines = Vec::new();
//! loop {
//!     match client.next_event()? {
//!         Event::LineComplete(line) => lines.push(line),
//!         Event::EndOfMessage(_) => break,
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! assert_eq!(lines, ["{\"n\":1}", "{\"n\":2}"]);
//!
//! // Both sides are done: the connection is reused.
//! client.start_next_cycle()?;
//! server.start_next_cycle()?;
//! # Ok::<(), h1::Error>(())
//! ```
//!
//! ## Cargo features
//! - `std` (default): `std::error::Error` for [`Error`]; without it the crate is `no_std`
//!   with `alloc`.
//! - `http`: conversions between h1's heads and the [`http`](https://docs.rs/http/1) crate's
//!   `request::Parts`, `response::Parts` and `HeaderMap`, in the `http_interop` module (implies `std`).
//!
//! ## Where to go next
//! - [`Connection`]: the driver loop, step by step.
//! - [`Event`] and [`BodyMode`]: what comes out, and how bodies are cut.
//! - [`Error`]: local misuse vs. peer violations, with the status to answer.
//! - `examples/trace/`: raw bytes in, events out as JSON lines — a debugging tool.
//! - `docs/` in the repository: a short book read in order (`docs/README.md`), from an
//!   overview through the state machine, conformance and streaming to security and limits.

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs`: items behind a feature are labelled with it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unreachable_pub, clippy::use_self)]

extern crate alloc;

mod config;
mod connection;
mod error;
mod event;
mod framing;
mod headers;
#[cfg(feature = "http")]
pub mod http_interop;
mod read;
mod state;
mod write;

pub use bytes::{Buf, Bytes};
pub use config::{Buffers, Limits};
pub use connection::Connection;
pub use error::{Error, ErrorKind};
pub use event::{BodyMode, Event, Request, Response, Version};
pub use framing::Framing;
pub use headers::{Headers, Iter as HeaderIter};
pub use state::{Role, State};
pub use write::output::{Output, OutputIter};

/// docs/security.md's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/security.md")]
struct SecurityDoctests;

/// docs/streaming.md's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/streaming.md")]
struct StreamingDoctests;

/// docs/embedding.md's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/embedding.md")]
struct EmbeddingDoctests;
