//! The async client and server with the `http` crate's types: a request sent as an
//! `http::Request`, read by the handler as `http` parts, answered with an
//! `http::Response`, and the answer read as an `http::Response` whose body streams.
//! Every wait is bounded.

#![cfg(feature = "http")]

#[path = "../../testing/http_cases.rs"]
mod cases;

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use h1_tokio::client::{Client, Released};
use h1_tokio::server::{HandlerResult, Incoming, Reply, RunningServer, Server};
use h1_tokio::ErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

const TIMEOUT: Duration = Duration::from_secs(20);

async fn within<T>(what: impl Future<Output = T>) -> T {
    tokio::time::timeout(TIMEOUT, what)
        .await
        .expect("within the test timeout")
}

async fn start<F, Fut>(handler: F) -> RunningServer
where
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    let server = Server::bind("127.0.0.1:0").await.unwrap();
    server.spawn(handler).unwrap()
}

/// `/echo` as [`cases::echo`] (the request read through `into_http`); any other path:
/// 400 with the kind of the error `http_parts` gave, or 204.
async fn handler(req: Incoming) -> HandlerResult {
    let parts = match req.http_parts() {
        Ok(parts) => parts,
        Err(e) => return Ok(Reply::new(400)?.with_body(format!("{:?}", e.kind()))),
    };
    if parts.uri.path() != "/echo" {
        return Ok(Reply::new(204)?);
    }
    let (parts, mut body) = req.into_http()?.into_parts();
    let body = body.bytes(1 << 20).await?;
    Ok(cases::echo(&parts, body).try_into()?)
}

#[tokio::test]
async fn round_trip_through_http_types() {
    let running = start(handler).await;
    let addr = running.local_addr();
    let client = Client::new();

    let res = within(client.send_http(cases::request(addr)))
        .await
        .unwrap();
    let (parts, mut body) = res.into_parts();
    cases::check_echo(&parts, addr);
    assert_eq!(body.content_length(), Some(cases::BODY.len() as u64));
    assert_eq!(within(body.bytes(1 << 20)).await.unwrap(), cases::BODY);
    drop(body);

    // `()` is no body at all: no Content-Length; the pooled connection is reused.
    let req = http::Request::get(format!("http://{addr}/echo"))
        .body(())
        .unwrap();
    let mut res = within(client.send_http(req)).await.unwrap();
    assert_eq!(res.headers()["x-content-length"], "none");
    assert_eq!(res.headers()["x-method"], "GET");
    let mut text = String::new();
    within(res.body_mut().read_to_string(&mut text))
        .await
        .unwrap();
    assert_eq!(text, "");
    assert_eq!(res.into_body().finish(), Released::Pooled);
    assert_eq!((client.stats().opened, client.stats().reused), (1, 1));

    // The builder's options apply to a request from `http`; a response turns into
    // `http` types after it arrived.
    let res = within(
        client
            .request_http(cases::request(addr))
            .read_timeout(Some(TIMEOUT))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 207);
    assert_eq!(res.http_parts().unwrap().status, 207);
    let (parts, unread) = res.into_http().unwrap().into_parts();
    cases::check_echo(&parts, addr);
    drop((unread, client)); // closes the connection: the server's lingering close ends at once
    within(running.shutdown()).await.unwrap();
}

/// Three pieces, each after the client's word that it read the one before.
struct Gated {
    next: u32,
    go: mpsc::UnboundedReceiver<()>,
}

impl Stream for Gated {
    type Item = String;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<String>> {
        if self.next == 3 {
            return Poll::Ready(None);
        }
        if self.next > 0 && self.go.poll_recv(cx).is_pending() {
            return Poll::Pending;
        }
        self.next += 1;
        Poll::Ready(Some(format!("piece {}\n", self.next - 1)))
    }
}

#[tokio::test]
async fn the_body_of_an_http_response_streams() {
    let (go, wait) = mpsc::unbounded_channel();
    let wait = Mutex::new(Some(wait));
    let running = start(move |_req| {
        let go = wait.lock().unwrap().take().expect("one request");
        async move { Ok(Reply::new(200)?.with_chunks(Gated { next: 0, go })) }
    })
    .await;
    let client = Client::new();
    let req = http::Request::get(format!("http://{}/", running.local_addr()))
        .body(())
        .unwrap();
    let mut res = within(client.send_http(req)).await.unwrap();
    assert_eq!(res.headers()["transfer-encoding"], "chunked");
    assert_eq!(res.body().content_length(), None);
    for i in 0..3 {
        let line = within(res.body_mut().next_line()).await.unwrap().unwrap();
        assert_eq!(line, format!("piece {i}"));
        let _ = go.send(());
    }
    assert_eq!(within(res.body_mut().next_line()).await.unwrap(), None);
    assert_eq!(res.into_body().finish(), Released::Pooled);
    drop(client); // closes the pooled connection: the server's lingering close ends at once
    within(running.shutdown()).await.unwrap();
}

#[tokio::test]
async fn requests_that_cannot_be_sent_are_refused_before_connecting() {
    let running = start(handler).await;
    let client = Client::new();
    for (req, word) in cases::unsendable(running.local_addr()) {
        let e = within(client.send_http(req)).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains(word), "{word}: {e}");
    }
    assert_eq!(client.stats().opened, 0);

    // A Content-Length equal to the body's is the one the body sets.
    let req = http::Request::put(format!("http://{}/echo", running.local_addr()))
        .header("content-length", "3")
        .body("abc")
        .unwrap();
    let res = within(client.send_http(req)).await.unwrap();
    assert_eq!(res.headers()["x-content-length"], "3");
    drop((res, client)); // closes the client's side: the server's lingering close ends at once
    within(running.shutdown()).await.unwrap();
}

#[tokio::test]
async fn replies_that_cannot_be_sent_and_targets_that_are_not_uris_are_errors() {
    for (res, word) in cases::unsendable_replies() {
        let e = Reply::try_from(res).unwrap_err();
        assert_eq!(e.kind(), h1::ErrorKind::InvalidInput, "{e}");
        assert!(e.message().contains(word), "{word}: {e}");
    }

    let running = start(handler).await;
    let mut sock = tokio::net::TcpStream::connect(running.local_addr())
        .await
        .unwrap();
    sock.write_all(cases::BAD_TARGET).await.unwrap();
    let mut answer = String::new();
    within(sock.read_to_string(&mut answer)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
    assert!(answer.ends_with("InvalidInput"), "{answer}");
    drop(sock); // the server's lingering close ends at once
    within(running.shutdown()).await.unwrap();
}
