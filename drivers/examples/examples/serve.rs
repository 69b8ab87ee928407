//! `serve`: the test server, on the blocking driver.
//!
//! ```text
//! serve [--addr 127.0.0.1:8080]
//! ```
//!
//! Routes (see `h1_examples::routes`): `GET /stream/N` (N NDJSON lines, chunked, one chunk
//! per line), `GET /bytes/N` (N bytes with Content-Length; `HEAD` gives the head only),
//! `POST /echo` (the request body back). Keep-alive is on. It prints
//! `listening on http://ADDR` once it accepts, and serves until killed.

use std::process::ExitCode;

use h1_std::server::Server;

fn main() -> ExitCode {
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--addr", Some(value)) => addr = value,
            _ => {
                eprintln!("usage: serve [--addr HOST:PORT]");
                return ExitCode::from(2);
            }
        }
    }
    let server = match Server::bind(&addr) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("serve: cannot listen on {addr}: {e}");
            return ExitCode::from(1);
        }
    };
    match server.local_addr() {
        Ok(local) => println!("listening on http://{local}"),
        Err(e) => {
            eprintln!("serve: {e}");
            return ExitCode::from(1);
        }
    }
    if let Err(e) = server.serve(h1_examples::routes::route) {
        eprintln!("serve: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
