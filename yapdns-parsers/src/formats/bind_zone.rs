//! Placeholder until the parser lands; never registered in a release.

use crate::error::{ErrorKind, ParseError};
use crate::formats::FormatParser;
use crate::options::ParseOptions;
use crate::record::{Outcome, Record};

/// Not yet written.
pub struct Parser;

impl Parser {
    /// Not yet written.
    pub fn new(_opts: &ParseOptions) -> Parser {
        Parser
    }
}

impl FormatParser for Parser {
    fn line(&mut self, _l: &[u8], n: u64, _o: &mut Vec<Record>) -> Result<Outcome, ParseError> {
        Err(ParseError::new(n, ErrorKind::Syntax, "not yet written"))
    }
}

/// Not yet written.
pub fn sniff(_sample: &str) -> u8 {
    0
}
