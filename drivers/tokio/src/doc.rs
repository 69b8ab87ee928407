//! The lines of the doc examples that `h1-common`'s macros write into this crate and that
//! differ between the drivers: one example in a shared macro compiles and runs for both.

/// Pieces of doc examples, each a string:
/// - `root`: this crate's path;
/// - `await`: what follows a call that is async here (`.await`);
/// - `open` … `close`: an example in an async `main` with a test server on 127.0.0.1
///   (`server`, a `RunningServer` serving `h1_examples`' routes), its URL `base` and a
///   `client`;
/// - `bind` … `close`: an example with `server`, a `Server` bound to 127.0.0.1, not started;
/// - `conn` … `close`: an example with `conn`, a server `Conn` whose peer sent
///   `POST /hi` with the 2-byte body `hi` (51 bytes in all);
/// - `handler` … `handler_end`: the body of a handler with the request `req`, run for
///   `GET /hi?x=1` with `X-Test: yes`; the example fails when the handler fails or panics.
macro_rules! doc_text {
    (root) => {
        "h1_tokio"
    };
    (await) => {
        ".await"
    };
    (open) => {
        "```\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {\n\
         # let server = h1_tokio::server::Server::bind(\"127.0.0.1:0\").await?.spawn(h1_examples::tokio_routes::route)?;\n\
         # let base = format!(\"http://{}\", server.local_addr());\n\
         # let client = h1_tokio::client::Client::new();"
    };
    (bind) => {
        "```\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {\n\
         # let server = h1_tokio::server::Server::bind(\"127.0.0.1:0\").await?;"
    };
    (conn) => {
        "```\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {\n\
         # let (mut peer, stream) = tokio::io::duplex(4096);\n\
         # let wire = b\"POST /hi HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 2\\r\\n\\r\\nhi\";\n\
         # tokio::io::AsyncWriteExt::write_all(&mut peer, wire).await?;\n\
         # let mut conn = h1_tokio::Conn::new(stream, h1::Connection::new(h1::Role::Server));"
    };
    (close) => {
        "# Ok(()) }\n```"
    };
    (handler) => {
        "```\n\
         # use h1_tokio::server::{Incoming, Reply, Server};\n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {\n\
         # let running = Server::bind(\"127.0.0.1:0\").await?.spawn(|req: Incoming| async move {"
    };
    (handler_end) => {
        "# Ok(Reply::new(200)?)\n\
         # })?;\n\
         # let url = format!(\"http://{}/hi?x=1\", running.local_addr());\n\
         # let client = h1_tokio::client::Client::new();\n\
         # let res = client.get(&url).header(\"X-Test\", \"yes\").send().await?;\n\
         # assert_eq!(res.status(), 200, \"the handler failed\");\n\
         # Ok(()) }\n```"
    };
}

pub(crate) use doc_text;
