//! The blocking client over TLS (rustls, a self-signed certificate for 127.0.0.1): whole
//! exchanges through `h1_examples::tls::TlsConnector` against a TLS server driven by
//! `h1_std::Conn`, connection reuse over TLS, a chunked upload, plain `http` through the
//! same connector, and a certificate the client does not trust.
#![cfg(feature = "tls")]

use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use h1_examples::tls::{local_configs, serve_echo, TlsConnector};
use h1_std::{Client, ClientConfig, ErrorKind, Released};

fn config() -> ClientConfig {
    let mut config = ClientConfig::default();
    config.connect_timeout = Some(Duration::from_secs(10));
    config.read_timeout = Some(Duration::from_secs(10));
    config
}

#[test]
fn requests_over_tls_reuse_one_connection() {
    let (client_tls, server_tls) = local_configs().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let server = thread::spawn(move || serve_echo(&listener, &server_tls, 1));
    let client = Client::with_connector(TlsConnector::new(client_tls), config());

    let mut res = client.get(&format!("{base}/first")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.reused());
    assert_eq!(res.body().bytes(1024).unwrap(), "GET /first 0\n");
    assert_eq!(res.finish(), Released::Pooled);

    // A body of known bytes, then one sent chunked, piece by piece.
    let res = client
        .post(&format!("{base}/known"))
        .body("x".repeat(100_000))
        .send()
        .unwrap();
    assert!(res.reused());
    let body = res.bytes(1 << 20).unwrap();
    assert!(body.starts_with(b"POST /known 100000\n"));
    assert_eq!(body.len(), 19 + 100_000);

    let pieces = (0..50).map(|i| format!("{{\"id\":{i}}}\n"));
    let expected: String = (0..50).map(|i| format!("{{\"id\":{i}}}\n")).collect();
    let mut res = client
        .post(&format!("{base}/chunked"))
        .body_chunks(pieces)
        .send()
        .unwrap();
    assert!(res.reused());
    let lines: Vec<_> = res.iter_lines().map(Result::unwrap).collect();
    assert_eq!(lines[0], format!("POST /chunked {}", expected.len()));
    assert_eq!(lines.len(), 51);
    assert_eq!(lines[50], "{\"id\":49}");
    assert_eq!(res.finish(), Released::Pooled);

    let stats = client.stats();
    assert_eq!((stats.opened, stats.reused), (1, 2));
    drop(client); // closes the pooled connection, so the server's loop ends
    server.join().unwrap().unwrap();
}

#[test]
fn plain_http_goes_through_the_same_connector() {
    let (client_tls, _) = local_configs().unwrap();
    let running = h1_std::server::Server::bind("127.0.0.1:0")
        .unwrap()
        .spawn(h1_examples::routes::route)
        .unwrap();
    let client = Client::with_connector(TlsConnector::new(client_tls), config());
    let url = format!("http://{}/bytes/26", running.local_addr());
    let res = client.get(&url).send().unwrap();
    assert_eq!(res.bytes(100).unwrap(), "abcdefghijklmnopqrstuvwxyz");
    running.shutdown().unwrap();
}

#[test]
fn a_certificate_the_client_does_not_trust_fails_to_connect() {
    let (_, server_tls) = local_configs().unwrap();
    let (other_roots, _) = local_configs().unwrap(); // trusts another certificate
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}/", listener.local_addr().unwrap());
    let server = thread::spawn(move || serve_echo(&listener, &server_tls, 1));
    let client = Client::with_connector(TlsConnector::new(other_roots), config());
    let e = client.get(&url).send().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(e.message().contains("handshake"), "{e}");
    assert_eq!(client.stats().opened, 0);
    server.join().unwrap().unwrap();
}
