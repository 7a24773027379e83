//! Progress of a long scan, for people watching a terminal.
//!
//! The scan reports how many files it will read ([`Progress::set_total`]) and how many it has
//! finished ([`Progress::inc`]); what is drawn, and when, is decided here:
//!
//! - only on standard error, only when it is a terminal that can redraw a line (`TERM` set and
//!   not `dumb`), never under CI (`CI` set: some services give the job a terminal, and a log
//!   full of redrawn lines helps no one), never with `--format github` or `--no-progress`;
//! - only once the scan has run for more than [`DELAY`]: a shorter scan prints nothing at all,
//!   not even a flash;
//! - files done and to do, the rate and the time left, redrawn ten times a second at most,
//!   and cleared when the scan finishes, so the report that follows starts on a clean line.
//!
//! `NO_COLOR` changes nothing: the bar has no colour. The workers only add to an atomic
//! counter; one drawing thread, started only when progress may be drawn, reads it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before its progress is drawn.
pub const DELAY: Duration = Duration::from_secs(1);

/// Sets [`DELAY`] in milliseconds instead, for tests of the command line (`0`: at once).
pub const DELAY_VAR: &str = "DOUBLECHECK_PROGRESS_DELAY_MS";

/// How often the drawing thread reads the counters and redraws.
const REDRAW: Duration = Duration::from_millis(100);

/// What `total` holds before [`Progress::set_total`].
const UNKNOWN: u64 = u64::MAX;

/// A handle the scan reports to; cheap to clone and shared by the worker threads.
/// [`Progress::hidden`] (the default) draws nothing.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// `None` when nothing can be drawn: then every method returns at once.
    drawing: Option<Arc<Drawing>>,
}

impl Progress {
    /// Reports nowhere: library use, tests, and output that is not a terminal.
    pub fn hidden() -> Self {
        Progress { drawing: None }
    }

    /// Draws on standard error when `wanted` (not `--no-progress`, not `--format github`) and
    /// [`Environment::current`] allows it; otherwise hidden. The scan's clock starts now.
    pub fn stderr(wanted: bool) -> Self {
        if !(wanted && Environment::current().allows_progress()) {
            return Progress::hidden();
        }
        let delay = std::env::var(DELAY_VAR)
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        Progress::drawn_on(ProgressDrawTarget::stderr(), Instant::now(), delay)
    }

    /// Draws on `target` once `delay` has passed since `started`.
    fn drawn_on(target: ProgressDrawTarget, started: Instant, delay: Duration) -> Self {
        let counters = Arc::new(Counters {
            total: AtomicU64::new(UNKNOWN),
            done: AtomicU64::new(0),
            finished: Mutex::new(false),
            wake: Condvar::new(),
        });
        let drawer = {
            let counters = Arc::clone(&counters);
            std::thread::Builder::new()
                .name("doublecheck-progress".to_owned())
                .spawn(move || draw(&counters, target, started, delay))
                .ok()
        };
        Progress {
            drawing: Some(Arc::new(Drawing {
                counters,
                drawer: Mutex::new(drawer),
            })),
        }
    }

    /// The number of files the scan will read.
    pub fn set_total(&self, files: u64) {
        if let Some(drawing) = &self.drawing {
            drawing.counters.total.store(files, Ordering::Relaxed);
        }
    }

    /// `files` more files are done.
    pub fn inc(&self, files: u64) {
        if let Some(drawing) = &self.drawing {
            drawing.counters.done.fetch_add(files, Ordering::Relaxed);
        }
    }

    /// The scan is over: whatever was drawn is cleared before this returns. Calling it again
    /// does nothing; so does reporting after it.
    pub fn finish(&self) {
        if let Some(drawing) = &self.drawing {
            drawing.finish();
        }
    }
}

/// What decides whether progress can be drawn at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub stderr_is_terminal: bool,
    /// `TERM`.
    pub term: Option<String>,
    /// Whether `CI` is set.
    pub ci: bool,
}

impl Environment {
    /// This process's.
    pub fn current() -> Self {
        Environment {
            stderr_is_terminal: std::io::stderr().is_terminal(),
            term: std::env::var("TERM").ok(),
            ci: std::env::var_os("CI").is_some(),
        }
    }

    /// A terminal that can redraw a line, outside CI. Without `TERM` a Unix terminal is
    /// taken as dumb (as `console` takes it); Windows consoles do not set it.
    pub fn allows_progress(&self) -> bool {
        let redraws = match self.term.as_deref() {
            Some("dumb") => false,
            Some(_) => true,
            None => cfg!(windows),
        };
        self.stderr_is_terminal && redraws && !self.ci
    }
}

/// The shared state of a drawn progress; dropping the last handle finishes it.
#[derive(Debug)]
struct Drawing {
    counters: Arc<Counters>,
    drawer: Mutex<Option<JoinHandle<()>>>,
}

impl Drawing {
    fn finish(&self) {
        *lock(&self.counters.finished) = true;
        self.counters.wake.notify_all();
        if let Some(drawer) = lock(&self.drawer).take() {
            let _ = drawer.join();
        }
    }
}

impl Drop for Drawing {
    fn drop(&mut self) {
        self.finish();
    }
}

#[derive(Debug)]
struct Counters {
    total: AtomicU64,
    done: AtomicU64,
    finished: Mutex<bool>,
    wake: Condvar,
}

impl Counters {
    /// Waits until `deadline` or until the scan finishes; whether it finished.
    fn finished_by(&self, deadline: Instant) -> bool {
        let mut finished = lock(&self.finished);
        while !*finished {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            finished = self
                .wake
                .wait_timeout(finished, left)
                .map_or_else(|e| e.into_inner().0, |(guard, _)| guard);
        }
        true
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The drawing thread: the bar follows the counters from the start, hidden, so its rate and
/// time left have a history once it shows, `delay` after `started`; it is cleared when the
/// scan finishes (a bar never shown prints nothing then either).
fn draw(counters: &Counters, target: ProgressDrawTarget, started: Instant, delay: Duration) {
    let bar = ProgressBar::hidden()
        .with_style(walking_style())
        .with_elapsed(started.elapsed());
    let shows_at = started + delay;
    let mut target = Some(target);
    let mut total = UNKNOWN;
    loop {
        let now_total = counters.total.load(Ordering::Relaxed);
        if now_total != total {
            if total == UNKNOWN {
                bar.set_style(bar_style());
            }
            bar.set_length(now_total);
            total = now_total;
        }
        let now = Instant::now();
        if now >= shows_at
            && let Some(target) = target.take()
        {
            bar.set_draw_target(target);
        }
        bar.set_position(counters.done.load(Ordering::Relaxed));
        let next = now + REDRAW;
        let wake = if target.is_some() {
            next.min(shows_at)
        } else {
            next
        };
        if counters.finished_by(wake) {
            break;
        }
    }
    bar.finish_and_clear();
}

/// Before the scan knows how many files it will read (it is still walking the folders).
fn walking_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} scanning ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// The bar takes the width the counts leave, so the line never wraps (a wrapped line is
/// redrawn one line too low).
fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} scanning [{wide_bar}] {human_pos}/{human_len} files ({per_sec:0}, {eta} left)",
    )
    .map(|style| style.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    use indicatif::TermLike;

    /// A terminal that records what is written and whether the last line was cleared.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl Screen {
        fn writes(&self) -> Vec<String> {
            lock(&self.0).clone()
        }

        fn push(&self, s: &str) {
            lock(&self.0).push(s.to_owned());
        }

        /// Waits (up to ten seconds) until something written contains `text`.
        fn shows(&self, text: &str) -> bool {
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if self.writes().iter().any(|w| w.contains(text)) {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            false
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.push(s);
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.push(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.push("<clear>");
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn on_screen(started: Instant) -> (Progress, Screen) {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        (Progress::drawn_on(target, started, DELAY), screen)
    }

    fn ago(seconds: u64) -> Instant {
        Instant::now()
            .checked_sub(Duration::from_secs(seconds))
            .unwrap_or_else(Instant::now)
    }

    #[test]
    fn only_a_terminal_outside_ci_that_can_redraw_shows_progress() {
        let terminal = Environment {
            stderr_is_terminal: true,
            term: Some("xterm-256color".to_owned()),
            ci: false,
        };
        assert!(terminal.allows_progress());
        let piped = Environment {
            stderr_is_terminal: false,
            ..terminal.clone()
        };
        assert!(!piped.allows_progress());
        let ci = Environment {
            ci: true,
            ..terminal.clone()
        };
        assert!(!ci.allows_progress());
        let dumb = Environment {
            term: Some("dumb".to_owned()),
            ..terminal.clone()
        };
        assert!(!dumb.allows_progress());
        let no_term = Environment {
            term: None,
            ..terminal
        };
        assert_eq!(no_term.allows_progress(), cfg!(windows));
    }

    #[test]
    fn a_scan_shorter_than_the_delay_draws_nothing() {
        let (progress, screen) = on_screen(Instant::now());
        progress.set_total(10);
        progress.inc(10);
        progress.finish();
        assert_eq!(screen.writes(), Vec::<String>::new());
    }

    #[test]
    fn a_longer_scan_shows_files_done_and_is_cleared_when_it_finishes() {
        // As if the scan had started two seconds ago: past the delay, so drawn at once.
        let (progress, screen) = on_screen(ago(2));
        assert!(screen.shows("scanning (2s)"), "{:?}", screen.writes());
        progress.set_total(2_000);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let progress = progress.clone();
                std::thread::spawn(move || (0..250).for_each(|_| progress.inc(1)))
            })
            .collect();
        for worker in workers {
            worker.join().expect("the worker ends");
        }
        assert!(screen.shows("1,000/2,000 files"), "{:?}", screen.writes());
        progress.finish();
        let writes = screen.writes();
        assert_eq!(writes.last().map(String::as_str), Some("<clear>"));
        // Finished is finished: nothing is drawn afterwards.
        progress.inc(5);
        progress.finish();
        std::thread::sleep(REDRAW * 2);
        assert_eq!(screen.writes(), writes);
    }

    #[test]
    fn dropping_the_last_handle_clears_too() {
        let (progress, screen) = on_screen(ago(2));
        assert!(screen.shows("scanning"), "{:?}", screen.writes());
        drop(progress);
        assert_eq!(screen.writes().last().map(String::as_str), Some("<clear>"));
    }

    #[test]
    fn hidden_progress_ignores_everything() {
        let progress = Progress::hidden();
        progress.set_total(3);
        progress.inc(1);
        progress.finish();
        assert!(progress.drawing.is_none());
        assert!(Progress::default().drawing.is_none());
    }
}
