//! Opens N keep-alive connections to 127.0.0.1:PORT, sends one request on each and reads
//! its answer, then holds them all open for SECONDS: `load_idle PORT N SECONDS`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = format!("127.0.0.1:{}", args[1]);
    let n: usize = args[2].parse().unwrap();
    let secs: u64 = args[3].parse().unwrap();
    h1_load::runtime().block_on(async move {
        let mut held = Vec::with_capacity(n);
        for _ in 0..n {
            let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").await.unwrap();
            let mut got = 0;
            let mut buf = [0u8; 256];
            while got < 50 {
                got += s.read(&mut buf).await.unwrap();
            }
            held.push(s);
        }
        println!("held {}", held.len());
        tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
    });
}
