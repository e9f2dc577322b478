//! Word-at-a-time searches for a byte in the short fields of a line: a line head, a token, a
//! bracketed address. They end within a few words, too soon for `memchr`'s set-up (a few dozen
//! instructions) to pay off, and a plain loop reads one byte a step. Shared by the formats
//! that read their lines from bytes (BIND, Microsoft DNS, Squid, cuckoo-dnsdump, the syslog
//! heads).

/// `0x80` in every byte of `word` that is `c`, `0` in the others (exact: no carry crosses a
/// byte).
pub(crate) fn byte_mask(word: &[u8], c: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let w = <[u8; 8]>::try_from(word).unwrap_or_default();
    let x = u64::from_le_bytes(w) ^ (u64::from(c) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Whether `b` holds a byte from `LO` to `HI` (ASCII, both included): eight bytes at a time,
/// by the carry-free test of "Bit Twiddling Hacks" (`hasbetween`), which is exact for bytes
/// with the high bit set too. The last eight bytes stand for the rest (those already seen are
/// seen again); fewer than eight are one word padded with zeros.
#[inline(always)]
fn has_in<const LO: u8, const HI: u8>(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = ONES * 0x7f;
    const HIGH: u64 = ONES * 0x80;
    let between = |x: u64| {
        let low = x & LOW7;
        (ONES * (127 + u64::from(HI) + 1) - low)
            & !x
            & (low + ONES * (127 - u64::from(LO) + 1))
            & HIGH
            != 0
    };
    let word = |w: &[u8]| u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or_default());
    match b.len().checked_sub(8) {
        Some(last) => {
            b.chunks_exact(8).any(|w| between(word(w)))
                || b.get(last..).is_some_and(|w| between(word(w)))
        }
        None => between(b.iter().rev().fold(0, |w, &c| w << 8 | u64::from(c))),
    }
}

/// Whether `b` holds an ASCII upper-case letter ([`has_in`]).
#[inline]
pub(crate) fn has_upper(b: &[u8]) -> bool {
    has_in::<b'A', b'Z'>(b)
}

/// Whether `b` holds an ASCII lower-case letter ([`has_in`]).
#[inline]
pub(crate) fn has_lower(b: &[u8]) -> bool {
    has_in::<b'a', b'z'>(b)
}

/// The first `c` in `b`, eight bytes at a time. The searches of line heads end within a few
/// words, too soon for `memchr`'s set-up to pay off (and a plain loop reads one byte a step);
/// past 64 bytes the rest goes to `memchr`.
#[inline(always)]
pub(crate) fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for word in &mut chunks {
        let m = byte_mask(word, c);
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
        if at == 64 {
            return memchr::memchr(c, b.get(at..)?).map(|i| at + i);
        }
    }
    let rest = chunks.remainder().iter().position(|&x| x == c)?;
    Some(at + rest)
}

/// The first `x` or `y` in `b`, a word at a time as [`find_byte`] (without its hand-over to
/// `memchr`: the fields searched are short).
pub(crate) fn find_either(b: &[u8], x: u8, y: u8) -> Option<usize> {
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for word in &mut chunks {
        let m = byte_mask(word, x) | byte_mask(word, y);
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = chunks.remainder().iter().position(|&c| c == x || c == y)?;
    Some(at + rest)
}

/// Where the first `N` bytes `c` of `b` are, a word at a time; `None` when there are fewer.
/// The fields searched (a query's name, class and type; a TSV line's first columns) are too
/// short for a `memchr` call each to pay off.
#[inline]
pub(crate) fn find_n<const N: usize>(b: &[u8], c: u8) -> Option<[usize; N]> {
    let mut found = [0usize; N];
    let mut n = 0;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for word in &mut chunks {
        let mut m = byte_mask(word, c);
        while m != 0 {
            *found.get_mut(n)? = at + (m.trailing_zeros() / 8) as usize;
            n += 1;
            if n == N {
                return Some(found);
            }
            m &= m - 1;
        }
        at += 8;
    }
    for (j, &x) in chunks.remainder().iter().enumerate() {
        if x == c {
            *found.get_mut(n)? = at + j;
            n += 1;
            if n == N {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn has_upper_is_exact() {
        for c in 0..=255u8 {
            for at in 0..17 {
                let mut b = vec![b'a'; 17];
                b[at] = c;
                assert_eq!(super::has_upper(&b), c.is_ascii_uppercase(), "{c} at {at}");
                let mut b = vec![b'A'; 17];
                b[at] = c;
                assert_eq!(super::has_lower(&b), c.is_ascii_lowercase(), "{c} at {at}");
            }
        }
        assert!(!super::has_upper(b""));
        assert!(!super::has_lower(b""));
    }

    use super::*;

    #[test]
    fn word_search_finds_what_a_byte_loop_finds() {
        // Every length around the word size and the hand-over to `memchr`, the byte at every
        // place, among bytes that differ from it in one bit (high bits included).
        for len in 0..150 {
            for at in (0..len).chain([usize::MAX]) {
                for c in [b' ', b':', b'#', 0x80, 0xff, 0x00] {
                    let mut b: Vec<u8> = (0..len).map(|i| (i as u8) | 0x40).collect();
                    for x in &mut b {
                        if *x == c {
                            *x ^= 1;
                        }
                    }
                    if let Some(slot) = b.get_mut(at) {
                        *slot = c;
                    }
                    assert_eq!(
                        find_byte(&b, c),
                        b.iter().position(|&x| x == c),
                        "{len} {at} {c}"
                    );
                }
            }
        }
        // Two bytes looked for at once, and the first spaces, against byte loops.
        for len in 0..40 {
            for a in (0..len).chain([usize::MAX]) {
                for b in (0..len).step_by(3).chain([usize::MAX]) {
                    let mut v: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    for (at, c) in [(a, b'#'), (b, b' ')] {
                        if let Some(slot) = v.get_mut(at) {
                            *slot = c;
                        }
                    }
                    assert_eq!(
                        find_either(&v, b'#', b' '),
                        v.iter().position(|&c| c == b'#' || c == b' ')
                    );
                    let all: Vec<usize> = (0..len).filter(|&i| v[i] == b' ').collect();
                    assert_eq!(
                        find_n::<1>(&v, b' ').map(|s| s.to_vec()),
                        all.get(..1).map(<[usize]>::to_vec)
                    );
                }
            }
        }
        for text in [
            "a b c d",
            "a  b c",
            "abcdefghij klmnopqrst uvw",
            "a b",
            "",
            "   ",
            "a\u{a0}b c d",
        ] {
            let all: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|&(_, c)| c == b' ')
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                find_n::<3>(text.as_bytes(), b' ').map(|s| s.to_vec()),
                all.get(..3).map(<[usize]>::to_vec),
                "{text:?}"
            );
        }
    }
}
