//! Connection management (RFC 9112 §9), inputs that end too early, and the output modes.

use super::*;

/// Connection management (RFC 9112 §9): pipelining, keep-alive, close, 1xx, switches.
pub(crate) mod lifecycle {
    use super::*;

    cases! {
        pipelined_requests: server(),
            b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiPOST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/1","version":"1.1","headers":[["Host","a"]]}"#,
            END,
            r#"{"event":"head","method":"POST","target":"/2","version":"1.1","headers":[["Host","a"],["Content-Length","2"]]}"#,
            data("hi"),
            END,
            r#"{"event":"head","method":"POST","target":"/3","version":"1.1","headers":[["Host","a"],["Transfer-Encoding","chunked"]]}"#,
            data("x"),
            END,
        ];
        /// An error in a later pipelined request leaves the earlier ones traced.
        pipelined_error_after_good_request: server(),
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n" => [
            GET_A, END, err(400, "without a Host"),
        ];
        keep_alive_responses: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\n\r\nrest" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","1"]]}"#,
            data("a"),
            END,
            r#"{"event":"head","status":204,"reason":"No Content","version":"1.1","headers":[]}"#,
            END,
            CHUNKED_200_HEAD,
            data("b"),
            END,
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Connection","close"]]}"#,
            data("rest"),
            END,
        ];
        /// Input ending between two keep-alive responses is a clean end, as in the server role.
        keep_alive_response_then_eof: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","2"]]}"#,
            data("hi"),
            END,
        ];
        keep_alive_head_responses: client("HEAD"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","10"]]}"#,
            END,
            CHUNKED_200_HEAD,
            END,
        ];
        http10_keep_alive_request: server(),
            b"GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\nGET /3 HTTP/1.0\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/1","version":"1.0","headers":[["Connection","keep-alive"]]}"#,
            END,
            r#"{"event":"head","method":"GET","target":"/2","version":"1.0","headers":[]}"#,
            END,
            err(400, "after its last request"),
        ];
        http10_without_keep_alive_closes: server(), b"GET /1 HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/1","version":"1.0","headers":[]}"#,
            END,
            err(400, "after its last request"),
        ];
        http10_keep_alive_response: client("GET"),
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\naHTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.0","headers":[["Connection","keep-alive"],["Content-Length","1"]]}"#,
            data("a"),
            END,
            r#"{"event":"head","status":200,"reason":"OK","version":"1.0","headers":[["Content-Length","1"]]}"#,
            data("b"),
            END,
        ];
        request_connection_close_then_bytes: server(),
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["Connection","close"]]}"#,
            END,
            err(400, "after its last request"),
        ];
        request_connection_close_in_list_then_bytes: server(),
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["Connection","keep-alive, Close"]]}"#,
            END,
            err(400, "after its last request"),
        ];
        response_connection_close_then_bytes: client("GET"),
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","0"],["Connection","close"]]}"#,
            END,
            client_err("no response was due"),
        ];
        continue_then_final: client("POST"),
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok" => [
            r#"{"event":"head","status":100,"reason":"Continue","version":"1.1","headers":[]}"#,
            r#"{"event":"head","status":201,"reason":"Created","version":"1.1","headers":[["Content-Length","2"],["Connection","close"]]}"#,
            data("ok"),
            END,
        ];
        several_1xx_then_final: client("GET"),
            b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" => [
            r#"{"event":"head","status":103,"reason":"Early Hints","version":"1.1","headers":[["Link","</a>"]]}"#,
            r#"{"event":"head","status":100,"reason":"Continue","version":"1.1","headers":[]}"#,
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","0"],["Connection","close"]]}"#,
            END,
        ];
        /// A request with Upgrade (`--request-header`): a 101 switches; the trace ends at
        /// the switch (the bytes after it are the new protocol's).
        switching_protocols_with_upgrade_request: client_upgrading(),
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello" => [
            r#"{"event":"head","status":101,"reason":"Switching Protocols","version":"1.1","headers":[["Upgrade","websocket"],["Connection","Upgrade"]]}"#,
        ];
        /// A 200 refuses the Upgrade (even one naming `Upgrade`): HTTP goes on, the next
        /// response answers the next request.
        upgrade_refused_by_200_with_upgrade_field: client_upgrading(),
            b"HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Upgrade","websocket"],["Content-Length","2"]]}"#,
            data("ok"),
            END,
            r#"{"event":"head","status":204,"reason":"No Content","version":"1.1","headers":[]}"#,
            END,
        ];
        /// The tracer's requests carry no Upgrade, so a 101 is refused (RFC 9110 §15.2.2);
        /// the switch itself is tested below with the API.
        switching_protocols_without_upgrade_refused: client("GET"),
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframes" => [
            client_err("without Upgrade"),
        ];
        expect_continue_request: server(),
            b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi" => [
            r#"{"event":"head","method":"PUT","target":"/","version":"1.1","headers":[["Host","a"],["Expect","100-continue"],["Content-Length","2"]]}"#,
            data("hi"),
            END,
        ];
        /// The tool answers 200, refusing the upgrade: the connection goes on as HTTP.
        upgrade_request_refused_by_200: server(),
            b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n" => [
            r#"{"event":"head","method":"GET","target":"/","version":"1.1","headers":[["Host","a"],["Upgrade","websocket"],["Connection","upgrade"]]}"#,
            END,
            r#"{"event":"head","method":"GET","target":"/2","version":"1.1","headers":[["Host","a"]]}"#,
            END,
        ];
        response_before_request_refused: server(), b"HTTP/1.1 200 OK\r\n\r\n" => [
            err(400, "invalid request line"),
        ];
    }
}

/// Inputs that end too early: `need_more`, except where the close delimits the message.
pub(crate) mod incomplete {
    use super::*;

    cases! {
        empty_input_server: server(), b"" => [];
        empty_input_client: client("GET"), b"" => [];
        mid_request_line: server(), b"GET / HT" => [NEED_MORE];
        mid_headers: server(), b"GET / HTTP/1.1\r\nHost: a\r\n" => [NEED_MORE];
        mid_final_crlf: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\r" => [NEED_MORE];
        mid_content_length_body: server(), b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabc" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","5"]]}"#,
            data("abc"),
            NEED_MORE,
        ];
        mid_chunk_size: server(), chunked_post(b"1") => [CHUNKED_POST_HEAD, NEED_MORE];
        mid_chunk_data: server(), chunked_post(b"3\r\nab") => [CHUNKED_POST_HEAD, data("ab"), NEED_MORE];
        mid_chunk_crlf: server(), chunked_post(b"3\r\nabc\r") => [CHUNKED_POST_HEAD, data("abc"), NEED_MORE];
        before_trailers: server(), chunked_post(b"0\r\n") => [CHUNKED_POST_HEAD, NEED_MORE];
        mid_trailers: server(), chunked_post(b"0\r\nX: 1\r\n") => [CHUNKED_POST_HEAD, NEED_MORE];
        mid_response_head: client("GET"), b"HTTP/1.1 200 OK\r\n" => [NEED_MORE];
        mid_response_body: client("GET"), b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","5"]]}"#,
            data("abc"),
            NEED_MORE,
        ];
        mid_second_request: server(), b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n" => [
            GET_A, END, NEED_MORE,
        ];
    }
}

/// Output modes: `--lines` and `--max-data`.
pub(crate) mod output_modes {
    use super::*;

    cases! {
        lines_lf_crlf_cr: server().lines(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nab\ncd\r\nef\r" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","10"]]}"#,
            line("ab"),
            line("cd"),
            line("ef"),
            END,
        ];
        lines_last_without_terminator: server().lines(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab\ncd" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","5"]]}"#,
            line("ab"),
            line("cd"),
            END,
        ];
        lines_empty_lines: server().lines(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n\n\r\n\n" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","4"]]}"#,
            line(""),
            line(""),
            line(""),
            END,
        ];
        lines_across_chunks: client("GET").lines(), chunked_200(b"3\r\na\nb\r\n4\r\nc\r\nd\r\n0\r\n\r\n") => [
            CHUNKED_200_HEAD,
            line("a"),
            line("bc"),
            line("d"),
            END,
        ];
        lines_crlf_split_across_chunks: client("GET").lines(), chunked_200(b"2\r\na\r\r\n2\r\n\nb\r\n0\r\n\r\n") => [
            CHUNKED_200_HEAD,
            line("a"),
            line("b"),
            END,
        ];
        lines_until_close: client("GET").lines(), b"HTTP/1.1 200 OK\r\n\r\n{\"a\":1}\n{\"b\":2}\n" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[]}"#,
            line(r#"{\"a\":1}"#),
            line(r#"{\"b\":2}"#),
            END,
        ];
        /// The mode is set afresh at each head.
        lines_pipelined: server().lines(),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\ncd" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","4"]]}"#,
            line("ab"),
            END,
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","2"]]}"#,
            line("cd"),
            END,
        ];
        max_data_content_length: server().max_data(4),
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789" => [
            r#"{"event":"head","method":"POST","target":"/","version":"1.1","headers":[["Host","a"],["Content-Length","10"]]}"#,
            data("0123"),
            data("4567"),
            data("89"),
            END,
        ];
        max_data_chunked: server().max_data(2), chunked_post(b"5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n") => [
            CHUNKED_POST_HEAD,
            data("he"),
            data("ll"),
            data("o"),
            data("!"),
            END,
        ];
        max_data_one: client("GET").max_data(1), b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc" => [
            r#"{"event":"head","status":200,"reason":"OK","version":"1.1","headers":[["Content-Length","3"],["Connection","close"]]}"#,
            data("a"),
            data("b"),
            data("c"),
            END,
        ];
    }
}
