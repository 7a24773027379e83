//! Which lines of a file a change added or modified: a line diff of the base's bytes against
//! the head's, as 1-based inclusive ranges of head lines.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// Files larger than this are not diffed line by line: every head line counts as changed
/// (a diff's cost grows with size times difference; policy files are far smaller).
const MAX_DIFF_BYTES: usize = 8 * 1024 * 1024;

/// The head lines that are not in the base, merged into ranges. Line ends do not matter
/// (`\r\n` and `\n` compare equal), so a checkout that converts them changes nothing.
pub fn changed_lines(base: &[u8], head: &[u8]) -> Vec<(usize, usize)> {
    if base.len().max(head.len()) > MAX_DIFF_BYTES {
        return all_lines(head);
    }
    let old = lines(base);
    let new = lines(head);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        let (start, len) = match op {
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => (new_index, new_len),
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => continue,
        };
        if len == 0 {
            continue;
        }
        push_range(&mut ranges, start + 1, start + len);
    }
    ranges
}

/// Every line of a file the base does not have.
pub fn all_lines(head: &[u8]) -> Vec<(usize, usize)> {
    match lines(head).len() {
        0 => Vec::new(),
        n => vec![(1, n)],
    }
}

/// Lines without their ends; a last line without `\n` is a line too.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|&b| b == b'\n')
        .map(|line| {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            line.strip_suffix(b"\r").unwrap_or(line)
        })
        .collect()
}

/// Appends `first..=last`, merging it into the previous range when they touch.
fn push_range(ranges: &mut Vec<(usize, usize)>, first: usize, last: usize) {
    if let Some(previous) = ranges.last_mut()
        && previous.1 + 1 >= first
    {
        previous.1 = previous.1.max(last);
        return;
    }
    ranges.push((first, last));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_files_change_nothing() {
        assert_eq!(changed_lines(b"a\nb\n", b"a\nb\n"), []);
        assert_eq!(changed_lines(b"", b""), []);
    }

    #[test]
    fn an_added_line_is_its_own_range() {
        assert_eq!(changed_lines(b"a\nc\n", b"a\nb\nc\n"), [(2, 2)]);
    }

    #[test]
    fn a_modified_line_counts_and_neighbours_merge() {
        let base = b"a\nb\nc\nd\n";
        let head = b"a\nB\nC\nd\ne\n";
        assert_eq!(changed_lines(base, head), [(2, 3), (5, 5)]);
    }

    #[test]
    fn deleted_lines_mark_no_head_line() {
        assert_eq!(changed_lines(b"a\nb\nc\n", b"a\nc\n"), []);
    }

    #[test]
    fn separate_changes_stay_separate() {
        let base = b"1\n2\n3\n4\n5\n";
        let head = b"x\n2\n3\n4\ny\n";
        assert_eq!(changed_lines(base, head), [(1, 1), (5, 5)]);
    }

    #[test]
    fn line_ends_do_not_matter() {
        assert_eq!(changed_lines(b"a\nb\n", b"a\r\nb\r\n"), []);
        assert_eq!(changed_lines(b"a\nb", b"a\nb\n"), []);
    }

    #[test]
    fn a_last_line_without_newline_is_a_line() {
        assert_eq!(changed_lines(b"a\n", b"a\nb"), [(2, 2)]);
    }

    #[test]
    fn a_new_file_is_all_lines() {
        assert_eq!(all_lines(b"a\nb\nc"), [(1, 3)]);
        assert_eq!(all_lines(b"a\n"), [(1, 1)]);
        assert_eq!(all_lines(b""), []);
        assert_eq!(changed_lines(b"", b"a\nb\n"), [(1, 2)]);
    }

    #[test]
    fn invalid_utf8_is_diffed_as_bytes() {
        assert_eq!(changed_lines(b"\xff\n", b"\xff\n\xfe\n"), [(2, 2)]);
    }
}
