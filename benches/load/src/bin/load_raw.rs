//! The floor: a tokio responder that writes one canned response per request without
//! parsing (it counts the ends of heads, `\r\n\r\n`, in what it reads). `/` only.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn main() {
    let mut canned = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", h1_load::SMALL.len())
        .into_bytes();
    canned.extend_from_slice(h1_load::SMALL);
    h1_load::runtime().block_on(async move {
        let listener = tokio::net::TcpListener::bind(h1_load::addr()).await.unwrap();
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let _ = stream.set_nodelay(true);
            let canned = canned.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut out = Vec::new();
                let mut tail = 0u32; // the last bytes seen, for a \r\n\r\n across reads
                loop {
                    let n = match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    out.clear();
                    for &b in &buf[..n] {
                        tail = (tail << 8) | u32::from(b);
                        if tail == 0x0d0a_0d0a {
                            out.extend_from_slice(&canned);
                        }
                    }
                    if stream.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
}
