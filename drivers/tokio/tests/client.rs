//! The async client against the async server and against raw servers that misbehave:
//! pooling and reuse, lazy bodies as streams, uploads, cancel safety (a dropped future or
//! response never leaves a half-read connection in the pool), retries, timeouts and
//! bodies cut short. Every wait is bounded.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use h1_tokio::client::{Client, ClientConfig, Released};
use h1_tokio::server::{Incoming, Reply, RunningServer, Server};
use h1_tokio::{ErrorKind, TextOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::timeout;

const TIMEOUT: Duration = Duration::from_secs(20);

fn letters(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

/// `N` NDJSON lines, one chunk each.
struct NdJson(u64, u64);

impl Stream for NdJson {
    type Item = String;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
        if self.0 == self.1 {
            return Poll::Ready(None);
        }
        self.0 += 1;
        Poll::Ready(Some(format!("{{\"id\":{}}}\n", self.0 - 1)))
    }
}

async fn server() -> RunningServer {
    Server::bind("127.0.0.1:0")
        .await
        .unwrap()
        .spawn(|mut req: Incoming| async move {
            let target = req.target().to_owned();
            if let Some(n) = target.strip_prefix("/bytes/") {
                return Ok(Reply::new(200)?.with_body(letters(n.parse()?)));
            }
            if let Some(n) = target.strip_prefix("/stream/") {
                return Ok(Reply::new(200)?.with_chunks(NdJson(0, n.parse()?)));
            }
            if target == "/latin1" {
                return Ok(Reply::new(200)?
                    .with_header("Content-Type", "text/plain; charset=iso-8859-1")?
                    .with_body(&b"caf\xe9\r\n\xfcber"[..]));
            }
            let body = req.body_mut().bytes(64 << 20).await?;
            Ok(Reply::new(200)?.with_body(body))
        })
        .unwrap()
}

async fn next<S: Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    timeout(TIMEOUT, poll_fn(|cx| Pin::new(&mut *s).poll_next(cx)))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_streaming_workflow_reuses_one_connection() {
    let running = server().await;
    let base = format!("http://{}", running.local_addr());
    let client = Client::new();

    // Head first, the length checked, then bounded chunks.
    let res = client
        .get(&format!("{base}/bytes/1000"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.content_length(), Some(1000));
    assert!(!res.reused());
    let mut chunks = res.chunks(Some(64));
    let mut got = Vec::new();
    while let Some(piece) = next(&mut chunks).await {
        let piece = piece.unwrap();
        assert!(!piece.is_empty() && piece.len() <= 64);
        got.extend_from_slice(&piece);
    }
    assert_eq!(got, letters(1000));
    drop(chunks); // read to its end: back to the pool

    // Lines of an NDJSON stream, on the same connection.
    let res = client
        .get(&format!("{base}/stream/20"))
        .send()
        .await
        .unwrap();
    assert!(res.reused());
    assert_eq!(res.content_length(), None);
    let mut lines = res.lines();
    let mut n = 0;
    while let Some(line) = next(&mut lines).await {
        assert_eq!(line.unwrap(), format!("{{\"id\":{n}}}"));
        n += 1;
    }
    assert_eq!(n, 20);
    drop(lines);

    // Text lines in the Content-Type's charset.
    let res = client.get(&format!("{base}/latin1")).send().await.unwrap();
    let mut text = res.text_lines(TextOptions::default()).unwrap();
    assert_eq!(next(&mut text).await.unwrap().unwrap(), "café");
    assert_eq!(next(&mut text).await.unwrap().unwrap(), "über");
    assert!(next(&mut text).await.is_none());
    drop(text);

    let stats = client.stats();
    assert_eq!((stats.opened, stats.reused, stats.pooled), (1, 2, 3));
    assert_eq!(client.idle_connections(), 1);
    running.shutdown().await.unwrap();
}

/// Pieces produced one by one, for a chunked upload.
struct Pieces(Vec<Bytes>);

impl Stream for Pieces {
    type Item = std::io::Result<Bytes>;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(if self.0.is_empty() {
            None
        } else {
            Some(Ok(self.0.remove(0)))
        })
    }
}

#[tokio::test]
async fn uploads_as_bytes_a_reader_and_a_stream_are_echoed() {
    let running = server().await;
    let url = format!("http://{}/echo", running.local_addr());
    let client = Client::new();
    let data = letters(100_000);

    let res = client.post(&url).body(data.clone()).send().await.unwrap();
    assert_eq!(res.bytes(1 << 20).await.unwrap(), data);

    let res = client
        .put(&url)
        .body_reader(&data[..], data.len() as u64)
        .expect_continue(true)
        .send()
        .await
        .unwrap();
    assert_eq!(res.bytes(1 << 20).await.unwrap(), data);

    let pieces: Vec<Bytes> = data
        .chunks(7000)
        .map(Bytes::copy_from_slice)
        .chain([Bytes::new()]) // an empty piece is skipped, not sent as the last chunk
        .collect();
    let res = client
        .post(&url)
        .body_stream(Pieces(pieces))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.text(1 << 20, TextOptions::default())
            .await
            .unwrap()
            .as_bytes(),
        data
    );
    assert_eq!(client.stats().opened, 1);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_response_dropped_mid_body_closes_its_connection() {
    let running = server().await;
    let base = format!("http://{}", running.local_addr());
    let client = Client::new();
    let mut res = client
        .get(&format!("{base}/bytes/5000000"))
        .send()
        .await
        .unwrap();
    let first = res.body_mut().next_chunk(Some(10)).await.unwrap().unwrap();
    assert_eq!(first, &letters(10)[..]);
    assert_eq!(res.finish(), Released::Closed);
    assert_eq!(client.idle_connections(), 0);

    // A stream made from a response, dropped mid-body, closes too.
    let res = client
        .get(&format!("{base}/bytes/5000000"))
        .send()
        .await
        .unwrap();
    let mut chunks = res.chunks(Some(100));
    next(&mut chunks).await.unwrap().unwrap();
    drop(chunks);
    assert_eq!(client.idle_connections(), 0);
    let stats = client.stats();
    assert_eq!((stats.opened, stats.pooled, stats.closed), (2, 0, 2));

    // A small body whose rest is already buffered is finished and pooled.
    let res = client
        .get(&format!("{base}/bytes/10"))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(res.finish(), Released::Pooled);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_send_future_dropped_mid_way_never_pools_its_connection() {
    // A server that answers the head, then waits for ever.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = sock.read(&mut buf).await;
                let _ = sock.write_all(b"HTTP/1.1 200 OK\r\nContent-Len").await;
                tokio::time::sleep(TIMEOUT).await;
            });
        }
    });
    let client = Client::new();
    let url = format!("http://{addr}/");
    let cut = timeout(Duration::from_millis(200), client.get(&url).send()).await;
    assert!(cut.is_err(), "the head never completes");
    assert_eq!(client.idle_connections(), 0);
    assert_eq!(client.stats().pooled, 0);
}

/// A raw server: each connection gets `answers[i]` for its i-th request, then is closed
/// after the last one.
async fn raw_server(answers: Vec<&'static [u8]>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let answers = Arc::new(answers);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let answers = answers.clone();
            tokio::spawn(async move {
                for answer in answers.iter() {
                    let mut buf = [0u8; 4096];
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if sock.write_all(answer).await.is_err() {
                        return;
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_retried_once_for_idempotent_requests() {
    // Each connection answers one request, then closes: the pooled one is dead.
    let addr = raw_server(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]).await;
    let client = Client::new();
    let url = format!("http://{addr}/");
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.bytes(10).await.unwrap(), "ok");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.bytes(10).await.unwrap(), "ok");
    let stats = client.stats();
    assert_eq!(stats.opened, 2, "{stats:?}");
    assert!(stats.stale + stats.retried >= 1, "{stats:?}");
}

#[tokio::test]
async fn bodies_cut_short_and_too_long_are_errors() {
    let addr = raw_server(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"]).await;
    let client = Client::new();
    let res = client.get(&format!("http://{addr}/")).send().await.unwrap();
    let e = res.bytes(100).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BodyCutShort);

    let addr = raw_server(vec![
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
    ])
    .await;
    let res = client.get(&format!("http://{addr}/")).send().await.unwrap();
    let e = res.bytes(100).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BodyCutShort);

    // More bytes than the Content-Length: the body is right, the connection not reused.
    let addr = raw_server(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"]).await;
    let res = client.get(&format!("http://{addr}/")).send().await.unwrap();
    let mut res = res;
    assert_eq!(res.body_mut().bytes(100).await.unwrap(), "ok");
    assert_eq!(res.finish(), Released::Closed);

    // Over the caller's limit, refused from the Content-Length before reading.
    let addr = raw_server(vec![b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"]).await;
    let res = client.get(&format!("http://{addr}/")).send().await.unwrap();
    let e = res.bytes(999).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge);
}

#[tokio::test]
async fn a_slow_server_trips_the_read_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        if let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = sock.read(&mut buf).await;
            tokio::time::sleep(TIMEOUT).await;
        }
    });
    let mut config = ClientConfig::default();
    config.read_timeout = Some(Duration::from_millis(200));
    let client = Client::with_config(config);
    let e = timeout(TIMEOUT, client.get(&format!("http://{addr}/")).send())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn an_http10_close_delimited_response_is_read_to_the_close_and_not_pooled() {
    let addr = raw_server(vec![b"HTTP/1.0 200 OK\r\n\r\nall of it"]).await;
    let client = Client::new();
    let mut res = client.get(&format!("http://{addr}/")).send().await.unwrap();
    let mut all = String::new();
    timeout(TIMEOUT, res.read_to_string(&mut all))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, "all of it");
    assert_eq!(res.finish(), Released::Closed);
}

/// Against Python's `http.server` (an HTTP/1.0 peer), when Python is here.
#[tokio::test]
async fn against_python_http_server() {
    let dir = std::env::temp_dir().join(format!("h1-tokio-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hello.txt"), b"hello from python\n").unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        assert!(std::env::var_os("CI").is_none(), "CI must install python3");
        eprintln!("SKIPPED: python3 is not available here");
        return;
    };
    let client = Client::new();
    let url = format!("http://127.0.0.1:{port}/hello.txt");
    let mut body = None;
    for _ in 0..100 {
        if let Ok(res) = client.get(&url).send().await {
            body = Some(res.bytes(1000).await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(body.expect("python answered"), "hello from python\n");
}
