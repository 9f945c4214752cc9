//! The ids of the model's resources, made once per plan: every reference
//! to a resource clones its id, which shares the name instead of copying
//! it.

use super::{Kind, ResId};
use crate::model::{ListenerRef, Model};
use std::ops::Deref;

/// The model being planned, with the id of each of its entities.
pub struct Cx<'m> {
    model: &'m Model,
    pub vpc: Vec<ResId>,
    pub subnet: Vec<ResId>,
    pub sg: Vec<ResId>,
    pub route_table: Vec<ResId>,
    pub nat: Vec<ResId>,
    pub endpoint: Vec<ResId>,
    pub lb: Vec<ResId>,
    /// Per load balancer, per listener.
    pub listener: Vec<Vec<ResId>>,
    pub target_group: Vec<ResId>,
    pub rule: Vec<ResId>,
    pub cluster: Vec<ResId>,
    pub instances: Vec<ResId>,
    pub namespace: Vec<ResId>,
    pub repository: Vec<ResId>,
    pub task: Vec<ResId>,
    /// Per task (a task without a log group has an id nothing uses).
    pub log_group: Vec<ResId>,
    pub role: Vec<ResId>,
    pub service: Vec<ResId>,
}

impl Deref for Cx<'_> {
    type Target = Model;
    fn deref(&self) -> &Model {
        self.model
    }
}

fn ids<'a, T: 'a>(kind: Kind, items: &'a [T], name: impl Fn(&'a T) -> &'a str) -> Vec<ResId> {
    items.iter().map(|x| ResId::new(kind, name(x))).collect()
}

impl<'m> Cx<'m> {
    pub fn new(m: &'m Model) -> Self {
        Cx {
            model: m,
            vpc: ids(Kind::Vpc, &m.vpcs, |x| &x.name.name),
            subnet: ids(Kind::Subnet, &m.subnets, |x| &x.name.name),
            sg: ids(Kind::SecurityGroup, &m.security_groups, |x| &x.name.name),
            route_table: ids(Kind::RouteTable, &m.route_tables, |x| &x.name),
            nat: ids(Kind::NatGateway, &m.nat_gateways, |x| &x.name.name),
            endpoint: ids(Kind::VpcEndpoint, &m.endpoints, |x| &x.name.name),
            lb: ids(Kind::LoadBalancer, &m.load_balancers, |x| &x.name.name),
            listener: m
                .load_balancers
                .iter()
                .map(|b| {
                    b.listeners
                        .iter()
                        .map(|l| ResId::indexed(Kind::Listener, &b.name.name, l.port.value))
                        .collect()
                })
                .collect(),
            target_group: ids(Kind::TargetGroup, &m.target_groups, |x| &x.name),
            rule: ids(Kind::ListenerRule, &m.listener_rules, |x| &x.name),
            cluster: ids(Kind::Cluster, &m.clusters, |x| &x.name.name),
            instances: ids(Kind::AutoScalingGroup, &m.instance_groups, |x| &x.name.name),
            namespace: m
                .namespaces
                .iter()
                .map(|n| match n.http.value {
                    true => ResId::new(Kind::HttpNamespace, &n.name.name),
                    false => ResId::new(Kind::Namespace, &n.name.name),
                })
                .collect(),
            repository: ids(Kind::Repository, &m.repositories, |x| &x.name.name),
            task: ids(Kind::TaskDefinition, &m.tasks, |x| &x.name.name),
            log_group: ids(Kind::LogGroup, &m.tasks, |x| &x.name.name),
            role: ids(Kind::Role, &m.roles, |x| &x.name),
            service: ids(Kind::Service, &m.services, |x| &x.name.name),
        }
    }

    pub fn listener_id(&self, l: ListenerRef) -> ResId {
        self.listener[l.lb.0][l.index].clone()
    }
}
