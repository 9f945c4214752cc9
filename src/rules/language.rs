//! The language's own diagnostics (E001–E009, W001–W002): reported while
//! reading the sources, documented here for `ecsc explain` and SARIF.

/// (code, name, summary)
pub const LANGUAGE: &[(&str, &str, &str)] = &[
    ("E001", "syntax", "The file follows the .ecs grammar, with blocks and lists nested at most 64 deep"),
    ("E002", "unknown-name", "A name refers to something declared (a declaration, param, container, volume or listener)"),
    ("E003", "wrong-kind", "A reference names a declaration of the expected kind (a subnet where a subnet is expected)"),
    ("E004", "duplicate-name", "Names are unique among declarations of one kind, also after `-`/`_`/case folding"),
    ("E005", "unknown-member", "A block holds only the attributes, blocks and statements its kind takes"),
    ("E006", "missing-member", "Required attributes and blocks are present"),
    ("E007", "wrong-type", "A value has the type its attribute takes (a CIDR, a number, a name, a list...)"),
    ("E008", "invalid-value", "A value is within the range or set its attribute accepts (a string at most 1 MiB once params are interpolated)"),
    ("E009", "set-twice", "An attribute or single block is given once"),
    ("W001", "unused-suppression", "An `# ecsc-allow` comment silences a warning on its line"),
    ("W002", "invalid-suppression", "An `# ecsc-allow CODE: reason` names a warning and gives a reason"),
];

pub fn find(code: &str) -> Option<(&'static str, &'static str, &'static str)> {
    LANGUAGE
        .iter()
        .copied()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
}
