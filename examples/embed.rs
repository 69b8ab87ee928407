//! An echo server on `h1::Connection` over non-blocking std::net; see docs/embedding.md.
use h1::{Buf, Bytes, Connection, Event, Limits, Response, Role, State};
use std::io::{self, ErrorKind::WouldBlock, IoSlice, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::{collections::VecDeque, env, thread, time::Duration};

#[derive(PartialEq)]
enum Phase {
    Http,     // exchanging HTTP messages
    Upgrade,  // the request asked for `Upgrade: echo`; we answer 101 at its end
    Switched, // we answered 101: the bytes are no longer HTTP, we echo them
    Closing,  // close once `tx` is written
}

struct Conn {
    sock: TcpStream,
    h1: Connection,
    tx: VecDeque<Bytes>, // to send: the pieces of every Output, written vectored, never copied
    body: Vec<Bytes>,    // the answer: the request line, then the body as it came
    phase: Phase,
}

impl Conn {
    /// Reads what arrived, handles the events, writes what is queued: keep the connection?
    fn turn(&mut self, busy: &mut bool) -> Result<bool, Box<dyn std::error::Error>> {
        // Read (into the connection's own buffer) only once our answers are written.
        if self.tx.is_empty() && self.phase != Phase::Closing {
            match self.h1.read_into(|window| self.sock.read(window)) {
                Ok(0) if self.phase == Phase::Switched => self.phase = Phase::Closing,
                Ok(_) => *busy = true, // on 0 bytes the connection notes the EOF itself
                Err(e) if e.kind() == WouldBlock => {}
                Err(e) => return Err(e.into()),
            }
        }
        if self.phase == Phase::Switched {
            self.tx.push_back(self.h1.take_trailing_data()?); // the new protocol: echo it
        } else if let Err(e) = self.events() {
            self.phase = Phase::Closing; // the peer broke the protocol: answer if we can
            if let Some(status) = e.status_hint() {
                let res = Response::new(status)?.with_header("Content-Length", "0")?;
                let out = self.h1.send_response(&res).unwrap_or_default(); // if one is due
                self.tx.extend(out);
            }
        }
        self.flush()?;
        Ok(self.phase != Phase::Closing || !self.tx.is_empty()) // dropping it closes it
    }

    /// Drains events until the connection needs data, waits for us, or is closed.
    fn events(&mut self) -> Result<(), h1::Error> {
        while self.phase == Phase::Http || self.phase == Phase::Upgrade {
            match self.h1.next_event()? {
                Event::Request(req) => {
                    self.body
                        .push(format!("{} {}\n", req.method(), req.target()).into());
                    if req.headers().has_token("upgrade", "echo") {
                        self.phase = Phase::Upgrade;
                    }
                    if self.h1.client_is_waiting_for_100_continue() {
                        self.tx.extend(self.h1.send_response(&Response::new(100)?)?);
                    }
                }
                Event::Data(piece) => self.body.push(piece),
                Event::EndOfMessage(_) => self.respond()?,
                Event::ConnectionClosed => self.phase = Phase::Closing,
                _ => return Ok(()), // NeedData: read more; Paused: only after a switch here
            }
        }
        Ok(())
    }

    /// The answer to a whole request: a switch, or its body back.
    fn respond(&mut self) -> Result<(), h1::Error> {
        if self.phase == Phase::Upgrade {
            let res = Response::new(101)?.with_header("Upgrade", "echo")?;
            let res = res.with_header("Connection", "Upgrade")?;
            self.tx.extend(self.h1.send_response(&res)?);
            self.phase = Phase::Switched; // bytes sent right behind the request are echoed
            self.tx.push_back(self.h1.take_trailing_data()?);
            self.body.clear();
            return Ok(());
        }
        let len: usize = self.body.iter().map(Bytes::len).sum();
        let res = Response::new(200)?.with_header("Content-Length", len.to_string())?;
        self.tx.extend(self.h1.send_response(&res)?);
        for piece in self.body.drain(..) {
            self.tx.extend(self.h1.send_data(piece)?); // the same Bytes, not a copy
        }
        self.tx.extend(self.h1.send_end()?);
        if self.h1.our_state() == State::MustClose {
            self.phase = Phase::Closing; // `Connection: close` was sent
            return Ok(());
        }
        self.h1.start_next_cycle() // keep-alive; a pipelined request is still buffered
    }

    /// Writes the queued pieces with `write_vectored` until done or the socket would block.
    fn flush(&mut self) -> io::Result<()> {
        self.tx.retain(|piece| !piece.is_empty());
        while !self.tx.is_empty() {
            let slices: Vec<_> = self.tx.iter().take(64).map(|b| IoSlice::new(b)).collect();
            let mut n = match self.sock.write_vectored(&slices) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Err(e) if e.kind() == WouldBlock => return Ok(()),
                written => written?,
            };
            while n >= self.tx.front().map_or(usize::MAX, Bytes::len) {
                n -= self.tx.pop_front().map_or(0, |piece| piece.len()); // written whole
            }
            if n > 0 {
                self.tx[0].advance(n); // written in part: the rest goes next time
            }
        }
        Ok(())
    }
}

fn main() -> io::Result<()> {
    serve(TcpListener::bind(
        env::args().nth(1).unwrap_or("127.0.0.1:8080".into()),
    )?)
}

/// The poll loop: accept, then give every connection a turn; sleep when nothing arrived.
pub fn serve(listener: TcpListener) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    println!("listening on {}", listener.local_addr()?);
    let mut limits = Limits::default();
    limits.max_body_size = Some(1 << 20); // a larger upload is refused with 413
    let mut conns: Vec<Conn> = Vec::new();
    loop {
        let mut busy = false;
        while let Ok((sock, _)) = listener.accept() {
            sock.set_nonblocking(true)?;
            let h1 = Connection::with_limits(Role::Server, limits.clone());
            conns.push(Conn {
                sock,
                h1,
                tx: VecDeque::new(),
                body: Vec::new(),
                phase: Phase::Http,
            });
        }
        conns.retain_mut(|c| c.turn(&mut busy).unwrap_or(false)); // an I/O error drops it
        if !busy {
            thread::sleep(Duration::from_millis(1)); // a real driver waits in epoll or kqueue
        }
    }
}
