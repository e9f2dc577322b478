#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| yapdns_fuzz::run(yapdns_parsers::Format::PdnsRecursor, data));
