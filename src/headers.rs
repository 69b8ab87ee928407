//! An ordered list of header fields: names keep their case and compare ignoring it.
//!
//! A received head is stored as one refcounted [`Bytes`] (the whole head) plus offsets into
//! it, so a head with twenty fields costs one allocation for the offsets and no copies.

use alloc::vec::Vec;
use bytes::Bytes;
use core::fmt;

use crate::error::Error;

/// The storage and entries a list built by [`Headers::append`] starts with: room for a
/// small head (a few fields) in one allocation each.
const FIRST_STORAGE: usize = 128;
const FIRST_ENTRIES: usize = 8;

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
    buf: Storage,
    entries: Vec<Entry>,
}

#[derive(Clone)]
enum Storage {
    Shared(Bytes),
    Owned(Vec<u8>),
}

impl Default for Storage {
    fn default() -> Self {
        // An empty `Vec` drops with no call (an empty `Bytes` calls through its vtable).
        Self::Owned(Vec::new())
    }
}

impl Storage {
    fn as_slice(&self) -> &[u8] {
        match self {
            Self::Shared(b) => b,
            Self::Owned(v) => v,
        }
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

/// Where one field lies in the storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: Span,
    pub(crate) value: Span,
}

impl Entry {
    fn name<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        self.name.of(buf)
    }
    fn value<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        self.value.of(buf)
    }
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
        self.buf.as_slice()
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
        let buf = self.buf.as_slice();
        self.entries
            .iter()
            .filter(|e| e.name(buf).eq_ignore_ascii_case(name.as_bytes()))
            .nth(n)
            .map(|e| e.name.start as usize)
    }

    /// The head the fields were parsed from, while they still lie in it.
    pub(crate) fn shared(&self) -> Option<&Bytes> {
        match &self.buf {
            Storage::Shared(b) => Some(b),
            Storage::Owned(_) => None,
        }
    }

    /// An empty list whose storage begins with `parts` (a request line kept with the
    /// fields; no field) and has room for a small head. Returns where the parts lie.
    pub(crate) fn with_prefix(parts: &[&[u8]]) -> (Self, Span) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut v = Vec::with_capacity(len + FIRST_STORAGE);
        for p in parts {
            v.extend_from_slice(p);
        }
        let end = u32::try_from(len).unwrap_or(u32::MAX);
        let headers = Self {
            buf: Storage::Owned(v),
            entries: Vec::new(),
        };
        (headers, Span { start: 0, end })
    }

    /// Headers parsed out of `buf` (every entry must lie within it), and their protocol
    /// fields.
    pub(crate) fn from_parsed(buf: Bytes, parsed: Parsed) -> (Self, ProtocolFields) {
        let headers = Self {
            buf: Storage::Shared(buf),
            entries: parsed.entries,
        };
        (headers, parsed.protocol)
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
        let v = match &mut self.buf {
            Storage::Owned(v) => v,
            Storage::Shared(b) => {
                self.buf = Storage::Owned(b.to_vec());
                match &mut self.buf {
                    Storage::Owned(v) => v,
                    Storage::Shared(_) => unreachable!("just replaced"),
                }
            }
        };
        // One reservation for name and value; a first field reserves room for a few more,
        // so that building a small head does not reallocate at every field.
        let add = name.len() + value.len();
        v.reserve(if v.capacity() == 0 {
            add.max(FIRST_STORAGE)
        } else {
            add
        });
        if self.entries.capacity() == 0 {
            self.entries.reserve(FIRST_ENTRIES);
        }
        let too_big = || Error::input("headers larger than 4 GiB");
        let start = u32::try_from(v.len()).map_err(|_| too_big())?;
        v.extend_from_slice(name.as_bytes());
        let mid = u32::try_from(v.len()).map_err(|_| too_big())?;
        v.extend_from_slice(value);
        let end = u32::try_from(v.len()).map_err(|_| too_big())?;
        self.entries.push(Entry {
            name: Span { start, end: mid },
            value: Span { start: mid, end },
        });
        Ok(())
    }

    /// Removes every field named `name` (ignoring case); returns how many were removed.
    ///
    /// ```
    /// let mut headers = h1::Headers::new();
    /// headers.append("Via", "a")?;
    /// headers.append("via", "b")?;
    /// assert_eq!(headers.remove("VIA"), 2);
    /// assert!(headers.is_empty());
    /// # Ok::<(), h1::Error>(())
    /// ```
    pub fn remove(&mut self, name: &str) -> usize {
        let buf = self.buf.as_slice();
        let before = self.entries.len();
        self.entries
            .retain(|e| !e.name(buf).eq_ignore_ascii_case(name.as_bytes()));
        before - self.entries.len()
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
        let buf = self.buf.as_slice();
        self.entries
            .iter()
            .find(|e| e.name(buf).eq_ignore_ascii_case(name.as_bytes()))
            .map(|e| e.value(buf))
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
        let buf = self.buf.as_slice();
        self.entries
            .iter()
            .filter(move |e| e.name(buf).eq_ignore_ascii_case(name.as_bytes()))
            .map(move |e| e.value(buf))
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
        self.entries.len()
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
        self.entries.is_empty()
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
        Iter {
            buf: self.buf.as_slice(),
            entries: self.entries.iter(),
        }
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
/// Transfer-Encoding, Connection, Expect and Upgrade fields it has, and the index of the
/// first Host, Content-Length and Connection field, so that framing and connection rules
/// look up only the fields that are present and read a single one directly.
///
/// Its fields are private: a value is made only from a list's own entries, by
/// [`Headers::protocol_fields`] (a list about to be sent) or in the pass that collects a
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
    /// Index of the first Host field (valid when `host > 0`).
    host_at: usize,
    /// Index of the first Content-Length field (valid when `content_length > 0`).
    content_length_at: usize,
    /// Index of the first Connection field (valid when `connection > 0`).
    connection_at: usize,
}

/// The entries of a head or trailer section a parser accepted, with their
/// [`ProtocolFields`] found in the same pass.
#[derive(Debug)]
pub(crate) struct Parsed {
    entries: Vec<Entry>,
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
                protocol.note(name, i);
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
    /// Finds the fields that steer the protocol (one pass over the fields).
    pub(crate) fn protocol_fields(&self) -> ProtocolFields {
        let buf = self.buf.as_slice();
        let mut k = ProtocolFields::default();
        for (i, e) in self.entries.iter().enumerate() {
            k.note(e.name(buf), i);
        }
        k
    }

    /// The value of the field at `index` (in order).
    pub(crate) fn value_at(&self, index: usize) -> &[u8] {
        self.entries
            .get(index)
            .map_or(&[][..], |e| e.value(self.buf.as_slice()))
    }

    /// Every field as raw `(name, value)` bytes, without the UTF-8 view of names.
    pub(crate) fn raw(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        let buf = self.buf.as_slice();
        self.entries
            .iter()
            .map(move |e| (e.name(buf), e.value(buf)))
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
    /// The index of the first Host field (meaningful when there is one).
    pub(crate) fn host_at(&self) -> usize {
        self.host_at
    }
    /// The index of the first Content-Length field (meaningful when there is one).
    pub(crate) fn content_length_at(&self) -> usize {
        self.content_length_at
    }
    /// The index of the first Connection field (meaningful when there is one).
    pub(crate) fn connection_at(&self) -> usize {
        self.connection_at
    }

    /// Counts field `name` at `index`. Names are told apart by length and first letter
    /// (folded to lower case) before any full comparison: in real heads most fields
    /// share a length with a known one (User-Agent and Connection, Cookie and Expect).
    #[inline(always)]
    fn note(&mut self, name: &[u8], index: usize) {
        let first = name.first().map_or(0, |b| b | 0x20);
        let (count, at, want): (&mut u16, Option<&mut usize>, &[u8]) = match (name.len(), first) {
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
        if let (0, Some(at)) = (*count, at) {
            *at = index;
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
    buf: &'a [u8],
    entries: core::slice::Iter<'a, Entry>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let e = self.entries.next()?;
        // Names are tokens (checked on parse and on append), so always ASCII.
        let name = core::str::from_utf8(e.name(self.buf)).unwrap_or_default();
        Some((name, e.value(self.buf)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
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
