//! Query-string parameters shared by the DNSDB API and the native search API: limits, offsets,
//! time fences and DNSDB's booleans.

use yapdns_core::TimeFence;

/// One `key=value` pair of a query string, percent-decoded.
pub type Pair = (String, String);

/// Splits a raw query string (`a=1&b=%2A`) into decoded pairs, in order.
pub fn pairs(query: Option<&str>) -> Vec<Pair> {
    query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A DNSDB boolean: `t`, `f`, `true`, `false`, `1`, `0` (any case).
pub fn parse_bool(key: &str, v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "1" => Ok(true),
        "f" | "false" | "0" => Ok(false),
        _ => Err(format!("{key}={v:?}: expected t, f, true, false, 1 or 0")),
    }
}

/// A non-negative integer.
pub fn parse_u64(key: &str, v: &str) -> Result<u64, String> {
    v.trim()
        .parse::<u64>()
        .map_err(|_| format!("{key}={v:?}: expected a non-negative integer"))
}

/// A time fence value: Unix seconds, or a negative number of seconds before now.
pub fn parse_time(key: &str, v: &str) -> Result<i64, String> {
    v.trim()
        .parse::<i64>()
        .map_err(|_| format!("{key}={v:?}: expected Unix seconds (negative: seconds before now)"))
}

/// Sets a time fence field when `key` names one; `Ok(false)` when it is another key.
pub fn fence_param(fence: &mut TimeFence, key: &str, v: &str) -> Result<bool, String> {
    let slot = match key {
        "time_first_before" => &mut fence.time_first_before,
        "time_first_after" => &mut fence.time_first_after,
        "time_last_before" => &mut fence.time_last_before,
        "time_last_after" => &mut fence.time_last_after,
        _ => return Ok(false),
    };
    *slot = Some(parse_time(key, v)?);
    Ok(true)
}

/// The parameters of a DNSDB lookup or summarize request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DnsdbParams {
    /// `limit`; `Some(0)` asks for the maximum, `None` for the default.
    pub limit: Option<u64>,
    /// `offset`.
    pub offset: u64,
    /// `max_count` (summarize): stop once the summed count reaches it.
    pub max_count: Option<u64>,
    /// The four time fences.
    pub fence: TimeFence,
    /// `aggr`: aggregated results (the only kind a YAPDNS store holds; `f` gives the same).
    pub aggr: bool,
    /// `humantime`: times as RFC 3339 text instead of Unix seconds.
    pub humantime: bool,
    /// `swclient`, `version`, `id`: client identification, logged.
    pub client_info: Vec<(String, String)>,
}

/// Longest `swclient`, `version` or `id` value taken.
const INFO_MAX: usize = 100;

/// A client's identification as it may be logged: printable ASCII, no spaces, not too long.
fn info_ok(v: &str) -> bool {
    !v.is_empty() && v.len() <= INFO_MAX && v.bytes().all(|b| b.is_ascii_graphic())
}

impl DnsdbParams {
    /// Reads every documented DNSDB parameter; any other key, or a bad value, is an error
    /// (DNSDB answers 400 for both).
    pub fn parse(query: Option<&str>) -> Result<DnsdbParams, String> {
        let mut p = DnsdbParams {
            aggr: true,
            ..DnsdbParams::default()
        };
        for (k, v) in pairs(query) {
            if fence_param(&mut p.fence, &k, &v)? {
                continue;
            }
            match k.as_str() {
                "limit" => p.limit = Some(parse_u64(&k, &v)?),
                "offset" => p.offset = parse_u64(&k, &v)?,
                "max_count" => {
                    let n = parse_u64(&k, &v)?;
                    if n == 0 {
                        return Err("max_count must be a positive integer".into());
                    }
                    p.max_count = Some(n);
                }
                "aggr" => p.aggr = parse_bool(&k, &v)?,
                "humantime" => p.humantime = parse_bool(&k, &v)?,
                // Only logged: clients send what they like (`dnsdb-python`, `1.2.0+local`), so
                // any printable text without spaces is taken.
                "swclient" | "version" | "id" => {
                    if !info_ok(&v) {
                        return Err(format!(
                            "{k}: up to {INFO_MAX} printable characters without spaces"
                        ));
                    }
                    p.client_info.push((k, v));
                }
                other => return Err(format!("unknown parameter {other:?}")),
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn booleans_in_every_spelling() {
        for t in ["t", "T", "true", "TRUE", "1"] {
            assert_eq!(parse_bool("aggr", t), Ok(true));
        }
        for f in ["f", "false", "0", "False"] {
            assert_eq!(parse_bool("aggr", f), Ok(false));
        }
        assert!(parse_bool("aggr", "yes").is_err());
    }

    #[test]
    fn what_dnsdbq_sends_parses() {
        let p = DnsdbParams::parse(Some(
            "swclient=dnsdbq&version=2.6.4&aggr=f&offset=10&max_count=5&limit=0\
             &time_first_after=1500000000&time_last_before=-3600&humantime=t&id=dnsq:91e6",
        ))
        .unwrap();
        assert_eq!(p.limit, Some(0));
        assert_eq!(p.offset, 10);
        assert_eq!(p.max_count, Some(5));
        assert!(!p.aggr && p.humantime);
        assert_eq!(p.fence.time_first_after, Some(1_500_000_000));
        assert_eq!(p.fence.time_last_before, Some(-3600));
        assert_eq!(p.client_info.len(), 3);
        assert!(DnsdbParams::parse(None).unwrap().aggr);
    }

    #[test]
    fn bad_parameters_are_errors() {
        for q in [
            "limit=-1",
            "limit=ten",
            "offset=1.5",
            "max_count=0",
            "bogus=1",
            "aggr=maybe",
            "time_first_after=yesterday",
            "swclient=dnsdbq%20evil",
            "version=2.6.4%0A",
            "id=",
        ] {
            assert!(DnsdbParams::parse(Some(q)).is_err(), "{q}");
        }
        // What real clients send is taken (`dnsdb-python`'s own name, a local build).
        for q in [
            "swclient=dnsdb-python&version=1.2.4",
            "version=1.2.0%2Blocal",
            "id=abc",
        ] {
            assert!(DnsdbParams::parse(Some(q)).is_ok(), "{q}");
        }
    }

    #[test]
    fn pairs_are_percent_decoded() {
        assert_eq!(
            pairs(Some("q=%2A.example.com&x=a+b")),
            vec![
                ("q".into(), "*.example.com".into()),
                ("x".into(), "a b".into())
            ]
        );
    }
}
