//! Shared helpers for the YAPDNS criterion benchmarks: sample inputs repeated to a size that
//! gives stable figures.

/// Repeats `sample` (whole lines) until the result is at least `target` bytes.
pub fn repeat_to(sample: &[u8], target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + sample.len());
    if sample.is_empty() {
        return out;
    }
    while out.len() < target {
        out.extend_from_slice(sample);
        if !sample.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}
