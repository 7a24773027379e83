//! The Power Pages pack's settings (`powerpages:` in `.doublecheck.yml`) and their defaults.

use std::collections::BTreeSet;

/// Tables Microsoft's own site templates give the anonymous role Global read on, because a
/// knowledge base is public by design (Customer Self-Service: "Knowledge Article Global
/// Permission", "Category Global Permission").
pub const DEFAULT_PUBLIC_TABLES: &[&str] = &["knowledgearticle", "category"];

/// What the Power Pages facts treat as meant for everyone.
#[derive(Debug, Clone)]
pub struct PowerPagesSettings {
    /// Tables (logical names, lower case) anonymous visitors are meant to read in full: a
    /// service catalogue, published articles.
    pub public_tables: BTreeSet<String>,
}

impl Default for PowerPagesSettings {
    fn default() -> Self {
        PowerPagesSettings {
            public_tables: DEFAULT_PUBLIC_TABLES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
        }
    }
}

impl PowerPagesSettings {
    pub fn is_public(&self, table: &str) -> bool {
        self.public_tables.contains(&table.to_ascii_lowercase())
    }
}
