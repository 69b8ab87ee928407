//! Runs raw bytes through the harness's runner (`h1-harness`) and renders each event as one
//! JSON object per line. Shared by `examples/trace` and the conformance tests
//! (`tests/conformance.rs`), so the tests check exactly what the tool prints.

#![allow(dead_code)]

use h1::{BodyMode, ErrorKind, Headers, Request, Response, Role};
use h1_harness::{Item, Script, Splitter};

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
    json_string(bytes.iter().map(|&b| char::from(b)), |c| {
        (' '..='~').contains(&c)
    })
}

/// A JSON string of text (an error message): characters as they are, with `"`, `\` and
/// control characters escaped, so a message in UTF-8 reads as written.
pub fn json_str(text: &str) -> String {
    json_string(text.chars(), |c| !c.is_control())
}

/// A JSON string of `chars`: `"` and `\` escaped, the characters `plain` keeps as they
/// are, any other as \uXXXX (a byte as a char is U+0000 to U+00FF: its \u00XX).
fn json_string(chars: impl Iterator<Item = char>, plain: impl Fn(char) -> bool) -> String {
    let mut s = String::from('"');
    for c in chars {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if plain(c) => s.push(c),
            c => s.push_str(&format!("\\u{:04x}", c as u32)),
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

/// The harness script `opts` describe: a client sends a request before each response while
/// input is left; a server answers each request once it was received (a CONNECT with a
/// `200` that opens a tunnel, anything else with an empty `200`).
fn script(opts: &Options) -> Script {
    let mode = if opts.lines {
        BodyMode::Lines
    } else {
        BodyMode::Data {
            max: opts.max_data.unwrap_or(usize::MAX).max(1),
        }
    };
    let mut script = Script::new(opts.role)
        .method(&opts.request_method)
        .mode(mode);
    script.request_headers = opts.request_headers.clone();
    script
}

fn error_line(e: &h1::Error) -> String {
    let status = e.status_hint().map_or("null".into(), |s| s.to_string());
    let offset = e.offset().map_or("null".into(), |o| o.to_string());
    format!(
        "{{\"event\":\"error\",\"message\":{},\"status\":{},\"offset\":{}}}",
        json_str(e.message()),
        status,
        offset
    )
}

/// Traces `input` and returns the JSON lines.
pub fn trace(input: &[u8], opts: &Options) -> Vec<String> {
    let splits = Splitter::cycle(&[opts.piece.max(1)]);
    let mut out = Vec::new();
    for item in script(opts).run(input, splits) {
        out.push(match item {
            Item::Request(req) => request_line(&req),
            Item::Response(res) | Item::Informational(res) => response_line(&res),
            Item::Data(d) => format!("{{\"event\":\"data\",\"bytes\":{}}}", json_bytes(&d)),
            Item::Line(l) => format!("{{\"event\":\"line\",\"bytes\":{}}}", json_bytes(&l)),
            Item::End(trailers) => format!(
                "{{\"event\":\"end\",\"trailers\":{}}}",
                json_headers(&trailers)
            ),
            Item::Error(e) if e.kind() == ErrorKind::Incomplete => {
                "{\"event\":\"need_more\"}".into()
            }
            Item::Error(e) | Item::Refused(e) => error_line(&e),
            Item::Closed | Item::Paused | Item::Switched(_) => continue,
        });
    }
    out
}
