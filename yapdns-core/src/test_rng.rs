//! The generator of the randomised tests of every crate (the others reach it through the
//! `testing` feature): seeded, so every run tests the same inputs and a failure repeats.

/// xorshift64 (Marsaglia): a few instructions a number, and plenty to pick test inputs with.
pub struct TestRng(u64);

impl TestRng {
    /// A generator started at `seed` (zero, which xorshift never leaves, is taken as one).
    pub fn new(seed: u64) -> TestRng {
        TestRng(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n`, which is not zero.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}
