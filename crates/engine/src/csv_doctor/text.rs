//! Small text helpers for what researchers read: spreadsheet column letters and
//! values shortened for a sentence or a preview.

/// The spreadsheet letter of a column: 1 → A, 27 → AA.
pub(crate) fn column_letter(position: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = position;
    while rest > 0 {
        let index = (rest - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(index).unwrap_or(0)));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// At most `limit` characters, with "…" when cut.
pub(crate) fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_shortening() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(703), "AAA");
        assert_eq!(shorten("Café au lait", 4), "Café…");
        assert_eq!(shorten("Café", 4), "Café");
    }
}
