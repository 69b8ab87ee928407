//! The server's writes and closes over the shared connection glue ([`Conn`]): several
//! outputs gathered into one vectored write, and a close that lets the client read what
//! was written.

use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use h1::{Bytes, Output};
use h1_common::Error;

use crate::conn::Conn;

/// Writes every output, in order, with as few `write_vectored` calls as the socket allows:
/// a head and a small body go out in one.
///
/// # Errors
/// A failed write: the core is told and the connection is marked broken.
pub(crate) fn write_all(conn: &mut Conn<TcpStream>, outputs: &[Output]) -> Result<(), Error> {
    let mut pieces: Vec<&[u8]> = outputs
        .iter()
        .flat_map(Output::parts)
        .map(Bytes::as_ref)
        .collect();
    if let Err(e) = write_pieces(conn.stream_mut(), &mut pieces) {
        conn.connection_mut().send_failed();
        conn.mark_broken();
        return Err(Error::from_io(e).context("writing to the client"));
    }
    Ok(())
}

/// Closes the connection so the client reads everything written: the sending side is
/// shut first, then what the client still sends is read and dropped for a moment (closing
/// with unread bytes would reset the connection and could destroy the response in
/// flight).
pub(crate) fn linger_close(conn: &mut Conn<TcpStream>) {
    let stream = conn.stream_mut();
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 4096];
    let mut left = 256 * 1024;
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left -= n.min(left),
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
