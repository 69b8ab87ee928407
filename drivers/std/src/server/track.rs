//! The live connections of a server: their count (for the cap), which are idle (for
//! shutdown), and a handle on each socket to close it when shutdown runs out of time.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What a server's accept loop, its connections and its shutdown handles share.
#[derive(Debug)]
pub(crate) struct Shared {
    stopping: AtomicBool,
    live: Mutex<Live>,
    changed: Condvar,
    /// Where to connect to wake a blocked `accept`.
    wake: Option<SocketAddr>,
}

#[derive(Debug, Default)]
struct Live {
    next_id: u64,
    conns: HashMap<u64, Conn>,
}

#[derive(Debug)]
struct Conn {
    /// A second handle on the socket, to close it from another thread.
    socket: Option<TcpStream>,
    /// Waiting for the first byte of a request: safe to close on shutdown.
    idle: bool,
}

impl Shared {
    pub(crate) fn new(local: Option<SocketAddr>) -> Self {
        let wake = local.map(|mut addr| {
            if addr.ip().is_unspecified() {
                addr.set_ip(match addr {
                    SocketAddr::V4(_) => [127, 0, 0, 1].into(),
                    SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
                });
            }
            addr
        });
        Self {
            stopping: AtomicBool::new(false),
            live: Mutex::new(Live::default()),
            changed: Condvar::new(),
            wake,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Live> {
        // A panic while holding this lock leaves the map consistent: go on with it.
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Waits until fewer than `cap` connections are live, or shutdown began: false then.
    pub(crate) fn wait_for_room(&self, cap: usize) -> bool {
        let mut live = self.lock();
        while live.conns.len() >= cap.max(1) && !self.stopping() {
            live = self
                .changed
                .wait_timeout(live, Duration::from_millis(500))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        !self.stopping()
    }

    /// Registers a new connection.
    pub(crate) fn track(self: &Arc<Self>, socket: &TcpStream) -> Tracker {
        let mut live = self.lock();
        let id = live.next_id;
        live.next_id += 1;
        live.conns.insert(
            id,
            Conn {
                socket: socket.try_clone().ok(),
                idle: false,
            },
        );
        Tracker {
            shared: self.clone(),
            id,
        }
    }

    /// Begins shutdown: stops the accept loop and closes idle connections; busy ones
    /// close after their current response.
    pub(crate) fn stop(&self) {
        {
            let mut live = self.lock();
            self.stopping.store(true, Ordering::SeqCst);
            for conn in live.conns.values_mut().filter(|c| c.idle) {
                if let Some(socket) = conn.socket.take() {
                    let _ = socket.shutdown(Shutdown::Both);
                }
            }
        }
        self.changed.notify_all();
        if let Some(addr) = self.wake {
            // Wakes an accept blocked in the kernel; the loop then sees `stopping`.
            let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
        }
    }

    /// After the accept loop ended: waits for connections to finish until `timeout`, then
    /// closes the sockets of those left and waits a little more for their threads.
    pub(crate) fn drain(&self, timeout: Duration) {
        if !self.wait_empty(Instant::now() + timeout) {
            for conn in self.lock().conns.values_mut() {
                if let Some(socket) = conn.socket.take() {
                    let _ = socket.shutdown(Shutdown::Both);
                }
            }
            self.wait_empty(Instant::now() + Duration::from_secs(2));
        }
    }

    fn wait_empty(&self, deadline: Instant) -> bool {
        let mut live = self.lock();
        while !live.conns.is_empty() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            live = self
                .changed
                .wait_timeout(live, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }
}

/// One live connection's entry; dropping it removes the entry and makes room.
#[derive(Debug)]
pub(crate) struct Tracker {
    shared: Arc<Shared>,
    id: u64,
}

impl Tracker {
    /// Marks the connection idle (waiting for a request's first byte) or busy. Going idle
    /// returns false when shutdown began: the connection should close.
    pub(crate) fn set_idle(&self, idle: bool) -> bool {
        let mut live = self.shared.lock();
        if idle && self.shared.stopping() {
            return false;
        }
        if let Some(conn) = live.conns.get_mut(&self.id) {
            conn.idle = idle;
        }
        true
    }

    /// True once shutdown began.
    pub(crate) fn stopping(&self) -> bool {
        self.shared.stopping()
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.shared.lock().conns.remove(&self.id);
        self.shared.changed.notify_all();
    }
}
