//! Feeds raw bytes to a `Connection` and renders each event as one JSON object per line.
//! Shared by `examples/trace` and the conformance tests (`tests/conformance.rs`), so the
//! tests check exactly what the tool prints.

#![allow(dead_code)]

use h1::{BodyMode, Connection, ErrorKind, Event, Headers, Request, Response, Role, State};

/// How to trace.
#[derive(Debug, Clone)]
pub struct Options {
    pub role: Role,
    /// Client role: the method of the request each response answers.
    pub request_method: String,
    /// Client role: header fields added to every request sent (`--request-header`).
    pub request_headers: Vec<(String, String)>,
    /// Line mode: `line` events in place of `data`.
    pub lines: bool,
    /// Data events of at most this many bytes.
    pub max_data: Option<usize>,
    /// Feed the input in pieces of this many bytes, as a socket would.
    pub piece: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            role: Role::Server,
            request_method: "GET".into(),
            request_headers: Vec::new(),
            lines: false,
            max_data: None,
            piece: 4096,
        }
    }
}

/// The command line's flags (see `main.rs`), or what is wrong with them.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--role" => {
                opts.role = match value()?.as_str() {
                    "server" => Role::Server,
                    "client" => Role::Client,
                    other => return Err(format!("unknown role {other:?}")),
                }
            }
            "--request-method" => opts.request_method = value()?,
            "--request-header" => {
                let field = value()?;
                let (name, v) = field
                    .split_once(':')
                    .ok_or_else(|| format!("--request-header {field:?} is not `Name: value`"))?;
                opts.request_headers
                    .push((name.to_owned(), v.trim().to_owned()));
            }
            "--lines" => opts.lines = true,
            "--max-data" => {
                opts.max_data = Some(value()?.parse().map_err(|e| format!("--max-data: {e}"))?)
            }
            "--piece" => opts.piece = value()?.parse().map_err(|e| format!("--piece: {e}"))?,
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    if opts.role == Role::Server && !opts.request_headers.is_empty() {
        return Err("--request-header is for the client role (--role client)".into());
    }
    Ok(opts)
}

/// A JSON string: printable ASCII as is (with `"` and `\` escaped), other bytes as \u00XX.
pub fn json_bytes(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for &b in bytes {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\u{:04x}", b)),
        }
    }
    s.push('"');
    s
}

fn json_headers(headers: &Headers) -> String {
    let fields: Vec<String> = headers
        .iter()
        .map(|(n, v)| format!("[{},{}]", json_bytes(n.as_bytes()), json_bytes(v)))
        .collect();
    format!("[{}]", fields.join(","))
}

fn request_line(req: &Request) -> String {
    format!(
        "{{\"event\":\"head\",\"method\":{},\"target\":{},\"version\":\"{}\",\"headers\":{}}}",
        json_bytes(req.method().as_bytes()),
        json_bytes(req.target().as_bytes()),
        req.version().as_str(),
        json_headers(req.headers())
    )
}

fn response_line(res: &Response) -> String {
    format!(
        "{{\"event\":\"head\",\"status\":{},\"reason\":{},\"version\":\"{}\",\"headers\":{}}}",
        res.status(),
        json_bytes(res.reason()),
        res.version().as_str(),
        json_headers(res.headers())
    )
}

/// Sends the request a response answers (client role), with the extra fields of `opts`.
fn send_request(conn: &mut Connection, opts: &Options) -> Result<(), h1::Error> {
    let method = opts.request_method.as_str();
    let target = if method == "CONNECT" {
        "example.com:443"
    } else {
        "/"
    };
    let mut req = Request::new(method, target)?.with_header("Host", "example.com")?;
    for (name, value) in &opts.request_headers {
        req.headers_mut().append(name, value)?;
    }
    let _ = conn.send_request(&req)?;
    let _ = conn.send_end()?;
    Ok(())
}

/// Answers a request with an empty response (server role). A 2xx answer to CONNECT has no
/// Content-Length (RFC 9110 §9.3.6): it switches to a tunnel.
fn send_response(conn: &mut Connection, connect: bool) -> Result<(), h1::Error> {
    let res = Response::new(200)?;
    let res = if connect {
        res
    } else {
        res.with_header("Content-Length", "0")?
    };
    let _ = conn.send_response(&res)?;
    if conn.our_state() == State::SendBody {
        let _ = conn.send_end()?;
    }
    Ok(())
}

/// Traces `input` and returns the JSON lines.
pub fn trace(input: &[u8], opts: &Options) -> Vec<String> {
    let mut out = Vec::new();
    let mut conn = Connection::new(opts.role);
    let mut fed = 0;
    let mut connect = false;
    let piece = opts.piece.max(1);
    let local = |out: &mut Vec<String>, e: h1::Error| {
        out.push(format!(
            "{{\"event\":\"error\",\"message\":{},\"status\":null,\"offset\":null}}",
            json_bytes(e.message().as_bytes())
        ))
    };
    if opts.role == Role::Client && !input.is_empty() {
        if let Err(e) = send_request(&mut conn, opts) {
            local(&mut out, e);
            return out;
        }
    }
    // Bounded: every turn either consumes input, hands out an event that consumed bytes,
    // or ends; the bound only guards against a bug turning into a hang.
    for _ in 0..(input.len() * 4 + 1000) {
        let event = match conn.next_event() {
            Ok(ev) => ev,
            Err(e) if e.kind() == ErrorKind::Incomplete => {
                out.push("{\"event\":\"need_more\"}".into());
                return out;
            }
            Err(e) => {
                let status = e.status_hint().map_or("null".into(), |s| s.to_string());
                let offset = e.offset().map_or("null".into(), |o| o.to_string());
                out.push(format!(
                    "{{\"event\":\"error\",\"message\":{},\"status\":{},\"offset\":{}}}",
                    json_bytes(e.message().as_bytes()),
                    status,
                    offset
                ));
                return out;
            }
        };
        match event {
            Event::NeedData => {
                if fed == input.len() {
                    conn.receive_eof();
                } else {
                    let n = piece.min(input.len() - fed);
                    conn.receive(&input[fed..fed + n]).expect("not after EOF");
                    fed += n;
                }
            }
            Event::Request(req) => {
                out.push(request_line(&req));
                connect = req.method() == "CONNECT";
                set_mode(&mut conn, opts);
            }
            Event::Response(res) => {
                out.push(response_line(&res));
                if conn.their_state() == State::SwitchedProtocol {
                    return out;
                }
                set_mode(&mut conn, opts);
            }
            Event::Informational(res) => {
                out.push(response_line(&res));
                if conn.their_state() == State::SwitchedProtocol {
                    return out;
                }
            }
            Event::Data(d) => out.push(format!(
                "{{\"event\":\"data\",\"bytes\":{}}}",
                json_bytes(&d)
            )),
            Event::LineComplete(l) => out.push(format!(
                "{{\"event\":\"line\",\"bytes\":{}}}",
                json_bytes(&l)
            )),
            Event::EndOfMessage(trailers) => {
                out.push(format!(
                    "{{\"event\":\"end\",\"trailers\":{}}}",
                    json_headers(&trailers)
                ));
                let next = match opts.role {
                    Role::Server => send_response(&mut conn, connect),
                    Role::Client => Ok(()),
                };
                if let Err(e) = next {
                    local(&mut out, e);
                    return out;
                }
                if conn.our_state() == State::SwitchedProtocol {
                    return out;
                }
                if conn.our_state() == State::Done && conn.their_state() == State::Done {
                    conn.start_next_cycle().expect("both sides are done");
                    // Input ending here ends the trace cleanly: no response is due.
                    if opts.role == Role::Client && (fed < input.len() || conn.buffered() > 0) {
                        if let Err(e) = send_request(&mut conn, opts) {
                            local(&mut out, e);
                            return out;
                        }
                    }
                }
            }
            Event::ConnectionClosed | Event::Paused => return out,
            _ => return out,
        }
    }
    out.push(
        "{\"event\":\"error\",\"message\":\"trace did not finish\",\"status\":null,\"offset\":null}"
            .into(),
    );
    out
}

fn set_mode(conn: &mut Connection, opts: &Options) {
    let mode = if opts.lines {
        BodyMode::Lines
    } else {
        BodyMode::Data {
            max: opts.max_data.unwrap_or(usize::MAX).max(1),
        }
    };
    conn.set_body_mode(mode).expect("valid body mode");
}
