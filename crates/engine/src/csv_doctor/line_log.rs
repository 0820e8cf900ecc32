//! Line numbers of one kind of event, counted in full but listed only up to a cap:
//! what the tally keeps, the repeat finder reports and the findings name.

use super::MAX_LISTED_LINES;

/// Line numbers of one kind of event: all counted, the first ones kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LineLog {
    pub(crate) count: u64,
    pub(crate) lines: Vec<u64>,
}

impl LineLog {
    pub(crate) fn add(&mut self, line: u64) {
        self.count += 1;
        if self.lines.len() < MAX_LISTED_LINES {
            self.lines.push(line);
        }
    }
}
