//! DNS record types: the common mnemonics plus any other type by number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

macro_rules! rrtypes {
    ($($(#[$doc:meta])* $variant:ident = $num:literal,)*) => {
        /// A DNS resource record type.
        ///
        /// Known types print as their mnemonic (`AAAA`); others as `TYPEnnn` (RFC 3597), which
        /// is also what [`RrType::from_str`] accepts for them, along with a bare number.
        ///
        /// ```
        /// use yapdns_core::RrType;
        /// assert_eq!("aaaa".parse::<RrType>().unwrap(), RrType::Aaaa);
        /// assert_eq!("TYPE65".parse::<RrType>().unwrap().to_string(), "HTTPS");
        /// assert_eq!(RrType::from_u16(65280).to_string(), "TYPE65280");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum RrType {
            $($(#[$doc])* $variant,)*
            /// Any other type, by its number.
            Other(u16),
        }

        impl RrType {
            /// The type's number on the wire.
            pub fn to_u16(self) -> u16 {
                match self {
                    $(RrType::$variant => $num,)*
                    RrType::Other(n) => n,
                }
            }

            /// The type for a wire number; known numbers map to their named variant.
            pub fn from_u16(n: u16) -> RrType {
                match n {
                    $($num => RrType::$variant,)*
                    n => RrType::Other(n),
                }
            }

            /// The mnemonic, or `None` for a type known only by number.
            pub fn mnemonic(self) -> Option<&'static str> {
                match self {
                    $(RrType::$variant => Some(rrtypes!(@name $variant)),)*
                    RrType::Other(_) => None,
                }
            }

            fn from_mnemonic(s: &str) -> Option<RrType> {
                $(if s.eq_ignore_ascii_case(rrtypes!(@name $variant)) {
                    return Some(RrType::$variant);
                })*
                None
            }
        }
    };
    (@name Aaaa) => { "AAAA" };
    (@name $v:ident) => { stringify!($v) };
}

rrtypes! {
    /// IPv4 address.
    A = 1,
    /// Authoritative name server.
    NS = 2,
    /// Canonical name (alias).
    CNAME = 5,
    /// Start of authority.
    SOA = 6,
    /// Domain name pointer (reverse DNS).
    PTR = 12,
    /// Host information.
    HINFO = 13,
    /// Mail exchange.
    MX = 15,
    /// Text strings.
    TXT = 16,
    /// Responsible person.
    RP = 17,
    /// AFS database location.
    AFSDB = 18,
    /// Signature (obsolete).
    SIG = 24,
    /// Key (obsolete).
    KEY = 25,
    /// IPv6 address.
    Aaaa = 28,
    /// Location.
    LOC = 29,
    /// Service locator.
    SRV = 33,
    /// Naming authority pointer.
    NAPTR = 35,
    /// Key exchanger.
    KX = 36,
    /// Certificate.
    CERT = 37,
    /// Delegation name.
    DNAME = 39,
    /// EDNS0 pseudo-record.
    OPT = 41,
    /// Address prefix list.
    APL = 42,
    /// Delegation signer.
    DS = 43,
    /// SSH key fingerprint.
    SSHFP = 44,
    /// IPsec key.
    IPSECKEY = 45,
    /// DNSSEC signature.
    RRSIG = 46,
    /// Next secure record.
    NSEC = 47,
    /// DNS key.
    DNSKEY = 48,
    /// DHCP identifier.
    DHCID = 49,
    /// Next secure record, version 3.
    NSEC3 = 50,
    /// NSEC3 parameters.
    NSEC3PARAM = 51,
    /// TLSA certificate association.
    TLSA = 52,
    /// S/MIME certificate association.
    SMIMEA = 53,
    /// Host identity protocol.
    HIP = 55,
    /// Child DS.
    CDS = 59,
    /// Child DNSKEY.
    CDNSKEY = 60,
    /// OpenPGP key.
    OPENPGPKEY = 61,
    /// Child-to-parent synchronisation.
    CSYNC = 62,
    /// Message digest for DNS zone.
    ZONEMD = 63,
    /// Service binding.
    SVCB = 64,
    /// HTTPS service binding.
    HTTPS = 65,
    /// Sender policy framework (obsolete; use TXT).
    SPF = 99,
    /// Transaction key.
    TKEY = 249,
    /// Transaction signature.
    TSIG = 250,
    /// Incremental zone transfer.
    IXFR = 251,
    /// Full zone transfer.
    AXFR = 252,
    /// Any record type (a query type only).
    ANY = 255,
    /// Uniform resource identifier.
    URI = 256,
    /// Certification authority authorisation.
    CAA = 257,
}

impl RrType {
    /// TKEY and TSIG: the keys and signatures of one transaction (RFC 2930, RFC 8945), never
    /// data of a zone. A query of type TKEY names a key being agreed on — Windows asks for
    /// `336-ms-7.1-….` names by the thousand for its secure dynamic updates — not a name anyone
    /// resolves, so readers keep no sighting of it.
    ///
    /// ```
    /// use yapdns_core::RrType;
    /// assert!(RrType::TKEY.is_transaction_security());
    /// assert!(!RrType::A.is_transaction_security());
    /// ```
    pub fn is_transaction_security(self) -> bool {
        matches!(self, RrType::TKEY | RrType::TSIG)
    }
}

/// IANA's mnemonics of the types `RrType` keeps by number (`TYPE10`): tools that print them by
/// name (BIND, CAPE's and Suricata's `NULL`, Zeek's `WKS`, …) are read, and stored as every
/// other source writes them. Giving them variants of their own would cost every log's type lookup,
/// and split data already stored under `TYPEnnn`.
const UNNAMED_MNEMONICS: &[(&str, u16)] = &[
    ("MD", 3),
    ("MF", 4),
    ("MB", 7),
    ("MG", 8),
    ("MR", 9),
    ("NULL", 10),
    ("WKS", 11),
    ("MINFO", 14),
    ("X25", 19),
    ("ISDN", 20),
    ("RT", 21),
    ("NSAP", 22),
    ("NSAP-PTR", 23),
    ("PX", 26),
    ("GPOS", 27),
    ("NXT", 30),
    ("EID", 31),
    ("NIMLOC", 32),
    ("ATMA", 34),
    ("A6", 38),
    ("SINK", 40),
    ("NINFO", 56),
    ("RKEY", 57),
    ("TALINK", 58),
    ("UINFO", 100),
    ("UID", 101),
    ("GID", 102),
    ("UNSPEC", 103),
    ("NID", 104),
    ("L32", 105),
    ("L64", 106),
    ("LP", 107),
    ("EUI48", 108),
    ("EUI64", 109),
    ("NXNAME", 128),
    ("MAILB", 253),
    ("MAILA", 254),
    ("AVC", 258),
    ("DOA", 259),
    ("AMTRELAY", 260),
    ("RESINFO", 261),
    ("WALLET", 262),
    ("CLA", 263),
    ("IPN", 264),
    ("TA", 32768),
    ("DLV", 32769),
];

impl fmt::Display for RrType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "TYPE{}", self.to_u16()),
        }
    }
}

impl FromStr for RrType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // `trim` only when an end is not visible ASCII (rarely).
        let t = match (s.as_bytes().first(), s.as_bytes().last()) {
            (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
            _ => s.trim(),
        };
        // The types logs are full of, without the scan over every mnemonic.
        match t {
            "A" | "a" => return Ok(RrType::A),
            "AAAA" | "aaaa" => return Ok(RrType::Aaaa),
            "CNAME" | "cname" => return Ok(RrType::CNAME),
            "PTR" | "ptr" => return Ok(RrType::PTR),
            "MX" | "mx" => return Ok(RrType::MX),
            "TXT" | "txt" => return Ok(RrType::TXT),
            "NS" | "ns" => return Ok(RrType::NS),
            _ => {}
        }
        if let Some(t) = RrType::from_mnemonic(t) {
            return Ok(t);
        }
        if let Some(&(_, n)) = UNNAMED_MNEMONICS
            .iter()
            .find(|(m, _)| t.eq_ignore_ascii_case(m))
        {
            return Ok(RrType::Other(n));
        }
        // `get` rather than slicing: the input may have a multi-byte character at index 4.
        let digits = match (t.get(..4), t.get(4..)) {
            (Some(p), Some(rest)) if !rest.is_empty() && p.eq_ignore_ascii_case("TYPE") => rest,
            _ => t,
        };
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = digits.parse::<u16>() {
                return Ok(RrType::from_u16(n));
            }
        }
        Err(Error::InvalidRrType(s.to_string()))
    }
}

impl Serialize for RrType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RrType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr<'a> {
            Num(u16),
            Str(std::borrow::Cow<'a, str>),
        }
        match Repr::deserialize(d)? {
            Repr::Num(n) => Ok(RrType::from_u16(n)),
            Repr::Str(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_type_round_trips_through_its_mnemonic_and_number() {
        for n in 0..=u16::MAX {
            let t = RrType::from_u16(n);
            assert_eq!(t.to_u16(), n);
            assert_eq!(t.to_string().parse::<RrType>().unwrap(), t);
        }
    }

    #[test]
    fn numbers_and_rfc3597_forms_parse() {
        assert_eq!("28".parse::<RrType>().unwrap(), RrType::Aaaa);
        assert_eq!("type1".parse::<RrType>().unwrap(), RrType::A);
        assert_eq!("TYPE999".parse::<RrType>().unwrap(), RrType::Other(999));
        assert!("BOGUS".parse::<RrType>().is_err());
        // IANA names of types kept by number read as that number.
        assert_eq!("NULL".parse::<RrType>().unwrap(), RrType::Other(10));
        assert_eq!("null".parse::<RrType>().unwrap().to_string(), "TYPE10");
        assert_eq!("NSAP-PTR".parse::<RrType>().unwrap(), RrType::Other(23));
        assert_eq!("DLV".parse::<RrType>().unwrap(), RrType::Other(32769));
        for &(m, n) in UNNAMED_MNEMONICS {
            assert!(
                RrType::from_u16(n).mnemonic().is_none(),
                "{m} has a variant"
            );
        }
        assert!("TYPE70000".parse::<RrType>().is_err());
        // Regression (found by the never-panic test): a multi-byte character at byte 4.
        assert!("TYPé1".parse::<RrType>().is_err());
        assert!("abcé".parse::<RrType>().is_err());
    }
}
