//! Standard output for every command. A reader that goes away early (`doublecheck policies |
//! head -1`) ends the output quietly: what is left is not written, the command runs to its
//! end and exits with the code the complete run has, as `git` and `ripgrep` do with a
//! closed pipe. Any other write error is reported (exit 2).

use std::io::{self, StdoutLock, Write};

use super::EXIT_ERROR;

/// Standard output that swallows everything once its reader has closed the pipe.
pub(super) struct Stdout {
    lock: StdoutLock<'static>,
    closed: bool,
}

pub(super) fn stdout() -> Stdout {
    Stdout {
        lock: io::stdout().lock(),
        closed: false,
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.lock.write(buf) {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.lock.flush() {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// Prints `text` whole (a command's one message or one document) and returns `code`.
pub(super) fn print(text: &str, code: i32) -> i32 {
    let mut out = stdout();
    exit_code(
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map(|()| code),
    )
}

/// The exit code of a command that printed its output: its own, or 2 when standard output
/// failed for another reason than a closed pipe (a full disk).
pub(super) fn exit_code(printed: io::Result<i32>) -> i32 {
    match printed {
        Ok(code) => code,
        Err(error) => {
            eprintln!("doublecheck: cannot write to standard output: {error}");
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_write_error_is_reported_as_exit_2() {
        assert_eq!(exit_code(Ok(1)), 1);
        assert_eq!(exit_code(Err(io::Error::other("disk full"))), EXIT_ERROR);
    }
}
