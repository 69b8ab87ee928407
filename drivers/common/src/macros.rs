//! The methods both clients' public types have alike, written once: each driver expands
//! them inside its own `impl` block, so they stay inherent methods of its types.
//!
//! Their doc examples run in each driver: what differs between the drivers (the crate's
//! path, `.await`, the hidden lines that start a test server or a connection) comes from
//! the driver's own `crate::doc::doc_text!` macro, which each driver defines.

// `crate::doc::doc_text!` is meant to name the calling driver's macro, not this crate's.
#![allow(clippy::crate_in_macro_def)]

/// `get`, `head`, `post`, `put` and `delete` on a client whose `request(method, url)`
/// returns `$builder`.
#[doc(hidden)]
#[macro_export]
macro_rules! client_verbs {
    ($builder:ty, $path:literal) => {
        /// A `GET` request (nothing is sent until the builder's `send`).
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.status(), 200);
        #[doc = crate::doc::doc_text!(close)]
        pub fn get(&self, url: &str) -> $builder {
            self.request("GET", url)
        }

        /// A `HEAD` request (the response has no body).
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.head(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.headers().get_str("content-length"), Some("3")); // what a GET would get
        /// assert_eq!(res.content_length(), Some(0)); // but no body follows
        #[doc = crate::doc::doc_text!(close)]
        pub fn head(&self, url: &str) -> $builder {
            self.request("HEAD", url)
        }

        /// A `POST` request.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.post(&format!(\"{base}/echo\")).body(\"hi\").send()", crate::doc::doc_text!(await), "?;")]
        #[doc = concat!("assert_eq!(res.bytes(100)", crate::doc::doc_text!(await), "?, \"hi\");")]
        #[doc = crate::doc::doc_text!(close)]
        pub fn post(&self, url: &str) -> $builder {
            self.request("POST", url)
        }

        /// A `PUT` request.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.put(&format!(\"{base}/echo\")).body(\"hi\").send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.status(), 405); // the test server's /echo takes POST only
        #[doc = crate::doc::doc_text!(close)]
        pub fn put(&self, url: &str) -> $builder {
            self.request("PUT", url)
        }

        /// A `DELETE` request.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.delete(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.status(), 405); // nothing to delete on the test server
        #[doc = crate::doc::doc_text!(close)]
        pub fn delete(&self, url: &str) -> $builder {
            self.request("DELETE", url)
        }
    };
}

/// A client's `RequestBuilder<'a, C>` (for a driver with `Client<C: Connector>` and an
/// `Upload<'a>` alias of [`Upload`](crate::client::Upload)): the struct with the doc
/// comments given, its `Debug`, the options of [`request_options`] and `body`. The driver
/// adds its streamed bodies and `send` in an `impl` of its own.
#[doc(hidden)]
#[macro_export]
macro_rules! request_builder {
    ($path:literal; $(#[$meta:meta])*) => {
        $(#[$meta])*
        #[must_use = "a request does nothing until it is sent"]
        pub struct RequestBuilder<'a, C: Connector> {
            client: &'a Client<C>,
            parts: $crate::client::RequestParts,
            upload: Upload<'a>,
        }

        impl<C: Connector> ::std::fmt::Debug for RequestBuilder<'_, C> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.parts.fmt_builder(f)
            }
        }

        /// Header fields, timeouts, and a body of known bytes.
        ///
        /// ```
        #[doc = concat!("let client = ", $path, "::Client::new();")]
        /// let req = client.post("http://127.0.0.1:8080/echo").header("Accept", "*/*").body("hi");
        /// assert!(format!("{req:?}").contains("POST"));
        /// ```
        impl<C: Connector> RequestBuilder<'_, C> {
            $crate::request_options!($path);

            /// A body of known bytes, sent with `Content-Length`.
            ///
            #[doc = crate::doc::doc_text!(open)]
            /// let req = client.post(&format!("{base}/echo")).body("{\"n\":1}\n");
            #[doc = concat!("assert_eq!(req.send()", crate::doc::doc_text!(await), "?.bytes(100)", crate::doc::doc_text!(await), "?, \"{\\\"n\\\":1}\\n\");")]
            #[doc = crate::doc::doc_text!(close)]
            pub fn body(mut self, bytes: impl Into<::bytes::Bytes>) -> Self {
                self.upload = Upload::Bytes(bytes.into());
                self
            }
        }
    };
}

/// The options of a request builder that holds its [`RequestParts`](crate::client::RequestParts)
/// in a field `parts`: `header`, `expect_continue`, `deadline`, `read_timeout`.
#[doc(hidden)]
#[macro_export]
macro_rules! request_options {
    ($path:literal) => {
        /// Adds a header field (an invalid name or value fails the request when sent).
        /// `Host` replaces the URL's; `Content-Length` and `Transfer-Encoding` follow from
        /// the body and are refused.
        ///
        /// ```
        /// use std::time::Duration;
        #[doc = concat!("let client = ", $path, "::Client::new();")]
        /// let req = client
        ///     .put("http://127.0.0.1:8080/echo")
        ///     .header("Content-Type", "application/json")
        ///     .expect_continue(true) // the body waits for the server's 100 Continue
        ///     .read_timeout(Some(Duration::from_secs(5)))
        ///     .deadline(Duration::from_secs(60))
        ///     .body("{}");
        /// # let _ = req;
        /// ```
        pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
            self.parts.header(name, value);
            self
        }

        /// Sends `Expect: 100-continue` with a body, and waits for the server's answer
        /// (`ClientConfig::continue_timeout` at most) before sending it: a server that
        /// refuses the request at once is not sent a body it does not want.
        ///
        #[doc = crate::doc::doc_text!(open)]
        /// let req = client.post(&format!("{base}/echo")).expect_continue(true).body("hi");
        #[doc = concat!("assert_eq!(req.send()", crate::doc::doc_text!(await), "?.bytes(100)", crate::doc::doc_text!(await), "?, \"hi\"); // sent after the 100 Continue")]
        #[doc = crate::doc::doc_text!(close)]
        pub fn expect_continue(mut self, yes: bool) -> Self {
            self.parts.expect_continue = yes;
            self
        }

        /// An overall deadline for this exchange, from now to the end of the response
        /// body.
        ///
        #[doc = crate::doc::doc_text!(open)]
        /// use std::time::Duration;
        ///
        /// let req = client.get(&format!("{base}/stream/3")).deadline(Duration::from_secs(30));
        #[doc = concat!("let res = req.send()", crate::doc::doc_text!(await), "?;")]
        #[doc = concat!("assert_eq!(res.bytes(1000)", crate::doc::doc_text!(await), "?.len(), 27); // three lines well within it")]
        #[doc = crate::doc::doc_text!(close)]
        pub fn deadline(mut self, after: ::core::time::Duration) -> Self {
            self.parts.deadline = Some(after);
            self
        }

        /// How long one read may wait for the server (`None`: for ever).
        ///
        #[doc = crate::doc::doc_text!(open)]
        /// use std::time::Duration;
        ///
        /// let req = client.get(&format!("{base}/bytes/3")).read_timeout(Some(Duration::from_secs(5)));
        #[doc = concat!("assert_eq!(req.send()", crate::doc::doc_text!(await), "?.status(), 200);")]
        #[doc = crate::doc::doc_text!(close)]
        pub fn read_timeout(mut self, timeout: Option<::core::time::Duration>) -> Self {
            self.parts.read_timeout = timeout;
            self
        }
    };
}

/// A response's head accessors, for a type with the fields `head: h1::Response` and
/// `reused: bool`: `status`, `reason`, `version`, `headers`, `head`, `reused`, and with
/// the feature `http` `http_parts`, documented further by the attributes given (its
/// example).
#[doc(hidden)]
#[macro_export]
macro_rules! response_head {
    ($(#[$http_doc:meta])*) => {
        /// The status code.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.status(), 200);
        #[doc = crate::doc::doc_text!(close)]
        pub fn status(&self) -> u16 {
            self.head.status()
        }

        /// The reason phrase (as sent; often empty or ignored).
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/nowhere\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!((res.status(), res.reason().as_str()), (404, "Not Found"));
        #[doc = crate::doc::doc_text!(close)]
        pub fn reason(&self) -> String {
            String::from_utf8_lossy(self.head.reason()).into_owned()
        }

        /// The HTTP version the server answered with.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.version(), h1::Version::Http11);
        #[doc = crate::doc::doc_text!(close)]
        pub fn version(&self) -> ::h1::Version {
            self.head.version()
        }

        /// The header fields.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(res.headers().get_str("content-type"), Some("application/octet-stream"));
        #[doc = crate::doc::doc_text!(close)]
        pub fn headers(&self) -> &::h1::Headers {
            self.head.headers()
        }

        /// The whole head, as the core parsed it.
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// let head: &h1::Response = res.head();
        /// assert_eq!((head.status(), head.reason()), (200, &b"OK"[..]));
        #[doc = crate::doc::doc_text!(close)]
        pub fn head(&self) -> &::h1::Response {
            &self.head
        }

        /// True when the request went over a connection taken from the pool (and was not
        /// retried on a fresh one).
        ///
        #[doc = crate::doc::doc_text!(open)]
        #[doc = concat!("let first = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert!(!first.reused());
        #[doc = concat!("first.bytes(100)", crate::doc::doc_text!(await), "?; // read to its end: the connection goes back to the pool")]
        #[doc = concat!("let second = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
        /// assert!(second.reused());
        #[doc = crate::doc::doc_text!(close)]
        pub fn reused(&self) -> bool {
            self.reused
        }

        /// The head as the `http` crate's response parts (feature `http`): status, version
        /// and header fields (names in lower case, each name's values together and in
        /// order; the reason phrase has no place there).
        $(#[$http_doc])*
        ///
        /// # Errors
        /// [`ErrorKind::InvalidInput`](h1_common::ErrorKind::InvalidInput) for more fields
        /// than an `http::HeaderMap` holds (32,768).
        #[cfg(feature = "http")]
        pub fn http_parts(&self) -> Result<::http::response::Parts, $crate::Error> {
            ::http::response::Parts::try_from(&self.head).map_err($crate::Error::from_h1)
        }
    };
}

/// A client's constructors and pool accessors, for a driver whose `Client<C: Connector>`
/// holds `shared: Arc<h1_common::client::Shared<C, Conn<C::Stream>>>` and whose builder
/// is `RequestBuilder { client, parts, upload }`: `Clone`, `Debug`, `Default`, `new`,
/// `with_config`, `with_connector`, `config`, `request`, the verbs, `stats`, `counters`,
/// `idle_connections` and `clear_pool`. `$path` is the module the driver's `Client` and
/// `ClientConfig` are reached by, for the doc examples.
#[doc(hidden)]
#[macro_export]
macro_rules! client_methods {
    ($path:literal) => {
        impl<C: Connector> Clone for Client<C> {
            fn clone(&self) -> Self {
                Self {
                    shared: ::std::sync::Arc::clone(&self.shared),
                }
            }
        }

        impl<C: Connector> ::std::fmt::Debug for Client<C> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("config", &self.shared.config)
                    .field("stats", &self.stats())
                    .finish_non_exhaustive()
            }
        }

        impl Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        /// Clients over plain TCP.
        ///
        /// ```
        #[doc = concat!("let client = ", $path, "::Client::new();")]
        /// assert_eq!(client.stats().opened, 0); // connections open on the first request
        /// ```
        impl Client {
            /// A client over plain TCP with the default [`ClientConfig`].
            ///
            #[doc = crate::doc::doc_text!(open)]
            #[doc = concat!("use ", $path, "::Client;")]
            ///
            /// let client = Client::new();
            /// assert!(client.config().retry); // the default
            #[doc = concat!("assert_eq!(client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?.status(), 200);")]
            #[doc = crate::doc::doc_text!(close)]
            pub fn new() -> Self {
                Self::with_config(ClientConfig::default())
            }

            /// A client over plain TCP with `config`.
            ///
            /// ```
            #[doc = concat!("let mut config = ", $path, "::ClientConfig::default();")]
            /// config.retry = false;
            #[doc = concat!("let client = ", $path, "::Client::with_config(config);")]
            /// assert!(!client.config().retry);
            /// ```
            pub fn with_config(config: ClientConfig) -> Self {
                Self::with_connector(TcpConnector, config)
            }
        }

        /// Requests, and the pool's state, for any connector.
        ///
        /// ```
        #[doc = concat!("use ", $path, "::{Client, ClientConfig, TcpConnector};")]
        ///
        /// let client = Client::with_connector(TcpConnector, ClientConfig::default());
        /// let req = client.get("http://127.0.0.1:8080/");
        /// # let _ = req;
        /// assert_eq!(client.idle_connections(), 0);
        /// ```
        impl<C: Connector> Client<C> {
            /// A client whose connections `connector` opens (TLS, a proxy, a test stream).
            ///
            #[doc = crate::doc::doc_text!(open)]
            #[doc = concat!("use ", $path, "::{Client, ClientConfig, TcpConnector};")]
            ///
            /// let client = Client::with_connector(TcpConnector, ClientConfig::default());
            #[doc = concat!("assert_eq!(client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?.status(), 200);")]
            #[doc = crate::doc::doc_text!(close)]
            pub fn with_connector(connector: C, config: ClientConfig) -> Self {
                Self {
                    shared: ::std::sync::Arc::new($crate::client::Shared::new(connector, config)),
                }
            }

            /// The configuration.
            ///
            #[doc = crate::doc::doc_text!(open)]
            /// assert_eq!(client.config().pool.max_idle_per_host, 8); // the default
            #[doc = crate::doc::doc_text!(close)]
            pub fn config(&self) -> &ClientConfig {
                &self.shared.config
            }

            /// A request with `method` to `url` (an absolute `http` or `https` URL); the URL
            /// is checked when the request is sent.
            ///
            #[doc = crate::doc::doc_text!(open)]
            #[doc = concat!("let res = client.request(\"OPTIONS\", &format!(\"{base}/echo\")).send()", crate::doc::doc_text!(await), "?;")]
            /// assert_eq!(res.status(), 405); // the test server's /echo takes POST only
            #[doc = crate::doc::doc_text!(close)]
            pub fn request(&self, method: &str, url: &str) -> RequestBuilder<'_, C> {
                RequestBuilder {
                    client: self,
                    parts: $crate::client::RequestParts::new(method, url, &self.shared.config),
                    upload: Upload::None,
                }
            }

            /// A request from an `http::Request` (feature `http`): its method, URI (absolute,
            /// `http://host/path`), header fields and body (`()` for none, or bytes: see
            /// [`FullBody`](h1_common::FullBody)); the builder's options still apply. The
            /// request is checked when it is sent; `Client::send_http` sends it at once.
            ///
            /// ```
            /// use std::time::Duration;
            #[doc = concat!("let client = ", $path, "::Client::new();")]
            /// let req = http::Request::put("http://127.0.0.1:8080/echo")
            ///     .header("content-type", "text/plain")
            ///     .body("hello")?;
            /// let req = client.request_http(req).read_timeout(Some(Duration::from_secs(5)));
            /// # let _ = req;
            /// # Ok::<(), http::Error>(())
            /// ```
            ///
            /// Sending fails with [`ErrorKind::InvalidInput`](h1_common::ErrorKind::InvalidInput)
            /// for a URI that is not absolute, a version other than HTTP/1.0 and HTTP/1.1, a
            /// field h1 cannot send (a value with whitespace at either end), a
            /// `Transfer-Encoding` field, or a `Content-Length` other than the body's.
            #[cfg(feature = "http")]
            pub fn request_http<B: $crate::FullBody>(
                &self,
                req: ::http::Request<B>,
            ) -> RequestBuilder<'_, C> {
                let (parts, body) = req.into_parts();
                let body = $crate::FullBody::into_body_bytes(body);
                let len = body.as_ref().map(|b| b.len() as u64);
                RequestBuilder {
                    client: self,
                    parts: $crate::client::RequestParts::from_http(parts, len, &self.shared.config),
                    upload: body.map_or(Upload::None, Upload::Bytes),
                }
            }

            $crate::client_verbs!(RequestBuilder<'_, C>, $path);

            /// What happened to connections so far: opened, reused, pooled, closed, stale,
            /// retried.
            ///
            /// ```
            #[doc = concat!("let client = ", $path, "::Client::new();")]
            /// assert_eq!(client.stats().opened, 0);
            /// ```
            pub fn stats(&self) -> $crate::client::ClientStats {
                self.shared.pool.stats()
            }

            /// Bytes sent and received over all connections of this client (heads and
            /// framing included), shared so another thread or task can report progress.
            ///
            #[doc = crate::doc::doc_text!(open)]
            /// let counters = std::sync::Arc::clone(client.counters()); // for a progress display
            #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/1000\")).send()", crate::doc::doc_text!(await), "?;")]
            #[doc = concat!("res.bytes(10_000)", crate::doc::doc_text!(await), "?;")]
            /// assert!(counters.received() > 1000); // the body, and the head before it
            /// assert!(counters.sent() > 0);
            #[doc = crate::doc::doc_text!(close)]
            pub fn counters(&self) -> &::std::sync::Arc<$crate::Counters> {
                &self.shared.counters
            }

            /// Idle connections in the pool now (expired ones are dropped first).
            ///
            #[doc = crate::doc::doc_text!(open)]
            /// assert_eq!(client.idle_connections(), 0);
            #[doc = concat!("let res = client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?;")]
            #[doc = concat!("res.bytes(100)", crate::doc::doc_text!(await), "?; // read to its end: the connection goes back to the pool")]
            /// assert_eq!(client.idle_connections(), 1);
            #[doc = crate::doc::doc_text!(close)]
            pub fn idle_connections(&self) -> usize {
                self.shared.pool.idle_count(::std::time::Instant::now())
            }

            /// Closes every idle connection.
            ///
            #[doc = crate::doc::doc_text!(open)]
            #[doc = concat!("client.get(&format!(\"{base}/bytes/3\")).send()", crate::doc::doc_text!(await), "?.bytes(100)", crate::doc::doc_text!(await), "?;")]
            /// assert_eq!(client.idle_connections(), 1);
            /// client.clear_pool();
            /// assert_eq!(client.idle_connections(), 0);
            #[doc = crate::doc::doc_text!(close)]
            pub fn clear_pool(&self) {
                self.shared.pool.clear();
            }
        }
    };
}

/// A server reply's constructors and head accessors, for a driver's `Reply { head, body }`
/// whose `body` is a `ReplyBody` with `Bytes`, `Reader { len, .. }` and `Chunks` kinds:
/// `new`, `from_head`, `with_header`, `with_body`, `head`, `head_mut`, and `Debug`
/// (`$chunks` names the chunk source). `$path` is the driver's `server` module, for the
/// doc examples.
#[doc(hidden)]
#[macro_export]
macro_rules! reply_methods {
    ($path:literal, $chunks:literal) => {
        impl Reply {
            /// A reply with the status's usual reason phrase, no header fields and an empty
            /// body.
            ///
            /// ```
            #[doc = concat!("let not_found = ", $path, "::Reply::new(404)?;")]
            /// assert_eq!(not_found.head().reason(), b"Not Found");
            /// # Ok::<(), h1::Error>(())
            /// ```
            ///
            /// Informational statuses (1xx) are the server's to send (`100 Continue` goes
            /// out when a handler starts reading a body that waits for it): a handler that
            /// returns one is answered as a failed handler, `500` and a close.
            ///
            /// # Errors
            /// [`ErrorKind::InvalidInput`](h1::ErrorKind::InvalidInput) for a status
            /// outside 100–599.
            pub fn new(status: u16) -> Result<Self, ::h1::Error> {
                ::h1::Response::new(status).map(Self::from_head)
            }

            /// A reply with the given head and an empty body.
            ///
            /// ```
            /// let head = h1::Response::new(201)?.with_reason("Made")?;
            #[doc = concat!("let reply = ", $path, "::Reply::from_head(head);")]
            /// assert_eq!(reply.head().reason(), b"Made");
            /// # Ok::<(), h1::Error>(())
            /// ```
            pub fn from_head(head: ::h1::Response) -> Self {
                Self {
                    head,
                    body: ReplyBody::Bytes(::bytes::Bytes::new()),
                }
            }

            /// Adds a header field.
            ///
            /// ```
            #[doc = concat!("let reply = ", $path, "::Reply::new(200)?")]
            ///     .with_header("Cache-Control", "no-store")?;
            /// assert_eq!(reply.head().headers().get_str("cache-control"), Some("no-store"));
            /// # Ok::<(), h1::Error>(())
            /// ```
            ///
            /// # Errors
            /// As [`h1::Headers::append`]: a name that is not a token, a value with CR, LF
            /// or NUL.
            pub fn with_header(
                mut self,
                name: &str,
                value: impl AsRef<[u8]>,
            ) -> Result<Self, ::h1::Error> {
                self.head.headers_mut().append(name, value)?;
                Ok(self)
            }

            /// The body: these bytes, sent with `Content-Length`, in the same write as the
            /// head when they are small.
            ///
            /// ```
            #[doc = concat!("let reply = ", $path, "::Reply::new(200)?.with_body(vec![1, 2, 3]);")]
            /// # let _ = reply;
            /// # Ok::<(), h1::Error>(())
            /// ```
            #[must_use]
            pub fn with_body(mut self, body: impl Into<::bytes::Bytes>) -> Self {
                self.body = ReplyBody::Bytes(body.into());
                self
            }

            /// The response head.
            ///
            /// ```
            #[doc = concat!("let reply = ", $path, "::Reply::new(204)?;")]
            /// assert_eq!(reply.head().status(), 204);
            /// # Ok::<(), h1::Error>(())
            /// ```
            pub fn head(&self) -> &::h1::Response {
                &self.head
            }

            /// The response head, to change.
            ///
            /// ```
            #[doc = concat!("let mut reply = ", $path, "::Reply::new(200)?;")]
            /// reply.head_mut().headers_mut().append("X-Request-Id", "42")?;
            /// # Ok::<(), h1::Error>(())
            /// ```
            pub fn head_mut(&mut self) -> &mut ::h1::Response {
                &mut self.head
            }

            /// A failed handler's answer ([`handler_failed`](h1_common::server::handler_failed)).
            pub(crate) fn handler_failed() -> Self {
                let answer = $crate::server::handler_failed();
                Self::from_head(answer.head).with_body(answer.body)
            }

            /// The head, the body, and the body's length when it is known (for
            /// [`send_reply_head`](h1_common::server::send_reply_head)).
            pub(crate) fn into_sized(self) -> (::h1::Response, ReplyBody, Option<u64>) {
                let known_len = match &self.body {
                    ReplyBody::Bytes(b) => Some(b.len() as u64),
                    ReplyBody::Reader { len, .. } => Some(*len),
                    ReplyBody::Chunks(_) => None,
                };
                (self.head, self.body, known_len)
            }
        }

        /// A reply from an `http::Response` (feature `http`): its status (with the usual
        /// reason phrase), header fields and body, bytes sent with `Content-Length` (`()`
        /// is an empty body; see [`FullBody`](h1_common::FullBody)). A handler returns
        /// `Ok(response.try_into()?)`.
        ///
        /// ```
        #[doc = concat!("use ", $path, "::Reply;")]
        ///
        /// let res = http::Response::builder()
        ///     .status(http::StatusCode::CREATED)
        ///     .header("location", "/items/7")
        ///     .body("made\n")?;
        /// let reply = Reply::try_from(res)?;
        /// assert_eq!(reply.head().status(), 201);
        /// assert_eq!(reply.head().headers().get_str("location"), Some("/items/7"));
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        ///
        /// # Errors
        /// [`ErrorKind::InvalidInput`](h1::ErrorKind::InvalidInput) for a status over 599, a
        /// version other than HTTP/1.0 and HTTP/1.1, or a value with whitespace at either
        /// end (which HTTP/1.1 cannot carry).
        #[cfg(feature = "http")]
        impl<B: $crate::FullBody> TryFrom<::http::Response<B>> for Reply {
            type Error = ::h1::Error;

            fn try_from(res: ::http::Response<B>) -> Result<Self, ::h1::Error> {
                let head = ::h1::Response::try_from(&res)?;
                let body = $crate::FullBody::into_body_bytes(res.into_body()).unwrap_or_default();
                Ok(Self::from_head(head).with_body(body))
            }
        }

        impl ::std::fmt::Debug for Reply {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let body = match &self.body {
                    ReplyBody::Bytes(b) => format!("{} bytes", b.len()),
                    ReplyBody::Reader { len, .. } => format!("a reader of {len} bytes"),
                    ReplyBody::Chunks(_) => $chunks.to_owned(),
                };
                f.debug_struct("Reply")
                    .field("head", &self.head)
                    .field("body", &body)
                    .finish()
            }
        }
    };
}

/// A request's head accessors, for a type with a field `head: h1::Request`: `head`,
/// `method`, `target`, `headers`, and with the feature `http` `http_parts`, documented
/// further by the attributes given (its example).
#[doc(hidden)]
#[macro_export]
macro_rules! request_head {
    ($(#[$http_doc:meta])*) => {
        /// The request head: method, target, version, header fields.
        ///
        #[doc = crate::doc::doc_text!(handler)]
        /// assert_eq!(req.head().version(), h1::Version::Http11);
        #[doc = crate::doc::doc_text!(handler_end)]
        pub fn head(&self) -> &::h1::Request {
            &self.head
        }

        /// The method, as sent (`GET`, `POST`, …).
        ///
        #[doc = crate::doc::doc_text!(handler)]
        /// assert_eq!(req.method(), "GET");
        #[doc = crate::doc::doc_text!(handler_end)]
        pub fn method(&self) -> &str {
            self.head.method()
        }

        /// The request target as sent: usually a path and query (`/search?q=h1`).
        ///
        #[doc = crate::doc::doc_text!(handler)]
        /// assert_eq!(req.target(), "/hi?x=1");
        #[doc = crate::doc::doc_text!(handler_end)]
        pub fn target(&self) -> &str {
            self.head.target()
        }

        /// The request's header fields.
        ///
        #[doc = crate::doc::doc_text!(handler)]
        /// assert_eq!(req.headers().get_str("x-test"), Some("yes"));
        #[doc = crate::doc::doc_text!(handler_end)]
        pub fn headers(&self) -> &::h1::Headers {
            self.head.headers()
        }

        /// The head as the `http` crate's request parts (feature `http`): method, URI (the
        /// request target as sent: `/path?query` for most requests), version and header
        /// fields (names in lower case, each name's values together and in order). The
        /// `extensions` are empty.
        $(#[$http_doc])*
        ///
        /// # Errors
        /// [`ErrorKind::InvalidInput`](h1_common::ErrorKind::InvalidInput) for a target that
        /// is not a URI (`http` refuses some bytes h1 takes, such as `<` or `"`, and a
        /// fragment), or more fields than an `http::HeaderMap` holds (32,768).
        #[cfg(feature = "http")]
        pub fn http_parts(&self) -> Result<::http::request::Parts, $crate::Error> {
            ::http::request::Parts::try_from(&self.head).map_err($crate::Error::from_h1)
        }
    };
}

/// A server's configuration and address accessors, for a type with the fields
/// `config: ServerConfig` and `listener` (with `local_addr()`): `with_config`, `config`,
/// `local_addr`.
#[doc(hidden)]
#[macro_export]
macro_rules! server_config_methods {
    () => {
        /// Replaces the configuration ([`ServerConfig`]: timeouts, limits, the connection
        /// cap).
        ///
        #[doc = crate::doc::doc_text!(bind)]
        /// let mut config = server.config().clone();
        /// config.max_connections = 8;
        /// let server = server.with_config(config);
        /// assert_eq!(server.config().max_connections, 8);
        #[doc = crate::doc::doc_text!(close)]
        #[must_use]
        pub fn with_config(mut self, config: $crate::server::ServerConfig) -> Self {
            self.config = config;
            self
        }

        /// The configuration in force.
        ///
        #[doc = crate::doc::doc_text!(bind)]
        /// assert_eq!(server.config().max_connections, 256); // the default
        #[doc = crate::doc::doc_text!(close)]
        pub fn config(&self) -> &$crate::server::ServerConfig {
            &self.config
        }

        /// The address the server listens on.
        ///
        /// # Errors
        /// As the listener's `local_addr`.
        ///
        #[doc = crate::doc::doc_text!(bind)]
        /// let addr = server.local_addr()?; // port 0 was bound to a free port
        /// assert!(addr.ip().is_loopback() && addr.port() != 0);
        #[doc = crate::doc::doc_text!(close)]
        pub fn local_addr(&self) -> ::std::io::Result<::std::net::SocketAddr> {
            self.listener.local_addr()
        }
    };
}

/// A running server's accessors, for a type with the fields `addr: SocketAddr` and
/// `handle: ShutdownHandle`: `local_addr`, `shutdown_handle`.
#[doc(hidden)]
#[macro_export]
macro_rules! running_server_methods {
    () => {
        /// The address the server listens on.
        ///
        #[doc = crate::doc::doc_text!(open)]
        /// let addr = server.local_addr();
        /// assert!(addr.ip().is_loopback() && addr.port() != 0);
        #[doc = crate::doc::doc_text!(close)]
        pub fn local_addr(&self) -> ::std::net::SocketAddr {
            self.addr
        }

        /// A handle to shut the server down from elsewhere.
        ///
        #[doc = crate::doc::doc_text!(open)]
        /// let stop = server.shutdown_handle(); // cheap to clone, to send anywhere
        /// stop.shutdown();
        /// assert!(stop.is_shutting_down());
        #[doc = crate::doc::doc_text!(close)]
        pub fn shutdown_handle(&self) -> ShutdownHandle {
            self.handle.clone()
        }
    };
}

/// A driver connection's accessors, for a type with the fields `h1: h1::Connection`,
/// `stream: S`, `traffic: h1_common::Traffic`, `broken: bool` and
/// `body: Option<h1_common::BodyState>`: `connection`, `connection_mut`, `stream`,
/// `into_parts`, `set_counters`, `bytes_sent`, `bytes_received`, `is_broken`,
/// `mark_broken`, `start_body`, `body_state`.
#[doc(hidden)]
#[macro_export]
macro_rules! conn_accessors {
    () => {
        /// The core connection.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        #[doc = concat!("let _request = conn.next_event()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(conn.connection().their_state(), h1::State::SendBody); // its body is next
        #[doc = crate::doc::doc_text!(close)]
        pub fn connection(&self) -> &::h1::Connection {
            &self.h1
        }

        /// The core connection, to send with (hand what it returns to this connection to
        /// write).
        ///
        #[doc = crate::doc::doc_text!(conn)]
        #[doc = concat!("let _request = conn.next_event()", crate::doc::doc_text!(await), "?;")]
        /// conn.connection_mut().set_body_mode(h1::BodyMode::Lines)?; // the body as lines
        #[doc = crate::doc::doc_text!(close)]
        pub fn connection_mut(&mut self) -> &mut ::h1::Connection {
            &mut self.h1
        }

        /// The stream.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// let stream = conn.stream(); // for the stream's own accessors
        /// # let _ = stream;
        #[doc = crate::doc::doc_text!(close)]
        pub fn stream(&self) -> &S {
            &self.stream
        }

        /// The stream and the core connection, taken apart (after a protocol switch, say).
        /// Bytes not yet written are dropped.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// let (stream, h1) = conn.into_parts();
        /// assert_eq!(h1.role(), h1::Role::Server);
        /// # let _ = stream;
        #[doc = crate::doc::doc_text!(close)]
        pub fn into_parts(self) -> (S, ::h1::Connection) {
            (self.stream, self.h1)
        }

        /// Also counts bytes moved into `counters` (shared, for progress reports).
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// let counters = std::sync::Arc::default();
        /// conn.set_counters(Some(std::sync::Arc::clone(&counters)));
        #[doc = concat!("conn.next_event()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(counters.received(), 51);
        #[doc = crate::doc::doc_text!(close)]
        pub fn set_counters(&mut self, counters: Option<::std::sync::Arc<$crate::Counters>>) {
            self.traffic.set_counters(counters);
        }

        /// Bytes written to the stream through this connection.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// assert_eq!(conn.bytes_sent(), 0); // nothing written yet
        #[doc = crate::doc::doc_text!(close)]
        pub fn bytes_sent(&self) -> u64 {
            self.traffic.sent()
        }

        /// Bytes read from the stream through this connection.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        #[doc = concat!("conn.next_event()", crate::doc::doc_text!(await), "?;")]
        /// assert_eq!(conn.bytes_received(), 51); // all the peer sent
        #[doc = crate::doc::doc_text!(close)]
        pub fn bytes_received(&self) -> u64 {
            self.traffic.received()
        }

        /// True when a read or write failed, or the connection was marked broken.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// assert!(!conn.is_broken());
        /// conn.mark_broken();
        /// assert!(conn.is_broken());
        #[doc = crate::doc::doc_text!(close)]
        pub fn is_broken(&self) -> bool {
            self.broken
        }

        /// Marks the connection as not reusable (after an error the caller saw, or a
        /// message given up half-way).
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// conn.mark_broken(); // a client would not give it back to its pool now
        /// assert!(conn.is_broken());
        #[doc = crate::doc::doc_text!(close)]
        pub fn mark_broken(&mut self) {
            self.broken = true;
        }

        /// Starts reading the body of the message whose head just arrived.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        #[doc = concat!("let h1::Event::Request(req) = conn.next_event()", crate::doc::doc_text!(await), "? else { panic!() };")]
        #[doc = concat!("conn.start_body(", crate::doc::doc_text!(root), "::Framing::incoming(conn.connection()), req.headers());")]
        /// assert_eq!(conn.body_state().and_then(|b| b.content_length()), Some(2));
        #[doc = crate::doc::doc_text!(close)]
        pub fn start_body(&mut self, framing: $crate::Framing, headers: &::h1::Headers) {
            self.body = Some($crate::BodyState::new(framing, headers));
        }

        /// The state of the body being read, if [`start_body`](Self::start_body) was
        /// called.
        ///
        #[doc = crate::doc::doc_text!(conn)]
        /// assert!(conn.body_state().is_none());
        #[doc = concat!("let h1::Event::Request(req) = conn.next_event()", crate::doc::doc_text!(await), "? else { panic!() };")]
        #[doc = concat!("conn.start_body(", crate::doc::doc_text!(root), "::Framing::incoming(conn.connection()), req.headers());")]
        /// assert!(conn.body_state().is_some());
        #[doc = crate::doc::doc_text!(close)]
        pub fn body_state(&self) -> Option<&$crate::BodyState> {
            self.body.as_ref()
        }
    };
}

/// A request builder's send with its one retry, for a builder with the fields `client`
/// (whose `checkout(&key)` and `open(&key)` give a connection), `parts` and `upload`, and
/// an `exchange(&mut conn, &req)` method (one attempt: the head, the body, then the
/// response head); `$($aw)*` is `.await` in an async driver and nothing in a blocking one.
/// Each attempt runs under the request's read timeout and deadline; a failed one leaves
/// its connection broken, and the core judges whether it may be retried. Evaluates to `(conn, head, key, reused)`; `?`
/// returns the errors. A request on a pooled connection that fails before any response
/// byte arrived is sent again once on a fresh connection, when
/// [`RequestParts::may_retry`](crate::client::RequestParts::may_retry) allows it.
#[doc(hidden)]
#[macro_export]
macro_rules! send_with_retry {
    ($builder:ident $($aw:tt)*) => {{
        let (req, key) = $builder.parts.prepare($builder.upload.framing())?;
        let client = $builder.client;
        let pool = &client.shared.pool;
        let started = Instant::now();
        let (mut conn, mut reused) = match client.checkout(&key) {
            Some(conn) => (conn, true),
            None => (client.open(&key)$($aw)*?, false),
        };
        let may_retry =
            $builder
                .parts
                .may_retry(reused, &client.shared.config, $builder.upload.replayable());
        let head = match $crate::attempt!($builder, conn, req, started $($aw)*) {
            Ok(head) => head,
            Err(e) if may_retry && e.is_retry_safe() => {
                pool.count($crate::client::Count::Closed);
                drop(conn);
                pool.count($crate::client::Count::Retried);
                conn = client.open(&key)$($aw)*?;
                reused = false;
                let started = Instant::now();
                $crate::attempt!($builder, conn, req, started $($aw)*)
                    .map_err(|e| e.context("on a fresh connection after a failed reused one"))?
            }
            Err(e) => {
                pool.count($crate::client::Count::Closed);
                return Err(e);
            }
        };
        (conn, head, key, reused)
    }};
}

/// One attempt of [`send_with_retry`]: the exchange on `conn` under the request's read
/// timeout and deadline (from `started`); on failure the connection is marked broken and
/// the error judged by the core (whether the request may be sent again).
#[doc(hidden)]
#[macro_export]
macro_rules! attempt {
    ($builder:ident, $conn:ident, $req:ident, $started:ident $($aw:tt)*) => {{
        $conn.set_read_timeout($builder.parts.read_timeout);
        $conn.set_deadline($builder.parts.deadline.map(|d| $started + d));
        let result = $builder.exchange(&mut $conn, &$req)$($aw)*;
        result.map_err(|e| {
            $conn.mark_broken();
            e.judged_by($conn.connection_mut())
        })
    }};
}
