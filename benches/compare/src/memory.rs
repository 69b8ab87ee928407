//! Memory figures: a counting global allocator, and what idle h1 connections hold.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use h1::{BodyMode, Connection, Event, Response, Role};

use crate::samples;
use crate::workloads;

/// The system allocator, counting the bytes currently allocated by this thread.
///
/// The count is a plain thread-local, not an atomic: an atomic add is a locked
/// instruction on x86, which would add a full barrier (several nanoseconds, and a wait for
/// pending stores) to every allocation and free of the sides that allocate (h1,
/// actix-http, ureq-proto) while the timed baselines (httparse, memcpy, memchr) allocate
/// nothing. Every figure is measured on the one thread that runs the runner.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with`: a thread being torn down may still free memory; that is not counted.
    let _ = LIVE.try_with(|c| c.set(c.get() + delta));
}

// SAFETY: every call is forwarded to `System` unchanged; only a counter is updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Bytes this thread has allocated and not freed, right now.
fn live() -> isize {
    LIVE.with(Cell::get)
}

/// A server connection after one keep-alive cycle on `head` (a request without a body,
/// answered with an empty 200), idle and waiting for the next request.
fn idle_server(head: &[u8]) -> Connection {
    let mut conn = Connection::new(Role::Server);
    let mut out = Vec::new();
    assert_eq!(
        workloads::serve_pipelined(&mut conn, head, head.len(), &mut out),
        1
    );
    conn
}

/// Like [`idle_server`], but the driver reads with `read_into` (the zero-copy path: the
/// connection offers `Buffers::read_size` bytes of its own buffer to the socket read).
fn idle_server_read_into(head: &[u8], buffers: h1::Buffers) -> Connection {
    let mut conn = Connection::new(Role::Server).with_buffers(buffers);
    let mut socket = head;
    let n = conn
        .read_into(|buf| std::io::Read::read(&mut socket, buf))
        .unwrap();
    assert_eq!(n, head.len(), "one read takes the whole head");
    loop {
        match conn.next_event().unwrap() {
            Event::Request(r) => drop(black_box(r)),
            Event::EndOfMessage(t) => {
                drop(black_box(t));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let res = workloads::empty_ok();
    drop(black_box(conn.send_response(&res).unwrap()));
    drop(black_box(conn.send_end().unwrap()));
    conn.start_next_cycle().unwrap();
    conn
}

/// A client connection after one keep-alive cycle reading `wire` with `mode`.
fn idle_client(wire: &[u8], mode: BodyMode) -> Connection {
    let mut conn = Connection::new(Role::Client);
    let mut out = Vec::new();
    workloads::fetch(&mut conn, wire, samples::READ, mode, &mut out);
    conn
}

/// Heap bytes `make` leaves behind in the value it returns (everything else it allocated
/// is freed by then).
fn held<T>(make: impl FnOnce() -> T) -> (T, usize) {
    let before = live();
    let value = make();
    let after = live();
    (value, usize::try_from(after - before).unwrap_or(0))
}

/// Measures and prints the memory figures as a markdown table; returns them as
/// `(name, value)` lines for the machine-readable tail.
pub fn report() -> Vec<(String, usize)> {
    let mut rows: Vec<(String, usize)> = Vec::new();
    rows.push(("size_of_connection_bytes".into(), size_of::<Connection>()));
    rows.push(("size_of_event_bytes".into(), size_of::<Event>()));
    rows.push(("size_of_response_bytes".into(), size_of::<Response>()));

    let (v, h) = held(|| vec![1u8; 1000]);
    drop(black_box(v));
    rows.push(("check_counter_vec_1000".into(), h));
    let (c, h) = held(|| {
        let mut c = Connection::new(Role::Server);
        c.receive(&samples::BROWSER_GET[..100]).unwrap();
        c
    });
    drop(black_box(c));
    rows.push(("heap_connection_holding_100_bytes_of_a_head".into(), h));

    let (c, h) = held(|| Connection::new(Role::Server));
    drop(black_box(c));
    rows.push(("heap_new_connection".into(), h));

    let (c, h) = held(|| idle_server(samples::BROWSER_GET));
    drop(black_box(c));
    rows.push(("heap_idle_server_after_browser_get".into(), h));

    let (c, h) = held(|| idle_server_read_into(samples::BROWSER_GET, h1::Buffers::default()));
    drop(black_box(c));
    rows.push(("heap_idle_server_after_browser_get_read_into".into(), h));

    let wire = samples::small_response();
    let (c, h) = held(|| idle_client(&wire, BodyMode::default()));
    drop(black_box(c));
    rows.push(("heap_idle_client_after_small_response".into(), h));

    let big = samples::cookie_head(30 * 1024);
    let (c, h) = held(|| idle_server(&big));
    drop(black_box(c));
    rows.push(("heap_idle_server_after_30KiB_head".into(), h));

    let mut buffers = h1::Buffers::default();
    buffers.read_size = 32 * 1024;
    // A 30 KiB head arriving in one 32 KiB read_into.
    let (c, h) = held(|| idle_server_read_into(&big, buffers));
    drop(black_box(c));
    rows.push(("heap_idle_server_after_30KiB_head_read_into".into(), h));

    // One 60 KiB line (under the 64 KiB default limit) in line mode, then idle.
    let mut line = samples::body(60 * 1024);
    line.push(b'\n');
    let wire = samples::response(&line, Some(1000));
    let (c, h) = held(|| idle_client(&wire, BodyMode::Lines));
    drop(black_box(c));
    rows.push(("heap_idle_client_after_60KiB_line".into(), h));

    // 10,000 idle connections, each after one browser GET: structs plus heap.
    let (conns, h) = held(|| {
        (0..10_000)
            .map(|_| idle_server(samples::BROWSER_GET))
            .collect::<Vec<_>>()
    });
    drop(black_box(conns));
    rows.push(("total_10k_idle_after_browser_get".into(), h));

    let (conns, h) = held(|| {
        (0..10_000)
            .map(|_| idle_server_read_into(samples::BROWSER_GET, h1::Buffers::default()))
            .collect::<Vec<_>>()
    });
    drop(black_box(conns));
    rows.push(("total_10k_idle_after_browser_get_read_into".into(), h));

    let (conns, h) = held(|| (0..10_000).map(|_| idle_server(&big)).collect::<Vec<_>>());
    drop(black_box(conns));
    rows.push(("total_10k_idle_after_30KiB_head".into(), h));

    println!("\n## Memory\n\n| figure | bytes |\n|---|---:|");
    for (name, v) in &rows {
        println!("| {name} | {v} |");
    }
    rows
}
