//! Harness code shared by the fuzz targets in `fuzz_targets/`: each target is a few lines
//! calling one `run` function here.
//!
//! - [`check`]: wraps a receiving [`h1::Connection`] and checks every event it hands out
//!   against the invariants (valid sequence, Content-Length sums, bounded buffering, …).
//! - [`receive`]: raw bytes into a server or a client, split and whole.
//! - [`roundtrip`]: structure-aware messages sent by one connection, read by the other.
//! - [`lines`]: line mode and bounded data pieces against a reference splitter.

pub mod check;
pub mod lines;
pub mod receive;
pub mod roundtrip;

/// The split patterns: the harness's, shared with the core's tests.
pub use h1_harness::Splitter;

/// Small limits, so that fuzzing reaches every limit check with short inputs.
pub fn small_limits() -> h1::Limits {
    let mut l = h1::Limits::default();
    l.max_head_size = 512;
    l.max_headers = 8;
    l.max_start_line = 128;
    l.max_chunk_line = 32;
    l.max_trailer_size = 128;
    l.max_line_length = 64;
    l.max_body_size = Some(4096);
    l
}

/// Small buffers, paired with [`small_limits`]: short reads, and buffers given back soon.
pub fn small_buffers() -> h1::Buffers {
    let mut b = h1::Buffers::default();
    b.read_size = 64;
    b.shrink_threshold = 256;
    b
}

#[cfg(test)]
mod tests {
    //! `cargo test` in fuzz/ replays the seed corpus through every harness, without
    //! cargo-fuzz or sanitizers: a quick check that the harness and the seeds agree.
    use arbitrary::{Arbitrary, Unstructured};

    fn seeds(target: &str) -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("seed corpus")
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {target}");
        files.iter().map(|f| std::fs::read(f).unwrap()).collect()
    }

    #[test]
    fn receive_seeds() {
        for data in seeds("receive_server") {
            crate::receive::run(h1::Role::Server, &data);
        }
        for data in seeds("receive_client") {
            crate::receive::run(h1::Role::Client, &data);
        }
    }

    #[test]
    fn structured_seeds() {
        for data in seeds("roundtrip") {
            let script = crate::roundtrip::Script::arbitrary_take_rest(Unstructured::new(&data));
            crate::roundtrip::run(&script.unwrap());
        }
        for data in seeds("lines") {
            let input = crate::lines::Input::arbitrary_take_rest(Unstructured::new(&data));
            crate::lines::run(&input.unwrap());
        }
    }

    #[test]
    fn reference_lines_terminators() {
        let lines = crate::lines::reference_lines(b"a\r\nb\nc\rd\r\r\ne");
        let got: Vec<_> = lines.iter().map(|(l, e)| (&l[..], *e)).collect();
        assert_eq!(
            got,
            [
                (&b"a"[..], 3),
                (b"b", 5),
                (b"c", 7),
                (b"d", 9),
                (b"", 11),
                (b"e", 12)
            ]
        );
    }
}
