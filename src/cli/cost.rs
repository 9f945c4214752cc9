//! `ecsc cost`: the stack's monthly cost at on-demand prices, offline
//! ([`crate::cost`]).

use super::{usage_error, StackArgs};

#[derive(clap::Args, Debug)]
pub struct CostArgs {
    #[command(flatten)]
    stack: StackArgs,
    /// GB a month the tasks send through the NAT gateways, in all (split
    /// evenly between them; in the comparison, through the VPC endpoints
    /// instead).
    #[arg(long, value_name = "GB", default_value_t = 100.0, value_parser = amount)]
    traffic: f64,
    /// GB of logs each running task sends to CloudWatch Logs a month.
    #[arg(long, value_name = "GB", default_value_t = 1.0, value_parser = amount)]
    log_gb: f64,
    /// Capacity units (LCU, NLCU) each load balancer uses on average.
    #[arg(long, value_name = "N", default_value_t = 1.0, value_parser = amount)]
    capacity_units: f64,
    /// Price the stack at another Region's prices (when the table has none
    /// for its own).
    #[arg(long, value_name = "REGION")]
    prices_of: Option<String>,
    /// `text` (a table) or `json`.
    #[arg(long, value_enum, default_value_t = CostFormat::Text)]
    format: CostFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CostFormat {
    Text,
    Json,
}

/// The largest quantity taken: a billion GB (an exabyte) a month.
const MAX_AMOUNT: f64 = 1e9;

/// A quantity the user states: a number from 0 to [`MAX_AMOUNT`].
fn amount(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=MAX_AMOUNT).contains(&x) => Ok(x),
        _ => Err(format!("expected a number from 0 to 1000000000, got `{s}`")),
    }
}

pub fn run(a: CostArgs) -> i32 {
    let compiled = match a.stack.compile(false) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let m = &compiled.model;
    let prices = match crate::cost::prices_for(&m.stack.region, a.prices_of.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            let help = if a.prices_of.is_some() {
                String::new()
            } else {
                format!(
                    "; to estimate at another Region's prices, say so: `--prices-of {}`",
                    crate::cost::prices::regions()
                        .first()
                        .copied()
                        .unwrap_or("us-east-1")
                )
            };
            return usage_error(format!("{e}{help}"));
        }
    };
    let assumptions = crate::cost::Assumptions {
        traffic_gb: a.traffic,
        log_gb_per_task: a.log_gb,
        capacity_units: a.capacity_units,
    };
    let estimate = crate::cost::estimate(m, &prices, &assumptions);
    let text = match a.format {
        CostFormat::Text => crate::cost::render(&estimate),
        CostFormat::Json => crate::emit::json_text(&estimate),
    };
    super::print_out(text.as_bytes())
}
