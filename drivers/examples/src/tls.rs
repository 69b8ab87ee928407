//! TLS through rustls, plugged into the blocking driver (feature `tls`).
//!
//! The client is generic over its stream ([`h1_std::Connector`], [`h1_std::Stream`]), so
//! TLS takes two small types: [`TlsConnector`], which opens TCP and runs the handshake for
//! `https` URLs (and leaves `http` ones plain), and [`MaybeTls`], the stream it returns,
//! which forwards the driver's two hooks (read timeout, idle liveness) to the socket.
//! [`h1_std::Conn`] drives any such stream in either role; [`serve_echo`] uses it for a
//! small TLS server. [`self_signed`] and [`local_configs`] make a certificate for tests.
//!
//! ```
//! use h1_examples::tls::{local_configs, serve_echo, TlsConnector};
//!
//! let (client_tls, server_tls) = local_configs()?;
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! let url = format!("https://{}/hello", listener.local_addr()?);
//! let server = std::thread::spawn(move || serve_echo(&listener, &server_tls, 1));
//!
//! let client = h1_std::Client::with_connector(TlsConnector::new(client_tls), Default::default());
//! let res = client.get(&url).send()?;
//! assert_eq!(res.status(), 200);
//! assert_eq!(res.bytes(1024)?, "GET /hello 0\n");
//! drop(client);
//! server.join().unwrap()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use bytes::Buf;
use h1::{Connection, Event, Response, Role};
use h1_std::{Body, Conn, Connector, Error, ErrorKind, Framing, PoolKey, Stream, TcpConnector};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::{ClientConnection, ServerConnection, StreamOwned};

/// A client connection's stream: plain TCP for `http`, rustls over TCP for `https`.
#[derive(Debug)]
pub enum MaybeTls {
    /// An `http` connection.
    Plain(TcpStream),
    /// An `https` connection (boxed: a rustls connection is large).
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl MaybeTls {
    fn socket(&mut self) -> &mut TcpStream {
        match self {
            Self::Plain(sock) => sock,
            Self::Tls(tls) => tls.get_mut(),
        }
    }
}

impl Read for MaybeTls {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Plain(sock) => sock.read(buf),
            Self::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for MaybeTls {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(sock) => sock.write(buf),
            Self::Tls(tls) => tls.write(buf),
        }
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Self::Plain(sock) => sock.write_vectored(bufs),
            // rustls encrypts what it is given into records; one call takes every slice.
            Self::Tls(tls) => tls.write_vectored(bufs),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(sock) => sock.flush(),
            Self::Tls(tls) => tls.flush(),
        }
    }
}

impl Stream for MaybeTls {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket().set_read_timeout(timeout)
    }

    fn is_idle_alive(&mut self) -> bool {
        // A TLS peer that closes sends close_notify first: bytes on an idle socket, so the
        // socket's check (nothing to read, not closed) serves both.
        Stream::is_idle_alive(self.socket())
    }
}

/// Opens `https` connections with rustls (the handshake runs in
/// [`connect`](Connector::connect), within the connect timeout) and `http` ones as plain
/// TCP.
#[derive(Debug, Clone)]
pub struct TlsConnector {
    config: Arc<rustls::ClientConfig>,
}

impl TlsConnector {
    /// A connector with rustls' client configuration (its trusted roots, ALPN, …).
    pub fn new(config: Arc<rustls::ClientConfig>) -> Self {
        Self { config }
    }
}

impl Connector for TlsConnector {
    type Stream = MaybeTls;

    fn connect(&self, key: &PoolKey, timeout: Option<Duration>) -> Result<MaybeTls, Error> {
        let tcp = PoolKey {
            scheme: "http".into(),
            ..key.clone()
        };
        let mut sock = TcpConnector.connect(&tcp, timeout)?;
        if key.scheme != "https" {
            return Ok(MaybeTls::Plain(sock));
        }
        let failed = |what: &str, e: String| {
            Error::new(ErrorKind::Connect, format!("TLS with {key}: {what}: {e}"))
        };
        let name = ServerName::try_from(key.host.clone())
            .map_err(|e| failed("not a server name", e.to_string()))?;
        let mut tls = ClientConnection::new(Arc::clone(&self.config), name)
            .map_err(|e| failed("configuration", e.to_string()))?;
        sock.set_read_timeout(timeout)
            .map_err(|e| failed("socket", e.to_string()))?;
        while tls.is_handshaking() {
            tls.complete_io(&mut sock)
                .map_err(|e| failed("handshake", e.to_string()))?;
        }
        Ok(MaybeTls::Tls(Box::new(StreamOwned::new(tls, sock))))
    }
}

/// A server connection's stream: rustls over an accepted socket.
#[derive(Debug)]
pub struct TlsServerStream(StreamOwned<ServerConnection, TcpStream>);

impl TlsServerStream {
    /// Runs the server's side of the handshake on `sock`, waiting at most `timeout` for
    /// each read.
    ///
    /// # Errors
    /// A failed handshake (the client did not trust the certificate, say) or socket.
    pub fn accept(
        mut sock: TcpStream,
        config: &Arc<rustls::ServerConfig>,
        timeout: Duration,
    ) -> io::Result<Self> {
        let mut tls = ServerConnection::new(Arc::clone(config)).map_err(io::Error::other)?;
        sock.set_read_timeout(Some(timeout))?;
        while tls.is_handshaking() {
            tls.complete_io(&mut sock)?;
        }
        Ok(Self(StreamOwned::new(tls, sock)))
    }
}

impl Read for TlsServerStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for TlsServerStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.0.write_vectored(bufs)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl Stream for TlsServerStream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        self.0.get_mut().set_read_timeout(timeout)
    }
}

/// How long [`serve_echo`] waits for a client's bytes.
const SERVE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `conns` TLS connections from `listener`, one after another, each until it
/// closes: every request is answered `200` with `METHOD target LENGTH\n` followed by its
/// body (read whole, any framing), kept alive as the core allows. A connection whose
/// handshake or exchange fails is closed and counts.
///
/// # Errors
/// A failed `accept` on the listener.
pub fn serve_echo(
    listener: &TcpListener,
    config: &Arc<rustls::ServerConfig>,
    conns: usize,
) -> io::Result<()> {
    for _ in 0..conns {
        let (sock, _) = listener.accept()?;
        let Ok(stream) = TlsServerStream::accept(sock, config, SERVE_TIMEOUT) else {
            continue;
        };
        let mut conn = Conn::new(stream, Connection::new(Role::Server));
        conn.set_read_timeout(Some(SERVE_TIMEOUT));
        while echo_one(&mut conn).unwrap_or(false) {}
    }
    Ok(())
}

/// Answers one request; true when the connection goes on.
fn echo_one(conn: &mut Conn<TlsServerStream>) -> Result<bool, Error> {
    let req = match conn.next_event()? {
        Event::Request(req) => req,
        _ => return Ok(false), // the client closed between requests
    };
    conn.start_body(Framing::incoming(conn.connection()), req.headers());
    let body = Body::new(conn).bytes(1 << 20)?;
    let line = format!("{} {} {}\n", req.method(), req.target(), body.len());
    let res =
        Response::new(200)?.with_header("Content-Length", (line.len() + body.len()).to_string())?;
    let h1 = conn.connection_mut();
    let out = h1
        .send_response(&res)?
        .chain(h1.send_data(line.into())?)
        .chain(h1.send_data(body)?)
        .chain(h1.send_end()?);
    conn.write(out)?;
    conn.flush()?;
    if !conn.is_reusable() {
        return Ok(false);
    }
    conn.connection_mut().start_next_cycle()?;
    Ok(true)
}

/// A self-signed certificate for `names` (DNS names or IP addresses such as
/// `127.0.0.1`) and its private key.
///
/// # Errors
/// A name rcgen cannot put in a certificate.
pub fn self_signed(
    names: &[&str],
) -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), rcgen::Error> {
    let names: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
    let certified = rcgen::generate_simple_self_signed(names)?;
    let key = PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    Ok((certified.cert.der().clone(), key.into()))
}

/// A client configuration that trusts only a fresh self-signed certificate for
/// `127.0.0.1` and `localhost`, and a server configuration that presents it: a TLS pair
/// for tests on one machine.
///
/// # Errors
/// rcgen or rustls refusing the certificate.
pub fn local_configs(
) -> Result<(Arc<rustls::ClientConfig>, Arc<rustls::ServerConfig>), Box<dyn std::error::Error>> {
    let (cert, key) = self_signed(&["127.0.0.1", "localhost"])?;
    // ring builds quickly and needs no toolchain beyond a C compiler, which suits a test
    // pair on loopback; rustls deprecates it for want of post-quantum key exchange, and a
    // real deployment takes rustls' default provider (aws-lc-rs) instead.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone())?;
    let client = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)?;
    Ok((Arc::new(client), Arc::new(server)))
}
