//! The blocking server: a [`Server`] accepts connections on a [`TcpListener`] and serves
//! each on a thread of its own, calling a handler once per request.
//!
//! ```no_run
//! use std::io::Read;
//! use h1_std::server::{Reply, Server};
//!
//! Server::bind("127.0.0.1:8080")?.serve(|req| {
//!     match (req.method(), req.target()) {
//!         ("GET", "/") => Ok(Reply::new(200)?.with_body("hello\n")),
//!         ("GET", "/count") => Ok(Reply::new(200)?
//!             .with_chunks((0..10).map(|i| format!("{i}\n")))), // chunked, as produced
//!         ("POST", "/upload") => {
//!             let mut n = 0u64;
//!             let mut buf = [0u8; 8192];
//!             loop {
//!                 match req.read(&mut buf)? { // 100 Continue goes out here if awaited
//!                     0 => break,
//!                     k => n += k as u64,
//!                 }
//!             }
//!             Ok(Reply::new(200)?.with_body(format!("{n} bytes\n")))
//!         }
//!         _ => Ok(Reply::new(404)?),
//!     }
//! })?;
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Every protocol decision (framing, keep-alive, what a HEAD response carries, when a
//! request may be read) is [`h1::Connection`]'s; this module moves bytes, owns threads and
//! timeouts, and decides only what is not protocol: when to give up on a slow client, how
//! much unread body to throw away.

use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub use h1_common::server::ServerConfig;

mod conn;
mod incoming;
mod reply;
mod socket;
mod track;

pub use incoming::Incoming;
pub use reply::Reply;

use track::Shared;

/// What a handler returns: a [`Reply`], or an error, which the server answers with
/// `500 Internal Server Error` and a close. Any error converts with `?`: [`io::Error`]
/// (a failed body read), [`h1::Error`] (a bad header value), [`crate::Error`] (a body
/// reader's), and the rest.
///
/// ```
/// use h1_std::server::{HandlerResult, Incoming, Reply};
///
/// fn upload(req: &mut Incoming<'_>) -> HandlerResult {
///     let body = req.body().bytes(1 << 20)?; // h1_std::Error
///     let text = String::from_utf8(body.to_vec())?; // FromUtf8Error
///     Ok(Reply::new(200)?.with_body(text.to_uppercase())) // h1::Error
/// }
/// # let _ = upload;
/// ```
pub type HandlerResult = Result<Reply, Box<dyn std::error::Error + Send + Sync>>;

/// A request handler is any `Fn(&mut Incoming<'_>) -> HandlerResult` that is
/// `Send + Sync + 'static`: called once per request, on the connection's thread, with the
/// request's head and its lazily read body.
pub(crate) trait Handler:
    Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static
{
}

impl<F> Handler for F where F: Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static {}

/// A blocking HTTP/1.1 server: a thread per connection, up to
/// [`ServerConfig::max_connections`].
///
/// - **Keep-alive and pipelining**: a connection serves requests one after another as
///   long as the core keeps it alive; pipelined requests are answered in order.
/// - **At the cap**, the server stops accepting until a connection ends; new clients wait
///   in the kernel's listen backlog (they are neither refused nor answered meanwhile).
/// - **Protocol errors** are answered with the core's
///   [`status_hint`](h1::Error::status_hint) (400, 413, 414, 431, 501, 505) and
///   `Connection: close`, then the connection closes.
/// - **Timeouts** ([`ServerConfig`]): a deadline for each request head, an idle timeout
///   between requests, a timeout for each body read and each write.
/// - **Graceful shutdown** ([`ShutdownHandle`]): stop accepting, close idle connections,
///   let in-flight requests finish their responses, and close what is left after
///   [`ServerConfig::shutdown_timeout`].
/// - **Unread request bodies**: when a handler answers without reading the body, the
///   server reads the rest away (up to [`ServerConfig::drain_limit`]) to keep the
///   connection, or closes it — at once when the client still waits for `100 Continue`.
/// - **A failing handler** (an `Err`, or a panic) is answered with `500` and a close.
///
/// ```no_run
/// use h1_std::server::{Reply, Server};
///
/// let server = Server::bind("127.0.0.1:0")?;
/// println!("listening on {}", server.local_addr()?);
/// server.serve(|_req| Ok(Reply::new(200)?.with_body("hi\n")))?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    config: ServerConfig,
    shared: Arc<Shared>,
}

/// Binding and configuring, then serving: on this thread ([`serve`](Self::serve)) or on
/// one of its own ([`spawn`](Self::spawn)).
///
/// ```
/// use std::time::Duration;
/// use h1_std::server::{Reply, Server, ServerConfig};
///
/// let mut config = ServerConfig::default();
/// config.idle_timeout = Duration::from_secs(5);
/// let server = Server::bind("127.0.0.1:0")?.with_config(config);
/// assert_eq!(server.config().idle_timeout, Duration::from_secs(5));
/// let running = server.spawn(|_| Ok(Reply::new(204)?))?;
/// running.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
impl Server {
    /// A server listening on `addr` (for example `"127.0.0.1:8080"`; port 0 picks a free
    /// port, see [`local_addr`](Self::local_addr)), with the default [`ServerConfig`].
    ///
    /// ```
    /// let server = h1_std::server::Server::bind("127.0.0.1:0")?;
    /// assert!(server.local_addr()?.ip().is_loopback());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// When the address does not resolve or cannot be bound.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Ok(Self::from_listener(TcpListener::bind(addr)?))
    }

    /// A server accepting on a listener the caller bound (for socket options of its own,
    /// or a listener inherited from a supervisor).
    ///
    /// ```
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let server = h1_std::server::Server::from_listener(listener);
    /// assert!(server.local_addr()?.port() != 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn from_listener(listener: TcpListener) -> Self {
        let shared = Arc::new(Shared::new(listener.local_addr().ok()));
        Self {
            listener,
            config: ServerConfig::default(),
            shared,
        }
    }

    h1_common::server_config_methods!();

    /// A handle that shuts the server down gracefully, from any thread.
    ///
    /// ```
    /// use h1_std::server::{Reply, Server};
    ///
    /// let server = Server::bind("127.0.0.1:0")?;
    /// let stop = server.shutdown_handle();
    /// let running = std::thread::spawn(move || server.serve(|_| Ok(Reply::new(204)?)));
    /// stop.shutdown();
    /// running.join().unwrap()?; // serve returns once every connection is done
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            shared: self.shared.clone(),
        }
    }

    /// Serves connections until [`ShutdownHandle::shutdown`], each on its own thread;
    /// returns when the last one finished (or was closed after
    /// [`ServerConfig::shutdown_timeout`]).
    ///
    /// ```no_run
    /// use h1_std::server::{Reply, Server};
    ///
    /// // A process serving until it is killed.
    /// Server::bind("0.0.0.0:8080")?.serve(|req| {
    ///     Ok(Reply::new(200)?.with_body(format!("you asked for {}\n", req.target())))
    /// })?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// None today: failed accepts (a client that reset, too many open files) are retried
    /// after a short pause, and connections' errors end only those connections.
    pub fn serve<H>(self, handler: H) -> io::Result<()>
    where
        H: Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        let config = Arc::new(self.config);
        let shared = self.shared;
        while shared.wait_for_room(config.max_connections) {
            let (stream, peer) = match self.listener.accept() {
                Ok(accepted) => accepted,
                Err(e) => {
                    if let Some(pause) = h1_common::server::accept_pause(&e) {
                        thread::sleep(pause);
                    }
                    continue;
                }
            };
            if shared.stopping() {
                break; // the shutdown's wake-up, or a client that came too late
            }
            let tracker = shared.track(&stream);
            let (handler, config) = (handler.clone(), config.clone());
            let spawned = thread::Builder::new()
                .name("h1-server-conn".into())
                .spawn(move || conn::serve(stream, peer, &config, &*handler, &tracker));
            if spawned.is_err() {
                // No thread for it: the connection (and its tracker) were dropped, closed.
                thread::sleep(Duration::from_millis(20));
            }
        }
        drop(self.listener);
        shared.drain(config.shutdown_timeout);
        Ok(())
    }

    /// Starts serving on a background thread; the returned [`RunningServer`] tells the
    /// address and shuts the server down.
    ///
    /// ```
    /// use h1_std::server::{Reply, Server};
    ///
    /// let running = Server::bind("127.0.0.1:0")?.spawn(|_| Ok(Reply::new(200)?.with_body("up")))?;
    /// let addr = running.local_addr();
    /// # let _ = addr;
    /// running.shutdown()?; // graceful; returns when the server thread ended
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// When the listener's address cannot be read or the thread cannot be started.
    pub fn spawn<H>(self, handler: H) -> io::Result<RunningServer>
    where
        H: Fn(&mut Incoming<'_>) -> HandlerResult + Send + Sync + 'static,
    {
        let addr = self.local_addr()?;
        let handle = self.shutdown_handle();
        let thread = thread::Builder::new()
            .name("h1-server".into())
            .spawn(move || self.serve(handler))?;
        Ok(RunningServer {
            addr,
            handle,
            thread,
        })
    }
}

/// Shuts a [`Server`] down gracefully; cheap to clone and to send to another thread.
///
/// ```
/// use h1_std::server::{Reply, Server};
///
/// let running = Server::bind("127.0.0.1:0")?.spawn(|_| Ok(Reply::new(204)?))?;
/// let handle = running.shutdown_handle();
/// assert!(!handle.is_shutting_down());
/// handle.shutdown(); // from any thread; returns at once
/// assert!(handle.is_shutting_down());
/// running.shutdown()?; // waits for the server thread
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    shared: Arc<Shared>,
}

/// A shutdown asked for from any thread (a signal handler's, say).
///
/// ```
/// use h1_std::server::{Reply, Server};
///
/// let server = Server::bind("127.0.0.1:0")?;
/// let stop = server.shutdown_handle();
/// std::thread::spawn(move || stop.shutdown());
/// server.serve(|_| Ok(Reply::new(204)?))?; // returns once stopped
/// # Ok::<(), std::io::Error>(())
/// ```
impl ShutdownHandle {
    /// Begins a graceful shutdown and returns at once: the server stops accepting, closes
    /// connections that wait for a request, and lets those in the middle of one finish
    /// (their response carries `Connection: close`). [`Server::serve`] returns when all
    /// are done, or after [`ServerConfig::shutdown_timeout`], when it closes the rest.
    /// Calling it again does nothing more.
    ///
    /// ```
    /// let server = h1_std::server::Server::bind("127.0.0.1:0")?;
    /// let stop = server.shutdown_handle();
    /// stop.shutdown();
    /// stop.shutdown(); // nothing more
    /// server.serve(|_| Ok(h1_std::server::Reply::new(204)?))?; // returns at once
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(&self) {
        self.shared.stop();
    }

    /// True once [`shutdown`](Self::shutdown) was called.
    ///
    /// ```
    /// let server = h1_std::server::Server::bind("127.0.0.1:0")?;
    /// let stop = server.shutdown_handle();
    /// assert!(!stop.is_shutting_down());
    /// stop.clone().shutdown(); // clones share the state
    /// assert!(stop.is_shutting_down());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn is_shutting_down(&self) -> bool {
        self.shared.stopping()
    }
}

/// A server serving on a background thread: see [`Server::spawn`].
///
/// ```
/// use std::io::{Read, Write};
/// use h1_std::server::{Reply, Server};
///
/// let running = Server::bind("127.0.0.1:0")?.spawn(|_| Ok(Reply::new(200)?.with_body("up\n")))?;
/// let mut sock = std::net::TcpStream::connect(running.local_addr())?;
/// sock.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
/// let mut answer = String::new();
/// sock.read_to_string(&mut answer)?;
/// assert!(answer.ends_with("\r\n\r\nup\n"));
/// running.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    handle: ShutdownHandle,
    thread: thread::JoinHandle<io::Result<()>>,
}

/// Where the server listens, and stopping it.
///
/// ```
/// use h1_std::server::{Reply, Server};
///
/// let running = Server::bind("127.0.0.1:0")?.spawn(|_| Ok(Reply::new(204)?))?;
/// assert!(running.local_addr().ip().is_loopback());
/// running.shutdown_handle().shutdown(); // the same as running.shutdown(), without waiting
/// running.shutdown()?;
/// # Ok::<(), std::io::Error>(())
/// ```
impl RunningServer {
    h1_common::running_server_methods!();

    /// Shuts the server down gracefully ([`ShutdownHandle::shutdown`]) and waits for its
    /// thread to end.
    ///
    /// # Errors
    /// What [`Server::serve`] returned; `Other` if the server thread panicked.
    ///
    /// ```
    /// use h1_std::server::{Reply, Server};
    ///
    /// let running = Server::bind("127.0.0.1:0")?.spawn(|_| Ok(Reply::new(204)?))?;
    /// let addr = running.local_addr();
    /// running.shutdown()?;
    /// assert!(std::net::TcpStream::connect(addr).is_err()); // no longer listening
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(self) -> io::Result<()> {
        self.handle.shutdown();
        self.thread
            .join()
            .map_err(|_| io::Error::other("the server thread panicked"))?
    }
}
