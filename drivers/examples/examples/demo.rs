//! `demo`: the streaming workflow of Python's `requests`, on h1's blocking driver and then
//! on its async one.
//!
//! ```text
//! cargo run -p h1-examples --example demo
//! ```
//!
//! It starts the `serve` example's server in-process on a free port of 127.0.0.1, then a
//! `Client` walks through: the head first and the length checked before the body is read;
//! a body in bounded pieces (`iter_content(16384)`); the lines of an NDJSON stream as
//! they are produced (`iter_lines()`); a chunked upload from a generator; a `HEAD`; and
//! all of it on one kept-alive connection. Then the same walk on `h1-tokio`: its server
//! on a tokio runtime, its `Client` with `send().await`, `next_chunk`, `next_line` and a
//! `Stream` upload. It exits 1 with a message if any step goes wrong.

use std::process::ExitCode;

use h1_examples::routes::{self, letter};
use h1_std::server::Server;
use h1_std::{Client, Released};

#[path = "demo/on_tokio.rs"]
mod on_tokio;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    println!("== h1-std: the blocking driver ==\n");
    let blocking = run();
    let result = blocking.and_then(|()| {
        println!("\n== h1-tokio: the same workflow, async ==\n");
        on_tokio::run()
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(ok: bool, what: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(what.into())
    }
}

fn run() -> Result<()> {
    let server = Server::bind("127.0.0.1:0")?.spawn(routes::route)?;
    let base = format!("http://{}", server.local_addr());
    println!("server: listening on {base} (routes /bytes/N, /stream/N, /echo)\n");
    let client = Client::new();

    // 1. Head first; the length is checked before any of the body is read.
    println!("1. GET /bytes/100000, stream=True: the head first");
    let mut res = client.get(&format!("{base}/bytes/100000")).send()?;
    println!(
        "   {} {}, Content-Length {:?}",
        res.status(),
        res.reason(),
        res.content_length()
    );
    const MAX: u64 = 1 << 20;
    check(
        res.content_length().is_some_and(|n| n <= MAX),
        "the length is not under 1 MiB",
    )?;
    println!("   under the 1 MiB limit: read the body in pieces of at most 16 KiB");
    let (mut total, mut pieces, mut largest) = (0u64, 0, 0);
    for piece in res.iter_content(Some(16 * 1024)) {
        let piece = piece?;
        check(
            piece
                .iter()
                .enumerate()
                .all(|(i, &b)| b == letter(total + i as u64)),
            "a wrong byte in /bytes",
        )?;
        total += piece.len() as u64;
        largest = largest.max(piece.len());
        pieces += 1;
    }
    check(total == 100_000, "the body is not 100000 bytes")?;
    println!("   {total} bytes in {pieces} pieces (largest {largest}), every byte checked");
    println!("   connection after the whole body: {:?}\n", res.finish());

    // 2. An NDJSON stream, line by line, as the server produces it.
    println!("2. GET /stream/5: iter_lines() over a chunked NDJSON stream");
    let mut res = client.get(&format!("{base}/stream/5")).send()?;
    println!(
        "   {} {}, Transfer-Encoding {:?}, reused connection: {}",
        res.status(),
        res.reason(),
        res.headers().get_str("transfer-encoding").unwrap_or("-"),
        res.reused()
    );
    let mut ids = Vec::new();
    for line in res.iter_lines() {
        let line = String::from_utf8(line?.to_vec())?;
        println!("   line: {line}");
        ids.push(line);
    }
    check(ids.len() == 5, "not 5 lines")?;
    println!("   connection: {:?}\n", res.finish());

    // 3. A chunked upload from a generator (`requests.post(url, data=gen())`).
    println!("3. POST /echo: a chunked upload from a generator");
    let records = (0..4).map(|i| format!("record {i};"));
    let res = client
        .post(&format!("{base}/echo"))
        .header("Content-Type", "text/plain")
        .body_chunks(records)
        .send()?;
    let reused = res.reused();
    let echoed = res.bytes(1 << 20)?;
    let echoed = String::from_utf8(echoed.to_vec())?;
    println!("   echoed back: {echoed:?}, reused connection: {reused}");
    check(
        echoed == "record 0;record 1;record 2;record 3;",
        "the echo differs",
    )?;
    println!();

    // 4. HEAD: the head only, the length it would have.
    println!("4. HEAD /bytes/5000000: the head only");
    let res = client.head(&format!("{base}/bytes/5000000")).send()?;
    println!(
        "   {} {}, Content-Length {:?}, reused connection: {}",
        res.status(),
        res.reason(),
        res.headers().get_str("content-length"),
        res.reused()
    );
    check(
        res.finish() == Released::Pooled,
        "the HEAD's connection was not pooled",
    )?;
    println!();

    // 5. One connection carried it all.
    let stats = client.stats();
    println!(
        "5. connections opened: {}, requests on a reused connection: {}",
        stats.opened, stats.reused
    );
    check(stats.opened == 1, "more than one connection was opened")?;

    server.shutdown()?;
    println!("server: shut down gracefully");
    Ok(())
}
