//! The async server against raw sockets, in the cases the blocking server's tests play too:
//! an unread body past the drain limit, a refusal before `100 Continue`, reply bodies cut
//! short, a shutdown that times out, a body over the handler's limit, and a handler reading
//! lines while they arrive. Every wait is bounded.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use h1_tokio::server::{Incoming, Reply, ServerConfig};
use tokio::io::AsyncWriteExt;
use tokio::time::timeout;

mod support;

use support::{connect, quick_config, read_exact, read_to_close, start, start_with, stop, TIMEOUT};

/// Chunks from a list, the last of which may be a failure.
struct Listed(Vec<std::io::Result<&'static str>>);

impl Stream for Listed {
    type Item = std::io::Result<&'static str>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready((!self.0.is_empty()).then(|| self.0.remove(0)))
    }
}

/// A chunk every 20 ms, for ever.
struct Endless(Pin<Box<tokio::time::Sleep>>);

impl Stream for Endless {
    type Item = &'static str;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<&'static str>> {
        if self.0.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        let next = tokio::time::Instant::now() + Duration::from_millis(20);
        self.0.as_mut().reset(next);
        Poll::Ready(Some("tick\n"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_large_body_closes_the_connection() {
    let mut config = quick_config();
    config.drain_limit = 1000;
    let running = start_with(config, |_req: Incoming| async { Ok(Reply::new(202)?) }).await;
    let sock = connect(running.local_addr()).await;
    let (mut read, mut write) = sock.into_split();
    let writer = tokio::spawn(async move {
        let _ = write
            .write_all(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        for _ in 0..100 {
            let mut chunk = b"64\r\n".to_vec();
            chunk.extend_from_slice(&[b'x'; 100]);
            chunk.extend_from_slice(b"\r\n");
            if write.write_all(&chunk).await.is_err() {
                break;
            }
        }
        write
    });
    let mut got = Vec::new();
    let read_all = async {
        let mut buf = [0u8; 4096];
        loop {
            match tokio::io::AsyncReadExt::read(&mut read, &mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    timeout(TIMEOUT, read_all).await.expect("closed");
    assert_eq!(
        String::from_utf8_lossy(&got),
        "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    drop(writer.await.unwrap());
    stop(running).await;
}

#[tokio::test]
async fn a_refusal_without_reading_sends_no_100_continue_and_closes() {
    let running = start_with(quick_config(), |_req: Incoming| async {
        Ok(Reply::new(413)?)
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n",
    )
    .await
    .unwrap();
    assert_eq!(
        read_to_close(&mut sock).await,
        "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    stop(running).await;
}

#[tokio::test]
async fn a_reply_body_cut_short_closes_instead_of_ending() {
    let running = start_with(quick_config(), |req: Incoming| async move {
        let reply = Reply::new(200)?;
        Ok(match req.target() {
            "/short-reader" => reply.with_reader(&b"only 9 b"[..], 100),
            _ => reply.with_try_chunks(Listed(vec![
                Ok("first\n"),
                Err(std::io::Error::other("the producer failed")),
            ])),
        })
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET /short-reader HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(
        read_to_close(&mut sock).await,
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly 9 b"
    );

    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET /chunks HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(
        read_to_close(&mut sock).await,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n",
        "no last chunk"
    );
    stop(running).await;
}

#[tokio::test]
async fn shutdown_closes_what_is_left_after_its_timeout() {
    let mut config: ServerConfig = quick_config();
    config.shutdown_timeout = Duration::from_millis(300);
    let running = start_with(config, |_req: Incoming| async {
        let endless = Endless(Box::pin(tokio::time::sleep(Duration::ZERO)));
        Ok(Reply::new(200)?.with_chunks(endless))
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    read_exact(&mut sock, 10).await;
    let started = Instant::now();
    stop(running).await;
    assert!(started.elapsed() >= Duration::from_millis(250));
    let rest = read_to_close(&mut sock).await;
    assert!(!rest.ends_with("0\r\n\r\n"), "cut, not ended: {rest}");
}

#[tokio::test]
async fn a_body_over_the_handlers_limit_is_refused_before_100_continue() {
    let running = start(quick_config()).await;
    let mut sock = connect(running.local_addr()).await;
    let too_big = h1_examples::routes::ECHO_LIMIT + 1;
    let head = format!(
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: {too_big}\r\nExpect: 100-continue\r\n\r\n"
    );
    sock.write_all(head.as_bytes()).await.unwrap();
    let got = read_to_close(&mut sock).await;
    assert!(
        got.starts_with("HTTP/1.1 413 Content Too Large\r\n"),
        "no 100 Continue first: {got}"
    );
    assert!(got.contains("Connection: close\r\n"), "{got}");
    stop(running).await;
}

#[tokio::test]
async fn a_handler_reads_the_body_as_lines_while_it_arrives() {
    let running = start_with(quick_config(), |mut req: Incoming| async move {
        let mut ids = Vec::new();
        while let Some(line) = req.body_mut().next_line().await? {
            ids.push(String::from_utf8(line.to_vec())?);
        }
        Ok(Reply::new(200)?.with_body(Bytes::from(ids.join(","))))
    })
    .await;
    let mut sock = connect(running.local_addr()).await;
    sock.write_all(
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
    )
    .await
    .unwrap();
    let cont = b"HTTP/1.1 100 Continue\r\n\r\n";
    assert_eq!(read_exact(&mut sock, cont.len()).await, cont);
    // A CRLF split across chunks counts once; the last line has no terminator.
    for piece in [
        &b"4\r\none\r\r\n"[..],
        b"6\r\n\ntwo\nt\r\n",
        b"4\r\nhree\r\n0\r\n\r\n",
    ] {
        sock.write_all(piece).await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let want = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\none,two,three";
    assert_eq!(read_exact(&mut sock, want.len()).await, want);
    stop(running).await;
}

#[tokio::test]
async fn at_the_cap_new_clients_wait_until_a_connection_ends() {
    let mut config = quick_config();
    config.max_connections = 2;
    let running = start(config).await;
    let request = b"GET /bytes/2 HTTP/1.1\r\nHost: a\r\n\r\n";
    let answer =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\nab";
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut sock = connect(running.local_addr()).await;
        sock.write_all(request).await.unwrap();
        assert_eq!(read_exact(&mut sock, answer.len()).await, answer);
        busy.push(sock);
    }
    // The third connects (the kernel's backlog takes it) but is not served yet.
    let mut third = connect(running.local_addr()).await;
    third.write_all(request).await.unwrap();
    let mut byte = [0u8; 1];
    let early = timeout(
        Duration::from_millis(300),
        tokio::io::AsyncReadExt::read(&mut third, &mut byte),
    )
    .await;
    assert!(early.is_err(), "served past the cap: {early:?}");
    // One ends: the third is served.
    busy.pop();
    assert_eq!(read_exact(&mut third, answer.len()).await, answer);
    drop(busy);
    stop(running).await;
}
