//! Template values with CloudFormation intrinsics, rendered as JSON
//! (`{"Ref": ...}`) or as YAML with short-form tags (`!Ref ...`).

use crate::model::ACCOUNT;
use serde::ser::{Serialize, SerializeMap, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Bool(bool),
    Int(i64),
    /// A number that is not whole (an alarm threshold of 0.5 s).
    Float(f64),
    Str(crate::tree::Key),
    List(Vec<Expr>),
    Map(Vec<(crate::tree::Key, Expr)>),
    Ref(String),
    /// `Fn::GetAtt` of a logical id and an attribute (boxed: the rarest
    /// large variant, kept out of every other node).
    GetAtt(Box<(String, crate::tree::Key)>),
    /// `Fn::Sub` of literal text and variables, written by [`sub_string`]
    /// (the one place literal text is escaped).
    Sub(Vec<SubPart>),
}

/// A piece of an `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq)]
pub enum SubPart {
    /// Literal text, escaped when written.
    Lit(String),
    /// A variable: `AWS::Region`, a parameter, `Resource.Attribute`. A
    /// pseudo parameter is borrowed (at 10,000 services, 120,000 of them
    /// were 3.8 MB of small strings).
    Var(crate::tree::Key),
}

crate::tree::node!(Expr);
crate::tree::float!(Expr);

/// An ordered map being built, for properties and nested objects.
pub type Obj = crate::tree::Obj<Expr>;

/// The string of an `Fn::Sub`: variables as `${X}`, literal text with
/// every `${` written `${!` (so no user text names a variable) and the
/// deploying account ([`ACCOUNT`]) as `${AWS::AccountId}`. Adjacent
/// literal pieces are joined before escaping, so a `$` ending one and a
/// `{` starting the next cannot meet as `${`.
pub fn sub_string(parts: &[SubPart]) -> String {
    let mut out = String::new();
    let mut literal = String::new();
    let flush = |literal: &mut String, out: &mut String| {
        out.push_str(
            &literal
                .replace("${", "${!")
                .replace(ACCOUNT, "${AWS::AccountId}"),
        );
        literal.clear();
    };
    for p in parts {
        match p {
            SubPart::Lit(l) => literal.push_str(l),
            SubPart::Var(v) => {
                flush(&mut literal, &mut out);
                out.push_str("${");
                out.push_str(v);
                out.push('}');
            }
        }
    }
    flush(&mut literal, &mut out);
    out
}

/// A string holding the deploying account as `Fn::Sub` text.
fn account_sub(s: &str) -> String {
    sub_string(&[SubPart::Lit(s.to_string())])
}

/// One key and its value: an intrinsic function in JSON.
fn intrinsic<S: Serializer, V: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &V,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// JSON written straight from the tree: `{"Ref": ...}` for intrinsics.
impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Bool(b) => s.serialize_bool(*b),
            Expr::Int(n) => s.serialize_i64(*n),
            Expr::Float(n) => s.serialize_f64(*n),
            Expr::Str(x) if x.contains(ACCOUNT) => intrinsic(s, "Fn::Sub", &account_sub(x)),
            Expr::Str(x) => s.serialize_str(x),
            Expr::List(items) => s.collect_seq(items),
            Expr::Map(entries) => s.collect_map(entries.iter().map(|(k, v)| (k, v))),
            Expr::Ref(id) => intrinsic(s, "Ref", id),
            Expr::GetAtt(g) => intrinsic(s, "Fn::GetAtt", &[g.0.as_str(), g.1.as_ref()]),
            Expr::Sub(parts) => intrinsic(s, "Fn::Sub", &sub_string(parts)),
        }
    }
}

impl Expr {
    /// `Fn::GetAtt` of `id`'s `attr`.
    pub fn get_att(id: impl Into<String>, attr: impl Into<crate::tree::Key>) -> Expr {
        Expr::GetAtt(Box::new((id.into(), attr.into())))
    }

    /// YAML in CloudFormation's usual layout, with short-form intrinsics.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        match self {
            Expr::Map(entries) => yaml_map(entries, 0, false, &mut out),
            other => {
                out.push_str(&yaml_scalar(other).unwrap_or_default());
                out.push('\n');
            }
        }
        out
    }
}

/// A scalar (or tagged scalar) as YAML text; `None` for maps and lists.
fn yaml_scalar(e: &Expr) -> Option<String> {
    Some(match e {
        Expr::Bool(b) => b.to_string(),
        Expr::Int(n) => n.to_string(),
        Expr::Float(n) => n.to_string(),
        Expr::Str(s) if s.contains(ACCOUNT) => format!("!Sub {}", quote(&account_sub(s))),
        Expr::Str(s) => quote(s),
        Expr::Ref(id) => format!("!Ref {}", quote(id)),
        Expr::GetAtt(g) => format!("!GetAtt {}", quote(&format!("{}.{}", g.0, g.1))),
        Expr::Sub(parts) => format!("!Sub {}", quote(&sub_string(parts))),
        Expr::List(items) if items.is_empty() => "[]".into(),
        Expr::Map(entries) if entries.is_empty() => "{}".into(),
        Expr::List(_) | Expr::Map(_) => return None,
    })
}

/// A string as a plain scalar when that is unambiguous, else quoted.
/// Conservative: anything a YAML 1.1 reader could take for a number,
/// boolean, null or date is quoted.
fn quote(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '_' | '$'))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./:$(){}=+@".contains(c))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
        );
    if plain {
        s.to_string()
    } else if s.chars().all(single_quotable) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        double_quoted(s)
    }
}

/// Whether a character reads back as itself inside a single-quoted
/// scalar: printable (YAML's `c-printable`), not a line break (which
/// folds: `\n`, `\r`, NEL, U+2028, U+2029), not a tab (kept, but some
/// readers trim it at a line's ends) and not the byte order mark.
fn single_quotable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{2027}' | '\u{202A}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A double-quoted scalar: every character that is not
/// [`single_quotable`] written as an escape, so the text reads back
/// exactly, whatever it holds (controls, U+007F–U+009F, line and
/// paragraph separators, U+FEFF, U+FFFE, U+FFFF).
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if single_quotable(c) => out.push(c),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

fn yaml_map(
    entries: &[(crate::tree::Key, Expr)],
    indent: usize,
    first_inline: bool,
    out: &mut String,
) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if !(first_inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&quote(k));
        out.push(':');
        yaml_value(v, indent, out);
    }
}

/// A value after `key:` or `-`.
fn yaml_value(v: &Expr, indent: usize, out: &mut String) {
    if let Some(s) = yaml_scalar(v) {
        out.push(' ');
        out.push_str(&s);
        out.push('\n');
        return;
    }
    out.push('\n');
    match v {
        Expr::Map(entries) => yaml_map(entries, indent + 2, false, out),
        Expr::List(items) => yaml_list(items, indent, out),
        _ => {}
    }
}

fn yaml_list(items: &[Expr], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Expr::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                yaml_map(entries, indent + 2, true, out);
            }
            Expr::List(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_list(inner, indent + 2, out);
            }
            other => yaml_value(other, indent, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_yaml_would_misread() {
        assert_eq!(quote("2012-10-17"), "'2012-10-17'");
        assert_eq!(quote("-1"), "'-1'");
        assert_eq!(quote("true"), "'true'");
        assert_eq!(quote("on"), "'on'");
        assert_eq!(quote("0.0.0.0/0"), "'0.0.0.0/0'");
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("a: b"), "'a: b'");
        assert_eq!(quote("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(quote("AWS::EC2::VPC"), "AWS::EC2::VPC");
        assert_eq!(quote("${AWS::Region}a"), "${AWS::Region}a");
        assert_eq!(quote("/ecs/app"), "/ecs/app");
    }

    #[test]
    fn escapes_what_yaml_forbids_or_folds() {
        for s in [
            "\u{7f}",
            "\u{80}",
            "\u{85}",
            "\u{9f}",
            "\u{2028}",
            "\u{2029}",
            "\u{feff}",
            "\u{fffe}",
            "\u{ffff}",
            "\u{0}\u{1b}",
            "a\tb",
            "\r\n",
            " x ",
            "'\"\\",
            "😀",
        ] {
            let q = quote(s);
            assert!(
                !q.chars().any(|c| !single_quotable(c) && c != '\''),
                "{q:?} holds a raw {s:?}"
            );
            let back: String = serde_yaml::from_str(&q).unwrap_or_default();
            assert_eq!(back, s, "{q}");
        }
        assert_eq!(quote("\u{85}"), r#""\x85""#);
        assert_eq!(quote("\u{2028}"), r#""\u2028""#);
    }

    #[test]
    fn yaml_reads_back_as_the_json() {
        let e: Expr = Obj::new()
            .set("Version", "2012-10-17")
            .set(
                "List",
                vec![
                    Expr::from(Obj::new().set("A", 1u32).set("B", "x")),
                    Expr::from("y"),
                ],
            )
            .set("Empty", Expr::List(vec![]))
            .set("Ref", Expr::Ref("Thing".into()))
            .into();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&e.to_yaml()).unwrap();
        let mut json = serde_json::to_value(&e).unwrap();
        json["Ref"] = serde_json::Value::Null;
        let mut back: serde_json::Value = serde_json::to_value(&yaml).unwrap_or_default();
        back["Ref"] = serde_json::Value::Null;
        assert_eq!(back, json);
    }
}
