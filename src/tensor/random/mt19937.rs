//! The 32-bit Mersenne Twister exactly as ATen's `at::mt19937` runs it
//! (aten/src/ATen/core/MT19937RNGEngine.h): seeded from the low 32 bits of a
//! 64-bit seed, state regenerated lazily on the first draw.

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

#[derive(Clone)]
pub(super) struct Mt19937 {
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
    pub(super) fn new(seed: u64) -> Mt19937 {
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

    pub(super) fn next_u32(&mut self) -> u32 {
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
