//! The drivers' example programs live in `examples/`: `fetch`, `serve` and `demo`.

#![forbid(unsafe_code)]
