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
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
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
    }
}
