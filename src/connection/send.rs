//! The send side of [`Connection`]: messages in, bytes out.
//!
//! Every call checks everything before it changes anything: a refused call (a local error)
//! writes nothing and leaves the connection as it was, so the caller may correct and retry.

use bytes::Bytes;

use super::cycle::{informational_accepts, informational_fits, RequestHead, ResponseHead};
use super::Connection;
use crate::error::Error;
use crate::event::{Request, Response, Version};
use crate::framing::{self, Framing, MethodKind, Repeats};
use crate::headers::{Headers, ProtocolFields};
use crate::state::{Ev, Role, State, Switch};
use crate::write::body::BodyWriter;
use crate::write::head::{self, Extra, ADDED_FIELDS_ROOM};
use crate::write::output::Output;

/// The framing the caller chose with its headers.
struct Chosen {
    chunked: bool,
    length: Option<u64>,
}

fn chosen_framing(headers: &Headers, protocol: &ProtocolFields) -> Result<Chosen, Error> {
    let length = framing::content_length(headers, protocol, Repeats::Refused).map_err(|e| {
        Error::input(alloc::format!(
            "invalid Content-Length to send: {}",
            e.message()
        ))
    })?;
    let chunked = protocol.transfer_encoding() > 0;
    if chunked {
        let only_chunked = headers
            .get_all("transfer-encoding")
            .flat_map(crate::headers::split_list)
            .map(|c| c.eq_ignore_ascii_case(b"chunked"))
            .eq([true]);
        if !only_chunked {
            return Err(Error::input(
                "the only Transfer-Encoding this crate sends is `chunked`",
            ));
        }
        if length.is_some() {
            return Err(Error::input(
                "a message cannot have both Transfer-Encoding and Content-Length",
            ));
        }
    }
    Ok(Chosen { chunked, length })
}

/// What sending a response does, worked out before anything changes
/// (`Connection::plan_response`).
struct ResponsePlan {
    /// `Informational` for a 1xx, else `Response`.
    event: Ev,
    /// The switch the response accepts: a 101 an Upgrade, a 2xx a CONNECT.
    accepted: Option<Switch>,
    framing: Framing,
    /// The body writer of a final response; `None` for a 1xx and a tunnel.
    writer: Option<BodyWriter>,
    /// The fields we add to, or drop from, the caller's.
    extra: Extra,
    /// The connection closes after this response.
    close: bool,
}

/// A response without a body, and why `send_data` refuses its bytes.
fn no_body(why: &'static str) -> (Framing, Option<BodyWriter>) {
    (Framing::NoBody, Some(BodyWriter::NoBody(why)))
}

impl Connection {
    /// The output for a head just written into the scratch buffer; notes its size for the
    /// buffer-keeping policy of `start_next_cycle`.
    fn head_output(&mut self, head: Bytes) -> Output {
        self.scratch.note(head.len() + ADDED_FIELDS_ROOM);
        let mut out = Output::default();
        out.push(head);
        out
    }

    fn check_allowed(&self, event: Ev, accepted: Option<Switch>) -> Result<(), Error> {
        if self.state.allows(self.role, event, accepted) {
            Ok(())
        } else {
            Err(Error::state(alloc::format!(
                "cannot send {event:?} while our state is {:?} (theirs {:?})",
                self.our_state(),
                self.their_state()
            )))
        }
    }

    /// Sends a request head (client role). The body's framing follows the caller's headers:
    /// `Content-Length: n` (exactly n bytes must follow), `Transfer-Encoding: chunked`
    /// (a body of unknown length; trailers allowed), or neither: no body.
    ///
    /// ```
    /// use h1::{Connection, ErrorKind, Request, Role, State};
    ///
    /// let mut client = Connection::new(Role::Client);
    /// let req = Request::new("PUT", "/notes/1")?
    ///     .with_header("Host", "example.com")?
    ///     .with_header("Content-Length", "5")?;
    /// let mut wire = client.send_request(&req)?.to_vec();
    /// wire.extend(client.send_data("hello".into())?.to_vec());
    /// // One byte more than announced: refused, nothing written, nothing changed.
    /// let err = client.send_data("!".into()).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// wire.extend(client.send_end()?.to_vec());
    /// assert_eq!(wire, b"PUT /notes/1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello");
    /// assert_eq!(client.our_state(), State::Done);
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidState`](crate::ErrorKind::InvalidState) in the server role or when a request
    /// is not due; [`InvalidInput`](crate::ErrorKind::InvalidInput) without exactly one Host
    /// field, or with contradictory framing headers.
    pub fn send_request(&mut self, req: &Request) -> Result<Output, Error> {
        if self.role != Role::Client {
            return Err(Error::state("only a client sends requests"));
        }
        self.check_allowed(Ev::Request, None)?;
        let headers = req.headers();
        let protocol = headers.protocol_fields();
        if protocol.host() != 1 {
            return Err(Error::input(
                "an HTTP/1.1 request needs exactly one Host field",
            ));
        }
        let chosen = chosen_framing(headers, &protocol)?;
        let writer = if chosen.chunked {
            BodyWriter::Chunked
        } else {
            BodyWriter::Length {
                remaining: chosen.length.unwrap_or(0),
            }
        };
        let head = head::request(&mut self.scratch, req, Extra::default());
        let out = self.head_output(head);

        let facts = RequestHead {
            method: MethodKind::of(req.method_bytes()),
            keep_alive: framing::keep_alive(Version::Http11, headers, &protocol),
            upgrade: protocol.upgrade() > 0,
            expects_continue: protocol.expect() != 0 && headers.has_token("expect", "100-continue"),
        };
        self.request_head(facts)
            .map_err(|_| Error::state("request refused by the state machine"))?;
        self.writer = Some(writer);
        Ok(out)
    }

    /// Sends a response head (server role): informational (1xx) or final.
    ///
    /// Framing of the body follows the caller's headers, and the connection fills in what
    /// is missing: with neither Content-Length nor Transfer-Encoding, an HTTP/1.1 client
    /// gets `Transfer-Encoding: chunked`, an HTTP/1.0 client a body delimited by closing
    /// the connection (`Connection: close` is added; chunked is never sent to 1.0).
    /// Responses to HEAD, and 204 and 304 responses, carry no body whatever the headers
    /// say. `Connection: close` is added when the connection will not be reused, and
    /// `Connection: keep-alive` when an HTTP/1.0 client asked for it and gets it.
    /// A 101 accepts the client's Upgrade; a 2xx accepts its CONNECT: the protocol then
    /// switches ([`take_trailing_data`](Self::take_trailing_data)). Either is allowed only
    /// once the whole request, body included, was received (read it to its
    /// `EndOfMessage` first): the request body is HTTP, only the bytes after it are the
    /// new protocol's.
    ///
    /// A final response sent while the client waits for `100 Continue`
    /// ([`client_is_waiting_for_100_continue`](Self::client_is_waiting_for_100_continue))
    /// closes the connection: `Connection: close` is added and
    /// [`is_keep_alive`](Self::is_keep_alive) turns false. Such a client may send its body
    /// anyway or never, so reading the body away could hang, and the next request could
    /// not be told from the body (RFC 9110 §10.1.1; Go's net/http does the same). Send
    /// `100 Continue` first to keep the connection.
    ///
    /// ```
    /// use h1::{Connection, Event, Response, Role};
    ///
    /// for (request, framing) in [
    ///     (&b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"[..], &b"Transfer-Encoding: chunked\r\n"[..]),
    ///     (b"GET / HTTP/1.0\r\n\r\n", b"Connection: close\r\n"),
    /// ] {
    ///     let mut server = Connection::new(Role::Server);
    ///     server.receive(request)?;
    ///     let Event::Request(_) = server.next_event()? else { panic!() };
    ///     let head = server.send_response(&Response::new(200)?)?.to_vec(); // no length given
    ///     assert!(head.windows(framing.len()).any(|w| w == framing));
    /// }
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidState`](crate::ErrorKind::InvalidState) in the client role, when a
    /// response is not due, for a 1xx to an HTTP/1.0 client (RFC 9110 §15.2), or for a
    /// switch before the request was received whole;
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a 101 without an Upgrade
    /// request, framing headers where no body may be, or contradictory framing headers.
    /// Nothing is written then.
    pub fn send_response(&mut self, res: &Response) -> Result<Output, Error> {
        self.send_response_framed(res, None)
    }

    /// Sends a response head for a body of `len` bytes: as
    /// [`send_response`](Self::send_response) with `Content-Length: len`, which the
    /// connection writes itself, so the caller's head needs no field for it (and nothing is
    /// allocated for one). A response that carries no body (to HEAD, a 304) keeps the
    /// field, which tells the length the body would have; [`send_data`](Self::send_data)
    /// then refuses every byte, as it would after `send_response`.
    ///
    /// ```
    /// use h1::{Connection, Event, Response, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// let Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    ///
    /// let res = Response::new(200)?.with_header("Content-Type", "text/plain")?;
    /// let mut wire = server.send_response_with_length(&res, 6)?.to_vec();
    /// wire.extend(server.send_data("hello\n".into())?.to_vec());
    /// wire.extend(server.send_end()?.to_vec());
    /// assert_eq!(
    ///     wire,
    ///     b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n"
    /// );
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`send_response`](Self::send_response) for a head with that field (a 1xx, a 204
    /// or a 2xx answer to CONNECT refuse it), and
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when `res` has its own
    /// Content-Length or Transfer-Encoding. Nothing is written then.
    pub fn send_response_with_length(&mut self, res: &Response, len: u64) -> Result<Output, Error> {
        self.send_response_framed(res, Some(len))
    }

    /// Sends a whole response whose body is `body`, in one output: the head as
    /// [`send_response_with_length`](Self::send_response_with_length) writes it for
    /// `body.len()` bytes, then the body, then the end of the message: what those three
    /// calls (with [`send_data`](Self::send_data) and [`send_end`](Self::send_end)) send,
    /// with one output instead of three. A response that carries no body (to HEAD, a 304)
    /// keeps the length in its head and leaves the body out.
    ///
    /// ```
    /// use h1::{Connection, Event, Response, Role, State};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// let Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// let res = Response::new(200)?;
    /// let wire = server.send_response_with_body(&res, "hello\n".into())?.to_vec();
    /// assert_eq!(wire, b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello\n");
    /// assert_eq!(server.our_state(), State::Done); // the whole response is sent
    ///
    /// server.start_next_cycle()?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// let Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// let wire = server.send_response_with_body(&res, "hello\n".into())?.to_vec();
    /// assert_eq!(wire, b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n"); // HEAD
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`send_response_with_length`](Self::send_response_with_length); nothing is
    /// written then.
    pub fn send_response_with_body(
        &mut self,
        res: &Response,
        body: Bytes,
    ) -> Result<Output, Error> {
        let mut out = self.send_response_framed(res, Some(body.len() as u64))?;
        if let Some(writer @ BodyWriter::Length { .. }) = self.writer.as_mut() {
            // Exactly the length the head gave: accepted.
            writer.data(body, &mut self.scratch, &mut out)?;
        }
        self.end_sent_message(&Headers::new(), &mut out)?;
        Ok(out)
    }

    /// [`send_response`](Self::send_response), with `Content-Length: len` added when
    /// `length` is given.
    fn send_response_framed(
        &mut self,
        res: &Response,
        length: Option<u64>,
    ) -> Result<Output, Error> {
        let protocol = res.headers().protocol_fields();
        let plan = self.plan_response(res, &protocol, length)?;
        let head = match res.headers().wire() {
            Some(wire) => match self.scratch.last_head.get(res, wire, plan.extra) {
                Some(head) => head,
                None => {
                    let head = head::response(&mut self.scratch, res, plan.extra);
                    self.scratch.last_head.keep(&head, res, wire, plan.extra);
                    head
                }
            },
            None => head::response(&mut self.scratch, res, plan.extra),
        };
        let out = self.head_output(head);

        let facts = ResponseHead {
            event: plan.event,
            accepted: plan.accepted,
            close: plan.close,
        };
        self.response_head(facts)
            .map_err(|_| Error::state("response refused by the state machine"))?;
        if plan.event == Ev::Response {
            self.writer = plan.writer;
        }
        Ok(out)
    }

    /// The framing the body of `res` gets if it is sent now with
    /// [`send_response`](Self::send_response), or the error that call would return; nothing
    /// changes. The send path decides with this same rule: [`Framing::NoBody`] for a 1xx,
    /// 204 or 304 response, a response to HEAD and a 2xx answer to CONNECT (whatever the
    /// headers say); the caller's `Content-Length`; `Transfer-Encoding: chunked` as given, or
    /// chosen for an HTTP/1.1 client when neither field is given; and a body delimited by
    /// closing for an HTTP/1.0 client without `Content-Length`.
    ///
    /// ```
    /// use h1::{Connection, Event, Framing, Response, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// let res = Response::new(200)?.with_header("Content-Length", "5")?;
    /// assert_eq!(server.response_framing(&res)?, Framing::NoBody);
    /// assert!(!server.response_has_body(200));
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`send_response`](Self::send_response).
    pub fn response_framing(&self, res: &Response) -> Result<Framing, Error> {
        self.plan_response(res, &res.headers().protocol_fields(), None)
            .map(|plan| plan.framing)
    }

    /// Whether a response with `status` to the current request may carry a body at all:
    /// false for 1xx, 204 and 304, for any response to HEAD, and for a 2xx answer to
    /// CONNECT. When false, [`send_data`](Self::send_data) refuses every byte after the
    /// head (as does the client reading it: no body is read).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// assert!(!server.response_has_body(200)); // an answer to HEAD
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn response_has_body(&self, status: u16) -> bool {
        framing::response_has_body(self.cycle.method, status)
    }

    /// What sending `res` now does, decided before anything changes: the state machine's
    /// event, the switch it accepts, the body's framing and writer, the fields we add, and
    /// whether the connection closes after it. A `length` given apart from the head counts
    /// as the head's own Content-Length.
    #[inline(always)]
    fn plan_response(
        &self,
        res: &Response,
        protocol: &ProtocolFields,
        length: Option<u64>,
    ) -> Result<ResponsePlan, Error> {
        if self.role != Role::Server {
            return Err(Error::state("only a server sends responses"));
        }
        let status = res.status();
        let headers = res.headers();
        let own_framing = protocol.content_length() > 0 || protocol.transfer_encoding() > 0;
        if own_framing && length.is_some() {
            return Err(Error::input(
                "a length given apart from a head with its own Content-Length or Transfer-Encoding",
            ));
        }
        let has_framing = own_framing || length.is_some();
        if status < 200 {
            if !informational_fits(status, self.state.pending_switch) {
                return Err(Error::input(
                    "101 Switching Protocols without an Upgrade request",
                ));
            }
            let accepted = informational_accepts(status);
            self.check_allowed(Ev::Informational, accepted)?;
            if self.peer_version == Version::Http10 {
                // RFC 9110 §15.2: a server MUST NOT send a 1xx to an HTTP/1.0 client.
                return Err(Error::state(
                    "a 1xx response cannot be sent to an HTTP/1.0 client",
                ));
            }
            if accepted.is_some() {
                self.check_request_complete("101 Switching Protocols")?;
            }
            if has_framing {
                return Err(Error::input(
                    "a 1xx response has no body: no Content-Length or Transfer-Encoding",
                ));
            }
            return Ok(ResponsePlan {
                event: Ev::Informational,
                accepted,
                framing: Framing::NoBody,
                writer: None,
                extra: Extra::default(),
                close: false,
            });
        }

        let accepted = self
            .state
            .connect_accepted(status, self.cycle.method == MethodKind::Connect);
        self.check_allowed(Ev::Response, accepted)?;
        if accepted.is_some() {
            self.check_request_complete("a 2xx answer to CONNECT")?;
        }
        let mut chosen = chosen_framing(headers, protocol)?;
        if length.is_some() {
            chosen.length = length;
        }
        let peer_10 = self.peer_version == Version::Http10;
        // A final status while the client waits for 100 Continue: it may send its body
        // anyway, or never, so the connection cannot be reused safely (RFC 9110 §10.1.1:
        // the server says it closes; Go's net/http does the same).
        let mut close = !self.state.keep_alive
            || !framing::keep_alive(Version::Http11, headers, protocol)
            || self.client_is_waiting_for_100_continue();
        let mut extra = Extra {
            content_length: length,
            ..Extra::default()
        };
        let (framing, writer) = if accepted.is_some() {
            if has_framing {
                return Err(Error::input(
                    "a 2xx answer to CONNECT has no Content-Length or Transfer-Encoding",
                ));
            }
            (Framing::NoBody, None)
        } else if status == 204 {
            if has_framing {
                return Err(Error::input(
                    "a 204 response has no body: no Content-Length or Transfer-Encoding",
                ));
            }
            no_body("a 204 response has no body")
        } else if status == 304 {
            if chosen.chunked {
                return Err(Error::input(
                    "a 304 response has no body: no Transfer-Encoding",
                ));
            }
            no_body("a 304 response has no body")
        } else if self.cycle.method == MethodKind::Head {
            no_body("a response to HEAD has no body")
        } else if let Some(n) = chosen.length {
            (
                Framing::Length(n),
                Some(BodyWriter::Length { remaining: n }),
            )
        } else if peer_10 {
            extra.drop_transfer_encoding = chosen.chunked;
            close = true;
            (Framing::UntilClose, Some(BodyWriter::UntilClose))
        } else {
            extra.chunked = !chosen.chunked;
            (Framing::Chunked, Some(BodyWriter::Chunked))
        };
        if close {
            extra.close = protocol.connection() == 0 || !headers.has_token("connection", "close");
        } else if peer_10 && protocol.connection() == 0 {
            extra.keep_alive = true;
        }
        Ok(ResponsePlan {
            event: Ev::Response,
            accepted,
            framing,
            writer,
            extra,
            close,
        })
    }

    /// A protocol switch happens only once the whole request was received: its body is
    /// HTTP, and only the bytes after it belong to the new protocol (h11's rule).
    fn check_request_complete(&self, what: &str) -> Result<(), Error> {
        if self.state.client == State::MightSwitchProtocol {
            Ok(())
        } else {
            Err(Error::state(alloc::format!(
                "{what} is sent only once the whole request (its body included) was received"
            )))
        }
    }

    /// Sends a piece of body. The bytes are not copied: the output holds `data` itself,
    /// between a chunk-size line and CRLF for a chunked body. An empty piece writes nothing.
    ///
    /// # Errors
    /// [`InvalidState`](crate::ErrorKind::InvalidState) when no body is being sent;
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when `data` goes past the
    /// Content-Length, or the message has no body (HEAD, 204, 304).
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Content-Length", "5")?;
    /// let _head = client.send_request(&req)?;
    /// let body = h1::Bytes::from_static(b"hello");
    /// assert_eq!(client.send_data(body)?.to_vec(), b"hello"); // the same bytes, not copied
    /// assert!(client.send_data(h1::Bytes::from_static(b"!")).is_err()); // past Content-Length
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn send_data(&mut self, data: Bytes) -> Result<Output, Error> {
        self.check_allowed(Ev::Data, None)?;
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| Error::state("no body is being sent"))?;
        let mut out = Output::default();
        writer.data(data, &mut self.scratch, &mut out)?;
        if self.role == Role::Client && !out.is_empty() {
            self.cycle.body_crossed();
        }
        Ok(out)
    }

    /// Ends the message we are sending (without trailers).
    ///
    /// # Errors
    /// As [`send_end_with_trailers`](Self::send_end_with_trailers).
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Content-Length", "5")?;
    /// let _head = client.send_request(&req)?;
    /// let _body = client.send_data(h1::Bytes::from_static(b"hello"))?;
    /// assert!(client.send_end()?.is_empty()); // a Content-Length body needs no end marker
    /// assert_eq!(client.our_state(), h1::State::Done);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn send_end(&mut self) -> Result<Output, Error> {
        self.send_end_with_trailers(&Headers::new())
    }

    /// Ends the message we are sending, with trailer fields (chunked bodies only).
    ///
    /// ```
    /// use h1::{Connection, Event, Headers, Response, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// let Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    ///
    /// let res = Response::new(200)?.with_header("Trailer", "X-Checksum")?;
    /// let mut wire = server.send_response(&res)?.to_vec(); // chunked: no length given
    /// wire.extend(server.send_data("data".into())?.to_vec());
    /// let mut trailers = Headers::new();
    /// trailers.append("X-Checksum", "8d777f38")?;
    /// wire.extend(server.send_end_with_trailers(&trailers)?.to_vec());
    /// assert!(wire.ends_with(b"4\r\ndata\r\n0\r\nX-Checksum: 8d777f38\r\n\r\n"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`InvalidState`](crate::ErrorKind::InvalidState) when no message is being sent;
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when fewer bytes than the
    /// Content-Length were sent, trailers are given for a body that is not chunked, or a
    /// trailer is Content-Length, Transfer-Encoding, Host or Connection.
    pub fn send_end_with_trailers(&mut self, trailers: &Headers) -> Result<Output, Error> {
        self.check_allowed(Ev::EndOfMessage, None)?;
        if !trailers.is_empty() {
            let k = trailers.protocol_fields();
            if k.content_length() + k.transfer_encoding() + k.host() + k.connection() > 0 {
                // RFC 9110 §6.5.1: framing, routing and connection fields are not trailers.
                return Err(Error::input(
                    "Content-Length, Transfer-Encoding, Host and Connection cannot be trailers",
                ));
            }
        }
        let mut out = Output::default();
        self.end_sent_message(trailers, &mut out)?;
        Ok(out)
    }

    /// Ends the message being sent, its end (if any) added to `out`; the state allows it.
    fn end_sent_message(&mut self, trailers: &Headers, out: &mut Output) -> Result<(), Error> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| Error::state("no body is being sent"))?;
        let before = out.len();
        writer.end(trailers, &mut self.scratch, out)?;
        self.scratch.note(out.len() - before + ADDED_FIELDS_ROOM);
        if *writer == BodyWriter::UntilClose {
            self.state.no_keep_alive();
        }
        self.state
            .process(self.role, Ev::EndOfMessage, None)
            .map_err(|_| Error::state("end of message refused by the state machine"))?;
        self.writer = None;
        self.sent_message_ended();
        Ok(())
    }

    /// Records that we closed (or will close) the connection. Nothing is written.
    ///
    /// # Errors
    /// [`InvalidState`](crate::ErrorKind::InvalidState) in the middle of a message.
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// client.send_close()?; // between messages: fine
    /// assert_eq!(client.our_state(), h1::State::Closed);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn send_close(&mut self) -> Result<(), Error> {
        self.check_allowed(Ev::ConnectionClosed, None)?;
        self.state
            .process(self.role, Ev::ConnectionClosed, None)
            .map_err(|_| Error::state("close refused by the state machine"))
    }
}
