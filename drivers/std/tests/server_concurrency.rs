//! Fifty clients at once against one server, each with `h1_std::Client` streaming downloads
//! and uploads on one kept-alive connection, every byte checked. Every socket read has
//! the client's read timeout.

mod support;

use std::sync::{Arc, Barrier};
use std::thread;

use h1_std::{Client, ClientConfig, Released};
use support::{letters, quick_config, TestServer, TIMEOUT};

const CLIENTS: usize = 50;

fn client(base: &str, id: usize, start: &Barrier) {
    let mut config = ClientConfig::default();
    config.read_timeout = Some(TIMEOUT);
    config.connect_timeout = Some(TIMEOUT);
    let client = Client::with_config(config);
    start.wait();

    // A download of a size of its own, in pieces of at most 4 KiB.
    let n = 100_000 + id * 1_337;
    let mut res = client.get(&format!("{base}/bytes/{n}")).send().unwrap();
    assert_eq!(res.content_length(), Some(n as u64));
    let mut got = Vec::with_capacity(n);
    for piece in res.iter_content(Some(4096)) {
        let piece = piece.unwrap();
        assert!(!piece.is_empty() && piece.len() <= 4096, "client {id}");
        got.extend_from_slice(&piece);
    }
    assert!(got == letters(n), "client {id}: /bytes/{n}");
    assert_eq!(res.finish(), Released::Pooled, "client {id}");

    // A chunked upload of 200 pieces, each flushed as it is made, echoed back.
    let upload: Vec<String> = (0..200)
        .map(|i| format!("client {id} piece {i};").repeat(1 + (i + id) % 7))
        .collect();
    let mut res = client
        .post(&format!("{base}/echo"))
        .body_chunks(upload.clone())
        .send()
        .unwrap();
    assert!(res.reused(), "client {id}");
    let echoed = res.body().bytes(1 << 20).unwrap();
    assert!(echoed == upload.concat().as_bytes(), "client {id}: echo");
    assert_eq!(res.finish(), Released::Pooled, "client {id}");

    // An NDJSON stream, line by line.
    let mut res = client
        .get(&format!("{base}/stream/{}", 50 + id))
        .send()
        .unwrap();
    let got: Vec<String> = res
        .iter_lines()
        .map(|l| String::from_utf8(l.unwrap().to_vec()).unwrap())
        .collect();
    let want: Vec<String> = (0..50 + id).map(|i| format!("{{\"id\":{i}}}")).collect();
    assert_eq!(got, want, "client {id}: stream");
    assert_eq!(res.finish(), Released::Pooled, "client {id}");

    let stats = client.stats();
    assert_eq!(
        (stats.opened, stats.reused),
        (1, 2),
        "client {id}: {stats:?}"
    );
}

#[test]
fn fifty_clients_stream_downloads_and_uploads_at_once() {
    let server = TestServer::start(quick_config());
    let start = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (base, start) = (server.url(""), start.clone());
            thread::spawn(move || client(&base, id, &start))
        })
        .collect();
    for (id, c) in clients.into_iter().enumerate() {
        c.join()
            .unwrap_or_else(|_| panic!("client {id} failed (see above)"));
    }
    assert_eq!(server.requests(), 3 * CLIENTS);
    assert_eq!(
        server.connections(),
        CLIENTS,
        "one kept-alive connection each"
    );
    server.stop();
}
