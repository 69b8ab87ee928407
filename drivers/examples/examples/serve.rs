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
    if tokio {
        return serve_tokio(&addr);
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

/// The same server on the async driver.
fn serve_tokio(addr: &str) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("serve: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async {
        let server = match h1_tokio::server::Server::bind(addr).await {
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
        if let Err(e) = server.serve(h1_examples::tokio_routes::route).await {
            eprintln!("serve: {e}");
            return ExitCode::from(1);
        }
        ExitCode::SUCCESS
    })
}
