//! Text decoding as `open()`'s `TextIOWrapper` does it: the codecs, their errors, and
//! universal newlines.

use crate::lang::exception::Exception;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Utf8,
    /// `utf-8-sig`: UTF-8 without a leading byte-order mark.
    Utf8Sig,
    Ascii,
    Latin1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    Strict,
    Replace,
    Ignore,
}

impl Codec {
    /// The codec `encoding` names, as `codecs.lookup` normalizes names.
    pub fn lookup(encoding: &str) -> Result<Codec, Exception> {
        let name = encoding.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match name.as_str() {
            "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Codec::Utf8,
            "utf-8-sig" | "utf8-sig" => Codec::Utf8Sig,
            "ascii" | "us-ascii" | "646" => Codec::Ascii,
            "latin-1" | "latin1" | "latin" | "iso-8859-1" | "iso8859-1" | "l1" | "8859"
            | "cp819" => Codec::Latin1,
            _ => {
                return Err(Exception::new(
                    "LookupError",
                    format!("unknown encoding: {encoding}"),
                ))
            }
        })
    }

    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 | Codec::Utf8Sig => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }
}

impl OnError {
    pub fn lookup(errors: &str) -> Result<OnError, Exception> {
        match errors {
            "strict" => Ok(OnError::Strict),
            "replace" => Ok(OnError::Replace),
            "ignore" => Ok(OnError::Ignore),
            other => Err(Exception::new(
                "LookupError",
                format!("unknown error handler name '{other}'"),
            )),
        }
    }
}

/// `bad` is the undecodable run of bytes, starting at `at`.
fn decode_error(codec: Codec, bad: &[u8], at: usize, reason: &str) -> Exception {
    let what = match bad {
        [byte] => format!("byte {byte:#04x} in position {at}"),
        _ => format!("bytes in position {at}-{}", at + bad.len() - 1),
    };
    Exception::new(
        "UnicodeDecodeError",
        format!("'{}' codec can't decode {what}: {reason}", codec.name()),
    )
}

/// The bytes as text, with CPython's `UnicodeDecodeError` for the first undecodable one.
pub fn decode(bytes: &[u8], codec: Codec, on_error: OnError) -> Result<String, Exception> {
    match codec {
        Codec::Latin1 => Ok(bytes.iter().map(|&b| b as char).collect()),
        Codec::Ascii => {
            let mut out = String::with_capacity(bytes.len());
            for (at, &b) in bytes.iter().enumerate() {
                match (b.is_ascii(), on_error) {
                    (true, _) => out.push(b as char),
                    (false, OnError::Strict) => {
                        return Err(decode_error(codec, &[b], at, "ordinal not in range(128)"))
                    }
                    (false, OnError::Replace) => out.push('\u{fffd}'),
                    (false, OnError::Ignore) => {}
                }
            }
            Ok(out)
        }
        Codec::Utf8 | Codec::Utf8Sig => {
            let bytes = match codec {
                Codec::Utf8Sig => bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes),
                _ => bytes,
            };
            match (std::str::from_utf8(bytes), on_error) {
                (Ok(text), _) => Ok(text.to_string()),
                (Err(e), OnError::Strict) => {
                    let at = e.valid_up_to();
                    let bad = &bytes[at..at + e.error_len().unwrap_or(bytes.len() - at)];
                    let reason = match e.error_len() {
                        _ if !(0xc2..=0xf4).contains(&bad[0]) => "invalid start byte",
                        None => "unexpected end of data",
                        Some(_) => "invalid continuation byte",
                    };
                    Err(decode_error(codec, bad, at, reason))
                }
                (Err(_), OnError::Replace) => Ok(String::from_utf8_lossy(bytes).into_owned()),
                (Err(_), OnError::Ignore) => {
                    Ok(String::from_utf8_lossy(bytes).replace('\u{fffd}', ""))
                }
            }
        }
    }
}

/// Universal newlines: `\r\n` and `\r` read as `\n`.
pub fn translate_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_byte_as_cpython() {
        let err = |b: &[u8], c| {
            decode(b, c, OnError::Strict)
                .unwrap_err()
                .message()
                .to_string()
        };
        assert_eq!(
            err(b"ab\xff", Codec::Utf8),
            "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"
        );
        assert_eq!(
            err(b"\xe2\x28\xa1", Codec::Utf8),
            "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte"
        );
        assert_eq!(
            err(b"a\xe2\x82", Codec::Utf8),
            "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data"
        );
        assert_eq!(
            err("h\u{e9}".as_bytes(), Codec::Ascii),
            "'ascii' codec can't decode byte 0xc3 in position 1: ordinal not in range(128)"
        );
        assert_eq!(
            decode(b"\xef\xbb\xbfhi", Codec::Utf8Sig, OnError::Strict)
                .ok()
                .as_deref(),
            Some("hi")
        );
        assert_eq!(translate_newlines("a\r\nb\rc\n".into()), "a\nb\nc\n");
    }
}
