//! [`Checked`]: a receiving [`Connection`] whose every event is checked against the
//! invariants every receiving connection keeps (`docs/testing.md`), independently of how
//! src/ computes them.
//!
//! - The sequence is valid: a head before any body event, one end per message, 1xx only
//!   before a final response, nothing but `ConnectionClosed` after it, and every error
//!   sticky (the same error again, the peer's state `Error`, no keep-alive).
//! - `Data` pieces are never empty, never over the `BodyMode::Data` bound, never in line
//!   mode, never for a message that has no body; lines never in data mode nor over
//!   `max_line_length`.
//! - The `Data` lengths of a message add up to its Content-Length (and never pass it, nor
//!   `max_body_size`); a request without framing headers has no body.
//! - When `NeedData` comes, `buffered()` is at most the largest thing a limit lets a
//!   connection wait for (see [`Checked::bound`]); after EOF, `NeedData` never comes.
//! - Progress: at most a few events per byte fed (no loop handing out events forever).
//! - `next_event` never returns a local error (InvalidState/InvalidInput).

use h1::{BodyMode, Buffers, Connection, Error, Event, Headers, Limits, Role, State};
use h1_harness::Receiver;

/// Where the received stream is.
#[derive(Debug, Clone)]
enum Phase {
    /// Between messages: a head (or a 1xx, or the end of the stream) may come.
    Head,
    /// Inside the body of a message.
    Body {
        /// The Content-Length the message is framed by, if any.
        length: Option<u64>,
        /// The message has no body whatever its headers say (HEAD, 204, 304).
        none: bool,
        /// Chunked: only then may trailers come.
        chunked: bool,
        /// Data bytes so far.
        got: u64,
        /// Some of the body came as lines.
        lines: bool,
    },
    /// The protocol switched: only `Paused` may come.
    Switched,
    /// The peer closed between messages.
    Closed,
    /// A remote error: the same one must come back.
    Failed(Error),
}

/// A receiving connection plus the checker state.
#[derive(Debug)]
pub struct Checked {
    /// The connection under test; send on it freely.
    pub conn: Connection,
    limits: Limits,
    buffers: Buffers,
    /// As a [`Receiver`]: bytes go in with `read_into` (and EOF as a read returning 0)
    /// instead of `receive` and `receive_eof`.
    pub read_into: bool,
    phase: Phase,
    /// The body mode the harness set for the current message.
    mode: BodyMode,
    /// Client role: the method of the request being answered.
    method: String,
    eof: bool,
    fed: usize,
    events: usize,
    /// Messages completed (EndOfMessage events).
    pub ends: usize,
}

impl Checked {
    /// A checked connection for `role` with `limits` and `buffers`.
    pub fn new(role: Role, limits: Limits, buffers: Buffers) -> Self {
        Self {
            conn: Connection::with_limits(role, limits.clone()).with_buffers(buffers.clone()),
            limits,
            buffers,
            read_into: false,
            phase: Phase::Head,
            mode: BodyMode::default(),
            method: String::new(),
            eof: false,
            fed: 0,
            events: 0,
            ends: 0,
        }
    }

    /// The most `buffered()` may hold when `NeedData` comes: a connection waits for more
    /// input only while what it holds is an unfinished head (≤ `max_head_size`), chunk-size
    /// line (≤ `max_chunk_line`), trailer section (≤ `max_trailer_size`) or body line in
    /// line mode (≤ `max_line_length`). Body bytes in data mode are handed out at once.
    pub fn bound(limits: &Limits) -> usize {
        limits
            .max_head_size
            .max(limits.max_chunk_line)
            .max(limits.max_trailer_size)
            .max(limits.max_line_length)
    }

    /// Hands bytes to the connection.
    pub fn feed(&mut self, bytes: &[u8]) {
        assert!(!self.eof, "harness fed bytes after EOF");
        self.conn.receive(bytes).expect("receive before EOF");
        self.fed += bytes.len();
    }

    /// Hands bytes over as a driver reading a socket would, with `read_into`; returns how
    /// many were taken (at most `read_size`). Checks the buffer grew by exactly that.
    pub fn read(&mut self, bytes: &[u8]) -> usize {
        assert!(!self.eof && !bytes.is_empty());
        let before = self.conn.buffered();
        let n = self
            .conn
            .read_into(|buf: &mut [u8]| {
                assert!(
                    buf.len() >= self.buffers.read_size.max(1),
                    "read_into offers less"
                );
                let n = bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                Ok::<_, ()>(n)
            })
            .unwrap();
        assert_eq!(
            self.conn.buffered(),
            before + n,
            "read_into kept other than read"
        );
        self.fed += n;
        n
    }

    /// The end of the stream, as a driver's read returning 0 would tell it.
    pub fn read_eof(&mut self) {
        let before = self.conn.buffered();
        assert_eq!(self.conn.read_into(|_| Ok::<_, ()>(0)), Ok(0));
        assert_eq!(self.conn.buffered(), before);
        self.eof = true;
    }

    /// The end of the stream.
    pub fn eof(&mut self) {
        self.conn.receive_eof();
        self.eof = true;
    }

    /// Whether EOF was given.
    pub fn at_eof(&self) -> bool {
        self.eof
    }

    /// Sets the body mode of the current message. After a head that no body follows (a
    /// 1xx, a switch) there is none to set, and the connection refuses one.
    pub fn set_mode(&mut self, mode: BodyMode) {
        if self.conn.their_state() != State::SendBody {
            return;
        }
        self.conn.set_body_mode(mode).expect("valid body mode");
        self.mode = mode;
    }

    /// Client role: records the method of the request just sent.
    pub fn set_method(&mut self, method: &str) {
        self.method = method.to_string();
    }

    /// The next event, checked.
    pub fn next_event(&mut self) -> Result<Event, Error> {
        let result = self.conn.next_event();
        self.events += 1;
        assert!(
            self.events <= 4 * self.fed + 64,
            "{} events from {} bytes: no progress",
            self.events,
            self.fed
        );
        assert_eq!(self.conn.body_mode(), self.mode_now(), "body mode changed");
        match &self.phase {
            Phase::Failed(e) => {
                assert_eq!(result.as_ref(), Err(e), "errors are sticky");
                return result;
            }
            Phase::Closed => {
                assert_eq!(result, Ok(Event::ConnectionClosed), "closed is sticky");
                return result;
            }
            _ => {}
        }
        match &result {
            Ok(event) => self.check_event(event),
            Err(e) => {
                assert!(!e.is_local(), "next_event returned a local error: {e:?}");
                // A server's remote errors name the status to answer; a client's none.
                assert_eq!(
                    e.status_hint().is_some(),
                    self.conn.role() == Role::Server,
                    "status hint in the wrong role: {e:?}"
                );
                assert_eq!(self.conn.their_state(), State::Error);
                assert!(!self.conn.is_keep_alive());
                self.phase = Phase::Failed(e.clone());
            }
        }
        result
    }

    /// The mode in force: what the harness set, or the default between messages.
    fn mode_now(&self) -> BodyMode {
        match self.phase {
            Phase::Body { .. } => self.mode,
            _ => self.conn.body_mode(),
        }
    }

    fn check_event(&mut self, event: &Event) {
        let role = self.conn.role();
        match event {
            Event::Request(req) => {
                assert_eq!(role, Role::Server);
                self.expect_head("a request");
                let chunked = req.headers().contains("transfer-encoding");
                let length = if chunked {
                    None
                } else {
                    Some(content_length(req.headers()).unwrap_or(0))
                };
                self.start_body(length, false, chunked);
            }
            Event::Informational(res) => {
                assert_eq!(role, Role::Client);
                self.expect_head("a 1xx");
                assert!(res.status() < 200);
                if res.status() == 101 {
                    self.phase = Phase::Switched;
                }
            }
            Event::Response(res) => {
                assert_eq!(role, Role::Client);
                self.expect_head("a response");
                let status = res.status();
                assert!((200..600).contains(&status));
                if self.method == "CONNECT" && (200..300).contains(&status) {
                    self.phase = Phase::Switched;
                    return;
                }
                let none = self.method == "HEAD" || status == 204 || status == 304;
                let chunked = !none && res.headers().contains("transfer-encoding");
                let length = if none || chunked {
                    None
                } else {
                    content_length(res.headers())
                };
                self.start_body(length, none, chunked);
            }
            Event::Data(d) => {
                let Phase::Body {
                    length, none, got, ..
                } = &mut self.phase
                else {
                    panic!("Data outside a body: {:?}", self.phase)
                };
                assert!(!*none, "Data for a message without body");
                assert!(!d.is_empty(), "empty Data");
                let BodyMode::Data { max } = self.mode else {
                    panic!("Data in line mode")
                };
                assert!(d.len() <= max, "Data of {} over max {max}", d.len());
                *got += d.len() as u64;
                if let Some(n) = length {
                    assert!(*got <= *n, "body longer than its Content-Length {n}");
                }
                if let Some(max) = self.limits.max_body_size {
                    assert!(*got <= max, "body over max_body_size");
                }
            }
            Event::LineComplete(line) => {
                let Phase::Body { none, lines, .. } = &mut self.phase else {
                    panic!("LineComplete outside a body: {:?}", self.phase)
                };
                *lines = true;
                assert!(!*none, "a line for a message without body");
                assert_eq!(self.mode, BodyMode::Lines, "a line in data mode");
                assert!(line.len() <= self.limits.max_line_length, "line too long");
            }
            Event::EndOfMessage(trailers) => {
                let Phase::Body {
                    length,
                    chunked,
                    got,
                    lines,
                    ..
                } = &self.phase
                else {
                    panic!("EndOfMessage outside a body: {:?}", self.phase)
                };
                if !*chunked {
                    assert!(trailers.is_empty(), "trailers without chunked");
                }
                if let (Some(n), false) = (length, lines) {
                    assert_eq!(got, n, "Data lengths do not add up to Content-Length");
                }
                self.ends += 1;
                self.phase = Phase::Head;
            }
            Event::ConnectionClosed => {
                self.expect_head("ConnectionClosed");
                assert!(self.eof, "ConnectionClosed before EOF");
                assert_eq!(self.conn.their_state(), State::Closed);
                self.phase = Phase::Closed;
            }
            Event::NeedData => {
                assert!(!self.eof, "NeedData after EOF");
                assert!(
                    self.conn.buffered() <= Self::bound(&self.limits),
                    "NeedData with {} bytes buffered (bound {})",
                    self.conn.buffered(),
                    Self::bound(&self.limits)
                );
            }
            Event::Paused => {
                let (ours, theirs) = (self.conn.our_state(), self.conn.their_state());
                assert!(
                    matches!(
                        theirs,
                        State::Done | State::MightSwitchProtocol | State::SwitchedProtocol
                    ) || ours == State::SwitchedProtocol,
                    "Paused with states {ours:?}/{theirs:?}"
                );
            }
            other => panic!("unknown event {other:?}"),
        }
    }

    fn expect_head(&self, what: &str) {
        assert!(
            matches!(self.phase, Phase::Head),
            "{what} while in {:?}",
            self.phase
        );
    }

    fn start_body(&mut self, length: Option<u64>, none: bool, chunked: bool) {
        self.mode = BodyMode::default();
        assert_eq!(self.conn.body_mode(), self.mode, "mode not reset at a head");
        self.phase = Phase::Body {
            length,
            none,
            chunked,
            got: 0,
            lines: false,
        };
    }
}

/// The harness's runner drives a checked connection: every event it takes is checked.
impl Receiver for Checked {
    fn conn(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn next_event(&mut self) -> Result<Event, Error> {
        Checked::next_event(self)
    }

    fn feed(&mut self, bytes: &[u8]) -> usize {
        if self.read_into {
            self.read(bytes)
        } else {
            Checked::feed(self, bytes);
            bytes.len()
        }
    }

    fn eof(&mut self) {
        if self.read_into {
            self.read_eof()
        } else {
            Checked::eof(self)
        }
    }

    fn set_mode(&mut self, mode: BodyMode) {
        Checked::set_mode(self, mode)
    }

    fn request_sent(&mut self, method: &str) {
        self.set_method(method)
    }
}

/// The Content-Length of an accepted head, computed here from the fields: all values
/// (comma-separated, in any number of fields) must be the same decimal number.
pub fn content_length(headers: &Headers) -> Option<u64> {
    let mut found = None;
    for value in headers.get_all("content-length") {
        for element in value.split(|&b| b == b',') {
            let s = std::str::from_utf8(element).ok()?.trim_matches([' ', '\t']);
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                panic!("an accepted head has an invalid Content-Length {s:?}");
            }
            let n: u64 = s.parse().expect("accepted Content-Length fits u64");
            assert!(found.is_none_or(|m| m == n), "accepted conflicting lengths");
            found = Some(n);
        }
    }
    found
}
