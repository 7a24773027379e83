//! Numbers with their nouns, for every message: `1 error`, `2 errors`, never `error(s)`.

/// `n` and the noun it takes: `count(1, "file", "files")` is `1 file`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(count(0, "error", "errors"), "0 errors");
        assert_eq!(count(1, "policy", "policies"), "1 policy");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }
}
