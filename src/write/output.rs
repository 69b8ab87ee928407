//! [`Output`]: what to write to the peer, as a few refcounted pieces.

use alloc::vec::Vec;
use bytes::{Buf, Bytes};

/// The most pieces one [`Output`] holds: a chunk is its size line, the caller's data and
/// CRLF.
const MAX_PIECES: usize = 3;

/// Bytes to write to the peer, in order: at most three [`Bytes`] pieces (for a chunk: the
/// size line, the caller's data untouched, and CRLF), ready for `write_vectored`.
///
/// It is a [`bytes::Buf`], so every driver writes it the same way: a blocking one with
/// [`write_to`](Self::write_to) (or `chunks_vectored`, `write_vectored` and `advance`), an
/// async one with tokio's `write_all_buf`. A partly written `Output` remembers where it
/// stopped.
///
/// ```
/// let mut client = h1::Connection::new(h1::Role::Client);
/// let req = h1::Request::new("GET", "/")?.with_header("Host", "example.com")?;
/// let out = client.send_request(&req)?;
/// assert_eq!(out.to_vec(), b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
/// # Ok::<(), h1::Error>(())
/// ```
///
/// # A head and a small body in one write
///
/// Each `send_*` call returns its own `Output`; [`Buf::chain`] joins them, so a small
/// response goes out in one `write_vectored` call (one packet with `TCP_NODELAY`), and no
/// body byte is copied:
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use bytes::Buf;
/// use h1::{Connection, Event, Response, Role};
/// use std::io::{IoSlice, Write};
///
/// let mut server = Connection::new(Role::Server);
/// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
/// let Event::Request(_) = server.next_event()? else { panic!() };
///
/// let res = Response::new(200)?.with_header("Content-Length", "5")?;
/// let mut all = server
///     .send_response(&res)?
///     .chain(server.send_data("hello".into())?)
///     .chain(server.send_end()?);
///
/// let mut socket: Vec<u8> = Vec::new(); // a TcpStream in a real driver
/// let mut writes = 0;
/// while all.has_remaining() {
///     let mut slices = [IoSlice::new(&[]); 8];
///     let n = all.chunks_vectored(&mut slices);
///     let written = socket.write_vectored(&slices[..n])?;
///     all.advance(written);
///     writes += 1;
/// }
/// assert_eq!(socket, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
/// assert_eq!(writes, 1);
/// # Ok(()) }
/// ```
///
/// With tokio, the same chain goes to `socket.write_all_buf(&mut all).await`.
#[must_use = "the bytes must be written to the peer"]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// The pieces still to write are `parts[..count]`; the slots after them are empty
    /// (`Buf::advance` moves the pieces left on as the front one is written whole).
    parts: [Bytes; MAX_PIECES],
    count: usize,
}

impl Output {
    #[inline]
    pub(crate) fn push(&mut self, piece: Bytes) {
        if !piece.is_empty() {
            debug_assert!(self.count < MAX_PIECES);
            self.parts[self.count] = piece;
            self.count += 1;
        }
    }

    /// The pieces still to write, in order; none is empty.
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Transfer-Encoding", "chunked")?;
    /// let _head = client.send_request(&req)?;
    /// let chunk = client.send_data(h1::Bytes::from("hello"))?; // size line, data, CRLF
    /// let parts: Vec<&[u8]> = chunk.parts().iter().map(|b| &b[..]).collect();
    /// assert_eq!(parts, [&b"5\r\n"[..], b"hello", b"\r\n"]);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn parts(&self) -> &[Bytes] {
        &self.parts[..self.count]
    }

    /// Total number of bytes still to write.
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Transfer-Encoding", "chunked")?;
    /// let _head = client.send_request(&req)?;
    /// let chunk = client.send_data(h1::Bytes::from("hello"))?; // size line, data, CRLF
    /// assert_eq!(chunk.len(), 10);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.parts().iter().map(Bytes::len).sum()
    }

    /// True when there is nothing to write (an empty body piece writes nothing).
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Transfer-Encoding", "chunked")?;
    /// let _head = client.send_request(&req)?;
    /// let chunk = client.send_data(h1::Bytes::from("hello"))?; // size line, data, CRLF
    /// assert!(!chunk.is_empty());
    /// assert!(client.send_data(h1::Bytes::new())?.is_empty()); // not sent as the last chunk
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// All the bytes in one vector (a copy; for tests and logs).
    ///
    /// ```
    /// let mut client = h1::Connection::new(h1::Role::Client);
    /// let req = h1::Request::new("POST", "/")?.with_header("Host", "a")?.with_header("Transfer-Encoding", "chunked")?;
    /// let _head = client.send_request(&req)?;
    /// let chunk = client.send_data(h1::Bytes::from("hello"))?; // size line, data, CRLF
    /// assert_eq!(chunk.to_vec(), b"5\r\nhello\r\n");
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.len());
        for p in self.parts() {
            v.extend_from_slice(p);
        }
        v
    }

    /// Writes every byte to `w` with `write_vectored`, retrying after partial writes and
    /// `Interrupted`.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mut server = h1::Connection::new(h1::Role::Server);
    /// server.receive(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")?;
    /// let _request = server.next_event()?;
    /// let res = h1::Response::new(204)?;
    /// let mut socket = Vec::new(); // any std::io::Write: a TcpStream, a TLS stream
    /// server.send_response(&res)?.write_to(&mut socket)?;
    /// assert_eq!(socket, b"HTTP/1.1 204 No Content\r\n\r\n");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Any I/O error of `w`; `WriteZero` if it accepts no bytes.
    #[cfg(feature = "std")]
    pub fn write_to<W: std::io::Write + ?Sized>(&self, w: &mut W) -> std::io::Result<()> {
        use std::io::{ErrorKind, IoSlice};
        // Borrowed slices, so the pieces' refcounts are not touched.
        let mut pieces: [&[u8]; MAX_PIECES] = [&[]; MAX_PIECES];
        for (slot, part) in pieces.iter_mut().zip(self.parts()) {
            *slot = part;
        }
        let count = self.parts().len();
        let mut first = 0;
        while first < count {
            let mut slices = [IoSlice::new(&[]); MAX_PIECES];
            for (slot, piece) in slices.iter_mut().zip(&pieces[first..count]) {
                *slot = IoSlice::new(piece);
            }
            let mut written = match w.write_vectored(&slices[..count - first]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
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
}

impl Buf for Output {
    fn remaining(&self) -> usize {
        self.len()
    }

    fn chunk(&self) -> &[u8] {
        self.parts().first().map_or(&[], |p| &p[..])
    }

    #[cfg(feature = "std")]
    fn chunks_vectored<'a>(&'a self, dst: &mut [std::io::IoSlice<'a>]) -> usize {
        let mut n = 0;
        for (slot, part) in dst.iter_mut().zip(self.parts()) {
            *slot = std::io::IoSlice::new(part);
            n += 1;
        }
        n
    }

    /// # Panics
    /// When `cnt` is more than [`remaining`](Buf::remaining), as every `Buf` does.
    fn advance(&mut self, mut cnt: usize) {
        while cnt > 0 {
            assert!(
                self.count > 0,
                "Output::advance past the end: {cnt} bytes more than remain"
            );
            let front = &mut self.parts[0];
            if cnt < front.len() {
                front.advance(cnt);
                return;
            }
            cnt -= front.len();
            // Written whole: let go of the piece at once, and move the rest to the front.
            *front = Bytes::new();
            self.parts[..self.count].rotate_left(1);
            self.count -= 1;
        }
    }

    /// The front piece's bytes without a copy when they suffice.
    fn copy_to_bytes(&mut self, len: usize) -> Bytes {
        // With no pieces, `parts[0]` is empty (the slots after the pieces are).
        if len < self.parts[0].len() {
            return self.parts[0].split_to(len);
        }
        if self.count > 0 && len == self.parts[0].len() {
            let front = core::mem::take(&mut self.parts[0]);
            self.parts[..self.count].rotate_left(1);
            self.count -= 1;
            return front;
        }
        assert!(
            len <= self.remaining(),
            "Output::copy_to_bytes past the end"
        );
        let mut v = Vec::with_capacity(len);
        while v.len() < len {
            let chunk = self.chunk();
            let n = chunk.len().min(len - v.len());
            v.extend_from_slice(&chunk[..n]);
            self.advance(n);
        }
        v.into()
    }
}

/// The pieces of an [`Output`] still to write, in order: what `Output::into_iter` returns.
///
/// ```
/// let mut client = h1::Connection::new(h1::Role::Client);
/// let req = h1::Request::new("GET", "/")?.with_header("Host", "a")?;
/// let mut wire = Vec::new();
/// for piece in client.send_request(&req)? {
///     wire.extend_from_slice(&piece); // each piece a `Bytes`, never empty
/// }
/// assert!(wire.ends_with(b"\r\n\r\n"));
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OutputIter {
    parts: core::iter::Take<core::array::IntoIter<Bytes, MAX_PIECES>>,
}

impl Iterator for OutputIter {
    type Item = Bytes;

    #[inline]
    fn next(&mut self) -> Option<Bytes> {
        self.parts.next()
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.parts.size_hint()
    }
}

impl ExactSizeIterator for OutputIter {}

impl core::iter::FusedIterator for OutputIter {}

impl IntoIterator for Output {
    type Item = Bytes;
    type IntoIter = OutputIter;

    #[inline]
    fn into_iter(self) -> OutputIter {
        OutputIter {
            parts: self.parts.into_iter().take(self.count),
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// A writer that takes at most 3 bytes per call and is interrupted every other call.
    struct Slow(Vec<u8>, bool);
    impl std::io::Write for Slow {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.1 = !self.1;
            if self.1 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = b.len().min(3);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn chunk_output() -> Output {
        let mut out = Output::default();
        out.push(Bytes::from_static(b"5\r\n"));
        out.push(Bytes::new());
        out.push(Bytes::from_static(b"hello"));
        out.push(Bytes::from_static(b"\r\n"));
        out
    }

    #[test]
    fn write_to_survives_short_writes() {
        let out = chunk_output();
        assert_eq!(out.parts().len(), 3);
        let mut w = Slow(Vec::new(), false);
        out.write_to(&mut w).unwrap();
        assert_eq!(w.0, b"5\r\nhello\r\n");
        assert_eq!(out.len(), 10);
        assert_eq!(out.into_iter().count(), 3);
    }

    #[test]
    fn write_to_a_broken_pipe_fails_at_once() {
        struct Broken(usize);
        impl std::io::Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                self.0 += 1;
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut w = Broken(0);
        let e = chunk_output().write_to(&mut w).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
        assert_eq!(w.0, 1, "not retried");
        // A writer that takes nothing: WriteZero, not a loop.
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let e = chunk_output().write_to(&mut Full).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::WriteZero);
    }

    #[test]
    fn buf_advances_across_pieces() {
        let mut out = chunk_output();
        assert_eq!(out.remaining(), 10);
        assert_eq!(out.chunk(), b"5\r\n");
        out.advance(4);
        assert_eq!(out.chunk(), b"ello");
        assert_eq!(out.remaining(), 6);
        let mut slices = [std::io::IoSlice::new(&[]); 4];
        assert_eq!(out.chunks_vectored(&mut slices), 2);
        assert_eq!((&*slices[0], &*slices[1]), (&b"ello"[..], &b"\r\n"[..]));
        // A partly written output writes (and iterates) only what is left.
        let mut w = Slow(Vec::new(), false);
        out.write_to(&mut w).unwrap();
        assert_eq!(w.0, b"ello\r\n");
        assert_eq!(
            out.clone().into_iter().collect::<Vec<_>>(),
            ["ello", "\r\n"]
        );
        assert_eq!(out.copy_to_bytes(4), "ello");
        assert_eq!(out.parts(), ["\r\n"]);
        out.advance(2);
        assert!(out.is_empty() && !out.has_remaining());
        assert_eq!(out.chunk(), b"");
        assert_eq!(out, Output::default());
    }

    /// Copying out exactly the first piece takes it whole: no empty piece is left behind
    /// to write, count or iterate.
    #[test]
    fn copy_to_bytes_of_a_whole_piece_takes_it() {
        let mut out = chunk_output();
        assert!(!out.is_empty());
        assert_eq!(out.clone().into_iter().len(), 3);
        assert_eq!(out.clone().into_iter().size_hint(), (3, Some(3)));
        assert_eq!(out.copy_to_bytes(3), "5\r\n");
        assert_eq!(out.parts(), ["hello", "\r\n"]);
        assert_eq!(out.into_iter().len(), 2);
        // Part of the first piece: the rest of it stays first.
        let mut out = chunk_output();
        assert_eq!(out.copy_to_bytes(2), "5\r");
        assert_eq!(out.parts(), ["\n", "hello", "\r\n"]);
        assert_eq!(out.copy_to_bytes(0), "");
        assert_eq!(out.parts(), ["\n", "hello", "\r\n"]);
        // Nothing at all from an empty output.
        assert_eq!(Output::default().copy_to_bytes(0), "");
    }

    /// Bytes that the front piece holds come out of it without a copy: the result shares
    /// the piece's memory, whether part of the piece is taken or all of it.
    #[test]
    fn copy_to_bytes_within_the_front_piece_shares_its_memory() {
        let body = Bytes::from(b"hello".to_vec());
        let mut out = Output::default();
        out.push(body.clone());
        out.push(Bytes::from_static(b"\r\n"));
        let part = out.copy_to_bytes(2);
        assert_eq!((&part[..], part.as_ptr()), (&b"he"[..], body.as_ptr()));
        let rest = out.copy_to_bytes(3);
        assert_eq!(
            (&rest[..], rest.as_ptr()),
            (&b"llo"[..], body[2..].as_ptr())
        );
        assert_eq!(out.parts(), ["\r\n"]);
    }

    #[test]
    #[should_panic(expected = "past the end")]
    fn copy_to_bytes_past_the_end_panics() {
        chunk_output().copy_to_bytes(11);
    }

    #[test]
    fn copy_to_bytes_across_pieces_copies() {
        let mut out = chunk_output();
        assert_eq!(out.copy_to_bytes(6), "5\r\nhel");
        assert_eq!(out.to_vec(), b"lo\r\n");
    }

    #[test]
    #[should_panic(expected = "past the end")]
    fn advance_past_the_end_panics() {
        chunk_output().advance(11);
    }

    #[test]
    fn chained_outputs_go_out_in_one_vectored_write() {
        let mut a = Output::default();
        a.push(Bytes::from_static(b"head"));
        let mut all = a.chain(chunk_output());
        let mut slices = [std::io::IoSlice::new(&[]); 8];
        assert_eq!(all.chunks_vectored(&mut slices), 4);
        assert_eq!(all.copy_to_bytes(all.remaining()), "head5\r\nhello\r\n");
    }
}
