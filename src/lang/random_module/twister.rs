//! CPython's draws from the Mersenne Twister (`Modules/_randommodule.c`): 53-bit floats,
//! `getrandbits`, and `_randbelow`'s rejection sampling.

use crate::tensor::random::mt19937::Mt19937;

/// `random()`: 53 random bits in [0, 1).
pub fn random(t: &mut Mt19937) -> f64 {
    let a = t.next_u32() >> 5;
    let b = t.next_u32() >> 6;
    (a as f64 * 67_108_864.0 + b as f64) * (1.0 / 9_007_199_254_740_992.0)
}

/// `getrandbits(k)` for `k <= 64`: 32-bit words from the least significant up, the last
/// one cut to the bits that remain.
pub fn getrandbits(t: &mut Mt19937, k: u32) -> u64 {
    match k {
        0 => 0,
        1..=32 => (t.next_u32() >> (32 - k)) as u64,
        _ => {
            let low = t.next_u32() as u64;
            let high = (t.next_u32() >> (64 - k)) as u64;
            low | high << 32
        }
    }
}

/// `_randbelow`: a uniform int in [0, n) for n > 0, by rejection on `n.bit_length()` bits.
pub fn below(t: &mut Mt19937, n: u64) -> u64 {
    let k = 64 - n.leading_zeros();
    loop {
        let r = getrandbits(t, k);
        if r < n {
            return r;
        }
    }
}
