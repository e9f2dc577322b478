//! Merge is associative and commutative, so agents, servers and stores may merge in any order.

use proptest::prelude::*;
use yapdns_core::{Association, RrType, SourceTag, Timestamp};

fn sighting() -> impl Strategy<Value = Association> {
    (
        -1_000_000i64..1_000_000,
        0i64..1_000_000,
        1u64..1000,
        proptest::option::of(0u32..86_400),
        proptest::option::of(prop_oneof!["example.com", "com", "www.example.com"]),
        prop_oneof!["squid", "bind", "cuckoo"],
        proptest::option::of(prop_oneof!["s1", "s2"]),
    )
        .prop_map(|(first, span, count, ttl, bw, fmt, sensor)| {
            let mut a = Association::new(
                "www.example.com",
                RrType::A,
                "192.0.2.1",
                Timestamp::from_millis(first),
                SourceTag::new(fmt, sensor.as_deref()),
            )
            .expect("valid");
            a.last_seen = Timestamp::from_millis(first + span);
            a.count = count;
            a.ttl = ttl;
            a.bailiwick = bw;
            a
        })
}

fn merged(mut a: Association, b: &Association) -> Association {
    a.merge(b).expect("same key");
    a
}

proptest! {
    #[test]
    fn merge_is_commutative(a in sighting(), b in sighting()) {
        prop_assert_eq!(merged(a.clone(), &b), merged(b, &a));
    }

    #[test]
    fn merge_is_associative(a in sighting(), b in sighting(), c in sighting()) {
        let left = merged(merged(a.clone(), &b), &c);
        let right = merged(a, &merged(b, &c));
        prop_assert_eq!(left, right);
    }
}

#[test]
fn merging_different_keys_fails_and_changes_nothing() {
    let src = SourceTag::new("squid", None);
    let mut a = Association::new(
        "a.test",
        RrType::A,
        "192.0.2.1",
        Timestamp::from_secs(1),
        src.clone(),
    )
    .unwrap();
    let before = a.clone();
    let b = Association::new(
        "a.test",
        RrType::A,
        "192.0.2.2",
        Timestamp::from_secs(2),
        src,
    )
    .unwrap();
    assert!(a.merge(&b).is_err());
    assert_eq!(a, before);
}
