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

#[cfg(test)]
mod tests {
    use super::Arn;

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
