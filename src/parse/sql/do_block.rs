//! The plain SQL statements of a PL/pgSQL `DO $$ … $$` block, which the parser does not
//! read: migrations often wrap `create policy` in `if not exists (…) then … end if;` so it
//! can run twice. Each `;`-separated piece of the body is searched, outside strings, for the
//! first word that starts a statement the pack reads (`create policy`, `alter table`,
//! `grant`, …), and the text from there to the piece's end is that statement. Conditions
//! are not evaluated: a statement in a block is taken to run. Dynamic SQL (`execute '…'`) is
//! a string and not followed.

use crate::document::Span;

use super::split;

/// Statement starters, lower case, single-spaced.
const STARTERS: &[&str] = &[
    "create policy",
    "alter policy",
    "drop policy",
    "create table",
    "alter table",
    "drop table",
    "grant",
    "revoke",
    "create function",
    "create or replace function",
    "insert into",
];

/// The body of a `DO` block (in `text`, between its dollar quotes), if `text` is one.
pub fn body(text: &str) -> Option<Span> {
    let rest = text.get(..2)?;
    if !rest.eq_ignore_ascii_case("do") {
        return None;
    }
    let after = &text[2..];
    let trimmed = after.trim_start();
    let skipped = after.len() - trimmed.len();
    if skipped == 0 {
        return None;
    }
    // `DO LANGUAGE plpgsql $$ … $$` is rare; only the usual form is read.
    let open = 2 + skipped;
    if !text[open..].starts_with('$') {
        return None;
    }
    let tag_len = text[open + 1..].find('$')? + 2;
    let tag = &text[open..open + tag_len];
    if !tag[1..tag_len - 1]
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_')
    {
        return None;
    }
    let body_start = open + tag_len;
    let close = text[body_start..].find(tag)?;
    Some(Span::new(body_start, body_start + close))
}

/// The statements of the body at `body` of `text`, as spans of `text`, each to the end of
/// its piece (its `;` included).
pub fn statements(text: &str, body: Span) -> Vec<Span> {
    let inner = &text[body.start..body.end];
    let masked = masked(inner);
    split::split(inner)
        .statements
        .into_iter()
        .filter_map(|piece| {
            let lower = masked[piece.start..piece.end].to_ascii_lowercase();
            let start = STARTERS.iter().filter_map(|s| find_word(&lower, s)).min()?;
            Some(Span::new(
                body.start + piece.start + start,
                body.start + piece.end,
            ))
        })
        .collect()
}

/// `text` with every string, quoted identifier, dollar-quoted body and comment blanked out
/// (byte for byte, so offsets stay).
fn masked(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let split = split::split(text);
    for c in &split.comments {
        bytes[c.span.start..c.span.end].fill(b' ');
    }
    let mut i = 0;
    while i < bytes.len() {
        let quote = bytes[i];
        if quote == b'\'' {
            let end = text[i + 1..].find('\'').map_or(text.len(), |p| i + 1 + p);
            bytes[i + 1..end].fill(b' ');
            i = end + 1;
        } else {
            i += 1;
        }
    }
    bytes
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { ' ' })
        .collect()
}

/// The first occurrence of `phrase` in `text` as whole words, any run of spaces between them.
fn find_word(text: &str, phrase: &str) -> Option<usize> {
    let first = phrase.split(' ').next()?;
    text.match_indices(first).find_map(|(i, _)| {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let mut at = i;
        for word in phrase.split(' ') {
            let rest = &text[at..];
            let trimmed = rest.trim_start();
            at += rest.len() - trimmed.len();
            if !trimmed.starts_with(word) {
                return None;
            }
            at += word.len();
        }
        let after = text[at..].chars().next();
        (!after.is_some_and(|c| c.is_alphanumeric() || c == '_')).then_some(i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_inside_conditions_are_found() {
        let text = "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 'create policy') THEN\n    CREATE POLICY \"read\" ON public.t FOR SELECT USING (true);\n  END IF;\n  alter table public.t enable row level security;\nEXCEPTION WHEN duplicate_object THEN null;\nEND $$;";
        let body = body(text).expect("a DO block");
        let found: Vec<&str> = statements(text, body)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(
            found,
            [
                "CREATE POLICY \"read\" ON public.t FOR SELECT USING (true);",
                "alter table public.t enable row level security;"
            ]
        );
    }

    #[test]
    fn other_text_is_not_a_block() {
        assert!(body("do_something()").is_none());
        assert!(body("domain").is_none());
        assert!(body("do $").is_none());
        assert!(body("do $a b$ x").is_none());
        assert!(body("DO $x$ unclosed").is_none());
    }
}
