//! Conformance: raw bytes in, the exact lines `examples/trace` prints out.
//!
//! Every case is one row: a name, the tracer's options (role, request method, output mode),
//! the input bytes, and the JSON lines expected. Lines are compared exactly, except error
//! lines, which are checked on their status hint and a key phrase of the message
//! ([`err`]), so rewording a message does not break the table, and on the offset of the
//! offending byte where the case names one ([`Expect::at`]).
//!
//! Every case also runs with its input fed 1, 2, 3, 5, 8, 13 and 100 bytes at a time
//! ("any split" rule): the output must be the same as when the input is fed whole, except
//! that body bytes may come in more, smaller `data` events (adjacent `data` events are
//! joined before comparing).
//!
//! The table is split by topic: `conformance/framing.rs` (RFC 9112 §6.3, one group per
//! rule), `conformance/syntax.rs` (heads), `conformance/chunked.rs` (chunked coding,
//! trailers, default limits), `conformance/connection.rs` (keep-alive, pipelining, 1xx,
//! incomplete inputs, output modes). Cases that need a [`Limits`](h1::Limits) other than
//! the default, or a request with `Upgrade`, drive a
//! [`Connection`](h1::Connection) straight: `conformance/with_limits.rs`.
//! `docs/conformance.md` maps each rule to its cases.

#[path = "../examples/trace/tracer.rs"]
mod tracer;

use h1::Role;
use tracer::Options;

/// One expected output line.
#[derive(Debug)]
enum Expect {
    /// The line, exactly.
    Line(String),
    /// An error line with this status hint (`None`: a local error, `"status":null`)
    /// whose message contains `phrase`.
    Error {
        status: Option<u16>,
        phrase: &'static str,
        /// The `offset` the line must carry; `None`: any (the split runs still compare it).
        offset: Option<u64>,
    },
}

impl From<&str> for Expect {
    fn from(line: &str) -> Self {
        Expect::Line(line.to_owned())
    }
}

impl From<String> for Expect {
    fn from(line: String) -> Self {
        Expect::Line(line)
    }
}

impl Expect {
    fn matches(&self, line: &str) -> bool {
        match self {
            Expect::Line(l) => l == line,
            Expect::Error {
                status,
                phrase,
                offset,
            } => {
                let status = status.map_or("null".to_owned(), |s| s.to_string());
                let Some((message, at)) = line
                    .strip_prefix(r#"{"event":"error","message":""#)
                    .and_then(|rest| rest.strip_suffix('}'))
                    .and_then(|rest| rest.split_once(&format!(r#"","status":{status},"offset":"#)))
                else {
                    return false;
                };
                let offset_ok = offset.is_none_or(|n| at == n.to_string());
                message.contains(phrase) && offset_ok
            }
        }
    }
}

/// An error line: status hint `status`, message containing `phrase`.
fn err(status: u16, phrase: &'static str) -> Expect {
    Expect::Error {
        status: Some(status),
        phrase,
        offset: None,
    }
}

impl Expect {
    /// This error line, with the offending byte at `offset` from the message's start.
    fn at(self, offset: u64) -> Self {
        match self {
            Expect::Error { status, phrase, .. } => Expect::Error {
                status,
                phrase,
                offset: Some(offset),
            },
            line => panic!("only an error line has an offset: {line:?}"),
        }
    }
}

/// An error line in the client role: no status (a client answers nothing), a message
/// containing `phrase`.
fn client_err(phrase: &'static str) -> Expect {
    Expect::Error {
        status: None,
        phrase,
        offset: None,
    }
}

/// `{"event":"end","trailers":[]}`: a message ended without trailers.
const END: &str = r#"{"event":"end","trailers":[]}"#;
/// The input ended in the middle of a message.
const NEED_MORE: &str = r#"{"event":"need_more"}"#;

/// A `data` event carrying `bytes` (already in the tracer's JSON escaping).
fn data(bytes: &str) -> String {
    format!(r#"{{"event":"data","bytes":"{bytes}"}}"#)
}

/// A `line` event (line mode) carrying `bytes`.
fn line(bytes: &str) -> String {
    format!(r#"{{"event":"line","bytes":"{bytes}"}}"#)
}

/// Server role: the input is what a client sent.
fn server() -> Options {
    Options::default()
}

/// Client role: the input is what a server sent in answer to requests made with `method`.
fn client(method: &str) -> Options {
    Options {
        role: Role::Client,
        request_method: method.to_owned(),
        ..Options::default()
    }
}

/// Client role, `GET` requests carrying `Upgrade: websocket` and `Connection: Upgrade`
/// (`--request-header`, twice).
fn client_upgrading() -> Options {
    tracer::parse_args(
        [
            "--role",
            "client",
            "--request-header",
            "Upgrade: websocket",
            "--request-header",
            "Connection: Upgrade",
        ]
        .map(String::from),
    )
    .expect("valid flags")
}

/// Output modes on top of a role.
trait Mode {
    /// `--lines`
    fn lines(self) -> Self;
    /// `--max-data n`
    fn max_data(self, n: usize) -> Self;
}

impl Mode for Options {
    fn lines(mut self) -> Self {
        self.lines = true;
        self
    }
    fn max_data(mut self, n: usize) -> Self {
        self.max_data = Some(n);
        self
    }
}

/// Joins adjacent `data` events, so traces of differently split inputs compare equal.
fn join_data(lines: Vec<String>) -> Vec<String> {
    const OPEN: &str = r#"{"event":"data","bytes":""#;
    const CLOSE: &str = r#""}"#;
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        if let (Some(prev), Some(body)) = (
            out.last_mut(),
            l.strip_prefix(OPEN).and_then(|b| b.strip_suffix(CLOSE)),
        ) {
            if prev.starts_with(OPEN) {
                prev.truncate(prev.len() - CLOSE.len());
                prev.push_str(body);
                prev.push_str(CLOSE);
                continue;
            }
        }
        out.push(l);
    }
    out
}

/// Piece sizes every case is also fed in.
const PIECES: &[usize] = &[1, 2, 3, 5, 8, 13, 100];

/// Runs one case: whole input against the expectation, then every split against the whole.
fn check(opts: Options, input: impl AsRef<[u8]>, expect: &[Expect]) {
    let input = input.as_ref();
    let whole = tracer::trace(
        input,
        &Options {
            piece: input.len().max(1),
            ..opts.clone()
        },
    );
    let ok = whole.len() == expect.len() && whole.iter().zip(expect).all(|(l, e)| e.matches(l));
    assert!(
        ok,
        "input {:?}\n--- expected\n{}\n--- got\n{}",
        String::from_utf8_lossy(&input[..input.len().min(300)]),
        expect
            .iter()
            .map(|e| format!("{e:?}"))
            .collect::<Vec<_>>()
            .join("\n"),
        whole.join("\n")
    );
    let joined = join_data(whole);
    for &piece in PIECES {
        let split = tracer::trace(
            input,
            &Options {
                piece,
                ..opts.clone()
            },
        );
        assert_eq!(
            join_data(split),
            joined,
            "input fed {piece} byte(s) at a time traces differently"
        );
    }
}

/// Declares cases: `name: options, input => [expected lines];`. Each case is a test of its
/// own; `CASES` lists the names of a group.
macro_rules! cases {
    ($( $(#[doc = $doc:literal])* $name:ident : $opts:expr, $input:expr => [ $($line:expr),* $(,)? ]; )*) => {
        $(
            $(#[doc = $doc])*
            #[test]
            fn $name() {
                check($opts, $input, &[$(Expect::from($line)),*]);
            }
        )*
        /// The names of this group's cases.
        pub const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

// Request heads used again and again.
const GET_A: &str =
    r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"]]}"#;
const CHUNKED_POST: &[u8] = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
const CHUNKED_POST_HEAD: &str = r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Transfer-Encoding","chunked"]]}"#;
const CHUNKED_200: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
const CHUNKED_200_HEAD: &str = r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","chunked"]]}"#;

/// `CHUNKED_POST` followed by `body`.
fn chunked_post(body: &[u8]) -> Vec<u8> {
    [CHUNKED_POST, body].concat()
}

/// `CHUNKED_200` followed by `body`.
fn chunked_200(body: &[u8]) -> Vec<u8> {
    [CHUNKED_200, body].concat()
}

/// `n` bytes of `a`.
fn filler(n: usize) -> String {
    "a".repeat(n)
}

#[path = "conformance/chunked.rs"]
mod chunked;
#[path = "conformance/connection.rs"]
mod connection;
#[path = "conformance/framing.rs"]
mod framing;
#[path = "conformance/offsets.rs"]
mod offsets;
#[path = "conformance/syntax.rs"]
mod syntax;
#[path = "conformance/with_limits.rs"]
mod with_limits;

#[test]
fn at_least_120_cases() {
    let groups: &[&[&str]] = &[
        framing::rule1_no_body::CASES,
        framing::rule2_connect::CASES,
        framing::rule3_te_with_cl::CASES,
        framing::rule4_transfer_encoding::CASES,
        framing::rule5_bad_content_length::CASES,
        framing::rule6_content_length::CASES,
        framing::rule7_request_no_body::CASES,
        framing::rule8_until_close::CASES,
        syntax::fields::CASES,
        syntax::line_endings::CASES,
        syntax::request_line::CASES,
        syntax::host::CASES,
        syntax::targets::CASES,
        syntax::status_line::CASES,
        chunked::chunk_lines::CASES,
        chunked::trailers::CASES,
        chunked::limits_default::CASES,
        connection::lifecycle::CASES,
        connection::incomplete::CASES,
        connection::output_modes::CASES,
        offsets::CASES,
    ];
    let n: usize = groups.iter().map(|g| g.len()).sum();
    assert!(n >= 120, "only {n} cases");
}

#[test]
fn error_matcher_checks_status_and_phrase() {
    let line =
        r#"{"event":"error","message":"a line ends with a bare LF","status":400,"offset":17}"#;
    assert!(err(400, "bare LF").matches(line));
    assert!(err(400, "bare LF").at(17).matches(line));
    assert!(!err(400, "bare LF").at(16).matches(line));
    assert!(!err(431, "bare LF").matches(line));
    assert!(!err(400, "obs-fold").matches(line));
    assert!(!err(400, "bare LF").matches(END));
    let no_offset =
        r#"{"event":"error","message":"a line ends with a bare LF","status":400,"offset":null}"#;
    assert!(!err(400, "bare LF").at(17).matches(no_offset));
    let local = r#"{"event":"error","message":"x","status":null,"offset":null}"#;
    assert!(Expect::Error {
        status: None,
        phrase: "x",
        offset: None,
    }
    .matches(local));
}

#[test]
fn trace_flags_parse_and_refuse() {
    let opts = client_upgrading();
    assert_eq!(opts.role, Role::Client);
    assert_eq!(
        opts.request_headers,
        [
            ("Upgrade".to_owned(), "websocket".to_owned()),
            ("Connection".to_owned(), "Upgrade".to_owned())
        ]
    );
    let args = |a: &[&str]| tracer::parse_args(a.iter().map(|s| s.to_string()));
    assert!(
        args(&["--request-header", "Upgrade: h2c"]).is_err(),
        "server role"
    );
    assert!(args(&["--role", "client", "--request-header", "no colon"]).is_err());
    assert!(args(&["--role", "client", "--request-header"]).is_err());
    assert!(args(&["--role", "peer"]).is_err());
    assert!(args(&["--max-data", "x"]).is_err());
    let opts = args(&["--lines", "--piece", "3", "--request-method", "HEAD"]).unwrap();
    assert!(opts.lines && opts.piece == 3 && opts.request_method == "HEAD");
    // An invalid field name is a local error on the first request, traced as such.
    let bad = args(&["--role", "client", "--request-header", "Bad Name: x"]).unwrap();
    let out = tracer::trace(b"HTTP/1.1 200 OK\r\n\r\n", &bad);
    assert!(
        out.len() == 1 && out[0].ends_with(r#""status":null,"offset":null}"#),
        "{out:?}"
    );
}

#[test]
fn join_data_joins_only_adjacent_data() {
    let lines = vec![data("a"), data("b"), END.to_owned(), data("c")];
    assert_eq!(
        join_data(lines),
        vec![data("ab"), END.to_owned(), data("c")]
    );
}

#[test]
fn error_messages_are_traced_as_written() {
    let out = tracer::trace(b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", &Options::default());
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains("(HTTP/2.0, HTTP/0.9, …)"), "{out:?}");
    assert_eq!(
        tracer::json_str("a \"q\" \\ \u{1} é"),
        r#""a \"q\" \\ \u0001 é""#
    );
}
