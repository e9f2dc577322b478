//! Who saw a record: source tags and the small sorted set of them every record carries.
//!
//! Every parsed record carries its source, and a parser builds millions of them a second, so
//! both types are shaped for that: a tag made from a format's `&'static` name and a shared
//! sensor id clones without allocating, and a set holding one tag (the case for every record
//! fresh from a parser) lives inline in the record.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

/// Who saw a record: the log format it came from and, where configured, the sensor or client.
///
/// ```
/// use yapdns_core::SourceTag;
/// let t = SourceTag::new("squid", Some("proxy-1"));
/// assert_eq!(t.format, "squid");
/// assert_eq!(t.sensor.as_deref(), Some("proxy-1"));
/// assert_eq!(t.to_string(), "squid/proxy-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceTag {
    /// The format's short name, as `yapdns-agent formats` lists it (`bind`, `squid`, …), or
    /// `cof` for records imported from another passive DNS database. Borrowed when built from a
    /// format's static name, so cloning it costs nothing.
    pub format: Cow<'static, str>,
    /// The sensor id (COF `sensor_id`), if the operator set one; shared between the records of
    /// one input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensor: Option<Arc<str>>,
}

impl SourceTag {
    /// A tag for `format` (a `&'static str` is kept without copying), with an optional sensor id.
    pub fn new(format: impl Into<Cow<'static, str>>, sensor: Option<&str>) -> SourceTag {
        SourceTag {
            format: format.into(),
            sensor: sensor.map(Arc::from),
        }
    }
}

impl fmt::Display for SourceTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sensor {
            Some(s) => write!(f, "{}/{}", self.format, s),
            None => f.write_str(&self.format),
        }
    }
}

/// The sources of a record: a set of [`SourceTag`]s, sorted and without duplicates.
///
/// One tag is stored inline (no allocation); more spill to the heap. It serialises as a JSON
/// array in sorted order, and reading one sorts and de-duplicates whatever it is given.
///
/// ```
/// use yapdns_core::{SourceTag, Sources};
/// let mut s = Sources::one(SourceTag::new("squid", None));
/// assert!(s.insert(SourceTag::new("bind", None)));
/// assert!(!s.insert(SourceTag::new("squid", None)));
/// let names: Vec<String> = s.iter().map(|t| t.to_string()).collect();
/// assert_eq!(names, ["bind", "squid"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sources(SmallVec<[SourceTag; 1]>);

impl Sources {
    /// No sources.
    pub fn new() -> Sources {
        Sources(SmallVec::new())
    }

    /// Exactly one source, stored inline.
    pub fn one(tag: SourceTag) -> Sources {
        let mut v = SmallVec::new();
        v.push(tag);
        Sources(v)
    }

    /// Adds a tag where it sorts; false when it was already there.
    pub fn insert(&mut self, tag: SourceTag) -> bool {
        match self.0.binary_search(&tag) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, tag);
                true
            }
        }
    }

    /// True when the tag is in the set.
    pub fn contains(&self, tag: &SourceTag) -> bool {
        self.0.binary_search(tag).is_ok()
    }

    /// Adds every tag of `other` (the union).
    pub fn union_with(&mut self, other: &Sources) {
        for t in other {
            if !self.contains(t) {
                self.insert(t.clone());
            }
        }
    }

    /// The tags in order.
    pub fn iter(&self) -> std::slice::Iter<'_, SourceTag> {
        self.0.iter()
    }

    /// How many tags.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The smallest tag.
    pub fn first(&self) -> Option<&SourceTag> {
        self.0.first()
    }

    /// Removes every tag.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The tags as a sorted slice.
    pub fn as_slice(&self) -> &[SourceTag] {
        &self.0
    }
}

impl From<SourceTag> for Sources {
    fn from(tag: SourceTag) -> Sources {
        Sources::one(tag)
    }
}

impl<const N: usize> From<[SourceTag; N]> for Sources {
    fn from(tags: [SourceTag; N]) -> Sources {
        tags.into_iter().collect()
    }
}

impl FromIterator<SourceTag> for Sources {
    fn from_iter<I: IntoIterator<Item = SourceTag>>(iter: I) -> Sources {
        let mut v: SmallVec<[SourceTag; 1]> = iter.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Sources(v)
    }
}

impl Extend<SourceTag> for Sources {
    fn extend<I: IntoIterator<Item = SourceTag>>(&mut self, iter: I) {
        for t in iter {
            self.insert(t);
        }
    }
}

impl<'a> IntoIterator for &'a Sources {
    type Item = &'a SourceTag;
    type IntoIter = std::slice::Iter<'a, SourceTag>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Sources {
    type Item = SourceTag;
    type IntoIter = smallvec::IntoIter<[SourceTag; 1]>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for Sources {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sources, D::Error> {
        let v = Vec::<SourceTag>::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(f: &'static str, s: Option<&str>) -> SourceTag {
        SourceTag::new(f, s)
    }

    #[test]
    fn stays_sorted_and_unique() {
        let mut s = Sources::new();
        for tag in [
            t("squid", None),
            t("bind", Some("b")),
            t("bind", None),
            t("squid", None),
        ] {
            s.insert(tag);
        }
        let got: Vec<String> = s.iter().map(ToString::to_string).collect();
        assert_eq!(got, ["bind", "bind/b", "squid"]);
        assert!(s.contains(&t("bind", Some("b"))));
        assert!(!s.contains(&t("bind", Some("c"))));
    }

    #[test]
    fn union_is_commutative() {
        let a: Sources = [t("a", None), t("c", None)].into_iter().collect();
        let b: Sources = [t("b", None), t("c", None)].into_iter().collect();
        let mut ab = a.clone();
        ab.union_with(&b);
        let mut ba = b.clone();
        ba.union_with(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.len(), 3);
    }

    #[test]
    fn json_is_a_sorted_array_and_reading_sorts() {
        let s: Sources = [t("squid", Some("p")), t("bind", None)]
            .into_iter()
            .collect();
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(j, r#"[{"format":"bind"},{"format":"squid","sensor":"p"}]"#);
        let back: Sources = serde_json::from_str(
            r#"[{"format":"squid","sensor":"p"},{"format":"bind"},{"format":"bind"}]"#,
        )
        .unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn one_tag_is_inline() {
        let s = Sources::one(t("bind", None));
        assert!(!s.0.spilled());
    }
}
