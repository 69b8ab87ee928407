//! Where each error is: the offset of the offending byte from the start of the message
//! (`Error::offset`, the trace's `"offset"`), for representative errors of each kind. Every
//! case also runs split, so the offset is the same however the bytes arrived.

use super::*;

cases! {
    /// A control byte in the method: at that byte.
    start_line_control_byte: server(), b"G\x01T / HTTP/1.1\r\nHost: a\r\n\r\n" => [
        err(400, "control character").at(1),
    ];
    /// A method byte that is not a tchar.
    start_line_method_not_token: server(), b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n" => [
        err(400, "invalid request line").at(1),
    ];
    /// The major version digit.
    start_line_version: server(), b"GET / HTTP/2.0\r\nHost: a\r\n\r\n" => [
        err(505, "HTTP version").at(11),
    ];
    /// A target byte that is not UTF-8 (httparse finds out only at its end).
    start_line_target_not_utf8: server(), b"GET /a\xff HTTP/1.1\r\nHost: a\r\n\r\n" => [
        err(400, "invalid request line").at(6),
    ];
    /// A status code that is not three digits: at the first byte that is not one.
    status_code_not_digits: client("GET"), b"HTTP/1.1 2x0 OK\r\n\r\n" => [
        client_err("invalid status line").at(10),
    ];
    status_code_out_of_range: client("GET"), b"HTTP/1.1 600 Nope\r\nContent-Length: 0\r\n\r\n" => [
        client_err("outside 100-599").at(9),
    ];
    /// The SP inside a field name.
    header_name_space: server(), b"GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n" => [
        err(400, "invalid header field name").at(28),
    ];
    /// The SP before the colon, in a response.
    header_name_space_before_colon: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc" => [
        client_err("invalid header field name").at(31),
    ];
    /// A bare LF ending a field line: at the LF.
    bare_lf_after_field: server(), b"GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n" => [
        err(400, "bare LF").at(23),
    ];
    /// A bare CR in a value: at the CR.
    bare_cr_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n" => [
        err(400, "bare CR").at(29),
    ];
    /// No Host: at the empty line that ends the head.
    missing_host: server(), b"GET / HTTP/1.1\r\nX: y\r\n\r\n" => [
        err(400, "without a Host").at(22),
    ];
    /// The second Host field.
    two_hosts: server(), b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" => [
        err(400, "more than one Host").at(25),
    ];
    /// A Content-Length that is no number: at its value.
    content_length_not_a_number: server(), b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n" => [
        err(400, "Content-Length is not").at(42),
    ];
    /// An empty Content-Length: right after its colon.
    content_length_empty: server(), b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n" => [
        err(400, "Content-Length is not").at(41),
    ];
    /// Two Content-Length values that differ: at the second.
    content_length_values_differ: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc" => [
        client_err("values differ").at(52),
    ];
    /// A bad element of a Content-Length list: at that element.
    content_length_list_element: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length: 3, x\r\n\r\nabc" => [
        client_err("Content-Length is not").at(36),
    ];
    /// Transfer-Encoding with Content-Length in a request: at the later field.
    te_and_cl_request: server(), b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc" => [
        err(400, "both Transfer-Encoding and Content-Length").at(54),
    ];
    /// A coding this crate does not implement: at the Transfer-Encoding value.
    te_unknown_coding: server(), b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" => [
        err(501, "other than chunked").at(45),
    ];
    /// A chunk size that is no hex number: at the line's first byte (after the 56-byte head).
    chunk_size_not_hex: server(), chunked_post(b"zz\r\nabc\r\n0\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "not a hexadecimal").at(56),
    ];
    /// The same in the second chunk: the framing and data before it count.
    chunk_size_not_hex_second: server(), chunked_post(b"3\r\nabc\r\nzz\r\n") => [
        CHUNKED_POST_HEAD, data("abc"), err(400, "not a hexadecimal").at(64),
    ];
    /// The hex digit that overflows 64 bits.
    chunk_size_overflow: server(), chunked_post(b"10000000000000000\r\nabc\r\n0\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "overflows").at(72),
    ];
    /// A byte not allowed in a chunk extension.
    chunk_extension_byte: server(), chunked_post(b"3 x\r\nabc\r\n0\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "chunk extension").at(58),
    ];
    /// The byte after a quoted-pair's backslash that is not allowed there.
    chunk_extension_quoted_pair: server(), chunked_post(b"3;a=\"\\\x00\"\r\nabc\r\n0\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "chunk extension").at(62),
    ];
    /// Chunk data followed by something other than CRLF: at that byte.
    chunk_data_not_followed_by_crlf: server(), chunked_post(b"3\r\nabcX\r\n0\r\n\r\n") => [
        CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF").at(62),
    ];
    /// A framing field in the trailer section: at its name.
    trailer_framing_field: server(), chunked_post(b"0\r\nContent-Length: 5\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "in the trailer section").at(59),
    ];
    /// The same after another trailer field.
    trailer_framing_field_second: server(), chunked_post(b"0\r\nX: 1\r\nTransfer-Encoding: chunked\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "in the trailer section").at(65),
    ];
    /// The SP inside a trailer field name (httparse refuses it; the section starts at 59).
    trailer_name_space: server(), chunked_post(b"0\r\nBad Name: x\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "invalid header field name").at(62),
    ];
    /// The same after a valid trailer field.
    trailer_name_space_second: server(), chunked_post(b"0\r\nX: 1\r\nBad Name: x\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "invalid header field name").at(68),
    ];
    /// A bare CR in a trailer field: at the CR.
    trailer_bare_cr: server(), chunked_post(b"0\r\nX: a\rb\r\n\r\n") => [
        CHUNKED_POST_HEAD, err(400, "bare CR").at(63),
    ];
    /// Chunk data followed by one wrong byte and the end of the stream: refused at that
    /// byte, not taken for a cut body.
    chunk_data_then_one_wrong_byte_then_eof: server(), chunked_post(b"3\r\nabcX") => [
        CHUNKED_POST_HEAD, data("abc"), err(400, "not followed by CRLF").at(62),
    ];
    /// Over the field-count limit (256): at the field one too many (Host is the first).
    too_many_fields: server(), format!("GET / HTTP/1.1\r\nHost: a\r\n{}\r\n", "X: 1\r\n".repeat(256)) => [
        err(431, "too many header fields").at(25 + 255 * 6),
    ];
    /// Over the request-line limit (8192).
    request_line_too_long: server(), format!("GET /{} HTTP/1.1\r\nHost: a\r\n\r\n", filler(9000)) => [
        err(414, "request line").at(8193),
    ];
    /// Bytes where no request may come: at the first of them, a message of their own.
    bytes_after_last_request: server(), b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nX" => [
        r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["Connection","close"]]}"#,
        END,
        err(400, "after its last request").at(0),
    ];
    /// 101 to a request without Upgrade: at the status code.
    switching_without_upgrade: client("GET"), b"HTTP/1.1 101 Switching Protocols\r\n\r\n" => [
        client_err("without Upgrade").at(9),
    ];
}
