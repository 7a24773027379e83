//! A condition's folded form: what it grants, judged conservatively from its tokens.
//! `true`/`false` literally; `request.auth != null` any signed-in user; `request.time <
//! timestamp.date(…)` the console's test mode; a call to a function of the file whose
//! `return` folds to one of these, the same; anything else (`&&`, `||` but `true || …`,
//! comparisons with the user's id, …) restricted.

use std::collections::HashMap;

use super::lexer::{Kind, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folded {
    True,
    False,
    SignedIn,
    TestMode,
    Restricted,
}

impl Folded {
    pub fn as_str(self) -> &'static str {
        match self {
            Folded::True => "true",
            Folded::False => "false",
            Folded::SignedIn => "signed-in",
            Folded::TestMode => "test-mode",
            Folded::Restricted => "restricted",
        }
    }
}

/// The `return` expressions of the file's functions, by name (a name declared twice, in two
/// scopes, has both).
pub type Functions<'a> = HashMap<&'a str, Vec<Vec<Token<'a>>>>;

/// Folds conditions, remembering what each function folds to (so a chain of functions
/// calling each other is folded once a function, and a cycle is restricted).
pub struct Folder<'f, 'a> {
    functions: &'f Functions<'a>,
    known: HashMap<&'a str, Folded>,
    /// How deep [`Folder::fold`] has recursed (parentheses and calls).
    depth: usize,
}

/// Folding deeper than this (nested parentheses and calls together) is restricted.
const MAX_FOLD_DEPTH: usize = 256;

impl<'f, 'a> Folder<'f, 'a> {
    pub fn new(functions: &'f Functions<'a>) -> Self {
        Folder {
            functions,
            known: HashMap::new(),
            depth: 0,
        }
    }

    pub fn fold(&mut self, tokens: &[Token<'a>]) -> Folded {
        if self.depth >= MAX_FOLD_DEPTH {
            return Folded::Restricted;
        }
        self.depth += 1;
        let folded = self.fold_inner(tokens);
        self.depth -= 1;
        folded
    }

    fn fold_inner(&mut self, tokens: &[Token<'a>]) -> Folded {
        let tokens = strip_parens(tokens);
        let ors = split_top(tokens, "||");
        if ors.len() > 1 {
            // Every operand is folded, so the functions they call are remembered either way.
            let folded: Vec<Folded> = ors.iter().map(|part| self.fold(part)).collect();
            return if folded.contains(&Folded::True) {
                Folded::True
            } else {
                Folded::Restricted
            };
        }
        if split_top(tokens, "&&").len() > 1 {
            return Folded::Restricted;
        }
        let words: Vec<&str> = tokens
            .iter()
            .map(|t| if t.kind == Kind::Str { "\"" } else { t.text })
            .collect();
        match words.as_slice() {
            ["true"] => return Folded::True,
            ["false"] => return Folded::False,
            _ => {}
        }
        if signed_in(&words) {
            return Folded::SignedIn;
        }
        if test_mode(&words) {
            return Folded::TestMode;
        }
        match call(tokens) {
            Some(name) => self.function(name),
            None => Folded::Restricted,
        }
    }

    /// What a call to the function `name` folds to: its `return`, when every function of
    /// that name folds the same; restricted for a function not in the file.
    fn function(&mut self, name: &'a str) -> Folded {
        if let Some(known) = self.known.get(name) {
            return *known;
        }
        let Some(bodies) = self.functions.get(name) else {
            return Folded::Restricted;
        };
        // A call back into `name` while it is folded is a cycle: restricted.
        self.known.insert(name, Folded::Restricted);
        let folded: Vec<Folded> = bodies.iter().map(|body| self.fold(body)).collect();
        let result = match folded.split_first() {
            Some((first, rest)) if rest.iter().all(|f| f == first) => *first,
            _ => Folded::Restricted,
        };
        self.known.insert(name, result);
        result
    }
}

/// `request.auth != null`, `request.auth.uid != null`, either way round; the Realtime
/// Database's `auth != null` and `auth.uid != null` too.
fn signed_in(words: &[&str]) -> bool {
    let auth = |side: &[&str]| {
        matches!(
            side,
            ["request", ".", "auth"]
                | ["request", ".", "auth", ".", "uid"]
                | ["auth"]
                | ["auth", ".", "uid"]
        )
    };
    let Some(at) = words.iter().position(|w| *w == "!=") else {
        return false;
    };
    let (left, right) = (&words[..at], &words[at + 1..]);
    (auth(left) && right == ["null"]) || (left == ["null"] && auth(right))
}

/// `request.time < timestamp.date(…)` (or `<=`), or `timestamp.date(…) > request.time`.
fn test_mode(words: &[&str]) -> bool {
    let time = |side: &[&str]| side == ["request", ".", "time"];
    let date = |side: &[&str]| {
        side.len() >= 5
            && side[..4] == ["timestamp", ".", "date", "("]
            && side[side.len() - 1] == ")"
            && balanced(&side[3..])
    };
    let Some(at) = words
        .iter()
        .position(|w| matches!(*w, "<" | "<=" | ">" | ">="))
    else {
        return false;
    };
    let (left, right) = (&words[..at], &words[at + 1..]);
    match words[at] {
        "<" | "<=" => time(left) && date(right),
        _ => date(left) && time(right),
    }
}

/// `name(…)`, the whole expression: the function's name.
fn call<'a>(tokens: &[Token<'a>]) -> Option<&'a str> {
    let [name, open, .., close] = tokens else {
        return None;
    };
    let words: Vec<&str> = tokens[1..].iter().map(|t| t.text).collect();
    (name.kind == Kind::Ident && open.is("(") && close.is(")") && balanced(&words))
        .then_some(name.text)
}

/// Whether `words` is one parenthesised group: `(` … `)` closing only at the end.
fn balanced(words: &[&str]) -> bool {
    let mut depth = 0usize;
    for (i, w) in words.iter().enumerate() {
        match *w {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth = match depth.checked_sub(1) {
                    Some(d) => d,
                    None => return false,
                };
                if depth == 0 && i + 1 < words.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The tokens without parentheses around the whole expression, in one pass.
fn strip_parens<'s, 'a>(tokens: &'s [Token<'a>]) -> &'s [Token<'a>] {
    // The index of the `)` closing each `(`.
    let mut closing = vec![usize::MAX; tokens.len()];
    let mut open = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.is("(") {
            open.push(i);
        } else if token.is(")")
            && let Some(at) = open.pop()
        {
            closing[at] = i;
        }
    }
    let (mut lo, mut hi) = (0, tokens.len());
    while hi - lo >= 2 && closing[lo] == hi - 1 {
        lo += 1;
        hi -= 1;
    }
    &tokens[lo..hi]
}

/// The operands of `op` at the expression's top level (outside brackets).
fn split_top<'s, 'a>(tokens: &'s [Token<'a>], op: &str) -> Vec<&'s [Token<'a>]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut from = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != Kind::Punct {
            continue;
        }
        match token.text {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            t if t == op && depth == 0 => {
                parts.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[from..]);
    parts
}
