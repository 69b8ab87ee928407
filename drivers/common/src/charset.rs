//! Text from body lines: the charset named by `Content-Type`, a caller's fallback when it
//! names none, and what to do with bytes that are not valid in it.
//!
//! UTF-8, US-ASCII and ISO-8859-1 are built in; every other WHATWG charset (GBK,
//! Shift_JIS, windows-1252, …) comes through `encoding_rs` with the `encoding` feature.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind};

/// What to do with bytes that are not valid in the charset.
///
/// ```
/// use h1_common::{Charset, ErrorKind, Malformed};
///
/// assert_eq!(Malformed::default(), Malformed::Error);
/// let e = Charset::US_ASCII.decode(b"na\xefve", Malformed::Error).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::Decode);
/// assert_eq!(Charset::US_ASCII.decode(b"na\xefve", Malformed::Replace)?, "na\u{fffd}ve");
/// # Ok::<(), h1_common::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Malformed {
    /// Fail with an [`ErrorKind::Decode`] error (the default).
    #[default]
    Error,
    /// Replace each malformed sequence with U+FFFD, as Python's `errors="replace"`.
    Replace,
}

/// A character encoding for body text.
///
/// ```
/// use h1_common::{Charset, Malformed};
///
/// let latin1 = Charset::for_label("ISO-8859-1").unwrap();
/// assert_eq!(latin1.decode(b"caf\xe9", Malformed::Error)?, "café");
/// assert!(Charset::UTF_8.decode(b"caf\xe9", Malformed::Error).is_err());
/// assert_eq!(Charset::UTF_8.decode(b"caf\xe9", Malformed::Replace)?, "caf\u{fffd}");
/// # Ok::<(), h1_common::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charset(Inner);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inner {
    Utf8,
    Ascii,
    Latin1,
    #[cfg(feature = "encoding")]
    Other(&'static encoding_rs::Encoding),
}

impl Charset {
    /// UTF-8, the default fallback.
    pub const UTF_8: Self = Self(Inner::Utf8);
    /// US-ASCII: bytes above 0x7F are malformed.
    pub const US_ASCII: Self = Self(Inner::Ascii);
    /// ISO-8859-1 (Latin-1): every byte is the code point of the same value.
    pub const ISO_8859_1: Self = Self(Inner::Latin1);

    /// The charset a label names (case-insensitive, surrounding whitespace ignored), or
    /// `None` when it is unknown. UTF-8, US-ASCII and ISO-8859-1 are always known; with the
    /// `encoding` feature, every label of the WHATWG Encoding Standard is.
    ///
    /// ```
    /// assert_eq!(h1_common::Charset::for_label(" utf8 "), Some(h1_common::Charset::UTF_8));
    /// assert_eq!(h1_common::Charset::for_label("no-such-charset"), None);
    /// ```
    pub fn for_label(label: &str) -> Option<Self> {
        let label = label.trim();
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(label));
        if is(&["utf-8", "utf8", "unicode-1-1-utf-8"]) {
            return Some(Self::UTF_8);
        }
        if is(&["us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us"]) {
            return Some(Self::US_ASCII);
        }
        if is(&[
            "iso-8859-1",
            "iso8859-1",
            "latin1",
            "l1",
            "iso_8859-1",
            "cp819",
        ]) {
            return Some(Self::ISO_8859_1);
        }
        #[cfg(feature = "encoding")]
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return Some(Self(Inner::Other(enc)));
        }
        None
    }

    /// The charset's name.
    ///
    /// ```
    /// assert_eq!(h1_common::Charset::ISO_8859_1.name(), "ISO-8859-1");
    /// ```
    pub fn name(&self) -> &'static str {
        match self.0 {
            Inner::Utf8 => "UTF-8",
            Inner::Ascii => "US-ASCII",
            Inner::Latin1 => "ISO-8859-1",
            #[cfg(feature = "encoding")]
            Inner::Other(enc) => enc.name(),
        }
    }

    /// Decodes `bytes` (one whole line: multi-byte sequences never straddle two calls).
    ///
    /// # Errors
    /// [`ErrorKind::Decode`] for a malformed sequence when `malformed` is
    /// [`Malformed::Error`].
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use h1_common::{Charset, Malformed};
    ///
    /// // Valid UTF-8 is borrowed, not copied.
    /// assert!(matches!(Charset::UTF_8.decode(b"plain", Malformed::Error)?, Cow::Borrowed("plain")));
    /// assert_eq!(Charset::ISO_8859_1.decode(b"\xbfqu\xe9?", Malformed::Error)?, "¿qué?");
    /// assert!(Charset::UTF_8.decode(b"\xff", Malformed::Error).is_err());
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn decode<'a>(&self, bytes: &'a [u8], malformed: Malformed) -> Result<Cow<'a, str>, Error> {
        let bad = || {
            Error::new(
                ErrorKind::Decode,
                format!("the text is not valid {}", self.name()),
            )
        };
        match (self.0, malformed) {
            (Inner::Utf8, Malformed::Error) => std::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|_| bad()),
            (Inner::Utf8, Malformed::Replace) => Ok(String::from_utf8_lossy(bytes)),
            (Inner::Ascii, _) if bytes.is_ascii() => Ok(Cow::Borrowed(
                std::str::from_utf8(bytes).map_err(|_| bad())?,
            )),
            (Inner::Ascii, Malformed::Error) => Err(bad()),
            (Inner::Ascii, Malformed::Replace) => Ok(Cow::Owned(
                bytes
                    .iter()
                    .map(|&b| if b.is_ascii() { b as char } else { '\u{fffd}' })
                    .collect(),
            )),
            (Inner::Latin1, _) if bytes.is_ascii() => Ok(Cow::Borrowed(
                std::str::from_utf8(bytes).map_err(|_| bad())?,
            )),
            (Inner::Latin1, _) => Ok(Cow::Owned(bytes.iter().map(|&b| b as char).collect())),
            #[cfg(feature = "encoding")]
            (Inner::Other(enc), Malformed::Error) => enc
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or_else(bad),
            #[cfg(feature = "encoding")]
            (Inner::Other(enc), Malformed::Replace) => Ok(enc.decode_without_bom_handling(bytes).0),
        }
    }
}

/// The `charset` parameter of a `Content-Type` value, unquoted; `None` when there is none.
///
/// ```
/// use h1_common::content_type_charset;
/// assert_eq!(content_type_charset(b"text/plain; charset=\"Shift_JIS\""), Some("Shift_JIS".into()));
/// assert_eq!(content_type_charset(b"application/json"), None);
/// ```
pub fn content_type_charset(content_type: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(content_type).ok()?;
    let mut rest = text.split_once(';')?.1;
    loop {
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            // quoted-string: a backslash escapes the next character.
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            let rest = &quoted[end?..];
            (value, rest.split_once(';').map_or("", |(_, r)| r))
        } else {
            let (v, r) = after.split_once(';').unwrap_or((after, ""));
            (v.trim().to_owned(), r)
        };
        if name.trim().eq_ignore_ascii_case("charset") {
            return (!value.is_empty()).then_some(value);
        }
        if next.is_empty() {
            return None;
        }
        rest = next;
    }
}

/// How body lines become text: the charset when `Content-Type` names none, and what to
/// do with malformed bytes.
///
/// ```
/// use h1_common::{Charset, Malformed, TextOptions};
///
/// let opts = TextOptions::default().fallback(Charset::ISO_8859_1).malformed(Malformed::Replace);
/// let decoder = opts.decoder(Some(b"text/csv"))?;
/// assert_eq!(decoder.charset(), Charset::ISO_8859_1);
/// assert_eq!(decoder.decode(b"\xe9t\xe9")?, "été");
/// # Ok::<(), h1_common::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    fallback: Charset,
    malformed: Malformed,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self {
            fallback: Charset::UTF_8,
            malformed: Malformed::Error,
        }
    }
}

impl TextOptions {
    /// The charset used when `Content-Type` names none (default UTF-8).
    ///
    /// ```
    /// use h1_common::{Charset, TextOptions};
    ///
    /// let opts = TextOptions::default().fallback(Charset::ISO_8859_1);
    /// assert_eq!(opts.decoder(Some(b"text/plain"))?.charset(), Charset::ISO_8859_1);
    /// // A charset the head names wins over the fallback.
    /// let named = opts.decoder(Some(b"text/plain; charset=utf-8"))?;
    /// assert_eq!(named.charset(), Charset::UTF_8);
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    #[must_use]
    pub fn fallback(mut self, charset: Charset) -> Self {
        self.fallback = charset;
        self
    }

    /// What malformed bytes do (default: an error).
    ///
    /// ```
    /// use h1_common::{Malformed, TextOptions};
    ///
    /// let strict = TextOptions::default().decoder(None)?;
    /// assert!(strict.decode(b"ok\xff").is_err());
    /// let lenient = TextOptions::default().malformed(Malformed::Replace).decoder(None)?;
    /// assert_eq!(lenient.decode(b"ok\xff")?, "ok\u{fffd}");
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    #[must_use]
    pub fn malformed(mut self, malformed: Malformed) -> Self {
        self.malformed = malformed;
        self
    }

    /// The decoder for a body whose `Content-Type` value is `content_type`.
    ///
    /// # Errors
    /// [`ErrorKind::Decode`] when `Content-Type` names a charset this build does not know
    /// (other than UTF-8, US-ASCII and ISO-8859-1 without the `encoding` feature).
    ///
    /// ```
    /// use h1_common::{Charset, ErrorKind, TextOptions};
    ///
    /// let opts = TextOptions::default();
    /// assert_eq!(opts.decoder(None)?.charset(), Charset::UTF_8);
    /// let ascii = opts.decoder(Some(b"text/plain; charset=us-ascii"))?;
    /// assert_eq!(ascii.charset(), Charset::US_ASCII);
    /// let e = opts.decoder(Some(b"text/plain; charset=x-unknown")).unwrap_err();
    /// assert_eq!(e.kind(), ErrorKind::Decode);
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn decoder(&self, content_type: Option<&[u8]>) -> Result<TextDecoder, Error> {
        let charset = match content_type.and_then(content_type_charset) {
            None => self.fallback,
            Some(label) => Charset::for_label(&label).ok_or_else(|| {
                let hint = if cfg!(feature = "encoding") {
                    ""
                } else {
                    " (charsets other than UTF-8, US-ASCII and ISO-8859-1 need the `encoding` feature)"
                };
                Error::new(
                    ErrorKind::Decode,
                    format!("unknown charset {label:?} in Content-Type{hint}"),
                )
            })?,
        };
        Ok(TextDecoder {
            charset,
            malformed: self.malformed,
        })
    }
}

/// Decodes lines in one charset; made by [`TextOptions::decoder`].
///
/// ```
/// use h1_common::TextOptions;
///
/// let decoder = TextOptions::default().decoder(Some(b"text/plain; charset=latin1"))?;
/// let lines: Vec<String> =
///     [&b"gr\xfc\xdf"[..], b"gott"].iter().map(|l| decoder.decode(l)).collect::<Result<_, _>>()?;
/// assert_eq!(lines, ["grüß", "gott"]);
/// # Ok::<(), h1_common::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDecoder {
    charset: Charset,
    malformed: Malformed,
}

impl TextDecoder {
    /// The charset in use.
    ///
    /// ```
    /// use h1_common::TextOptions;
    ///
    /// let decoder = TextOptions::default().decoder(Some(b"text/html; charset=ISO-8859-1"))?;
    /// assert_eq!(decoder.charset().name(), "ISO-8859-1");
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// One line as text.
    ///
    /// # Errors
    /// [`ErrorKind::Decode`] for malformed bytes, unless replacing was chosen.
    ///
    /// ```
    /// use h1_common::{ErrorKind, TextOptions};
    ///
    /// let decoder = TextOptions::default().decoder(Some(b"text/plain; charset=utf-8"))?;
    /// assert_eq!(decoder.decode("naïve".as_bytes())?, "naïve");
    /// assert_eq!(decoder.decode(b"na\xefve").unwrap_err().kind(), ErrorKind::Decode);
    /// # Ok::<(), h1_common::Error>(())
    /// ```
    pub fn decode(&self, line: &[u8]) -> Result<String, Error> {
        self.charset
            .decode(line, self.malformed)
            .map(Cow::into_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_parameter_forms() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"text/plain;charset=utf-8", Some("utf-8")),
            (b"text/plain ; CHARSET = latin1 ; q=1", Some("latin1")),
            (
                b"text/plain; format=\"a;b\"; charset=\"x\\\"y\"",
                Some("x\"y"),
            ),
            (b"text/plain; format=flowed", None),
            (b"text/plain; charset=", None),
            (b"text/plain; charset=\"unterminated", None),
            (b"text/plain", None),
            (b"\xff; charset=utf-8", None),
        ];
        for (value, want) in cases {
            assert_eq!(
                content_type_charset(value).as_deref(),
                *want,
                "{:?}",
                String::from_utf8_lossy(value)
            );
        }
    }

    #[test]
    fn builtin_charsets() {
        assert_eq!(Charset::for_label("LATIN1"), Some(Charset::ISO_8859_1));
        assert_eq!(
            Charset::US_ASCII
                .decode(b"a\x80", Malformed::Replace)
                .unwrap(),
            "a\u{fffd}"
        );
        let e = Charset::US_ASCII
            .decode(b"a\x80", Malformed::Error)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(
            Charset::ISO_8859_1
                .decode(b"\xff", Malformed::Error)
                .unwrap(),
            "\u{ff}"
        );
    }

    #[test]
    fn decoder_uses_content_type_then_fallback() {
        let opts = TextOptions::default().fallback(Charset::ISO_8859_1);
        let d = opts.decoder(Some(b"text/plain; charset=utf-8")).unwrap();
        assert_eq!(d.decode("é".as_bytes()).unwrap(), "é");
        let d = opts.decoder(None).unwrap();
        assert_eq!(d.decode(b"\xe9").unwrap(), "é");
        let e = opts
            .decoder(Some(b"text/plain; charset=x-unknown-7"))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[cfg(feature = "encoding")]
    #[test]
    fn other_charsets_through_encoding_rs() {
        let d = TextOptions::default()
            .decoder(Some(b"text/plain; charset=Shift_JIS"))
            .unwrap();
        // "日本" in Shift_JIS.
        assert_eq!(d.decode(b"\x93\xfa\x96\x7b").unwrap(), "日本");
        let d = TextOptions::default()
            .decoder(Some(b"text/plain; charset=gbk"))
            .unwrap();
        assert_eq!(d.decode(b"\xc4\xe3\xba\xc3").unwrap(), "你好");
        let bad = d.decode(b"\xc4").unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::Decode);
    }
}
