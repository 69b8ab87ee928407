//! What the three load-test servers share: the port from the command line, the bodies.

#![forbid(unsafe_code)]

/// The small body every server answers `/` with.
pub const SMALL: &[u8] = b"hello, world\n";

/// The size of the large body (`/mib`): 1 MiB.
pub const MIB: usize = 1 << 20;

/// The large body, made once.
pub fn mib() -> bytes::Bytes {
    bytes::Bytes::from((0..MIB).map(|i| b'a' + (i % 26) as u8).collect::<Vec<u8>>())
}

/// `127.0.0.1:PORT` from the first argument.
pub fn addr() -> String {
    let port = std::env::args().nth(1).expect("usage: SERVER PORT");
    format!("127.0.0.1:{port}")
}

/// A current-thread runtime, as each server runs on one core.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}
