//! Alarm and metric scaling rules (E075–E079): a service's CloudWatch
//! alarms, the deployments they roll back and the scaling steps they
//! trigger.

use super::Rule;

mod e075_alarm_reference;
mod e076_alarm_period;
mod e077_alarm_threshold;
mod e078_alarm_route;
mod e079_step_adjustments;

pub const RULES: &[&Rule] = &[
    &e075_alarm_reference::RULE,
    &e076_alarm_period::RULE,
    &e077_alarm_threshold::RULE,
    &e078_alarm_route::RULE,
    &e079_step_adjustments::RULE,
];
