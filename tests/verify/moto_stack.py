#!/usr/bin/env python3
"""Create each CloudFormation JSON template as a stack in moto, then check
through the AWS APIs (boto3 against moto) that what the template declares
exists with the declared values.

usage: moto_stack.py TEMPLATE.json...

All templates run in this one process, each in a fresh `mock_aws` account.
Per template:
  1. shim: drop resource types moto cannot create (see strip_unsupported) and
     put placeholders where the rest of the template refers to them;
  2. create the stack, require CREATE_COMPLETE;
  3. for every resource, compare each declared property that moto keeps with
     what the describe API returns (declared values are resolved with moto's
     own intrinsic-function resolver, so Ref/GetAtt/Sub become the ids moto
     assigned);
  4. assert on the template what moto silently drops (ECS service load
     balancers/network configuration/registries, EventBridge target network
     configuration) refers to declared resources of the right type;
  5. self-test: re-run step 3 with deliberately wrong declared values and
     require every one to be reported, so the comparison cannot pass vacuously.

Exit codes: 0 all templates pass, 1 a check failed, 2 usage error.
"""
import ast
import copy
import json
import os
import re
import sys
import traceback
from collections import Counter

# Fake credentials and a fixed region; moto intercepts every call in-process.
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                  AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION="us-east-1",
                  MOTO_EC2_LOAD_DEFAULT_AMIS="false")  # saves ~0.3 s per account
for var in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(var, None)
REGION = "us-east-1"  # per template: see region_for


def region_for(template):
    """A template names no region, but literal availability zones imply one
    (moto rejects a zone outside the stack's region). Default us-east-1,
    which is also what moto's Fn::GetAZs answers."""
    for r in template.get("Resources", {}).values():
        az = r.get("Properties", {}).get("AvailabilityZone")
        m = re.fullmatch(r"([a-z]{2}(?:-gov)?-[a-z]+-\d)[a-z]", az) if isinstance(az, str) else None
        if m:
            return m.group(1)
    return "us-east-1"

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.cloudformation import cloudformation_backends  # noqa: E402
from moto.cloudformation.parsing import clean_json, get_model_map  # noqa: E402
from moto.core import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.elbv2.models import FakeLoadBalancer, elbv2_backends  # noqa: E402


def _load_balancer_from_cloudformation(cls, resource_name, cloudformation_json,
                                       account_id, region_name, **kwargs):
    """moto's CloudFormation model of AWS::ElasticLoadBalancingV2::LoadBalancer
    drops `Type`, so every load balancer it makes is an application one and
    a network load balancer's TCP, UDP or TLS listener is then refused. The
    API it calls takes the type: pass it on. The check below compares the
    type moto reports with the template's."""
    p = cloudformation_json["Properties"]
    return elbv2_backends[account_id][region_name].create_load_balancer(
        resource_name, p.get("SecurityGroups"), p.get("Subnets"),
        scheme=p.get("Scheme", "internet-facing"), loadbalancer_type=p.get("Type"))


FakeLoadBalancer.create_from_cloudformation_json = classmethod(_load_balancer_from_cloudformation)

# ---------------------------------------------------------------- shim ----
# moto's CloudFormation has no model for these (it skips them, then fails on
# references to them). Any other type moto has no model for is stripped too
# and listed in the output, so nothing is skipped silently.
KNOWN_UNSUPPORTED = {
    "AWS::ServiceDiscovery::PrivateDnsNamespace",
    "AWS::ServiceDiscovery::HttpNamespace",
    "AWS::ServiceDiscovery::Service",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
}


def strip_unsupported(template):
    """Return (template moto can create, {stripped logical id: type})."""
    models = get_model_map()
    t = copy.deepcopy(template)
    res = t.get("Resources", {})
    gone = {k: v["Type"] for k, v in res.items()
            if v["Type"] in KNOWN_UNSUPPORTED or v["Type"] not in models}
    for k in gone:
        del res[k]

    def placeholder(name, attr=None):
        return f"stripped-{name}" + (f"-{attr}" if attr else "")

    def sub_string(s):
        # ${Name} and ${Name.Attr} inside Fn::Sub strings.
        def repl(m):
            name, _, attr = m.group(1).partition(".")
            return placeholder(name, attr) if name in gone else m.group(0)
        return re.sub(r"\$\{([A-Za-z0-9]+(?:\.[A-Za-z0-9.]+)?)\}", repl, s)

    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if not isinstance(v, dict):
            return v
        if set(v) == {"Ref"} and v["Ref"] in gone:
            return placeholder(v["Ref"])
        if set(v) == {"Fn::GetAtt"}:
            ga = v["Fn::GetAtt"]
            name, attr = (ga.split(".", 1) if isinstance(ga, str) else ga)
            if name in gone:
                return placeholder(name, attr)
        if set(v) == {"Fn::Sub"}:
            s = v["Fn::Sub"]
            if isinstance(s, str):
                return {"Fn::Sub": sub_string(s)}
            return {"Fn::Sub": [sub_string(s[0]), walk(s[1])]}
        return {k: walk(x) for k, x in v.items()}

    for r in res.values():
        if "Properties" in r:
            r["Properties"] = walk(r["Properties"])
        deps = r.get("DependsOn")
        if isinstance(deps, str):
            deps = [deps]
        if deps is not None:
            deps = [d for d in deps if d not in gone]
            if deps:
                r["DependsOn"] = deps
            else:
                r.pop("DependsOn")
    if "Outputs" in t:
        t["Outputs"] = walk(t["Outputs"])
    return t, gone


def stand_in_certificates(t):
    """moto's ELBv2 rejects an HTTPS listener whose certificate is not in
    moto's ACM. Certificates are made outside the stack, so for each literal
    (or stripped-placeholder) certificate ARN on a listener, request a
    certificate in moto and use its ARN instead. Call inside mock_aws."""
    acm, made = boto3.client("acm", region_name=REGION), {}
    for r in t.get("Resources", {}).values():
        if r["Type"] in ("AWS::ElasticLoadBalancingV2::Listener",
                         "AWS::ElasticLoadBalancingV2::ListenerCertificate"):
            for c in r.get("Properties", {}).get("Certificates", []):
                arn = c.get("CertificateArn")
                if isinstance(arn, str):
                    if arn not in made:
                        made[arn] = acm.request_certificate(DomainName="example.com")["CertificateArn"]
                    c["CertificateArn"] = made[arn]
    return made


EXISTING_ID = re.compile(r"^(vpc|subnet|sg)-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
# A cluster named in an ARN, written out or built with Fn::Sub.
EXISTING_CLUSTER = re.compile(r":cluster/([A-Za-z0-9_-]+)$")
EXISTING_PARAM = {"AWS::EC2::VPC::Id": "vpc", "AWS::EC2::Subnet::Id": "subnet",
                  "AWS::EC2::SecurityGroup::Id": "sg"}


def stand_in_network(t):
    """Existing VPCs, subnets and security groups, named by a literal id or
    by a parameter of an AWS::EC2::*::Id type, are not in moto: make one
    VPC, a subnet per id (zones in turn) and a group per id first, rewrite
    the literals to the stand-ins' ids, and return the parameters' values.
    Call inside mock_aws."""
    ec2 = boto3.client("ec2", region_name=REGION)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    made, vpc, count = {}, [], {"subnet": 0, "sg": 0}

    def stand_in(kind, key):
        if key in made:
            return made[key]
        if not vpc:
            vpc.append(ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"])
        n = count.get(kind, 0)
        count[kind] = n + 1
        if kind == "vpc":
            made[key] = vpc[0]
        elif kind == "subnet":
            made[key] = ec2.create_subnet(VpcId=vpc[0], CidrBlock=f"10.0.{100 + n}.0/24",
                                          AvailabilityZone=zones[n % len(zones)])["Subnet"]["SubnetId"]
        else:
            made[key] = ec2.create_security_group(GroupName=f"existing-{n}", Description="stand-in",
                                                  VpcId=vpc[0])["GroupId"]
        print(f"  existing {key[1]} stands in as {made[key]}")
        return made[key]

    ecs, clusters = boto3.client("ecs", region_name=REGION), set()

    def cluster(name):
        """An existing cluster, named in an ARN or an input: made in moto."""
        if name not in clusters:
            clusters.add(name)
            ecs.create_cluster(clusterName=name)
            print(f"  existing cluster {name} stands in")
        return name

    elbv2, balancers = boto3.client("elbv2", region_name=REGION), {}

    def balancer(key):
        """An existing load balancer (and a listener on it), made in moto on
        two stand-in subnets: returns (load balancer ARN, listener ARN)."""
        if key not in balancers:
            subnets = [stand_in("subnet", ("lb-subnet", key, i)) for i in range(2)]
            lb = elbv2.create_load_balancer(Name=f"existing-{len(balancers)}", Subnets=subnets,
                                            Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
            listener = elbv2.create_listener(
                LoadBalancerArn=lb, Protocol="HTTP", Port=443,
                DefaultActions=[{"Type": "fixed-response",
                                 "FixedResponseConfig": {"StatusCode": "404"}}])["Listeners"][0]["ListenerArn"]
            balancers[key] = (lb, listener)
            print(f"  existing load balancer {key} stands in as {lb}")
        return balancers[key]

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str) and (m := EXISTING_ID.match(v)):
            return stand_in(m.group(1), ("id", v))
        if isinstance(v, str) and (m := EXISTING_CLUSTER.search(v)):
            cluster(m.group(1))
        return v

    for section in ("Resources", "Outputs"):
        if section in t:
            t[section] = walk(t[section])
    def existing_value(k):
        """A stand-in for the existing resource an input of this name holds,
        or None."""
        if k.endswith(("LoadBalancerArn", "ListenerArn")):
            # One stand-in load balancer per stack: its listener stands in
            # for every existing listener.
            lb, listener = balancer("stack")
            return lb if k.endswith("LoadBalancerArn") else listener
        if k.endswith("NamespaceId"):
            # moto has no model for discovery services: the id only needs
            # to resolve.
            return "ns-standin0000000001"
        if k.endswith("RoleArn"):
            # An existing IAM role, trusted by ECS tasks.
            trust = {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]}
            arn = boto3.client("iam", region_name=REGION).create_role(
                RoleName=f"existing-{k}", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
            print(f"  existing role {k} stands in as {arn}")
            return arn
        if k.endswith("ClusterName"):
            return cluster(f"existing-{k}")
        if k.endswith("RepositoryName"):
            # An existing ECR repository: images and policies read its name.
            name = f"existing/{k.lower()}"
            boto3.client("ecr", region_name=REGION).create_repository(repositoryName=name)
            print(f"  existing repository {k} stands in as {name}")
            return name
        return None

    values, ssm = {}, boto3.client("ssm", region_name=REGION)
    for k, p in t.get("Parameters", {}).items():
        kind = p.get("Type", "")
        if kind in EXISTING_PARAM:
            values[k] = stand_in(EXISTING_PARAM[kind], ("parameter", k))
        elif (m := re.fullmatch(r"AWS::SSM::Parameter::Value<(.+)>", kind)) and m.group(1) in EXISTING_PARAM:
            # The stack reads the id from SSM: publish the stand-in's there.
            value = stand_in(EXISTING_PARAM[m.group(1)], ("ssm", p["Default"]))
            ssm.put_parameter(Name=p["Default"], Value=value, Type="String")
        elif (value := existing_value(k)) is not None:
            # A deploy-time input takes it; an SSM parameter publishes it.
            if kind == "String":
                values[k] = value
            else:
                ssm.put_parameter(Name=p["Default"], Value=value, Type="String")
    return values


# ----------------------------------------------------------- comparison ----
def norm(v):
    """Scalars compare as strings: 8080 == "8080", True == "true"."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def subset(declared, actual):
    """True when every key/element declared is present and equal in actual.
    Lists match element-wise regardless of order."""
    if isinstance(declared, dict):
        return isinstance(actual, dict) and all(
            k in actual and subset(v, actual[k]) for k, v in declared.items())
    if isinstance(declared, list):
        if not isinstance(actual, list) or len(declared) != len(actual):
            return False
        remaining = list(actual)
        for d in declared:
            hit = next((i for i, a in enumerate(remaining) if subset(d, a)), None)
            if hit is None:
                return False
            remaining.pop(hit)
        return True
    return actual is not None and norm(declared) == norm(actual)


# The ECS API uses camelCase where CloudFormation uses PascalCase. moto
# converts task definitions by lower-casing the first letter of every key
# (also inside free-form maps such as DockerLabels), and so do we.
def lc(key):
    return key[:1].lower() + key[1:]


def camel(v):
    if isinstance(v, list):
        return [camel(x) for x in v]
    if isinstance(v, dict):
        return {lc(k): camel(x) for k, x in v.items()}
    return v


def unresolved(v):
    """moto's resolver leaves intrinsics it cannot evaluate in place."""
    return "Fn::" in json.dumps(v) if isinstance(v, (dict, list)) else False


def policy_doc(doc):
    """moto returns inline policies created by CloudFormation as the Python
    repr of the dict, not JSON; accept either."""
    if isinstance(doc, str):
        try:
            return json.loads(doc)
        except ValueError:
            return ast.literal_eval(doc)
    return doc


class Checker:
    """Compares one stack's declared resources with the describe APIs."""

    def __init__(self, template, resolve, phys, clients=None):
        self.t = template
        self.resolve = resolve  # intrinsic function resolver (moto's)
        self.phys = phys  # logical id -> physical id (from list_stack_resources)
        self.failures = []
        self.compared = Counter()  # resource type -> properties compared
        self.c = clients or {s: boto3.client(s, region_name=REGION) for s in
                             ("ec2", "elbv2", "logs", "iam", "events", "ecs", "ecr")}

    # -- helpers --
    def fail(self, lid, msg):
        self.failures.append(f"{lid} ({self.t['Resources'][lid]['Type']}): {msg}")

    def expect(self, lid, prop, declared, actual, match=None, post=None):
        """Compare one declared property (resolved, then passed through
        `post`) with the API's value; skipped when not declared."""
        if declared is None:
            return
        declared = self.resolve(declared)
        if post:
            declared = post(declared)
        if unresolved(declared):
            return
        self.compared[self.t["Resources"][lid]["Type"]] += 1
        ok = (match or subset)(declared, actual)
        if not ok:
            self.fail(lid, f"{prop}: template says {json.dumps(declared)}, "
                           f"moto has {json.dumps(actual, default=str)}")

    def expect_set(self, lid, prop, declared, actual):
        self.expect(lid, prop, declared, actual,
                    lambda d, a: a is not None and sorted(map(norm, d)) == sorted(map(norm, a)))

    def run(self, only=None):
        for lid, r in self.t["Resources"].items():
            if only and lid != only:
                continue
            fn = getattr(self, "check_" + r["Type"].replace("::", "_"), None)
            if fn is None or lid not in self.phys:
                continue
            try:
                fn(lid, r.get("Properties", {}), self.phys[lid])
            except Exception as e:  # a describe call failing = resource missing
                self.fail(lid, f"describe failed: {type(e).__name__}: {e}")
        return self.failures

    # -- EC2 --
    def check_AWS_EC2_VPC(self, lid, p, pid):
        vpc = self.c["ec2"].describe_vpcs(VpcIds=[pid])["Vpcs"][0]
        self.expect(lid, "CidrBlock", p.get("CidrBlock"), vpc["CidrBlock"])
        self.expect(lid, "InstanceTenancy", p.get("InstanceTenancy"), vpc.get("InstanceTenancy"))

    def check_AWS_EC2_Subnet(self, lid, p, pid):
        s = self.c["ec2"].describe_subnets(SubnetIds=[pid])["Subnets"][0]
        for k in ("CidrBlock", "AvailabilityZone", "VpcId"):
            self.expect(lid, k, p.get(k), s.get(k))

    def check_AWS_EC2_InternetGateway(self, lid, p, pid):
        self.c["ec2"].describe_internet_gateways(InternetGatewayIds=[pid])

    def check_AWS_EC2_VPCGatewayAttachment(self, lid, p, pid):
        if "InternetGatewayId" in p:
            igw = self.c["ec2"].describe_internet_gateways(
                InternetGatewayIds=[self.resolve(p["InternetGatewayId"])])["InternetGateways"][0]
            self.expect(lid, "VpcId", [p["VpcId"]], [a["VpcId"] for a in igw["Attachments"]])

    def route_table(self, rt_ref):
        return self.c["ec2"].describe_route_tables(
            RouteTableIds=[self.resolve(rt_ref)])["RouteTables"][0]

    def check_AWS_EC2_RouteTable(self, lid, p, pid):
        rt = self.c["ec2"].describe_route_tables(RouteTableIds=[pid])["RouteTables"][0]
        self.expect(lid, "VpcId", p.get("VpcId"), rt["VpcId"])

    def check_AWS_EC2_Route(self, lid, p, pid):
        routes = self.route_table(p["RouteTableId"])["Routes"]
        want = {k: v for k, v in p.items() if k != "RouteTableId"}
        self.expect(lid, "route", want, routes, lambda d, a: any(subset(d, r) for r in a))

    def check_AWS_EC2_EIP(self, lid, p, pid):
        # moto's physical id for an EIP is its public IP.
        addr = self.c["ec2"].describe_addresses(PublicIps=[pid])["Addresses"][0]
        self.expect(lid, "Domain", p.get("Domain"), addr.get("Domain"))

    def check_AWS_EC2_NatGateway(self, lid, p, pid):
        nat = self.c["ec2"].describe_nat_gateways(NatGatewayIds=[pid])["NatGateways"][0]
        self.expect(lid, "SubnetId", p.get("SubnetId"), nat["SubnetId"])
        self.expect(lid, "AllocationId", p.get("AllocationId"),
                    [a.get("AllocationId") for a in nat["NatGatewayAddresses"]], lambda d, a: d in a)

    @staticmethod
    def rule_matches(rule, perm):
        """A declared SG rule (CloudFormation shape) against one IpPermission."""
        proto = {"6": "tcp", "17": "udp", "1": "icmp", "all": "-1"}
        rp = proto.get(norm(rule.get("IpProtocol")), norm(rule.get("IpProtocol")))
        if rp != proto.get(perm["IpProtocol"], perm["IpProtocol"]):
            return False
        if rp != "-1":
            for k in ("FromPort", "ToPort"):
                if k in rule and norm(rule[k]) != norm(perm.get(k)):
                    return False
        peers = [("CidrIp", "IpRanges", "CidrIp"), ("CidrIpv6", "Ipv6Ranges", "CidrIpv6"),
                 ("SourceSecurityGroupId", "UserIdGroupPairs", "GroupId"),
                 ("DestinationSecurityGroupId", "UserIdGroupPairs", "GroupId"),
                 ("SourcePrefixListId", "PrefixListIds", "PrefixListId"),
                 ("DestinationPrefixListId", "PrefixListIds", "PrefixListId")]
        for key, lst, field in peers:
            if key in rule:
                hits = [x for x in perm.get(lst, []) if x.get(field) == rule[key]]
                if not hits:
                    return False
        return True

    def check_sg_rules(self, lid, prop, rules, perms):
        for i, rule in enumerate(rules or []):
            self.expect(lid, f"{prop}[{i}]", rule, perms,
                        lambda d, a: any(self.rule_matches(d, x) for x in a))

    def security_group(self, gid):
        return self.c["ec2"].describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]

    def check_AWS_EC2_SecurityGroup(self, lid, p, pid):
        sg = self.security_group(pid)
        self.expect(lid, "GroupDescription", p.get("GroupDescription"), sg["Description"])
        self.expect(lid, "VpcId", p.get("VpcId"), sg.get("VpcId"))
        self.check_sg_rules(lid, "SecurityGroupIngress", p.get("SecurityGroupIngress"), sg["IpPermissions"])
        self.check_sg_rules(lid, "SecurityGroupEgress", p.get("SecurityGroupEgress"), sg["IpPermissionsEgress"])

    def check_AWS_EC2_SecurityGroupIngress(self, lid, p, pid):
        sg = self.security_group(self.resolve(p["GroupId"]))
        rule = {k: v for k, v in p.items() if k != "GroupId"}
        self.check_sg_rules(lid, "rule", [rule], sg["IpPermissions"])

    def check_AWS_EC2_VPCEndpoint(self, lid, p, pid):
        ep = self.c["ec2"].describe_vpc_endpoints(VpcEndpointIds=[pid])["VpcEndpoints"][0]
        self.expect(lid, "ServiceName", p.get("ServiceName"), ep["ServiceName"])
        self.expect(lid, "VpcEndpointType", p.get("VpcEndpointType", "Gateway"), ep["VpcEndpointType"])
        self.expect(lid, "VpcId", p.get("VpcId"), ep["VpcId"])
        self.expect(lid, "PrivateDnsEnabled", p.get("PrivateDnsEnabled"), ep.get("PrivateDnsEnabled"))
        self.expect_set(lid, "RouteTableIds", p.get("RouteTableIds"), ep.get("RouteTableIds"))
        self.expect_set(lid, "SubnetIds", p.get("SubnetIds"), ep.get("SubnetIds"))
        self.expect_set(lid, "SecurityGroupIds", p.get("SecurityGroupIds"),
                        [g["GroupId"] for g in ep.get("Groups", [])])

    # -- ELBv2 --
    def check_AWS_ElasticLoadBalancingV2_LoadBalancer(self, lid, p, pid):
        elb = self.c["elbv2"]
        lb = elb.describe_load_balancers(LoadBalancerArns=[pid])["LoadBalancers"][0]
        self.expect(lid, "Name", p.get("Name"), lb["LoadBalancerName"])
        self.expect(lid, "Scheme", p.get("Scheme", "internet-facing"), lb["Scheme"])
        self.expect(lid, "Type", p.get("Type", "application"), lb["Type"])
        self.expect(lid, "IpAddressType", p.get("IpAddressType"), lb.get("IpAddressType"))
        self.expect_set(lid, "Subnets", p.get("Subnets"), [z["SubnetId"] for z in lb["AvailabilityZones"]])
        self.expect_set(lid, "SecurityGroups", p.get("SecurityGroups"), lb.get("SecurityGroups"))

    def check_AWS_ElasticLoadBalancingV2_TargetGroup(self, lid, p, pid):
        elb = self.c["elbv2"]
        tg = elb.describe_target_groups(TargetGroupArns=[pid])["TargetGroups"][0]
        self.expect(lid, "Name", p.get("Name"), tg["TargetGroupName"])
        self.expect(lid, "TargetType", p.get("TargetType", "instance"), tg.get("TargetType"))
        for k in ("Port", "Protocol", "ProtocolVersion", "VpcId", "HealthCheckPath", "HealthCheckPort",
                  "HealthCheckProtocol", "HealthCheckEnabled", "HealthCheckIntervalSeconds",
                  "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount",
                  "Matcher"):
            self.expect(lid, k, p.get(k), tg.get(k))

    def check_AWS_ElasticLoadBalancingV2_Listener(self, lid, p, pid):
        ls = self.c["elbv2"].describe_listeners(ListenerArns=[pid])["Listeners"][0]
        for k in ("LoadBalancerArn", "Port", "Protocol", "SslPolicy", "Certificates",
                  "AlpnPolicy", "DefaultActions"):
            self.expect(lid, k, p.get(k), ls.get(k))

    def check_AWS_ElasticLoadBalancingV2_ListenerRule(self, lid, p, pid):
        rule = self.c["elbv2"].describe_rules(RuleArns=[pid])["Rules"][0]
        for k in ("Priority", "Conditions", "Actions"):
            self.expect(lid, k, p.get(k), rule.get(k))

    # -- Logs / IAM --
    def check_AWS_Logs_LogGroup(self, lid, p, pid):
        groups = self.c["logs"].describe_log_groups(logGroupNamePrefix=pid)["logGroups"]
        lg = next(g for g in groups if g["logGroupName"] == pid)
        self.expect(lid, "LogGroupName", p.get("LogGroupName"), lg["logGroupName"])
        self.expect(lid, "RetentionInDays", p.get("RetentionInDays"), lg.get("retentionInDays"))
        self.expect(lid, "KmsKeyId", p.get("KmsKeyId"), lg.get("kmsKeyId"))

    def check_AWS_IAM_Role(self, lid, p, pid):
        iam = self.c["iam"]
        role = iam.get_role(RoleName=pid)["Role"]
        for k in ("RoleName", "Path", "Description", "MaxSessionDuration", "AssumeRolePolicyDocument"):
            self.expect(lid, k, p.get(k), role.get(k))
        for pol in p.get("Policies", []):
            doc = iam.get_role_policy(RoleName=pid, PolicyName=self.resolve(pol["PolicyName"]))
            self.expect(lid, f"Policies {pol['PolicyName']}", pol["PolicyDocument"],
                        policy_doc(doc["PolicyDocument"]))

    def check_AWS_IAM_Policy(self, lid, p, pid):
        for role in p.get("Roles", []):
            doc = self.c["iam"].get_role_policy(RoleName=self.resolve(role),
                                                PolicyName=self.resolve(p["PolicyName"]))
            self.expect(lid, f"PolicyDocument on {role}", p["PolicyDocument"],
                        policy_doc(doc["PolicyDocument"]))

    # -- EventBridge --
    def check_AWS_Events_Rule(self, lid, p, pid):
        ev = self.c["events"]
        bus = self.resolve(p.get("EventBusName", "default"))
        rule = ev.describe_rule(Name=pid, EventBusName=bus)
        for k in ("ScheduleExpression", "State", "Description"):
            self.expect(lid, k, p.get(k), rule.get(k))
        if "EventPattern" in p:
            self.expect(lid, "EventPattern", p["EventPattern"], json.loads(rule["EventPattern"]),
                        post=lambda v: json.loads(v) if isinstance(v, str) else v)
        targets = {t["Id"]: t for t in ev.list_targets_by_rule(Rule=pid, EventBusName=bus)["Targets"]}
        for t in p.get("Targets", []):
            have = targets.get(self.resolve(t["Id"]))
            # moto drops EcsParameters.NetworkConfiguration and the keys of
            # CapacityProviderStrategy items: see template checks.
            want = copy.deepcopy(t)
            want.get("EcsParameters", {}).pop("NetworkConfiguration", None)
            want.get("EcsParameters", {}).pop("CapacityProviderStrategy", None)
            self.expect(lid, f"target {t['Id']}", want, have)

    # -- EC2 capacity --
    def check_AWS_EC2_LaunchTemplate(self, lid, p, pid):
        v = self.c["ec2"].describe_launch_template_versions(LaunchTemplateId=pid)["LaunchTemplateVersions"][0]
        data = v["LaunchTemplateData"]
        want = p.get("LaunchTemplateData", {})
        self.expect(lid, "InstanceType", want.get("InstanceType"), data.get("InstanceType"))
        self.expect(lid, "MetadataOptions", want.get("MetadataOptions"), data.get("MetadataOptions"))

    def check_AWS_AutoScaling_AutoScalingGroup(self, lid, p, pid):
        asg = boto3.client("autoscaling", region_name=REGION).describe_auto_scaling_groups(
            AutoScalingGroupNames=[pid])["AutoScalingGroups"][0]
        for k in ("MinSize", "MaxSize", "DesiredCapacity"):
            self.expect(lid, k, p.get(k), asg.get(k))
        self.expect(lid, "LaunchTemplateId", (p.get("LaunchTemplate") or {}).get("LaunchTemplateId"),
                    (asg.get("LaunchTemplate") or {}).get("LaunchTemplateId"))

    # -- ECR --
    def check_AWS_ECR_Repository(self, lid, p, pid):
        ecr = self.c["ecr"]
        repo = ecr.describe_repositories(repositoryNames=[pid])["repositories"][0]
        self.expect(lid, "RepositoryName", p.get("RepositoryName"), repo["repositoryName"])
        self.expect(lid, "ImageTagMutability", p.get("ImageTagMutability"),
                    repo.get("imageTagMutability"))
        # moto's CloudFormation drops LifecyclePolicy and reads
        # ImageScanningConfiguration and EncryptionConfiguration in the
        # API's key case, so it keeps none of them: cfn-lint checks their
        # shape, Terraform's schema the same values.

    # -- ECS --
    def check_AWS_ECS_Cluster(self, lid, p, pid):
        cl = self.c["ecs"].describe_clusters(clusters=[pid])["clusters"][0]
        self.expect(lid, "ClusterName", p.get("ClusterName"), cl["clusterName"])
        # moto's CloudFormation drops CapacityProviders: the template checks
        # hold strategies against them.

    def check_AWS_ECS_TaskDefinition(self, lid, p, pid):
        td = self.c["ecs"].describe_task_definition(taskDefinition=pid)["taskDefinition"]
        # moto keeps only family, memory, volumes and containers (the rest,
        # e.g. cpu, network mode, roles, is checked in template_checks).
        for k in ("Family", "Memory"):
            self.expect(lid, k, p.get(k), td.get(lc(k)))
        # moto camel-cases EFSVolumeConfiguration as `eFSVolumeConfiguration`,
        # which its describe output drops: the EFS part is cfn-lint's and
        # Terraform's to check, the names are compared here.
        self.expect(lid, "Volumes", p.get("Volumes"), td.get("volumes"),
                    post=lambda vs: [{k: x for k, x in camel(v).items() if k != "eFSVolumeConfiguration"}
                                     for v in vs])
        have = {c["name"]: c for c in td["containerDefinitions"]}
        for c in p.get("ContainerDefinitions", []):
            name = self.resolve(c["Name"])
            self.expect(lid, f"container {name}", c, have.get(name), post=camel)

    def check_AWS_ECS_Service(self, lid, p, pid):
        cluster = self.resolve(p.get("Cluster", "default"))
        svc = self.c["ecs"].describe_services(cluster=cluster, services=[pid])["services"][0]
        for k in ("ServiceName", "DesiredCount", "TaskDefinition"):
            self.expect(lid, k, p.get(k), svc.get(lc(k)))


# ------------------------------------------------- template-only checks ----
def template_checks(t):
    """What moto accepts but drops: check the references on the template."""
    res, params, errs = t.get("Resources", {}), t.get("Parameters", {}), []

    def target(v):
        """Logical id a Ref/GetAtt points at, or None."""
        if isinstance(v, dict) and "Ref" in v:
            return v["Ref"]
        if isinstance(v, dict) and "Fn::GetAtt" in v:
            ga = v["Fn::GetAtt"]
            return ga.split(".")[0] if isinstance(ga, str) else ga[0]
        return None

    def refers(where, v, rtype, literal_prefix):
        name = target(v)
        if name in params or (isinstance(v, dict) and "Fn::ImportValue" in v):
            return  # supplied at deploy time
        if name is None:
            if not (isinstance(v, str) and v.startswith(literal_prefix)):
                errs.append(f"{where}: {json.dumps(v)} is not a reference to a {rtype}")
        elif res.get(name, {}).get("Type") != rtype:
            errs.append(f"{where}: refers to {name} ({res.get(name, {}).get('Type', 'undeclared')}),"
                        f" expected {rtype}")

    def namespace_arn(where, v):
        """A Cloud Map namespace's ARN: GetAtt Arn of a namespace of the
        template, a deploy-time value, or an ARN built with Fn::Sub."""
        name = target(v)
        if name in params or (isinstance(v, dict) and "Fn::Sub" in v):
            return
        if name is None:
            if not (isinstance(v, str) and v.startswith("arn:")):
                errs.append(f"{where}: {json.dumps(v)} is not a namespace ARN")
            return
        kinds = ("AWS::ServiceDiscovery::HttpNamespace", "AWS::ServiceDiscovery::PrivateDnsNamespace")
        if res.get(name, {}).get("Type") not in kinds:
            errs.append(f"{where}: refers to {name} ({res.get(name, {}).get('Type', 'undeclared')}),"
                        " expected a Cloud Map namespace")
        ga = v.get("Fn::GetAtt") if isinstance(v, dict) else None
        attr = None if ga is None else (ga.split(".", 1)[1] if isinstance(ga, str) else ga[1])
        if attr != "Arn":
            errs.append(f"{where}: {json.dumps(v)} is not the namespace's ARN (GetAtt Arn)")

    def network(where, nc, key):
        aws = (nc or {}).get(key)
        if nc is not None and aws is None:
            errs.append(f"{where}: NetworkConfiguration without {key}")
        for s in (aws or {}).get("Subnets", []):
            refers(f"{where} Subnets", s, "AWS::EC2::Subnet", "subnet-")
        for g in (aws or {}).get("SecurityGroups", []):
            refers(f"{where} SecurityGroups", g, "AWS::EC2::SecurityGroup", "sg-")

    def containers(td_ref):
        td = res.get(target(td_ref) or "", {})
        if td.get("Type") != "AWS::ECS::TaskDefinition":
            return None
        return {c.get("Name"): c for c in td["Properties"].get("ContainerDefinitions", [])}

    def lit(v):
        """A literal number, or None when the value is an intrinsic function."""
        try:
            return int(v)
        except (TypeError, ValueError):
            return None

    def strategy(where, holder, cluster_ref, depends_on):
        """A capacity provider strategy: no launch type beside it, one base at
        most, and only providers its cluster (one of this template) has."""
        items = holder.get("CapacityProviderStrategy")
        if not items:
            return
        if "LaunchType" in holder:
            errs.append(f"{where}: LaunchType and CapacityProviderStrategy together")
        if sum(1 for i in items if i.get("Base", 0) > 0) > 1:
            errs.append(f"{where}: more than one capacity provider has a base")
        name = target(cluster_ref)
        cluster = res.get(name or "", {})
        if cluster.get("Type") == "AWS::ECS::Cluster":
            have = list(cluster.get("Properties", {}).get("CapacityProviders", []))
            associations = [lid for lid, r in res.items()
                            if r["Type"] == "AWS::ECS::ClusterCapacityProviderAssociations"
                            and target(r["Properties"].get("Cluster")) == name]
            for a in associations:
                have += res[a]["Properties"].get("CapacityProviders", [])
            for i in items:
                if i.get("CapacityProvider") not in have:
                    errs.append(f"{where}: {i.get('CapacityProvider')} is not a capacity provider "
                                f"of cluster {name} ({have})")
            # The association must exist before the strategy is used.
            waits = depends_on if isinstance(depends_on, list) else [depends_on]
            for a in associations:
                if a not in waits:
                    errs.append(f"{where}: does not wait for {a}, which associates its providers")

    for lid, r in res.items():
        p, rtype = r.get("Properties", {}), r["Type"]
        here = f"{lid} ({rtype})"
        if rtype == "AWS::ECS::Service":
            strategy(here, p, p.get("Cluster"), r.get("DependsOn", []))
        if rtype == "AWS::Events::Rule":
            for tgt in p.get("Targets", []):
                strategy(f"{here} target {tgt.get('Id')}", tgt.get("EcsParameters") or {}, tgt.get("Arn"),
                         r.get("DependsOn", []))
        # Resources whose effect moto does not show through the APIs.
        if rtype == "AWS::EC2::SubnetRouteTableAssociation":
            refers(f"{here} SubnetId", p.get("SubnetId"), "AWS::EC2::Subnet", "subnet-")
            refers(f"{here} RouteTableId", p.get("RouteTableId"), "AWS::EC2::RouteTable", "rtb-")
        if rtype == "AWS::ECS::TaskDefinition":
            cs = p.get("ContainerDefinitions", [])
            needs_role = [c.get("Name") for c in cs if c.get("Secrets") or
                          (c.get("LogConfiguration") or {}).get("LogDriver") == "awslogs"]
            if needs_role and "ExecutionRoleArn" not in p:
                errs.append(f"{here}: containers {needs_role} use secrets or awslogs "
                            "but there is no ExecutionRoleArn")
            for k in ("ExecutionRoleArn", "TaskRoleArn"):
                if k in p:
                    refers(f"{here} {k}", p[k], "AWS::IAM::Role", "arn:")
        # Limits the AWS APIs enforce but cfn-lint and moto do not.
        if rtype in ("AWS::ElasticLoadBalancingV2::LoadBalancer",
                     "AWS::ElasticLoadBalancingV2::TargetGroup"):
            name = p.get("Name")
            if isinstance(name, str) and len(name) > 32:
                errs.append(f"{here} Name: {name!r} is longer than 32 characters")
        if rtype == "AWS::ElasticLoadBalancingV2::TargetGroup":
            timeout = lit(p.get("HealthCheckTimeoutSeconds", 5))
            interval = lit(p.get("HealthCheckIntervalSeconds", 30))
            if timeout is not None and interval is not None and timeout >= interval:
                errs.append(f"{here}: HealthCheckTimeoutSeconds {timeout} must be less than "
                            f"HealthCheckIntervalSeconds {interval}")
        rules = [p] if rtype in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress") \
            else p.get("SecurityGroupIngress", []) + p.get("SecurityGroupEgress", [])
        for rule in rules:
            lo, hi = lit(rule.get("FromPort")), lit(rule.get("ToPort"))
            for port in (lo, hi):
                if port is not None and not -1 <= port <= 65535:
                    errs.append(f"{here}: security group rule port {port} out of range")
            if lo is not None and hi is not None and lo > hi:
                errs.append(f"{here}: security group rule FromPort {lo} > ToPort {hi}")
        if rtype == "AWS::ECS::Service":
            where = f"{lid} (AWS::ECS::Service)"
            refers(f"{where} TaskDefinition", p.get("TaskDefinition"), "AWS::ECS::TaskDefinition", "arn:")
            cs = containers(p.get("TaskDefinition"))
            for lb in p.get("LoadBalancers", []):
                refers(f"{where} LoadBalancers TargetGroupArn", lb.get("TargetGroupArn"),
                       "AWS::ElasticLoadBalancingV2::TargetGroup", "arn:")
                if cs is None:
                    continue
                c = cs.get(lb.get("ContainerName"))
                if c is None:
                    errs.append(f"{where} LoadBalancers: container {lb.get('ContainerName')!r} "
                                f"not in task definition (has {sorted(map(str, cs))})")
                elif norm(lb.get("ContainerPort")) not in [norm(m.get("ContainerPort"))
                                                           for m in c.get("PortMappings", [])]:
                    errs.append(f"{where} LoadBalancers: container {lb['ContainerName']!r} "
                                f"has no port mapping for {lb.get('ContainerPort')}")
                td = res[target(p["TaskDefinition"])]["Properties"]
                tg = res.get(target(lb.get("TargetGroupArn")) or "", {}).get("Properties", {})
                if td.get("NetworkMode") == "awsvpc" and tg and tg.get("TargetType", "instance") != "ip":
                    errs.append(f"{where} LoadBalancers: awsvpc tasks need a target group of "
                                f"TargetType ip, {target(lb['TargetGroupArn'])} has "
                                f"{tg.get('TargetType', 'instance')}")
            network(where, p.get("NetworkConfiguration"), "AwsvpcConfiguration")
            for reg in p.get("ServiceRegistries", []):
                refers(f"{where} ServiceRegistries RegistryArn", reg.get("RegistryArn"),
                       "AWS::ServiceDiscovery::Service", "arn:")
            sc = p.get("ServiceConnectConfiguration")
            if sc is not None:
                namespace_arn(f"{where} ServiceConnectConfiguration Namespace", sc.get("Namespace"))
                names = None if cs is None else {m.get("Name") for c in cs.values()
                                                 for m in c.get("PortMappings", []) if m.get("Name")}
                for svc in sc.get("Services", []):
                    if names is not None and svc.get("PortName") not in names:
                        errs.append(f"{where} ServiceConnectConfiguration: port name "
                                    f"{svc.get('PortName')!r} not in task definition (has {sorted(names)})")
                    for alias in svc.get("ClientAliases", []):
                        port = lit(alias.get("Port"))
                        if port is None or not 1 <= port <= 65535:
                            errs.append(f"{where} ServiceConnectConfiguration: client alias port "
                                        f"{alias.get('Port')!r} out of range")
                logs = sc.get("LogConfiguration")
                if logs is not None:
                    refers(f"{where} ServiceConnectConfiguration LogConfiguration awslogs-group",
                           logs.get("Options", {}).get("awslogs-group"), "AWS::Logs::LogGroup", "/")
        if rtype == "AWS::ECS::Cluster" and "ServiceConnectDefaults" in p:
            namespace_arn(f"{lid} (AWS::ECS::Cluster) ServiceConnectDefaults Namespace",
                          p["ServiceConnectDefaults"].get("Namespace"))
        if r["Type"] == "AWS::Events::Rule":
            for tgt in p.get("Targets", []):
                ecs = tgt.get("EcsParameters")
                if ecs:
                    where = f"{lid} (AWS::Events::Rule) target {tgt.get('Id')}"
                    refers(f"{where} TaskDefinitionArn", ecs.get("TaskDefinitionArn"),
                           "AWS::ECS::TaskDefinition", "arn:")
                    network(where, ecs.get("NetworkConfiguration"), "AwsVpcConfiguration")
    return errs


# -------------------------------------------------------------- self-test ----
def tamperings(t):
    """Deliberately wrong copies of the template, one per kind of resource
    found, each of which the comparison must report."""
    out = []

    def first(rtype, change, label):
        for lid, r in t["Resources"].items():
            if r["Type"] == rtype:
                bad = copy.deepcopy(t)
                if change(bad["Resources"][lid].setdefault("Properties", {})) is not False:
                    out.append((lid, f"{label} of {lid}", bad))
                    return

    first("AWS::EC2::VPC", lambda p: p.update(CidrBlock="10.254.0.0/16"), "CidrBlock")
    first("AWS::EC2::Subnet", lambda p: p.update(CidrBlock="10.254.9.0/24"), "CidrBlock")
    first("AWS::Logs::LogGroup", lambda p: p.update(RetentionInDays=3653), "RetentionInDays")
    first("AWS::ElasticLoadBalancingV2::TargetGroup", lambda p: p.update(Port=1), "Port")
    first("AWS::ElasticLoadBalancingV2::Listener", lambda p: p.update(Port=1), "Port")
    first("AWS::ECS::TaskDefinition",
          lambda p: p["ContainerDefinitions"][0].update(Image="tampered:0"), "container image")
    first("AWS::EC2::SecurityGroup",
          lambda p: bool(p.get("SecurityGroupIngress")) and
          p["SecurityGroupIngress"][0].update(IpProtocol="udp", FromPort=1, ToPort=1), "ingress rule")
    return out


def deploy_inputs(template):
    """Values for the parameters a deploy must pass (those without a
    default): a prefix list id, a certificate made in moto's ACM, or an
    image as CI would set it. Call inside mock_aws."""
    values = {}
    for k, p in template.get("Parameters", {}).items():
        if "Default" in p:
            continue
        if p.get("AllowedPattern", "").startswith("^pl-"):
            values[k] = "pl-0123456789abcdef0"
        elif k.endswith("Certificate"):
            # An ACM certificate made outside the stack, as for literal ARNs.
            acm = boto3.client("acm", region_name=REGION)
            values[k] = acm.request_certificate(DomainName="example.com")["CertificateArn"]
        elif k.endswith("Image"):
            values[k] = "public.ecr.aws/docker/library/busybox:1.36-ci"
        else:
            values[k] = "set-by-the-deploy"
    return values


# ------------------------------------------------------------------- main ----
def verify(path):
    """Returns a list of failure messages for one template (empty = pass)."""
    global REGION
    with open(path, encoding="utf-8") as f:
        template = json.load(f)
    REGION = region_for(template)
    print(f"  region {REGION}")
    shimmed, gone = strip_unsupported(template)
    if gone:
        print(f"  not created in moto (no model): {', '.join(f'{k} ({v})' for k, v in gone.items())}")
    failures = [f"template: {e}" for e in template_checks(template)]
    with mock_aws():
        cfn = boto3.client("cloudformation", region_name=REGION)
        for old, new in stand_in_certificates(shimmed).items():
            print(f"  certificate {old} stands in as {new}")
        inputs = {**deploy_inputs(shimmed), **stand_in_network(shimmed)}
        for k, v in inputs.items():
            print(f"  parameter {k} = {v} (set by the deploy)")
        try:
            stack_id = cfn.create_stack(
                StackName="verify", TemplateBody=json.dumps(shimmed),
                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in inputs.items()],
                Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])["StackId"]
        except ClientError as e:
            return failures + [f"create_stack failed: {e}"]
        stack = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
        if stack["StackStatus"] != "CREATE_COMPLETE":
            return failures + [f"stack status {stack['StackStatus']}: {stack.get('StackStatusReason')}"]
        phys = {}
        for r in cfn.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]:
            phys[r["LogicalResourceId"]] = r["PhysicalResourceId"]
            if r["ResourceStatus"] != "CREATE_COMPLETE":
                failures.append(f"{r['LogicalResourceId']}: status {r['ResourceStatus']}")
        for m in sorted(set(shimmed["Resources"]) - set(phys)):
            if "Condition" in shimmed["Resources"][m]:
                print(f"  {m}: not created (its condition is false)")
            else:
                failures.append(f"{m}: not in the created stack")

        resource_map = cloudformation_backends[DEFAULT_ACCOUNT_ID][REGION].stacks[stack_id].resource_map

        def resolve(v):
            return clean_json(v, resource_map)

        checker = Checker(shimmed, resolve, phys)
        failures += checker.run()
        checkable = [lid for lid, r in shimmed["Resources"].items()
                     if hasattr(checker, "check_" + r["Type"].replace("::", "_"))]
        if checkable and not checker.compared:
            failures.append(f"nothing compared although {checkable} were declared")
        print(f"  compared {sum(checker.compared.values())} properties: "
              + ", ".join(f"{k.split('::', 1)[1]} {n}" for k, n in sorted(checker.compared.items())))

        wrong = tamperings(shimmed)
        if checkable and not wrong:
            failures.append("self-test: no resource here that the self-test knows how to alter")
        for lid, label, bad in wrong:
            if not Checker(bad, resolve, phys, checker.c).run(only=lid):
                failures.append(f"self-test: a wrong {label} went unnoticed")
        print(f"  self-test: {len(wrong)} deliberately wrong values checked")
    return failures


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    failed = 0
    for path in sys.argv[1:]:
        print(f"moto {path}")
        try:
            failures = verify(path)
        except Exception:
            failures = ["exception:\n" + traceback.format_exc()]
        for f in failures:
            print(f"    {f}")
        print(f"{'FAIL' if failures else 'ok'} moto {path}")
        failed += bool(failures)
    print(f"moto: {len(sys.argv) - 1} templates, {failed} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
