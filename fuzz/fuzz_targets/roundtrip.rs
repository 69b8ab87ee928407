//! Structure-aware exchanges between a client and a server; see `h1_fuzz::roundtrip`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|script: h1_fuzz::roundtrip::Script| h1_fuzz::roundtrip::run(&script));
