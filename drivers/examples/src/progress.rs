//! `fetch`'s progress display on stderr, drawn with `indicatif` from the client's byte
//! counters ([`h1_std::Counters`], shared with a drawing thread), so the code that reads
//! the body does not change.
//!
//! It appears only where a person watches it and it tells something: stderr is a terminal,
//! stdout is not (a body printed to the terminal is its own progress, and a bar redrawn
//! over it would tear it), and the body is large — a bar for a Content-Length of at least
//! [`LARGE`], a spinner with the bytes so far for a body of unknown length. Piped or
//! redirected stderr never gets a byte of it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use h1_std::Counters;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The smallest Content-Length that gets a bar: 1 MiB.
pub const LARGE: u64 = 1 << 20;

/// How often the drawing thread reads the counters.
const TICK: Duration = Duration::from_millis(100);

/// What to show for a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// Nothing at all.
    Nothing,
    /// A bar towards the Content-Length.
    Bar(u64),
    /// A spinner with the bytes received so far (a body of unknown length).
    Spinner,
}

impl Display {
    /// The display for a body of `content_length` (`None`: unknown), given where stdout
    /// and stderr go.
    ///
    /// ```
    /// use h1_examples::progress::{Display, LARGE};
    /// assert_eq!(Display::choose(true, false, Some(LARGE)), Display::Bar(LARGE));
    /// assert_eq!(Display::choose(true, false, None), Display::Spinner);
    /// assert_eq!(Display::choose(true, false, Some(LARGE - 1)), Display::Nothing);
    /// assert_eq!(Display::choose(false, false, Some(LARGE)), Display::Nothing); // piped
    /// assert_eq!(Display::choose(true, true, None), Display::Nothing); // body on screen
    /// ```
    pub fn choose(
        stderr_is_terminal: bool,
        stdout_is_terminal: bool,
        content_length: Option<u64>,
    ) -> Self {
        if !stderr_is_terminal || stdout_is_terminal {
            return Self::Nothing;
        }
        match content_length {
            Some(n) if n >= LARGE => Self::Bar(n),
            Some(_) => Self::Nothing,
            None => Self::Spinner,
        }
    }
}

/// A progress display running while a body is read; [`finish`](Self::finish) leaves it
/// complete, dropping it (on an error) clears it.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    ticker: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Progress {
    /// The display [`Display::choose`] picks for this process's stdout and stderr, counting
    /// from `counters` as they are now (the head already read).
    pub fn for_body(content_length: Option<u64>, counters: &Arc<Counters>) -> Self {
        let display = Display::choose(
            std::io::stderr().is_terminal(),
            std::io::stdout().is_terminal(),
            content_length,
        );
        Self::start(display, counters)
    }

    /// Starts `display` on stderr, fed from `counters` by a thread every 100 ms.
    pub fn start(display: Display, counters: &Arc<Counters>) -> Self {
        let (bar, template) = match display {
            Display::Nothing => {
                return Self {
                    bar: None,
                    ticker: None,
                }
            }
            Display::Bar(len) => (
                ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr()),
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ),
            Display::Spinner => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} {bytes} {bytes_per_sec}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let base = counters.received();
        let ticker = {
            let (bar, stop, counters) = (bar.clone(), Arc::clone(&stop), Arc::clone(counters));
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    bar.set_position(counters.received().saturating_sub(base));
                    thread::sleep(TICK);
                }
            })
        };
        Self {
            bar: Some(bar),
            ticker: Some((stop, ticker)),
        }
    }

    /// True when something is drawn.
    pub fn is_shown(&self) -> bool {
        self.bar.is_some()
    }

    fn stop(&mut self) {
        if let Some((stop, ticker)) = self.ticker.take() {
            stop.store(true, Ordering::Relaxed);
            let _ = ticker.join();
        }
    }

    /// The body was read whole: the display shows it complete and stays.
    pub fn finish(mut self) {
        self.stop();
        if let Some(bar) = self.bar.take() {
            match bar.length() {
                Some(len) => bar.set_position(len),
                None => bar.tick(),
            }
            bar.finish();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_drawn_unless_a_person_watches_a_large_body() {
        for stderr in [false, true] {
            for stdout in [false, true] {
                for length in [None, Some(0), Some(LARGE - 1), Some(LARGE), Some(u64::MAX)] {
                    let shown = Display::choose(stderr, stdout, length) != Display::Nothing;
                    let large = length.is_none_or(|n| n >= LARGE);
                    assert_eq!(
                        shown,
                        stderr && !stdout && large,
                        "{stderr} {stdout} {length:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_hidden_display_starts_no_thread() {
        let p = Progress::start(Display::Nothing, &Arc::new(Counters::default()));
        assert!(!p.is_shown() && p.ticker.is_none());
        p.finish();
    }

    #[test]
    fn the_thread_follows_the_counters_and_stops() {
        let counters = Arc::new(Counters::default());
        counters.add_received(500); // the head, before the display starts
        let p = Progress::start(Display::Bar(LARGE), &counters);
        counters.add_received(1000);
        let bar = p.bar.clone().unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while bar.position() != 1000 && std::time::Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(bar.position(), 1000);
        p.finish();
        assert_eq!(bar.position(), LARGE);
        assert!(bar.is_finished());
    }
}
