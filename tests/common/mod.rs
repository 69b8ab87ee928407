//! A client and a server `Connection` joined in memory (quinn-proto's `Pair`), and helpers
//! to drain events.

#![allow(dead_code)]

use h1::{Bytes, Connection, Event, Headers, Output, Request, Response, Role};

/// Two connections and the bytes in flight between them.
pub struct Pair {
    pub client: Connection,
    pub server: Connection,
    /// Bytes written by the client, not yet given to the server.
    pub to_server: Vec<u8>,
    /// Bytes written by the server, not yet given to the client.
    pub to_client: Vec<u8>,
}

impl Default for Pair {
    fn default() -> Self {
        Self::new()
    }
}

impl Pair {
    pub fn new() -> Self {
        Pair {
            client: Connection::new(Role::Client),
            server: Connection::new(Role::Server),
            to_server: Vec::new(),
            to_client: Vec::new(),
        }
    }

    /// Runs a send call on the client and queues its output for the server.
    pub fn client_sends(
        &mut self,
        send: impl FnOnce(&mut Connection) -> Result<Output, h1::Error>,
    ) {
        let out = send(&mut self.client).expect("client send");
        self.to_server.extend(out.to_vec());
    }

    /// Runs a send call on the server and queues its output for the client.
    pub fn server_sends(
        &mut self,
        send: impl FnOnce(&mut Connection) -> Result<Output, h1::Error>,
    ) {
        let out = send(&mut self.server).expect("server send");
        self.to_client.extend(out.to_vec());
    }

    /// Delivers what the client wrote and drains the server's events.
    pub fn server_events(&mut self) -> Vec<Event> {
        let bytes = std::mem::take(&mut self.to_server);
        self.server.receive(&bytes).unwrap();
        drain(&mut self.server)
    }

    /// Delivers what the server wrote and drains the client's events.
    pub fn client_events(&mut self) -> Vec<Event> {
        let bytes = std::mem::take(&mut self.to_client);
        self.client.receive(&bytes).unwrap();
        drain(&mut self.client)
    }
}

/// Events until NeedData, Paused or ConnectionClosed (included in the result), bounded.
pub fn drain(conn: &mut Connection) -> Vec<Event> {
    let mut events = Vec::new();
    for _ in 0..100_000 {
        let ev = conn.next_event().expect("no protocol error");
        let stop = matches!(
            ev,
            Event::NeedData | Event::Paused | Event::ConnectionClosed
        );
        events.push(ev);
        if stop {
            return events;
        }
    }
    panic!("drain did not stop");
}

pub fn get(target: &str) -> Request {
    Request::new("GET", target)
        .unwrap()
        .with_header("Host", "example.com")
        .unwrap()
}

pub fn request(method: &str, target: &str, headers: &[(&str, &str)]) -> Request {
    let mut r = Request::new(method, target)
        .unwrap()
        .with_header("Host", "example.com")
        .unwrap();
    for (n, v) in headers {
        r.headers_mut().append(n, v).unwrap();
    }
    r
}

pub fn response(status: u16, headers: &[(&str, &str)]) -> Response {
    let mut r = Response::new(status).unwrap();
    for (n, v) in headers {
        r.headers_mut().append(n, v).unwrap();
    }
    r
}

/// The body bytes of `Data` events, concatenated.
pub fn body_of(events: &[Event]) -> Vec<u8> {
    let mut body = Vec::new();
    for e in events {
        if let Event::Data(d) = e {
            body.extend_from_slice(d);
        }
    }
    body
}

pub fn trailers_of(events: &[Event]) -> Option<Headers> {
    events.iter().find_map(|e| match e {
        Event::EndOfMessage(t) => Some(t.clone()),
        _ => None,
    })
}

pub fn bytes(s: &'static str) -> Bytes {
    Bytes::from_static(s.as_bytes())
}

/// A client that sent `GET /` (Host: a) and its end: ready to read the response.
pub fn client_after_get(limits: h1::Limits) -> Connection {
    let mut client = Connection::with_limits(Role::Client, limits);
    let req = Request::new("GET", "/")
        .unwrap()
        .with_header("Host", "a")
        .unwrap();
    let _ = client.send_request(&req).unwrap();
    let _ = client.send_end().unwrap();
    client
}
