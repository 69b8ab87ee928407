//! Model-based test of the two-party state machine.
//!
//! [`View`] is a model written from h11's tables (`h11/_state.py`), independently of
//! src/state.rs: the moves each event makes, as data ([`CLIENT_MOVES`], [`SERVER_MOVES`]),
//! and the moves one side's state forces on the other ([`View::settle`]). Each
//! `Connection` is a two-party machine of its own, so the test keeps one view per
//! connection: the client's calls move the client's view at once, and the server's view
//! when the server reads them.
//!
//! Random sequences of calls (sends on either side, deliveries of the bytes in flight,
//! EOF, `start_next_cycle`, `send_close`, `send_failed`) run on a real client and server.
//! Every call the model allows must succeed; every call it forbids must fail with a
//! local error and change neither state. Every event a connection hands out must be a
//! move the model allows, and after every step both states must equal the model's.
//!
//! One deliberate difference from h11: when the server's side is in `Error`, an `Idle`
//! client becomes `MustClose` (h11 forces only a `Done` client); a connection whose peer
//! failed cannot be reused, whichever side of a cycle it failed on.

use h1::{Bytes, Connection, Event, Headers, Request, Response, Role, State};
use proptest::prelude::*;

#[path = "model/view.rs"]
mod view;

use view::*;
use State::*;

#[derive(Debug, Clone, Copy)]
enum Call {
    Request(Req, bool),
    Response(Res, bool),
    /// Either role calling the other's send (client sends a response, server a request).
    WrongRole,
    Data(u8),
    End {
        trailers: bool,
    },
    Close,
    Failed,
    NextCycle,
    /// Hand the bytes in flight to this side and drain its events.
    Deliver,
    /// Hand the bytes over, then the end of the stream, and drain.
    Eof,
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::None),
        (0u8..4).prop_map(Framing::Length),
        Just(Framing::Chunked),
    ]
}

fn call() -> impl Strategy<Value = Call> {
    let req = prop_oneof![
        3 => Just(Req::Get),
        1 => Just(Req::Head),
        2 => (0u8..4).prop_map(Req::PostLength),
        2 => Just(Req::PostChunked),
        1 => Just(Req::Connect),
        1 => Just(Req::Upgrade),
        1 => Just(Req::UpgradeWithBody),
        1 => Just(Req::NoHost),
    ];
    let res = prop_oneof![
        2 => Just(Res::Continue),
        1 => Just(Res::ContinueWithLength),
        1 => Just(Res::Switching),
        6 => framing().prop_map(Res::Ok),
        1 => framing().prop_map(Res::NoContent),
        1 => framing().prop_map(Res::NotModified),
    ];
    prop_oneof![
        4 => (req, prop::bool::weighted(0.15)).prop_map(|(r, c)| Call::Request(r, c)),
        4 => (res, prop::bool::weighted(0.15)).prop_map(|(r, c)| Call::Response(r, c)),
        1 => Just(Call::WrongRole),
        4 => (0u8..3).prop_map(Call::Data),
        4 => any::<bool>().prop_map(|trailers| Call::End { trailers }),
        1 => Just(Call::Close),
        1 => Just(Call::Failed),
        3 => Just(Call::NextCycle),
        8 => Just(Call::Deliver),
        1 => Just(Call::Eof),
    ]
}

/// One side: its connection, its model, the bytes it wrote not yet delivered.
struct Side {
    conn: Connection,
    view: View,
    outbox: Vec<u8>,
    eof: bool,
}

impl Side {
    fn new(role: Role) -> Self {
        Self {
            conn: Connection::new(role),
            view: View::new(role),
            outbox: Vec::new(),
            eof: false,
        }
    }

    fn check_states(&self, what: &str) {
        assert_eq!(
            (self.conn.our_state(), self.conn.their_state()),
            self.view.states(),
            "after {what}: {:?}",
            self.view
        );
        assert_eq!(self.conn.is_keep_alive(), self.view.keep_alive, "{what}");
    }
}

/// Runs `attempt` when the model says `allowed`: it must succeed; else it must fail with
/// a local error and change no state. Returns whether it ran and succeeded.
fn expect(
    side: &mut Side,
    allowed: bool,
    what: &str,
    attempt: impl FnOnce(&mut Connection) -> Result<Vec<u8>, h1::Error>,
) -> bool {
    let before = (side.conn.our_state(), side.conn.their_state());
    match attempt(&mut side.conn) {
        Ok(bytes) => {
            assert!(
                allowed,
                "{what} succeeded but the model forbids it: {:?}",
                side.view
            );
            side.outbox.extend(bytes);
            true
        }
        Err(e) => {
            assert!(
                !allowed,
                "{what} failed but the model allows it: {e:?} {:?}",
                side.view
            );
            assert!(e.is_local(), "{what}: not a local error: {e:?}");
            let after = (side.conn.our_state(), side.conn.their_state());
            assert_eq!(before, after, "{what}: a refused call changed the states");
            false
        }
    }
}

fn request(req: Req, close: bool) -> Request {
    let (method, target) = match req {
        Req::Head => ("HEAD", "/"),
        Req::PostLength(_) | Req::PostChunked | Req::UpgradeWithBody => ("POST", "/"),
        Req::Connect => ("CONNECT", "example.com:443"),
        _ => ("GET", "/"),
    };
    let mut r = Request::new(method, target).unwrap();
    let h = r.headers_mut();
    if !matches!(req, Req::NoHost) {
        h.append("Host", "example.com").unwrap();
    }
    match req {
        Req::PostLength(n) => h.append("Content-Length", n.to_string()).unwrap(),
        Req::PostChunked => h.append("Transfer-Encoding", "chunked").unwrap(),
        Req::Upgrade => h.append("Upgrade", "websocket").unwrap(),
        Req::UpgradeWithBody => {
            h.append("Upgrade", "websocket").unwrap();
            h.append("Content-Length", "2").unwrap();
        }
        _ => {}
    }
    if close {
        h.append("Connection", "close").unwrap();
    }
    r
}

fn response(res: Res, close: bool) -> Response {
    let (status, framing) = match res {
        Res::Continue => (100, Framing::None),
        Res::ContinueWithLength => (100, Framing::Length(0)),
        Res::Switching => (101, Framing::None),
        Res::Ok(f) => (200, f),
        Res::NoContent(f) => (204, f),
        Res::NotModified(f) => (304, f),
    };
    let mut r = Response::new(status).unwrap();
    let h = r.headers_mut();
    if status == 101 {
        h.append("Upgrade", "websocket").unwrap();
    }
    match framing {
        Framing::None => {}
        Framing::Length(n) => h.append("Content-Length", n.to_string()).unwrap(),
        Framing::Chunked => h.append("Transfer-Encoding", "chunked").unwrap(),
    }
    if close && status >= 200 {
        h.append("Connection", "close").unwrap();
    }
    r
}

/// Applies the calls in turn to a client and a server.
fn run(calls: &[(bool, Call)]) {
    let mut sides = [Side::new(Role::Client), Side::new(Role::Server)];
    // Set once the server answered before it read any request: the client may then see
    // bytes it did not ask for, a remote error the model does not predict.
    let mut unsolicited = false;
    for (i, &(on_server, call)) in calls.iter().enumerate() {
        let (me, peer) = if on_server { (1, 0) } else { (0, 1) };
        let what = format!("call {i} {call:?} on {:?}", sides[me].view.role);
        let side = &mut sides[me];
        match call {
            Call::Request(req, close) => {
                let next = if on_server {
                    None
                } else {
                    model_request(&side.view, req, close)
                };
                let r = request(req, close);
                if expect(side, next.is_some(), &what, |c| {
                    c.send_request(&r).map(|o| o.to_vec())
                }) {
                    side.view = next.unwrap();
                }
            }
            Call::Response(res, close) => {
                let next = if on_server {
                    model_response(&side.view, res, close)
                } else {
                    None
                };
                let r = response(res, close);
                if on_server && side.view.server == Idle {
                    unsolicited = true;
                }
                if expect(side, next.is_some(), &what, |c| {
                    c.send_response(&r).map(|o| o.to_vec())
                }) {
                    side.view = next.unwrap();
                }
            }
            Call::WrongRole => {
                let (req, res) = (
                    request(Req::Get, false),
                    response(Res::Ok(Framing::None), false),
                );
                expect(side, false, &what, |c| match c.role() {
                    Role::Client => c.send_response(&res).map(|o| o.to_vec()),
                    Role::Server => c.send_request(&req).map(|o| o.to_vec()),
                });
            }
            Call::Data(n) => {
                let next = model_data(&side.view, n);
                let data = Bytes::from(vec![b'x'; n.into()]);
                if expect(side, next.is_some(), &what, |c| {
                    c.send_data(data).map(|o| o.to_vec())
                }) {
                    side.view = next.unwrap();
                }
            }
            Call::End { trailers } => {
                let next = model_end(&side.view, trailers);
                let mut t = Headers::new();
                if trailers {
                    t.append("X-Checksum", "1").unwrap();
                }
                if expect(side, next.is_some(), &what, |c| {
                    c.send_end_with_trailers(&t).map(|o| o.to_vec())
                }) {
                    side.view = next.unwrap();
                }
            }
            Call::Close => {
                let role = side.view.role;
                let allowed = side.view.allows(role, Ev::Close);
                if expect(side, allowed, &what, |c| {
                    c.send_close().map(|()| Vec::new())
                }) {
                    side.view.apply(role, Ev::Close);
                }
            }
            Call::Failed => {
                side.conn.send_failed();
                let role = side.view.role;
                side.view.error(role);
            }
            Call::NextCycle => {
                let allowed = side.view.next_cycle_allowed();
                if expect(side, allowed, &what, |c| {
                    c.start_next_cycle().map(|()| Vec::new())
                }) {
                    side.view.next_cycle();
                }
            }
            Call::Deliver | Call::Eof => {
                let bytes = std::mem::take(&mut sides[peer].outbox);
                let side = &mut sides[me];
                if !side.eof {
                    side.conn.receive(&bytes).unwrap();
                }
                if matches!(call, Call::Eof) {
                    side.conn.receive_eof();
                    side.eof = true;
                }
                drain(side, unsolicited, &what);
            }
        }
        sides[me].check_states(&what);
    }
}

/// Drains events into the model until the connection needs input, pauses, or fails.
fn drain(side: &mut Side, unsolicited: bool, what: &str) {
    let peer = side.view.role.peer();
    for _ in 0..1000 {
        let event = match side.conn.next_event() {
            Ok(event) => event,
            Err(e) => {
                assert!(!e.is_local(), "{what}: local error from next_event: {e:?}");
                // Predicted: the stream ended where the peer may not close; or bytes came
                // when this side failed or closed, or the peer was to send no more (the
                // peer's own view may differ: it does not know of our failure).
                let ours = side.view.get(side.view.role);
                let predicted = (side.eof && !side.view.allows(peer, Ev::Close))
                    || matches!(ours, Error | Closed)
                    || matches!(side.view.get(peer), MustClose | Closed);
                assert!(
                    predicted || unsolicited,
                    "{what}: unexpected remote error {e:?} in {:?}",
                    side.view
                );
                side.view.error(peer);
                return;
            }
        };
        let ev = match &event {
            Event::NeedData | Event::Paused => return,
            Event::Request(req) => {
                let mut next = side.view.clone();
                next.apply(peer, Ev::Request);
                next.head = req.method() == "HEAD";
                next.connect = req.method() == "CONNECT";
                next.pending = if next.connect {
                    Some(Switch::Connect)
                } else if req.headers().contains("upgrade") {
                    Some(Switch::Upgrade)
                } else {
                    None
                };
                if req.headers().has_token("connection", "close") {
                    next.keep_alive = false;
                }
                next.settle();
                side.view = next;
                side.check_states(what);
                continue;
            }
            Event::Informational(res) if res.status() == 101 => Ev::AcceptUpgrade,
            Event::Informational(_) => Ev::Informational,
            Event::Response(res) => {
                let accept = side.view.connect
                    && side.view.pending == Some(Switch::Connect)
                    && res.status() < 300;
                if res.headers().has_token("connection", "close") {
                    side.view.keep_alive = false;
                }
                if accept {
                    Ev::AcceptConnect
                } else {
                    Ev::Response
                }
            }
            Event::Data(_) => Ev::Data,
            Event::EndOfMessage(_) => Ev::End,
            Event::ConnectionClosed => Ev::Close,
            other => panic!("{what}: unexpected event {other:?}"),
        };
        assert!(
            side.view.allows(peer, ev),
            "{what}: the connection handed out {event:?}, which the model forbids: {:?}",
            side.view
        );
        side.view.apply(peer, ev);
        side.check_states(what);
        if ev == Ev::Close {
            return;
        }
    }
    panic!("{what}: drain did not stop");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random calls on both sides agree with the model at every step.
    #[test]
    fn connection_follows_the_model(calls in prop::collection::vec((any::<bool>(), call()), 1..60)) {
        run(&calls);
    }
}

/// A plain keep-alive cycle, a 100-continue, a refused Upgrade and a CONNECT tunnel, as a
/// fixed sequence: the model and the connections agree on a known good path.
#[test]
fn known_good_path() {
    use Call::*;
    let (c, s) = (false, true);
    run(&[
        (c, Request(Req::PostLength(2), false)),
        (s, Deliver),
        (s, Response(Res::Continue, false)),
        (c, Deliver),
        (c, Data(2)),
        (c, End { trailers: false }),
        (s, Deliver),
        (s, Response(Res::Ok(Framing::Chunked), false)),
        (s, Data(1)),
        (s, End { trailers: true }),
        (c, Deliver),
        (c, NextCycle),
        (s, NextCycle),
        (c, Request(Req::Upgrade, false)),
        (c, End { trailers: false }),
        (s, Deliver),
        (s, Response(Res::Ok(Framing::Length(0)), false)),
        (s, End { trailers: false }),
        (c, Deliver),
        (c, NextCycle),
        (s, NextCycle),
        (c, Request(Req::Connect, false)),
        (c, End { trailers: false }),
        (s, Deliver),
        (s, Response(Res::Ok(Framing::None), false)),
        (c, Deliver),
    ]);
}
