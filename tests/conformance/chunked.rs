//! The chunked coding (RFC 9112 §7.1): chunk-size lines, extensions, trailers, and the
//! default limits on heads, start lines, chunk lines and trailer sections.

use super::*;

/// RFC 9112 §7.1: chunk-size lines, extensions, CRLF after data.
pub(crate) mod chunk_lines {
    use super::*;

    cases! {
        size_upper_hex: server(), chunked_post(b"A\r\n0123456789\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("0123456789"), END,
        ];
        size_lower_hex: server(), chunked_post(b"a\r\n0123456789\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("0123456789"), END,
        ];
        size_leading_zeros: server(), chunked_post(b"0000000003\r\nabc\r\n000\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        /// Small chunks already received together are handed out as one `Data` event.
        several_chunks: server(), chunked_post(b"3\r\nabc\r\n1\r\n \r\n2\r\nde\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc de"), END,
        ];
        /// An extension ends a run of small chunks: the general path checks it.
        small_chunks_then_extension: server(), chunked_post(b"3\r\nabc\r\n1;x=y\r\n \r\n2\r\nde\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), data(" de"), END,
        ];
        /// Bad framing after small chunks: the chunks before it are handed out first.
        small_chunks_then_bad_crlf: server(), chunked_post(b"3\r\nabc\r\n1\r\n \r\n2\r\ndeX\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc de"), err(400, "not followed by CRLF"),
        ];
        /// 16 hex digits fit in 64 bits: accepted (the body is then simply incomplete).
        size_u64_max: server(), chunked_post(b"ffffffffffffffff\r\nabc") => [
            CHUNKED_POST_HEAD, data("abc"), NEED_MORE,
        ];
        size_overflow: server(), chunked_post(b"10000000000000000\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "overflows"),
        ];
        size_missing: server(), chunked_post(b"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "not a hexadecimal"),
        ];
        size_missing_before_extension: server(), chunked_post(b";a=b\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "not a hexadecimal"),
        ];
        size_negative: server(), chunked_post(b"-3\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "not a hexadecimal"),
        ];
        size_0x_prefix: server(), chunked_post(b"0x3\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        size_leading_space: server(), chunked_post(b" 3\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "not a hexadecimal"),
        ];
        /// BWS is allowed only before ";": trailing whitespace alone is refused.
        size_trailing_space: server(), chunked_post(b"3 \r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        size_then_garbage: server(), chunked_post(b"3 x\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_token: server(), chunked_post(b"3;a\r\nabc\r\n0;last\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        ext_token_values: server(), chunked_post(b"3;a=b;c=d\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        ext_bws: server(), chunked_post(b"3 ; a = b\t;\tc\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        ext_quoted_string: server(), chunked_post(b"3;a=\"q \\\"x\\\\ ;y\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        ext_empty_name: server(), chunked_post(b"3;\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_empty_value: server(), chunked_post(b"3;a=\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_space_in_name: server(), chunked_post(b"3;a b\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_bad_name_char: server(), chunked_post(b"3;(=b\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_unterminated_quote: server(), chunked_post(b"3;a=\"x\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_ctl_in_quoted: server(), chunked_post(b"3;a=\"\x01\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        /// quoted-pair is `\` then HTAB, SP, VCHAR or obs-text: not NUL, a bare CR or DEL.
        ext_quoted_pair_nul: server(), chunked_post(b"3;a=\"\\\x00\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_quoted_pair_bare_cr: server(), chunked_post(b"3;a=\"\\\r\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_quoted_pair_del: server(), chunked_post(b"3;a=\"\\\x7f\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "chunk extension"),
        ];
        ext_quoted_pair_htab_and_obs_text_ok: server(), chunked_post(b"3;a=\"\\\t\\\xff\"\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        bare_lf_after_size: server(), chunked_post(b"3\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "bare LF"),
        ];
        bare_lf_after_last_chunk_size: server(), chunked_post(b"3\r\nabc\r\n0\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "bare LF"),
        ];
        data_not_followed_by_crlf: server(), chunked_post(b"3\r\nabcX\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF"),
        ];
        data_followed_by_bare_lf: server(), chunked_post(b"3\r\nabc\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF"),
        ];
        data_followed_by_bare_cr: server(), chunked_post(b"3\r\nabc\r0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF"),
        ];
        /// A chunk longer than its size: the extra bytes are where CRLF must be.
        data_longer_than_size: server(), chunked_post(b"3\r\nabcd\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF"),
        ];
        empty_chunked_body: server(), chunked_post(b"0\r\n\r\n") => [CHUNKED_POST_HEAD, END];
        response_chunked_extensions: client("GET"), chunked_200(b"2;x=\"y\"\r\nhi\r\n0\r\n\r\n") => [
            CHUNKED_200_HEAD, data("hi"), END,
        ];
    }
}

/// RFC 9112 §7.1.2: the trailer section.
pub(crate) mod trailers {
    use super::*;

    cases! {
        request_trailers: server(), chunked_post(b"3\r\nabc\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n") => [
            CHUNKED_POST_HEAD,
            data("abc"),
            r#"{"event":"end","trailers":[["X-T","1"],["Y","2"]]}"#,
        ];
        response_trailers: client("GET"), chunked_200(b"0\r\nDigest: sha-256=x\r\n\r\n") => [
            CHUNKED_200_HEAD,
            r#"{"event":"end","trailers":[["Digest","sha-256=x"]]}"#,
        ];
        trailer_bare_lf_refused: server(), chunked_post(b"0\r\nX-T: 1\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "bare LF"),
        ];
        trailer_final_bare_lf_refused: server(), chunked_post(b"3\r\nabc\r\n0\r\n\n") => [
            CHUNKED_POST_HEAD, data("abc"), err(400, "bare LF"),
        ];
        trailer_space_before_colon_refused: server(), chunked_post(b"0\r\nX-T : 1\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "invalid header field name"),
        ];
        trailer_ctl_refused: server(), chunked_post(b"0\r\nX-T: \x00\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "control character"),
        ];
        trailer_obs_fold_in_request_refused: server(), chunked_post(b"0\r\nX-T: 1\r\n 2\r\n\r\n") => [
            CHUNKED_POST_HEAD, err(400, "obs-fold"),
        ];
        /// §5.2 applies to every field line a user agent receives, trailers included.
        trailer_obs_fold_in_response_unfolded: client("GET"), chunked_200(b"0\r\nX-T: 1\r\n 2\r\n\r\n") => [
            CHUNKED_200_HEAD,
            r#"{"event":"end","trailers":[["X-T","1   2"]]}"#,
        ];
        /// After the trailers, the next request follows.
        trailers_then_next_request: server(),
            [chunked_post(b"0\r\nX: 1\r\n\r\n"), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec()].concat() => [
            CHUNKED_POST_HEAD,
            r#"{"event":"end","trailers":[["X","1"]]}"#,
            GET_A,
            END,
        ];
    }
}

/// Default limits, through the tracer: status 414, 431, 400.
pub(crate) mod limits_default {
    use super::*;

    cases! {
        request_line_too_long_414: server(),
            format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", filler(9000)) => [err(414, "request line")];
        request_line_too_long_incomplete_414: server(),
            format!("GET /{}", filler(9000)) => [err(414, "request line")];
        head_too_large_431: server(),
            format!("GET / HTTP/1.1\r\nHost: a\r\nX: {}\r\n\r\n", filler(33_000)) => [err(431, "the head")];
        head_too_large_incomplete_431: server(),
            format!("GET / HTTP/1.1\r\nHost: a\r\nX: {}", filler(33_000)) => [err(431, "the head")];
        too_many_headers_431: server(),
            format!("GET / HTTP/1.1\r\nHost: a\r\n{}\r\n", "X: 1\r\n".repeat(256)) => [err(431, "too many header fields")];
        /// Host and 255 more: exactly the default `max_headers` (256), as proxies and CDNs
        /// send.
        headers_at_default_limit_ok: server(),
            format!("GET / HTTP/1.1\r\nHost: a\r\n{}\r\n", "X: 1\r\n".repeat(255)) => [
            format!(
                r#"{{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"]{}]}}"#,
                r#",["X","1"]"#.repeat(255)
            ),
            END,
        ];
        /// Host and 100 more: far from the limit.
        host_and_hundred_headers_ok: server(),
            format!("GET / HTTP/1.1\r\nHost: a\r\n{}\r\n", "X: 1\r\n".repeat(100)) => [
            format!(
                r#"{{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"]{}]}}"#,
                r#",["X","1"]"#.repeat(100)
            ),
            END,
        ];
        status_line_too_long_400: client("GET"),
            format!("HTTP/1.1 200 {}\r\n\r\n", filler(9000)) => [client_err("status line")];
        chunk_line_too_long_400: server(),
            chunked_post(format!("3;a={}\r\nabc\r\n0\r\n\r\n", filler(1100)).as_bytes()) => [
            CHUNKED_POST_HEAD, err(400, "chunk-size line"),
        ];
        chunk_line_too_long_incomplete_400: server(),
            chunked_post(format!("3;a={}", filler(1100)).as_bytes()) => [
            CHUNKED_POST_HEAD, err(400, "chunk-size line"),
        ];
        trailer_section_too_large_431: server(),
            chunked_post(format!("0\r\nX: {}\r\n\r\n", filler(17_000)).as_bytes()) => [
            CHUNKED_POST_HEAD, err(431, "trailer section"),
        ];
    }
}
