//! The heap a full head takes: a head with the default largest number of fields is its own
//! bytes (one shared buffer, sliced, never copied) plus one 16-byte entry per field. The
//! parser's field slots live on the stack up to 256 fields, so nothing else on the heap
//! grows with the field count. The documentation of `Limits::max_headers` quotes the
//! figures printed here (`cargo test --test memory -- --nocapture`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use h1::{Connection, Event, Limits, Role};

/// Counts the bytes this thread allocates (tests run on threads of their own).
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counter is a
// thread-local `Cell`, which neither allocates nor panics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size()));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + new_size));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocated() -> usize {
    ALLOCATED.with(Cell::get)
}

/// A request head with `Host` and `fields - 1` more fields of `value_len` value bytes.
fn head_with(fields: usize, value_len: usize) -> Vec<u8> {
    let mut head = b"GET / HTTP/1.1\r\nHost: a\r\n".to_vec();
    for i in 1..fields {
        head.extend_from_slice(format!("X-Field-{i:03}: ").as_bytes());
        head.extend(vec![b'v'; value_len]);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

/// Bytes allocated while `conn` parses the head already in its buffer, and the fields.
fn parse_cost(conn: &mut Connection) -> (usize, usize) {
    let before = allocated();
    let Ok(Event::Request(req)) = conn.next_event() else {
        panic!("a request")
    };
    let cost = allocated() - before;
    (cost, req.headers().len())
}

#[test]
fn a_full_head_costs_its_bytes_and_16_bytes_per_field() {
    let limits = Limits::default();
    assert_eq!(limits.max_headers, 256);
    // As many fields as allowed, filling most of max_head_size (32 KiB).
    let head = head_with(limits.max_headers, 100);
    assert!(head.len() <= limits.max_head_size, "{}", head.len());

    let mut conn = Connection::new(Role::Server);
    let before = allocated();
    conn.receive(&head).unwrap();
    let buffer = allocated() - before;
    let (parse, fields) = parse_cost(&mut conn);
    assert_eq!(fields, 256);
    println!(
        "a head of {} bytes and {fields} fields: receive buffer {buffer} bytes, parse {parse} bytes \
         ({} per field)",
        head.len(),
        parse / fields
    );
    assert!(buffer < head.len() * 2, "the buffer holds the head once");
    assert!(
        parse <= 16 * fields + 256,
        "parsing allocates one entry per field and no copy of the head: {parse}"
    );
}

#[test]
fn more_fields_than_the_stack_slots_cost_a_slot_each_on_the_heap() {
    let mut limits = Limits::default();
    limits.max_headers = 300;
    let head = head_with(300, 10);
    let mut conn = Connection::with_limits(Role::Server, limits);
    conn.receive(&head).unwrap();
    let (parse, fields) = parse_cost(&mut conn);
    assert_eq!(fields, 300);
    println!("a head of {fields} fields with max_headers 300: parse {parse} bytes");
    // 16 bytes per entry kept, plus the 32-byte slots httparse fills, freed after the parse.
    assert!(parse >= (16 + 32) * fields, "{parse}");
    assert!(parse <= (16 + 32) * fields + 256, "{parse}");
}
