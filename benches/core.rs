//! Criterion benches of h1's core alone (no I/O), on the fixed samples of
//! `benches/samples/`. Run: `cargo bench --bench core` (a few minutes); one group:
//! `cargo bench --bench core -- lines`. Peers and ratios are in `benches/compare/`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use h1::{BodyMode, Bytes, Connection, Role};

mod samples;
mod workloads;

use samples::{BIG, READ};

/// A group with a short, fixed runtime, so the whole bench takes a few minutes.
fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
    samples: usize,
) -> BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(samples)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g
}

/// Heads: single messages, pipelined requests, a whole client cycle.
fn heads(c: &mut Criterion) {
    let mut g = group(c, "receive", 30);
    for (name, head) in [
        ("minimal_get_37B", samples::MINIMAL_GET),
        ("browser_get_703B", samples::BROWSER_GET),
    ] {
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| workloads::request_once(black_box(head)))
        });
    }

    let wire = samples::pipelined(1000);
    g.throughput(Throughput::Elements(1000));
    g.bench_function("pipelined_1000_browser_gets", |b| {
        let mut conn = Connection::new(Role::Server);
        let mut out = Vec::new();
        b.iter(|| workloads::serve_pipelined(&mut conn, black_box(&wire), READ, &mut out))
    });

    let wire = samples::small_response();
    g.throughput(Throughput::Elements(1));
    g.bench_function("client_cycle_response_285B_head", |b| {
        let mut conn = Connection::new(Role::Client);
        let mut out = Vec::new();
        b.iter(|| {
            let mode = BodyMode::default();
            workloads::fetch(&mut conn, black_box(&wire), READ, mode, &mut out)
        })
    });
    g.finish();
}

/// Client-role receive of a 16 MiB body in every framing.
fn bodies(c: &mut Criterion) {
    let body = samples::body(BIG);
    let mut g = group(c, "body_16MiB", 10);
    g.throughput(Throughput::Bytes(BIG as u64));
    let shapes = [
        ("content_length", None),
        ("chunked_16B", Some(16)),
        ("chunked_1KiB", Some(1024)),
        ("chunked_16KiB", Some(16 * 1024)),
        ("chunked_1MiB", Some(1 << 20)),
    ];
    for (name, chunk) in shapes {
        let wire = samples::response(&body, chunk);
        g.bench_function(name, |b| {
            let mut conn = Connection::new(Role::Client);
            let mut out = Vec::new();
            b.iter(|| {
                let got = workloads::fetch(&mut conn, &wire, READ, BodyMode::default(), &mut out);
                assert_eq!(got, BIG);
            })
        });
    }
    g.bench_function("memcpy_baseline", |b| {
        let mut buf = vec![0u8; READ];
        b.iter(|| {
            for piece in body.chunks(READ) {
                buf[..piece.len()].copy_from_slice(piece);
                black_box(&buf);
            }
        })
    });
    g.finish();
}

/// Line mode over 16 MiB of ~100-byte NDJSON lines, against counting newlines with memchr.
fn lines(c: &mut Criterion) {
    let n = samples::NDJSON_LINES;
    let body = samples::ndjson(n);
    let mut g = group(c, "lines_ndjson_16MiB", 10);
    g.throughput(Throughput::Elements(n as u64));
    for (name, chunk) in [("content_length", None), ("chunked_16KiB", Some(16 * 1024))] {
        let wire = samples::response(&body, chunk);
        g.bench_function(name, |b| {
            let mut conn = Connection::new(Role::Client);
            let mut out = Vec::new();
            b.iter(|| {
                let got = workloads::fetch(&mut conn, &wire, READ, BodyMode::Lines, &mut out);
                assert_eq!(got, n);
            })
        });
    }
    g.bench_function("memchr_count_baseline", |b| {
        b.iter(|| assert_eq!(memchr::memchr_iter(b'\n', black_box(&body)).count(), n))
    });
    g.finish();
}

/// Send side: head and a 64 KiB body (four 16 KiB pieces) with Content-Length; chunked
/// with two trailer fields.
fn send(c: &mut Criterion) {
    let body = Bytes::from(samples::body(64 * 1024));
    let pieces: Vec<Bytes> = (0..4)
        .map(|i| body.slice(i * READ..(i + 1) * READ))
        .collect();
    let mut g = group(c, "send_64KiB", 30);
    g.throughput(Throughput::Elements(1));
    g.bench_function("head_content_length", |b| {
        b.iter(|| workloads::send_cl(black_box(&pieces)))
    });
    g.bench_function("head_chunked_trailers", |b| {
        b.iter(|| workloads::send_chunked(black_box(&pieces)))
    });
    g.finish();
}

/// Heads fed one byte per call, against the same head fed whole.
fn drip(c: &mut Criterion) {
    let head4 = samples::big_head(4096);
    let head8 = samples::big_head(8192);
    let mut g = group(c, "drip", 20);
    g.throughput(Throughput::Elements(1));
    g.bench_function("4KiB_byte_at_a_time", |b| {
        b.iter(|| workloads::drip(black_box(&head4)))
    });
    g.bench_function("8KiB_byte_at_a_time", |b| {
        b.iter(|| workloads::drip(black_box(&head8)))
    });
    g.bench_function("4KiB_whole", |b| {
        b.iter(|| workloads::request_once(black_box(&head4)))
    });
    g.finish();
}

criterion_group!(benches, heads, bodies, lines, send, drip);
criterion_main!(benches);
