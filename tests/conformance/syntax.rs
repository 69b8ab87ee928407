//! Head syntax: field lines, line endings, request line and versions, Host, request
//! targets, status line (RFC 9112 §2–§5).

use super::*;

/// RFC 9112 §5: field lines. obs-fold, whitespace before the colon, control characters,
/// token characters in names.
pub(crate) mod fields {
    use super::*;

    cases! {
        obs_fold_in_request_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n" => [
            err(400, "obs-fold"),
        ];
        obs_fold_tab_in_request_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n" => [
            err(400, "obs-fold"),
        ];
        /// A field line starting with whitespace right after the request line.
        leading_whitespace_first_field_refused: server(), b"GET / HTTP/1.1\r\n Host: a\r\n\r\n" => [
            err(400, "obs-fold"),
        ];
        /// §5.2: a user agent replaces each obs-fold with SP (here CR LF become two SP).
        obs_fold_in_response_unfolded: client("GET"),
            b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["X","a   b"],["Content-Length","0"]]}"#,
            END,
        ];
        space_before_colon_request: server(), b"GET / HTTP/1.1\r\nHost : a\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        tab_before_colon_request: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX\t: b\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        space_before_colon_response: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc" => [
            client_err("invalid header field name"),
        ];
        bare_cr_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n" => [
            err(400, "bare CR"),
        ];
        bare_cr_in_response_value: client("GET"), b"HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n" => [
            client_err("bare CR"),
        ];
        nul_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n" => [
            err(400, "control character"),
        ];
        nul_in_response_value: client("GET"), b"HTTP/1.1 200 OK\r\nX: \x00\r\nContent-Length: 0\r\n\r\n" => [
            client_err("control character"),
        ];
        ctl_0x01_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n" => [
            err(400, "control character"),
        ];
        del_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n" => [
            err(400, "control character"),
        ];
        escape_in_value: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: \x1b[31m\r\n\r\n" => [
            err(400, "control character"),
        ];
        htab_in_value_allowed: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["X","a\u0009b"]]}"#,
            END,
        ];
        obs_text_in_value_allowed: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["X","caf\u00c3\u00a9"]]}"#,
            END,
        ];
        /// OWS around a value is not part of it; an empty value is kept.
        value_whitespace_trimmed: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX:   v  \t\r\nY:\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["X","v"],["Y",""]]}"#,
            END,
        ];
        /// Names keep their case and order.
        names_keep_case_and_order: server(), b"GET / HTTP/1.1\r\nhOsT: a\r\nX-b: 1\r\nx-B: 2\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["hOsT","a"],["X-b","1"],["x-B","2"]]}"#,
            END,
        ];
        name_with_paren_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX(: a\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        name_with_at_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX@Y: a\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        name_with_nul_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX\x00: a\r\n\r\n" => [
            err(400, "control character"),
        ];
        name_non_ascii_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\xc3\xa9: a\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        empty_name_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\n: a\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
        line_without_colon_refused: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n" => [
            err(400, "invalid header field name"),
        ];
    }
}

/// RFC 9112 §2.2: line endings. Bare LF refused everywhere in a head; empty lines before
/// a request skipped.
pub(crate) mod line_endings {
    use super::*;

    cases! {
        bare_lf_after_request_line: server(), b"GET / HTTP/1.1\nHost: a\r\n\r\n" => [err(400, "bare LF")];
        bare_lf_after_field: server(), b"GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n" => [err(400, "bare LF")];
        bare_lf_empty_line: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\n" => [err(400, "bare LF")];
        bare_lf_all_lines: server(), b"GET / HTTP/1.1\nHost: a\n\n" => [err(400, "bare LF")];
        bare_lf_before_request: server(), b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n" => [err(400, "bare LF")];
        bare_lf_in_response: client("GET"), b"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n" => [client_err("bare LF")];
        bare_lf_response_empty_line: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n" => [client_err("bare LF")];
        bare_cr_in_request_line: server(), b"GET\r / HTTP/1.1\r\nHost: a\r\n\r\n" => [err(400, "invalid request line")];
        bare_cr_in_status_line: client("GET"), b"HTTP/1.1 200 O\rK\r\nContent-Length: 0\r\n\r\n" => [client_err("bare CR")];
        leading_empty_lines_skipped: server(), b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n" => [GET_A, END];
        empty_line_between_pipelined_requests_skipped: server(),
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            GET_A,
            END,
            r#"{"event":"head","method":"GET","target":"/2","version":"1.1","headers":[["Host","a"]]}"#,
            END,
        ];
        only_empty_lines_is_a_clean_close: server(), b"\r\n\r\n" => [];
        empty_line_before_response_skipped: client("GET"), b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","0"]]}"#,
            END,
        ];
    }
}

/// RFC 9112 §2.3, §3: the request line and HTTP versions.
pub(crate) mod request_line {
    use super::*;

    cases! {
        http10_accepted: server(), b"GET / HTTP/1.0\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.0","headers":[]}"#,
            END,
        ];
        http11_accepted: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\n" => [GET_A, END];
        http20_505: server(), b"GET / HTTP/2.0\r\nHost: a\r\n\r\n" => [err(505, "HTTP version")];
        http30_505: server(), b"GET / HTTP/3.0\r\nHost: a\r\n\r\n" => [err(505, "HTTP version")];
        http09_505: server(), b"GET / HTTP/0.9\r\nHost: a\r\n\r\n" => [err(505, "HTTP version")];
        /// RFC 9110 §2.5: a later HTTP/1 minor version is processed as HTTP/1.1.
        http12_as_http11: server(), b"GET / HTTP/1.2\r\nHost: a\r\n\r\n" => [GET_A, END];
        http19_as_http11: server(), b"POST /x HTTP/1.9\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi" => [
            r#"{"event":"head","method":"POST","target":"/x","version":"1.1","headers":[["Host","a"],["Content-Length","2"]]}"#,
            data("hi"),
            END,
        ];
        /// As HTTP/1.1: a Host field is required.
        http15_without_host: server(), b"GET / HTTP/1.5\r\n\r\n" => [err(400, "without a Host")];
        /// HTTP-version is `HTTP/` DIGIT `.` DIGIT: two digits after the dot are no version.
        http1_two_digit_minor_400: server(), b"GET / HTTP/1.10\r\nHost: a\r\n\r\n" => [err(400, "line ending")];
        /// An HTTP/0.9 simple request (no version at all) is not a request line.
        no_version_400: server(), b"GET /\r\n\r\n" => [err(400, "invalid request line")];
        /// A major version that is not a digit is no version at all (400), not another
        /// major version (505).
        version_major_not_a_digit_400: server(), b"GET / HTTP/A.1\r\nHost: a\r\n\r\n" => [
            err(400, "invalid request line").at(11),
        ];
        response_version_major_not_a_digit: client("GET"), b"HTTP/x.1 200 OK\r\n\r\n" => [
            client_err("invalid status line").at(5),
        ];
        lowercase_method_is_a_token: server(), b"get / HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"get","target":"/","version":"1.1","headers":[["Host","a"]]}"#,
            END,
        ];
        method_not_a_token: server(), b"G@T / HTTP/1.1\r\nHost: a\r\n\r\n" => [err(400, "invalid request line")];
        ctl_in_method: server(), b"GET\x01 / HTTP/1.1\r\nHost: a\r\n\r\n" => [err(400, "control character")];
        double_space_refused: server(), b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n" => [err(400, "invalid request line")];
        trailing_space_refused: server(), b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n" => [err(400, "line ending")];
        /// Refused as soon as no head can follow, without waiting for the rest (the
        /// input ends here without an empty line).
        tls_client_hello_refused_at_once: server(), b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" => [
            err(400, "control character"),
        ];
        ctl_in_request_line_refused_at_once: server(), b"G\x01T / HTTP/1.1\r\n" => [
            err(400, "control character"),
        ];
        bare_cr_line_ends_refused_at_once: server(), b"GET / HTTP/1.1\rHost: a\r\r" => [
            err(400, "bare CR"),
        ];
        nul_in_name_refused_at_once: server(), b"GET / HTTP/1.1\r\nHost: a\r\nX\x00: b" => [
            err(400, "control character"),
        ];
        method_not_a_token_refused_at_once: server(), b"G@T / HTTP/1.1\r\n" => [
            err(400, "invalid request line"),
        ];
        double_space_refused_at_once: server(), b"GET  / HTTP/1.1\r\n" => [
            err(400, "invalid request line"),
        ];
        version_refused_at_once: server(), b"GET / HTTP/2.0\r\n" => [
            err(505, "HTTP version"),
        ];
        line_ending_refused_at_once: server(), b"GET / HTTP/1.1 \r\n" => [
            err(400, "line ending"),
        ];
        ssh_banner_to_client_refused_at_once: client("GET"), b"SSH-2.0-OpenSSH_9.6\r\n" => [
            client_err("invalid status line"),
        ];
        response_version_refused_at_once: client("GET"), b"HTTP/3.0 200" => [
            client_err("HTTP version"),
        ];
        response_http20_505: client("GET"), b"HTTP/2.0 200 OK\r\n\r\n" => [client_err("HTTP version")];
        response_http09_505: client("GET"), b"HTTP/0.9 200 OK\r\n\r\n" => [client_err("HTTP version")];
        /// A later HTTP/1 minor version in a response: HTTP/1.1, kept alive by default.
        response_http15_as_http11: client("GET"), b"HTTP/1.5 200 OK\r\nContent-Length: 1\r\n\r\nx" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","1"]]}"#,
            data("x"),
            END,
        ];
        response_http12_chunked: client("GET"), b"HTTP/1.2 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Transfer-Encoding","chunked"]]}"#,
            data("x"),
            END,
        ];
    }
}

/// RFC 9112 §3.2: Host.
pub(crate) mod host {
    use super::*;

    cases! {
        http11_without_host: server(), b"GET / HTTP/1.1\r\n\r\n" => [err(400, "without a Host")];
        http10_without_host_ok: server(), b"GET /x HTTP/1.0\r\nUser-Agent: old\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/x","version":"1.0","headers":[["User-Agent","old"]]}"#,
            END,
        ];
        two_hosts: server(), b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" => [err(400, "more than one Host")];
        two_identical_hosts: server(), b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n" => [err(400, "more than one Host")];
        two_hosts_http10: server(), b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n" => [err(400, "more than one Host")];
        host_with_space: server(), b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n" => [err(400, "not a valid host")];
        host_with_userinfo: server(), b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n" => [err(400, "not a valid host")];
        host_with_path: server(), b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n" => [err(400, "not a valid host")];
        /// An empty Host is what a client sends when the target has no authority.
        host_empty_ok: server(), b"GET / HTTP/1.1\r\nHost:\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host",""]]}"#,
            END,
        ];
        host_ipv6_with_port_ok: server(), b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","[::1]:8080"]]}"#,
            END,
        ];
    }
}

/// RFC 9112 §3.2: the four request-target forms.
pub(crate) mod targets {
    use super::*;

    cases! {
        origin_form_with_query: server(), b"GET /a/b?c=d&e HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/a/b?c=d&e","version":"1.1","headers":[["Host","a"]]}"#,
            END,
        ];
        absolute_form: server(), b"GET http://a.example/x?y HTTP/1.1\r\nHost: a.example\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"http://a.example/x?y","version":"1.1","headers":[["Host","a.example"]]}"#,
            END,
        ];
        authority_form_with_get_refused: server(), b"GET 127.0.0.1:80 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "none of the forms"),
        ];
        connect_origin_form_refused: server(), b"CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        connect_without_port_refused: server(), b"CONNECT a.example HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        connect_userinfo_refused: server(), b"CONNECT u@a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        /// authority-form edges: a path inside, no host, no port, a port that is not digits.
        connect_path_in_authority_refused: server(), b"CONNECT a/b:443 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        connect_empty_host_refused: server(), b"CONNECT :443 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        connect_empty_port_refused: server(), b"CONNECT a: HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        connect_port_not_digits_refused: server(), b"CONNECT a:4x3 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "authority form"),
        ];
        /// The shortest authority: one host byte, one port digit; the last colon splits.
        connect_shortest_authority_ok: server(), b"CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n" => [
            r#"{"event":"head","method":"CONNECT","target":"a:1","version":"1.1","headers":[["Host","a:1"]]}"#,
            END,
        ];
        connect_ipv6_authority_ok: server(), b"CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n" => [
            r#"{"event":"head","method":"CONNECT","target":"[::1]:443","version":"1.1","headers":[["Host","[::1]:443"]]}"#,
            END,
        ];
        asterisk_with_options: server(), b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"OPTIONS","target":"*","version":"1.1","headers":[["Host","a"]]}"#,
            END,
        ];
        asterisk_with_get_refused: server(), b"GET * HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "asterisk-form"),
        ];
        relative_target_refused: server(), b"GET x HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "none of the forms"),
        ];
        non_ascii_target_refused: server(), b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            // At its first byte outside ASCII.
            err(400, "outside visible ASCII").at(8),
        ];
        del_in_target_refused: server(), b"GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "control character"),
        ];
        tab_in_target_refused: server(), b"GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n" => [
            err(400, "invalid request line"),
        ];
    }
}

/// RFC 9112 §4: the status line.
pub(crate) mod status_line {
    use super::*;

    cases! {
        status_099_refused: client("GET"), b"HTTP/1.1 099 X\r\n\r\n" => [client_err("outside 100-599")];
        status_600_refused: client("GET"), b"HTTP/1.1 600 X\r\n\r\n" => [client_err("outside 100-599")];
        status_two_digits_refused: client("GET"), b"HTTP/1.1 20 OK\r\n\r\n" => [client_err("invalid status line")];
        status_four_digits_refused: client("GET"), b"HTTP/1.1 2000 OK\r\n\r\n" => [client_err("invalid status line")];
        status_not_digits_refused: client("GET"), b"HTTP/1.1 abc OK\r\n\r\n" => [client_err("invalid status line")];
        status_100_and_599_ok: client("GET"),
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 599 X\r\nConnection: close\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":100,"reason":"Continue","version":"1.1","headers":[]}"#,
            r#"{"event":"head","status":599,"reason":"X","version":"1.1","headers":[["Connection","close"],["Content-Length","0"]]}"#,
            END,
        ];
        empty_reason_with_space: client("GET"), b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"","version":"1.1","headers":[["Content-Length","0"]]}"#,
            END,
        ];
        empty_reason_without_space: client("GET"), b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"","version":"1.1","headers":[["Content-Length","0"]]}"#,
            END,
        ];
        reason_with_spaces_tab_and_obs_text: client("GET"),
            b"HTTP/1.1 200 A  b\tc \xe9\r\nContent-Length: 0\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"A  b\u0009c \u00e9","version":"1.1","headers":[["Content-Length","0"]]}"#,
            END,
        ];
    }
}
