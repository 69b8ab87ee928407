//! [`Connection`]: owns the receive buffer and both sides' states; ties the readers and
//! writers to the state machine. Receiving is in `receive.rs`, sending in `send.rs`.

use bytes::BytesMut;

use crate::config::Limits;
use crate::error::Error;
use crate::event::{BodyMode, Version};
use crate::read::body::BodyReader;
use crate::read::framing::MethodKind;
use crate::read::head::HeadScanner;
use crate::read::lines::LineSplitter;
use crate::state::{ConnState, Role, State};
use crate::write::body::BodyWriter;

mod receive;
mod send;

/// A sans-IO HTTP/1.1 connection, for one role: bytes in, events out; messages in, bytes out.
///
/// It never touches a socket or a clock. The driver loop is:
///
/// 1. Hand over what the peer sent: [`receive`](Self::receive) (or read straight into the
///    connection's buffer with [`read_into`](Self::read_into)); at the end of the stream,
///    [`receive_eof`](Self::receive_eof).
/// 2. Drain [`next_event`](Self::next_event) until [`Event::NeedData`](crate::Event::NeedData)
///    (go back to 1) or [`Event::Paused`](crate::Event::Paused) (act first).
/// 3. Send with [`send_request`](Self::send_request) / [`send_response`](Self::send_response),
///    [`send_data`](Self::send_data), [`send_end`](Self::send_end); write every
///    [`Output`](crate::Output) to the peer.
/// 4. When both sides are [`State::Done`], [`start_next_cycle`](Self::start_next_cycle) to
///    reuse the connection; when either is [`State::MustClose`], close it.
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
    state: ConnState,

    // Receiving.
    buf: BytesMut,
    /// The largest the receive buffer grew this cycle (see `start_next_cycle`).
    buf_peak: usize,
    eof: bool,
    scanner: HeadScanner,
    body: Option<BodyReader>,
    mode: BodyMode,
    lines: LineSplitter,
    /// A remote error: returned again by every later `next_event`.
    error: Option<Error>,

    // The current cycle.
    /// The method of the current request (sent as a client, received as a server).
    method: MethodKind,
    /// The HTTP version the peer used last.
    peer_version: Version,
    /// The request carried `Expect: 100-continue` and nothing answered it yet.
    expects_continue: bool,

    // Sending.
    writer: Option<BodyWriter>,
    /// Heads we write, and small chunks gathered on the receive side: split off after every
    /// use, so empty between uses.
    scratch: BytesMut,
    /// The most this cycle put in `scratch`: heads serialized, small chunks gathered (see
    /// `start_next_cycle`).
    scratch_peak: usize,
}

/// Between keep-alive cycles, an empty receive buffer that never grew past this is kept
/// for the next request (no allocation then); a larger one is given back. With
/// [`SCRATCH_KEEP`], an idle connection holds at most ~1.2 KiB of heap, so 10,000 idle
/// connections stay well under 20 MiB.
const RECV_KEEP: usize = 768;

/// The same for the buffer that heads we send are written into.
const SCRATCH_KEEP: usize = 384;

impl Connection {
    /// A connection with the default [`Limits`].
    pub fn new(role: Role) -> Self {
        Self::with_limits(role, Limits::default())
    }

    /// A connection with the given limits.
    pub fn with_limits(role: Role, limits: Limits) -> Self {
        Self {
            role,
            limits,
            state: ConnState::new(),
            buf: BytesMut::new(),
            buf_peak: 0,
            eof: false,
            scanner: HeadScanner::default(),
            body: None,
            mode: BodyMode::default(),
            lines: LineSplitter::default(),
            error: None,
            method: MethodKind::Other,
            peer_version: Version::Http11,
            expects_continue: false,
            writer: None,
            scratch: BytesMut::new(),
            scratch_peak: 0,
        }
    }

    /// Our role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Our side's state. Changes on our `send_*` calls, and on events from the peer that
    /// force it (their `Connection: close` turns our `Done` into `MustClose`).
    pub fn our_state(&self) -> State {
        self.state.get(self.role)
    }

    /// The peer's side's state. Changes as [`next_event`](Self::next_event) hands out events.
    pub fn their_state(&self) -> State {
        self.state.get(self.role.peer())
    }

    /// True while the connection may be reused after the current cycle: no side asked to
    /// close, no message was delimited by closing, and no error happened.
    pub fn is_keep_alive(&self) -> bool {
        self.state.keep_alive
    }

    /// True while a client that sent `Expect: 100-continue` waits: no response (not even a
    /// 1xx) and no body byte crossed yet. A server seeing it true answers `100 Continue`
    /// before it reads the body, or a final status, which closes the connection (see
    /// [`send_response`](Self::send_response)); a client seeing it true may send its
    /// body anyway whenever it stops waiting. Never true for an HTTP/1.0 request (RFC 9110
    /// §10.1.1) or one without a body.
    pub fn client_is_waiting_for_100_continue(&self) -> bool {
        self.expects_continue && self.state.client == State::SendBody
    }

    /// How a body is delivered; set for the incoming message after its head arrived, and
    /// changeable between events. Every incoming message starts with the default,
    /// `BodyMode::Data { max: usize::MAX }`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for `Data { max: 0 }`.
    pub fn set_body_mode(&mut self, mode: BodyMode) -> Result<(), Error> {
        if mode == (BodyMode::Data { max: 0 }) {
            return Err(Error::input("BodyMode::Data needs a max of at least 1"));
        }
        self.mode = mode;
        Ok(())
    }

    /// The body mode in force.
    pub fn body_mode(&self) -> BodyMode {
        self.mode
    }

    /// Starts the next request/response cycle on a kept-alive connection. Buffered bytes
    /// (a pipelined request) are kept and parsed by the next [`next_event`](Self::next_event).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidState`](crate::ErrorKind::InvalidState) unless both sides are
    /// [`State::Done`]; nothing changes then.
    pub fn start_next_cycle(&mut self) -> Result<(), Error> {
        if !self.state.start_next_cycle() {
            return Err(Error::state(alloc::format!(
                "the next cycle starts only when both sides are Done (client {:?}, server {:?})",
                self.state.client,
                self.state.server
            )));
        }
        self.writer = None;
        self.method = MethodKind::Other;
        self.expects_continue = false;
        self.scanner = HeadScanner::default();
        self.mode = BodyMode::default();
        self.lines.reset();
        // An idle connection holds little heap: an empty receive buffer and the scratch
        // buffer are kept only while small (a pipelined request's bytes always stay).
        if self.buf.is_empty() && self.buf_peak > RECV_KEEP {
            self.buf = BytesMut::new();
        }
        if self.scratch_peak > SCRATCH_KEEP {
            self.scratch = BytesMut::new();
        }
        self.buf_peak = self.buf.capacity();
        self.scratch_peak = 0;
        Ok(())
    }

    /// Tells the connection that writing our bytes failed: our side moves to
    /// [`State::Error`] and the connection cannot be reused.
    pub fn send_failed(&mut self) {
        self.state.no_keep_alive();
        self.state.error(self.role);
    }

    /// Gives a large, empty receive buffer back to the allocator
    /// ([`Limits::shrink_threshold`]) as soon as a message ends, so a connection that once
    /// took a large head or line does not keep that memory.
    fn release_memory(&mut self) {
        if self.buf.is_empty() && self.buf.capacity() > self.limits.shrink_threshold {
            self.buf = BytesMut::new();
        }
        if self.scratch.capacity() > self.limits.shrink_threshold {
            self.scratch = BytesMut::new();
        }
    }
}
