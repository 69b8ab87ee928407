//! The glue between an [`h1::Connection`] and a stream: reading when the connection needs
//! data, writing its [`Output`]s vectored, read timeouts and an overall deadline, byte
//! counters. Both the client and the server drive their connections through [`Conn`].

use std::io::{self, IoSlice, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use bytes::Buf;
use h1::{Connection, Event, Output, Role, State};
use h1_common::{BodyState, Error, ErrorKind, Traffic};

/// A byte stream the driver can run HTTP over: any `Read + Write`, plus two optional
/// hooks. Implemented for [`TcpStream`]; for TLS, wrap the TLS stream in a type of your own
/// and forward the hooks to its socket (see `docs/client.md`, "TLS").
///
/// ```
/// use std::io::{self, IoSlice, Read, Write};
/// use std::time::Duration;
///
/// /// A stream wrapper, as a TLS stream over a `TcpStream` would be.
/// struct Wrapped(std::net::TcpStream);
/// impl Read for Wrapped {
///     fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> { self.0.read(buf) }
/// }
/// impl Write for Wrapped {
///     fn write(&mut self, buf: &[u8]) -> io::Result<usize> { self.0.write(buf) }
///     fn flush(&mut self) -> io::Result<()> { self.0.flush() }
/// }
/// impl h1_std::Stream for Wrapped {
///     fn set_read_timeout(&mut self, t: Option<Duration>) -> io::Result<()> {
///         self.0.set_read_timeout(t)
///     }
///     fn is_idle_alive(&mut self) -> bool {
///         h1_std::Stream::is_idle_alive(&mut self.0)
///     }
/// }
/// ```
pub trait Stream: Read + Write {
    /// Sets how long a read may wait for bytes (`None`: for ever). A read that times out
    /// returns `TimedOut` or `WouldBlock`. The default does nothing: no read timeout.
    ///
    /// ```
    /// use std::io::Read;
    /// use std::time::Duration;
    /// use h1_std::Stream;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut sock = std::net::TcpStream::connect(listener.local_addr()?)?;
    /// let _peer = listener.accept()?; // open, and silent
    /// Stream::set_read_timeout(&mut sock, Some(Duration::from_millis(20)))?;
    /// let e = sock.read(&mut [0; 8]).unwrap_err();
    /// assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    /// Whatever the underlying socket returns.
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        let _ = timeout;
        Ok(())
    }

    /// A cheap check, without blocking, that an idle kept-alive connection is still open
    /// and nothing unexpected arrived on it: false when the peer closed it or sent bytes.
    /// The default says true (a request on a closed connection then fails and is retried
    /// when that is safe).
    ///
    /// ```
    /// use std::io::Write;
    /// use h1_std::Stream;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let mut sock = std::net::TcpStream::connect(listener.local_addr()?)?;
    /// let (mut peer, _) = listener.accept()?;
    /// assert!(sock.is_idle_alive()); // open, and nothing arrived
    /// peer.write_all(b"HTTP/1.1 408 Request Timeout\r\n\r\n")?;
    /// sock.peek(&mut [0])?; // waits for the bytes
    /// assert!(!sock.is_idle_alive()); // something arrived while idle: not reusable
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn is_idle_alive(&mut self) -> bool {
        true
    }
}

impl Stream for TcpStream {
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        Self::set_read_timeout(self, timeout)
    }

    fn is_idle_alive(&mut self) -> bool {
        if self.set_nonblocking(true).is_err() {
            return false;
        }
        let mut probe = [0u8; 1];
        let alive =
            matches!(self.peek(&mut probe), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        self.set_nonblocking(false).is_ok() && alive
    }
}

/// One HTTP/1.1 connection over a stream: the core's [`Connection`], the stream, its
/// timeouts and counters, and the state of the body being read.
///
/// ```
/// use std::io::Write;
/// use h1::{Connection, Event, Role};
/// use h1_std::Conn;
///
/// // A server connection over an in-memory stream (a socket in real use).
/// let wire = std::io::Cursor::new(b"GET /hi HTTP/1.1\r\nHost: a\r\n\r\n".to_vec());
/// let mut conn = Conn::new(h1_std::Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
/// let Event::Request(req) = conn.next_event()? else { panic!() };
/// assert_eq!(req.target(), "/hi");
/// # Ok::<(), h1_std::Error>(())
/// ```
#[derive(Debug)]
pub struct Conn<S> {
    h1: Connection,
    stream: S,
    read_timeout: Option<Duration>,
    deadline: Option<Instant>,
    /// The read timeout last set on the stream (`None`: never set).
    applied: Option<Option<Duration>>,
    traffic: Traffic,
    pub(crate) body: Option<BodyState>,
    /// A read or write failed: the connection must not be reused.
    broken: bool,
}

impl<S: Stream> Conn<S> {
    /// Drives `h1` over `stream`.
    ///
    /// ```
    /// use h1::{Connection, Role};
    /// use h1_std::{Conn, Duplex};
    ///
    /// let conn = Conn::new(Duplex::new(&b""[..], Vec::new()), Connection::new(Role::Client));
    /// assert_eq!(conn.connection().role(), Role::Client);
    /// assert_eq!(conn.bytes_received(), 0); // nothing is read before it is asked for
    /// ```
    pub fn new(stream: S, h1: Connection) -> Self {
        Self {
            h1,
            stream,
            read_timeout: None,
            deadline: None,
            applied: None,
            traffic: Traffic::default(),
            body: None,
            broken: false,
        }
    }

    h1_common::conn_accessors!();

    /// The stream, mutably (writing to it directly bypasses the counters).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use std::io::Write;
    ///
    /// conn.stream_mut().write_all(b"raw")?;
    /// assert_eq!(conn.stream().writer().as_slice(), b"raw");
    /// assert_eq!(conn.bytes_sent(), 0); // not counted
    #[doc = crate::doc::doc_text!(close)]
    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// How long one read may wait for the peer's next bytes (`None`, the default: for
    /// ever). Time spent writing does not count.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use std::time::Duration;
    ///
    /// conn.set_read_timeout(Some(Duration::from_secs(5)));
    /// assert_eq!(conn.read_timeout(), Some(Duration::from_secs(5)));
    #[doc = crate::doc::doc_text!(close)]
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// A point in time after which reads fail with [`ErrorKind::Timeout`] (`None`, the
    /// default: no deadline).
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// conn.set_deadline(Some(std::time::Instant::now())); // already passed
    /// let e = conn.next_event().unwrap_err();
    /// assert_eq!(e.kind(), h1_std::ErrorKind::Timeout);
    /// assert!(conn.is_broken());
    #[doc = crate::doc::doc_text!(close)]
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// The read timeout in force.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// assert_eq!(conn.read_timeout(), None); // the default: a read waits for ever
    /// conn.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    /// assert!(conn.read_timeout().is_some());
    #[doc = crate::doc::doc_text!(close)]
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// The deadline in force.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// use std::time::{Duration, Instant};
    ///
    /// assert_eq!(conn.deadline(), None); // the default: no deadline
    /// let at = Instant::now() + Duration::from_secs(30);
    /// conn.set_deadline(Some(at));
    /// assert_eq!(conn.deadline(), Some(at));
    #[doc = crate::doc::doc_text!(close)]
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// True when both sides finished their messages, nothing is left over, nothing
    /// failed, and no side asked to close: the connection can serve another exchange
    /// after [`Connection::start_next_cycle`].
    ///
    /// ```
    /// use h1::{Connection, Event, Response, Role};
    /// use h1_std::{Conn, Duplex};
    ///
    /// let wire = std::io::Cursor::new(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec());
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(_) = conn.next_event()? else { panic!() };
    /// let Event::EndOfMessage(_) = conn.next_event()? else { panic!() };
    /// assert!(!conn.is_reusable()); // not answered yet
    /// let res = Response::new(204)?;
    /// conn.send(|h1| h1.send_response(&res))?;
    /// conn.send(|h1| h1.send_end())?;
    /// assert!(conn.is_reusable()); // ready for the next request
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_reusable(&self) -> bool {
        !self.broken
            && self.h1.is_keep_alive()
            && self.h1.our_state() == State::Done
            && self.h1.their_state() == State::Done
            && (self.h1.role() == Role::Server || self.h1.buffered() == 0)
    }

    /// Reads once from the stream into the connection (a read of 0 bytes tells it the
    /// stream ended). Returns how many bytes arrived.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// assert_eq!(conn.fill()?, 51); // all the peer sent, now in the core's buffer
    /// assert_eq!(conn.connection().buffered(), 51);
    /// assert_eq!(conn.fill()?, 0); // the stream ended
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// [`ErrorKind::Timeout`] when the read timeout or the deadline passed,
    /// [`ErrorKind::Transport`] for another I/O error. The connection is then broken.
    pub fn fill(&mut self) -> Result<usize, Error> {
        // Without a `wait`, a timeout is an error, never `None`.
        self.fill_inner(None)?
            .ok_or_else(|| Error::new(ErrorKind::Timeout, "timed out waiting for the peer"))
    }

    /// Reads once, waiting at most `wait` (and never past the read timeout or the
    /// deadline): `Ok(None)` when nothing arrived within `wait`, which leaves the
    /// connection usable (a client waiting a moment for `100 Continue` uses it).
    ///
    /// ```
    /// use std::io::Write;
    /// use std::time::Duration;
    /// use h1::{Connection, Role};
    /// use h1_std::Conn;
    ///
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let sock = std::net::TcpStream::connect(listener.local_addr()?)?;
    /// let (mut peer, _) = listener.accept()?;
    /// let mut conn = Conn::new(sock, Connection::new(Role::Client));
    /// assert_eq!(conn.fill_within(Duration::from_millis(10))?, None); // nothing yet
    /// assert!(!conn.is_broken());
    /// peer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    /// assert_eq!(conn.fill_within(Duration::from_secs(10))?, Some(25));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`fill`](Self::fill), for the connection's own timeouts and failures.
    pub fn fill_within(&mut self, wait: Duration) -> Result<Option<usize>, Error> {
        self.fill_inner(Some(wait))
    }

    fn fill_inner(&mut self, wait: Option<Duration>) -> Result<Option<usize>, Error> {
        let mut timeout = self.read_timeout;
        let mut short = false;
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.broken = true;
                return Err(Error::new(ErrorKind::Timeout, "the deadline passed"));
            }
            timeout = Some(timeout.map_or(left, |t| t.min(left)));
        }
        if let Some(wait) = wait {
            let wait = wait.max(Duration::from_millis(1));
            if timeout.is_none_or(|t| wait < t) {
                timeout = Some(wait);
                short = true;
            }
        }
        if self.applied != Some(timeout) {
            self.stream.set_read_timeout(timeout).map_err(|e| {
                self.broken = true;
                Error::from_io(e).context("setting the read timeout")
            })?;
            self.applied = Some(timeout);
        }
        let stream = &mut self.stream;
        loop {
            match self.h1.read_into(|buf| stream.read(buf)) {
                Ok(n) => {
                    self.traffic.add_received(n as u64);
                    return Ok(Some(n));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let e = Error::from_io(e);
                    if e.is_timeout() && short {
                        return Ok(None);
                    }
                    self.broken = true;
                    return Err(if e.is_timeout() {
                        let what = match (self.deadline, timeout) {
                            (Some(d), _) if Instant::now() >= d => "the deadline passed".into(),
                            (_, Some(t)) => format!("no bytes from the peer for {t:?}"),
                            _ => "timed out waiting for the peer".into(),
                        };
                        Error::new(ErrorKind::Timeout, what)
                    } else {
                        e
                    });
                }
            }
        }
    }

    /// The next event, reading from the stream as long as the connection needs data.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let h1::Event::Request(req) = conn.next_event()? else { panic!() };
    /// assert_eq!((req.method(), req.target()), ("POST", "/hi"));
    /// assert!(matches!(conn.next_event()?, h1::Event::Data(d) if d == "hi"));
    /// assert!(matches!(conn.next_event()?, h1::Event::EndOfMessage(_)));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// The core's error ([`Error::from_h1`]), or [`fill`](Self::fill)'s.
    pub fn next_event(&mut self) -> Result<Event, Error> {
        loop {
            match self.h1.next_event() {
                Ok(Event::NeedData) => {
                    self.fill()?;
                }
                Ok(event) => return Ok(event),
                Err(e) => {
                    self.broken = true;
                    return Err(Error::from_h1(e));
                }
            }
        }
    }

    /// Writes `out` — an [`Output`], or several joined with [`Buf::chain`] — with
    /// `write_vectored` (a head and a small body in one call), counting its bytes. No byte
    /// is copied: the pieces are handed to the stream as they are.
    ///
    /// ```
    /// use bytes::Buf;
    /// use h1::{Connection, Event, Response, Role};
    /// use h1_std::{Conn, Duplex};
    ///
    /// let wire = std::io::Cursor::new(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec());
    /// let mut conn = Conn::new(Duplex::new(wire, Vec::new()), Connection::new(Role::Server));
    /// let Event::Request(_) = conn.next_event()? else { panic!() };
    /// let res = Response::new(200)?.with_header("Content-Length", "2")?;
    /// let h1 = conn.connection_mut();
    /// let all = h1.send_response(&res)?.chain(h1.send_data("hi".into())?).chain(h1.send_end()?);
    /// conn.write(all)?;
    /// assert!(conn.stream().writer().ends_with(b"\r\n\r\nhi"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Transport`] (or `Timeout` for a stream with a write timeout): the core
    /// connection is told ([`Connection::send_failed`]) and this one is broken.
    pub fn write(&mut self, mut out: impl Buf) -> Result<(), Error> {
        let n = out.remaining() as u64;
        if n == 0 {
            return Ok(());
        }
        if let Err(e) = write_buf(&mut self.stream, &mut out) {
            self.h1.send_failed();
            self.broken = true;
            return Err(Error::from_io(e).context("writing to the peer"));
        }
        self.traffic.add_sent(n);
        Ok(())
    }

    /// Sends through the core and writes the output: `conn.send(|h1| h1.send_data(piece))`.
    ///
    #[doc = crate::doc::doc_text!(conn)]
    /// let _request = conn.next_event()?;
    /// let res = h1::Response::new(200)?.with_header("Content-Length", "2")?;
    /// conn.send(|h1| h1.send_response(&res))?;
    /// conn.send(|h1| h1.send_data("ok".into()))?;
    /// assert!(conn.stream().writer().starts_with(b"HTTP/1.1 200 OK\r\n"));
    /// assert!(conn.stream().writer().ends_with(b"\r\n\r\nok"));
    #[doc = crate::doc::doc_text!(close)]
    ///
    /// # Errors
    /// The core's refusal ([`ErrorKind::InvalidInput`]), or [`write`](Self::write)'s.
    pub fn send(
        &mut self,
        f: impl FnOnce(&mut Connection) -> Result<Output, h1::Error>,
    ) -> Result<(), Error> {
        let out = f(&mut self.h1)?;
        self.write(out)
    }

    /// Flushes the stream (after the last piece of a message, or a piece that must reach
    /// the peer now).
    ///
    /// ```
    /// use std::io::BufWriter;
    /// use h1::{Connection, Event, Response, Role};
    /// use h1_std::{Conn, Duplex};
    ///
    /// let wire = std::io::Cursor::new(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec());
    /// let stream = Duplex::new(wire, BufWriter::new(Vec::new()));
    /// let mut conn = Conn::new(stream, Connection::new(Role::Server));
    /// let Event::Request(_) = conn.next_event()? else { panic!() };
    /// let res = Response::new(204)?;
    /// conn.send(|h1| h1.send_response(&res))?;
    /// assert!(conn.stream().writer().get_ref().is_empty()); // still in the buffer
    /// conn.flush()?;
    /// assert!(conn.stream().writer().get_ref().starts_with(b"HTTP/1.1 204"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Transport`]; the connection is then broken.
    pub fn flush(&mut self) -> Result<(), Error> {
        self.stream.flush().map_err(|e| {
            self.broken = true;
            Error::from_io(e).context("flushing to the peer")
        })
    }

    /// The core connection and the body state, borrowed apart.
    pub(crate) fn parts_for_body(&mut self) -> (&mut Connection, &mut Option<BodyState>) {
        (&mut self.h1, &mut self.body)
    }

    /// A server that has not answered yet, whose client waits for `100 Continue` before it
    /// sends the body: writes `HTTP/1.1 100 Continue`. Called by the body readers before
    /// their first read from the stream.
    pub(crate) fn continue_if_waiting(&mut self) -> Result<(), Error> {
        if self.h1.role() == Role::Server && self.h1.client_is_waiting_for_100_continue() {
            let res = h1::Response::new(100)?;
            self.send(|h1| h1.send_response(&res))?;
            self.flush()?;
        }
        Ok(())
    }
}

/// The most slices one `write_vectored` call is given: an [`Output`] has at most three
/// pieces, so a head, a body piece and the end of a message fit in one call.
const MAX_SLICES: usize = 16;

/// Writes all of `buf` with `write_vectored`, going on after short writes and
/// `Interrupted`.
fn write_buf(w: &mut impl Write, buf: &mut impl Buf) -> io::Result<()> {
    while buf.has_remaining() {
        let mut slices = [IoSlice::new(&[]); MAX_SLICES];
        let count = buf.chunks_vectored(&mut slices);
        match w.write_vectored(&slices[..count]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf.advance(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A stream made of a reader and a writer, for tests and in-memory use: reads come from
/// the first, writes go to the second.
///
/// ```
/// use std::io::{Read, Write};
/// let mut d = h1_std::Duplex::new(&b"in"[..], Vec::new());
/// let mut s = String::new();
/// d.read_to_string(&mut s)?;
/// d.write_all(b"out")?;
/// assert_eq!((s.as_str(), d.writer().as_slice()), ("in", &b"out"[..]));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Duplex<R, W> {
    reader: R,
    writer: W,
}

impl<R, W> Duplex<R, W> {
    /// Reads from `reader`, writes to `writer`.
    ///
    /// ```
    /// use std::io::Read;
    /// let mut d = h1_std::Duplex::new(&b"GET / HTTP/1.1\r\n"[..], Vec::<u8>::new());
    /// let mut first = [0; 3];
    /// d.read_exact(&mut first)?;
    /// assert_eq!(&first, b"GET");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new(reader: R, writer: W) -> Self {
        Self { reader, writer }
    }

    /// What was written so far.
    ///
    /// ```
    /// use std::io::Write;
    /// let mut d = h1_std::Duplex::new(std::io::empty(), Vec::new());
    /// d.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")?;
    /// assert!(d.writer().starts_with(b"HTTP/1.1 204"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn writer(&self) -> &W {
        &self.writer
    }
}

impl<R: Read, W> Read for Duplex<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

impl<R, W: Write> Write for Duplex<R, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.writer.write_vectored(bufs)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl<R: Read, W: Write> Stream for Duplex<R, W> {}

#[cfg(test)]
mod tests {
    use super::*;
    use h1::Output;

    /// Takes at most 5 bytes per call, and is interrupted every other call.
    struct Slow(Vec<u8>, bool);
    impl Write for Slow {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.1 = !self.1;
            if self.1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = b.len().min(5);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Takes everything, and counts its calls.
    struct Counting(Vec<u8>, usize);
    impl Write for Counting {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.write_vectored(&[IoSlice::new(b)])
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            self.1 += 1;
            let before = self.0.len();
            for b in bufs {
                self.0.extend_from_slice(b);
            }
            Ok(self.0.len() - before)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// A head, a body and the end of a response, as three outputs.
    fn response() -> (Output, Output, Output) {
        let mut server = Connection::new(Role::Server);
        server
            .receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        assert!(matches!(server.next_event(), Ok(Event::Request(_))));
        let res = h1::Response::new(200)
            .unwrap()
            .with_header("Content-Length", "10")
            .unwrap();
        let head = server.send_response(&res).unwrap();
        let data = server.send_data("0123456789".into()).unwrap();
        let end = server.send_end().unwrap();
        (head, data, end)
    }

    const WIRE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";

    #[test]
    fn chained_outputs_survive_short_and_interrupted_writes() {
        let (head, data, end) = response();
        let mut w = Slow(Vec::new(), false);
        write_buf(&mut w, &mut head.chain(data).chain(end)).unwrap();
        assert_eq!(w.0, WIRE);
    }

    #[test]
    fn a_head_and_a_small_body_go_out_in_one_write() {
        let (head, data, end) = response();
        let stream = Duplex::new(io::empty(), Counting(Vec::new(), 0));
        let mut conn = Conn::new(stream, Connection::new(Role::Server));
        conn.write(head.chain(data).chain(end)).unwrap();
        assert_eq!(conn.stream().writer().1, 1, "one write_vectored call");
        assert_eq!(conn.stream().writer().0, WIRE);
        assert_eq!(conn.bytes_sent(), WIRE.len() as u64);
    }

    #[test]
    fn a_stream_that_takes_nothing_breaks_the_connection() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (head, ..) = response();
        let mut conn = Conn::new(
            Duplex::new(io::empty(), Full),
            Connection::new(Role::Server),
        );
        let e = conn.write(head).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport);
        assert_eq!(e.io_kind(), io::ErrorKind::WriteZero);
        assert!(conn.is_broken());
        assert_eq!(conn.bytes_sent(), 0);
    }
}
