//! Names ecsc derives from user names: CloudFormation logical ids and
//! Terraform resource names. Both depend only on the names involved, so
//! adding or removing a declaration never renames another.

/// `random-quote_v2` → `RandomQuoteV2`.
pub fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    pascal_into(name, &mut out);
    out
}

/// [`pascal`], appended to `out`.
pub fn pascal_into(name: &str, out: &mut String) {
    // By bytes: only ASCII letters and digits are kept, and every byte of
    // any other character, like the character, starts a new word.
    out.reserve(name.len());
    let mut upper = true;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(if upper { b.to_ascii_uppercase() } else { b }));
            upper = false;
        } else {
            upper = true;
        }
    }
}

/// A Terraform resource name: letters, digits, `_` and `-`.
pub fn snake(name: &str) -> String {
    name.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_is_alphanumeric() {
        assert_eq!(pascal("random-quote"), "RandomQuote");
        assert_eq!(pascal("public_b"), "PublicB");
        assert_eq!(pascal("web2_api-v1"), "Web2ApiV1");
        assert!(pascal("a-b_c").chars().all(|c| c.is_ascii_alphanumeric()));
        // A character beyond ASCII is dropped and starts a word, as `-`.
        assert_eq!(pascal("caf\u{e9}-bar"), "CafBar");
        assert_eq!(pascal("a\u{e9}b\u{1f600}c"), "ABC");
        assert_eq!(pascal("\u{e9}x"), "X");
    }
}
