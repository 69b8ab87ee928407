//! The `fetch` example as a process: exit codes 0, 1 and 3, `--lines`, `-i`, `--max-size`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::thread;
use std::time::Duration;

/// The example binary, built by `cargo test` beside this test's own binary.
fn fetch_bin() -> PathBuf {
    let mut dir = std::env::current_exe().unwrap();
    dir.pop(); // deps
    dir.pop();
    dir.join("examples")
        .join(format!("fetch{}", std::env::consts::EXE_SUFFIX))
}

/// Answers each of `n` connections with `response`, after reading the request head.
fn server(n: usize, response: &'static [u8]) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        for _ in 0..n {
            let (mut sock, _): (TcpStream, _) = listener.accept().unwrap();
            sock.set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if sock.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let _ = sock.write_all(response);
        }
    });
    (format!("http://{addr}/x"), handle)
}

fn fetch(args: &[&str]) -> Output {
    Command::new(fetch_bin())
        .args(args)
        .output()
        .expect("the fetch example runs")
}

#[test]
fn lines_and_head() {
    let (url, srv) = server(
        2,
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\na\r\nb\r\rc\r\n",
    );
    let out = fetch(&["--lines", &url]);
    assert_eq!(out.status.code(), Some(0), "exit 0 whatever the status");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a\nb\nc\n");
    let out = fetch(&["-i", &url]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\na\r\nb\r\rc\r\n"), "{text}");
    srv.join().unwrap();
}

#[test]
fn max_size_exits_3_with_nothing_on_stdout() {
    let (url, srv) = server(
        2,
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n",
    );
    let out = fetch(&["--max-size", "10", &url]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let out = fetch(&["-i", "--max-size", "99", &url]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    srv.join().unwrap();
}

#[test]
fn errors_exit_1_with_one_line() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = fetch(&[&format!("http://127.0.0.1:{port}/")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    // A body cut short is an error too, never a success.
    let (url, srv) = server(1, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    let out = fetch(&[&url]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"abc");
    srv.join().unwrap();
}
