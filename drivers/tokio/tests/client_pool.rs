//! The async client against small raw servers on 127.0.0.1 (each test starts its own, the
//! same blocking servers the blocking client's tests use): framing forms, the pool's rules
//! for reuse, uploads flushed piece by piece, `Expect: 100-continue`, deadlines, counters
//! and bad input. Every wait is bounded.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

use bytes::Bytes;
use h1_tokio::client::{Client, ClientConfig, Released};
use h1_tokio::{ErrorKind, TextOptions};
use tokio::sync::mpsc;
use tokio::time::timeout;

mod support;

use support::shared::client_cases::{ok, servers};
use support::{next, TIMEOUT};

fn quick_client() -> Client {
    let mut config = ClientConfig::default();
    config.read_timeout = Some(TIMEOUT);
    config.connect_timeout = Some(TIMEOUT);
    Client::with_config(config)
}

/// Waits for a raw server thread off the runtime's threads.
async fn join(server: thread::JoinHandle<()>) {
    tokio::task::spawn_blocking(move || server.join())
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn close_delimited_body_is_read_to_the_close_and_not_pooled() {
    let (url, server) = servers::close_delimited();
    let client = quick_client();
    let res = client.get(&format!("{url}/x")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.content_length(), None);
    let mut lines = res.text_lines(TextOptions::default()).unwrap();
    let mut got = Vec::new();
    while let Some(line) = next(&mut lines).await {
        got.push(line.unwrap());
    }
    assert_eq!(got, ["until", "the close"]);
    drop(lines);
    assert_eq!(client.idle_connections(), 0);
    assert_eq!(client.stats().pooled, 0);
    join(server).await;
}

#[tokio::test]
async fn chunked_with_trailers_then_pooled() {
    let (url, server) = servers::chunked_with_trailers();
    let client = quick_client();
    let mut res = client.get(&format!("{url}/t")).send().await.unwrap();
    let mut body = Vec::new();
    while let Some(piece) = res.body_mut().next_chunk(Some(4)).await.unwrap() {
        assert!(!piece.is_empty() && piece.len() <= 4, "{piece:?}");
        body.extend_from_slice(&piece);
    }
    assert_eq!(body, b"hello, world");
    assert_eq!(res.trailers().get_str("x-sum"), Some("12"));
    assert_eq!(res.finish(), Released::Pooled);
    assert_eq!(client.idle_connections(), 1);
    drop(client);
    join(server).await;
}

#[tokio::test]
async fn the_deadline_stops_a_trickling_stream() {
    let (url, server) = servers::trickling();
    let client = quick_client();
    let res = client
        .get(&url)
        .read_timeout(Some(Duration::from_secs(1)))
        .deadline(Duration::from_millis(400))
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    let e = timeout(TIMEOUT, res.bytes(1 << 20))
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
    join(server).await;
}

#[tokio::test]
async fn an_idle_connection_the_server_closed_is_not_used() {
    let (url, server) = servers::closing_while_idle();
    let client = quick_client();
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.bytes(100).await.unwrap(), "conn 0");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.bytes(100).await.unwrap(), "conn 1");
    let stats = client.stats();
    // Found closed by the liveness check, or (if its close had not arrived yet) by the
    // request, then retried: either way a fresh connection, once.
    assert_eq!(stats.stale + stats.retried, 1, "{stats:?}");
    assert_eq!(stats.opened, 2);
    drop(client);
    join(server).await;
}

#[tokio::test]
async fn keep_alive_timeout_of_the_server_shortens_the_idle_time() {
    let (url, server) = servers::keep_alive_one_second();
    let client = quick_client();
    let mut res = client.get(&url).send().await.unwrap();
    assert_eq!(res.body_mut().bytes(10).await.unwrap(), "ok");
    assert_eq!(res.finish(), Released::Pooled);
    assert_eq!(client.idle_connections(), 1);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        client.idle_connections(),
        0,
        "kept no longer than the server would"
    );
    drop(client);
    join(server).await;
}

#[tokio::test]
async fn connection_close_and_http10_are_not_pooled() {
    let (url, server) = servers::not_for_reuse();
    let client = quick_client();
    for _ in 0..2 {
        let mut res = client.get(&url).send().await.unwrap();
        assert_eq!(res.body_mut().bytes(10).await.unwrap(), "ok");
        assert_eq!(res.finish(), Released::Closed);
    }
    assert_eq!(client.stats().opened, 2);
    join(server).await;
}

/// Pieces of an upload, each produced only once the server has seen every byte before it
/// (so a piece that waited in a buffer would stall the upload until the test bound).
struct Paced {
    pieces: VecDeque<&'static str>,
    seen: mpsc::UnboundedReceiver<usize>,
    sent: usize,
}

impl futures_core::Stream for Paced {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(&piece) = self.pieces.front() else {
            return Poll::Ready(None);
        };
        while self.sent > 0 && !piece.is_empty() {
            match self.seen.poll_recv(cx) {
                Poll::Ready(Some(seen)) if seen == self.sent => break,
                Poll::Ready(Some(_)) => continue,
                Poll::Ready(None) => panic!("the server stopped reading"),
                Poll::Pending => return Poll::Pending,
            }
        }
        self.pieces.pop_front();
        self.sent += piece.len();
        Poll::Ready(Some(Ok(Bytes::from_static(piece.as_bytes()))))
    }
}

#[tokio::test]
async fn chunked_upload_sends_each_piece_as_it_is_produced() {
    let (seen_tx, seen_rx) = mpsc::unbounded_channel::<usize>();
    let (url, server) = servers::chunked_upload(move |len| {
        let _ = seen_tx.send(len);
    });
    let client = quick_client();
    // The empty piece is skipped (were it sent, it would be the last-chunk and end the body).
    let paced = Paced {
        pieces: ["first,", "", "second,", "third"].into(),
        seen: seen_rx,
        sent: 0,
    };
    let sent = client.post(&url).body_stream(paced).send();
    let res = timeout(TIMEOUT, sent)
        .await
        .expect("each piece flushed")
        .unwrap();
    assert_eq!(res.bytes(100).await.unwrap(), "first,second,third");
    join(server).await;
}

#[tokio::test]
async fn uploads_with_a_known_length_and_expect_continue() {
    let (url, server) = servers::echo_got();
    let client = quick_client();
    let res = client
        .put(&url)
        .body_reader(&b"from a reader, and more"[..], 14)
        .send()
        .await
        .unwrap();
    assert_eq!(res.bytes(100).await.unwrap(), "got from a reader,");
    let res = client
        .post(&url)
        .expect_continue(true)
        .body("waited")
        .send()
        .await
        .unwrap();
    assert_eq!(res.bytes(100).await.unwrap(), "got waited");
    let e = client
        .put(&url)
        .body_reader(&b"short"[..], 10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    assert_eq!(client.stats().opened, 1);
    drop(client);
    join(server).await;
}

#[tokio::test]
async fn an_early_final_answer_to_expect_continue_skips_the_body() {
    let (url, server) = servers::refusing_before_continue();
    let client = quick_client();
    let res = client
        .post(&url)
        .expect_continue(true)
        .body(vec![b'x'; 100_000])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.finish(), Released::Closed);
    join(server).await;
}

#[tokio::test]
async fn counters_and_bad_input() {
    let (url, server) = servers::five_bytes();
    let client = quick_client();
    let mut res = client.get(&url).header("X-Test", "1").send().await.unwrap();
    assert_eq!(res.body_mut().bytes(5).await.unwrap(), "12345");
    assert_eq!(client.counters().received(), ok("12345").len() as u64);
    assert!(client.counters().sent() > 20);
    drop(res);
    // The consuming form gives the connection back at once.
    let data = client.get(&url).send().await.unwrap().bytes(5).await;
    assert_eq!(data.unwrap(), "12345");
    assert_eq!(client.idle_connections(), 1);
    let e = client.get("ftp://x/").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let e = client
        .get(&url)
        .header("Bad\nName", "v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let mut res = client.get(&url).send().await.unwrap();
    let e = res.body_mut().bytes(4).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge);
    drop(res);
    drop(client);
    join(server).await;
}

#[tokio::test]
async fn connecting_to_a_closed_port_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = quick_client();
    let sent = client.get(&format!("http://127.0.0.1:{port}/")).send();
    let e = timeout(TIMEOUT, sent).await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
}
