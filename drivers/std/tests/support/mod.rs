//! What the server tests share: a server with the example routes that records which
//! connections it saw, child processes run with a deadline and killed by PID, and a raw
//! socket with timeouts.

#![allow(dead_code)] // each test file uses a part

#[path = "../../../testing/mod.rs"]
pub mod shared;

#[allow(unused_imports)] // each test file uses a part
pub use shared::server_cases::quick_config;
#[allow(unused_imports)]
pub use shared::{connect, have, letters, read_exact, read_to_close, TIMEOUT};

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use h1_std::server::{HandlerResult, Incoming, RunningServer, Server, ServerConfig};

/// A running server and the client ports of the requests it answered.
pub struct TestServer {
    pub running: Option<RunningServer>,
    pub addr: SocketAddr,
    ports: Arc<Mutex<Vec<u16>>>,
}

impl TestServer {
    /// The example routes, with `config`.
    pub fn start(config: ServerConfig) -> Self {
        Self::with_handler(config, h1_examples::routes::route)
    }

    /// A handler of the test's own, with `config`.
    pub fn with_handler<H>(config: ServerConfig, handler: H) -> Self
    where
        H: Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static,
    {
        let ports = Arc::new(Mutex::new(Vec::new()));
        let seen = ports.clone();
        let server = Server::bind("127.0.0.1:0").unwrap().with_config(config);
        let running = server
            .spawn(move |req: &mut Incoming<'_>| {
                seen.lock().unwrap().push(req.peer_addr().port());
                handler(req)
            })
            .unwrap();
        Self {
            addr: running.local_addr(),
            running: Some(running),
            ports,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.ports.lock().unwrap().len()
    }

    /// Distinct connections that carried them.
    pub fn connections(&self) -> usize {
        self.ports
            .lock()
            .unwrap()
            .iter()
            .collect::<HashSet<_>>()
            .len()
    }

    /// Shuts down gracefully; panics if that takes longer than the test timeout.
    pub fn stop(mut self) {
        stop_within(self.running.take().unwrap(), TIMEOUT);
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown_handle().shutdown();
        }
    }
}

/// Shuts `running` down and asserts it ended within `limit`.
pub fn stop_within(running: RunningServer, limit: Duration) {
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || tx.send(running.shutdown()));
    let result = rx
        .recv_timeout(limit)
        .expect("the server did not shut down in time");
    result.unwrap();
    assert!(start.elapsed() <= limit);
}

/// Writes all of `bytes`.
pub fn send(sock: &mut TcpStream, bytes: &[u8]) {
    sock.write_all(bytes).unwrap();
}

/// A child's exit status, stdout and stderr.
pub struct Ran {
    pub success: bool,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Ran {
    pub fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("UTF-8 output")
    }
}

/// Runs a command with a deadline, feeding `stdin` and collecting stdout and stderr on
/// threads of their own (no pipe deadlock); a child that overruns is killed by its PID.
pub fn run(cmd: &mut Command, stdin: &[u8]) -> Ran {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut stdout = child.stdout.take().unwrap();
    let out = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let mut stderr = child.stderr.take().unwrap();
    let err = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish in {TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    writer.join().unwrap();
    Ran {
        success: status.success(),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// Runs a command that must succeed; returns its stdout.
pub fn run_ok(cmd: &mut Command, stdin: &[u8]) -> Ran {
    let ran = run(cmd, stdin);
    assert!(ran.success, "{cmd:?} failed\nstderr: {}", ran.stderr);
    ran
}
