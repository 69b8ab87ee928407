//! The async server against raw sockets: protocol errors, pipelining, keep-alive,
//! `100 Continue`, streamed replies, unread bodies, failing handlers, slow clients,
//! graceful shutdown, and 200 concurrent streamed downloads and uploads. Every wait is
//! bounded.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use h1_tokio::server::{HandlerResult, Incoming, Reply, RunningServer, Server, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const TIMEOUT: Duration = Duration::from_secs(20);

/// Lines `{"id":N}` for N in 0..n, one chunk each, yielding to the runtime between them.
struct NdJson {
    next: u64,
    n: u64,
}

impl Stream for NdJson {
    type Item = String;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<String>> {
        if self.next == self.n {
            return Poll::Ready(None);
        }
        self.next += 1;
        Poll::Ready(Some(format!("{{\"id\":{}}}\n", self.next - 1)))
    }
}

fn letters(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

/// The test routes: `/bytes/N`, `/stream/N`, `POST /echo`, anything else 404.
async fn route(mut req: Incoming) -> HandlerResult {
    let target = req.target().to_owned();
    if let Some(n) = target.strip_prefix("/bytes/") {
        let n: usize = n.parse()?;
        return Ok(Reply::new(200)?.with_body(letters(n)));
    }
    if let Some(n) = target.strip_prefix("/stream/") {
        let n: u64 = n.parse()?;
        return Ok(Reply::new(200)?
            .with_header("Content-Type", "application/x-ndjson")?
            .with_chunks(NdJson { next: 0, n }));
    }
    if target == "/echo" {
        let body = req.body_mut().bytes(64 << 20).await?;
        return Ok(Reply::new(200)?.with_body(body));
    }
    Ok(Reply::new(404)?)
}

async fn start_with<F, Fut>(config: ServerConfig, handler: F) -> RunningServer
where
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = HandlerResult> + Send + 'static,
{
    Server::bind("127.0.0.1:0")
        .await
        .unwrap()
        .with_config(config)
        .spawn(handler)
        .unwrap()
}

async fn start(config: ServerConfig) -> RunningServer {
    start_with(config, route).await
}

fn quick_config() -> ServerConfig {
    let mut config = ServerConfig::default();
    config.shutdown_timeout = Duration::from_secs(5);
    config
}

async fn connect(addr: SocketAddr) -> TcpStream {
    timeout(TIMEOUT, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap()
}

async fn read_to_close(sock: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = timeout(TIMEOUT, async {
        let mut buf = [0u8; 8192];
        loop {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "no close after {:?}",
        String::from_utf8_lossy(&out)
    );
    String::from_utf8_lossy(&out).into_owned()
}

async fn read_exact(sock: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut out = vec![0; n];
    timeout(TIMEOUT, sock.read_exact(&mut out))
        .await
        .unwrap()
        .unwrap();
    out
}

async fn stop(running: RunningServer) {
    timeout(TIMEOUT, running.shutdown())
        .await
        .expect("the server shuts down in time")
        .unwrap();
}

#[tokio::test]
async fn garbage_gets_400_and_a_close() {
    let running = start(quick_config()).await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"HELLO THERE\r\n\r\n").await.unwrap();
    let got = read_to_close(&mut sock).await;
    assert!(got.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{got}");
    assert!(got.contains("\r\nConnection: close\r\n"), "{got}");
    stop(running).await;
}

#[tokio::test]
async fn each_protocol_error_is_answered_with_its_status_hint() {
    let mut config = quick_config();
    config.limits.max_start_line = 100;
    config.limits.max_body_size = Some(1000);
    let running = start(config).await;
    for (request, status) in [
        (
            format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", "x".repeat(200)),
            "414 URI Too Long",
        ),
        (
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".to_owned(),
            "400 Bad Request",
        ),
        (
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n".to_owned(),
            "413 Content Too Large",
        ),
        (
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".to_owned(),
            "501 Not Implemented",
        ),
        (
            "GET / HTTP/3.0\r\nHost: a\r\n\r\n".to_owned(),
            "505 HTTP Version Not Supported",
        ),
        // A bad chunk size inside a body the handler is reading.
        (
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"
                .to_owned(),
            "400 Bad Request",
        ),
    ] {
        let mut sock = connect(running.local_addr()).await;
        sock.write_all(request.as_bytes()).await.unwrap();
        let got = read_to_close(&mut sock).await;
        assert!(
            got.starts_with(&format!("HTTP/1.1 {status}\r\n")),
            "{request:?}: {got}"
        );
        assert!(got.contains("Connection: close"), "{got}");
    }
    stop(running).await;
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order_on_one_connection() {
    let running = start(quick_config()).await;
    let mut sock = connect(running.local_addr()).await;
    let mut all = Vec::new();
    for n in 1..=16 {
        all.extend_from_slice(format!("GET /bytes/{n} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes());
    }
    all.extend_from_slice(
        b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nping\
          GET /bytes/3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    sock.write_all(&all).await.unwrap();
    let got = read_to_close(&mut sock).await;
    let mut expected = String::new();
    for n in 1..=16 {
        let body = String::from_utf8(letters(n)).unwrap();
        expected.push_str(&format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\n\r\n{body}"
        ));
    }
    expected.push_str("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nping");
    expected.push_str("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
    assert_eq!(got, expected);
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
    let running = start_with(quick_config(), |req: Incoming| async move {
        if req.target() == "/panic" {
            panic!("the handler panicked on purpose");
        }
        Err("the handler failed on purpose".into())
    })
    .await;
    for path in ["/fail", "/panic"] {
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
async fn an_unread_small_body_is_drained_and_the_connection_kept() {
    let running = start_with(quick_config(), |_req| async { Ok(Reply::new(202)?) }).await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let got = read_to_close(&mut sock).await;
    assert_eq!(
        got,
        "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n\
         HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stop(running).await;
}

#[tokio::test]
async fn a_head_past_its_deadline_is_answered_408_and_a_silent_connection_closed() {
    let mut config = quick_config();
    config.header_timeout = Duration::from_millis(400);
    let running = start(config).await;
    let is_408 = |got: &str| {
        assert!(got.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{got}");
        assert!(got.contains("Connection: close\r\n"), "{got}");
    };

    // A new connection on which nothing arrives is closed without an answer.
    let mut sock = connect(running.local_addr()).await;
    let begin = std::time::Instant::now();
    assert_eq!(read_to_close(&mut sock).await, "");
    assert!(begin.elapsed() >= Duration::from_millis(350));

    // Part of a head, then nothing: 408 at the deadline.
    let mut sock = connect(running.local_addr()).await;
    let begin = std::time::Instant::now();
    sock.write_all(b"GET /bytes/1 HTTP/1.1\r\nHo")
        .await
        .unwrap();
    is_408(&read_to_close(&mut sock).await);
    assert!(begin.elapsed() >= Duration::from_millis(350));

    // A byte every 100 ms: the deadline is for the whole head, not for each read.
    let mut sock = connect(running.local_addr()).await;
    let begin = std::time::Instant::now();
    for b in b"GET /bytes/1 HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
    {
        if begin.elapsed() > Duration::from_millis(700) || sock.write_all(&[*b]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    is_408(&read_to_close(&mut sock).await);

    // On a kept-alive connection, the deadline counts from the next head's first byte.
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let want = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    let mut got = vec![0; want.len()];
    timeout(TIMEOUT, sock.read_exact(&mut got))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&got), want);
    tokio::time::sleep(Duration::from_millis(500)).await; // idle, past the head deadline
    let begin = std::time::Instant::now();
    sock.write_all(b"GET /bytes/3 HTTP/1.1\r\n").await.unwrap();
    is_408(&read_to_close(&mut sock).await);
    assert!(begin.elapsed() >= Duration::from_millis(350));
    assert!(begin.elapsed() < Duration::from_secs(4));
    stop(running).await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let mut config = quick_config();
    config.idle_timeout = Duration::from_millis(300);
    let running = start(config).await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET /bytes/2 HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let begin = std::time::Instant::now();
    let got = read_to_close(&mut sock).await;
    assert_eq!(got, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab");
    assert!(begin.elapsed() >= Duration::from_millis(250));
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
        TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}

/// 200 clients at once, each downloading a streamed body and uploading one, every byte
/// checked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_streamed_downloads_and_uploads() {
    let running = start(quick_config()).await;
    let addr = running.local_addr();
    let answered = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for id in 0..200u64 {
        let answered = answered.clone();
        clients.push(tokio::spawn(async move {
            let mut sock = connect(addr).await;
            let lines = 50 + id;
            sock.write_all(format!("GET /stream/{lines} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes())
                .await
                .unwrap();
            let mut conn = h1::Connection::new(h1::Role::Client);
            let req = h1::Request::new("GET", "/")
                .unwrap()
                .with_header("Host", "a")
                .unwrap();
            let _ = conn.send_request(&req).unwrap();
            let _ = conn.send_end().unwrap();
            let body = read_body(&mut conn, &mut sock).await;
            let expected: String = (0..lines).map(|i| format!("{{\"id\":{i}}}\n")).collect();
            assert_eq!(body, expected.as_bytes());
            conn.start_next_cycle().unwrap();

            // A chunked upload, echoed.
            let upload: Vec<u8> = (0..20_000 + id as usize * 7)
                .map(|i| (i * 31 + id as usize) as u8)
                .collect();
            let req = h1::Request::new("POST", "/echo")
                .unwrap()
                .with_header("Host", "a")
                .unwrap()
                .with_header("Connection", "close")
                .unwrap()
                .with_header("Transfer-Encoding", "chunked")
                .unwrap();
            sock.write_all(&conn.send_request(&req).unwrap().to_vec())
                .await
                .unwrap();
            for piece in upload.chunks(4093) {
                let out = conn.send_data(Bytes::copy_from_slice(piece)).unwrap();
                sock.write_all(&out.to_vec()).await.unwrap();
            }
            sock.write_all(&conn.send_end().unwrap().to_vec())
                .await
                .unwrap();
            let echoed = read_body(&mut conn, &mut sock).await;
            assert!(echoed == upload, "client {id}: the echo differs");
            answered.fetch_add(1, Ordering::Relaxed);
        }));
    }
    for client in clients {
        timeout(TIMEOUT * 3, client).await.unwrap().unwrap();
    }
    assert_eq!(answered.load(Ordering::Relaxed), 200);
    stop(running).await;
}

/// Reads one response's body with the core, from a raw socket.
async fn read_body(conn: &mut h1::Connection, sock: &mut TcpStream) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        match conn.next_event().unwrap() {
            h1::Event::Response(res) => assert_eq!(res.status(), 200),
            h1::Event::Data(d) => body.extend_from_slice(&d),
            h1::Event::EndOfMessage(_) => return body,
            h1::Event::NeedData => {
                let mut buf = [0u8; 16384];
                let n = timeout(TIMEOUT, sock.read(&mut buf))
                    .await
                    .unwrap()
                    .unwrap();
                if n == 0 {
                    conn.receive_eof();
                } else {
                    conn.receive(&buf[..n]).unwrap();
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn serve_connection_works_over_any_stream() {
    let (client, server) = tokio::io::duplex(64);
    tokio::spawn(h1_tokio::server::serve_connection(
        server,
        None,
        quick_config(),
        route,
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
             HTTP/1.1 200 OK\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{}",
            String::from_utf8(letters(30)).unwrap()
        )
    );
}
