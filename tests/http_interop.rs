//! A whole exchange written with the `http` crate's types on both sides: a client builds an
//! `http::Request`, the server reads it as one and answers with an `http::Response` with
//! trailers, and the client reads that back. Runs with `--features http`.

#![cfg(feature = "http")]

mod common;

use common::Pair;
use h1::{Event, Headers, Request, Response};

#[test]
fn an_exchange_in_http_types_on_both_sides() {
    let mut p = Pair::new();

    // Client: an http::Request with duplicate fields and a non-UTF-8 value.
    let out = http::Request::put("/items/7?rev=3")
        .header("Host", "api.example")
        .header("Accept", "application/json")
        .header("Accept", "text/plain")
        .header(
            "X-Label",
            http::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        )
        .header("Content-Length", "7")
        .body(h1::Bytes::from_static(b"{\"n\":1}"))
        .unwrap();
    let head = Request::try_from(&out).unwrap();
    p.client_sends(|c| c.send_request(&head));
    p.client_sends(|c| c.send_data(out.body().clone()));
    p.client_sends(|c| c.send_end());

    // Server: the request as an http::Request, its body as the events gave it.
    let events = p.server_events();
    let Event::Request(got) = &events[0] else {
        panic!("{events:?}")
    };
    let req = http::Request::<()>::try_from(got).unwrap();
    assert_eq!(req.method(), http::Method::PUT);
    assert_eq!(req.uri().path(), "/items/7");
    assert_eq!(req.uri().query(), Some("rev=3"));
    assert_eq!(req.version(), http::Version::HTTP_11);
    let accept: Vec<_> = req.headers().get_all("accept").iter().collect();
    assert_eq!(accept, ["application/json", "text/plain"]);
    assert_eq!(req.headers()["x-label"].as_bytes(), b"caf\xe9");
    assert_eq!(events[1], Event::Data("{\"n\":1}".into()));
    assert!(matches!(events[2], Event::EndOfMessage(_)));

    // Server: an http::Response with no length (chunked) and trailers from a HeaderMap.
    let res = http::Response::builder()
        .status(http::StatusCode::CREATED)
        .header("Location", "/items/7")
        .header("Trailer", "X-Digest")
        .body(())
        .unwrap();
    let mut trailer_map = http::HeaderMap::new();
    trailer_map.insert("x-digest", http::HeaderValue::from_static("sha-256=abc"));
    let trailers = Headers::try_from(&trailer_map).unwrap();
    p.server_sends(|s| s.send_response(&Response::try_from(&res).unwrap()));
    p.server_sends(|s| s.send_data("ok".into()));
    p.server_sends(|s| s.send_end_with_trailers(&trailers));

    // Client: the response and its trailers back as http types.
    let events = p.client_events();
    let Event::Response(got) = &events[0] else {
        panic!("{events:?}")
    };
    let back = http::Response::<()>::try_from(got).unwrap();
    assert_eq!(back.status(), http::StatusCode::CREATED);
    assert_eq!(back.headers()["location"], "/items/7");
    assert_eq!(back.headers()["transfer-encoding"], "chunked");
    assert_eq!(events[1], Event::Data("ok".into()));
    let Event::EndOfMessage(trailers) = &events[2] else {
        panic!("{events:?}")
    };
    assert_eq!(http::HeaderMap::try_from(trailers).unwrap(), trailer_map);

    p.client.start_next_cycle().unwrap();
    p.server.start_next_cycle().unwrap();
}
