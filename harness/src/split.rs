//! [`Splitter`]: the sizes of the pieces an input is fed in.

/// Cuts a byte stream into the pieces a driver would read: everything at once, sizes in
/// turn, or sizes from a seed (so that a fuzzer explores splits as well as bytes).
#[derive(Debug, Clone)]
pub struct Splitter {
    /// Explicit piece sizes, used in turn before the generator.
    sizes: Vec<usize>,
    next: usize,
    /// Start over at the first size when they run out (else the generator follows).
    repeat: bool,
    /// Generated pieces are 1..=max bytes; `usize::MAX`: everything left at once.
    max: usize,
    state: u64,
}

impl Splitter {
    /// Everything in one piece.
    pub fn whole() -> Self {
        Self {
            sizes: Vec::new(),
            next: 0,
            repeat: false,
            max: usize::MAX,
            state: 1,
        }
    }

    /// Pieces of the given sizes in turn (0 counts as 1), over and over; empty: whole.
    pub fn cycle(sizes: &[usize]) -> Self {
        Self {
            sizes: sizes.to_vec(),
            repeat: true,
            ..Self::whole()
        }
    }

    /// Pieces of the given sizes in turn (0 counts as 1); when they run out, the rest
    /// goes in one piece.
    pub fn from_sizes(sizes: &[u8]) -> Self {
        Self {
            sizes: sizes.iter().map(|&s| usize::from(s)).collect(),
            ..Self::whole()
        }
    }

    /// Pieces chosen by `seed`: one byte each, or random sizes up to 8, 64 or 512.
    pub fn from_seed(seed: u8, salt: usize) -> Self {
        Self {
            max: [1, 8, 64, 512][usize::from(seed & 3)],
            state: (u64::from(seed) << 32) ^ salt as u64 ^ 0x9e37_79b9_7f4a_7c15,
            ..Self::whole()
        }
    }

    /// The size of the next piece, at least 1 and at most `left` (which must be > 0).
    pub fn piece(&mut self, left: usize) -> usize {
        if self.repeat && self.next == self.sizes.len() {
            self.next = 0;
        }
        if let Some(&s) = self.sizes.get(self.next) {
            self.next += 1;
            return s.clamp(1, left);
        }
        if self.max == usize::MAX {
            return left;
        }
        // xorshift64
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (1 + (self.state % self.max as u64) as usize).min(left)
    }
}

#[cfg(test)]
mod tests {
    use super::Splitter;

    fn pieces(mut s: Splitter, mut left: usize) -> Vec<usize> {
        let mut out = Vec::new();
        while left > 0 {
            let n = s.piece(left);
            out.push(n);
            left -= n;
        }
        out
    }

    #[test]
    fn whole_cycle_and_sizes() {
        assert_eq!(pieces(Splitter::whole(), 10), [10]);
        assert_eq!(pieces(Splitter::cycle(&[]), 10), [10]);
        assert_eq!(pieces(Splitter::cycle(&[3, 0]), 10), [3, 1, 3, 1, 2]);
        assert_eq!(pieces(Splitter::from_sizes(&[2, 0]), 10), [2, 1, 7]);
        let seeded = pieces(Splitter::from_seed(1, 7), 100);
        assert!(seeded.iter().all(|&n| (1..=8).contains(&n)));
        assert_eq!(seeded, pieces(Splitter::from_seed(1, 7), 100));
    }
}
