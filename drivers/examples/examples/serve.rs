//! `serve`: the test server, on the blocking driver.
//!
//! ```text
//! serve [--tokio] [--addr 127.0.0.1:8080]
//! ```
//!
//! Routes (see `h1_examples::routes`): `GET /stream/N` (N NDJSON lines, chunked, one chunk
//! per line), `GET /bytes/N` (N bytes with Content-Length; `HEAD` gives the head only),
//! `POST /echo` (the request body back). Keep-alive is on. It prints
//! `listening on http://ADDR` once it accepts, and serves until killed. `--tokio` serves
//! the same routes with the async server (`h1-tokio`) on a tokio runtime.

use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;

use h1_std::server::Server;

fn main() -> ExitCode {
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut tokio = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--tokio" {
            tokio = true;
            continue;
        }
        match (arg.as_str(), args.next()) {
            ("--addr", Some(value)) => addr = value,
            _ => {
                eprintln!("usage: serve [--tokio] [--addr HOST:PORT]");
                return ExitCode::from(2);
            }
        }
    }
    let served = if tokio {
        serve_tokio(&addr)
    } else {
        serve_std(&addr)
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("serve: {message}");
            ExitCode::from(1)
        }
    }
}

/// What a failed bind says.
fn cannot_listen(addr: &str, e: io::Error) -> String {
    format!("cannot listen on {addr}: {e}")
}

/// Prints the address the server listens on, once it accepts.
fn announce(local: io::Result<SocketAddr>) -> Result<(), String> {
    let local = local.map_err(|e| e.to_string())?;
    println!("listening on http://{local}");
    Ok(())
}

/// The server on the blocking driver, until killed.
fn serve_std(addr: &str) -> Result<(), String> {
    let server = Server::bind(addr).map_err(|e| cannot_listen(addr, e))?;
    announce(server.local_addr())?;
    server
        .serve(h1_examples::routes::route)
        .map_err(|e| e.to_string())
}

/// The same server on the async driver, on a multi-thread tokio runtime.
fn serve_tokio(addr: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let server = h1_tokio::server::Server::bind(addr)
            .await
            .map_err(|e| cannot_listen(addr, e))?;
        announce(server.local_addr())?;
        server
            .serve(h1_examples::tokio_routes::route)
            .await
            .map_err(|e| e.to_string())
    })
}
