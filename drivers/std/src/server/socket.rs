//! The server's close, over the shared connection glue ([`Conn`]): one that lets the
//! client read what was written.

use std::io::Read;
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use crate::conn::Conn;

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
