//! `roundtrip`: structure-aware exchanges. A client [`Connection`] sends each request, a
//! server reads it in arbitrary splits; the server sends 1xx responses and a final one,
//! the client reads them in arbitrary splits. Both sides must read back exactly what the
//! other sent: heads (with only the fields the sender documents adding), body bytes and
//! trailers. Every sending call the script makes is valid, so each must succeed.

use arbitrary::Arbitrary;
use h1::{Bytes, Event, Headers, Limits, Request, Response, Role, State, Version};

use crate::check::Checked;
use crate::Splitter;

/// A whole conversation on one connection.
#[derive(Debug, Arbitrary)]
pub struct Script {
    exchanges: Vec<Exchange>,
    /// Piece sizes for feeding each side; empty: all at once.
    splits: Vec<u8>,
    /// Receivers cut data pieces to at most this (0: no bound).
    max_piece: u8,
}

/// One request and its answers.
#[derive(Debug, Arbitrary)]
struct Exchange {
    method: Method,
    path: String,
    req_fields: Vec<Field>,
    req_body: Body,
    /// The client says `Connection: close`.
    req_close: bool,
    /// The client asks for an Upgrade; a 101 will accept it.
    upgrade: bool,
    /// 1xx responses before the final one (100, 102, 103; a 101 last if `upgrade`).
    informational: Vec<u8>,
    accept_upgrade: bool,
    status: u16,
    reason: Option<String>,
    res_fields: Vec<Field>,
    res_body: Body,
    res_close: bool,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Method {
    Get,
    Head,
    Post,
    Put,
    Options,
    Connect,
    Other,
}

#[derive(Debug, Arbitrary)]
struct Field {
    name: u8,
    custom: String,
    value: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
enum Body {
    /// No framing field: no body for a request, chunked (added) for a response.
    Unframed(Vec<Vec<u8>>),
    /// `Content-Length` of the pieces' total.
    Length(Vec<Vec<u8>>),
    /// `Transfer-Encoding: chunked`, with trailers.
    Chunked(Vec<Vec<u8>>, Vec<Field>),
}

const NAMES: [&str; 8] = [
    "Accept",
    "User-Agent",
    "Content-Type",
    "X-Request-Id",
    "Cache-Control",
    "Set-Cookie",
    "ETag",
    "Vary",
];

/// Fields that change framing or the connection: the script sets them itself.
const RESERVED: [&str; 8] = [
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "expect",
    "te",
    "trailer",
];

impl Field {
    /// A valid (name, value) pair, or `None` when nothing valid is left.
    fn valid(&self) -> Option<(String, Vec<u8>)> {
        let name = match self.name as usize {
            i if i < NAMES.len() * 8 => NAMES[i % NAMES.len()].to_string(),
            _ => self.custom.chars().filter(is_tchar).take(24).collect(),
        };
        if name.is_empty() || RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            return None;
        }
        let mut value: Vec<u8> = self
            .value
            .iter()
            .copied()
            .filter(|&b| (b >= 0x20 && b != 0x7f) || b == b'\t')
            .take(64)
            .collect();
        while value.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
            value.pop();
        }
        while value.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            value.remove(0);
        }
        Some((name, value))
    }
}

fn is_tchar(c: &char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)
}

/// At most this many fields per head or trailer section, well within the default limits
/// (100 fields, 32 KiB heads, 16 KiB trailers: 32 fields of at most 24 + 64 bytes).
const MAX_FIELDS: usize = 32;

fn headers(fields: &[Field]) -> Headers {
    let mut h = Headers::new();
    for (name, value) in fields.iter().take(MAX_FIELDS).filter_map(Field::valid) {
        h.append(&name, value).expect("sanitized field");
    }
    h
}

impl Body {
    fn pieces(&self) -> &[Vec<u8>] {
        match self {
            Self::Unframed(p) | Self::Length(p) | Self::Chunked(p, _) => p,
        }
    }

    fn total(&self) -> Vec<u8> {
        self.pieces().concat()
    }

    fn trailers(&self) -> Headers {
        match self {
            Self::Chunked(_, t) => headers(t),
            _ => Headers::new(),
        }
    }

    /// Adds the framing field to `h`.
    fn frame(&self, h: &mut Headers) {
        match self {
            Self::Unframed(_) => {}
            Self::Length(_) => h
                .append("Content-Length", self.total().len().to_string())
                .unwrap(),
            Self::Chunked(..) => h.append("Transfer-Encoding", "chunked").unwrap(),
        }
    }
}

/// Runs one script.
pub fn run(script: &Script) {
    let limits = Limits::default();
    let mut client = Checked::new(Role::Client, limits.clone(), h1::Buffers::default());
    let mut server = Checked::new(Role::Server, limits, h1::Buffers::default());
    let max = match script.max_piece {
        0 => usize::MAX,
        n => usize::from(n),
    };
    for ex in script.exchanges.iter().take(8) {
        if !exchange(ex, &mut client, &mut server, &script.splits, max) {
            return;
        }
        let done = State::Done;
        if client.conn.our_state() != done || server.conn.our_state() != done {
            // Connection: close: the client sees the end of the stream.
            assert!(!client.conn.is_keep_alive() && !server.conn.is_keep_alive());
            client.eof();
            assert_eq!(client.next_event(), Ok(Event::ConnectionClosed));
            return;
        }
        client.conn.start_next_cycle().expect("client Done");
        server.conn.start_next_cycle().expect("server Done");
    }
}

/// One exchange; false when the connection switched protocols.
fn exchange(
    ex: &Exchange,
    client: &mut Checked,
    server: &mut Checked,
    splits: &[u8],
    max: usize,
) -> bool {
    // The request.
    let (method, target) = match ex.method {
        Method::Get => ("GET", path(&ex.path)),
        Method::Head => ("HEAD", path(&ex.path)),
        Method::Post => ("POST", path(&ex.path)),
        Method::Put => ("PUT", path(&ex.path)),
        Method::Options => ("OPTIONS", "*".to_string()),
        Method::Connect => ("CONNECT", "example.com:443".to_string()),
        Method::Other => ("PURGE", path(&ex.path)),
    };
    let mut req = Request::new(method, &target).expect("valid request line");
    let h = req.headers_mut();
    h.append("Host", "example.com").unwrap();
    for (name, value) in ex
        .req_fields
        .iter()
        .take(MAX_FIELDS)
        .filter_map(Field::valid)
    {
        h.append(&name, value).unwrap();
    }
    ex.req_body.frame(h);
    if ex.req_close {
        h.append("Connection", "close").unwrap();
    }
    let upgrade = ex.upgrade && method != "CONNECT";
    if upgrade {
        h.append("Upgrade", "websocket").unwrap();
    }
    let mut wire = client
        .conn
        .send_request(&req)
        .expect("send_request")
        .to_vec();
    let req_body = match ex.req_body {
        Body::Unframed(_) => Vec::new(),
        _ => ex.req_body.total(),
    };
    if !matches!(ex.req_body, Body::Unframed(_)) {
        for piece in ex.req_body.pieces() {
            let out = client.conn.send_data(Bytes::from(piece.clone()));
            wire.extend(out.expect("send_data").to_vec());
        }
    }
    let trailers = ex.req_body.trailers();
    wire.extend(
        client
            .conn
            .send_end_with_trailers(&trailers)
            .unwrap()
            .to_vec(),
    );
    client.set_method(method);

    let got = receive(server, &wire, splits, max);
    assert_eq!(got.heads, [Head::Request(req.clone())]);
    assert_eq!(got.body, req_body);
    assert_eq!(got.trailers, Some(trailers));

    // The answers.
    let mut wire = Vec::new();
    let mut sent = Vec::new();
    for &s in ex.informational.iter().take(3) {
        let res = Response::new([100, 102, 103][usize::from(s % 3)]).unwrap();
        wire.extend(server.conn.send_response(&res).expect("1xx").to_vec());
        sent.push(Head::Response(res));
    }
    if upgrade && ex.accept_upgrade {
        let res = Response::new(101)
            .and_then(|r| r.with_header("Upgrade", "websocket"))
            .unwrap();
        wire.extend(server.conn.send_response(&res).expect("101").to_vec());
        sent.push(Head::Response(res));
        let got = receive(client, &wire, splits, max);
        assert_eq!(got.heads, sent);
        assert!(got.switched);
        return false;
    }
    let status = 200 + ex.status % 400;
    let switch = method == "CONNECT" && status < 300;
    let mut res = Response::new(status).unwrap();
    if let Some(reason) = &ex.reason {
        let reason: String = reason
            .chars()
            .filter(|c| !c.is_control())
            .take(32)
            .collect();
        res = res.with_reason(&reason).unwrap();
    }
    *res.headers_mut() = headers(&ex.res_fields);
    let bodiless = method == "HEAD" || status == 204 || status == 304 || switch;
    let framing = match ex.res_body {
        Body::Length(_) if status != 204 && !switch => true,
        Body::Chunked(..) if status != 204 && status != 304 && !switch => true,
        _ => false,
    };
    if framing {
        ex.res_body.frame(res.headers_mut());
    }
    if ex.res_close {
        res.headers_mut().append("Connection", "close").unwrap();
    }
    wire.extend(
        server
            .conn
            .send_response(&res)
            .expect("send_response")
            .to_vec(),
    );
    let mut expected = res.clone();
    if !bodiless && !framing {
        expected
            .headers_mut()
            .append("Transfer-Encoding", "chunked")
            .unwrap();
    }
    if ex.req_close && !ex.res_close {
        expected
            .headers_mut()
            .append("Connection", "close")
            .unwrap();
    }
    sent.push(Head::Response(expected));
    if switch {
        let got = receive(client, &wire, splits, max);
        assert_eq!(got.heads, sent);
        assert!(got.switched);
        return false;
    }
    let res_body = if bodiless {
        Vec::new()
    } else {
        ex.res_body.total()
    };
    let chunked = !bodiless && !matches!(ex.res_body, Body::Length(_));
    let trailers = match (&ex.res_body, chunked) {
        (Body::Chunked(..), true) => ex.res_body.trailers(),
        _ => Headers::new(),
    };
    if !bodiless {
        for piece in ex.res_body.pieces() {
            let out = server.conn.send_data(Bytes::from(piece.clone()));
            wire.extend(out.expect("send_data").to_vec());
        }
    }
    wire.extend(
        server
            .conn
            .send_end_with_trailers(&trailers)
            .unwrap()
            .to_vec(),
    );

    let got = receive(client, &wire, splits, max);
    assert_eq!(got.heads, sent);
    assert_eq!(got.body, res_body);
    assert_eq!(got.trailers, Some(trailers));
    true
}

/// An origin-form target made of `s`'s visible ASCII.
fn path(s: &str) -> String {
    let mut p = String::from("/");
    p.extend(s.chars().filter(|c| c.is_ascii_graphic()).take(40));
    p
}

#[derive(Debug, PartialEq)]
enum Head {
    Request(Request),
    Response(Response),
}

/// What a receiver read of one message.
#[derive(Debug, Default)]
struct Got {
    heads: Vec<Head>,
    body: Vec<u8>,
    trailers: Option<Headers>,
    switched: bool,
}

/// Feeds `wire` to `rx` in pieces until the message (or a switch) is complete.
fn receive(rx: &mut Checked, wire: &[u8], splits: &[u8], max: usize) -> Got {
    let mut got = Got::default();
    let mut splits = Splitter::from_sizes(splits);
    let mut fed = 0;
    loop {
        match rx.next_event().expect("a valid message") {
            Event::NeedData => {
                assert!(fed < wire.len(), "the receiver wants more than was sent");
                let n = splits.piece(wire.len() - fed);
                rx.feed(&wire[fed..fed + n]);
                fed += n;
            }
            Event::Request(req) => {
                assert_eq!(req.version(), Version::Http11);
                got.heads.push(Head::Request(req));
                rx.set_mode(h1::BodyMode::Data { max });
            }
            Event::Informational(res) | Event::Response(res) => {
                assert_eq!(res.version(), Version::Http11);
                got.heads.push(Head::Response(res));
                rx.set_mode(h1::BodyMode::Data { max });
            }
            Event::Data(d) => got.body.extend_from_slice(&d),
            Event::EndOfMessage(t) => {
                got.trailers = Some(t);
                break;
            }
            Event::Paused => {
                got.switched = true;
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // Whatever is left must be the next message: nothing here, as each is sent alone.
    assert_eq!(fed + rx.conn.buffered(), wire.len());
    if !got.switched {
        assert_eq!(rx.conn.buffered(), 0, "bytes left after the message");
    }
    got
}
