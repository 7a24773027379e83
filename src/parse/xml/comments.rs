//! XML comments: roxmltree's comment nodes (exact).

use crate::parse::comments::{Comment, comment};

pub fn comments(text: &str) -> Vec<Comment> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(tree) = roxmltree::Document::parse_with_options(text, options) else {
        return Vec::new();
    };
    tree.descendants()
        .filter(|n| n.is_comment())
        .map(|n| {
            let range = n.range();
            let body_start = (range.start + "<!--".len()).min(range.end);
            let body_end = range.end.saturating_sub("-->".len()).max(body_start);
            comment(range.start, body_start, body_end, range.end)
        })
        .collect()
}
