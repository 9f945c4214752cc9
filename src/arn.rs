//! Amazon Resource Names as users write them: split into their fields so
//! lowering can check an ARN's shape and read the name inside it.

/// The fields of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    /// Empty for global services (IAM).
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// The fields, when `text` is an ARN of an AWS partition with a
    /// 12-digit account and a resource.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut f = text.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some(service),
            Some(region),
            Some(account),
            Some(resource),
        ) = (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            return None;
        };
        let account_ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        let ok = partition.starts_with("aws")
            && !service.is_empty()
            && account_ok
            && !resource.is_empty();
        ok.then_some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The ARN's resource after `prefix` (`cluster/`), when it is of
    /// `service` and in a Region (or global, for `region = false`).
    pub fn resource_of(
        text: &'a str,
        service: &str,
        regional: bool,
        prefix: &str,
    ) -> Option<&'a str> {
        let arn = Arn::parse(text)?;
        (arn.service == service && arn.region.is_empty() != regional)
            .then(|| arn.resource.strip_prefix(prefix))
            .flatten()
            .filter(|rest| !rest.is_empty())
    }
}

/// Whether a Secrets Manager secret name ends like a complete ARN's: a
/// hyphen and six letters or digits. Secrets Manager reads such a name
/// (or partial ARN) as a complete ARN, suffix included.
pub fn has_secret_suffix(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 7 && b[b.len() - 7] == b'-' && b[b.len() - 6..].iter().all(u8::is_ascii_alphanumeric)
}

/// The policy resource pattern that matches the secret a name or partial
/// ARN resolves to: the text itself when Secrets Manager reads it as
/// complete, else the text and the six random characters it appends.
pub fn secret_grant(name_or_arn: &str) -> String {
    let name = name_or_arn.rsplit(':').next().unwrap_or(name_or_arn);
    match has_secret_suffix(name) {
        true => name_or_arn.to_string(),
        false => format!("{name_or_arn}-??????"),
    }
}

#[cfg(test)]
mod tests {
    use super::Arn;

    #[test]
    fn grants_secrets_as_secrets_manager_resolves_them() {
        use super::secret_grant;
        assert_eq!(secret_grant("db"), "db-??????");
        assert_eq!(secret_grant("shop/prod/rails"), "shop/prod/rails-??????");
        // A complete ARN's suffix: matched as written.
        assert_eq!(
            secret_grant("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
        );
        assert_eq!(
            secret_grant("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????"
        );
        // Six characters after a hyphen read as a suffix (W072 warns).
        assert_eq!(secret_grant("app-secret"), "app-secret");
        assert_eq!(secret_grant("a-b"), "a-b-??????");
    }

    #[test]
    fn splits_fields() {
        let a = Arn::parse("arn:aws:ecs:eu-west-1:123456789012:cluster/platform").expect("an ARN");
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            (
                "aws",
                "ecs",
                "eu-west-1",
                "123456789012",
                "cluster/platform"
            )
        );
        assert_eq!(
            Arn::resource_of(
                "arn:aws-cn:iam::123456789012:role/app/x",
                "iam",
                false,
                "role/"
            ),
            Some("app/x")
        );
    }

    #[test]
    fn rejects_what_is_not_one() {
        for bad in [
            "platform",
            "arn:aws:ecs:eu-west-1:12345:cluster/x",
            "arn:gcp:ecs:eu-west-1:123456789012:cluster/x",
            "arn:aws:ecs:eu-west-1:123456789012:",
            "arn:aws:ecs:eu-west-1:123456789012",
        ] {
            assert_eq!(Arn::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Arn::resource_of(
                "arn:aws:iam:eu-west-1:123456789012:role/x",
                "iam",
                false,
                "role/"
            ),
            None
        );
        assert_eq!(
            Arn::resource_of(
                "arn:aws:ecs:eu-west-1:123456789012:cluster/",
                "ecs",
                true,
                "cluster/"
            ),
            None
        );
    }
}
