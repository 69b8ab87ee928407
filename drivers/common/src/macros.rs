//! The methods both clients' public types have alike, written once: each driver expands
//! them inside its own `impl` block, so they stay inherent methods of its types.

/// `get`, `head`, `post`, `put` and `delete` on a client whose `request(method, url)`
/// returns `$builder`.
#[doc(hidden)]
#[macro_export]
macro_rules! client_verbs {
    ($builder:ty) => {
        /// A `GET` request.
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

/// The options of a request builder that holds its [`RequestParts`](crate::client::RequestParts)
/// in a field `parts`: `header`, `expect_continue`, `deadline`, `read_timeout`.
#[doc(hidden)]
#[macro_export]
macro_rules! request_options {
    () => {
        /// Adds a header field (an invalid name or value fails the request when sent).
        /// `Host` replaces the URL's; `Content-Length` and `Transfer-Encoding` follow from
        /// the body and are refused.
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
/// `reused: bool`: `status`, `reason`, `version`, `headers`, `head`, `reused`.
#[doc(hidden)]
#[macro_export]
macro_rules! response_head {
    () => {
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
    };
}
