//! The lines of the doc examples that `h1-common`'s macros write into this crate and that
//! differ between the drivers: one example in a shared macro compiles and runs for both.

/// Pieces of doc examples, each a string:
/// - `root`: this crate's path;
/// - `await`: what follows a call that is async in the other driver (nothing here);
/// - `open` … `close`: an example with a test server on 127.0.0.1 (`server`, a
///   `RunningServer` serving `h1_examples`' routes), its URL `base` and a `client`;
/// - `bind` … `close`: an example with `server`, a `Server` bound to 127.0.0.1, not started;
/// - `conn` … `close`: an example with `conn`, a server `Conn` whose peer sent
///   `POST /hi` with the 2-byte body `hi` (51 bytes in all);
/// - `handler` … `handler_end`: the body of a handler with the request `req`, run for
///   `GET /hi?x=1` with `X-Test: yes`; the example fails when the handler fails or panics.
macro_rules! doc_text {
    (root) => {
        "h1_std"
    };
    (await) => {
        ""
    };
    (open) => {
        "```\n\
         # let server = h1_std::server::Server::bind(\"127.0.0.1:0\")?.spawn(h1_examples::routes::route)?;\n\
         # let base = format!(\"http://{}\", server.local_addr());\n\
         # let client = h1_std::Client::new();"
    };
    (bind) => {
        "```\n\
         # let server = h1_std::server::Server::bind(\"127.0.0.1:0\")?;"
    };
    (conn) => {
        "```\n\
         # let wire = std::io::Cursor::new(b\"POST /hi HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 2\\r\\n\\r\\nhi\".to_vec());\n\
         # let stream = h1_std::Duplex::new(wire, Vec::new());\n\
         # let mut conn = h1_std::Conn::new(stream, h1::Connection::new(h1::Role::Server));"
    };
    (close) => {
        "# Ok::<(), Box<dyn std::error::Error>>(())\n```"
    };
    (handler) => {
        "```\n\
         # use h1_std::server::{Incoming, Reply, Server};\n\
         # let running = Server::bind(\"127.0.0.1:0\")?.spawn(|req: &mut Incoming<'_>| {"
    };
    (handler_end) => {
        "# Ok(Reply::new(200)?)\n\
         # })?;\n\
         # let url = format!(\"http://{}/hi?x=1\", running.local_addr());\n\
         # let res = h1_std::Client::new().get(&url).header(\"X-Test\", \"yes\").send()?;\n\
         # assert_eq!(res.status(), 200, \"the handler failed\");\n\
         # Ok::<(), Box<dyn std::error::Error>>(())\n```"
    };
}

pub(crate) use doc_text;
