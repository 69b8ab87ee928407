//! The embedding example (`examples/embed.rs`, walked through in docs/embedding.md) as a real
//! server on 127.0.0.1: driven by curl (keep-alive across two URLs, `Expect: 100-continue`,
//! a chunked upload) and by raw sockets (pipelining, an upgrade with bytes right behind the
//! request, a malformed request, a body over the limit). Every wait is bounded.

#[allow(dead_code)] // its `main` is the example's entry point; the test calls `serve`
#[path = "../examples/embed.rs"]
mod embed;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// One example server for the whole file, on a free port; its thread ends with the process.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        std::thread::spawn(move || embed::serve(listener));
        addr
    })
}

/// Runs curl with `args` (and `stdin`), bounded by `--max-time`; `None` if curl is missing.
fn curl(args: &[&str], stdin: &[u8]) -> Option<(String, String)> {
    let mut child = match Command::new("curl")
        .args(["-sS", "-v", "--max-time", "20"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("skipped: curl is not installed ({e})");
            return None;
        }
    };
    let mut input = child.stdin.take().expect("stdin piped");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&stdin));
    let out = child.wait_with_output().expect("curl ran");
    writer.join().expect("stdin writer").expect("stdin written");
    let (stdout, stderr) = (
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "curl {args:?} failed: {stderr}");
    Some((String::from_utf8(stdout).expect("UTF-8 answer"), stderr))
}

#[test]
fn curl_reuses_one_connection_for_two_urls() {
    let base = format!("http://{}", server());
    let (a, b) = (format!("{base}/a"), format!("{base}/b?x=1"));
    // `num_connects` is how many new connections each transfer needed.
    let Some((out, _)) = curl(&["-w", "[%{num_connects}]\n", &a, &b], b"") else {
        return;
    };
    assert_eq!(out, "GET /a\n[1]\nGET /b?x=1\n[0]\n");
}

#[test]
fn curl_post_with_expect_100_continue_gets_100_then_its_body_back() {
    let url = format!("http://{}/form", server());
    // curl waits for 100 Continue up to --expect100-timeout before it sends anyway.
    let args = ["-H", "Expect: 100-continue", "--expect100-timeout", "15"];
    let Some((out, err)) = curl(
        &[&args[..], &["--data-binary", "@-", &url]].concat(),
        b"a=1&b=2",
    ) else {
        return;
    };
    assert!(
        err.contains("< HTTP/1.1 100 Continue"),
        "no 100 Continue: {err}"
    );
    assert!(err.contains("< HTTP/1.1 200 OK"), "{err}");
    assert_eq!(out, "POST /form\na=1&b=2");
}

#[test]
fn curl_chunked_upload_of_600_kb_comes_back_whole() {
    let url = format!("http://{}/up", server());
    let body: String = (0..20_000).map(|i| format!("line {i:>24}\n")).collect();
    assert_eq!(body.len(), 600_000);
    let args = [
        "-H",
        "Transfer-Encoding: chunked",
        "--data-binary",
        "@-",
        &url,
    ];
    let Some((out, err)) = curl(&args, body.as_bytes()) else {
        return;
    };
    assert!(err.contains("> Transfer-Encoding: chunked"), "{err}");
    assert_eq!(out.len(), "POST /up\n".len() + body.len());
    assert!(
        out == format!("POST /up\n{body}"),
        "the echoed body differs"
    );
}

/// Writes `request` on a new connection and reads until the server closes it.
fn exchange(request: &[u8]) -> String {
    let mut sock = TcpStream::connect(server()).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    sock.write_all(request).unwrap();
    let mut answer = Vec::new();
    sock.read_to_end(&mut answer)
        .expect("the server closes in time");
    String::from_utf8(answer).expect("UTF-8 answer")
}

#[test]
fn pipelined_requests_are_answered_in_order_and_close_is_honoured() {
    let answer = exchange(
        b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n\
          POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc\
          GET /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        answer,
        "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nGET /1\n\
         HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nPOST /2\nabc\
         HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nGET /3\n"
    );
}

#[test]
fn malformed_request_gets_its_status_hint_and_a_close() {
    let answer =
        exchange(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    assert_eq!(
        answer,
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

#[test]
fn body_over_the_limit_gets_413_before_100_continue() {
    let answer = exchange(
        b"PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
}

#[test]
fn upgrade_hands_over_the_bytes_sent_behind_the_request() {
    let mut sock = TcpStream::connect(server()).expect("connect");
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    sock.write_all(
        b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly",
    )
    .unwrap();
    let head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n";
    let mut got = vec![0; head.len() + "early".len()];
    sock.read_exact(&mut got).expect("101 and the early bytes");
    assert_eq!(String::from_utf8(got).unwrap(), format!("{head}early"));
    // The new protocol: raw bytes echoed, then our close answered with a close.
    sock.write_all(b"later").unwrap();
    sock.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    sock.read_to_end(&mut rest)
        .expect("the server closes in time");
    assert_eq!(rest, b"later");
}
