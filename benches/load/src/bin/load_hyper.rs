//! A minimal hyper 1.x server (current-thread runtime, `pipeline_flush`): `/` answers a
//! small body, `/mib` 1 MiB.

use std::convert::Infallible;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

fn main() {
    let mib = h1_load::mib();
    h1_load::runtime().block_on(async move {
        let listener = tokio::net::TcpListener::bind(h1_load::addr()).await.unwrap();
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let _ = stream.set_nodelay(true);
            let mib = mib.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                    let body = if req.uri().path() == "/mib" {
                        mib.clone()
                    } else {
                        Bytes::from_static(h1_load::SMALL)
                    };
                    async move { Ok::<_, Infallible>(Response::new(Full::new(body))) }
                });
                let _ = http1::Builder::new()
                    .pipeline_flush(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
