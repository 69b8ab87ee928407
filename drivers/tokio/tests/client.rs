//! The async client against the async server and against raw servers that misbehave:
//! pooling and reuse, lazy bodies as streams, uploads, cancel safety (a dropped future or
//! response never leaves a half-read connection in the pool), retries, timeouts and
//! bodies cut short. Every wait is bounded.

use std::time::Duration;

use bytes::Bytes;
use h1_tokio::client::{Client, ClientConfig, Released};
use h1_tokio::TextOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::timeout;

mod support;

use support::shared::client_cases::{
    check_body_error, check_retry, check_sent, closing_server, serve_body_case, Expect, BODY_CASES,
    BODY_LIMIT, RETRY_CASES,
};
use support::{letters, next, server, Pieces, TIMEOUT};

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

    let pieces: std::collections::VecDeque<Bytes> = data
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

fn quick_client() -> Client {
    let mut config = ClientConfig::default();
    config.read_timeout = Some(TIMEOUT);
    config.connect_timeout = Some(TIMEOUT);
    Client::with_config(config)
}

/// Each misbehaving server of the shared cases (the raw servers the blocking client meets
/// too): the documented error, or the right body and a closed connection; never a hang,
/// never wrong data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_body_fault_cases() {
    for case in BODY_CASES {
        let name = case.name;
        let (url, server) = serve_body_case(case);
        let client = quick_client();
        let started = std::time::Instant::now();
        let read_timeout = case.read_timeout.or(Some(TIMEOUT));
        let sent = client.get(&url).read_timeout(read_timeout).send();
        let sent = timeout(TIMEOUT, sent).await.unwrap();
        if check_sent(case, &sent).is_some() {
            let mut res = sent.unwrap();
            if let Expect::BodyThenClosed(_) = case.expect {
                tokio::time::sleep(Duration::from_millis(50)).await; // extra bytes arrive
            }
            let got = timeout(TIMEOUT, res.body_mut().bytes(BODY_LIMIT)).await;
            match (got.unwrap(), case.expect) {
                (Ok(body), Expect::BodyThenClosed(want)) => assert_eq!(body, want, "{name}"),
                (Err(e), _) => check_body_error(case, &e),
                (Ok(body), _) => panic!("{name}: {body:?}"),
            }
            assert_eq!(res.finish(), Released::Closed, "{name}");
        }
        assert!(started.elapsed() < TIMEOUT, "{name}");
        assert_eq!(client.idle_connections(), 0, "{name}");
        drop(client);
        let joined = tokio::task::spawn_blocking(move || server.join());
        joined.await.unwrap().unwrap();
    }
}

/// A request on a pooled connection the server closed: retried once on a fresh one when
/// idempotent and no response byte arrived, an error otherwise (shared cases).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_retry_cases() {
    for case in RETRY_CASES {
        let (url, server) = closing_server(case.conns(), case.ending);
        let client = quick_client();
        let res = client.get(&url).send().await.unwrap();
        let mut body = res.into_body();
        assert_eq!(body.bytes(100).await.unwrap(), "first", "{}", case.name);
        drop(body);
        assert_eq!(client.idle_connections(), 1, "{}", case.name);
        let mut second = client.request(case.method, &url);
        if case.method == "POST" {
            second = second.body("payload");
        }
        let second = async {
            let mut res = second.send().await?;
            Ok((res.reused(), res.body_mut().bytes(100).await?))
        };
        check_retry(
            case,
            timeout(TIMEOUT, second).await.unwrap(),
            client.stats(),
        );
        drop(client);
        let joined = tokio::task::spawn_blocking(move || server.join());
        joined.await.unwrap().unwrap();
    }
}

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
