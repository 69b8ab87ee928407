//! The one runner that feeds a [`Connection`]: raw bytes in pieces, answers sent as a driver
//! would (requests in the client role, responses in the server role), and every event
//! recorded as an [`Item`] of a trace.
//!
//! The trace example (`examples/trace`), the core's tests (`tests/conformance.rs`,
//! `tests/props.rs`, `tests/lines.rs`) and the fuzz targets (`fuzz/src/receive.rs`) all
//! run connections with it, so they feed, answer and stop the same way. What differs
//! between them is data: a [`Script`] (role, [`Limits`], [`Buffers`], body modes, what to
//! send and when to stop) and a [`Splitter`] (the sizes of the pieces).
//!
//! ```
//! use h1_harness::{Item, Script, Splitter};
//!
//! let script = Script::new(h1::Role::Server);
//! let trace = script.run(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Splitter::cycle(&[1]));
//! assert!(matches!(&trace[..], [Item::Request(_), Item::End(_), Item::Closed]));
//! ```
//!
//! An event the runner does not know (`Event` is non-exhaustive) is a panic that names it,
//! never a trace that ends quietly.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use h1::{
    BodyMode, Buffers, Bytes, Connection, Error, Event, Headers, Limits, Request, Response, Role,
    State, Version,
};

mod split;

pub use split::Splitter;

/// One entry of a trace: an event, normalised, or how the run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A request head (server role).
    Request(Request),
    /// A final response head (client role).
    Response(Response),
    /// A 1xx response head (client role).
    Informational(Response),
    /// Body bytes, as one `Data` event gave them.
    Data(Bytes),
    /// One line of a body read in line mode.
    Line(Bytes),
    /// The end of a message, with its trailers.
    End(Headers),
    /// The peer closed between messages (`ConnectionClosed`); the run ends.
    Closed,
    /// The connection paused with no protocol switch: an answer is due that the script
    /// does not send. The run ends.
    Paused,
    /// The protocol switched; the run ends. The bytes after the HTTP ones: what the
    /// connection handed back, then the input not yet fed.
    Switched(Vec<u8>),
    /// `next_event` failed (a remote error, or the input ended too soon); the run ends.
    /// Errors are sticky: the runner checked that the next call fails the same way.
    Error(Error),
    /// The connection refused a message the script sent (a local error); the run ends.
    Refused(Error),
}

/// Joins adjacent [`Item::Data`] entries, so traces of differently split inputs compare
/// equal.
pub fn join_data(trace: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::with_capacity(trace.len());
    for item in trace {
        if let (Some(Item::Data(prev)), Item::Data(d)) = (out.last_mut(), &item) {
            *prev = Bytes::from([&prev[..], &d[..]].concat());
            continue;
        }
        out.push(item);
    }
    out
}

/// When a client sends its requests (each a bodiless request, ended at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requests {
    /// None: the caller sends them (a connection in the middle of a conversation).
    None,
    /// One, before anything is read.
    Once,
    /// One before anything is read, and one more each time both sides are done.
    EveryCycle,
    /// As `EveryCycle`, but only while input is left to answer it: input that ends where
    /// a response ended ends the trace without an error.
    WhileInput,
}

/// When a server answers each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Never: the connection pauses once a response is due.
    None,
    /// Once the whole request was received.
    AtEnd,
    /// As soon as its head arrives, so that the next pipelined request can be read while
    /// this one's body still comes; a switch the script accepts waits for the end.
    AtHead,
}

/// What a run does besides feeding bytes: the connection's configuration, what it sends
/// and when the run stops.
#[derive(Debug, Clone)]
pub struct Script {
    /// The connection's role.
    pub role: Role,
    /// The connection's limits.
    pub limits: Limits,
    /// The connection's buffer tuning.
    pub buffers: Buffers,
    /// The body mode of each message: message `n` (counting requests and final
    /// responses) is read in `modes[n % modes.len()]`; empty: the default mode.
    pub modes: Vec<BodyMode>,
    /// Client role: the method of every request. The target follows it (`example.com:443`
    /// for CONNECT, `*` for OPTIONS, else `/`), with `Host: example.com`.
    pub method: String,
    /// Client role: fields added to every request.
    pub request_headers: Vec<(String, String)>,
    /// Client role: when requests are sent.
    pub requests: Requests,
    /// Server role: when each request is answered, with an empty response: `200` with
    /// `Content-Length: 0`, or `405` to a CONNECT the script does not accept.
    pub answer: Answer,
    /// Server role: a CONNECT is accepted with a `200` (a tunnel).
    pub accept_connect: bool,
    /// Server role: an HTTP/1.1 request's Upgrade is accepted with a `101`.
    pub accept_upgrade: bool,
    /// At the end of the input, the end of the stream follows; `false`: the run ends
    /// when the connection asks for more and the input is all fed.
    pub eof: bool,
    /// Stop after this many messages ended.
    pub messages: Option<usize>,
}

impl Script {
    /// A run in `role` with the defaults: default limits, buffers and body mode; a client
    /// sends a `GET` before each response while input is left; a server answers every
    /// request once it was received and accepts a CONNECT; the input ends with EOF.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            limits: Limits::default(),
            buffers: Buffers::default(),
            modes: Vec::new(),
            method: "GET".into(),
            request_headers: Vec::new(),
            requests: Requests::WhileInput,
            answer: Answer::AtEnd,
            accept_connect: true,
            accept_upgrade: false,
            eof: true,
            messages: None,
        }
    }

    /// The same script with `limits`.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The same script reading every body in `mode`.
    pub fn mode(mut self, mode: BodyMode) -> Self {
        self.modes = vec![mode];
        self
    }

    /// The same script with client requests of `method`.
    pub fn method(mut self, method: &str) -> Self {
        self.method = method.into();
        self
    }

    /// The same script sending requests `requests`.
    pub fn requests(mut self, requests: Requests) -> Self {
        self.requests = requests;
        self
    }

    /// The same script answering `answer`.
    pub fn answer(mut self, answer: Answer) -> Self {
        self.answer = answer;
        self
    }

    /// A connection configured as the script says.
    pub fn connection(&self) -> Connection {
        Connection::with_limits(self.role, self.limits.clone()).with_buffers(self.buffers.clone())
    }

    /// Runs `input` on a new connection, in the pieces `splits` cuts.
    pub fn run(&self, input: &[u8], splits: Splitter) -> Vec<Item> {
        self.run_on(&mut self.connection(), input, splits)
    }

    /// Runs `input` on `rx` (a connection, or a wrapper that checks its events), in the
    /// pieces `splits` cuts.
    ///
    /// # Panics
    /// On an event the runner does not know, on a run that makes no progress, and when a
    /// failed connection does not fail the same way again.
    pub fn run_on<R: Receiver>(&self, rx: &mut R, input: &[u8], splits: Splitter) -> Vec<Item> {
        Run {
            script: self,
            input,
            fed: 0,
            splits,
            trace: Vec::new(),
            heads: 0,
            ends: 0,
            due: None,
        }
        .go(rx)
    }

    fn body_mode(&self, n: usize) -> BodyMode {
        match self.modes.len() {
            0 => BodyMode::default(),
            len => self.modes[n % len],
        }
    }

    /// The request a client sends.
    fn request(&self) -> Result<Request, Error> {
        let target = match self.method.as_str() {
            "CONNECT" => "example.com:443",
            "OPTIONS" => "*",
            _ => "/",
        };
        let mut req = Request::new(&self.method, target)?.with_header("Host", "example.com")?;
        for (name, value) in &self.request_headers {
            req.headers_mut().append(name, value)?;
        }
        Ok(req)
    }

    /// Whether the script accepts the switch `req` proposes: CONNECT, or Upgrade in
    /// HTTP/1.1 (an HTTP/1.0 request's Upgrade is ignored: RFC 9110 §7.8).
    fn accepts_switch(&self, req: &Request) -> Option<Accept> {
        if req.method() == "CONNECT" {
            self.accept_connect.then_some(Accept::Connect)
        } else if self.accept_upgrade
            && req.version() == Version::Http11
            && req.headers().contains("upgrade")
        {
            Some(Accept::Upgrade)
        } else {
            None
        }
    }
}

/// A switch the script accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accept {
    Connect,
    Upgrade,
}

/// A request not answered yet.
#[derive(Debug, Clone, Copy)]
struct Due {
    connect: bool,
    accept: Option<Accept>,
}

/// How the runner reaches a connection. Implemented by [`Connection`]; a wrapper that
/// checks every event (the fuzz targets' `Checked`) implements it to see the run.
pub trait Receiver {
    /// The connection, to send on and read its state.
    fn conn(&mut self) -> &mut Connection;

    /// The next event.
    fn next_event(&mut self) -> Result<Event, Error> {
        self.conn().next_event()
    }

    /// Hands over some of `bytes` (never empty); returns how many were taken.
    fn feed(&mut self, bytes: &[u8]) -> usize {
        self.conn().receive(bytes).expect("receive before EOF");
        bytes.len()
    }

    /// The end of the stream.
    fn eof(&mut self) {
        self.conn().receive_eof()
    }

    /// Sets the body mode of the message whose head just came.
    fn set_mode(&mut self, mode: BodyMode) {
        self.conn()
            .set_body_mode(mode)
            .expect("a body mode after a head")
    }

    /// A request with `method` was sent (client role).
    fn request_sent(&mut self, method: &str) {
        let _ = method;
    }
}

impl Receiver for Connection {
    fn conn(&mut self) -> &mut Connection {
        self
    }
}

/// One run's state.
struct Run<'a> {
    script: &'a Script,
    input: &'a [u8],
    fed: usize,
    splits: Splitter,
    trace: Vec<Item>,
    /// Heads that start a message (for the body mode).
    heads: usize,
    ends: usize,
    /// Server role: the request received and not answered yet.
    due: Option<Due>,
}

/// Why a run stops.
struct Stop;

impl Run<'_> {
    fn go<R: Receiver>(mut self, rx: &mut R) -> Vec<Item> {
        let client = self.script.role == Role::Client;
        let first = match self.script.requests {
            Requests::None => false,
            Requests::Once | Requests::EveryCycle => true,
            Requests::WhileInput => !self.input.is_empty(),
        };
        if client && first && self.send_request(rx).is_err() {
            return self.trace;
        }
        // Bounded: every turn feeds input or hands out an event that took bytes, or
        // ends; the bound turns a bug that loops into a panic, not a hang.
        let turns = self.input.len() * 4 + 1000;
        for _ in 0..turns {
            let event = match rx.next_event() {
                Ok(event) => event,
                Err(e) => {
                    let again = rx.next_event();
                    assert_eq!(again.as_ref(), Err(&e), "errors are sticky");
                    self.trace.push(Item::Error(e));
                    return self.trace;
                }
            };
            if self.step(rx, event).is_err() {
                return self.trace;
            }
        }
        panic!("no progress after {turns} events: {:?}", self.trace);
    }

    /// Acts on one event.
    fn step<R: Receiver>(&mut self, rx: &mut R, event: Event) -> Result<(), Stop> {
        match event {
            Event::NeedData if self.fed < self.input.len() => {
                let left = self.input.len() - self.fed;
                let n = self.splits.piece(left);
                self.fed += rx.feed(&self.input[self.fed..self.fed + n]);
            }
            Event::NeedData if self.script.eof => rx.eof(),
            Event::NeedData => return Err(Stop),
            Event::Request(req) => {
                let accept = self.script.accepts_switch(&req);
                let connect = req.method() == "CONNECT";
                self.trace.push(Item::Request(req));
                self.head(rx)?;
                if self.script.answer != Answer::None {
                    self.due = Some(Due { connect, accept });
                }
                if self.script.answer == Answer::AtHead && accept.is_none() {
                    self.answer(rx)?;
                }
            }
            Event::Response(res) => {
                self.trace.push(Item::Response(res));
                self.head(rx)?;
            }
            Event::Informational(res) => {
                self.trace.push(Item::Informational(res));
                self.switched(rx)?;
            }
            Event::Data(d) => self.trace.push(Item::Data(d)),
            Event::LineComplete(l) => self.trace.push(Item::Line(l)),
            Event::EndOfMessage(trailers) => {
                self.trace.push(Item::End(trailers));
                self.ends += 1;
                if Some(self.ends) == self.script.messages {
                    return Err(Stop);
                }
                self.answer(rx)?;
                self.switched(rx)?;
                self.next_cycle(rx)?;
            }
            Event::ConnectionClosed => {
                self.trace.push(Item::Closed);
                assert_eq!(
                    rx.next_event(),
                    Ok(Event::ConnectionClosed),
                    "closed is sticky"
                );
                return Err(Stop);
            }
            Event::Paused => {
                self.switched(rx)?;
                self.trace.push(Item::Paused);
                return Err(Stop);
            }
            other => panic!("the harness does not know the event {other:?}"),
        }
        Ok(())
    }

    /// After a request or final response head: stops at a switch, else sets the mode of
    /// the body.
    fn head<R: Receiver>(&mut self, rx: &mut R) -> Result<(), Stop> {
        self.switched(rx)?;
        rx.set_mode(self.script.body_mode(self.heads));
        self.heads += 1;
        Ok(())
    }

    /// Stops when the protocol switched, recording the bytes that belong to the new one.
    fn switched<R: Receiver>(&mut self, rx: &mut R) -> Result<(), Stop> {
        let conn = rx.conn();
        let switched = State::SwitchedProtocol;
        if conn.our_state() != switched && conn.their_state() != switched {
            return Ok(());
        }
        let mut rest = conn
            .take_trailing_data()
            .map(|b| b.to_vec())
            .unwrap_or_default();
        rest.extend_from_slice(&self.input[self.fed..]);
        self.trace.push(Item::Switched(rest));
        Err(Stop)
    }

    /// Server role: answers the request received, if it is due.
    fn answer<R: Receiver>(&mut self, rx: &mut R) -> Result<(), Stop> {
        let Some(due) = self.due.take() else {
            return Ok(());
        };
        let conn = rx.conn();
        let sent = (|| {
            let res = match due.accept {
                Some(Accept::Connect) => Response::new(200)?,
                Some(Accept::Upgrade) => Response::new(101)?.with_header("Upgrade", "websocket")?,
                None => {
                    let status = if due.connect { 405 } else { 200 };
                    Response::new(status)?.with_header("Content-Length", "0")?
                }
            };
            let _ = conn.send_response(&res)?;
            if conn.our_state() == State::SendBody {
                let _ = conn.send_end()?;
            }
            Ok(())
        })();
        sent.map_err(|e| self.refused(e))
    }

    /// When both sides are done: the next cycle, and the client's next request.
    fn next_cycle<R: Receiver>(&mut self, rx: &mut R) -> Result<(), Stop> {
        let conn = rx.conn();
        if conn.our_state() != State::Done || conn.their_state() != State::Done {
            return Ok(());
        }
        conn.start_next_cycle().expect("both sides are done");
        let more = match self.script.requests {
            Requests::None | Requests::Once => false,
            Requests::EveryCycle => true,
            Requests::WhileInput => self.fed < self.input.len() || conn.buffered() > 0,
        };
        if self.script.role == Role::Client && more {
            self.send_request(rx)?;
        }
        Ok(())
    }

    /// Client role: sends a request and its end.
    fn send_request<R: Receiver>(&mut self, rx: &mut R) -> Result<(), Stop> {
        let sent = self.script.request().and_then(|req| {
            let conn = rx.conn();
            let _ = conn.send_request(&req)?;
            let _ = conn.send_end()?;
            Ok(())
        });
        sent.map_err(|e| self.refused(e))?;
        rx.request_sent(&self.script.method);
        Ok(())
    }

    fn refused(&mut self, e: Error) -> Stop {
        self.trace.push(Item::Refused(e));
        Stop
    }
}
