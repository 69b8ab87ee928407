//! curl and Python `requests` against the async server, started on 127.0.0.1 by the tests.
//! Each peer runs with a bound on its time (`curl --max-time`, `timeout`); a peer missing
//! here is skipped with a message (under CI, where it is installed, it is a failure).

use std::process::{Command, Output, Stdio};

mod support;

use support::{have, server};

/// Runs a bounded command off the runtime's threads, feeding `stdin`.
async fn run(mut cmd: Command, stdin: Vec<u8>) -> Output {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&stdin);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        out
    })
    .await
    .unwrap()
}

fn curl(args: &[&str]) -> Command {
    let mut cmd = Command::new("curl");
    cmd.args(["--silent", "--show-error", "--max-time", "20"])
        .args(args);
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_reuses_one_connection_chunked_upload_expect_and_head() {
    if !have("curl", &["--version"]) {
        return;
    }
    let running = server().await;
    let base = format!("http://{}", running.local_addr());

    let out = run(
        curl(&[
            "-v",
            &format!("{base}/bytes/5"),
            &format!("{base}/stream/3"),
            &format!("{base}/bytes/2"),
        ]),
        Vec::new(),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "abcde{\"id\":0}\n{\"id\":1}\n{\"id\":2}\nab"
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert_eq!(log.matches("Connected to").count(), 1, "{log}");

    let upload: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let out = run(
        curl(&["-T", "-", "-X", "POST", &format!("{base}/echo")]),
        upload.clone(),
    )
    .await;
    assert!(out.status.success(), "{out:?}");
    assert!(out.stdout == upload, "the chunked upload is echoed");

    let out = run(
        curl(&[
            "-v",
            "-H",
            "Expect: 100-continue",
            "--data-binary",
            "@-",
            &format!("{base}/echo"),
        ]),
        b"continued".to_vec(),
    )
    .await;
    assert_eq!(out.stdout, b"continued");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("100 Continue"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(curl(&["-I", &format!("{base}/bytes/42")]), Vec::new()).await;
    let head = String::from_utf8(out.stdout).unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Length: 42"), "{head}");
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_requests_streams_lines_chunks_and_a_generator_upload_on_one_session() {
    if !have("python3", &["-c", "import requests"]) {
        return;
    }
    let running = server().await;
    let base = format!("http://{}", running.local_addr());
    let script = r#"
import json, sys, requests
base = sys.argv[1]
s = requests.Session()
r = s.get(base + "/stream/20", stream=True)
ids = [json.loads(line)["id"] for line in r.iter_lines() if line]
assert ids == list(range(20)), ids
r = s.get(base + "/bytes/5000", stream=True)
assert r.headers["Content-Length"] == "5000"
pieces = list(r.iter_content(chunk_size=1000))
assert all(len(p) <= 1000 for p in pieces) and b"".join(pieces)[:3] == b"abc"
def gen():
    for i in range(50):
        yield ("line %d\n" % i).encode()
r = s.post(base + "/echo", data=gen())
assert r.text == "".join("line %d\n" % i for i in range(50)), r.text[:80]
print("ok")
"#;
    let mut cmd = Command::new("timeout");
    cmd.args(["20", "python3", "-c", script, &base]);
    let out = run(cmd, Vec::new()).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    running.shutdown().await.unwrap();
}
