//! The `fetch` example as a process: exit codes 0, 1 and 3, `--lines`, `-i`, `--max-size`,
//! uploads; every case run on the blocking client and again with `--tokio` on the async
//! one, which must print the same bytes and exit the same way.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::Duration;

use h1_examples::routes::{self, letter};
use h1_std::server::{RunningServer, Server};

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

/// The test server's routes (`serve`), on the blocking server.
fn routes_server() -> (RunningServer, String) {
    let running = Server::bind("127.0.0.1:0")
        .unwrap()
        .spawn(routes::route)
        .unwrap();
    let base = format!("http://{}", running.local_addr());
    (running, base)
}

/// Runs fetch with `args` (and `stdin`, if any), its output collected; killed after 30 s.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(fetch_bin())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the fetch example runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let pid = child.id();
    let (done, waited) = std::sync::mpsc::channel::<()>();
    let watchdog = thread::spawn(move || {
        if waited.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    });
    let out = child.wait_with_output().expect("fetch's output");
    let _ = done.send(());
    watchdog.join().unwrap();
    out
}

/// Runs fetch on the blocking client and with `--tokio`; both must exit the same way with
/// the same stdout and as many stderr lines. Returns the blocking run's output.
fn fetch_with(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let blocking = run(args, stdin);
    let tokio_args: Vec<&str> = std::iter::once("--tokio")
        .chain(args.iter().copied())
        .collect();
    let tokio = run(&tokio_args, stdin);
    assert_eq!(
        blocking.status.code(),
        tokio.status.code(),
        "exit status of {args:?}: blocking stderr {:?}, tokio stderr {:?}",
        String::from_utf8_lossy(&blocking.stderr),
        String::from_utf8_lossy(&tokio.stderr)
    );
    assert!(
        blocking.stdout == tokio.stdout,
        "stdout of {args:?} differs:\nblocking {:?}\ntokio    {:?}",
        String::from_utf8_lossy(&blocking.stdout),
        String::from_utf8_lossy(&tokio.stdout)
    );
    assert_eq!(
        blocking.stderr.split(|&b| b == b'\n').count(),
        tokio.stderr.split(|&b| b == b'\n').count(),
        "stderr of {args:?}: {:?} / {:?}",
        String::from_utf8_lossy(&blocking.stderr),
        String::from_utf8_lossy(&tokio.stderr)
    );
    blocking
}

fn fetch(args: &[&str]) -> Output {
    fetch_with(args, None)
}

#[test]
fn lines_and_head() {
    let (url, srv) = server(
        4,
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
        4,
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
    let (url, srv) = server(2, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    let out = fetch(&[&url]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stdout, b"abc");
    srv.join().unwrap();
}

#[test]
fn bad_command_lines_exit_2() {
    for args in [
        &["--chunk-size"][..],
        &["-X"],
        &["--bogus", "http://x/"],
        &[],
    ] {
        let out = fetch(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn downloads_from_the_test_server() {
    let (running, base) = routes_server();
    let out = fetch(&["--chunk-size", "1000", &format!("{base}/bytes/100000")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout.len(), 100_000);
    assert!(out
        .stdout
        .iter()
        .enumerate()
        .all(|(i, &b)| b == letter(i as u64)));

    let out = fetch(&["--lines", &format!("{base}/stream/5")]);
    let expected: String = (0..5).map(|i| format!("{{\"id\":{i}}}\n")).collect();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);

    let out = fetch(&["-i", &format!("{base}/stream/2")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("Transfer-Encoding: chunked\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\n{\"id\":0}\n{\"id\":1}\n"), "{text}");

    // HEAD: the head only, the length it would have.
    let out = fetch(&["-i", "-X", "HEAD", &format!("{base}/bytes/5000")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Content-Length: 5000\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\n"), "{text}");

    let out = fetch(&["--max-size", "999", &format!("{base}/bytes/1000")]);
    assert_eq!(out.status.code(), Some(3));
    let out = fetch(&["--max-size", "1000", &format!("{base}/bytes/1000")]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 1000));
    running.shutdown().unwrap();
}

#[test]
fn uploads_to_the_test_server() {
    let (running, base) = routes_server();
    let echo = format!("{base}/echo");
    let out = fetch(&[
        "--data",
        "hello",
        "-H",
        "Content-Type: text/x-test",
        "-i",
        &echo,
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Content-Type: text/x-test\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nhello"), "{text}");

    // stdin, sent chunked, echoed back byte for byte.
    let input: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let out = fetch_with(&["--upload-chunked", &echo], Some(&input));
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout == input, "the echo differs");

    // -X overrides POST; the routes refuse PUT on /echo.
    let out = fetch(&["-X", "PUT", "--data", "x", &echo]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "405 Method Not Allowed\n"
    );
    running.shutdown().unwrap();
}

#[test]
fn a_large_body_draws_no_progress_on_a_piped_stderr() {
    let (running, base) = routes_server();
    let url = format!("{base}/bytes/{}", 2 << 20);
    let body: Vec<u8> = (0..2u32 << 20).map(|i| b'a' + (i % 26) as u8).collect();
    for args in [
        vec![url.as_str()],
        vec!["--chunk-size", "4096", url.as_str()],
    ] {
        let out = fetch(&args);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(out.stdout == body, "the whole body on stdout");
        assert!(err.is_empty(), "{err:?}");
    }
    running.shutdown().unwrap();
}
