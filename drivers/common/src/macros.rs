//! The methods both clients' public types have alike, written once: each driver expands
//! them inside its own `impl` block, so they stay inherent methods of its types.

/// `get`, `head`, `post`, `put` and `delete` on a client whose `request(method, url)`
/// returns `$builder`.
#[doc(hidden)]
#[macro_export]
macro_rules! client_verbs {
    ($builder:ty, $path:literal) => {
        /// A `GET` request (nothing is sent until the builder's `send`).
        ///
        /// ```
        #[doc = concat!("let client = ", $path, "::Client::new();")]
        /// let req = client.get("http://127.0.0.1:8080/stream/20");
        /// # let _ = req;
        /// ```
        pub fn get(&self, url: &str) -> $builder {
            self.request("GET", url)
        }

        /// A `HEAD` request (the response has no body).
        pub fn head(&self, url: &str) -> $builder {
            self.request("HEAD", url)
        }

        /// A `POST` request.
        pub fn post(&self, url: &str) -> $builder {
            self.request("POST", url)
        }

        /// A `PUT` request.
        pub fn put(&self, url: &str) -> $builder {
            self.request("PUT", url)
        }

        /// A `DELETE` request.
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
            /// ```
            #[doc = concat!("let client = ", $path, "::Client::new();")]
            /// let req = client.post("http://127.0.0.1:8080/echo").body("{\"n\":1}\n");
            /// # let _ = req;
            /// ```
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
        pub fn expect_continue(mut self, yes: bool) -> Self {
            self.parts.expect_continue = yes;
            self
        }

        /// An overall deadline for this exchange, from now to the end of the response
        /// body.
        pub fn deadline(mut self, after: ::core::time::Duration) -> Self {
            self.parts.deadline = Some(after);
            self
        }

        /// How long one read may wait for the server (`None`: for ever).
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
        pub fn status(&self) -> u16 {
            self.head.status()
        }

        /// The reason phrase (as sent; often empty or ignored).
        pub fn reason(&self) -> String {
            String::from_utf8_lossy(self.head.reason()).into_owned()
        }

        /// The HTTP version the server answered with.
        pub fn version(&self) -> ::h1::Version {
            self.head.version()
        }

        /// The header fields.
        pub fn headers(&self) -> &::h1::Headers {
            self.head.headers()
        }

        /// The whole head, as the core parsed it.
        pub fn head(&self) -> &::h1::Response {
            &self.head
        }

        /// True when the request went over a connection taken from the pool (and was not
        /// retried on a fresh one).
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
            pub fn with_connector(connector: C, config: ClientConfig) -> Self {
                Self {
                    shared: ::std::sync::Arc::new($crate::client::Shared::new(connector, config)),
                }
            }

            /// The configuration.
            pub fn config(&self) -> &ClientConfig {
                &self.shared.config
            }

            /// A request with `method` to `url` (an absolute `http` or `https` URL); the URL
            /// is checked when the request is sent.
            ///
            /// ```
            #[doc = concat!("let client = ", $path, "::Client::new();")]
            /// let req = client.request("PATCH", "http://127.0.0.1:8080/item/7");
            /// # let _ = req;
            /// ```
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
            pub fn counters(&self) -> &::std::sync::Arc<$crate::Counters> {
                &self.shared.counters
            }

            /// Idle connections in the pool now (expired ones are dropped first).
            pub fn idle_connections(&self) -> usize {
                self.shared.pool.idle_count(::std::time::Instant::now())
            }

            /// Closes every idle connection.
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
        pub fn head(&self) -> &::h1::Request {
            &self.head
        }

        /// The method, as sent (`GET`, `POST`, …).
        pub fn method(&self) -> &str {
            self.head.method()
        }

        /// The request target as sent: usually a path and query (`/search?q=h1`).
        pub fn target(&self) -> &str {
            self.head.target()
        }

        /// The request's header fields.
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
        #[must_use]
        pub fn with_config(mut self, config: $crate::server::ServerConfig) -> Self {
            self.config = config;
            self
        }

        /// The configuration in force.
        pub fn config(&self) -> &$crate::server::ServerConfig {
            &self.config
        }

        /// The address the server listens on.
        ///
        /// # Errors
        /// As the listener's `local_addr`.
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
        pub fn local_addr(&self) -> ::std::net::SocketAddr {
            self.addr
        }

        /// A handle to shut the server down from elsewhere.
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
        pub fn connection(&self) -> &::h1::Connection {
            &self.h1
        }

        /// The core connection, to send with (hand what it returns to this connection to
        /// write).
        pub fn connection_mut(&mut self) -> &mut ::h1::Connection {
            &mut self.h1
        }

        /// The stream.
        pub fn stream(&self) -> &S {
            &self.stream
        }

        /// The stream and the core connection, taken apart (after a protocol switch, say).
        /// Bytes not yet written are dropped.
        pub fn into_parts(self) -> (S, ::h1::Connection) {
            (self.stream, self.h1)
        }

        /// Also counts bytes moved into `counters` (shared, for progress reports).
        pub fn set_counters(&mut self, counters: Option<::std::sync::Arc<$crate::Counters>>) {
            self.traffic.set_counters(counters);
        }

        /// Bytes written to the stream through this connection.
        pub fn bytes_sent(&self) -> u64 {
            self.traffic.sent()
        }

        /// Bytes read from the stream through this connection.
        pub fn bytes_received(&self) -> u64 {
            self.traffic.received()
        }

        /// True when a read or write failed, or the connection was marked broken.
        pub fn is_broken(&self) -> bool {
            self.broken
        }

        /// Marks the connection as not reusable (after an error the caller saw, or a
        /// message given up half-way).
        pub fn mark_broken(&mut self) {
            self.broken = true;
        }

        /// Starts reading the body of the message whose head just arrived.
        pub fn start_body(&mut self, framing: $crate::Framing, headers: &::h1::Headers) {
            self.body = Some($crate::BodyState::new(framing, headers));
        }

        /// The state of the body being read, if [`start_body`](Self::start_body) was
        /// called.
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
