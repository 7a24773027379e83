//! The Power Pages pack's settings (`powerpages:` in `.doublecheck.yml`) and their defaults.

use std::collections::BTreeSet;

/// What the Power Pages facts treat as meant for everyone.
#[derive(Debug, Clone, Default)]
pub struct PowerPagesSettings {
    /// Tables (logical names, lower case) anonymous visitors are meant to read in full: a
    /// service catalogue, published articles. None by default.
    pub public_tables: BTreeSet<String>,
}

impl PowerPagesSettings {
    pub fn is_public(&self, table: &str) -> bool {
        self.public_tables.contains(&table.to_ascii_lowercase())
    }
}
