#!/usr/bin/env python3
"""Create each split stack (`ecsc build -o DIR`: DIR/template.json and its
nested templates) in moto, as `aws cloudformation package` and `deploy`
would: every nested template is uploaded to S3 and its TemplateURL
rewritten to the object's address, then the parent is created.

usage: moto_nested.py DIR...

Per directory, in a fresh `mock_aws` account: the shims of moto_stack.py
(resource types moto cannot create, certificates, existing networks) are
applied to each nested template; the parent must reach CREATE_COMPLETE,
and so must every nested stack, holding every resource its template
declares. A canary (a parent whose nested template reads a parameter the
parent does not pass) must fail, so that a moto that ignored nested
stacks could not make this pass.

Exit codes: 0 all pass, 1 a check failed, 2 usage error.
"""
import copy
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import moto_stack as ms  # noqa: E402  (sets fake credentials first)

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException  # noqa: E402
from moto.cloudformation.models import Stack  # noqa: E402

BUCKET = "ecsc-verify-nested"


def _stack_output(self, attribute):
    """`Fn::GetAtt Nested.Outputs.Name`, which CloudFormation resolves to a
    nested stack's output and moto's Stack model lacks (it creates nested
    stacks but has no attributes): read from the nested stack's outputs."""
    if attribute.startswith("Outputs."):
        output = self.output_map.get(attribute.split(".", 1)[1])
        if output is not None:
            return output.value
    raise UnformattedGetAttTemplateException()


Stack.get_cfn_attribute = _stack_output


def create(parent, children, region):
    """Uploads the children, creates the parent; returns failures."""
    ms.REGION = region
    failures = []
    s3 = boto3.client("s3", region_name=region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=BUCKET)
    else:
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": region})
    parent = copy.deepcopy(parent)
    declared = {}
    for lid, r in parent["Resources"].items():
        file = r["Properties"]["TemplateURL"]
        shimmed, gone = ms.strip_unsupported(children[file])
        if gone:
            print(f"  {file}: not created in moto (no model): {', '.join(sorted(gone))}")
        ms.stand_in_certificates(shimmed)
        # Literal ids only: the parent's parameters stand in for the
        # inputs, passed down as the children's parameters.
        params = shimmed.pop("Parameters", None)
        ms.stand_in_network(shimmed)
        if params is not None:
            shimmed["Parameters"] = params
        declared[lid] = set(shimmed["Resources"])
        s3.put_object(Bucket=BUCKET, Key=file, Body=json.dumps(shimmed).encode())
        r["Properties"]["TemplateURL"] = f"https://s3.amazonaws.com/{BUCKET}/{file}"
    inputs = {**ms.deploy_inputs(parent), **ms.stand_in_network(parent)}
    cfn = boto3.client("cloudformation", region_name=region)
    try:
        stack_id = cfn.create_stack(
            StackName="verify", TemplateBody=json.dumps(parent),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in inputs.items()],
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"])["StackId"]
    except ClientError as e:
        return [f"create_stack failed: {e}"]
    stack = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        return [f"stack status {stack['StackStatus']}: {stack.get('StackStatusReason')}"]
    nested = {r["LogicalResourceId"]: r["PhysicalResourceId"]
              for r in cfn.list_stack_resources(StackName=stack_id)["StackResourceSummaries"]}
    for lid, want in sorted(declared.items()):
        if lid not in nested:
            failures.append(f"{lid}: not in the created parent")
            continue
        child = cfn.describe_stacks(StackName=nested[lid])["Stacks"][0]
        if child["StackStatus"] != "CREATE_COMPLETE":
            failures.append(f"{lid}: status {child['StackStatus']}")
        got = {r["LogicalResourceId"]: r["ResourceStatus"]
               for r in cfn.list_stack_resources(StackName=nested[lid])["StackResourceSummaries"]}
        for m in sorted(want - set(got)):
            failures.append(f"{lid}: {m} not created")
        for m, status in sorted(got.items()):
            if status != "CREATE_COMPLETE":
                failures.append(f"{lid}: {m} status {status}")
        print(f"  {lid}: {len(got)} resources created")
    return failures


def canary():
    """A nested template whose parameter the parent does not pass: must fail."""
    child = {"AWSTemplateFormatVersion": "2010-09-09",
             "Parameters": {"VpcCidr": {"Type": "String"}},
             "Resources": {"Vpc": {"Type": "AWS::EC2::VPC",
                                   "Properties": {"CidrBlock": {"Ref": "VpcCidr"}}}}}
    parent = {"AWSTemplateFormatVersion": "2010-09-09",
              "Resources": {"ChildStack": {"Type": "AWS::CloudFormation::Stack",
                                           "Properties": {"TemplateURL": "child.json"}}}}
    with mock_aws():
        try:
            return bool(create(parent, {"child.json": child}, "us-east-1"))
        except Exception:
            return True


def verify(directory):
    with open(os.path.join(directory, "template.json"), encoding="utf-8") as f:
        parent = json.load(f)
    children = {}
    for r in parent["Resources"].values():
        file = r["Properties"]["TemplateURL"]
        with open(os.path.join(directory, file), encoding="utf-8") as f:
            children[file] = json.load(f)
    region = "us-east-1"
    for child in children.values():
        found = ms.region_for(child)
        if found != "us-east-1":
            region = found
    print(f"  region {region}, {len(children)} nested stacks")
    with mock_aws():
        return create(parent, children, region)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if not canary():
        print("FAIL canary: a nested stack missing a parameter was created")
        return 1
    failed = 0
    for directory in sys.argv[1:]:
        print(f"moto {directory}")
        try:
            failures = verify(directory)
        except Exception:
            failures = ["exception:\n" + traceback.format_exc()]
        for f in failures:
            print(f"    {f}")
        print(f"{'FAIL' if failures else 'ok'} moto {directory}")
        failed += bool(failures)
    print(f"moto: {len(sys.argv) - 1} split stacks, {failed} failing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
