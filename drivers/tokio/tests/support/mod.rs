//! What the async driver's tests share: servers on 127.0.0.1 with the example routes
//! (`h1_examples::tokio_routes`), raw sockets with bounded reads, and the cases and
//! harness both drivers share (`shared`, from `drivers/testing`).

#![allow(dead_code)] // each test file uses a part

#[path = "../../../testing/mod.rs"]
pub mod shared;

use std::future::Future;
use std::net::SocketAddr;

use h1_tokio::server::{HandlerResult, Incoming, Reply, RunningServer, Server, ServerConfig};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::time::timeout;

#[allow(unused_imports)] // each test file uses a part
pub use shared::server_cases::quick_config;
#[allow(unused_imports)]
pub use shared::{have, letters, TIMEOUT};

/// A server with `handler` and `config`.
pub async fn start_with<F, Fut>(config: ServerConfig, handler: F) -> RunningServer
where
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    Server::bind("127.0.0.1:0")
        .await
        .unwrap()
        .with_config(config)
        .spawn(handler)
        .unwrap()
}

/// A server with the example routes and `config`.
pub async fn start(config: ServerConfig) -> RunningServer {
    start_with(config, h1_examples::tokio_routes::route).await
}

/// The example routes, plus `/latin1` (text in ISO-8859-1, said so by its Content-Type)
/// and an echo of any method on `/echo`.
pub async fn server() -> RunningServer {
    start_with(quick_config(), |mut req: Incoming| async move {
        if req.target() == "/latin1" {
            return Ok(Reply::new(200)?
                .with_header("Content-Type", "text/plain; charset=iso-8859-1")?
                .with_body(&b"caf\xe9\r\n\xfcber"[..]));
        }
        if req.target() == "/echo" {
            let body = req.body_mut().bytes(64 << 20).await?;
            return Ok(Reply::new(200)?.with_body(body));
        }
        h1_examples::tokio_routes::route(req).await
    })
    .await
}

/// Shuts `running` down gracefully, within the test bound.
pub async fn stop(running: RunningServer) {
    timeout(TIMEOUT, running.shutdown())
        .await
        .expect("the server shuts down in time")
        .unwrap();
}

/// Plays the shared server cases against the async server, each on a server of its own
/// with the example routes; the blocking harness runs off the runtime's threads.
pub async fn play_all(cases: Vec<shared::server_cases::Case>) {
    for case in cases {
        let mut config = quick_config();
        (case.config)(&mut config);
        let running = start(config).await;
        let addr = running.local_addr();
        tokio::task::spawn_blocking(move || shared::server_cases::play(addr, &case))
            .await
            .unwrap();
        stop(running).await;
    }
}

/// A client socket, connected within the test bound.
pub async fn connect(addr: SocketAddr) -> TcpStream {
    timeout(TIMEOUT, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap()
}

/// Reads until the server closes the connection; fails at the test bound.
pub async fn read_to_close(sock: &mut TcpStream) -> String {
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

/// Reads exactly `n` bytes within the test bound.
pub async fn read_exact(sock: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut out = vec![0; n];
    timeout(TIMEOUT, sock.read_exact(&mut out))
        .await
        .unwrap()
        .unwrap();
    out
}

/// Pieces produced one by one, for a chunked upload.
pub struct Pieces(pub std::collections::VecDeque<bytes::Bytes>);

impl futures_core::Stream for Pieces {
    type Item = std::io::Result<bytes::Bytes>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.pop_front().map(Ok))
    }
}

/// The next item of a stream, within the test bound.
pub async fn next<S: futures_core::Stream + Unpin>(s: &mut S) -> Option<S::Item> {
    timeout(
        TIMEOUT,
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut *s).poll_next(cx)),
    )
    .await
    .unwrap()
}
