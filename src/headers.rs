//! An ordered list of header fields: names keep their case and compare ignoring it.
//!
//! A list has one of two forms. A received head is stored as one refcounted [`Bytes`] (the
//! whole head) plus offsets into it, so a head with twenty fields costs one allocation for
//! the offsets and no copies. A list built with [`Headers::append`] is stored in its wire
//! form, `name: value` CRLF for each field, in one buffer with no index: writing it is one
//! copy, and the fields that steer the protocol are noted as they are appended.

use alloc::boxed::Box;
use alloc::vec::Vec;
use bytes::Bytes;
use core::fmt;

use crate::error::Error;

/// The storage a list built by [`Headers::append`] starts with: room for a small head (a
/// few fields) in one allocation.
const FIRST_STORAGE: usize = 128;

/// An ordered list of header (or trailer) fields.
///
/// Field names keep the case they were sent or received with, and every lookup ignores
/// case. Values are bytes: HTTP allows `obs-text` (bytes 0x80–0xFF) in them; use
/// [`Headers::get_str`] for values that are ASCII text.
///
/// ```
/// let mut headers = h1::Headers::new();
/// headers.append("Content-Type", "application/json")?;
/// headers.append("X-Trace", "a")?;
/// headers.append("x-trace", "b")?;
/// assert_eq!(headers.get("content-type"), Some(&b"application/json"[..]));
/// assert_eq!(headers.get_all("X-TRACE").count(), 2);
/// assert!(headers.append("Bad\r\nName", "x").is_err());
/// # Ok::<(), h1::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Headers {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// Fields parsed out of a head: the head, shared, and where each field lies in it (a
    /// boxed slice, not a `Vec`: the list stays 56 bytes, as does the `Event` it is in).
    Parsed { head: Bytes, entries: Box<[Entry]> },
    /// Fields appended one by one, in their wire form.
    Built(Built),
}

impl Default for Repr {
    fn default() -> Self {
        // An empty `Vec` allocates nothing and drops with no call.
        Self::Built(Built::default())
    }
}

/// A built list: `buf[..start]` is a prefix that is no field (a request's line, kept in
/// the same allocation); then each field as `name: value` CRLF. Names are tokens (no
/// colon) and values hold no CR or LF (both checked on append), so the form reads back
/// unambiguously.
#[derive(Clone, Default)]
struct Built {
    buf: Vec<u8>,
    start: u32,
    len: u32,
    protocol: ProtocolFields,
}

impl Built {
    /// The fields in wire form.
    fn wire(&self) -> &[u8] {
        &self.buf[self.start as usize..]
    }

    /// Appends a field already checked; the caller has made sure the storage stays under
    /// 4 GiB.
    fn push(&mut self, name: &[u8], value: &[u8]) {
        let add = name.len() + value.len() + ": \r\n".len();
        // One reservation per field; a first field reserves room for a few more, so that
        // building a small head does not reallocate at every field.
        if self.buf.capacity() == 0 {
            self.buf = Vec::with_capacity(add.max(FIRST_STORAGE));
        } else {
            self.buf.reserve(add);
        }
        self.buf.extend_from_slice(name);
        self.buf.extend_from_slice(b": ");
        // Fits: the caller checked the storage stays under 4 GiB.
        self.protocol.note(name, self.buf.len() as u32);
        self.buf.extend_from_slice(value);
        self.buf.extend_from_slice(b"\r\n");
        self.len += 1;
    }
}

/// Where some bytes lie in a head or a list's storage: the offsets `start..end`. Heads are
/// bounded by `Limits::max_head_size` and built lists refuse to pass 4 GiB, so `u32` holds
/// every offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Span {
    /// The span of `len` bytes from `start`.
    #[inline(always)]
    pub(crate) fn at(start: u32, len: usize) -> Self {
        Self {
            start,
            end: start + len as u32,
        }
    }

    /// The span's bytes in `buf`, which must hold them.
    #[inline(always)]
    pub(crate) fn of(self, buf: &[u8]) -> &[u8] {
        &buf[self.start as usize..self.end as usize]
    }

    /// The span's bytes in `buf`, or nothing if `buf` does not hold them.
    #[inline(always)]
    pub(crate) fn get(self, buf: &[u8]) -> &[u8] {
        buf.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The span as a range of `usize` offsets.
    pub(crate) fn range(self) -> core::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Where one parsed field lies in its head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: Span,
    pub(crate) value: Span,
}

impl Headers {
    /// An empty list. Does not allocate.
    ///
    /// ```
    /// let headers = h1::Headers::new();
    /// assert!(headers.is_empty());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// All the bytes the fields lie in (a parsed head, or a built list's own storage).
    pub(crate) fn storage(&self) -> &[u8] {
        match &self.repr {
            Repr::Parsed { head, .. } => head,
            Repr::Built(b) => &b.buf,
        }
    }

    /// Where `part`, a slice of [`Self::storage`] (a name, a value or a piece of one),
    /// starts in it: for parsed fields, the offset in the head. Errors only.
    #[cold]
    pub(crate) fn offset_of(&self, part: &[u8]) -> usize {
        let base = self.storage().as_ptr() as usize;
        (part.as_ptr() as usize)
            .saturating_sub(base)
            .min(self.storage().len())
    }

    /// Where the name of the `n`th field named `name` starts in [`Self::storage`], if
    /// there is one. Errors only.
    #[cold]
    pub(crate) fn name_offset(&self, name: &str, n: usize) -> Option<usize> {
        self.raw()
            .filter(|(have, _)| have.eq_ignore_ascii_case(name.as_bytes()))
            .nth(n)
            .map(|(have, _)| self.offset_of(have))
    }

    /// The head the fields were parsed from, while they still lie in it.
    pub(crate) fn shared(&self) -> Option<&Bytes> {
        match &self.repr {
            Repr::Parsed { head, .. } => Some(head),
            Repr::Built(_) => None,
        }
    }

    /// The fields in wire form (`name: value` CRLF each), when the list was built rather
    /// than parsed: written out with one copy.
    pub(crate) fn wire(&self) -> Option<&[u8]> {
        match &self.repr {
            Repr::Parsed { .. } => None,
            Repr::Built(b) => Some(b.wire()),
        }
    }

    /// An empty list whose storage begins with `parts` (a request line kept with the
    /// fields; no field) and has room for a small head. Returns where the parts lie.
    pub(crate) fn with_prefix(parts: &[&[u8]]) -> (Self, Span) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut buf = Vec::with_capacity(len + FIRST_STORAGE);
        for p in parts {
            buf.extend_from_slice(p);
        }
        let end = u32::try_from(len).unwrap_or(u32::MAX);
        let built = Built {
            buf,
            start: end,
            ..Built::default()
        };
        let headers = Self {
            repr: Repr::Built(built),
        };
        (headers, Span { start: 0, end })
    }

    /// Headers parsed out of `buf` (every entry must lie within it), and their protocol
    /// fields.
    pub(crate) fn from_parsed(buf: Bytes, parsed: Parsed) -> (Self, ProtocolFields) {
        let headers = Self {
            repr: Repr::Parsed {
                head: buf,
                entries: parsed.entries,
            },
        };
        (headers, parsed.protocol)
    }

    /// The list as a built one, ready to take more fields. A parsed list is copied once:
    /// its head whole (so that spans into it, such as a request line, stay valid), then
    /// its fields in wire form.
    fn built(&mut self) -> &mut Built {
        if let Repr::Parsed { head, entries } = &self.repr {
            let fields: usize = entries
                .iter()
                .map(|e| e.name.range().len() + e.value.range().len() + ": \r\n".len())
                .sum();
            let mut b = Built {
                buf: Vec::with_capacity(head.len() + fields + FIRST_STORAGE),
                start: head.len() as u32,
                ..Built::default()
            };
            b.buf.extend_from_slice(head);
            for e in entries {
                b.push(e.name.of(head), e.value.of(head));
            }
            self.repr = Repr::Built(b);
        }
        match &mut self.repr {
            Repr::Built(b) => b,
            Repr::Parsed { .. } => unreachable!("just replaced"),
        }
    }

    /// Appends a field at the end, after checking that `name` is a token and `value` is a
    /// valid field value (no CR, LF, NUL or other control character but HTAB, and no
    /// whitespace at either end), so that nothing can be smuggled into the output.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the name or value is
    /// invalid, or the fields would take 4 GiB or more; the list is then unchanged.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Set-Cookie", "a=1")?;
    /// headers.append("Set-Cookie", "b=2")?; // a name may come again
    /// assert_eq!(headers.len(), 2);
    /// assert!(headers.append("X-Evil", "a\r\nInjected: 1").is_err()); // no smuggling
    /// assert_eq!(headers.len(), 2);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn append(&mut self, name: &str, value: impl AsRef<[u8]>) -> Result<(), Error> {
        let value = value.as_ref();
        validate_name(name.as_bytes())?;
        validate_value(value)?;
        let add = name.len() + value.len() + ": \r\n".len();
        if self.storage().len().saturating_add(add) > u32::MAX as usize {
            return Err(Error::input("headers larger than 4 GiB"));
        }
        self.built().push(name.as_bytes(), value);
        Ok(())
    }

    /// Removes every field named `name` (ignoring case); returns how many were removed.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Via", "a")?;
    /// headers.append("via", "b")?;
    /// headers.append("Host", "c")?;
    /// assert_eq!(headers.remove("VIA"), 2);
    /// assert_eq!(headers.len(), 1);
    /// assert_eq!(headers.get("host"), Some(&b"c"[..]));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.len();
        let matches = |n: &[u8]| n.eq_ignore_ascii_case(name.as_bytes());
        match &mut self.repr {
            Repr::Parsed { head, entries } => {
                let mut kept = core::mem::take(entries).into_vec();
                kept.retain(|e| !matches(e.name.of(head)));
                *entries = kept.into_boxed_slice();
            }
            Repr::Built(b) => {
                if !wire_fields(b.wire(), b.len as usize).any(|(n, _)| matches(n)) {
                    return 0;
                }
                let fields = b.buf.split_off(b.start as usize);
                let (start, len) = (b.start, b.len);
                *b = Built {
                    buf: core::mem::take(&mut b.buf),
                    start,
                    ..Built::default()
                };
                for (n, v) in wire_fields(&fields, len as usize).filter(|(n, _)| !matches(n)) {
                    b.push(n, v);
                }
            }
        }
        before - self.len()
    }

    /// The value of the first field named `name` (ignoring case).
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Content-Type", "text/plain")?;
    /// assert_eq!(headers.get("content-type"), Some(&b"text/plain"[..]));
    /// assert_eq!(headers.get("accept"), None);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.raw()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// The value of the first field named `name`, if it is valid UTF-8.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Host", "example.com")?;
    /// headers.append("X-Latin-1", b"caf\xe9")?; // obs-text: bytes, not UTF-8
    /// assert_eq!(headers.get_str("host"), Some("example.com"));
    /// assert_eq!(headers.get_str("x-latin-1"), None);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| core::str::from_utf8(v).ok())
    }

    /// The values of every field named `name` (ignoring case), in order.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Set-Cookie", "a=1")?;
    /// headers.append("Set-Cookie", "b=2")?;
    /// let cookies: Vec<&[u8]> = headers.get_all("set-cookie").collect();
    /// assert_eq!(cookies, [&b"a=1"[..], &b"b=2"[..]]);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.raw()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// True when a field named `name` (ignoring case) is present.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Expect", "100-continue")?;
    /// assert!(headers.contains("expect"));
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The number of fields (a name present twice counts twice).
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Via", "a")?;
    /// headers.append("Via", "b")?;
    /// assert_eq!(headers.len(), 2);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Parsed { entries, .. } => entries.len(),
            Repr::Built(b) => b.len as usize,
        }
    }

    /// True when there are no fields.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// assert!(headers.is_empty());
    /// headers.append("Host", "a")?;
    /// assert!(!headers.is_empty());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every field as `(name, value)`, in order, names as they were written.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Host", "a")?;
    /// headers.append("accept", "*/*")?;
    /// let fields: Vec<(&str, &[u8])> = headers.iter().collect();
    /// assert_eq!(fields, [("Host", &b"a"[..]), ("accept", &b"*/*"[..])]);
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter { fields: self.raw() }
    }

    /// True when any field named `name` has `token` in its comma-separated value
    /// (both compared ignoring case), as `Connection: keep-alive, Upgrade` has `upgrade`.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Connection", "keep-alive, Upgrade")?;
    /// headers.append("Accept-Encoding", "gzip;q=1.0")?;
    /// assert!(headers.has_token("connection", "upgrade"));
    /// assert!(!headers.has_token("connection", "close"));
    /// assert!(!headers.has_token("accept-encoding", "gzip")); // a token with parameters
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.get_all(name)
            .flat_map(split_list)
            .any(|t| t.eq_ignore_ascii_case(token.as_bytes()))
    }
}

/// Where a list's fields that steer the protocol are: how many Host, Content-Length,
/// Transfer-Encoding, Connection, Expect and Upgrade fields it has, and where the first
/// Host, Content-Length and Connection field is (its index in a parsed list, where its
/// value starts in a built one: [`Headers::value_at`] reads it), so that framing and
/// connection rules look up only the fields that are present and read a single one
/// directly.
///
/// Its fields are private: a value is made only from a list's own fields, as they are
/// appended to a built list ([`Headers::protocol_fields`]) or in the pass that collects a
/// parsed head's entries ([`Parsed`], which [`Headers::from_parsed`] turns into the list
/// and its protocol fields). So it always describes the list it came with.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProtocolFields {
    host: u16,
    content_length: u16,
    transfer_encoding: u16,
    connection: u16,
    expect: u16,
    upgrade: u16,
    /// Where the first Host field is (valid when `host > 0`).
    host_at: u32,
    /// Where the first Content-Length field is (valid when `content_length > 0`).
    content_length_at: u32,
    /// Where the first Connection field is (valid when `connection > 0`).
    connection_at: u32,
}

/// The entries of a head or trailer section a parser accepted, with their
/// [`ProtocolFields`] found in the same pass.
#[derive(Debug)]
pub(crate) struct Parsed {
    entries: Box<[Entry]>,
    protocol: ProtocolFields,
}

impl Parsed {
    /// Collects `fields`, each a name and where it and its value lie, noting the fields
    /// that steer the protocol as it goes.
    #[inline(always)]
    pub(crate) fn collect<'n>(fields: impl Iterator<Item = (&'n [u8], Entry)>) -> Self {
        let mut protocol = ProtocolFields::default();
        // One exact-size collect: no capacity check per field.
        let entries = fields
            .enumerate()
            .map(|(i, (name, entry))| {
                protocol.note(name, i as u32);
                entry
            })
            .collect();
        Self { entries, protocol }
    }

    /// Where the fields lie.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

impl Headers {
    /// The fields that steer the protocol: noted as a built list's fields were appended,
    /// found in one pass over a parsed list's.
    pub(crate) fn protocol_fields(&self) -> ProtocolFields {
        match &self.repr {
            Repr::Built(b) => b.protocol,
            Repr::Parsed { head, entries } => {
                let mut k = ProtocolFields::default();
                for (i, e) in entries.iter().enumerate() {
                    k.note(e.name.of(head), i as u32);
                }
                k
            }
        }
    }

    /// The value of the field at `at`, a place that this list's [`ProtocolFields`] gave
    /// (an index in a parsed list, where the value starts in a built one).
    pub(crate) fn value_at(&self, at: u32) -> &[u8] {
        match &self.repr {
            Repr::Parsed { head, entries } => entries
                .get(at as usize)
                .map_or(&[][..], |e| e.value.of(head)),
            Repr::Built(b) => {
                // Values that steer the protocol are short: a plain loop finds their end.
                let value = b.buf.get(at as usize..).unwrap_or_default();
                let end = value.iter().position(|&c| c == b'\r').unwrap_or(0);
                &value[..end]
            }
        }
    }

    /// Every field as raw `(name, value)` bytes, without the UTF-8 view of names.
    pub(crate) fn raw(&self) -> Fields<'_> {
        match &self.repr {
            Repr::Parsed { head, entries } => Fields::Parsed {
                head,
                entries: entries.iter(),
            },
            Repr::Built(b) => Fields::Wire {
                rest: b.wire(),
                left: b.len as usize,
            },
        }
    }
}

/// The fields of a list as raw `(name, value)` bytes, in order.
#[derive(Clone)]
pub(crate) enum Fields<'a> {
    Parsed {
        head: &'a [u8],
        entries: core::slice::Iter<'a, Entry>,
    },
    Wire {
        rest: &'a [u8],
        left: usize,
    },
}

/// The first `len` fields of `wire`, a built list's wire form.
fn wire_fields(wire: &[u8], len: usize) -> Fields<'_> {
    Fields::Wire {
        rest: wire,
        left: len,
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a [u8], &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Parsed { head, entries } => {
                let e = entries.next()?;
                Some((e.name.of(head), e.value.of(head)))
            }
            Self::Wire { rest, left } => {
                // `name: value` CRLF: the name has no colon and the value no CR.
                let colon = rest.iter().position(|&b| b == b':')?;
                let (name, after) = rest.split_at(colon);
                let after = after.get(2..)?;
                let cr = memchr::memchr(b'\r', after)?;
                let (value, next) = after.split_at(cr);
                *rest = next.get(2..)?;
                *left -= 1;
                Some((name, value))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match self {
            Self::Parsed { entries, .. } => entries.len(),
            Self::Wire { left, .. } => *left,
        };
        (n, Some(n))
    }
}

impl ProtocolFields {
    /// How many Host fields.
    pub(crate) fn host(&self) -> u16 {
        self.host
    }
    /// How many Content-Length fields.
    pub(crate) fn content_length(&self) -> u16 {
        self.content_length
    }
    /// How many Transfer-Encoding fields.
    pub(crate) fn transfer_encoding(&self) -> u16 {
        self.transfer_encoding
    }
    /// How many Connection fields.
    pub(crate) fn connection(&self) -> u16 {
        self.connection
    }
    /// How many Expect fields.
    pub(crate) fn expect(&self) -> u16 {
        self.expect
    }
    /// How many Upgrade fields.
    pub(crate) fn upgrade(&self) -> u16 {
        self.upgrade
    }
    /// Where the first Host field is (meaningful when there is one).
    pub(crate) fn host_at(&self) -> u32 {
        self.host_at
    }
    /// Where the first Content-Length field is (meaningful when there is one).
    pub(crate) fn content_length_at(&self) -> u32 {
        self.content_length_at
    }
    /// Where the first Connection field is (meaningful when there is one).
    pub(crate) fn connection_at(&self) -> u32 {
        self.connection_at
    }

    /// Counts field `name` at `at`. Names are told apart by length and first letter
    /// (folded to lower case) before any full comparison: in real heads most fields
    /// share a length with a known one (User-Agent and Connection, Cookie and Expect).
    #[inline(always)]
    fn note(&mut self, name: &[u8], at: u32) {
        let first = name.first().map_or(0, |b| b | 0x20);
        let (count, first_at, want): (&mut u16, Option<&mut u32>, &[u8]) = match (name.len(), first)
        {
            (4, b'h') => (&mut self.host, Some(&mut self.host_at), b"host"),
            (6, b'e') => (&mut self.expect, None, b"expect"),
            (7, b'u') => (&mut self.upgrade, None, b"upgrade"),
            (10, b'c') => (
                &mut self.connection,
                Some(&mut self.connection_at),
                b"connection",
            ),
            (14, b'c') => (
                &mut self.content_length,
                Some(&mut self.content_length_at),
                b"content-length",
            ),
            (17, b't') => (&mut self.transfer_encoding, None, b"transfer-encoding"),
            _ => return,
        };
        if !eq_lower(name, want) {
            return;
        }
        if let (0, Some(first)) = (*count, first_at) {
            *first = at;
        }
        *count = count.saturating_add(1);
    }
}

/// Iterator over `(name, value)` pairs of [`Headers`].
///
/// ```
/// let mut headers = h1::Headers::new();
/// headers.append("Host", "a")?;
/// for (name, value) in &headers {
///     assert_eq!((name, value), ("Host", &b"a"[..]));
/// }
/// # Ok::<(), h1::Error>(())
/// ```
pub struct Iter<'a> {
    fields: Fields<'a>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let (name, value) = self.fields.next()?;
        // Names are tokens (checked on parse and on append), so always ASCII.
        let name = core::str::from_utf8(name).unwrap_or_default();
        Some((name, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.fields.size_hint()
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a [u8]);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.iter()
                    .map(|(n, v)| (n, alloc::string::String::from_utf8_lossy(v))),
            )
            .finish()
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Headers {}

/// `have` equals `want` ignoring ASCII case, where `want` is lower-case letters and `-`
/// and `have` holds no CR (a token, or a field value). Setting bit 0x20 of each byte then
/// maps exactly the two cases of a letter to `want`'s (and only `-`/CR to `-`), so the
/// comparison can go 8 bytes at a time.
#[inline]
pub(crate) fn eq_lower(have: &[u8], want: &[u8]) -> bool {
    const CASE: u64 = 0x2020_2020_2020_2020;
    if have.len() != want.len() {
        return false;
    }
    let (mut a, mut b) = (have, want);
    while let (Some((x, a_rest)), Some((y, b_rest))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_le_bytes(*x) | CASE != u64::from_le_bytes(*y) {
            return false;
        }
        (a, b) = (a_rest, b_rest);
    }
    a.iter().zip(b).all(|(x, y)| x | 0x20 == *y)
}

/// The elements of a comma-separated list value, trimmed, empty ones skipped
/// (RFC 9110 §5.6.1: recipients ignore empty list elements).
pub(crate) fn split_list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim)
        .filter(|t| !t.is_empty())
}

pub(crate) fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// `tchar` of RFC 9110 §5.6.2, as a table: one load per byte of a name or method.
static TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8,
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
            | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+'
            | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~');
        b += 1;
    }
    t
};

/// `tchar` of RFC 9110 §5.6.2.
#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

fn validate_name(name: &[u8]) -> Result<(), Error> {
    if is_token(name) {
        Ok(())
    } else {
        Err(Error::input(
            "header field name is not a token (empty, or has whitespace, a separator or a control character)",
        ))
    }
}

/// A field value: VCHAR, obs-text, SP and HTAB, without whitespace at either end.
pub(crate) fn validate_value(value: &[u8]) -> Result<(), Error> {
    if value.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(Error::input(
            "header field value has a control character (CR, LF, NUL, …)",
        ));
    }
    if matches!(value.first(), Some(b' ' | b'\t')) || matches!(value.last(), Some(b' ' | b'\t')) {
        return Err(Error::input(
            "header field value starts or ends with whitespace",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a user sees of the list: its exact length as a size hint, and `{:?}`.
    #[test]
    fn size_hint_and_debug() {
        let mut h = Headers::new();
        assert_eq!(h.iter().size_hint(), (0, Some(0)));
        h.append("Host", "a").unwrap();
        h.append("X", &b"b\xffc"[..]).unwrap();
        let mut it = h.iter();
        assert_eq!(it.size_hint(), (2, Some(2)));
        it.next();
        assert_eq!(it.size_hint(), (1, Some(1)));
        assert_eq!(
            alloc::format!("{h:?}"),
            "[(\"Host\", \"a\"), (\"X\", \"b\u{fffd}c\")]"
        );
    }

    #[test]
    fn lookups_ignore_case_and_keep_order() {
        let mut h = Headers::new();
        h.append("Accept", "a").unwrap();
        h.append("ACCEPT", "b").unwrap();
        h.append("Host", "x").unwrap();
        assert_eq!(h.get("accept"), Some(&b"a"[..]));
        assert_eq!(h.get_all("accept").collect::<Vec<_>>(), [&b"a"[..], b"b"]);
        let names: Vec<_> = h.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["Accept", "ACCEPT", "Host"]);
        assert_eq!(h.remove("accept"), 2);
        assert_eq!(h.len(), 1);
        assert_eq!(h.get_str("host"), Some("x"));
    }

    #[test]
    fn append_refuses_what_could_corrupt_output() {
        let mut h = Headers::new();
        for bad in ["", "a b", "a:b", "a\r\nb", "a\0"] {
            assert!(h.append(bad, "v").is_err(), "{bad:?}");
        }
        for bad in [
            &b"a\r\nb: c"[..],
            b"a\nb",
            b"a\rb",
            b"\0",
            b" lead",
            b"trail\t",
            b"\x7f",
        ] {
            assert!(h.append("n", bad).is_err(), "{bad:?}");
        }
        assert!(h.is_empty());
        h.append("n", b"caf\xc3\xa9 \ttab").unwrap();
        h.append("empty", "").unwrap();
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn append_after_parse_copies_once() {
        let buf = Bytes::from_static(b"Hostexample");
        let entry = Entry {
            name: Span { start: 0, end: 4 },
            value: Span { start: 4, end: 11 },
        };
        let parsed = Parsed::collect([(&b"Host"[..], entry)].into_iter());
        let (mut h, fields) = Headers::from_parsed(buf, parsed);
        assert_eq!((fields.host(), fields.host_at()), (1, 0));
        h.append("Accept", "*/*").unwrap();
        assert_eq!(h.get("host"), Some(&b"example"[..]));
        assert_eq!(h.get("accept"), Some(&b"*/*"[..]));
    }

    /// Both forms of a list fit the same 56 bytes, so a head event stays as small as it was.
    #[test]
    fn a_list_is_56_bytes() {
        assert_eq!(core::mem::size_of::<Headers>(), 56);
    }

    #[test]
    fn built_lists_keep_their_wire_form() {
        let (mut h, line) = Headers::with_prefix(&[b"GET", b" ", b"/"]);
        h.append("Host", "a").unwrap();
        h.append("X-Empty", "").unwrap();
        h.append("host", "b:c").unwrap();
        assert_eq!(line.of(h.storage()), b"GET /");
        assert_eq!(
            h.wire(),
            Some(&b"Host: a\r\nX-Empty: \r\nhost: b:c\r\n"[..])
        );
        assert_eq!(h.raw().size_hint(), (3, Some(3)));
        assert_eq!(h.get_all("HOST").collect::<Vec<_>>(), [&b"a"[..], b"b:c"]);
        assert_eq!(h.get("x-empty"), Some(&b""[..]));
        assert_eq!(h.name_offset("host", 1), Some(line.range().len() + 20));
        let k = h.protocol_fields();
        assert_eq!((k.host(), k.host_at()), (2, 11));
        assert_eq!(h.value_at(k.host_at()), b"a");

        // Removing rewrites the fields after the prefix and notes them again.
        assert_eq!(h.remove("x-empty"), 1);
        assert_eq!(h.remove("x-empty"), 0);
        assert_eq!(line.of(h.storage()), b"GET /");
        assert_eq!(h.wire(), Some(&b"Host: a\r\nhost: b:c\r\n"[..]));
        let k = h.protocol_fields();
        assert_eq!((k.host(), h.value_at(k.host_at())), (2, &b"a"[..]));
        assert_eq!(h.remove("HOST"), 2);
        assert!(h.is_empty());
        assert_eq!(h.protocol_fields(), ProtocolFields::default());
    }

    #[test]
    fn appending_to_a_parsed_list_keeps_what_lies_in_the_head() {
        let head = Bytes::from_static(b"GET / HTTP/1.1\r\nHost:  a \r\nConnection: close\r\n\r\n");
        let span = |from: usize, to: usize| Span {
            start: from as u32,
            end: to as u32,
        };
        let fields = [
            (
                &b"Host"[..],
                Entry {
                    name: span(16, 20),
                    value: span(23, 24),
                },
            ),
            (
                &b"Connection"[..],
                Entry {
                    name: span(27, 37),
                    value: span(39, 44),
                },
            ),
        ];
        let (mut h, k) = Headers::from_parsed(head.clone(), Parsed::collect(fields.into_iter()));
        assert_eq!((k.connection(), k.connection_at()), (1, 1));
        assert_eq!(h.wire(), None);
        h.append("Via", "x").unwrap();
        // The head is kept whole before the fields: a request line in it stays valid.
        assert_eq!(&h.storage()[..head.len()], &head[..]);
        assert_eq!(
            h.wire(),
            Some(&b"Host: a\r\nConnection: close\r\nVia: x\r\n"[..])
        );
        let k = h.protocol_fields();
        assert_eq!((k.host(), k.connection()), (1, 1));
        assert_eq!(h.value_at(k.connection_at()), b"close");
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn protocol_fields_in_one_pass() {
        let mut h = Headers::new();
        for (n, v) in [
            ("HOST", "a"),
            ("Content-Length", "1"),
            ("content-length", "1"),
            ("X-Host", "b"),
            ("Upgrade", "x"),
        ] {
            h.append(n, v).unwrap();
        }
        let k = h.protocol_fields();
        assert_eq!(
            (
                k.host(),
                k.content_length(),
                k.upgrade(),
                k.transfer_encoding(),
                k.connection(),
                k.expect()
            ),
            (1, 2, 1, 0, 0, 0)
        );
    }

    #[test]
    fn eq_lower_is_exact_on_tokens() {
        assert!(eq_lower(b"Content-Length", b"content-length"));
        assert!(eq_lower(b"TRANSFER-ENCODING", b"transfer-encoding"));
        assert!(eq_lower(b"host", b"host"));
        assert!(!eq_lower(b"hosts", b"host"));
        assert!(!eq_lower(b"Content_Length", b"content-length"));
        assert!(!eq_lower(b"Content-Lengtx", b"content-length"));
        assert!(!eq_lower(
            b"content-lengt^",
            b"content-length~"[..14].as_ref()
        ));
        // Every token byte: only the two cases of the same letter match.
        for b in 0u8..=255 {
            if b != b'\r' && b != b'\n' {
                assert_eq!(eq_lower(&[b], b"k"), b == b'k' || b == b'K', "{b}");
                assert_eq!(eq_lower(&[b], b"-"), b == b'-', "{b}");
            }
        }
    }

    #[test]
    fn tokens_in_lists() {
        let mut h = Headers::new();
        h.append("Connection", "keep-alive, ,Upgrade").unwrap();
        assert!(h.has_token("connection", "upgrade"));
        assert!(h.has_token("connection", "KEEP-ALIVE"));
        assert!(!h.has_token("connection", "close"));
        assert_eq!(
            split_list(b" a ,, b\t").collect::<Vec<_>>(),
            [&b"a"[..], b"b"]
        );
    }
}
