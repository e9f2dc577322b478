//! Per-client token buckets: each key may send `rate` requests a second on average and
//! `burst` at once; past that it gets 429 with the seconds to wait.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One bucket per client name.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets idle this long are full again and can be forgotten.
const FORGET_AFTER_SECS: f64 = 600.0;

impl RateLimiter {
    /// `rate` tokens a second, at most `burst` saved up.
    pub fn new(rate: f64, burst: u32) -> RateLimiter {
        RateLimiter {
            rate: if rate > 0.0 && rate.is_finite() {
                rate
            } else {
                1.0
            },
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client`: `Ok(())`, or `Err(seconds)` to wait before one is there.
    pub fn check(&self, client: &str) -> Result<(), u64> {
        self.check_at(client, Instant::now())
    }

    fn check_at(&self, client: &str, now: Instant) -> Result<(), u64> {
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > 10_000 {
            let (rate, burst) = (self.rate, self.burst);
            map.retain(|_, b| {
                let idle = now.saturating_duration_since(b.at).as_secs_f64();
                idle < FORGET_AFTER_SECS && b.tokens + idle * rate < burst
            });
        }
        let b = map.entry(client.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / self.rate).ceil() as u64)
        }
    }

    /// The bucket size.
    pub fn burst(&self) -> u64 {
        self.burst as u64
    }

    /// Seconds to refill a whole bucket (DNSDB `burst_window`).
    pub fn window_secs(&self) -> u64 {
        (self.burst / self.rate).ceil().max(1.0) as u64
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn burst_then_refill_per_client() {
        let l = RateLimiter::new(2.0, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check_at("a", t0).is_ok());
        }
        assert_eq!(l.check_at("a", t0), Err(1));
        // Another client has its own bucket.
        assert!(l.check_at("b", t0).is_ok());
        // Half a second later one token (2/s) is back.
        assert!(l.check_at("a", t0 + Duration::from_millis(500)).is_ok());
        assert!(l.check_at("a", t0 + Duration::from_millis(500)).is_err());
        // Never more than the burst.
        let later = t0 + Duration::from_secs(100);
        for _ in 0..3 {
            assert!(l.check_at("a", later).is_ok());
        }
        assert!(l.check_at("a", later).is_err());
        assert_eq!((l.burst(), l.window_secs()), (3, 2));
    }
}
