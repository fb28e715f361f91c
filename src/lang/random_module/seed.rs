//! Turning `random.seed(a)` arguments into the key `init_by_array` takes, as CPython does.

use sha2::{Digest, Sha512};

use crate::lang::math_module::frexp;

/// The 32-bit words of a little-endian unsigned number, as few as hold it (at least one).
fn words(bytes_le: &[u8]) -> Vec<u32> {
    let mut key: Vec<u32> = bytes_le
        .chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(w)
        })
        .collect();
    while key.len() > 1 && key.last() == Some(&0) {
        key.pop();
    }
    if key.is_empty() {
        key.push(0);
    }
    key
}

/// An unsigned seed (an int's absolute value, or a hash cast to unsigned).
pub fn unsigned_key(n: u64) -> Vec<u32> {
    words(&n.to_le_bytes())
}

/// `seed(n)` for an int: its absolute value.
pub fn int_key(n: i64) -> Vec<u32> {
    unsigned_key(n.unsigned_abs())
}

/// Version 2 (the default) for str: `int.from_bytes(a + sha512(a).digest())`, big-endian.
pub fn str_key(s: &str) -> Vec<u32> {
    let mut bytes = s.as_bytes().to_vec();
    bytes.extend_from_slice(&Sha512::digest(s.as_bytes()));
    bytes.reverse();
    words(&bytes)
}

/// Version 1 for str: CPython 2's string hash over the code points.
pub fn str_key_v1(s: &str) -> Vec<u32> {
    let mut x: u64 = s.chars().next().map_or(0, |c| (c as u64) << 7);
    for c in s.chars() {
        x = 1_000_003u64.wrapping_mul(x) ^ c as u64;
    }
    x ^= s.chars().count() as u64;
    unsigned_key(x)
}

/// `hash(x)` for a float (CPython's `_Py_HashDouble`: the value modulo 2**61 - 1);
/// `None` for NaN, whose hash is its object's identity.
pub fn float_hash(v: f64) -> Option<i64> {
    const BITS: u32 = 61;
    const MODULUS: u64 = (1 << BITS) - 1;
    if v.is_nan() {
        return None;
    }
    if v.is_infinite() {
        return Some(if v > 0.0 { 314_159 } else { -314_159 });
    }
    let (mut m, mut e) = frexp(v);
    let negative = m < 0.0;
    m = m.abs();
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & MODULUS) | x >> (BITS - 28);
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= MODULUS {
            x -= MODULUS;
        }
    }
    let e = if e >= 0 {
        e as u32 % BITS
    } else {
        BITS - 1 - ((-1 - e) as u32 % BITS)
    };
    x = ((x << e) & MODULUS) | x >> (BITS - e);
    let mut h = if negative {
        (x as i64).wrapping_neg()
    } else {
        x as i64
    };
    if h == -1 {
        h = -2;
    }
    Some(h)
}

/// `seed(None)`: CPython reads the OS's entropy; a process-random hasher and the clock do here.
pub fn entropy_key() -> Vec<u32> {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (0..8u64)
        .flat_map(|i| {
            let mut h = RandomState::new().build_hasher();
            h.write_u128(nanos);
            h.write_u64(i);
            let v = h.finish();
            [v as u32, (v >> 32) as u32]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_hashes_match_cpython() {
        // hash(1.5), hash(-1.0), hash(0.1), hash(1e300) in CPython 3.11.
        assert_eq!(float_hash(1.5), Some(1_152_921_504_606_846_977));
        assert_eq!(float_hash(-1.0), Some(-2));
        assert_eq!(float_hash(0.1), Some(230_584_300_921_369_408));
        assert_eq!(float_hash(1e300), Some(1_224_995_262_755_759_164));
        assert_eq!(float_hash(3.0), Some(3));
        assert_eq!(float_hash(5e-324), Some(16_777_216));
        assert_eq!(float_hash(-2.5e-310), Some(-386_353_265_232_576_880));
    }

    #[test]
    fn keys_are_the_seed_words() {
        assert_eq!(int_key(0), [0]);
        assert_eq!(int_key(-5), [5]);
        assert_eq!(int_key(1 << 40), [0, 256]);
    }
}
