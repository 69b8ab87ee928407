//! Line mode and bounded data pieces against a reference; see `h1_fuzz::lines`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: h1_fuzz::lines::Input| h1_fuzz::lines::run(&input));
