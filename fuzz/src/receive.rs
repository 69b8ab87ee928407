//! `receive_server` / `receive_client`: arbitrary bytes from the peer.
//!
//! Input layout: byte 0 configures the run ([`Config`]), byte 1 picks the split pattern
//! ([`Splitter::from_seed`]), the rest is what the peer sent; EOF follows it. The run is
//! done twice, in pieces and whole, and must give the same events (consecutive `Data`
//! pieces merged). Every event is checked by [`Checked`].

use h1::{BodyMode, Error, ErrorKind, Event, Limits, Request, Response, Role, State, Version};

use crate::check::Checked;
use crate::{small_limits, Splitter};

/// The methods a fuzzed client may have sent, chosen by the low bits of byte 0.
pub const METHODS: [&str; 5] = ["GET", "HEAD", "CONNECT", "POST", "OPTIONS"];

/// What byte 0 of the input chooses.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Our role.
    pub role: Role,
    /// Client: the method of every request (`byte % 5`).
    pub method: &'static str,
    /// Bits 3–4: body mode of each message: default, `Data { max: 1..=7 }`, lines, or
    /// alternating between them message by message.
    pub modes: u8,
    /// Bit 5: the small limits of [`small_limits`] instead of the defaults.
    pub small: bool,
    /// Bit 6: a client asks for an Upgrade; a server accepts Upgrade and CONNECT (101, 2xx)
    /// instead of refusing them.
    pub switch: bool,
    /// Bit 7: bytes go in with `read_into` (a read returning 0 for EOF) instead of
    /// `receive` and `receive_eof`.
    pub read_into: bool,
}

impl Config {
    /// Decodes byte 0.
    pub fn new(role: Role, b: u8) -> Self {
        Self {
            role,
            method: METHODS[usize::from(b & 7) % METHODS.len()],
            modes: (b >> 3) & 3,
            small: b & 0x20 != 0,
            switch: b & 0x40 != 0,
            read_into: b & 0x80 != 0,
        }
    }

    fn limits(&self) -> Limits {
        if self.small {
            small_limits()
        } else {
            Limits::default()
        }
    }

    /// The body mode of the `n`th message.
    fn mode(&self, n: usize) -> BodyMode {
        let data = BodyMode::Data {
            max: 1 + (self.modes as usize * 3 + n) % 7,
        };
        match (self.modes, n % 3) {
            (0, _) | (3, 0) => BodyMode::default(),
            (1, _) | (3, 1) => data,
            _ => BodyMode::Lines,
        }
    }
}

/// What the run saw, comparable between splits.
#[derive(Debug, PartialEq)]
pub enum Rec {
    /// A head (request, response, 1xx) in Debug form.
    Head(String),
    /// Body bytes, consecutive pieces merged.
    Data(Vec<u8>),
    /// One line.
    Line(Vec<u8>),
    /// End of a message, with its trailers in Debug form.
    End(String),
    /// The peer closed.
    Closed,
    /// The protocol switched; everything after the HTTP bytes.
    Switched(Vec<u8>),
    /// A remote error.
    Error(ErrorKind),
}

/// Runs one fuzz input for `role`.
pub fn run(role: Role, data: &[u8]) {
    let [cfg, seed, wire @ ..] = data else { return };
    let cfg = Config::new(role, *cfg);
    let split = drive(&cfg, wire, Splitter::from_seed(*seed, wire.len()));
    let whole = drive(&cfg, wire, Splitter::whole());
    same_outcome(&split, &whole);
}

/// The split run must see exactly what the whole run sees, errors included: the core
/// chooses among several errors by position in the stream, never by arrival order.
/// (At ce4ff08 a start line over `max_start_line` was refused only once the head ended,
/// so pieces gave TooLarge and the whole input Incomplete; see tests/regressions.rs.)
pub fn same_outcome(split: &[Rec], whole: &[Rec]) {
    assert_eq!(split, whole, "split and whole runs differ");
}

/// Feeds `wire` in the pieces `splits` cuts, answering as a driver would; returns what
/// was seen.
pub fn drive(cfg: &Config, wire: &[u8], mut splits: Splitter) -> Vec<Rec> {
    let mut rx = Checked::new(cfg.role, cfg.limits());
    let mut recs = Vec::new();
    let mut fed = 0;
    let mut heads = 0;
    // Server role: a request whose switch is accepted once its end arrives.
    let mut to_switch: Option<Request> = None;
    if cfg.role == Role::Client {
        send_request(&mut rx, cfg);
    }
    loop {
        let event = match rx.next_event() {
            Ok(event) => event,
            Err(e) => {
                recs.push(Rec::Error(e.kind()));
                assert_eq!(rx.next_event(), Err(e));
                return recs;
            }
        };
        match event {
            Event::NeedData if fed == wire.len() && cfg.read_into => rx.read_eof(),
            Event::NeedData if fed == wire.len() => rx.eof(),
            Event::NeedData => {
                let n = splits.piece(wire.len() - fed);
                if cfg.read_into {
                    fed += rx.read(&wire[fed..fed + n]);
                } else {
                    rx.feed(&wire[fed..fed + n]);
                    fed += n;
                }
            }
            Event::Request(req) => {
                recs.push(Rec::Head(format!("{req:?}")));
                rx.set_mode(cfg.mode(heads));
                heads += 1;
                // A switch is accepted only once the whole request was received.
                if cfg.switch && switch_asked(&req) {
                    to_switch = Some(req);
                } else {
                    answer(&mut rx, &req, false);
                }
            }
            Event::Informational(res) => recs.push(Rec::Head(format!("{res:?}"))),
            Event::Response(res) => {
                recs.push(Rec::Head(format!("{res:?}")));
                rx.set_mode(cfg.mode(heads));
                heads += 1;
            }
            Event::Data(d) => match recs.last_mut() {
                Some(Rec::Data(v)) => v.extend_from_slice(&d),
                _ => recs.push(Rec::Data(d.to_vec())),
            },
            Event::LineComplete(line) => recs.push(Rec::Line(line.to_vec())),
            Event::EndOfMessage(trailers) => {
                recs.push(Rec::End(format!("{trailers:?}")));
                if let Some(req) = to_switch.take() {
                    answer(&mut rx, &req, true);
                }
                let done = State::Done;
                if rx.conn.our_state() == done && rx.conn.their_state() == done {
                    rx.conn.start_next_cycle().expect("both sides Done");
                    if cfg.role == Role::Client {
                        send_request(&mut rx, cfg);
                    }
                }
            }
            Event::ConnectionClosed => {
                recs.push(Rec::Closed);
                assert_eq!(rx.next_event(), Ok(Event::ConnectionClosed));
                return recs;
            }
            Event::Paused => {
                let switched = State::SwitchedProtocol;
                assert!(
                    rx.conn.our_state() == switched || rx.conn.their_state() == switched,
                    "Paused though the harness answered everything: {:?}/{:?}",
                    rx.conn.our_state(),
                    rx.conn.their_state()
                );
                let mut rest = rx.conn.take_trailing_data().expect("switched").to_vec();
                assert_eq!(rx.conn.buffered(), 0);
                rest.extend_from_slice(&wire[fed..]);
                recs.push(Rec::Switched(rest));
                return recs;
            }
            other => panic!("unexpected event {other:?}"),
        }
    }
}

/// Client role: a request with `cfg.method` and its end.
fn send_request(rx: &mut Checked, cfg: &Config) {
    let target = match cfg.method {
        "CONNECT" => "example.com:443",
        "OPTIONS" => "*",
        _ => "/",
    };
    let mut req = Request::new(cfg.method, target)
        .and_then(|r| r.with_header("Host", "example.com"))
        .expect("valid request");
    if cfg.switch {
        req.headers_mut().append("Upgrade", "websocket").unwrap();
        req.headers_mut().append("Connection", "Upgrade").unwrap();
    }
    // Where the bytes go does not matter: only the states they move do.
    let _ = rx.conn.send_request(&req).expect("request is due");
    let _ = rx.conn.send_end().expect("end of a bodiless request");
    rx.set_method(cfg.method);
}

/// Whether `req` proposes a switch a server may accept: CONNECT, or Upgrade in HTTP/1.1
/// (an HTTP/1.0 request's Upgrade is ignored: RFC 9110 §7.8).
fn switch_asked(req: &Request) -> bool {
    req.method() == "CONNECT"
        || (req.version() == Version::Http11 && req.headers().contains("upgrade"))
}

/// Server role: answers `req` with an empty response (at once, so that the next pipelined
/// request can be read); or, when `switch`, accepts the switch it asks for (after its end).
fn answer(rx: &mut Checked, req: &Request, switch: bool) {
    let connect = req.method() == "CONNECT";
    let sent: Result<(), Error> = (|| {
        if switch && connect {
            let _ = rx.conn.send_response(&Response::new(200)?)?;
        } else if switch {
            let res = Response::new(101)?.with_header("Upgrade", "websocket")?;
            let _ = rx.conn.send_response(&res)?;
        } else {
            let status = if connect { 405 } else { 200 };
            let res = Response::new(status)?.with_header("Content-Length", "0")?;
            let _ = rx.conn.send_response(&res)?;
            let _ = rx.conn.send_end()?;
        }
        Ok(())
    })();
    sent.unwrap_or_else(|e| panic!("answering {req:?} failed: {e:?}"));
}
