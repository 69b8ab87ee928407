//! The async server: a [`Server`] accepts connections on a tokio [`TcpListener`] and serves
//! each in a task of its own, calling an async handler once per request.
//!
//! ```no_run
//! use h1_tokio::server::{Incoming, Reply, Server};
//!
//! # #[tokio::main]
//! # async fn main() -> std::io::Result<()> {
//! Server::bind("127.0.0.1:8080").await?.serve(|mut req: Incoming| async move {
//!     match (req.method(), req.target()) {
//!         ("GET", "/") => Ok(Reply::new(200)?.with_body("hello\n")),
//!         ("POST", "/upload") => {
//!             // 100 Continue goes out here if the client waits for it.
//!             let body = req.body_mut().bytes(1 << 20).await?;
//!             Ok(Reply::new(200)?.with_body(format!("{} bytes\n", body.len())))
//!         }
//!         _ => Ok(Reply::new(404)?),
//!     }
//! }).await?;
//! # Ok(()) }
//! ```
//!
//! Every protocol decision (framing, keep-alive, what a HEAD response carries, when a
//! request may be read) is [`h1::Connection`]'s; what a server decides beyond it (the
//! answer to a protocol error, an unread body, the timeouts) is [`h1_common::server`]'s,
//! shared with the blocking server. This module moves bytes and owns tasks and timers.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

pub use h1_common::server::ServerConfig;

mod conn;
mod incoming;
mod reply;

pub use incoming::{Incoming, RequestSource};
pub use reply::Reply;

/// What a handler returns: a [`Reply`], or an error, which the server answers with
/// `500 Internal Server Error` and a close. Any error converts with `?`: a driver
/// [`Error`](crate::Error) (a failed body read), [`h1::Error`] (a bad header value), and
/// the rest.
pub type HandlerResult = Result<Reply, Box<dyn std::error::Error + Send + Sync>>;

/// An async HTTP/1.1 server: a task per connection, up to
/// [`ServerConfig::max_connections`].
///
/// - **Keep-alive and pipelining**: a connection serves requests one after another as
///   long as the core keeps it alive; pipelined requests are answered in order, and the
///   answers to requests that arrived together go out in one write.
/// - **At the cap**, the server stops accepting until a connection ends; new clients wait
///   in the kernel's listen backlog.
/// - **Protocol errors** are answered with the core's
///   [`status_hint`](h1::Error::status_hint) (400, 413, 414, 431, 501, 505) and
///   `Connection: close`, then the connection closes.
/// - **Timeouts** ([`ServerConfig`], with `tokio::time`): a deadline for each request
///   head, an idle timeout between requests, a timeout for each body read and each write.
/// - **Graceful shutdown** ([`ShutdownHandle`]): stop accepting, close idle connections,
///   let in-flight requests finish their responses (with `Connection: close`), and close
///   what is left after [`ServerConfig::shutdown_timeout`].
/// - **Unread request bodies** are read away (up to [`ServerConfig::drain_limit`]) to keep
///   the connection, or the connection closes — at once when the client still waits for
///   `100 Continue`.
/// - **A failing handler** (an `Err`, or a panic) is answered with `500` and a close.
/// - **Backpressure**: a streamed reply is polled for its next chunk only once the last
///   one was written, so a slow reader slows the producer; at most a few dozen KiB are
///   queued per connection.
///
/// The runtime needs its time driver (`Runtime::enable_all`, or `#[tokio::main]`).
///
/// ```
/// use h1_tokio::server::{Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = Server::bind("127.0.0.1:0").await?;
/// println!("listening on {}", server.local_addr()?);
/// let running = server.spawn(|_req| async { Ok(Reply::new(200)?.with_body("hi\n")) })?;
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    config: ServerConfig,
    stop: Arc<watch::Sender<bool>>,
}

/// Binding and configuring, then serving: in this task ([`serve`](Self::serve)) or in a
/// task of its own ([`spawn`](Self::spawn)).
///
/// ```
/// use std::time::Duration;
/// use h1_tokio::server::{Reply, Server, ServerConfig};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let mut config = ServerConfig::default();
/// config.idle_timeout = Duration::from_secs(5);
/// let server = Server::bind("127.0.0.1:0").await?.with_config(config);
/// assert_eq!(server.config().idle_timeout, Duration::from_secs(5));
/// let running = server.spawn(|_| async { Ok(Reply::new(204)?) })?;
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
impl Server {
    /// A server listening on `addr` (port 0 picks a free port, see
    /// [`local_addr`](Self::local_addr)), with the default [`ServerConfig`].
    ///
    /// # Errors
    /// When the address does not resolve or cannot be bound.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?;
    /// assert!(server.local_addr()?.ip().is_loopback());
    /// # Ok(()) }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Ok(Self::from_listener(TcpListener::bind(addr).await?))
    }

    /// A server accepting on a listener the caller bound.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    /// let server = h1_tokio::server::Server::from_listener(listener);
    /// assert!(server.local_addr()?.port() != 0);
    /// # Ok(()) }
    /// ```
    pub fn from_listener(listener: TcpListener) -> Self {
        Self {
            listener,
            config: ServerConfig::default(),
            stop: Arc::new(watch::channel(false).0),
        }
    }

    h1_common::server_config_methods!();

    /// A handle that shuts the server down gracefully, from any task or thread.
    ///
    /// ```
    /// use h1_tokio::server::{Reply, Server};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0").await?;
    /// let stop = server.shutdown_handle();
    /// let running = tokio::spawn(server.serve(|_| async { Ok(Reply::new(204)?) }));
    /// stop.shutdown();
    /// running.await.unwrap()?; // serve returns once every connection is done
    /// # Ok(()) }
    /// ```
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            stop: self.stop.clone(),
        }
    }

    /// Serves connections until [`ShutdownHandle::shutdown`], each in its own task;
    /// returns when the last one finished (or was closed after
    /// [`ServerConfig::shutdown_timeout`]).
    ///
    /// # Errors
    /// None today: failed accepts (a client that reset, too many open files) are retried
    /// after a short pause, and connections' errors end only those connections.
    ///
    /// ```no_run
    /// use h1_tokio::server::{Incoming, Reply, Server};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// // A process serving until it is killed.
    /// Server::bind("0.0.0.0:8080").await?.serve(|req: Incoming| async move {
    ///     Ok(Reply::new(200)?.with_body(format!("you asked for {}\n", req.target())))
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn serve<F, Fut>(self, handler: F) -> io::Result<()>
    where
        F: Fn(Incoming) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let config = Arc::new(self.config);
        let room = Arc::new(Semaphore::new(config.max_connections.max(1)));
        let mut stop = self.stop.subscribe();
        let mut tasks = JoinSet::new();
        loop {
            if *stop.borrow_and_update() {
                break;
            }
            // Reap finished connections so the set does not grow.
            while tasks.try_join_next().is_some() {}
            let permit = tokio::select! {
                permit = room.clone().acquire_owned() => permit,
                _ = stop.changed() => break,
            };
            let Ok(permit) = permit else { break };
            let accepted = tokio::select! {
                accepted = self.listener.accept() => accepted,
                _ = stop.changed() => break,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    if let Some(pause) = h1_common::server::accept_pause(&e) {
                        tokio::time::sleep(pause).await;
                    }
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let (handler, config, stop) = (handler.clone(), config.clone(), self.stop.subscribe());
            tasks.spawn(async move {
                conn::serve(stream, Some(peer), config, handler, stop).await;
                drop(permit);
            });
        }
        drop(self.listener);
        let drained = tokio::time::timeout(config.shutdown_timeout, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tasks.shutdown().await;
        }
        Ok(())
    }

    /// Starts serving in a task of its own (on the current runtime); the returned
    /// [`RunningServer`] tells the address and shuts the server down.
    ///
    /// ```
    /// use h1_tokio::server::{Reply, Server};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let running = Server::bind("127.0.0.1:0").await?
    ///     .spawn(|_| async { Ok(Reply::new(200)?.with_body("up")) })?;
    /// let addr = running.local_addr();
    /// # let _ = addr;
    /// running.shutdown().await?; // graceful; returns when the server task ended
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// When the listener's address cannot be read.
    pub fn spawn<F, Fut>(self, handler: F) -> io::Result<RunningServer>
    where
        F: Fn(Incoming) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        let addr = self.local_addr()?;
        let handle = self.shutdown_handle();
        let task = tokio::spawn(self.serve(handler));
        Ok(RunningServer { addr, handle, task })
    }
}

/// Serves one connection the caller accepted (any `AsyncRead + AsyncWrite`: a TLS
/// stream, a Unix socket, an in-memory pipe) until it closes, with the same behaviour as
/// a [`Server`]'s connections. `peer` is what [`Incoming::peer_addr`] reports.
///
/// ```
/// use h1_tokio::server::{serve_connection, Reply, ServerConfig};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (client, server) = tokio::io::duplex(4096);
/// tokio::spawn(serve_connection(server, None, ServerConfig::default(), |_req| async {
///     Ok(Reply::new(200)?.with_body("hi"))
/// }));
/// let mut client = client;
/// client.write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").await?;
/// let mut answer = String::new();
/// client.read_to_string(&mut answer).await?;
/// assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"));
/// assert!(answer.ends_with("\r\n\r\nhi"));
/// # Ok(()) }
/// ```
pub async fn serve_connection<S, F, Fut>(
    stream: S,
    peer: Option<SocketAddr>,
    config: ServerConfig,
    handler: F,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug + 'static,
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    let (_keep, stop) = watch::channel(false);
    conn::serve(stream, peer, Arc::new(config), Arc::new(handler), stop).await;
}

/// Shuts a [`Server`] down gracefully; cheap to clone and to send anywhere.
///
/// ```
/// use h1_tokio::server::{Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let running = Server::bind("127.0.0.1:0").await?.spawn(|_| async { Ok(Reply::new(204)?) })?;
/// let handle = running.shutdown_handle();
/// assert!(!handle.is_shutting_down());
/// handle.shutdown(); // from any task or thread; returns at once
/// assert!(handle.is_shutting_down());
/// running.shutdown().await?; // waits for the server task
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    stop: Arc<watch::Sender<bool>>,
}

/// A shutdown asked for from anywhere: another task, a signal handler, a thread.
///
/// ```
/// use h1_tokio::server::{Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let server = Server::bind("127.0.0.1:0").await?;
/// let stop = server.shutdown_handle();
/// std::thread::spawn(move || stop.shutdown()); // a plain thread will do
/// server.serve(|_| async { Ok(Reply::new(204)?) }).await?; // returns once stopped
/// # Ok(()) }
/// ```
impl ShutdownHandle {
    /// Begins a graceful shutdown and returns at once: the server stops accepting, closes
    /// connections that wait for a request, and lets those in the middle of one finish
    /// (their response carries `Connection: close`). [`Server::serve`] returns when all
    /// are done, or after [`ServerConfig::shutdown_timeout`], when it closes the rest.
    /// Calling it again does nothing more.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?;
    /// let stop = server.shutdown_handle();
    /// stop.shutdown();
    /// assert!(stop.is_shutting_down());
    /// # Ok(()) }
    /// ```
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
    }

    /// True once [`shutdown`](Self::shutdown) was called.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = h1_tokio::server::Server::bind("127.0.0.1:0").await?;
    /// let stop = server.shutdown_handle();
    /// assert!(!stop.is_shutting_down());
    /// stop.clone().shutdown(); // clones share the state
    /// assert!(stop.is_shutting_down());
    /// # Ok(()) }
    /// ```
    pub fn is_shutting_down(&self) -> bool {
        *self.stop.borrow()
    }
}

/// A server serving in a task of its own: see [`Server::spawn`].
///
/// ```
/// use h1_tokio::server::{Reply, Server};
/// use tokio::io::{AsyncReadExt, AsyncWriteExt};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let running = Server::bind("127.0.0.1:0").await?
///     .spawn(|_| async { Ok(Reply::new(200)?.with_body("up\n")) })?;
/// let mut sock = tokio::net::TcpStream::connect(running.local_addr()).await?;
/// sock.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await?;
/// let mut answer = String::new();
/// sock.read_to_string(&mut answer).await?;
/// assert!(answer.ends_with("\r\n\r\nup\n"));
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    handle: ShutdownHandle,
    task: tokio::task::JoinHandle<io::Result<()>>,
}

/// Where the server listens, and stopping it.
///
/// ```
/// use h1_tokio::server::{Reply, Server};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let running = Server::bind("127.0.0.1:0").await?.spawn(|_| async { Ok(Reply::new(204)?) })?;
/// assert!(running.local_addr().ip().is_loopback());
/// running.shutdown_handle().shutdown(); // the same as running.shutdown(), without waiting
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
impl RunningServer {
    h1_common::running_server_methods!();

    /// Shuts the server down gracefully ([`ShutdownHandle::shutdown`]) and waits for its
    /// task to end.
    ///
    /// # Errors
    /// What [`Server::serve`] returned; `Other` if the server task panicked.
    ///
    /// ```
    /// use h1_tokio::server::{Reply, Server};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let running = Server::bind("127.0.0.1:0").await?.spawn(|_| async { Ok(Reply::new(204)?) })?;
    /// let addr = running.local_addr();
    /// running.shutdown().await?;
    /// assert!(tokio::net::TcpStream::connect(addr).await.is_err()); // no longer listening
    /// # Ok(()) }
    /// ```
    pub async fn shutdown(self) -> io::Result<()> {
        self.handle.shutdown();
        self.task
            .await
            .map_err(|_| io::Error::other("the server task panicked"))?
    }
}
