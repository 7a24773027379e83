//! The versions of a module a call's `version` constraint (`"~> 4.0"`, `">= 3.9, < 5"`) or
//! Git reference (`?ref=v4.1.0`) allows, as far as a default that changed at one version
//! needs: the lowest allowed, and the first not allowed above it.

type Version = (u64, u64, u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Versions {
    low: Option<Version>,
    /// The first version above the allowed ones.
    high: Option<Version>,
}

impl Versions {
    /// Any version: the call names none.
    pub fn any() -> Self {
        Versions {
            low: None,
            high: None,
        }
    }

    /// The versions a constraint (or a Git reference naming a version) allows; a part it
    /// cannot read narrows nothing.
    pub fn of(constraint: &str) -> Self {
        let mut out = Versions::any();
        for part in constraint.split(',') {
            let part = part.trim();
            let operator_end = part
                .find(|c: char| c.is_ascii_digit() || c == 'v')
                .unwrap_or(part.len());
            let (operator, text) = part.split_at(operator_end);
            let Some((version, parts)) = parse(text) else {
                continue;
            };
            let next_patch = (version.0, version.1, version.2.saturating_add(1));
            let (low, high) = match operator.trim() {
                "" | "=" => (Some(version), Some(next_patch)),
                ">=" | ">" => (Some(version), None),
                "<" => (None, Some(version)),
                "<=" => (None, Some(next_patch)),
                "~>" if parts == 3 => (Some(version), Some((version.0, version.1 + 1, 0))),
                "~>" => (Some(version), Some((version.0.saturating_add(1), 0, 0))),
                _ => (None, None),
            };
            out.low = out.low.max(low);
            out.high = match (out.high, high) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        out
    }

    /// Whether every allowed version is `major.minor` or later.
    pub fn from(&self, major: u64, minor: u64) -> bool {
        self.low.is_some_and(|low| low >= (major, minor, 0))
    }

    /// Whether every allowed version is before `major.minor`.
    pub fn before(&self, major: u64, minor: u64) -> bool {
        self.high.is_some_and(|high| high <= (major, minor, 0))
    }
}

/// `v4.1.0`, `4.1`, `5` (a pre-release or build suffix is ignored): the version and how
/// many of its parts are written.
fn parse(text: &str) -> Option<(Version, usize)> {
    let text = text.trim().trim_start_matches('v');
    let text = text.split(['-', '+']).next()?;
    let mut parts = [0u64; 3];
    let mut count = 0;
    for piece in text.split('.') {
        if count == 3 {
            return None;
        }
        parts[count] = piece.parse().ok()?;
        count += 1;
    }
    Some(((parts[0], parts[1], parts[2]), count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_bound_the_versions() {
        let v = Versions::of("~> 4.0");
        assert!(v.from(4, 0) && v.before(5, 0) && !v.from(4, 1) && !v.before(4, 9));
        let v = Versions::of("~> 3.9.1");
        assert!(v.from(3, 9) && v.before(3, 10));
        let v = Versions::of(">= 3.9, < 5");
        assert!(v.from(3, 9) && v.before(5, 0));
        let v = Versions::of("v18.2.0");
        assert!(v.from(18, 2) && v.before(19, 0) && v.before(18, 3));
        let v = Versions::of("18");
        assert!(v.from(18, 0) && v.before(18, 1));
        assert_eq!(Versions::of("latest"), Versions::any());
        assert_eq!(Versions::of("1.2.3.4"), Versions::any());
        assert!(!Versions::any().from(0, 0) && !Versions::any().before(u64::MAX, 0));
        let v = Versions::of("!= 4.0.0, <= 18.31.2");
        assert!(v.before(18, 32) && !v.from(1, 0));
    }
}
