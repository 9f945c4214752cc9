//! The ECS cluster query language of `memberOf` placement constraints:
//! checked for syntax offline, so a typo fails `ecsc check` rather than
//! CreateService ("Invalid constraint expression").
//!
//! `expression := term (("and" | "&&" | "or" | "||") term)*`,
//! `term := ["not" | "!"] "(" expression ")" | condition`,
//! `condition := subject (operator value | "exists" | "!exists")`,
//! `value := word | "[" word ("," word)* "]"`.

/// What a condition may test, after AWS's ECS developer guide (cluster
/// query language): container instance fields, and attributes by name.
const SUBJECTS: &[&str] = &[
    "agentConnected",
    "agentVersion",
    "ec2InstanceId",
    "registeredAt",
    "runningTasksCount",
    "task:group",
];

const OPERATORS: &[&str] = &[
    "==",
    "equals",
    "!=",
    "not_equals",
    ">",
    "greater_than",
    ">=",
    "greater_than_equal",
    "<",
    "less_than",
    "<=",
    "less_than_equal",
    "=~",
    "matches",
    "!~",
    "not_matches",
    "in",
    "not_in",
];

/// The first problem with `expr`, in words, or `None` when it parses.
pub fn check(expr: &str) -> Option<String> {
    if expr.trim().is_empty() {
        return Some("the expression is empty".into());
    }
    if expr.len() > 2000 {
        return Some(format!(
            "the expression is {} characters, more than 2000",
            expr.len()
        ));
    }
    let tokens = tokens(expr);
    let mut p = Parser {
        tokens: &tokens,
        at: 0,
    };
    if let Err(e) = p.expression() {
        return Some(e);
    }
    p.peek().map(|t| format!("`{t}` is not expected here"))
}

fn tokens(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in expr.chars() {
        if c.is_whitespace() || "()[],".contains(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

struct Parser<'t> {
    tokens: &'t [String],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Option<&str> {
        let t = self.tokens.get(self.at).map(String::as_str);
        self.at += 1;
        t
    }

    fn expression(&mut self) -> Result<(), String> {
        self.term()?;
        while let Some(op) = self.peek() {
            if !matches!(op, "and" | "&&" | "or" | "||") {
                break;
            }
            self.at += 1;
            self.term()?;
        }
        Ok(())
    }

    fn term(&mut self) -> Result<(), String> {
        match self.peek() {
            Some("not" | "!") => {
                self.at += 1;
                if self.peek() != Some("(") {
                    return Err("`not` is followed by a parenthesized expression".into());
                }
                self.group()
            }
            Some("(") => self.group(),
            _ => self.condition(),
        }
    }

    fn group(&mut self) -> Result<(), String> {
        self.at += 1;
        self.expression()?;
        match self.next() {
            Some(")") => Ok(()),
            _ => Err("a `(` is not closed".into()),
        }
    }

    fn condition(&mut self) -> Result<(), String> {
        let Some(subject) = self.next().map(str::to_string) else {
            return Err("a condition is missing at the end".into());
        };
        let known = SUBJECTS.contains(&subject.as_str())
            || subject
                .strip_prefix("attribute:")
                .is_some_and(|a| !a.is_empty());
        if !known {
            return Err(format!(
                "`{subject}` is not something a condition can test (`attribute:NAME`, `ec2InstanceId`, `runningTasksCount`, `task:group`, …)"
            ));
        }
        let Some(op) = self.next().map(str::to_string) else {
            return Err(format!("`{subject}` has no operator"));
        };
        if matches!(op.as_str(), "exists" | "!exists") {
            return Ok(());
        }
        if !OPERATORS.contains(&op.as_str()) {
            return Err(format!(
                "`{op}` is not an operator (`==`, `!=`, `=~`, `in`, `exists`, …)"
            ));
        }
        match self.next() {
            Some("[") => loop {
                match self.next() {
                    Some("]" | "," | "(" | ")") | None => {
                        return Err(format!(
                            "the list after `{op}` has an empty or unclosed item"
                        ))
                    }
                    Some(_) => {}
                }
                match self.next() {
                    Some("]") => return Ok(()),
                    Some(",") => {}
                    _ => return Err(format!("the list after `{op}` is not closed with `]`")),
                }
            },
            Some("(" | ")" | "]" | ",") | None => Err(format!("`{op}` has no value")),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_the_guide_examples() {
        for ok in [
            "attribute:ecs.instance-type == t2.small",
            "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
            "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
            "not(task:group == database)",
            "runningTasksCount == 0",
            "attribute:ecs.os-type == linux && (attribute:stack exists)",
            "ec2InstanceId in ['i-abcd1234', 'i-wxyz7890']",
        ] {
            assert_eq!(check(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_what_ecs_would() {
        for bad in [
            "",
            "instance-type == t2.small",
            "attribute:ecs.instance-type = t2.small",
            "attribute:ecs.instance-type ==",
            "(runningTasksCount == 0",
            "attribute:a in [x, ",
            "runningTasksCount == 0 and",
            "not runningTasksCount == 0",
        ] {
            assert!(check(bad).is_some(), "{bad:?} passed");
        }
    }
}
