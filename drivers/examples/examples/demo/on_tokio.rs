//! The demo's second half: the same workflow on the async driver (`h1-tokio`), its server
//! and its client on one tokio runtime.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use h1_examples::tokio_routes;
use h1_tokio::client::Client;
use h1_tokio::server::Server;

use super::{check, check_echo, head_only, one_connection, pooled, Result, Tally};

/// Walks through the workflow on h1-tokio, on a current-thread runtime.
pub(crate) fn run() -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(walk())
}

async fn walk() -> Result<()> {
    let server = Server::bind("127.0.0.1:0")
        .await?
        .spawn(tokio_routes::route)?;
    let base = format!("http://{}", server.local_addr());
    println!("server (h1-tokio, a task per connection): listening on {base}\n");
    let client = Client::new();

    // 1. Head first; the length is checked before any of the body is read.
    println!("1. GET /bytes/100000: `send().await` returns at the head");
    let mut res = client.get(&format!("{base}/bytes/100000")).send().await?;
    println!(
        "   {} {}, Content-Length {:?}",
        res.status(),
        res.reason(),
        res.content_length()
    );
    check(
        res.content_length().is_some_and(|n| n <= 1 << 20),
        "the length is not under 1 MiB",
    )?;
    let mut tally = Tally::default();
    while let Some(piece) = res.body_mut().next_chunk(Some(16 * 1024)).await? {
        tally.add(&piece)?;
    }
    tally.report(res.finish())?;

    // 2. An NDJSON stream, line by line, as the server produces it.
    println!("2. GET /stream/5: next_line().await over a chunked NDJSON stream");
    let mut res = client.get(&format!("{base}/stream/5")).send().await?;
    println!(
        "   {} {}, reused connection: {}",
        res.status(),
        res.reason(),
        res.reused()
    );
    let mut lines = 0;
    while let Some(line) = res.body_mut().next_line().await? {
        println!("   line: {}", String::from_utf8_lossy(&line));
        lines += 1;
    }
    check(lines == 5, "not 5 lines")?;
    println!("   connection: {:?}\n", res.finish());

    // 3. A chunked upload from a Stream, each piece flushed as it is produced.
    println!("3. POST /echo: a chunked upload from a Stream");
    let records = Records(0..4);
    let res = client
        .post(&format!("{base}/echo"))
        .header("Content-Type", "text/plain")
        .body_stream(records)
        .send()
        .await?;
    let reused = res.reused();
    let echoed = String::from_utf8(res.bytes(1 << 20).await?.to_vec())?;
    check_echo(&echoed, reused)?;

    // 4. HEAD: the head only.
    println!("4. HEAD /bytes/5000000: the head only");
    let res = client.head(&format!("{base}/bytes/5000000")).send().await?;
    head_only(res.head(), res.reused())?;
    pooled(res.finish())?;

    // 5. One connection carried it all.
    one_connection(client.stats())?;

    server.shutdown().await?;
    println!("server (h1-tokio): shut down gracefully");
    Ok(())
}

/// `record i;` for each `i`, as a `Stream` (what an async generator would yield).
struct Records(std::ops::Range<u32>);

impl Stream for Records {
    type Item = io::Result<String>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.next().map(|i| Ok(format!("record {i};"))))
    }
}
