//! The async server against raw sockets: protocol errors, pipelining, keep-alive,
//! `100 Continue`, streamed replies, unread bodies, failing handlers, slow clients,
//! graceful shutdown, and 200 concurrent streamed downloads and uploads. Every wait is
//! bounded.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use h1_tokio::client::Client;
use h1_tokio::server::{Incoming, Reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;

mod support;

use support::shared::server_cases::{
    check_bodiless_answers, connection_cases, status_hint_cases, BODILESS_REQUESTS,
};
use support::shared::{ndjson, upload};
use support::{
    connect, letters, next, play_all, quick_config, read_exact, read_to_close, start, start_with,
    stop, Pieces, TIMEOUT,
};

/// The shared server cases: each protocol error answered with its status hint and a close.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_status_hint_cases() {
    play_all(status_hint_cases()).await;
}

/// The shared server cases: heads that stall or trickle (408, or a silent close), idle
/// connections, pipelining, HTTP/1.0, unread bodies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_connection_cases() {
    play_all(connection_cases()).await;
}

#[tokio::test]
async fn many_pipelined_requests_are_answered_in_order_on_one_connection() {
    let running = start(quick_config()).await;
    let mut sock = connect(running.local_addr()).await;
    let mut all = Vec::new();
    for n in 1..=16 {
        all.extend_from_slice(format!("GET /bytes/{n} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes());
    }
    all.extend_from_slice(b"GET /bytes/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    sock.write_all(&all).await.unwrap();
    let got = read_to_close(&mut sock).await;
    let mut expected = String::new();
    for n in 1..=16 {
        let body = String::from_utf8(letters(n)).unwrap();
        expected.push_str(&format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {n}\r\n\r\n{body}"
        ));
    }
    expected.push_str("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    assert_eq!(got, expected);
    stop(running).await;
}

/// A request without a body reads as an empty, finished body that still knows the head's
/// `Content-Type`, between requests with bodies on one connection.
#[tokio::test]
async fn a_head_request_gets_the_length_without_the_body_and_the_connection_is_kept() {
    let running = start(quick_config()).await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"HEAD /bytes/5 HTTP/1.1\r\nHost: a\r\n\r\n\
          GET /bytes/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(
        read_to_close(&mut sock).await,
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\n\
         HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab"
    );
    stop(running).await;
}

#[tokio::test]
async fn a_request_without_a_body_reads_as_empty_and_finished() {
    let running = start_with(quick_config(), |mut req: Incoming| async move {
        let done = req.body_mut().is_done();
        let length = req.body_mut().content_length();
        let body = req.body_mut().bytes(64).await?;
        let charset = match req.into_body().text_lines(h1_tokio::TextOptions::default()) {
            Ok(lines) => format!("{:?}", lines.charset()),
            Err(e) => format!("{:?}", e.kind()),
        };
        let text = format!("{done} {length:?} {} {charset}", body.len());
        Ok(Reply::new(200)?.with_body(text))
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(BODILESS_REQUESTS).await.unwrap();
    check_bodiless_answers(&read_to_close(&mut sock).await);
    stop(running).await;
}

#[tokio::test]
async fn the_client_gets_100_continue_only_when_the_handler_reads() {
    let running = start_with(quick_config(), |mut req: Incoming| async move {
        if req.target() == "/refuse" {
            return Ok(Reply::new(413)?);
        }
        let body = req.body_mut().bytes(100).await?;
        Ok(Reply::new(200)?.with_body(body))
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"PUT /take HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
    )
    .await
    .unwrap();
    let interim = read_exact(&mut sock, 25).await;
    assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    sock.write_all(b"hello").await.unwrap();
    let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    assert_eq!(read_exact(&mut sock, answer.len()).await, answer);

    // A refusal without reading: no 100 Continue, and the connection closes.
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"PUT /refuse HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
    )
    .await
    .unwrap();
    let got = read_to_close(&mut sock).await;
    assert!(got.starts_with("HTTP/1.1 413 "), "{got}");
    assert!(!got.contains("100 Continue"), "{got}");
    stop(running).await;
}

/// A stream that yields one chunk, then waits until the test lets it go on.
struct Gated {
    sent: bool,
    gate: Arc<tokio::sync::Notify>,
    wait: Option<Pin<Box<dyn std::future::Future<Output = ()> + Send>>>,
}

impl Stream for Gated {
    type Item = &'static str;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<&'static str>> {
        if !self.sent {
            self.sent = true;
            let gate = self.gate.clone();
            self.wait = Some(Box::pin(async move { gate.notified().await }));
            return Poll::Ready(Some("first\n"));
        }
        match self.wait.as_mut() {
            Some(wait) => {
                std::task::ready!(wait.as_mut().poll(cx));
                self.wait = None;
                Poll::Ready(Some("second\n"))
            }
            None => Poll::Ready(None),
        }
    }
}

#[tokio::test]
async fn chunks_reach_the_client_as_they_are_produced() {
    let gate = Arc::new(tokio::sync::Notify::new());
    let g = gate.clone();
    let running = start_with(quick_config(), move |_req| {
        let gate = g.clone();
        async move {
            Ok(Reply::new(200)?.with_chunks(Gated {
                sent: false,
                gate,
                wait: None,
            }))
        }
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n6\r\nfirst\n\r\n";
    // The first chunk arrives while the second is not made yet.
    assert_eq!(
        String::from_utf8(read_exact(&mut sock, head.len()).await).unwrap(),
        String::from_utf8(head.to_vec()).unwrap()
    );
    gate.notify_one();
    let rest = read_to_close(&mut sock).await;
    assert_eq!(rest, "7\r\nsecond\n\r\n0\r\n\r\n");
    stop(running).await;
}

#[tokio::test]
async fn a_failing_or_panicking_handler_gets_500_and_a_close() {
    let running = start_with(quick_config(), |req: Incoming| {
        // A panic when called, before any future exists, or in the future when polled.
        if req.target() == "/panic-at-call" {
            panic!("the handler panicked on purpose, when called");
        }
        async move {
            if req.target() == "/panic" {
                panic!("the handler panicked on purpose");
            }
            Err("the handler failed on purpose".into())
        }
    })
    .await;
    for path in ["/fail", "/panic", "/panic-at-call"] {
        let mut sock = connect(running.local_addr()).await;
        sock.write_all(format!("GET {path} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let got = read_to_close(&mut sock).await;
        assert!(got.starts_with("HTTP/1.1 500 "), "{path}: {got}");
        assert!(got.contains("Connection: close"), "{got}");
    }
    stop(running).await;
}

#[tokio::test]
async fn shutdown_lets_an_in_flight_response_finish_and_closes_idle_connections() {
    let started = Arc::new(tokio::sync::Notify::new());
    let s = started.clone();
    let running = start_with(quick_config(), move |req: Incoming| {
        let started = s.clone();
        async move {
            if req.target() == "/slow" {
                started.notify_one();
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Ok(Reply::new(200)?.with_body("done"))
        }
    })
    .await;
    let addr = running.local_addr();
    let mut idle = connect(addr).await;
    idle.write_all(b"GET /quick HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone";
    assert_eq!(read_exact(&mut idle, answer.len()).await, answer);
    let mut busy = connect(addr).await;
    busy.write_all(b"GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    timeout(TIMEOUT, started.notified()).await.unwrap();
    let stopping = tokio::spawn(stop(running));
    assert_eq!(read_to_close(&mut idle).await, "", "the idle one closes");
    let got = read_to_close(&mut busy).await;
    assert_eq!(
        got,
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\ndone"
    );
    stopping.await.unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}

/// 200 clients at once on one server, each with `h1_tokio`'s `Client` (clones of one, so
/// its pool serves them all): a streamed NDJSON download read as lines, then a chunked
/// upload from a `Stream`, echoed; every byte checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_streamed_downloads_and_uploads() {
    let running = start(quick_config()).await;
    let base = format!("http://{}", running.local_addr());
    let client = Client::new();
    let answered = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for id in 0..200usize {
        let (client, base, answered) = (client.clone(), base.clone(), answered.clone());
        clients.push(tokio::spawn(async move {
            let lines = 50 + id as u64;
            let res = client
                .get(&format!("{base}/stream/{lines}"))
                .send()
                .await
                .unwrap();
            let mut stream = res.lines();
            let mut got = String::new();
            while let Some(line) = next(&mut stream).await {
                got.push_str(std::str::from_utf8(&line.unwrap()).unwrap());
                got.push('\n');
            }
            assert_eq!(got, ndjson(lines), "client {id}: the download differs");
            drop(stream);

            let data = upload(20_000 + id * 7, id);
            let pieces = data.chunks(4093).map(Bytes::copy_from_slice).collect();
            let res = client
                .post(&format!("{base}/echo"))
                .body_stream(Pieces(pieces))
                .send()
                .await
                .unwrap();
            let echoed = res.bytes(1 << 20).await.unwrap();
            assert!(echoed == data, "client {id}: the echo differs");
            answered.fetch_add(1, Ordering::Relaxed);
        }));
    }
    for task in clients {
        timeout(TIMEOUT * 3, task).await.unwrap().unwrap();
    }
    assert_eq!(answered.load(Ordering::Relaxed), 200);
    let stats = client.stats();
    assert!(stats.opened >= 2 && stats.opened <= 200, "{stats:?}");
    stop(running).await;
}

/// A streamed reply of `CHUNKS` chunks of `CHUNK` bytes, chunk `i` filled with the byte
/// `i % 251`, that counts the chunks it has made.
struct Counting {
    made: Arc<AtomicUsize>,
}

const CHUNK: usize = 16 * 1024;
const CHUNKS: usize = 1536; // 24 MiB

impl Stream for Counting {
    type Item = Bytes;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let i = self.made.load(Ordering::SeqCst);
        if i == CHUNKS {
            return Poll::Ready(None);
        }
        self.made.fetch_add(1, Ordering::SeqCst);
        Poll::Ready(Some(Bytes::from(vec![(i % 251) as u8; CHUNK])))
    }
}

/// Backpressure: while the client does not read, the producer of a streamed reply stalls
/// once the socket buffers and the driver's small queue are full; when the client reads
/// again, every byte arrives, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_read_stalls_the_producer() {
    let made = Arc::new(AtomicUsize::new(0));
    let counter = made.clone();
    let running = start_with(quick_config(), move |_req| {
        let made = counter.clone();
        async move { Ok(Reply::new(200)?.with_chunks(Counting { made })) }
    })
    .await;
    let client = Client::new();
    let url = format!("http://{}/", running.local_addr());
    let res = timeout(TIMEOUT, client.get(&url).send())
        .await
        .unwrap()
        .unwrap();

    // The response head arrived and nothing of the body is read: wait until the count
    // stops moving (bounded), then check it stays put and is far below the whole body.
    let mut last = made.load(Ordering::SeqCst);
    let mut still = 0;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = made.load(Ordering::SeqCst);
        still = if now == last { still + 1 } else { 0 };
        last = now;
        if still == 10 {
            break;
        }
    }
    assert_eq!(still, 10, "the producer kept going: {last} chunks");
    let buffered = last * CHUNK;
    assert!(
        buffered <= 12 << 20,
        "{buffered} bytes made while the client read nothing"
    );
    assert!(last < CHUNKS, "the whole body was made");

    // Reading resumes: every byte arrives, in order.
    let mut pieces = res.chunks(None);
    let mut offset = 0usize;
    while let Some(piece) = next(&mut pieces).await {
        for b in piece.unwrap() {
            assert_eq!(b, ((offset / CHUNK) % 251) as u8, "byte {offset}");
            offset += 1;
        }
    }
    assert_eq!(offset, CHUNK * CHUNKS);
    assert_eq!(made.load(Ordering::SeqCst), CHUNKS);
    drop(pieces);
    stop(running).await;
}

#[tokio::test]
async fn serve_connection_works_over_any_stream() {
    let (client, server) = tokio::io::duplex(64);
    tokio::spawn(h1_tokio::server::serve_connection(
        server,
        None,
        quick_config(),
        h1_examples::tokio_routes::route,
    ));
    let mut client = client;
    client
        .write_all(b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /bytes/30 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut got = String::new();
    timeout(TIMEOUT, client.read_to_string(&mut got))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        got,
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc\
             HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{}",
            String::from_utf8(letters(30)).unwrap()
        )
    );
}
