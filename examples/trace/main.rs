//! `trace`: raw HTTP/1.1 bytes on stdin, one JSON event per line on stdout.
//!
//! ```text
//! printf 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' | cargo run -q --example trace
//! printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na\nb\r\n0\r\n\r\n' \
//!     | cargo run -q --example trace -- --role client --lines
//! ```
//!
//! Flags: `--role server|client` (default server), `--request-method M` (client role: the
//! method of the request each response answers; default GET), `--request-header 'Name:
//! value'` (client role, repeatable: a field added to every request sent, e.g. `Upgrade`
//! and `Connection: Upgrade` to trace a 101 switch), `--lines` (line events in place of
//! data events), `--max-data N` (data events of at most N bytes), `--piece N` (feed the
//! input N bytes at a time; default 4096).

mod tracer;

use std::io::{Read, Write};

fn main() {
    let opts = match tracer::parse_args(std::env::args().skip(1)) {
        Ok(opts) => opts,
        Err(e) => {
            eprintln!("trace: {e}");
            eprintln!("usage: trace [--role server|client] [--request-method M] [--request-header 'Name: value']... [--lines] [--max-data N] [--piece N] < bytes");
            std::process::exit(2)
        }
    };
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("trace: reading stdin: {e}");
        std::process::exit(1);
    }
    let mut stdout = std::io::stdout().lock();
    for line in tracer::trace(&input, &opts) {
        let _ = writeln!(stdout, "{line}");
    }
}
