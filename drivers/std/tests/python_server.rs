//! The client against Python's `http.server` (an HTTP/1.0 peer), started by the test on
//! 127.0.0.1 with a free port and killed by PID when the test ends.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use h1_std::{Charset, Client, ClientConfig, Released, TextOptions};

/// A child process killed (by its PID) and reaped when dropped, with a directory removed.
struct Peer {
    child: Child,
    dir: PathBuf,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Serves a fresh directory with `files` through `http.server`'s file handler (HTTP/1.0,
/// close-delimited connections) on a free port; returns the base URL.
fn python_file_server(files: &[(&str, &[u8])]) -> (String, Peer) {
    let dir = std::env::temp_dir().join(format!("h1-std-python-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in files {
        std::fs::write(dir.join(name), data).unwrap();
    }
    // Port 0: the OS picks a free port; the script prints it. A bounded run: at most 20
    // requests, and each accept waits at most 20 s.
    let script = r#"
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
handler.func.log_message = lambda *a: None
srv = http.server.HTTPServer(("127.0.0.1", 0), handler)
srv.timeout = 20
print(srv.server_address[1], flush=True)
for _ in range(20):
    srv.handle_request()
"#;
    let mut child = Command::new("python3")
        .args(["-c", script, dir.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 must be installed");
    let stdout = child.stdout.take().unwrap();
    let peer = Peer { child, dir };
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let port: u16 = line.trim().parse().expect("the server printed its port");
    (format!("http://127.0.0.1:{port}"), peer)
}

#[test]
fn client_against_python_http_server_http10() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    let (base, _peer) = python_file_server(&[
        ("data.bin", &data),
        ("latin1.txt", b"caf\xe9\r\nna\xefve\nlast"),
    ]);
    let mut config = ClientConfig::default();
    config.read_timeout = Some(Duration::from_secs(10));
    let client = Client::with_config(config);

    let mut res = client.get(&format!("{base}/data.bin")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.version(), h1::Version::Http10);
    assert_eq!(res.content_length(), Some(200_000));
    let mut got = Vec::new();
    for piece in res.iter_content(Some(1000)) {
        let piece = piece.unwrap();
        assert!(!piece.is_empty() && piece.len() <= 1000);
        got.extend_from_slice(&piece);
    }
    assert_eq!(got, data);
    // HTTP/1.0 without keep-alive: never pooled.
    assert_eq!(res.finish(), Released::Closed);

    let mut res = client.get(&format!("{base}/latin1.txt")).send().unwrap();
    let options = TextOptions::default().fallback(Charset::ISO_8859_1);
    let lines: Vec<String> = res
        .text_lines(options)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(lines, ["café", "naïve", "last"]);
    drop(res);

    let res = client.get(&format!("{base}/missing")).send().unwrap();
    assert_eq!(res.status(), 404);
    let body = res.text(1 << 20, TextOptions::default()).unwrap();
    assert!(body.contains("404"), "{body}");

    let res = client.head(&format!("{base}/data.bin")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get_str("content-length"), Some("200000"));
    assert_eq!(res.bytes(10).unwrap(), "", "a response to HEAD has no body");

    let stats = client.stats();
    assert_eq!((stats.opened, stats.reused, stats.pooled), (4, 0, 0));
}
