//! [`Output`]: what to write to the peer, as a few refcounted pieces.

use alloc::vec::Vec;
use bytes::Bytes;

/// Bytes to write to the peer, in order: at most three [`Bytes`] pieces (for a chunk: the
/// size line, the caller's data untouched, and CRLF), ready for `write_vectored`.
///
/// ```
/// let mut client = h1::Connection::new(h1::Role::Client);
/// let req = h1::Request::new("GET", "/")?.with_header("Host", "example.com")?;
/// let out = client.send_request(&req)?;
/// assert_eq!(out.to_vec(), b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
/// # Ok::<(), h1::Error>(())
/// ```
#[must_use = "the bytes must be written to the peer"]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    parts: [Bytes; 3],
    count: usize,
}

impl Output {
    pub(crate) fn push(&mut self, piece: Bytes) {
        if !piece.is_empty() {
            debug_assert!(self.count < 3);
            self.parts[self.count] = piece;
            self.count += 1;
        }
    }

    /// The pieces, in order; none is empty.
    pub fn parts(&self) -> &[Bytes] {
        &self.parts[..self.count]
    }

    /// Total number of bytes.
    pub fn len(&self) -> usize {
        self.parts().iter().map(Bytes::len).sum()
    }

    /// True when there is nothing to write (an empty body piece writes nothing).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// All the bytes in one vector (a copy; for tests and logs).
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
    /// # Errors
    /// Any I/O error of `w`; `WriteZero` if it accepts no bytes.
    #[cfg(feature = "std")]
    pub fn write_to<W: std::io::Write + ?Sized>(&self, w: &mut W) -> std::io::Result<()> {
        use std::io::{ErrorKind, IoSlice};
        let mut pieces: [&[u8]; 3] = [&self.parts[0], &self.parts[1], &self.parts[2]];
        let mut first = 0;
        while first < self.count {
            let slices = [
                IoSlice::new(pieces[first]),
                IoSlice::new(pieces.get(first + 1).copied().unwrap_or_default()),
                IoSlice::new(pieces.get(first + 2).copied().unwrap_or_default()),
            ];
            let mut written = match w.write_vectored(&slices[..self.count - first]) {
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

impl IntoIterator for Output {
    type Item = Bytes;
    type IntoIter = core::iter::Take<core::array::IntoIter<Bytes, 3>>;
    fn into_iter(self) -> Self::IntoIter {
        self.parts.into_iter().take(self.count)
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

    #[test]
    fn write_to_survives_short_writes() {
        let mut out = Output::default();
        out.push(Bytes::from_static(b"5\r\n"));
        out.push(Bytes::new());
        out.push(Bytes::from_static(b"hello"));
        out.push(Bytes::from_static(b"\r\n"));
        assert_eq!(out.parts().len(), 3);
        let mut w = Slow(Vec::new(), false);
        out.write_to(&mut w).unwrap();
        assert_eq!(w.0, b"5\r\nhello\r\n");
        assert_eq!(out.len(), 10);
        assert_eq!(out.into_iter().count(), 3);
    }
}
