//! GitHub Actions `if:` conditions, read only as far as whose pull requests they let a job or
//! step run for: `github.actor == 'dependabot[bot]'`,
//! `github.event.pull_request.user.login == 'renovate[bot]' || …`, `… && (… || …)`,
//! `contains(fromJSON('["a[bot]", "b[bot]"]'), github.actor)`,
//! `github.event.pull_request.user.type == 'Bot'`. Anything else limits nobody: a branch
//! name (`startsWith(github.head_ref, 'dependabot/')`) or a label is anyone's to choose.
//!
//! GitHub compares strings without regard to case, so logins are lower-cased.

use std::collections::BTreeSet;

/// Who a condition lets the run happen for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authors {
    /// Only these logins (lower case).
    Logins(BTreeSet<String>),
    /// Any account of type `Bot` (a GitHub App's): no person's pull request.
    AnyBot,
}

impl Authors {
    /// Whether no person can be the author: every login is an app's (`…[bot]`), which no
    /// user can take.
    pub fn only_bots(&self) -> bool {
        match self {
            Authors::AnyBot => true,
            Authors::Logins(logins) => {
                !logins.is_empty() && logins.iter().all(|l| l.ends_with("[bot]"))
            }
        }
    }

    /// The authors in words: `` `dependabot[bot]`, `renovate[bot]` ``.
    pub fn describe(&self) -> String {
        match self {
            Authors::AnyBot => "bot accounts (user type `Bot`)".to_owned(),
            Authors::Logins(logins) => logins
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    fn both(self, other: Authors) -> Authors {
        match (self, other) {
            (Authors::AnyBot, other) | (other, Authors::AnyBot) if other.only_bots() => other,
            (Authors::Logins(a), Authors::Logins(b)) => {
                Authors::Logins(a.intersection(&b).cloned().collect())
            }
            (a, _) => a,
        }
    }

    fn either(self, other: Authors) -> Authors {
        match (self, other) {
            (Authors::Logins(mut a), Authors::Logins(b)) => {
                a.extend(b);
                Authors::Logins(a)
            }
            // Some person's login beside any bot: that person's pull requests run too.
            (Authors::AnyBot, Authors::Logins(logins))
            | (Authors::Logins(logins), Authors::AnyBot)
                if !logins.iter().all(|l| l.ends_with("[bot]")) =>
            {
                Authors::Logins(logins)
            }
            _ => Authors::AnyBot,
        }
    }
}

/// Expressions naming who caused or opened the pull request.
const AUTHOR_LOGINS: &[&str] = &[
    "github.actor",
    "github.triggering_actor",
    "github.event.sender.login",
    "github.event.pull_request.user.login",
    "github.event.issue.user.login",
    "github.event.workflow_run.actor.login",
    "github.event.workflow_run.triggering_actor.login",
];

const AUTHOR_TYPES: &[&str] = &[
    "github.event.pull_request.user.type",
    "github.event.sender.type",
];

/// Whose runs `condition` allows, when it limits them to named logins or to bots.
pub fn authors(condition: &str) -> Option<Authors> {
    let text = condition.replace("${{", " ").replace("}}", " ");
    let tokens = tokenize(&text)?;
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or()?;
    if parser.at != parser.tokens.len() {
        return None;
    }
    limit(&expr)
}

/// Whether a condition can run after an earlier step failed or a needed job was skipped
/// (`always()`, `failure()`, `cancelled()`, `!cancelled()`), so a gate before it does not hold.
pub fn runs_regardless(condition: &str) -> bool {
    let lower = condition.to_ascii_lowercase();
    ["always()", "failure()", "cancelled()"]
        .iter()
        .any(|f| lower.contains(f))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    And,
    Or,
    Not,
    Eq,
    Ne,
    Other,
    Str(String),
    Name(String),
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            _ if c.is_whitespace() => i += 1,
            '(' => (tokens.push(Token::Open), i += 1).1,
            ')' => (tokens.push(Token::Close), i += 1).1,
            ',' => (tokens.push(Token::Comma), i += 1).1,
            '&' if next == Some('&') => (tokens.push(Token::And), i += 2).1,
            '|' if next == Some('|') => (tokens.push(Token::Or), i += 2).1,
            '=' if next == Some('=') => (tokens.push(Token::Eq), i += 2).1,
            '!' if next == Some('=') => (tokens.push(Token::Ne), i += 2).1,
            '!' => (tokens.push(Token::Not), i += 1).1,
            '<' | '>' => {
                tokens.push(Token::Other);
                i += if next == Some('=') { 2 } else { 1 };
            }
            '\'' => {
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return None,
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            value.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            value.push(ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Str(value));
            }
            _ if c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']' | '*') => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || matches!(chars[i], '_' | '.' | '-' | '[' | ']' | '*'))
                {
                    i += 1;
                }
                tokens.push(Token::Name(chars[start..i].iter().collect()));
            }
            _ => return None,
        }
    }
    Some(tokens)
}

#[derive(Debug)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
    Str(String),
    Name(String),
    /// A negation, `!=` or an ordering: limits nobody as far as this reader can tell.
    Opaque,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, token: &Token) -> bool {
        let found = self.peek() == Some(token);
        if found {
            self.at += 1;
        }
        found
    }

    fn or(&mut self) -> Option<Expr> {
        let mut left = self.and()?;
        while self.eat(&Token::Or) {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<Expr> {
        let mut left = self.comparison()?;
        while self.eat(&Token::And) {
            left = Expr::And(Box::new(left), Box::new(self.comparison()?));
        }
        Some(left)
    }

    fn comparison(&mut self) -> Option<Expr> {
        let left = self.unary()?;
        if self.eat(&Token::Eq) {
            return Some(Expr::Eq(Box::new(left), Box::new(self.unary()?)));
        }
        if self.eat(&Token::Ne) || self.eat(&Token::Other) {
            self.unary()?;
            return Some(Expr::Opaque);
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        if self.eat(&Token::Not) {
            self.unary()?;
            return Some(Expr::Opaque);
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Open => {
                let inner = self.or()?;
                self.eat(&Token::Close).then_some(inner)
            }
            Token::Str(s) => Some(Expr::Str(s)),
            Token::Name(name) if self.eat(&Token::Open) => {
                let mut args = Vec::new();
                if !self.eat(&Token::Close) {
                    loop {
                        args.push(self.or()?);
                        if self.eat(&Token::Close) {
                            break;
                        }
                        if !self.eat(&Token::Comma) {
                            return None;
                        }
                    }
                }
                Some(Expr::Call(name.to_ascii_lowercase(), args))
            }
            Token::Name(name) => Some(Expr::Name(name.to_ascii_lowercase())),
            _ => None,
        }
    }
}

fn limit(expr: &Expr) -> Option<Authors> {
    match expr {
        Expr::And(a, b) => match (limit(a), limit(b)) {
            (Some(a), Some(b)) => Some(a.both(b)),
            (a, b) => a.or(b),
        },
        Expr::Or(a, b) => Some(limit(a)?.either(limit(b)?)),
        Expr::Eq(a, b) => match (a.as_ref(), b.as_ref()) {
            (Expr::Name(name), Expr::Str(value)) | (Expr::Str(value), Expr::Name(name)) => {
                compared(name, value)
            }
            _ => None,
        },
        Expr::Call(function, args) if function == "contains" => match args.as_slice() {
            [Expr::Call(from_json, list), Expr::Name(name)]
                if from_json == "fromjson" && AUTHOR_LOGINS.contains(&name.as_str()) =>
            {
                let [Expr::Str(json)] = list.as_slice() else {
                    return None;
                };
                let logins: Vec<String> = serde_json::from_str(json).ok()?;
                Some(Authors::Logins(
                    logins.iter().map(|l| l.to_lowercase()).collect(),
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

fn compared(name: &str, value: &str) -> Option<Authors> {
    if AUTHOR_LOGINS.contains(&name) {
        return Some(Authors::Logins(BTreeSet::from([value.to_lowercase()])));
    }
    (AUTHOR_TYPES.contains(&name) && value.eq_ignore_ascii_case("bot")).then_some(Authors::AnyBot)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logins(condition: &str) -> Option<String> {
        authors(condition).map(|a| a.describe())
    }

    #[test]
    fn an_author_compared_with_a_login() {
        assert_eq!(
            logins("github.actor == 'dependabot[bot]'").as_deref(),
            Some("`dependabot[bot]`")
        );
        assert_eq!(
            logins("${{ github.event.pull_request.user.login == 'Dependabot[bot]' }}").as_deref(),
            Some("`dependabot[bot]`")
        );
        assert_eq!(
            logins("'renovate[bot]' == github.triggering_actor").as_deref(),
            Some("`renovate[bot]`")
        );
    }

    #[test]
    fn either_login_and_a_conjunction() {
        let both = "github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.pull_requests[0] && (github.event.workflow_run.actor.login == 'dependabot[bot]' || github.event.workflow_run.actor.login == 'renovate[bot]')";
        assert_eq!(
            logins(both).as_deref(),
            Some("`dependabot[bot]`, `renovate[bot]`")
        );
        let list = "contains(fromJSON('[\"dependabot[bot]\", \"renovate[bot]\"]'), github.actor)";
        assert_eq!(
            logins(list).as_deref(),
            Some("`dependabot[bot]`, `renovate[bot]`")
        );
        assert_eq!(
            authors("github.event.pull_request.user.type == 'Bot'"),
            Some(Authors::AnyBot)
        );
    }

    #[test]
    fn conditions_that_limit_nobody() {
        for condition in [
            "startsWith(github.head_ref, 'dependabot/')",
            "contains(github.event.pull_request.labels.*.name, 'autoapprove')",
            "github.actor != 'dependabot[bot]'",
            "!(github.actor == 'dependabot[bot]')",
            "github.actor == 'dependabot[bot]' || github.event_name == 'workflow_dispatch'",
            "github.event.comment.body == '/approve'",
            "always()",
            "github.actor == 'dependabot[bot]' ((",
        ] {
            assert_eq!(authors(condition), None, "{condition}");
        }
    }

    #[test]
    fn a_person_among_the_logins_is_not_only_bots() {
        let mixed = authors("github.actor == 'dependabot[bot]' || github.actor == 'alice'")
            .expect("limited");
        assert!(!mixed.only_bots());
        assert!(
            authors("github.actor == 'renovate[bot]'")
                .expect("limited")
                .only_bots()
        );
    }
}
