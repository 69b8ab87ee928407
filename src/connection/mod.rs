//! [`Connection`]: owns the receive buffer and both sides' states; ties the readers and
//! writers to the state machine. Receiving is in `receive.rs`, sending in `send.rs`.

use crate::config::{Buffers, Limits};
use crate::error::Error;
use crate::event::{BodyMode, Version};
use crate::framing::Framing;
use crate::read::body::BodyReader;
use crate::read::head::{HeadScanner, Section};
use crate::read::lines::LineSplitter;
use crate::state::{ConnState, Role, State};
use crate::write::body::BodyWriter;
use cycle::Cycle;
use memory::{RecvBuf, Scratch};

mod cycle;
mod memory;
mod receive;
mod send;

/// A sans-IO HTTP/1.1 connection, for one role: bytes in, events out; messages in, bytes out.
///
/// It never touches a socket or a clock. The driver loop is:
///
/// 1. Hand over what the peer sent: [`receive`](Self::receive), or read straight into the
///    connection's buffer with [`read_with`](Self::read_with) (any I/O style: it lends the
///    receive window and passes the closure's own value through, a `Poll` included),
///    [`read_into`](Self::read_into) (shaped like `std::io::Read`) or
///    [`read_buf`](Self::read_buf) (the window as a `bytes::BufMut`, not zero-filled:
///    for tokio's `read_buf`); at the end of the
///    stream, [`receive_eof`](Self::receive_eof).
/// 2. Drain [`next_event`](Self::next_event) until [`Event::NeedData`](crate::Event::NeedData)
///    or [`Event::Paused`](crate::Event::Paused). On `Paused`, act first (step 3, or
///    [`take_trailing_data`](Self::take_trailing_data) after a switch). On `NeedData`, a
///    server first checks [`response_due`](Self::response_due): after a request's
///    `EndOfMessage` our answer is due, and `NeedData` then says only that no pipelined
///    request is buffered (the client waits for us: reading now would wait forever). Else
///    go back to 1.
/// 3. Send with [`send_request`](Self::send_request) / [`send_response`](Self::send_response),
///    [`send_data`](Self::send_data), [`send_end`](Self::send_end); write every
///    [`Output`](crate::Output) to the peer (it is a [`bytes::Buf`]; several can be chained
///    into one vectored write). To stop a body half sent (an upload answered early with
///    `413`), [`abort_send`](Self::abort_send), and keep reading the answer.
/// 4. When both sides are [`State::Done`], [`start_next_cycle`](Self::start_next_cycle) to
///    reuse the connection; when either is [`State::MustClose`], close it
///    ([`send_close`](Self::send_close)).
///
/// # Methods by purpose
///
/// - **Input** (bytes from the peer, events out): [`receive`](Self::receive),
///   [`read_with`](Self::read_with), [`read_into`](Self::read_into),
///   [`read_buf`](Self::read_buf),
///   [`receive_eof`](Self::receive_eof), [`next_event`](Self::next_event),
///   [`buffered`](Self::buffered), [`take_trailing_data`](Self::take_trailing_data).
/// - **Output** (messages in, bytes out): [`send_request`](Self::send_request),
///   [`send_response`](Self::send_response),
///   [`send_response_with_length`](Self::send_response_with_length),
///   [`send_data`](Self::send_data),
///   [`send_end`](Self::send_end), [`send_end_with_trailers`](Self::send_end_with_trailers),
///   [`send_close`](Self::send_close), [`abort_send`](Self::abort_send),
///   [`send_failed`](Self::send_failed).
/// - **State** (what to do next): [`our_state`](Self::our_state),
///   [`their_state`](Self::their_state), [`is_keep_alive`](Self::is_keep_alive),
///   [`response_due`](Self::response_due),
///   [`client_is_waiting_for_100_continue`](Self::client_is_waiting_for_100_continue),
///   [`incoming_framing`](Self::incoming_framing),
///   [`response_framing`](Self::response_framing),
///   [`response_has_body`](Self::response_has_body),
///   [`start_next_cycle`](Self::start_next_cycle).
/// - **Configuration**: [`new`](Self::new), [`with_limits`](Self::with_limits),
///   [`with_buffers`](Self::with_buffers), [`role`](Self::role), [`limits`](Self::limits),
///   [`buffers`](Self::buffers), [`set_body_mode`](Self::set_body_mode),
///   [`body_mode`](Self::body_mode).
///
/// ```
/// use h1::{Connection, Event, Response, Role};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"GET /hi HTTP/1.1\r\nHost: example.com\r\n\r\n")?;
/// let Event::Request(req) = server.next_event()? else { panic!() };
/// assert_eq!(req.target(), "/hi");
/// assert!(matches!(server.next_event()?, Event::EndOfMessage(_)));
///
/// let res = Response::new(200)?.with_header("Content-Length", "5")?;
/// let mut wire = server.send_response(&res)?.to_vec();
/// wire.extend(server.send_data("hello".into())?.to_vec());
/// wire.extend(server.send_end()?.to_vec());
/// assert_eq!(wire, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
/// server.start_next_cycle()?; // keep-alive: ready for the next request
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug)]
pub struct Connection {
    role: Role,
    limits: Limits,
    buffers: Buffers,
    state: ConnState,

    // Receiving.
    /// The receive buffer, its peak and its release rule (`memory.rs`).
    buf: RecvBuf,
    eof: bool,
    scanner: HeadScanner,
    body: Option<BodyReader>,
    mode: BodyMode,
    lines: LineSplitter,
    /// A remote error: returned again by every later `next_event`.
    error: Option<Error>,

    // The current cycle.
    /// What this cycle's heads decided (`cycle.rs`).
    cycle: Cycle,
    /// The HTTP version the peer used last.
    peer_version: Version,

    // Sending.
    writer: Option<BodyWriter>,
    /// Heads we write, and small chunks gathered on the receive side: split off after every
    /// use, so empty between uses (`memory.rs`).
    scratch: Scratch,
}

impl Connection {
    /// A connection with the default [`Limits`].
    ///
    /// ```
    /// let client = h1::Connection::new(h1::Role::Client);
    /// assert_eq!(client.our_state(), h1::State::Idle);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn new(role: Role) -> Self {
        Self::with_limits(role, Limits::default())
    }

    /// A connection with the given limits, and the default [`Buffers`] (but for the
    /// deprecated `Limits::read_size` and `Limits::shrink_threshold`, which are still taken
    /// from `limits`).
    ///
    /// ```
    /// let mut limits = h1::Limits::default();
    /// limits.max_head_size = 16 * 1024;
    /// let server = h1::Connection::with_limits(h1::Role::Server, limits);
    /// assert_eq!(server.limits().max_head_size, 16 * 1024);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn with_limits(role: Role, limits: Limits) -> Self {
        #[allow(deprecated)] // the migration path: the old fields still count
        let buffers = Buffers {
            read_size: limits.read_size,
            shrink_threshold: limits.shrink_threshold,
        };
        Self {
            role,
            limits,
            buffers,
            state: ConnState::new(),
            buf: RecvBuf::default(),
            eof: false,
            scanner: HeadScanner::new(match role {
                Role::Server => Section::Request,
                Role::Client => Section::Response,
            }),
            body: None,
            mode: BodyMode::default(),
            lines: LineSplitter::default(),
            error: None,
            cycle: Cycle::default(),
            peer_version: Version::Http11,
            writer: None,
            scratch: Scratch::default(),
        }
    }

    /// The same connection with `buffers` for its buffer tuning (read size, when memory is
    /// given back). Call it before any byte is received.
    ///
    /// ```
    /// let mut buffers = h1::Buffers::default();
    /// buffers.shrink_threshold = 16 * 1024;
    /// let conn = h1::Connection::new(h1::Role::Client).with_buffers(buffers);
    /// assert_eq!(conn.buffers().shrink_threshold, 16 * 1024);
    /// ```
    #[must_use]
    pub fn with_buffers(mut self, buffers: Buffers) -> Self {
        self.buffers = buffers;
        self
    }

    /// Our role.
    ///
    /// ```
    /// assert_eq!(h1::Connection::new(h1::Role::Client).role(), h1::Role::Client);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }

    /// The limits in force.
    ///
    /// ```
    /// let server = h1::Connection::new(h1::Role::Server);
    /// assert_eq!(server.limits().max_head_size, h1::Limits::default().max_head_size);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The buffer tuning in force.
    ///
    /// ```
    /// let server = h1::Connection::new(h1::Role::Server);
    /// assert_eq!(server.buffers().read_size, h1::Buffers::default().read_size);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn buffers(&self) -> &Buffers {
        &self.buffers
    }

    /// Our side's state. Changes on our `send_*` calls, and on events from the peer that
    /// force it (their `Connection: close` turns our `Done` into `MustClose`).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// let h1::Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// assert_eq!(server.our_state(), h1::State::SendResponse); // our turn to answer
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn our_state(&self) -> State {
        self.state.get(self.role)
    }

    /// The peer's side's state. Changes as [`next_event`](Self::next_event) hands out events.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// let h1::Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// assert_eq!(server.their_state(), h1::State::Done); // the request is complete
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn their_state(&self) -> State {
        self.state.get(self.role.peer())
    }

    /// True while the connection may be reused after the current cycle: no side asked to
    /// close, no message was delimited by closing, and no error happened. Once false it
    /// stays false. It turns false when a head crosses (received or sent) that closes the
    /// connection (`Connection: close`, HTTP/1.0 without keep-alive, a body delimited by
    /// closing), on a remote error, and on [`abort_send`](Self::abort_send) or
    /// [`send_failed`](Self::send_failed).
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// let h1::Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// let _ = server.send_response(&h1::Response::new(200)?.with_header("Content-Length", "0")?)?;
    /// let _ = server.send_end()?;
    /// assert!(server.is_keep_alive()); // HTTP/1.1 without Connection: close
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_keep_alive(&self) -> bool {
        self.state.keep_alive
    }

    /// True while a client that sent `Expect: 100-continue` waits: no response (not even a
    /// 1xx) and no body byte crossed yet. A server seeing it true answers `100 Continue`
    /// before it reads the body, or a final status, which closes the connection (see
    /// [`send_response`](Self::send_response)); a client seeing it true may send its
    /// body anyway whenever it stops waiting. Never true for an HTTP/1.0 request (RFC 9110
    /// §10.1.1) or one without a body.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// assert!(server.client_is_waiting_for_100_continue()); // reading the body sends 100 first
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn client_is_waiting_for_100_continue(&self) -> bool {
        self.cycle.expects_continue && self.state.client == State::SendBody
    }

    /// How the body of the incoming message is delivered: set after its head arrived
    /// ([`Event::Request`](crate::Event::Request) or [`Event::Response`](crate::Event::Response)),
    /// and changeable between its events. Every incoming message starts with the default,
    /// `BodyMode::Data { max: usize::MAX }`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for `Data { max: 0 }`;
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) unless a message's body
    /// is being received (the peer's state is [`State::SendBody`]): before its head a mode
    /// would not last (each message starts with the default), and after its end there is
    /// nothing left to deliver.
    ///
    /// ```
    /// use h1::{BodyMode, Connection, ErrorKind, Event, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// let early = server.set_body_mode(BodyMode::Lines).unwrap_err();
    /// assert_eq!(early.kind(), ErrorKind::InvalidState);
    ///
    /// server.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\na\nb\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// server.set_body_mode(BodyMode::Lines)?;
    /// assert_eq!(server.next_event()?, Event::LineComplete("a".into()));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn set_body_mode(&mut self, mode: BodyMode) -> Result<(), Error> {
        if mode == (BodyMode::Data { max: 0 }) {
            return Err(Error::input("BodyMode::Data needs a max of at least 1"));
        }
        if self.their_state() != State::SendBody {
            return Err(Error::state(alloc::format!(
                "a body mode is set while a body is being received, not in {:?}",
                self.their_state()
            )));
        }
        self.mode = mode;
        Ok(())
    }

    /// The body mode in force.
    ///
    /// ```
    /// let server = h1::Connection::new(h1::Role::Server);
    /// assert_eq!(server.body_mode(), h1::BodyMode::default());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn body_mode(&self) -> BodyMode {
        self.mode
    }

    /// The framing of the body of the message received last, from its head on (`None`
    /// before any head of this cycle, and after an informational response until the final
    /// one): a server can refuse a body too large for it (413) before it answers
    /// `100 Continue`, without parsing `Content-Length` again.
    ///
    /// ```
    /// use h1::{Connection, Event, Framing, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n")?;
    /// let Event::Request(_) = server.next_event()? else { panic!() };
    /// assert_eq!(server.incoming_framing(), Some(Framing::Length(5_000_000)));
    /// assert!(server.client_is_waiting_for_100_continue());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn incoming_framing(&self) -> Option<Framing> {
        self.cycle.incoming
    }

    /// Server role: true when a request was received whole (its
    /// [`EndOfMessage`](crate::Event::EndOfMessage) handed out) and our response to it is
    /// not finished. Our answer is due then: a [`NeedData`](crate::Event::NeedData) from
    /// [`next_event`](Self::next_event) means only that no pipelined request is buffered,
    /// and a driver that reads before it answers waits on a client that waits for it.
    /// Always false for a client.
    ///
    /// ```
    /// use h1::{Connection, Event, Role};
    ///
    /// let mut server = Connection::new(Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// assert!(matches!(server.next_event()?, Event::Request(_)));
    /// assert!(!server.response_due()); // the request is not complete yet
    /// assert!(matches!(server.next_event()?, Event::EndOfMessage(_)));
    /// assert_eq!(server.next_event()?, Event::NeedData);
    /// assert!(server.response_due()); // answer before reading more
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn response_due(&self) -> bool {
        self.role == Role::Server
            && matches!(self.state.server, State::SendResponse | State::SendBody)
            && matches!(
                self.state.client,
                State::Done | State::MustClose | State::MightSwitchProtocol
            )
    }

    /// Starts the next request/response cycle on a kept-alive connection. Buffered bytes
    /// (a pipelined request) are kept and parsed by the next [`next_event`](Self::next_event).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) unless both sides are
    /// [`State::Done`]; nothing changes then.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// let h1::Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// let _ = server.send_response(&h1::Response::new(200)?.with_header("Content-Length", "0")?)?;
    /// let _ = server.send_end()?;
    /// server.start_next_cycle()?; // the connection is kept for the next request
    /// assert_eq!(server.their_state(), h1::State::Idle);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn start_next_cycle(&mut self) -> Result<(), Error> {
        if !self.state.start_next_cycle() {
            return Err(Error::state(alloc::format!(
                "the next cycle starts only when both sides are Done (client {:?}, server {:?})",
                self.state.client,
                self.state.server
            )));
        }
        self.writer = None;
        self.cycle = Cycle::default();
        self.scanner = self.fresh_scanner();
        self.mode = BodyMode::default();
        self.lines.reset();
        // An idle connection holds little heap (`memory.rs`).
        self.buf.next_cycle();
        self.scratch.next_cycle();
        Ok(())
    }

    /// Stops the message we are sending without writing anything more: our side becomes
    /// [`State::MustClose`] and the connection will not be reused, while the peer's message
    /// can still be read to its end. A client uploading a body that gets an early final
    /// response (a `413` with `Connection: close`, say) stops sending with this and reads
    /// the response; a server that cannot finish a response body does the same before
    /// closing. Between messages it only marks the connection to close. Nothing changes
    /// on a side already closed, switched or in error.
    ///
    /// ```
    /// use h1::{Connection, Event, Request, Role, State};
    ///
    /// let mut client = Connection::new(Role::Client);
    /// let req = Request::new("PUT", "/big")?
    ///     .with_header("Host", "a")?
    ///     .with_header("Content-Length", "1000000")?;
    /// let _ = client.send_request(&req)?;
    /// let _ = client.send_data(vec![0; 1000].into())?;
    /// client.receive(b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?;
    /// let Event::Response(res) = client.next_event()? else { panic!() };
    /// assert_eq!(res.status(), 413);
    ///
    /// client.abort_send();
    /// assert_eq!(client.our_state(), State::MustClose);
    /// assert!(client.send_data("more".into()).is_err());
    /// assert!(matches!(client.next_event()?, Event::EndOfMessage(_)));
    /// client.send_close()?;
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn abort_send(&mut self) {
        self.writer = None;
        self.cycle.expects_continue = false;
        self.state.abort(self.role);
    }

    /// Tells the connection that writing our bytes failed: our side moves to
    /// [`State::Error`] and the connection cannot be reused.
    ///
    /// ```
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let h1::Event::Request(_) = server.next_event()? else { panic!() };
    /// let h1::Event::EndOfMessage(_) = server.next_event()? else { panic!() };
    /// let _unwritten = server.send_response(&h1::Response::new(200)?)?;
    /// server.send_failed(); // say, the socket write failed
    /// assert_eq!(server.our_state(), h1::State::Error);
    /// assert!(!server.is_keep_alive());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn send_failed(&mut self) {
        self.state.no_keep_alive();
        self.state.error(self.role);
    }

    /// A message ended: large buffers go back to the allocator
    /// ([`Buffers::shrink_threshold`], `memory.rs`), so a connection that once took a
    /// large head or line does not keep that memory.
    fn release_memory(&mut self) {
        self.buf.message_ended(&self.buffers);
        self.scratch.message_ended(&self.buffers);
    }

    /// We ended our message: buffers are released as in [`Self::release_memory`] unless
    /// our side goes on (a switch may follow).
    fn sent_message_ended(&mut self) {
        if self.our_state() == State::Done || self.our_state() == State::MustClose {
            self.release_memory();
        }
    }
}
