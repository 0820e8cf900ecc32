//! Working out how a file's bytes are to be read, and turning them into UTF-8 as a
//! stream.
//!
//! The guess uses only the first [`SNIFF_BYTES`]: a byte order mark says UTF-8 or
//! UTF-16 outright; UTF-16 without one shows as a zero byte in every other place;
//! otherwise text that is valid UTF-8 is UTF-8, and anything else is taken as
//! Windows-1252, which is what older Excel versions write in Western Europe and the
//! Americas (every byte is a character there, so it never fails to decode).
//! Bytes past the sample that are not valid UTF-8 are caught cell by cell
//! ([`decode_cell`]).

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::TextEncoding;

/// How much of the start of a file the guess reads.
pub(crate) const SNIFF_BYTES: usize = 256 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// Guesses the encoding from the first bytes of a file. `complete` says whether
/// `sample` is the whole file (otherwise its last character may be cut in two).
pub(crate) fn sniff(sample: &[u8], complete: bool) -> TextEncoding {
    if sample.starts_with(UTF8_BOM) {
        return TextEncoding::Utf8WithBom;
    }
    if sample.starts_with(UTF16LE_BOM) {
        return TextEncoding::Utf16Le;
    }
    if sample.starts_with(UTF16BE_BOM) {
        return TextEncoding::Utf16Be;
    }
    if let Some(encoding) = utf16_without_bom(sample) {
        return encoding;
    }
    let (utf8_chars, invalid) = utf8_evidence(sample, complete);
    // Legacy text almost never forms valid UTF-8 characters by chance, so valid ones
    // outweighing invalid bytes means UTF-8 with a few stray lines (reported per line).
    if invalid == 0 || utf8_chars > invalid {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    }
}

/// Counts the valid non-ASCII UTF-8 characters and the invalid sequences in a sample
/// (a character cut off by the end of an incomplete sample is not invalid).
fn utf8_evidence(mut sample: &[u8], complete: bool) -> (usize, usize) {
    let non_ascii = |valid: &[u8]| {
        std::str::from_utf8(valid)
            .map(|text| text.chars().filter(|c| !c.is_ascii()).count())
            .unwrap_or(0)
    };
    let (mut utf8_chars, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(sample) {
            Ok(text) => return (utf8_chars + non_ascii(text.as_bytes()), invalid),
            Err(error) => {
                let (valid, rest) = sample.split_at(error.valid_up_to());
                utf8_chars += non_ascii(valid);
                match error.error_len() {
                    Some(bad) => {
                        invalid += 1;
                        sample = &rest[bad..];
                    }
                    None => {
                        if complete {
                            invalid += 1;
                        }
                        return (utf8_chars, invalid);
                    }
                }
            }
        }
    }
}

/// Text in UTF-16 without a byte order mark: mostly ASCII, so one byte of each pair is
/// zero, always on the same side. CSV text in UTF-8 or Windows-1252 has no zero bytes.
fn utf16_without_bom(sample: &[u8]) -> Option<TextEncoding> {
    if sample.len() < 4 {
        return None;
    }
    let (mut zero_even, mut zero_odd) = (0usize, 0usize);
    for (index, byte) in sample.iter().enumerate() {
        if *byte == 0 {
            if index % 2 == 0 {
                zero_even += 1;
            } else {
                zero_odd += 1;
            }
        }
    }
    let pairs = sample.len() / 2;
    if zero_odd * 2 > pairs && zero_even == 0 {
        Some(TextEncoding::Utf16Le)
    } else if zero_even * 2 > pairs && zero_odd == 0 {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// The bytes at the start of the file that are a byte order mark, not text.
pub(crate) fn bom_len(encoding: TextEncoding, sample: &[u8]) -> usize {
    match encoding {
        TextEncoding::Utf8WithBom if sample.starts_with(UTF8_BOM) => UTF8_BOM.len(),
        TextEncoding::Utf16Le if sample.starts_with(UTF16LE_BOM) => UTF16LE_BOM.len(),
        TextEncoding::Utf16Be if sample.starts_with(UTF16BE_BOM) => UTF16BE_BOM.len(),
        _ => 0,
    }
}

/// Turns the bytes after the byte order mark into UTF-8 as they are read. UTF-8 is
/// passed through untouched (invalid bytes are dealt with cell by cell).
pub(crate) fn decode_stream<'a>(
    encoding: TextEncoding,
    after_bom: impl Read + 'a,
) -> Box<dyn Read + 'a> {
    let transcode_from = match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8WithBom => return Box::new(after_bom),
        TextEncoding::Utf16Le => UTF_16LE,
        TextEncoding::Utf16Be => UTF_16BE,
        TextEncoding::Windows1252 => WINDOWS_1252,
    };
    Box::new(
        DecodeReaderBytesBuilder::new()
            .encoding(Some(transcode_from))
            .build(after_bom),
    )
}

/// A cell's text. Bytes that are not valid UTF-8 (a file that is mostly UTF-8 with
/// some lines pasted from an older program) are read as Windows-1252, the likeliest
/// source, rather than dropped.
pub(crate) fn decode_cell(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(decode_mixed(bytes)),
    }
}

fn decode_mixed(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + 8);
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = error.error_len().unwrap_or(rest.len()).max(1);
                let (decoded, _) = WINDOWS_1252.decode_without_bom_handling(&rest[..bad]);
                text.push_str(&decoded);
                bytes = &rest[bad..];
            }
        }
    }
    text
}

/// Whether these bytes are valid UTF-8 (all text is, once decoded; only raw UTF-8 files
/// can hold invalid bytes).
pub(crate) fn is_utf8(bytes: &[u8]) -> bool {
    // Checked on every row of a UTF-8 file: simdutf8 is several times faster than std.
    simdutf8::basic::from_utf8(bytes).is_ok()
}

/// The number of characters in UTF-8 bytes (counts an invalid byte as one).
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|byte| (**byte & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn decode_all(encoding: TextEncoding, bytes: &[u8]) -> String {
        let skip = bom_len(encoding, bytes);
        let mut text = String::new();
        decode_stream(encoding, &bytes[skip..])
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn byte_order_marks_decide() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b", true), TextEncoding::Utf8WithBom);
        assert_eq!(sniff(b"\xFF\xFEa\0", true), TextEncoding::Utf16Le);
        assert_eq!(sniff(b"\xFE\xFF\0a", true), TextEncoding::Utf16Be);
    }

    #[test]
    fn utf16_without_a_mark_is_recognised_by_its_zero_bytes() {
        let le: Vec<u8> = "id,text\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "id,text\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff(&le, true), TextEncoding::Utf16Le);
        assert_eq!(sniff(&be, true), TextEncoding::Utf16Be);
        assert_eq!(decode_all(TextEncoding::Utf16Be, &be), "id,text\n");
    }

    #[test]
    fn utf8_and_windows_1252() {
        assert_eq!(sniff("Café,€".as_bytes(), true), TextEncoding::Utf8);
        assert_eq!(sniff(b"Caf\xE9,\x80", true), TextEncoding::Windows1252);
        // A sample that ends inside a character is still UTF-8, unless it is the whole file.
        assert_eq!(sniff(b"Caf\xC3", false), TextEncoding::Utf8);
        assert_eq!(sniff(b"Caf\xC3", true), TextEncoding::Windows1252);
        assert_eq!(
            decode_all(TextEncoding::Windows1252, b"Caf\xE9 \x80"),
            "Café €"
        );
    }

    #[test]
    fn a_stray_legacy_byte_among_utf8_characters_is_still_utf8() {
        let mut mostly_utf8 = "id,text\n1,Café\n2,Naïve\n".as_bytes().to_vec();
        mostly_utf8.extend_from_slice(b"3,Caf\xE9\n");
        assert_eq!(sniff(&mostly_utf8, true), TextEncoding::Utf8);
        // But legacy text with no UTF-8 character at all is legacy.
        assert_eq!(
            sniff(b"1,Caf\xE9\n2,Na\xEFve\n", true),
            TextEncoding::Windows1252
        );
    }

    #[test]
    fn byte_order_marks_are_not_text() {
        assert_eq!(
            decode_all(TextEncoding::Utf16Le, b"\xFF\xFEa\0,\0b\0"),
            "a,b"
        );
        assert_eq!(decode_all(TextEncoding::Utf8WithBom, b"\xEF\xBB\xBFa"), "a");
    }

    #[test]
    fn invalid_bytes_in_a_utf8_cell_are_read_as_windows_1252() {
        assert_eq!(decode_cell("Café".as_bytes()), "Café");
        assert_eq!(
            decode_cell(b"Caf\xE9 \xE2\x82\xAC \x93x\x94"),
            "Café € \u{201C}x\u{201D}"
        );
        assert!(!is_utf8(b"Caf\xE9"));
        assert_eq!(char_count("Café €".as_bytes()), 6);
    }
}
