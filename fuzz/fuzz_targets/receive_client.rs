//! Arbitrary bytes from the peer into a client connection; see `h1_fuzz::receive`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| h1_fuzz::receive::run(h1::Role::Client, data));
