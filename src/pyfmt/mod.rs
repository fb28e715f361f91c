//! Python's number formatting, byte-exact with CPython 3.11: `repr(float)`,
//! the format-spec mini-language (`format(x, spec)`, f-strings) and `round`.
//!
//! The digit generation relies on Rust's float formatting, which (like
//! CPython's dtoa) gives shortest round-trip digits for `{:e}` and correctly
//! rounded, ties-to-even digits on the exact binary value for `{:.N}` and
//! `{:.Ne}`; the layout around those digits is a port of CPython's
//! `format_float_short` and `Python/formatter_unicode.c`.

mod float_str;
mod render;
mod round;
mod spec;

pub use float_str::{float_repr, format_fixed, format_sci};
pub use render::{format_bigint, format_bool, format_float, format_int, format_str};
pub use round::{round_float, round_half_even};
pub use spec::FormatSpec;

#[cfg(test)]
mod tests;
