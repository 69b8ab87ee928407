//! A client and a server `Connection` over random conversations: methods (HEAD and
//! CONNECT included), 1xx/204/304 and other statuses, Content-Length and chunked bodies
//! with trailers, keep-alive and `Connection: close`, requests pipelined to the server,
//! every byte stream cut at random places. Both sides must agree on every message: the
//! head, the body bytes and the trailers; and the bytes must all be used.

use h1::{BodyMode, Bytes, Connection, Event, Headers, Request, Response, Role, State};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Body {
    /// No framing field: no body for a request; chunked is added for a response.
    Unframed,
    Length(Vec<Vec<u8>>),
    Chunked(Vec<Vec<u8>>, Vec<(String, String)>),
}

#[derive(Debug, Clone)]
struct Exchange {
    method: &'static str,
    fields: Vec<(String, String)>,
    req_body: Body,
    informational: Vec<u16>,
    status: u16,
    res_fields: Vec<(String, String)>,
    res_body: Body,
}

/// A conversation: batches of pipelined requests, with optional `Connection: close`
/// from either side on the very last exchange.
#[derive(Debug, Clone)]
struct Conversation {
    batches: Vec<Vec<Exchange>>,
    close: Option<Role>,
    /// Piece sizes the byte streams are cut into, used in turn.
    splits: Vec<usize>,
}

fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec!["Accept", "X-Trace", "Cookie", "ETag", "x-a"]);
    prop::collection::vec(
        (name.prop_map(String::from), "[!-~]([ -~]{0,10}[!-~])?"),
        0..3,
    )
}

fn pieces() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..20), 0..4)
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => Just(Body::Unframed),
        2 => pieces().prop_map(Body::Length),
        2 => (pieces(), fields()).prop_map(|(p, t)| Body::Chunked(p, t)),
    ]
}

fn exchange(connect: bool) -> impl Strategy<Value = Exchange> {
    let method = if connect {
        Just("CONNECT").boxed()
    } else {
        prop::sample::select(vec!["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]).boxed()
    };
    let status = prop::sample::select(vec![200u16, 201, 204, 206, 304, 400, 404, 407, 500]);
    let info = prop::collection::vec(prop::sample::select(vec![100u16, 102, 103]), 0..3);
    (method, fields(), body(), info, status, fields(), body()).prop_map(
        |(method, fields, req_body, informational, status, res_fields, res_body)| Exchange {
            method,
            fields,
            req_body,
            informational,
            status,
            res_fields,
            res_body,
        },
    )
}

fn conversation() -> impl Strategy<Value = Conversation> {
    let batch = prop::collection::vec(exchange(false), 1..4);
    (
        prop::collection::vec(batch, 1..4),
        prop::option::weighted(0.3, exchange(true)),
        prop::option::of(prop_oneof![Just(Role::Client), Just(Role::Server)]),
        prop::collection::vec(1usize..40, 1..8),
    )
        .prop_map(|(mut batches, connect, close, splits)| {
            if let Some(c) = connect {
                batches.last_mut().unwrap().push(c);
            }
            Conversation {
                batches,
                close,
                splits,
            }
        })
}

impl Body {
    fn pieces(&self) -> &[Vec<u8>] {
        match self {
            Self::Unframed => &[],
            Self::Length(p) | Self::Chunked(p, _) => p,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.pieces().concat()
    }

    fn trailers(&self) -> Headers {
        let mut h = Headers::new();
        if let Self::Chunked(_, t) = self {
            for (n, v) in t {
                h.append(n, v).unwrap();
            }
        }
        h
    }

    fn frame(&self, h: &mut Headers) {
        match self {
            Self::Unframed => {}
            Self::Length(_) => h
                .append("Content-Length", self.bytes().len().to_string())
                .unwrap(),
            Self::Chunked(..) => h.append("Transfer-Encoding", "chunked").unwrap(),
        }
    }
}

/// Cuts byte streams into the conversation's piece sizes, in turn.
struct Cutter<'a> {
    sizes: &'a [usize],
    next: usize,
}

impl Cutter<'_> {
    fn piece(&mut self, left: usize) -> usize {
        let n = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        n.min(left)
    }
}

/// Bytes in flight to one side, fed in pieces.
struct Inbox {
    bytes: Vec<u8>,
    fed: usize,
}

impl Inbox {
    fn feed(&mut self, conn: &mut Connection, cut: &mut Cutter<'_>) {
        assert!(
            self.fed < self.bytes.len(),
            "the receiver waits for bytes never sent"
        );
        let n = cut.piece(self.bytes.len() - self.fed);
        conn.receive(&self.bytes[self.fed..self.fed + n]).unwrap();
        self.fed += n;
    }
}

/// What one side read of one message.
#[derive(Debug, Default)]
struct Read {
    heads: Vec<String>,
    body: Vec<u8>,
    trailers: Option<Headers>,
}

/// Reads one message (or a switch) from `inbox`; stops at its end without draining more.
fn read_message(conn: &mut Connection, inbox: &mut Inbox, cut: &mut Cutter<'_>) -> Read {
    let mut read = Read::default();
    loop {
        match conn.next_event().expect("no protocol error") {
            Event::NeedData => inbox.feed(conn, cut),
            Event::Request(r) => {
                read.heads.push(format!("{r:?}"));
                conn.set_body_mode(BodyMode::Data { max: 7 }).unwrap();
            }
            Event::Informational(r) | Event::Response(r) => read.heads.push(format!("{r:?}")),
            Event::Data(d) => read.body.extend_from_slice(&d),
            Event::EndOfMessage(t) => {
                read.trailers = Some(t);
                return read;
            }
            Event::Paused => {
                assert_eq!(conn.their_state(), State::SwitchedProtocol);
                return read;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn request(ex: &Exchange, close: bool) -> Request {
    let target = match ex.method {
        "CONNECT" => "example.com:443",
        "OPTIONS" => "*",
        _ => "/some/path?q=1",
    };
    let mut r = Request::new(ex.method, target).unwrap();
    let h = r.headers_mut();
    h.append("Host", "example.com").unwrap();
    for (n, v) in &ex.fields {
        h.append(n, v).unwrap();
    }
    ex.req_body.frame(h);
    if close {
        h.append("Connection", "close").unwrap();
    }
    r
}

/// Sends a request and its body on `client`; returns the bytes.
fn send_request(client: &mut Connection, ex: &Exchange, close: bool) -> Vec<u8> {
    let mut wire = client.send_request(&request(ex, close)).unwrap().to_vec();
    if !matches!(ex.req_body, Body::Unframed) {
        for p in ex.req_body.pieces() {
            wire.extend(client.send_data(Bytes::from(p.clone())).unwrap().to_vec());
        }
    }
    let t = ex.req_body.trailers();
    wire.extend(client.send_end_with_trailers(&t).unwrap().to_vec());
    wire
}

/// The server's answer to `ex`: its bytes, the heads the client must read (with the
/// fields the server adds), the body, the trailers; and whether the protocol switched.
fn answer(server: &mut Connection, ex: &Exchange, close: bool) -> (Vec<u8>, Read, bool) {
    let mut wire = Vec::new();
    let mut read = Read::default();
    for &s in &ex.informational {
        let res = Response::new(s).unwrap();
        wire.extend(server.send_response(&res).unwrap().to_vec());
        read.heads.push(format!("{res:?}"));
    }
    let switch = ex.method == "CONNECT" && ex.status < 300;
    let bodiless = ex.method == "HEAD" || ex.status == 204 || ex.status == 304 || switch;
    let mut res = Response::new(ex.status).unwrap();
    let h = res.headers_mut();
    for (n, v) in &ex.res_fields {
        h.append(n, v).unwrap();
    }
    let framed = match ex.res_body {
        Body::Length(_) => ex.status != 204 && !switch,
        Body::Chunked(..) => ex.status != 204 && ex.status != 304 && !switch,
        Body::Unframed => false,
    };
    if framed {
        ex.res_body.frame(h);
    }
    if close {
        h.append("Connection", "close").unwrap();
    }
    wire.extend(server.send_response(&res).unwrap().to_vec());
    let mut expected = res.clone();
    if !bodiless && !framed {
        let h = expected.headers_mut();
        h.append("Transfer-Encoding", "chunked").unwrap();
    }
    if !close && !server.is_keep_alive() {
        expected
            .headers_mut()
            .append("Connection", "close")
            .unwrap();
    }
    read.heads.push(format!("{expected:?}"));
    if switch {
        return (wire, read, true);
    }
    let chunked = !bodiless && !matches!(ex.res_body, Body::Length(_));
    let trailers = if chunked {
        ex.res_body.trailers()
    } else {
        Headers::new()
    };
    if !bodiless {
        for p in ex.res_body.pieces() {
            wire.extend(server.send_data(Bytes::from(p.clone())).unwrap().to_vec());
        }
        read.body = ex.res_body.bytes();
    }
    wire.extend(server.send_end_with_trailers(&trailers).unwrap().to_vec());
    read.trailers = Some(trailers);
    (wire, read, false)
}

fn run(conv: &Conversation) {
    let mut client = Connection::new(Role::Client);
    let mut server = Connection::new(Role::Server);
    let mut cut = Cutter {
        sizes: &conv.splits,
        next: 0,
    };
    let total: usize = conv.batches.iter().map(Vec::len).sum();
    let mut n = 0;
    for batch in &conv.batches {
        // The requests of a batch, made by fresh clients, arrive at the server together.
        let first = n;
        let is_last = |i: usize| i + 1 == total;
        let close_req = |i: usize| is_last(i) && conv.close == Some(Role::Client);
        let close_res = |i: usize| is_last(i) && conv.close == Some(Role::Server);
        let wires: Vec<Vec<u8>> = batch
            .iter()
            .enumerate()
            .map(|(k, ex)| {
                send_request(&mut Connection::new(Role::Client), ex, close_req(first + k))
            })
            .collect();
        let mut to_server = Inbox {
            bytes: wires.concat(),
            fed: 0,
        };
        let mut answers = Vec::new();
        for (k, ex) in batch.iter().enumerate() {
            let read = read_message(&mut server, &mut to_server, &mut cut);
            assert_eq!(
                read.heads,
                [format!("{:?}", request(ex, close_req(first + k)))]
            );
            assert_eq!(
                read.body,
                if matches!(ex.req_body, Body::Unframed) {
                    vec![]
                } else {
                    ex.req_body.bytes()
                }
            );
            assert_eq!(read.trailers, Some(ex.req_body.trailers()));
            // Pipelined bytes wait until our response is done.
            if server.buffered() > 0 {
                assert_eq!(server.next_event(), Ok(Event::Paused));
            }
            answers.push(answer(&mut server, ex, close_res(first + k)));
            if answers.last().unwrap().2 {
                break; // a tunnel: nothing follows
            }
            if server.our_state() == State::Done {
                server.start_next_cycle().unwrap();
            }
        }
        assert_eq!(
            to_server.fed,
            to_server.bytes.len(),
            "request bytes left unread"
        );
        assert_eq!(server.buffered(), 0);

        // The client sends each request (the same bytes) and reads its answer in turn.
        let mut to_client = Inbox {
            bytes: answers.iter().flat_map(|a| a.0.clone()).collect(),
            fed: 0,
        };
        for (k, (ex, (_, expected, switched))) in batch.iter().zip(&answers).enumerate() {
            let wire = send_request(&mut client, ex, close_req(first + k));
            assert_eq!(wire, wires[k], "the same request gives the same bytes");
            let read = read_message(&mut client, &mut to_client, &mut cut);
            assert_eq!(read.heads, expected.heads);
            if *switched {
                assert_eq!(client.our_state(), State::SwitchedProtocol);
                assert_eq!(server.our_state(), State::SwitchedProtocol);
                return;
            }
            assert_eq!(read.body, expected.body);
            assert_eq!(read.trailers, expected.trailers);
            n += 1;
            if client.our_state() == State::Done && client.their_state() == State::Done {
                client.start_next_cycle().unwrap();
            }
        }
        assert_eq!(
            to_client.fed,
            to_client.bytes.len(),
            "response bytes left unread"
        );
    }
    if conv.close.is_some() {
        assert_eq!(client.our_state(), State::MustClose);
        assert_eq!(server.our_state(), State::MustClose);
        client.receive_eof();
        assert_eq!(client.next_event(), Ok(Event::ConnectionClosed));
        server.receive_eof();
        assert_eq!(server.next_event(), Ok(Event::ConnectionClosed));
    } else {
        assert_eq!(client.our_state(), State::Idle);
        assert_eq!(server.our_state(), State::Idle);
    }
}

proptest! {
    /// Both sides agree on every message of random conversations cut at random places.
    #[test]
    fn client_and_server_agree(conv in conversation()) {
        run(&conv);
    }
}
