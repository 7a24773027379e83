//! JSON Pointer (RFC 6901) helpers: the one way nodes are named across the crate.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    // A byte test: `contains(['~', '/'])` decodes every character, for every key of every
    // document parsed.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The pointer of an array's item: [`child_pointer`] for an index, without making the
/// index a string first (every array item of every parsed file gets one).
pub fn index_pointer(parent: &str, index: impl itoa::Integer) -> String {
    let mut digits = itoa::Buffer::new();
    let token = digits.format(index);
    let mut out = String::with_capacity(parent.len() + 1 + token.len());
    out.push_str(parent);
    out.push('/');
    out.push_str(token);
    out
}

/// The pointer of a child (`key` is an object key or an array index).
pub fn child_pointer(parent: &str, key: &str) -> String {
    let token = escape_token(key);
    let mut out = String::with_capacity(parent.len() + 1 + token.len());
    out.push_str(parent);
    out.push('/');
    out.push_str(&token);
    out
}

/// The parent's pointer, or `None` for the root.
pub fn parent_pointer(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

/// The unescaped reference tokens of a pointer.
pub fn split_pointer(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The last token that is not an array index: what a value at `pointer` is called
/// (`security_ips` for `/security_ips/0`), or `None` when every token is an index.
pub fn last_key(pointer: &str) -> Option<String> {
    split_pointer(pointer)
        .into_iter()
        .rev()
        .find(|token| token.parse::<usize>().is_err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_pointer_is_the_child_pointer_of_the_index() {
        for index in [0_usize, 7, 10, 1234, usize::MAX] {
            let expected = child_pointer("/a/b", &index.to_string());
            assert_eq!(index_pointer("/a/b", index), expected);
        }
        assert_eq!(index_pointer("", 3_u32), "/3");
    }

    #[test]
    fn escaping_round_trips() {
        let p = child_pointer("/a", "b/c~d");
        assert_eq!(p, "/a/b~1c~0d");
        assert_eq!(split_pointer(&p), vec!["a", "b/c~d"]);
        assert_eq!(parent_pointer(&p), Some("/a"));
        assert_eq!(parent_pointer("/a"), Some(""));
        assert_eq!(parent_pointer(""), None);
        assert_eq!(last_key("/a/b~1c/0/1").as_deref(), Some("b/c"));
        assert_eq!(last_key("/0"), None);
    }
}
