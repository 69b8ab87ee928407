//! The server's byte moving: one connection's socket and `h1::Connection`, reads with a
//! deadline or a per-read timeout, and gathered (vectored) writes of the core's outputs.

use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use h1::{Bytes, Connection, Event, Output};

/// How long a read may wait.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Wait {
    /// Until this instant, across all the reads it takes (a head).
    Until(Instant),
    /// This long for each read (a body).
    EachRead(Duration),
}

/// Why the connection cannot go on.
#[derive(Debug)]
pub(crate) enum Fail {
    /// The peer broke the protocol (the core's sticky error).
    Protocol(h1::Error),
    /// A read waited longer than allowed.
    TimedOut,
    /// The socket failed, or our own use of the core did (a local error).
    Io(io::Error),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        if matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ) {
            Self::TimedOut
        } else {
            Self::Io(e)
        }
    }
}

impl From<Fail> for io::Error {
    fn from(f: Fail) -> Self {
        match f {
            Fail::Protocol(e) => Self::new(io::ErrorKind::InvalidData, e),
            Fail::TimedOut => Self::new(io::ErrorKind::TimedOut, "the client sent nothing in time"),
            Fail::Io(e) => e,
        }
    }
}

/// A local error of the core (our misuse) as an I/O error.
pub(crate) fn local(e: h1::Error) -> Fail {
    Fail::Io(io::Error::new(io::ErrorKind::InvalidInput, e))
}

/// One connection: the socket and the state machine that frames its bytes.
pub(crate) struct Io {
    pub(crate) conn: Connection,
    pub(crate) stream: TcpStream,
    /// The read timeout set on the socket now (a syscall only when it changes).
    read_timeout: Option<Duration>,
    /// A read or write failed: nothing more may be written or read.
    pub(crate) broken: bool,
}

impl Io {
    pub(crate) fn new(conn: Connection, stream: TcpStream) -> Self {
        Self {
            conn,
            stream,
            read_timeout: None,
            broken: false,
        }
    }

    /// The next event, reading whenever the core needs more bytes.
    pub(crate) fn next_event(&mut self, wait: Wait) -> Result<Event, Fail> {
        loop {
            match self.conn.next_event() {
                Ok(Event::NeedData) => {
                    self.fill(wait)?;
                }
                Ok(event) => return Ok(event),
                Err(e) if e.is_local() => return Err(local(e)),
                Err(e) => return Err(Fail::Protocol(e)),
            }
        }
    }

    /// One read into the connection's buffer; 0 bytes is the end of the stream.
    pub(crate) fn fill(&mut self, wait: Wait) -> Result<usize, Fail> {
        let timeout = match wait {
            Wait::EachRead(d) => d,
            Wait::Until(deadline) => deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())
                .ok_or(Fail::TimedOut)?,
        };
        if self.read_timeout != Some(timeout) {
            self.stream.set_read_timeout(Some(timeout))?;
            self.read_timeout = Some(timeout);
        }
        let stream = &mut self.stream;
        loop {
            match self.conn.read_into(|buf| stream.read(buf)) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.broken = true;
                    return Err(e.into());
                }
            }
        }
    }

    /// Writes every output, in order, with as few `write_vectored` calls as the socket
    /// allows: a head and a small body go out in one.
    pub(crate) fn write(&mut self, outputs: &[Output]) -> Result<(), Fail> {
        let mut pieces: Vec<&[u8]> = outputs
            .iter()
            .flat_map(Output::parts)
            .map(Bytes::as_ref)
            .collect();
        let result = write_pieces(&mut self.stream, &mut pieces);
        if result.is_err() {
            self.broken = true;
            self.conn.send_failed();
        }
        Ok(result?)
    }

    /// Closes the connection so the client reads everything written: the sending side is
    /// shut first, then what the client still sends is read and dropped for a moment
    /// (closing with unread bytes would reset the connection and could destroy the
    /// response in flight).
    pub(crate) fn linger_close(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        if self.broken {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut sink = [0u8; 4096];
        let mut left = 256 * 1024;
        while left > 0 {
            let Some(wait) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            if wait.is_zero() || self.stream.set_read_timeout(Some(wait)).is_err() {
                break;
            }
            match self.stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => left -= n.min(left),
            }
        }
    }
}

fn write_pieces(w: &mut impl Write, pieces: &mut [&[u8]]) -> io::Result<()> {
    let mut first = 0;
    while first < pieces.len() {
        if pieces[first].is_empty() {
            first += 1;
            continue;
        }
        let slices: Vec<IoSlice<'_>> = pieces[first..].iter().map(|p| IoSlice::new(p)).collect();
        let mut written = match w.write_vectored(&slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        while written > 0 {
            let piece = pieces[first];
            if written >= piece.len() {
                written -= piece.len();
                first += 1;
            } else {
                pieces[first] = &piece[written..];
                written = 0;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes at most 5 bytes per call, and is interrupted every other call.
    struct Slow(Vec<u8>, bool, usize);
    impl Write for Slow {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.1 = !self.1;
            if self.1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            self.2 += 1;
            let n = b.len().min(5);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn gathered_writes_survive_short_writes() {
        let mut w = Slow(Vec::new(), false, 0);
        let mut pieces: Vec<&[u8]> = vec![b"head\r\n", b"", b"0123456789", b"!"];
        write_pieces(&mut w, &mut pieces).unwrap();
        assert_eq!(w.0, b"head\r\n0123456789!");
    }

    #[test]
    fn gathered_writes_take_one_call_when_the_writer_takes_all() {
        let mut out = Vec::new();
        let mut pieces: Vec<&[u8]> = vec![b"a", b"bc", b"def"];
        struct Count<'a>(&'a mut Vec<u8>, usize);
        impl Write for Count<'_> {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.1 += 1;
                self.0.extend_from_slice(b);
                Ok(b.len())
            }
            fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
                self.1 += 1;
                let mut n = 0;
                for b in bufs {
                    self.0.extend_from_slice(b);
                    n += b.len();
                }
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = Count(&mut out, 0);
        write_pieces(&mut w, &mut pieces).unwrap();
        assert_eq!(w.1, 1);
        assert_eq!(out, b"abcdef");
    }
}
