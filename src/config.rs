//! Configuration: [`Limits`] on everything a peer controls (going over one is the peer's
//! error), and [`Buffers`], how a connection sizes and gives back its memory (tuning: no
//! value of it changes what a peer may send).

/// Bounds on every quantity a peer controls. Going over one is a remote error of kind
/// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) (or
/// [`LineTooLong`](crate::ErrorKind::LineTooLong)) with the status named on each field.
///
/// ```
/// let mut limits = h1::Limits::default();
/// limits.max_headers = 32;
/// let conn = h1::Connection::with_limits(h1::Role::Server, limits);
/// # let _ = conn;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest head (start line, header fields and the empty line), in bytes.
    /// Default 32 KiB. Status 431.
    pub max_head_size: usize,
    /// Most header fields in one head, and most trailer fields. Default 256. Status 431.
    ///
    /// [`max_head_size`](Self::max_head_size) is the main bound on a head; this one bounds
    /// the per-field bookkeeping. A parsed head is its own bytes (one buffer, never copied)
    /// plus a 16-byte entry per field: a full default head (256 fields in 32 KiB) takes
    /// about 32 KiB + 4 KiB of heap. While parsing, 32 bytes per allowed field are used as
    /// scratch: on the stack up to 256 (8 KiB), on the heap above that.
    pub max_headers: usize,
    /// Longest start line (request line or status line), in bytes. Default 8 KiB.
    /// Status 414 (the request target is what makes a request line long).
    pub max_start_line: usize,
    /// Longest chunk-size line, chunk extensions and the CR before its LF included, in
    /// bytes. Default 1 KiB. Status 400.
    pub max_chunk_line: usize,
    /// Largest trailer section, in bytes. Default 16 KiB. Status 431.
    pub max_trailer_size: usize,
    /// Longest line in line mode ([`BodyMode::Lines`](crate::BodyMode::Lines)), terminator
    /// excluded. Default 64 KiB. Status 413, kind [`LineTooLong`](crate::ErrorKind::LineTooLong).
    pub max_line_length: usize,
    /// Largest body, in bytes; `None` (the default) for no limit. A Content-Length over it
    /// is refused at once; a chunked or close-delimited body when it grows over it. Status 413.
    pub max_body_size: Option<u64>,
    /// Buffer tuning, not a limit: use [`Buffers::read_size`]. Still honoured by
    /// [`Connection::with_limits`](crate::Connection::with_limits) (it becomes the
    /// connection's `Buffers::read_size`), until it is removed.
    #[deprecated(
        since = "0.1.0",
        note = "buffer tuning, not a peer limit: use `Buffers::read_size` and `Connection::with_buffers`"
    )]
    pub read_size: usize,
    /// Buffer tuning, not a limit: use [`Buffers::shrink_threshold`]. Still honoured by
    /// [`Connection::with_limits`](crate::Connection::with_limits), until it is removed.
    #[deprecated(
        since = "0.1.0",
        note = "buffer tuning, not a peer limit: use `Buffers::shrink_threshold` and `Connection::with_buffers`"
    )]
    pub shrink_threshold: usize,
}

impl Default for Limits {
    #[allow(deprecated)] // the deprecated fields keep the defaults of `Buffers`
    fn default() -> Self {
        Self {
            max_head_size: 32 * 1024,
            max_headers: 256,
            max_start_line: 8 * 1024,
            max_chunk_line: 1024,
            max_trailer_size: 16 * 1024,
            max_line_length: 64 * 1024,
            max_body_size: None,
            read_size: Buffers::DEFAULT.read_size,
            shrink_threshold: Buffers::DEFAULT.shrink_threshold,
        }
    }
}

/// How a connection sizes its reads and gives back its buffers: tuning for memory and
/// speed, not a bound on the peer (that is [`Limits`]). No value here changes which bytes
/// are accepted or which events come out.
///
/// ```
/// let mut buffers = h1::Buffers::default();
/// buffers.read_size = 4096; // small reads: many connections, small messages
/// let conn = h1::Connection::new(h1::Role::Server).with_buffers(buffers);
/// assert_eq!(conn.buffers().read_size, 4096);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Buffers {
    /// How many bytes [`Connection::read_with`](crate::Connection::read_with) and
    /// [`read_into`](crate::Connection::read_into) offer a driver's read call at least
    /// (the window is zero-filled on every call), and
    /// [`read_buf`](crate::Connection::read_buf) lends as a `BufMut` (not zero-filled).
    /// Default 16 KiB.
    pub read_size: usize,
    /// When a message ends, a buffer larger than this (the receive buffer once it is
    /// empty, or the scratch buffer heads are written into) is given back to the
    /// allocator, so a connection that once took a large head or line does not keep its
    /// memory while idle. Default 64 KiB. (Between keep-alive cycles a smaller, fixed
    /// rule applies too: an idle connection keeps at most about 1.2 KiB.)
    pub shrink_threshold: usize,
}

impl Buffers {
    const DEFAULT: Self = Self {
        read_size: 16 * 1024,
        shrink_threshold: 64 * 1024,
    };
}

impl Default for Buffers {
    fn default() -> Self {
        Self::DEFAULT
    }
}
