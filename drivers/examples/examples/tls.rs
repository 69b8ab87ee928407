//! The blocking client over TLS: rustls plugged in through `h1_examples::tls::TlsConnector`,
//! against an in-process TLS server with a self-signed certificate for 127.0.0.1.
//!
//! `cargo run -p h1-examples --features tls --example tls`

use std::error::Error;
use std::net::TcpListener;

use h1_examples::tls::{local_configs, serve_echo, TlsConnector};
use h1_std::{Client, ClientConfig};

fn main() -> Result<(), Box<dyn Error>> {
    let (client_tls, server_tls) = local_configs()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("https://{}", listener.local_addr()?);
    let server = std::thread::spawn(move || serve_echo(&listener, &server_tls, 1));

    let client = Client::with_connector(TlsConnector::new(client_tls), ClientConfig::default());
    let res = client.get(&format!("{base}/hello")).send()?;
    println!("GET {base}/hello -> {}", res.status());
    print!("  {}", String::from_utf8_lossy(&res.bytes(1 << 16)?));

    let lines = (1..=3).map(|i| format!("line {i}\n"));
    let res = client
        .post(&format!("{base}/echo"))
        .body_chunks(lines)
        .send()?;
    println!(
        "POST {base}/echo (chunked) -> {}, reused: {}",
        res.status(),
        res.reused()
    );
    for line in String::from_utf8_lossy(&res.bytes(1 << 16)?).lines() {
        println!("  {line}");
    }
    let stats = client.stats();
    println!(
        "connections opened {}, reused {}",
        stats.opened, stats.reused
    );

    drop(client); // closes the pooled connection: the server's loop ends
    server.join().map_err(|_| "the server thread panicked")??;
    Ok(())
}
