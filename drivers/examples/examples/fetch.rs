//! `fetch`, a small curl over the blocking client, or the async one with `--tokio`:
//!
//! ```text
//! fetch [--tokio] [-i] [-X METHOD] [-H 'Name: value']... [--lines] [--chunk-size N] [--max-size N]
//!       [--upload-chunked] [--data TEXT] URL
//! ```
//!
//! The body goes to stdout. `-i` prints the status line and header fields first; `--lines`
//! prints each non-empty line of the body (terminators normalised to `\n`);
//! `--chunk-size N` reads the body in pieces of at most N bytes; `--max-size N` refuses a
//! body over N bytes (a Content-Length over it without reading it) and exits with 3,
//! printing nothing to stdout; `--upload-chunked` sends stdin as a chunked body (POST
//! unless `-X`); `--data TEXT` sends TEXT with a Content-Length (POST unless `-X`).
//! `--tokio` makes the same exchange with `h1-tokio`'s client; everything else is alike.
//!
//! A progress bar (a spinner for a body of unknown length) goes to stderr when stderr is a
//! terminal, stdout is not, and the body is large (`h1_examples::progress`).
//!
//! Exit status: 0 when the exchange completed, whatever the HTTP status; 1 with a one-line
//! message on stderr on any transport or protocol error (2 for a bad command line); 3 for a
//! body over `--max-size`.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use h1_examples::progress::Progress;
use h1_std::{Client, ErrorKind};

/// The request the options describe (method, URL, header fields, `--data`), on either
/// driver's client: their builders have the same methods. `--upload-chunked` is added by
/// each run, from its own kind of stdin.
macro_rules! request {
    ($client:expr, $o:expr) => {{
        let url = $o.url.as_deref().unwrap_or_default();
        let mut req = $client.request(&$o.method(), url);
        for (name, value) in &$o.headers {
            req = req.header(name, value);
        }
        if let Some(data) = &$o.data {
            req = req.body(data.clone().into_bytes());
        }
        req
    }};
}

/// The whole body under `--max-size`, written with the head (`-i`) and as lines
/// (`--lines`) as asked: nothing reaches stdout until the whole body is known to fit.
fn write_whole(o: &Options, head: &[u8], body: &[u8], out: &mut impl Write) -> io::Result<()> {
    if o.include {
        out.write_all(head)?;
    }
    if o.lines {
        write_lines(body, out)?;
    } else {
        out.write_all(body)?;
    }
    out.flush()
}

#[path = "fetch/tokio_run.rs"]
mod tokio_run;

#[derive(Default)]
struct Options {
    tokio: bool,
    include: bool,
    method: Option<String>,
    headers: Vec<(String, String)>,
    lines: bool,
    chunk_size: Option<usize>,
    max_size: Option<u64>,
    upload_chunked: bool,
    data: Option<String>,
    url: Option<String>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options::default();
    let number = |v: Option<String>, name: &str| -> Result<u64, String> {
        v.ok_or(format!("{name} needs a value"))?
            .parse()
            .map_err(|_| format!("{name} needs a number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tokio" => o.tokio = true,
            "-i" => o.include = true,
            "-X" => o.method = Some(args.next().ok_or("-X needs a method")?),
            "-H" => {
                let h = args.next().ok_or("-H needs 'Name: value'")?;
                let (name, value) = h.split_once(':').ok_or("-H needs 'Name: value'")?;
                o.headers
                    .push((name.trim().to_owned(), value.trim().to_owned()));
            }
            "--lines" => o.lines = true,
            "--chunk-size" => {
                let n = number(args.next(), "--chunk-size")?;
                o.chunk_size = Some(usize::try_from(n).unwrap_or(usize::MAX).max(1));
            }
            "--max-size" => o.max_size = Some(number(args.next(), "--max-size")?),
            "--upload-chunked" => o.upload_chunked = true,
            "--data" => o.data = Some(args.next().ok_or("--data needs a value")?),
            url if !url.starts_with('-') && o.url.is_none() => o.url = Some(url.to_owned()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if o.url.is_none() {
        return Err(
            "usage: fetch [--tokio] [-i] [-X METHOD] [-H 'Name: value']... [--lines] \
                    [--chunk-size N] [--max-size N] [--upload-chunked] [--data TEXT] URL"
                .into(),
        );
    }
    Ok(o)
}

impl Options {
    /// `-X`, or POST with a body and GET without.
    fn method(&self) -> String {
        let has_body = self.upload_chunked || self.data.is_some();
        self.method
            .clone()
            .unwrap_or_else(|| if has_body { "POST" } else { "GET" }.to_owned())
    }
}

/// The status line and header fields as received, for `-i`.
fn head_text(res: &h1::Response) -> Vec<u8> {
    let mut out = format!("HTTP/{} {} ", res.version().as_str(), res.status()).into_bytes();
    out.extend_from_slice(res.reason());
    out.extend_from_slice(b"\r\n");
    for (name, value) in res.headers() {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Writes non-empty lines of `body`, each ending in `\n`.
fn write_lines(body: &[u8], out: &mut impl Write) -> io::Result<()> {
    for line in body.split(|&b| b == b'\n' || b == b'\r') {
        if !line.is_empty() {
            out.write_all(line)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn run(o: Options) -> Result<(), h1_std::Error> {
    let client = Client::new();
    let mut req = request!(client, o);
    if o.data.is_none() && o.upload_chunked {
        let mut stdin = io::stdin();
        let pieces = std::iter::from_fn(move || {
            let mut buf = vec![0u8; 16 * 1024];
            match stdin.read(&mut buf) {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some(Ok(buf))
                }
                Err(e) => Some(Err(e)),
            }
        });
        req = req.try_body_chunks(pieces);
    }
    let mut res = req.send()?;
    let progress = Progress::for_body(res.content_length(), client.counters());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let io_err = |e: io::Error| h1_std::Error::from_io(e).context("writing to stdout");
    if let Some(limit) = o.max_size {
        let body = res.body().bytes(limit)?;
        progress.finish();
        return write_whole(&o, &head_text(res.head()), &body, &mut out).map_err(io_err);
    }
    if o.include {
        out.write_all(&head_text(res.head())).map_err(io_err)?;
    }
    if o.lines {
        for line in res.iter_lines() {
            let line = line?;
            if !line.is_empty() {
                out.write_all(&line).map_err(io_err)?;
                out.write_all(b"\n").map_err(io_err)?;
            }
        }
    } else {
        for piece in res.iter_content(o.chunk_size) {
            out.write_all(&piece?).map_err(io_err)?;
        }
    }
    progress.finish();
    out.flush().map_err(io_err)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("fetch: {message}");
            return ExitCode::from(2);
        }
    };
    let result = if options.tokio {
        tokio_run::run(options)
    } else {
        run(options)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::TooLarge => {
            eprintln!("fetch: {e}");
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("fetch: {}", e.to_string().replace('\n', " "));
            ExitCode::from(1)
        }
    }
}
