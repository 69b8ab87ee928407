//! `receive_server` / `receive_client`: arbitrary bytes from the peer.
//!
//! Input layout: byte 0 configures the run ([`Config`]), byte 1 picks the split pattern
//! ([`Splitter::from_seed`]), the rest is what the peer sent; EOF follows it. The run is
//! done twice, in pieces and whole, and must give the same events (consecutive `Data`
//! pieces merged). Every event is checked by [`Checked`].

use h1::{BodyMode, ErrorKind, Role};
use h1_harness::{join_data, Answer, Item, Requests, Script};

use crate::check::Checked;
use crate::{small_buffers, small_limits, Splitter};

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
    /// Bit 5: the small limits of [`small_limits`] (and [`small_buffers`]) instead of the
    /// defaults.
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

/// The harness script `cfg` chooses: a client sends a `cfg.method` request before each
/// response; a server answers each request as soon as its head arrives (an empty `200`,
/// or `405` to a CONNECT), so that the next pipelined request can be read, or, with
/// `cfg.switch`, accepts the switch it asks for once its end arrived (`101` to an Upgrade,
/// `200` to a CONNECT).
pub fn script(cfg: &Config) -> Script {
    let mut script = Script::new(cfg.role)
        .method(cfg.method)
        .requests(Requests::EveryCycle)
        .answer(Answer::AtHead);
    if cfg.small {
        script.limits = small_limits();
        script.buffers = small_buffers();
    }
    // Every mode `Config::mode` gives, in turn: it repeats every 21 messages.
    script.modes = (0..21).map(|n| cfg.mode(n)).collect();
    script.accept_connect = cfg.switch;
    script.accept_upgrade = cfg.switch;
    if cfg.switch {
        script.request_headers = vec![
            ("Upgrade".into(), "websocket".into()),
            ("Connection".into(), "Upgrade".into()),
        ];
    }
    script
}

/// Feeds `wire` in the pieces `splits` cuts, answering as a driver would, every event
/// checked by [`Checked`]; returns what was seen.
pub fn drive(cfg: &Config, wire: &[u8], splits: Splitter) -> Vec<Rec> {
    let script = script(cfg);
    let mut rx = Checked::new(cfg.role, script.limits.clone(), script.buffers.clone());
    rx.read_into = cfg.read_into;
    let trace = join_data(script.run_on(&mut rx, wire, splits));
    let mut recs = Vec::new();
    for item in trace {
        recs.push(match item {
            Item::Request(req) => Rec::Head(format!("{req:?}")),
            Item::Response(res) | Item::Informational(res) => Rec::Head(format!("{res:?}")),
            Item::Data(d) => Rec::Data(d.to_vec()),
            Item::Line(line) => Rec::Line(line.to_vec()),
            Item::End(trailers) => Rec::End(format!("{trailers:?}")),
            Item::Closed => Rec::Closed,
            Item::Switched(rest) => {
                assert_eq!(rx.conn.buffered(), 0, "bytes kept after the switch");
                Rec::Switched(rest)
            }
            Item::Error(e) => Rec::Error(e.kind()),
            Item::Paused => panic!(
                "Paused though the harness answered everything: {:?}/{:?}",
                rx.conn.our_state(),
                rx.conn.their_state()
            ),
            Item::Refused(e) => panic!("the harness's message was refused: {e:?}"),
        });
    }
    recs
}
