//! `fetch --tokio`: the same exchange on the async client (`h1-tokio`), on a
//! current-thread runtime. Options, output and exit status are the blocking run's.

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use h1_tokio::client::Client;
use h1_tokio::Error;
use tokio::io::{AsyncRead, ReadBuf};

use super::{head_text, write_whole, Options};

/// Runs one exchange as [`super::run`] does.
pub(crate) fn run(o: Options) -> Result<(), Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::from_io(e).context("starting the runtime"))?
        .block_on(exchange(o))
}

async fn exchange(o: Options) -> Result<(), Error> {
    let client = Client::new();
    let mut req = request!(client, o);
    if o.data.is_none() && o.upload_chunked {
        req = req.body_stream(StdinPieces(tokio::io::stdin()));
    }
    let res = req.send().await?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let io_err = |e: io::Error| Error::from_io(e).context("writing to stdout");
    if let Some(limit) = o.max_size {
        let head = head_text(res.head());
        let body = res.bytes(limit).await?;
        return write_whole(&o, &head, &body, &mut out).map_err(io_err);
    }
    if o.include {
        out.write_all(&head_text(res.head())).map_err(io_err)?;
    }
    let mut body = res.into_body();
    if o.lines {
        while let Some(line) = body.next_line().await? {
            if !line.is_empty() {
                out.write_all(&line).map_err(io_err)?;
                out.write_all(b"\n").map_err(io_err)?;
            }
        }
    } else {
        while let Some(piece) = body.next_chunk(o.chunk_size).await? {
            out.write_all(&piece).map_err(io_err)?;
        }
    }
    out.flush().map_err(io_err)
}

/// Standard input as a stream of pieces of at most 16 KiB, for a chunked upload.
struct StdinPieces(tokio::io::Stdin);

impl Stream for StdinPieces {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut buf = BytesMut::zeroed(16 * 1024);
        let mut read = ReadBuf::new(&mut buf);
        match Pin::new(&mut self.0).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    return Poll::Ready(None);
                }
                buf.truncate(n);
                Poll::Ready(Some(Ok(buf.freeze())))
            }
        }
    }
}
