//! The h1-tokio server: `/` answers a small body, `/mib` 1 MiB.

use h1_tokio::server::{Incoming, Reply, Server, ServerConfig};

fn main() {
    let mib = h1_load::mib();
    h1_load::runtime().block_on(async move {
        let mut config = ServerConfig::default();
        config.max_connections = 20_000;
        config.idle_timeout = std::time::Duration::from_secs(300);
        if let Some(n) = std::env::var("H1_READ_SIZE").ok().and_then(|v| v.parse().ok()) {
            config.buffers.read_size = n;
        }
        let server = Server::bind(h1_load::addr()).await.unwrap().with_config(config);
        server
            .serve(move |req: Incoming| {
                let body = if req.target() == "/mib" {
                    mib.clone()
                } else {
                    bytes::Bytes::from_static(h1_load::SMALL)
                };
                async move { Ok(Reply::new(200)?.with_body(body)) }
            })
            .await
            .unwrap();
    });
}
