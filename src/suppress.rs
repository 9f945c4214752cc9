//! One-line suppressions: `# ecsc-allow W071: the value is a public key`.
//!
//! A suppression on its own line covers the next line; at the end of a
//! line it covers that line. It silences warnings of that code whose span
//! starts on the covered line. It needs a reason; errors cannot be
//! silenced (AWS would still reject the stack). A suppression that matches
//! nothing is itself reported (W001), so stale ones do not pile up.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::model::Suppression;
use crate::source::Sources;

pub fn apply(suppressions: &[Suppression], sources: &Sources, diags: &mut Diagnostics) {
    let mut valid = Vec::new();
    for s in suppressions {
        let problem = if s.reason.is_empty() {
            Some(format!("the suppression of {} gives no reason", s.code))
        } else if s.code.starts_with('E') {
            Some(format!("{} is an error and cannot be suppressed", s.code))
        } else if crate::rules::find(&s.code).is_none_or(|r| r.severity != Severity::Warning) {
            Some(format!("there is no warning {}", s.code))
        } else {
            None
        };
        match problem {
            Some(message) => diags.push(
                Diagnostic::warning("W002", s.span, message)
                    .label("invalid suppression")
                    .help(
                        "write `# ecsc-allow W071: why this is fine here`, naming a warning code",
                    ),
            ),
            None => valid.push((s, false)),
        }
    }
    diags.retain(|d| {
        if d.severity != Severity::Warning {
            return true;
        }
        let (line, _) = sources.line_col(d.primary.span);
        for (s, used) in valid.iter_mut() {
            if s.code == d.code && s.file == d.primary.span.file && s.line == line {
                *used = true;
                return false;
            }
        }
        true
    });
    for (s, used) in valid {
        if !used {
            diags.push(
                Diagnostic::warning(
                    "W001",
                    s.span,
                    format!("this suppression of {} matches nothing", s.code),
                )
                .label("unused suppression")
                .help("remove it: the warning it silenced is gone, or it is on the wrong line"),
            );
        }
    }
}
