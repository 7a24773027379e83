//! Moving through JavaScript text without parsing it: past comments, string and template
//! literals and balanced brackets, to a call or a declaration.

/// The byte offsets of the `(` argument of every call of `name` (`CMS.init`, also as
/// `window.CMS.init`) outside comments and strings, each just past its `(`.
pub fn calls(text: &str, name: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = skip_comment_or_string(bytes, i) {
            i = end;
            continue;
        }
        if bytes[i..].starts_with(name.as_bytes())
            && (i == 0 || !is_identifier_byte(bytes[i - 1]) || bytes[i - 1] == b'.')
        {
            let after = skip_trivia(bytes, i + name.len());
            if bytes.get(after) == Some(&b'(') {
                out.push(skip_trivia(bytes, after + 1));
            }
            i += name.len();
            continue;
        }
        i += 1;
    }
    out
}

/// Where the object literal of `const NAME = {` (or `let`, `var`, `NAME: Type =`) starts.
pub fn declaration(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = skip_comment_or_string(bytes, i) {
            i = end;
            continue;
        }
        let keyword = ["const ", "let ", "var "]
            .iter()
            .find(|k| bytes[i..].starts_with(k.as_bytes()));
        if let Some(keyword) = keyword
            && (i == 0 || !is_identifier_byte(bytes[i - 1]))
        {
            let at = skip_trivia(bytes, i + keyword.len());
            let end = at + name.len();
            if bytes[at..].starts_with(name.as_bytes())
                && !bytes.get(end).is_some_and(|b| is_identifier_byte(*b))
            {
                // `: Type` up to the `=`, on the same statement.
                let mut j = skip_trivia(bytes, end);
                if bytes.get(j) == Some(&b':') {
                    while j < bytes.len() && !matches!(bytes[j], b'=' | b';' | b'\n') {
                        j += 1;
                    }
                }
                if bytes.get(j) == Some(&b'=') && bytes.get(j + 1) != Some(&b'=') {
                    let value = skip_trivia(bytes, j + 1);
                    if bytes.get(value) == Some(&b'{') {
                        return Some(value);
                    }
                }
            }
            i += keyword.len();
            continue;
        }
        i += 1;
    }
    None
}

pub fn is_identifier(text: &str) -> bool {
    !text.is_empty() && !text.as_bytes()[0].is_ascii_digit() && text.bytes().all(is_identifier_byte)
}

pub(super) fn is_identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Past a comment or a string literal starting at `i`, if one does.
pub(super) fn skip_comment_or_string(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'/' if bytes.get(i + 1) == Some(&b'/') => Some(
            bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n),
        ),
        b'/' if bytes.get(i + 1) == Some(&b'*') => Some(
            bytes[i + 2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2),
        ),
        b'\'' | b'"' => Some(quoted_end(bytes, i)),
        b'`' => Some(template_end(bytes, i)),
        _ => None,
    }
}

/// Past the `'…'` or `"…"` opened at `start`.
pub(super) fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past the template literal opened at `start`, its `${…}` parts included.
pub(super) fn template_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return i + 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                i = balanced_end(bytes, i + 1).unwrap_or(bytes.len());
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Past the bracket closing the one at `open`, or `None` when it is not closed.
pub(super) fn balanced_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        if let Some(end) = skip_comment_or_string(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Past whitespace and comments.
pub(super) fn skip_trivia(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
        } else if bytes[i] == b'/' && matches!(bytes.get(i + 1), Some(b'/' | b'*')) {
            i = skip_comment_or_string(bytes, i).unwrap_or(bytes.len());
        } else {
            break;
        }
    }
    i
}
