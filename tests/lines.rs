//! Line mode and bounded pieces: every edge of both (terminators, splits, limits, mode
//! switches), through a real `Connection` in both roles.

use h1::{BodyMode, Connection, ErrorKind, Event, Limits, Role};
use h1_harness::{Answer, Item, Requests, Script, Splitter};

/// What a body produced: lines (or data pieces) and how it ended.
#[derive(Debug, PartialEq)]
struct Outcome {
    items: Vec<Vec<u8>>,
    error: Option<ErrorKind>,
}

/// Feeds `head` then `reads` (each one `receive` call; an empty one is left out) to a
/// client that asked GET, or a server, in `mode`; collects LineComplete / Data until the
/// end of the message or an error.
fn run(role: Role, head: &str, reads: &[&[u8]], mode: BodyMode, limits: Limits) -> Outcome {
    let script = Script {
        messages: Some(1),
        ..Script::new(role)
            .limits(limits)
            .mode(mode)
            .requests(Requests::Once)
            .answer(Answer::None)
    };
    let input = [head.as_bytes(), &reads.concat()].concat();
    let sizes: Vec<usize> = [head.len()]
        .into_iter()
        .chain(reads.iter().map(|r| r.len()).filter(|&n| n > 0))
        .collect();
    let trace = script.run(&input, Splitter::cycle(&sizes));
    let (Item::Request(_) | Item::Response(_)) = &trace[0] else {
        panic!("expected a head, got {:?}", trace[0])
    };
    let mut items = Vec::new();
    for item in &trace[1..] {
        match item {
            Item::Line(l) | Item::Data(l) => items.push(l.to_vec()),
            Item::End(_) => return Outcome { items, error: None },
            Item::Error(e) => {
                return Outcome {
                    items,
                    error: Some(e.kind()),
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("no end: {trace:?}");
}

fn lines(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|s| s.as_bytes().to_vec()).collect()
}

const CL_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n";

fn cl_head(n: usize) -> String {
    CL_HEAD.replace("{}", &n.to_string())
}

const CHUNKED_HEAD: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

fn chunk(data: &str) -> String {
    format!("{:x}\r\n{data}\r\n", data.len())
}

#[test]
fn crlf_split_at_every_point_content_length() {
    let body = b"one\r\ntwo\r\n\r\nthree\r\n";
    for cut in 0..=body.len() {
        let (a, b) = body.split_at(cut);
        let out = run(
            Role::Client,
            &cl_head(body.len()),
            &[a, b],
            BodyMode::Lines,
            Limits::default(),
        );
        assert_eq!(
            out.items,
            lines(&["one", "two", "", "three"]),
            "cut at {cut}"
        );
        assert_eq!(out.error, None);
    }
}

#[test]
fn crlf_split_across_chunks_is_one_terminator() {
    // The CR ends one chunk, the LF starts the next: still one terminator, not an empty line;
    // also when the line began in an earlier chunk (it is assembled from the chunks).
    let cases = [
        (
            format!("{}{}{}0\r\n\r\n", chunk("a\r"), chunk("\nb\r"), chunk("\n")),
            ["a", "b"],
        ),
        (
            format!("{}{}{}0\r\n\r\n", chunk("a"), chunk("b\r"), chunk("\nc\n")),
            ["ab", "c"],
        ),
    ];
    for (input, expected) in cases {
        for cut in 0..=input.len() {
            let (x, y) = input.as_bytes().split_at(cut);
            let out = run(
                Role::Client,
                CHUNKED_HEAD,
                &[x, y],
                BodyMode::Lines,
                Limits::default(),
            );
            assert_eq!(out.items, lines(&expected), "{input:?} cut at {cut}");
        }
    }
}

#[test]
fn cr_at_end_of_read_then_other_byte() {
    let out = run(
        Role::Client,
        &cl_head(4),
        &[b"a\r", b"b\n"],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!(out.items, lines(&["a", "b"]));
    let out = run(
        Role::Client,
        &cl_head(3),
        &[b"a\r", b"\r"],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!(out.items, lines(&["a", ""]));
}

#[test]
fn line_spanning_three_chunks_is_one_event() {
    let input = format!(
        "{}{}{}0\r\n\r\n",
        chunk("{\"long"),
        chunk("\":\"li"),
        chunk("ne\"}\nx")
    );
    let out = run(
        Role::Client,
        CHUNKED_HEAD,
        &[input.as_bytes()],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!(out.items, lines(&["{\"long\":\"line\"}", "x"]));
}

#[test]
fn last_line_without_terminator_comes_before_end() {
    for reads in [&[&b"a\nlast"[..]][..], &[b"a\nla", b"st"]] {
        let out = run(
            Role::Client,
            &cl_head(6),
            reads,
            BodyMode::Lines,
            Limits::default(),
        );
        assert_eq!(out.items, lines(&["a", "last"]));
    }
    // Close-delimited: the end of the stream ends the last line.
    let head = "HTTP/1.1 200 OK\r\n\r\n";
    let out = run(
        Role::Client,
        head,
        &[b"x\ny"],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!((out.items, out.error), (lines(&["x", "y"]), None));
}

#[test]
fn empty_lines_are_delivered() {
    let out = run(
        Role::Client,
        &cl_head(5),
        &[b"\n\r\n\r\n"],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!(out.items, lines(&["", "", ""]));
    let out = run(
        Role::Client,
        &cl_head(0),
        &[],
        BodyMode::Lines,
        Limits::default(),
    );
    assert!(out.items.is_empty());
}

#[test]
fn line_limit_one_under_at_and_over() {
    let mut limits = Limits::default();
    limits.max_line_length = 8;
    for (len, ok) in [(7, true), (8, true), (9, false)] {
        let line = "x".repeat(len);
        let body = format!("ok\n{line}\nafter\n");
        for split in [1, 3, body.len()] {
            let reads: Vec<&[u8]> = body.as_bytes().chunks(split).collect();
            let out = run(
                Role::Client,
                &cl_head(body.len()),
                &reads,
                BodyMode::Lines,
                limits.clone(),
            );
            if ok {
                assert_eq!(
                    out.items,
                    lines(&["ok", &line, "after"]),
                    "len {len} split {split}"
                );
            } else {
                // The line before the long one was delivered; then the error.
                assert_eq!(out.items, lines(&["ok"]), "len {len} split {split}");
                assert_eq!(out.error, Some(ErrorKind::LineTooLong));
            }
        }
    }
    // Across chunk boundaries too: the length is what all the chunks give the line.
    for (first, second, ok) in [
        ("xxxxx", "xxxxx\n", false),
        ("x", "xxxxxxxx\n", false),
        ("x", "xxxxxxx\n", true),
    ] {
        let input = format!("{}{}0\r\n\r\n", chunk(first), chunk(second));
        let out = run(
            Role::Client,
            CHUNKED_HEAD,
            &[input.as_bytes()],
            BodyMode::Lines,
            limits.clone(),
        );
        if ok {
            assert_eq!(out.items, lines(&["xxxxxxxx"]), "{first} {second:?}");
        } else {
            assert_eq!(
                out.error,
                Some(ErrorKind::LineTooLong),
                "{first} {second:?}"
            );
        }
    }
}

#[test]
fn server_reads_ndjson_upload_line_by_line() {
    let head = "POST /ingest HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    let input = format!("{}{}0\r\n\r\n", chunk("{\"a\":1}\n{\"b\""), chunk(":2}\n"));
    let out = run(
        Role::Server,
        head,
        &[input.as_bytes()],
        BodyMode::Lines,
        Limits::default(),
    );
    assert_eq!(out.items, lines(&["{\"a\":1}", "{\"b\":2}"]));
}

#[test]
fn pieces_exactly_n_n_minus_1_n_plus_1() {
    let n = 8;
    for len in [n - 1, n, n + 1, 3 * n] {
        let body = "y".repeat(len);
        for head in [cl_head(len), CHUNKED_HEAD.to_string()] {
            let input = if head == CHUNKED_HEAD {
                format!("{}0\r\n\r\n", chunk(&body))
            } else {
                body.clone()
            };
            let out = run(
                Role::Client,
                &head,
                &[input.as_bytes()],
                BodyMode::Data { max: n },
                Limits::default(),
            );
            assert!(out.items.iter().all(|p| !p.is_empty() && p.len() <= n));
            assert_eq!(out.items.concat(), body.as_bytes());
            assert_eq!(out.items.len(), len.div_ceil(n), "len {len}");
        }
    }
}

#[test]
fn switching_modes_mid_body_loses_nothing() {
    let mut conn = Connection::new(Role::Server);
    conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab\r\n\r\n3\r\ncde\r\n0\r\n\r\n").unwrap();
    assert!(matches!(conn.next_event().unwrap(), Event::Request(_)));
    conn.set_body_mode(BodyMode::Lines).unwrap();
    assert_eq!(conn.next_event().unwrap(), Event::LineComplete("ab".into()));
    // "ab\r" ended the chunk: the LF of its CRLF is in the next chunk... here it was in
    // the same chunk; switch to data: the rest comes as data, terminator not repeated.
    conn.set_body_mode(BodyMode::Data { max: 2 }).unwrap();
    let mut data = Vec::new();
    loop {
        match conn.next_event().unwrap() {
            Event::Data(d) => data.extend_from_slice(&d),
            Event::EndOfMessage(_) => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(data, b"cde");
    assert_eq!(
        conn.set_body_mode(BodyMode::Data { max: 0 })
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn lines_are_zero_copy_within_a_run() {
    // Lines within one Content-Length body share the receive buffer's allocation:
    // two consecutive lines are adjacent in memory (separated by their terminator).
    let mut conn = Connection::new(Role::Server);
    conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nabc\ndef\n")
        .unwrap();
    assert!(matches!(conn.next_event().unwrap(), Event::Request(_)));
    conn.set_body_mode(BodyMode::Lines).unwrap();
    let Event::LineComplete(a) = conn.next_event().unwrap() else {
        panic!()
    };
    let Event::LineComplete(b) = conn.next_event().unwrap() else {
        panic!()
    };
    assert_eq!(a.as_ptr() as usize + 4, b.as_ptr() as usize);
}

#[test]
fn line_within_one_chunk_over_two_reads_is_zero_copy() {
    // Only lines that straddle chunk framing may be copied: "abcdef" lies in one chunk,
    // though it arrives in two reads, so it and "xyz" are adjacent slices of the buffer.
    let mut conn = Connection::new(Role::Server);
    conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nb\r\nabc")
        .unwrap();
    assert!(matches!(conn.next_event().unwrap(), Event::Request(_)));
    conn.set_body_mode(BodyMode::Lines).unwrap();
    assert_eq!(conn.next_event().unwrap(), Event::NeedData);
    conn.receive(b"def\nxyz\n\r\n0\r\n\r\n").unwrap();
    let Event::LineComplete(a) = conn.next_event().unwrap() else {
        panic!()
    };
    let Event::LineComplete(b) = conn.next_event().unwrap() else {
        panic!()
    };
    assert_eq!((&a[..], &b[..]), (&b"abcdef"[..], &b"xyz"[..]));
    assert_eq!(
        a.as_ptr() as usize + 7,
        b.as_ptr() as usize,
        "the first line was copied"
    );
}

#[test]
fn switching_to_data_hands_out_complete_lines_not_yet_delivered() {
    // One read holds several complete lines and the start of another: after the first
    // line, the complete ones already taken off the buffer come out as data, in order,
    // then the rest of the body.
    for max in [1, 3, usize::MAX] {
        let mut conn = Connection::new(Role::Server);
        conn.receive(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\na\nbb\r\nc\rrest")
            .unwrap();
        assert!(matches!(conn.next_event().unwrap(), Event::Request(_)));
        conn.set_body_mode(BodyMode::Lines).unwrap();
        assert_eq!(conn.next_event().unwrap(), Event::LineComplete("a".into()));
        conn.set_body_mode(BodyMode::Data { max }).unwrap();
        let mut data = Vec::new();
        loop {
            match conn.next_event().unwrap() {
                Event::Data(d) => {
                    assert!(d.len() <= max);
                    data.extend_from_slice(&d);
                }
                Event::EndOfMessage(_) => break,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(data, b"bb\r\nc\rrest", "max {max}");
    }
}
