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
use h1_std::{Client, ClientStats, Released};

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

/// Step 1's count of the `/bytes` body: its pieces, every byte checked.
#[derive(Default)]
struct Tally {
    total: u64,
    pieces: usize,
    largest: usize,
}

impl Tally {
    fn add(&mut self, piece: &[u8]) -> Result<()> {
        let at = self.total;
        let right = piece
            .iter()
            .enumerate()
            .all(|(i, &b)| b == letter(at + i as u64));
        check(right, "a wrong byte in /bytes")?;
        self.total += piece.len() as u64;
        self.largest = self.largest.max(piece.len());
        self.pieces += 1;
        Ok(())
    }

    fn report(&self, released: Released) -> Result<()> {
        check(self.total == 100_000, "the body is not 100000 bytes")?;
        let Self {
            total,
            pieces,
            largest,
        } = self;
        println!("   {total} bytes in {pieces} pieces (largest {largest}), every byte checked");
        println!("   connection after the whole body: {released:?}\n");
        Ok(())
    }
}

/// Step 3's check of the echoed upload.
fn check_echo(echoed: &str, reused: bool) -> Result<()> {
    println!("   echoed back: {echoed:?}, reused connection: {reused}");
    check(
        echoed == "record 0;record 1;record 2;record 3;",
        "the echo differs",
    )?;
    println!();
    Ok(())
}

/// Step 4: what a HEAD response said.
fn head_only(head: &h1::Response, reused: bool) -> Result<()> {
    let length = head.headers().get_str("content-length");
    let reason = String::from_utf8_lossy(head.reason());
    let status = head.status();
    println!("   {status} {reason}, Content-Length {length:?}, reused connection: {reused}");
    Ok(())
}

/// Step 4: the HEAD's connection went back to the pool.
fn pooled(released: Released) -> Result<()> {
    check(
        released == Released::Pooled,
        "the HEAD's connection was not pooled",
    )?;
    println!();
    Ok(())
}

/// Step 5: one connection carried it all.
fn one_connection(stats: ClientStats) -> Result<()> {
    println!(
        "5. connections opened: {}, requests on a reused connection: {}",
        stats.opened, stats.reused
    );
    check(stats.opened == 1, "more than one connection was opened")
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
    let mut tally = Tally::default();
    for piece in res.iter_content(Some(16 * 1024)) {
        let piece = piece?;
        tally.add(&piece)?;
    }
    tally.report(res.finish())?;

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
    check_echo(&echoed, reused)?;

    // 4. HEAD: the head only, the length it would have.
    println!("4. HEAD /bytes/5000000: the head only");
    let res = client.head(&format!("{base}/bytes/5000000")).send()?;
    head_only(res.head(), res.reused())?;
    pooled(res.finish())?;

    // 5. One connection carried it all.
    one_connection(client.stats())?;

    server.shutdown()?;
    println!("server: shut down gracefully");
    Ok(())
}
