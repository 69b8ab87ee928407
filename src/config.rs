//! Limits on everything a peer controls, with documented defaults.

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
    /// How many bytes [`Connection::read_into`](crate::Connection::read_into) offers a
    /// driver's read call at least. Default 16 KiB.
    pub read_size: usize,
    /// A receive buffer larger than this is given back to the allocator once it is empty,
    /// so a connection that once took a large head or line does not keep its memory while
    /// idle. Default 64 KiB.
    pub shrink_threshold: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_head_size: 32 * 1024,
            max_headers: 256,
            max_start_line: 8 * 1024,
            max_chunk_line: 1024,
            max_trailer_size: 16 * 1024,
            max_line_length: 64 * 1024,
            max_body_size: None,
            read_size: 16 * 1024,
            shrink_threshold: 64 * 1024,
        }
    }
}
