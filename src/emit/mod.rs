//! Emitters: translate a validated [`crate::model::Model`] into a target
//! format. They derive nothing and check nothing; that happened before.

pub mod cloudformation;
pub mod terraform;

/// A value as pretty JSON ending in a newline, with the characters YAML
/// forbids or folds (U+007F–U+009F, U+2028, U+2029, U+FEFF, U+FFFE,
/// U+FFFF) written as `\uXXXX`: JSON allows them raw, but tools that read
/// JSON templates with a YAML parser (cfn-lint) reject them. serde_json
/// escapes the other controls itself, and none of these characters can
/// occur outside a string, so replacing them in the text is exact.
pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    // Each of those characters starts with one of these bytes in UTF-8; a
    // text without them (nearly every template) is written as it is. An
    // ASCII text holds none but U+007F, and both tests run a word or a
    // vector at a time, where a test per byte took a third of the time
    // of serializing.
    let plain = s.is_ascii() && !s.as_bytes().contains(&0x7f);
    if plain || !s.bytes().any(|b| matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef)) {
        s.push('\n');
        // The serializer's buffer doubled as it grew; a build holds every
        // text of a split stack at once.
        s.shrink_to_fit();
        return s;
    }
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}
