//! The 32-bit Mersenne Twister exactly as ATen's `at::mt19937` runs it
//! (aten/src/ATen/core/MT19937RNGEngine.h): seeded from the low 32 bits of a
//! 64-bit seed, state regenerated lazily on the first draw. CPython's `random`
//! runs the same engine, seeded from a key of words (`from_key`).

/// Words of state.
pub const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

#[derive(Clone)]
pub struct Mt19937 {
    seed: u64,
    state: [u32; N],
    /// Draws left before the next twist, counting the one that twists
    /// (ATen's `left_`: 1 when freshly seeded).
    left: usize,
    /// Index of the next word of `state` to temper (ATen's `next_`).
    next: usize,
}

/// `mt19937_data_pod`: the engine's fields as `torch.get_rng_state` stores them.
pub(super) struct EngineState {
    pub seed: u64,
    pub left: usize,
    pub next: usize,
    pub state: [u32; N],
}

pub(super) const STATE_WORDS: usize = N;

impl Mt19937 {
    pub fn new(seed: u64) -> Mt19937 {
        let mut state = [0u32; N];
        // Truncation to the low 32 bits is what ATen does (`seed & 0xffffffff`).
        state[0] = seed as u32;
        for j in 1..N {
            let prev = state[j - 1];
            state[j] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(j as u32);
        }
        Mt19937 {
            seed,
            state,
            left: 1,
            next: 0,
        }
    }

    pub(super) fn seed(&self) -> u64 {
        self.seed
    }

    pub(super) fn data(&self) -> EngineState {
        EngineState {
            seed: self.seed,
            left: self.left,
            next: self.next,
            state: self.state,
        }
    }

    /// `set_data` after ATen's `is_valid` check; `None` when it fails.
    pub(super) fn from_data(d: EngineState) -> Option<Mt19937> {
        ((1..=N).contains(&d.left) && d.next <= N).then_some(Mt19937 {
            seed: d.seed,
            state: d.state,
            left: d.left,
            next: d.next,
        })
    }

    /// The reference `init_by_array(key)` (CPython's `random.seed`): the key's 32-bit
    /// words mixed into the state of `init_genrand(19650218)`.
    pub fn from_key(key: &[u32]) -> Mt19937 {
        let mut t = Mt19937::new(19_650_218);
        let key = if key.is_empty() { &[0][..] } else { key };
        let mt = &mut t.state;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = mt[i - 1] ^ (mt[i - 1] >> 30);
            mt[i] = (mt[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        t
    }

    /// The state words and the index of the next one to temper, `N` when a twist comes
    /// first (CPython's `getstate`).
    pub fn state(&self) -> (&[u32; N], usize) {
        let next = if self.left == 1 { N } else { self.next };
        (&self.state, next)
    }

    /// Restores what `state` returned; `next` must be at most `N`.
    pub fn set_state(&mut self, words: [u32; N], next: usize) {
        let next = next.min(N);
        self.state = words;
        self.next = next;
        self.left = N - next + 1;
    }

    pub fn next_u32(&mut self) -> u32 {
        self.left -= 1;
        if self.left == 0 {
            self.twist();
        }
        let mut y = self.state[self.next];
        self.next += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    fn twist(&mut self) {
        for i in 0..N {
            let mixed = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let odd = if self.state[(i + 1) % N] & 1 == 1 {
                MATRIX_A
            } else {
                0
            };
            self.state[i] = self.state[(i + M) % N] ^ (mixed >> 1) ^ odd;
        }
        self.left = N;
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Mt19937;

    #[test]
    fn reference_stream_of_init_by_array() {
        // mt19937ar.c's published output for init_by_array({0x123, 0x234, 0x345, 0x456}).
        let mut t = Mt19937::from_key(&[0x123, 0x234, 0x345, 0x456]);
        let first: Vec<u32> = (0..5).map(|_| t.next_u32()).collect();
        assert_eq!(
            first,
            [
                1_067_595_299,
                955_945_823,
                477_289_528,
                4_107_218_783,
                4_228_976_476
            ]
        );
    }
}
