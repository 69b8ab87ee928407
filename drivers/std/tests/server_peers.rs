//! The server against real clients started by the tests on 127.0.0.1: curl and Python's
//! `requests`. Each child has a deadline and is killed by its PID when it overruns; a test
//! is skipped (with a message) only when its peer is not installed, never under CI.

mod support;

use std::process::Command;

use support::{have, letters, quick_config, run_ok, TestServer};

fn curl(args: &[&str], stdin: &[u8]) -> support::Ran {
    run_ok(
        Command::new("curl")
            .args(["-sS", "--max-time", "15"])
            .args(args),
        stdin,
    )
}

#[test]
fn curl_reuses_one_connection_across_several_urls() {
    if !have("curl", &["--version"]) {
        return;
    }
    let server = TestServer::start(quick_config());
    let (a, b, c) = (
        server.url("/bytes/100"),
        server.url("/stream/3"),
        server.url("/bytes/7"),
    );
    let ran = curl(
        &["-v", "-w", "[connects %{num_connects}]\n", &a, &b, &c],
        b"",
    );
    let mut want = letters(100);
    want.extend_from_slice(b"[connects 1]\n{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n[connects 0]\n");
    want.extend_from_slice(&letters(7));
    want.extend_from_slice(b"[connects 0]\n");
    assert_eq!(ran.text(), String::from_utf8(want).unwrap());
    assert_eq!(
        ran.stderr.matches("Re-using existing connection").count(),
        2,
        "{}",
        ran.stderr
    );
    assert_eq!((server.requests(), server.connections()), (3, 1));
    server.stop();
}

#[test]
fn curl_chunked_upload_is_echoed() {
    if !have("curl", &["--version"]) {
        return;
    }
    let server = TestServer::start(quick_config());
    // `-T -` reads stdin as it goes and sends it chunked (its length is unknown).
    let body: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let ran = curl(
        &["-v", "-X", "POST", "-T", "-", &server.url("/echo")],
        &body,
    );
    assert!(
        ran.stderr.contains("> Transfer-Encoding: chunked"),
        "{}",
        ran.stderr
    );
    assert!(ran.stdout == body, "echoed {} bytes", ran.stdout.len());
    server.stop();
}

#[test]
fn curl_gets_100_continue_before_it_sends_the_body() {
    if !have("curl", &["--version"]) {
        return;
    }
    let server = TestServer::start(quick_config());
    let ran = curl(
        &[
            "-v",
            "-H",
            "Expect: 100-continue",
            "--expect100-timeout",
            "10",
            "--data-binary",
            "@-",
            &server.url("/echo"),
        ],
        b"sent after the 100",
    );
    assert!(
        ran.stderr.contains("< HTTP/1.1 100 Continue"),
        "{}",
        ran.stderr
    );
    assert_eq!(ran.text(), "sent after the 100");
    server.stop();
}

#[test]
fn curl_head_gives_the_head_and_the_connection_goes_on() {
    if !have("curl", &["--version"]) {
        return;
    }
    let server = TestServer::start(quick_config());
    // HEAD, then a GET on the same connection: a body sent after the HEAD head would be
    // taken for the GET's response.
    let ran = curl(
        &[
            "-i",
            "-I",
            &server.url("/bytes/5000"),
            "--next",
            "-sS",
            &server.url("/bytes/4"),
        ],
        b"",
    );
    let text = ran.text();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("Content-Length: 5000\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nabcd"), "{text}");
    assert_eq!((server.requests(), server.connections()), (2, 1));
    server.stop();
}

fn python() -> bool {
    have("python3", &["-c", "import requests"])
}

#[test]
fn python_requests_streams_lines_and_bounded_chunks_on_one_session() {
    if !python() {
        return;
    }
    let server = TestServer::start(quick_config());
    let script = r#"
import json, sys, requests
base = sys.argv[1]
s = requests.Session()
r = s.get(base + "/stream/20", stream=True, timeout=15)
print(r.status_code, r.headers.get("Transfer-Encoding"), r.headers.get("Content-Type"))
ids = [json.loads(line)["id"] for line in r.iter_lines() if line]
print("ids", ids == list(range(20)))
r = s.get(base + "/bytes/10000", stream=True, timeout=15)
print("length", r.headers["Content-Length"])
sizes = []
data = b""
for piece in r.iter_content(chunk_size=1000):
    sizes.append(len(piece))
    data += piece
print("pieces", max(sizes) <= 1000, sum(sizes))
expected = bytes(ord("a") + i % 26 for i in range(10000))
print("bytes", data == expected)
"#;
    let ran = run_ok(
        Command::new("python3").args(["-c", script, &server.url("")]),
        b"",
    );
    assert_eq!(
        ran.text(),
        "200 chunked application/x-ndjson\nids True\nlength 10000\npieces True 10000\nbytes True\n"
    );
    assert_eq!((server.requests(), server.connections()), (2, 1));
    server.stop();
}

#[test]
fn python_requests_uploads_from_a_generator() {
    if !python() {
        return;
    }
    let server = TestServer::start(quick_config());
    let script = r#"
import sys, requests
base = sys.argv[1]
def gen():
    for i in range(200):
        yield b"record %d;" % i
with requests.Session() as s:
    r = s.post(base + "/echo", data=gen(), timeout=15)
    print(r.status_code, r.text == "".join("record %d;" % i for i in range(200)))
    r = s.post(base + "/echo", data=b"fixed", timeout=15)
    print(r.status_code, r.text)
"#;
    let ran = run_ok(
        Command::new("python3").args(["-c", script, &server.url("")]),
        b"",
    );
    assert_eq!(ran.text(), "200 True\n200 fixed\n");
    assert_eq!((server.requests(), server.connections()), (2, 1));
    server.stop();
}
