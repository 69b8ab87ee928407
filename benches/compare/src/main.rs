//! h1 against its peers and the physical limits, on the same bytes, interleaved.
//!
//! `cargo run --release --manifest-path benches/compare/Cargo.toml` (full: 15 rounds);
//! `H1_BENCH_QUICK=1` or `--quick` for a smoke run (3 short rounds).
//!
//! Every round runs every case once for a calibrated number of iterations, so slow drift
//! of a shared machine hits all sides alike. A ratio is the median over rounds of the
//! ratio measured within each round. The output is a markdown report that ends with one
//! `ratio NAME VALUE` line per ratio with a performance target (`docs/performance.md`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use h1::{BodyMode, Connection, Role};

#[path = "../../samples/mod.rs"]
mod samples;
#[path = "../../workloads/mod.rs"]
mod workloads;

mod memory;
mod peers;

#[global_allocator]
static ALLOC: memory::Counting = memory::Counting;

use samples::{BIG, READ};

/// What one call of a case processes, for the per-unit column.
#[derive(Clone, Copy)]
enum Unit {
    /// Messages (or lines, or chunks) per call: reported as ns each.
    Items(f64, &'static str),
    /// Bytes per call: reported as GB/s.
    Bytes(f64),
}

/// One implementation on one workload.
struct Case {
    name: &'static str,
    unit: Unit,
    run: Box<dyn FnMut() -> usize>,
    iters: u32,
    /// What the last call returned (messages, lines, chunks or bytes it saw): a check that
    /// every side did the whole work.
    last: usize,
    /// Nanoseconds per call, one entry per round.
    ns: Vec<f64>,
}

/// A ratio between two cases: `num` over `den` of their per-call times in the same round.
struct Ratio {
    name: &'static str,
    /// The case whose time is the numerator.
    num: &'static str,
    /// The case whose time is the denominator.
    den: &'static str,
    /// The performance target, and whether larger is better.
    target: Option<(f64, bool)>,
    /// A ratio with a target (printed as a `ratio` line) or informational.
    official: bool,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn case(name: &'static str, unit: Unit, run: impl FnMut() -> usize + 'static) -> Case {
    Case {
        name,
        unit,
        run: Box::new(run),
        iters: 1,
        last: 0,
        ns: Vec::new(),
    }
}

/// Every case, in the order the table shows them.
fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    let msg = |n: usize| Unit::Items(n as f64, "ns/msg");

    // One browser GET: h1 from a fresh connection to head + end of message; httparse alone.
    v.push(case("h1 browser GET", msg(1), || {
        workloads::request_once(samples::BROWSER_GET)
    }));
    let mut b = BytesMut::with_capacity(4096);
    v.push(case("httparse+copy browser GET", msg(1), move || {
        peers::httparse_request(&mut b, samples::BROWSER_GET)
    }));
    v.push(case(
        "httparse+fresh buffer+offsets browser GET (floor)",
        msg(1),
        || peers::httparse_fresh_offsets(samples::BROWSER_GET),
    ));
    v.push(case("h1 minimal GET", msg(1), || {
        workloads::request_once(samples::MINIMAL_GET)
    }));
    let mut b = BytesMut::with_capacity(4096);
    v.push(case("httparse+copy minimal GET", msg(1), move || {
        peers::httparse_request(&mut b, samples::MINIMAL_GET)
    }));
    let (mut conn, mut out) = (Connection::new(Role::Server), Vec::new());
    v.push(case(
        "h1 keep-alive browser GET + empty 200",
        msg(1),
        move || workloads::serve_pipelined(&mut conn, samples::BROWSER_GET, READ, &mut out),
    ));
    let (mut b, mut offsets, mut out) = (BytesMut::new(), Vec::new(), Vec::new());
    v.push(case(
        "keep-alive browser GET + empty 200 (floor)",
        msg(1),
        move || {
            let (head, ok) = (samples::BROWSER_GET, samples::EMPTY_OK);
            peers::keepalive_floor(&mut b, &mut offsets, &mut out, head, ok)
        },
    ));
    let (mut b, mut offsets, mut out) = (BytesMut::new(), Vec::new(), Vec::new());
    v.push(case(
        "keep-alive browser GET + empty 200 (strict floor)",
        msg(1),
        move || {
            let (head, ok) = (samples::BROWSER_GET, samples::EMPTY_OK);
            peers::keepalive_strict_floor(&mut b, &mut offsets, &mut out, head, ok)
        },
    ));

    let (mut b, mut out) = (BytesMut::new(), Vec::new());
    v.push(case(
        "keep-alive browser GET + empty 200 (design floor)",
        msg(1),
        move || peers::keepalive_design_floor(&mut b, &mut out, samples::BROWSER_GET),
    ));

    // 1,000 pipelined browser GETs, read 16 KiB at a time.
    let wire: &'static [u8] = samples::pipelined(1000).leak();
    let (mut conn, mut out) = (Connection::new(Role::Server), Vec::new());
    v.push(case(
        "h1 pipelined x1000 (+ empty 200 each)",
        msg(1000),
        move || workloads::serve_pipelined(&mut conn, wire, READ, &mut out),
    ));
    let (mut codec, mut buf, mut out) = (peers::actix_codec(), BytesMut::new(), BytesMut::new());
    v.push(case(
        "actix Codec pipelined x1000 (+ encode 200 each)",
        msg(1000),
        move || peers::actix_pipelined(&mut codec, &mut buf, &mut out, wire, READ, true),
    ));
    let (mut codec, mut buf, mut out) = (peers::actix_codec(), BytesMut::new(), BytesMut::new());
    v.push(case(
        "actix Codec pipelined x1000 (decode only)",
        msg(1000),
        move || peers::actix_pipelined(&mut codec, &mut buf, &mut out, wire, READ, false),
    ));

    // A client exchange: write GET, read the 285-byte head and its 12-byte body.
    let resp: &'static [u8] = samples::small_response().leak();
    let (mut conn, mut out) = (Connection::new(Role::Client), Vec::new());
    v.push(case("h1 client GET + response", msg(1), move || {
        workloads::fetch(&mut conn, resp, READ, BodyMode::default(), &mut out)
    }));
    let (mut out, mut b, mut offsets) = (Vec::new(), BytesMut::new(), Vec::new());
    v.push(case("client GET + response (floor)", msg(1), move || {
        peers::client_floor(&mut out, &mut b, &mut offsets, samples::MINIMAL_GET, resp)
    }));
    let (mut out, mut b, mut offsets) = (Vec::new(), BytesMut::new(), Vec::new());
    v.push(case(
        "client GET + response (strict floor)",
        msg(1),
        move || {
            peers::client_strict_floor(&mut out, &mut b, &mut offsets, samples::MINIMAL_GET, resp)
        },
    ));
    let (mut b, mut out) = (BytesMut::new(), Vec::new());
    v.push(case(
        "client GET + response (design floor)",
        msg(1),
        move || peers::client_design_floor(&mut b, &mut out, resp),
    ));
    let (mut out, mut buf, mut body) = (vec![0u8; 4096], Vec::with_capacity(4096), vec![0u8; 4096]);
    v.push(case(
        "ureq-proto client GET + response",
        msg(1),
        move || peers::ureq_fetch(&mut out, &mut buf, &mut body, resp),
    ));
    let mut b = BytesMut::with_capacity(4096);
    v.push(case("httparse+copy response head", msg(1), move || {
        peers::httparse_response(&mut b, samples::RESPONSE_HEAD)
    }));

    // 16 MiB in 16 KiB chunks to Data events, against copying the same bytes.
    let body = samples::body(BIG);
    let wire16k: &'static [u8] = samples::response(&body, Some(16 * 1024)).leak();
    let (mut conn, mut out) = (Connection::new(Role::Client), Vec::new());
    v.push(case(
        "h1 16 MiB chunked 16 KiB",
        Unit::Bytes(wire16k.len() as f64),
        move || workloads::fetch(&mut conn, wire16k, READ, BodyMode::default(), &mut out),
    ));
    let mut buf = vec![0u8; READ];
    v.push(case(
        "memcpy same bytes",
        Unit::Bytes(wire16k.len() as f64),
        move || peers::memcpy(&mut buf, wire16k, READ),
    ));
    let mut bbuf = BytesMut::with_capacity(READ);
    v.push(case(
        "memcpy + one Bytes per read (floor)",
        Unit::Bytes(wire16k.len() as f64),
        move || peers::memcpy_bytes(&mut bbuf, wire16k, READ),
    ));
    let mut cbuf = BytesMut::with_capacity(READ);
    v.push(case(
        "memcpy + chunk framing, one Bytes per piece (floor)",
        Unit::Bytes(wire16k.len() as f64),
        move || peers::memcpy_chunked(&mut cbuf, wire16k, READ),
    ));
    let wire_cl: &'static [u8] = samples::response(&body, None).leak();
    let (mut conn, mut out) = (Connection::new(Role::Client), Vec::new());
    v.push(case(
        "h1 16 MiB Content-Length",
        Unit::Bytes(wire_cl.len() as f64),
        move || workloads::fetch(&mut conn, wire_cl, READ, BodyMode::default(), &mut out),
    ));

    // A request body in 16-byte chunks (server role), against actix's payload decoder.
    let chunks = BIG / 16;
    let up: &'static [u8] = [samples::CHUNKED_POST_HEAD, &samples::chunked(&body, 16)]
        .concat()
        .leak();
    v.push(case(
        "h1 upload chunked 16 B",
        Unit::Items(chunks as f64, "ns/chunk"),
        move || workloads::upload(up, READ),
    ));
    v.push(case(
        "actix upload chunked 16 B",
        Unit::Items(chunks as f64, "ns/chunk"),
        move || peers::actix_upload(up, READ),
    ));

    // The same above the size h1 gathers (256 B): every chunk its own zero-copy `Data`.
    let up300: &'static [u8] = [samples::CHUNKED_POST_HEAD, &samples::chunked(&body, 300)]
        .concat()
        .leak();
    let per_chunk = Unit::Items(BIG.div_ceil(300) as f64, "ns/chunk");
    v.push(case("h1 upload chunked 300 B", per_chunk, move || {
        workloads::upload(up300, READ)
    }));
    v.push(case("actix upload chunked 300 B", per_chunk, move || {
        peers::actix_upload(up300, READ)
    }));

    // Line mode over 16 MiB of 100-byte NDJSON lines.
    let lines = samples::NDJSON_LINES;
    let nd = samples::ndjson(lines);
    let nd_cl: &'static [u8] = samples::response(&nd, None).leak();
    let nd_ch: &'static [u8] = samples::response(&nd, Some(16 * 1024)).leak();
    let nd_body: &'static [u8] = nd.leak();
    let per_line = Unit::Items(lines as f64, "ns/line");
    let (mut conn, mut out) = (Connection::new(Role::Client), Vec::new());
    v.push(case(
        "h1 lines NDJSON Content-Length",
        per_line,
        move || workloads::fetch(&mut conn, nd_cl, READ, BodyMode::Lines, &mut out),
    ));
    let mut buf = Vec::with_capacity(2 * READ);
    v.push(case(
        "memchr copy + split same lines",
        per_line,
        move || peers::memchr_lines(&mut buf, nd_body, READ),
    ));
    let mut bbuf = BytesMut::with_capacity(2 * READ);
    v.push(case(
        "memchr + one Bytes per line (floor)",
        per_line,
        move || peers::memchr_bytes_lines(&mut bbuf, nd_body, READ),
    ));
    let mut floor = peers::LinesDesignFloor::default();
    v.push(case(
        "lines as events (design floor)",
        per_line,
        move || peers::lines_design_floor(&mut floor, nd_body, READ),
    ));
    let (mut conn, mut out) = (Connection::new(Role::Client), Vec::new());
    v.push(case(
        "h1 lines NDJSON chunked 16 KiB",
        per_line,
        move || workloads::fetch(&mut conn, nd_ch, READ, BodyMode::Lines, &mut out),
    ));

    // Heads dripped one byte per call.
    let h4: &'static [u8] = samples::big_head(4096).leak();
    let h8: &'static [u8] = samples::big_head(8192).leak();
    v.push(case("h1 drip 4 KiB head", msg(1), move || {
        workloads::drip(h4)
    }));
    v.push(case("h1 drip 8 KiB head", msg(1), move || {
        workloads::drip(h8)
    }));
    v.push(case("h1 4 KiB head whole", msg(1), move || {
        workloads::request_once(h4)
    }));
    let mut b = BytesMut::with_capacity(8192);
    v.push(case("httparse drip 4 KiB head", msg(1), move || {
        peers::httparse_drip(&mut b, h4)
    }));
    let mut b = BytesMut::with_capacity(8192);
    v.push(case("httparse+copy 4 KiB head whole", msg(1), move || {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        b.clear();
        b.extend_from_slice(h4);
        let mut req = httparse::Request::new(&mut headers);
        black_box(req.parse(black_box(&b[..])).unwrap().is_complete()) as usize
    }));
    v
}

fn ratios() -> Vec<Ratio> {
    let r = |name, num, den, target, official| Ratio {
        name,
        num,
        den,
        target,
        official,
    };
    vec![
        r(
            "keepalive_get_vs_floor",
            "keep-alive browser GET + empty 200 (floor)",
            "h1 keep-alive browser GET + empty 200",
            Some((0.8, true)),
            true,
        ),
        r(
            "client_exchange_vs_floor",
            "client GET + response (floor)",
            "h1 client GET + response",
            Some((0.8, true)),
            true,
        ),
        r(
            "keepalive_get_vs_strict_floor",
            "keep-alive browser GET + empty 200 (strict floor)",
            "h1 keep-alive browser GET + empty 200",
            None,
            false,
        ),
        r(
            "client_exchange_vs_strict_floor",
            "client GET + response (strict floor)",
            "h1 client GET + response",
            None,
            false,
        ),
        r(
            "keepalive_design_floor_vs_floor",
            "keep-alive browser GET + empty 200 (floor)",
            "keep-alive browser GET + empty 200 (design floor)",
            None,
            false,
        ),
        r(
            "keepalive_get_vs_design_floor",
            "keep-alive browser GET + empty 200 (design floor)",
            "h1 keep-alive browser GET + empty 200",
            None,
            false,
        ),
        r(
            "client_design_floor_vs_floor",
            "client GET + response (floor)",
            "client GET + response (design floor)",
            None,
            false,
        ),
        r(
            "client_exchange_vs_design_floor",
            "client GET + response (design floor)",
            "h1 client GET + response",
            None,
            false,
        ),
        r(
            "lines_vs_floor",
            "memchr + one Bytes per line (floor)",
            "h1 lines NDJSON Content-Length",
            Some((0.8, true)),
            true,
        ),
        r(
            "chunked_16k_vs_memcpy",
            "memcpy same bytes",
            "h1 16 MiB chunked 16 KiB",
            Some((0.9, true)),
            true,
        ),
        r(
            "content_length_vs_memcpy",
            "memcpy same bytes",
            "h1 16 MiB Content-Length",
            Some((0.95, true)),
            true,
        ),
        r(
            "chunked_16b_vs_actix",
            "actix upload chunked 16 B",
            "h1 upload chunked 16 B",
            Some((1.3, true)),
            true,
        ),
        r(
            "drip_8k_vs_4k",
            "h1 drip 8 KiB head",
            "h1 drip 4 KiB head",
            Some((2.2, false)),
            true,
        ),
        r(
            "drip_4k_vs_whole",
            "h1 drip 4 KiB head",
            "h1 4 KiB head whole",
            Some((50.0, false)),
            true,
        ),
        r(
            "h1_vs_httparse_browser_get",
            "httparse+copy browser GET",
            "h1 browser GET",
            None,
            false,
        ),
        r(
            "h1_vs_actix_pipelined",
            "actix Codec pipelined x1000 (+ encode 200 each)",
            "h1 pipelined x1000 (+ empty 200 each)",
            None,
            false,
        ),
        r(
            "h1_vs_ureq_proto_response",
            "ureq-proto client GET + response",
            "h1 client GET + response",
            None,
            false,
        ),
        r(
            "lines_vs_memchr",
            "memchr copy + split same lines",
            "h1 lines NDJSON Content-Length",
            None,
            false,
        ),
        r(
            "chunked_300b_vs_actix",
            "actix upload chunked 300 B",
            "h1 upload chunked 300 B",
            None,
            false,
        ),
        r(
            "h1_vs_httparse_minimal_get",
            "httparse+copy minimal GET",
            "h1 minimal GET",
            None,
            false,
        ),
        r(
            "h1_vs_actix_pipelined_decode_only",
            "actix Codec pipelined x1000 (decode only)",
            "h1 pipelined x1000 (+ empty 200 each)",
            None,
            false,
        ),
        r(
            "h1_keepalive_cycle_vs_fresh",
            "h1 keep-alive browser GET + empty 200",
            "h1 browser GET",
            None,
            false,
        ),
        r(
            "lines_chunked_vs_memchr",
            "memchr copy + split same lines",
            "h1 lines NDJSON chunked 16 KiB",
            None,
            false,
        ),
        r(
            "lines_floor_vs_memchr",
            "memchr copy + split same lines",
            "memchr + one Bytes per line (floor)",
            None,
            false,
        ),
        r(
            "browser_get_floor_vs_httparse",
            "httparse+copy browser GET",
            "httparse+fresh buffer+offsets browser GET (floor)",
            None,
            false,
        ),
        r(
            "bytes_per_read_floor_vs_memcpy",
            "memcpy same bytes",
            "memcpy + one Bytes per read (floor)",
            None,
            false,
        ),
        r(
            "chunked_floor_vs_memcpy",
            "memcpy same bytes",
            "memcpy + chunk framing, one Bytes per piece (floor)",
            None,
            false,
        ),
        r(
            "chunked_16k_vs_chunked_floor",
            "memcpy + chunk framing, one Bytes per piece (floor)",
            "h1 16 MiB chunked 16 KiB",
            None,
            false,
        ),
        r(
            "lines_design_floor_vs_floor",
            "memchr + one Bytes per line (floor)",
            "lines as events (design floor)",
            None,
            false,
        ),
        r(
            "lines_vs_design_floor",
            "lines as events (design floor)",
            "h1 lines NDJSON Content-Length",
            None,
            false,
        ),
        r(
            "httparse_drip_4k_vs_whole",
            "httparse drip 4 KiB head",
            "httparse+copy 4 KiB head whole",
            None,
            false,
        ),
    ]
}

fn time(c: &mut Case) -> f64 {
    let start = Instant::now();
    for _ in 0..c.iters {
        c.last = black_box((c.run)());
    }
    start.elapsed().as_nanos() as f64 / f64::from(c.iters)
}

/// Runs only the cases whose name contains `only`, for 10 seconds, for a profiler
/// (`H1_BENCH_PROFILE="h1 browser GET" perf record -e cpu-clock ...`).
fn profile(cases: &mut [Case], only: &str) {
    let picked: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].name.contains(only))
        .collect();
    assert!(!picked.is_empty(), "no case matches {only:?}");
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < Duration::from_secs(10) {
        for &i in &picked {
            for _ in 0..cases[i].iters.max(1) {
                black_box((cases[i].run)());
                calls += 1;
            }
        }
    }
    println!("profiled {calls} calls of cases matching {only:?}");
}

/// Runs each case whose name contains `only` exactly `calls` times, for an instruction
/// counter: the difference between a run with N and one with 2N calls, divided by N, is
/// the cost of one call, exactly and whatever else the machine is doing:
///
/// ```text
/// for n in 1000 2000; do H1_BENCH_PROFILE="h1 browser GET" H1_BENCH_CALLS=$n \
///   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$n \
///   benches/compare/target/release/h1-compare; done   # "Collected : I" per run
/// ```
fn count_calls(cases: &mut [Case], only: &str, calls: u64) {
    let picked: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].name.contains(only))
        .collect();
    assert!(!picked.is_empty(), "no case matches {only:?}");
    for &i in &picked {
        for _ in 0..calls {
            black_box((cases[i].run)());
        }
    }
    println!("ran {calls} calls of each case matching {only:?}");
}

fn main() {
    let quick = std::env::var_os("H1_BENCH_QUICK").is_some_and(|v| v != "0")
        || std::env::args().any(|a| a == "--quick");
    let (rounds, target) = if quick {
        (3, Duration::from_millis(5))
    } else {
        (15, Duration::from_millis(40))
    };
    // actix-http's codec needs a (single-threaded) actix/tokio runtime for its date timer;
    // everything runs synchronously inside it.
    actix_rt::System::new().block_on(async move { run(rounds, target, quick) });
}

/// The floors copy fixed bytes where h1 writes its own: check they are the same bytes.
/// And the chunked floor, which decodes its own framing, takes the whole body.
fn check_floor_bytes() {
    let mut server = Connection::new(Role::Server);
    server.receive(samples::BROWSER_GET).unwrap();
    assert!(matches!(server.next_event(), Ok(h1::Event::Request(_))));
    assert!(matches!(
        server.next_event(),
        Ok(h1::Event::EndOfMessage(_))
    ));
    let mut wire = server
        .send_response(&workloads::empty_ok())
        .unwrap()
        .to_vec();
    wire.extend(server.send_end().unwrap().to_vec());
    assert_eq!(
        wire,
        samples::EMPTY_OK,
        "the keep-alive floor writes other bytes"
    );
    let mut client = Connection::new(Role::Client);
    let req = h1::Request::new("GET", "/")
        .and_then(|r| r.with_header("Host", "example.com"))
        .unwrap();
    let mut wire = client.send_request(&req).unwrap().to_vec();
    wire.extend(client.send_end().unwrap().to_vec());
    assert_eq!(
        wire,
        samples::MINIMAL_GET,
        "the client floor writes other bytes"
    );
    // The chunked floor follows the framing: it takes the whole body, however chunked
    // and however read.
    let body = samples::body(20_000);
    for chunk in [1, 300, 16 * 1024] {
        let wire = samples::response(&body, Some(chunk));
        for read in [1, 7, READ] {
            let taken = peers::memcpy_chunked(&mut BytesMut::new(), &wire, read);
            assert_eq!(taken, body.len(), "the chunked floor, {chunk}-byte chunks");
        }
    }
}

fn run(rounds: usize, target: Duration, quick: bool) {
    check_floor_bytes();
    let mut cases = cases();
    // A quicker timing run of some cases (and the ratios between them): `;`-separated
    // substrings of case names.
    if let Ok(only) = std::env::var("H1_BENCH_ONLY") {
        cases.retain(|c| only.split(';').any(|o| c.name.contains(o)));
    }
    let only = std::env::var("H1_BENCH_PROFILE").ok();
    // Exact call counts, for instruction counting: no calibration, no clock.
    let calls = std::env::var("H1_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok());
    if let (Some(only), Some(calls)) = (&only, calls) {
        count_calls(&mut cases, only, calls);
        return;
    }
    // Warm up and calibrate: enough iterations per round to fill `target`.
    for c in &mut cases {
        if only.as_ref().is_some_and(|o| !c.name.contains(o.as_str())) {
            continue;
        }
        time(c);
        let once = time(c).max(1.0);
        c.iters = ((target.as_nanos() as f64 / once) as u32).clamp(1, 1_000_000);
    }
    if let Some(only) = only {
        profile(&mut cases, &only);
        return;
    }
    for _ in 0..rounds {
        for c in &mut cases {
            let ns = time(c);
            c.ns.push(ns);
        }
    }

    println!(
        "# h1 comparison ({} rounds{})\n",
        rounds,
        if quick { ", quick" } else { "" }
    );
    println!(
        "| case | median per call | per unit | throughput | result |\n|---|---:|---:|---:|---:|"
    );
    for c in &cases {
        let med = median(&mut c.ns.clone());
        let (per, thr) = match c.unit {
            Unit::Items(n, label) => {
                let each = med / n;
                (
                    format!("{each:.1} {label}"),
                    format!("{:.2} M/s", 1e3 / each),
                )
            }
            Unit::Bytes(n) => (
                format!("{:.3} ns/B", med / n),
                format!("{:.2} GB/s", n / med),
            ),
        };
        println!(
            "| {} | {:.1} µs | {per} | {thr} | {} |",
            c.name,
            med / 1e3,
            c.last
        );
    }

    let find = |name: &str| cases.iter().find(|c| c.name == name);
    let mut lines = Vec::new();
    println!("\n## Ratios (median over rounds of the in-round ratio)\n");
    println!("| ratio | value | target | met |\n|---|---:|---:|:---:|");
    for r in ratios() {
        let (Some(a), Some(b)) = (find(r.num), find(r.den)) else {
            continue;
        };
        let mut per_round: Vec<f64> = a.ns.iter().zip(&b.ns).map(|(x, y)| x / y).collect();
        let value = median(&mut per_round);
        let (target, met) = match r.target {
            Some((t, true)) => (format!("≥ {t}"), if value >= t { "yes" } else { "no" }),
            Some((t, false)) => (format!("≤ {t}"), if value <= t { "yes" } else { "no" }),
            None => ("info".to_string(), ""),
        };
        println!("| {} | {value:.3} | {target} | {met} |", r.name);
        lines.push((r.official, r.name, value));
    }

    let mem = memory::report();
    println!();
    for (name, v) in mem {
        println!("memory {name} {v}");
    }
    for (_, name, v) in lines.iter().filter(|l| !l.0) {
        println!("info {name} {v:.3}");
    }
    for (_, name, v) in lines.iter().filter(|l| l.0) {
        println!("ratio {name} {v:.3}");
    }
}
