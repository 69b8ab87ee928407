//! RFC 9112 §6.3, the eight rules of message body length, one group per rule.

use super::*;

/// RFC 9112 §6.3 rule 1: responses to HEAD, 1xx, 204 and 304 have no body, whatever
/// their framing headers say.
pub(crate) mod rule1_no_body {
    use super::*;

    cases! {
        head_response_with_content_length: client("HEAD"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","5"]]}"#,
            END,
        ];
        head_response_with_chunked: client("HEAD"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" => [CHUNKED_200_HEAD, END];
        /// The bytes after a HEAD response's head are the next response, not its body.
        head_response_bytes_after_are_next_response: client("HEAD"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3"]]}"#,
            END,
            r#"{"event":"head","status":404,"reason":"Not Found","version":"1.1","headers":[["Content-Length","3"]]}"#,
            END,
        ];
        status_204_with_content_length: client("GET"),
            b"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n" => [
            r#"{"event":"head","status":204,"reason":"No Content","version":"1.1","headers":[["Content-Length","3"]]}"#,
            END,
        ];
        status_304_with_content_length: client("GET"),
            b"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n" => [
            r#"{"event":"head","status":304,"reason":"Not Modified","version":"1.1","headers":[["Content-Length","9"]]}"#,
            END,
        ];
        status_304_with_chunked: client("GET"),
            b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n" => [
            r#"{"event":"head","status":304,"reason":"Not Modified","version":"1.1","headers":[["Transfer-Encoding","chunked"]]}"#,
            END,
        ];
        /// A 1xx is a head of its own with no `end`; its Content-Length frames nothing.
        status_1xx_with_content_length: client("GET"),
            b"HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi" => [
            r#"{"event":"head","status":100,"reason":"Continue","version":"1.1","headers":[["Content-Length","5"]]}"#,
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","2"]]}"#,
            data("hi"),
            END,
        ];
        /// A 204 body would be the next response: here it is not one.
        status_204_bytes_after_are_not_a_body: client("GET"),
            b"HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nabc" => [
            r#"{"event":"head","status":204,"reason":"No Content","version":"1.1","headers":[["Content-Length","3"]]}"#,
            END,
            // `abc` cannot start a response: refused at its first byte.
            client_err("invalid status line"),
        ];
    }
}

/// RFC 9112 §6.3 rule 2: a 2xx answer to CONNECT starts a tunnel; its framing headers are
/// ignored and the tracer prints nothing after it.
pub(crate) mod rule2_connect {
    use super::*;

    cases! {
        connect_200_switches_with_trailing_bytes: client("CONNECT"),
            b"HTTP/1.1 200 OK\r\n\r\n\x16\x03\x01 tunnel bytes" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[]}"#,
        ];
        connect_2xx_content_length_ignored: client("CONNECT"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3"]]}"#,
        ];
        connect_non_2xx_has_a_body: client("CONNECT"),
            b"HTTP/1.1 407 Proxy Auth\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc" => [
            r#"{"event":"head","status":407,"reason":"Proxy Auth","version":"1.1","headers":[["Content-Length","3"],["Connection","close"]]}"#,
            data("abc"),
            END,
        ];
        /// Server role: a CONNECT request is traced, then the tool's 2xx answer switches.
        connect_request_server_role: server(),
            b"CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n\x16\x03" => [
            r#"{"event":"head","method":"CONNECT","target":"a.example:443","version":"1.1","headers":[["Host","a.example:443"]]}"#,
            END,
        ];
    }
}

/// RFC 9112 §6.3 rule 3: Transfer-Encoding with Content-Length.
pub(crate) mod rule3_te_with_cl {
    use super::*;

    cases! {
        /// Response: Transfer-Encoding wins; the connection must close after it, so bytes
        /// after the response are refused.
        response_te_wins_then_close: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n3\r\nabc\r\n0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","chunked"],["Content-Length","100"]]}"#,
            data("abc"),
            END,
        ];
        response_te_with_cl_no_reuse: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3"],["Transfer-Encoding","chunked"]]}"#,
            END,
            client_err("no response was due"),
        ];
        request_te_with_cl_refused: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n" => [
            err(400, "both Transfer-Encoding and Content-Length"),
        ];
        request_cl_with_te_refused: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc" => [
            err(400, "both Transfer-Encoding and Content-Length"),
        ];
    }
}

/// RFC 9112 §6.3 rule 4 and §6.1: Transfer-Encoding.
pub(crate) mod rule4_transfer_encoding {
    use super::*;

    cases! {
        request_chunked: server(), chunked_post(b"3\r\nabc\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD, data("abc"), END,
        ];
        request_chunked_case_insensitive: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Transfer-Encoding","ChUnKeD"]]}"#,
            END,
        ];
        /// Empty list elements are allowed (RFC 9110 §5.6.1).
        request_chunked_empty_list_elements: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked,\r\n\r\n0\r\n\r\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Transfer-Encoding",",chunked,"]]}"#,
            END,
        ];
        request_not_ending_in_chunked_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc" => [
            err(400, "does not end in chunked"),
        ];
        request_chunked_then_gzip_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabc" => [
            err(400, "does not end in chunked"),
        ];
        request_unknown_coding_501: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" => [
            err(501, "other than chunked"),
        ];
        request_unknown_coding_two_fields_501: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-custom\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => [
            err(501, "other than chunked"),
        ];
        request_chunked_twice_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" => [
            err(400, "more than once"),
        ];
        request_chunked_twice_in_two_fields_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => [
            err(400, "more than once"),
        ];
        request_chunked_with_params_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n" => [
            err(400, "no parameters"),
        ];
        request_empty_te_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n" => [
            err(400, "Transfer-Encoding is empty"),
        ];
        request_te_invalid_coding_400: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n" => [
            err(400, "invalid coding"),
        ];
        request_te_in_http10_400: server(),
            b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => [
            err(400, "HTTP/1.0 request"),
        ];
        response_chunked: client("GET"), chunked_200(b"5\r\nhello\r\n0\r\n\r\n") => [
            CHUNKED_200_HEAD, data("hello"), END,
        ];
        /// gzip, chunked: chunked is final, so the body is chunked (the coding is left to the user).
        response_gzip_then_chunked: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","gzip, chunked"]]}"#,
            data("abc"),
            END,
        ];
        response_not_ending_in_chunked_until_close: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","gzip"]]}"#,
            data("3\\u000d\\u000aabc\\u000d\\u000a0\\u000d\\u000a\\u000d\\u000a"),
            END,
        ];
        response_chunked_then_gzip_until_close: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nxyz" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","chunked, gzip"]]}"#,
            data("xyz"),
            END,
        ];
        response_chunked_twice_400: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" => [
            client_err("more than once"),
        ];
        response_chunked_with_params_400: client("GET"),
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;a=b\r\n\r\n0\r\n\r\n" => [
            client_err("no parameters"),
        ];
        response_te_in_http10_refused: client("GET"),
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => [
            client_err("HTTP/1.0 response"),
        ];
    }
}

/// RFC 9112 §6.3 rule 5: invalid or conflicting Content-Length is refused; identical
/// duplicates are our choice (RFC 9110 §8.6): refused in requests, merged in responses.
pub(crate) mod rule5_bad_content_length {
    use super::*;

    cases! {
        request_differing_fields: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" => [
            err(400, "more than one Content-Length"),
        ];
        request_identical_fields_refused: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc" => [
            err(400, "more than one Content-Length"),
        ];
        request_identical_list_refused: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc" => [
            err(400, "more than one Content-Length"),
        ];
        request_negative: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n" => [
            err(400, "not a non-negative decimal"),
        ];
        request_plus_sign: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc" => [
            err(400, "not a non-negative decimal"),
        ];
        request_hex: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\nabc" => [
            err(400, "not a non-negative decimal"),
        ];
        request_empty: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n" => [
            err(400, "not a non-negative decimal"),
        ];
        request_inner_space: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\nabc" => [
            err(400, "not a non-negative decimal"),
        ];
        request_overflow: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n" => [
            err(400, "overflows"),
        ];
        response_identical_fields_accepted: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3"],["Content-Length","3"]]}"#,
            data("abc"),
            END,
        ];
        response_identical_list_accepted: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3, 3"]]}"#,
            data("abc"),
            END,
        ];
        response_differing_fields: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" => [
            client_err("values differ"),
        ];
        response_differing_list: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 3,4\r\n\r\nabcd" => [
            client_err("values differ"),
        ];
        response_not_a_number: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: three\r\n\r\nabc" => [
            client_err("not a non-negative decimal"),
        ];
    }
}

/// RFC 9112 §6.3 rule 6: a valid Content-Length frames exactly that many bytes.
pub(crate) mod rule6_content_length {
    use super::*;

    cases! {
        request_body: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","3"]]}"#,
            data("abc"),
            END,
        ];
        request_leading_zeros: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","003"]]}"#,
            data("abc"),
            END,
        ];
        request_zero: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","0"]]}"#,
            END,
        ];
        /// Bytes after the announced length are the next request.
        request_body_then_next_request: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","3"]]}"#,
            data("abc"),
            END,
            GET_A,
            END,
        ];
        request_body_binary: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\x00\r\n\xff" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","4"]]}"#,
            data("\\u0000\\u000d\\u000a\\u00ff"),
            END,
        ];
        response_body: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","5"]]}"#,
            data("hello"),
            END,
        ];
    }
}

/// RFC 9112 §6.3 rule 7: a request with neither header has no body.
pub(crate) mod rule7_request_no_body {
    use super::*;

    cases! {
        get_without_framing: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n" => [GET_A, END];
        /// The bytes after it are not a body: they are read as the next request.
        post_without_framing_bytes_are_next_head: server(),
            b"POST / HTTP/1.1\r\nHost: a\r\n\r\nabc\r\n\r\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"]]}"#,
            END,
            err(400, "invalid request line"),
        ];
    }
}

/// RFC 9112 §6.3 rule 8: a response with neither header is read until the server closes.
pub(crate) mod rule8_until_close {
    use super::*;

    cases! {
        response_until_close: client("GET"), b"HTTP/1.1 200 OK\r\n\r\nall the rest\r\n\r\nHTTP/1.1 200 OK" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[]}"#,
            data("all the rest\\u000d\\u000a\\u000d\\u000aHTTP/1.1 200 OK"),
            END,
        ];
        response_until_close_empty: client("GET"), b"HTTP/1.1 200 OK\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[]}"#,
            END,
        ];
        response_until_close_http10: client("GET"), b"HTTP/1.0 200 OK\r\n\r\nold" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.0","headers":[]}"#,
            data("old"),
            END,
        ];
        response_until_close_max_data: client("GET").max_data(4), b"HTTP/1.1 200 OK\r\n\r\n0123456789" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[]}"#,
            data("0123"),
            data("4567"),
            data("89"),
            END,
        ];
    }
}
