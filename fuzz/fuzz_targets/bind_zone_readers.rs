#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| yapdns_parsers::formats::bind_zone::readers_agree(data));
