"""AWS without an account: an embedded moto server and the template's resources created on it.

The SAM template is translated offline (samtranslator), then the data-plane resources go to moto's
CloudFormation `create_stack`. What moto's CloudFormation skips is applied with API calls (TTL, secrets,
SNS subscriptions, alarms); the control plane (Lambda, IAM, API Gateway, event source mappings, schedules)
is run in-process by `runtime` and `triggers`, read from the same translated template.
"""

from __future__ import annotations

import json
import os
import re
import secrets as pysecrets
import string
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.local.template import (
    ACCOUNT_ID,
    Intrinsics,
    TemplateError,
    load_template,
    parameter_values,
    translate,
)

REGION = "eu-west-1"

# Types moto's CloudFormation creates faithfully enough for handlers to use.
MOTO_CFN_TYPES = frozenset(
    {
        "AWS::DynamoDB::Table",
        "AWS::SQS::Queue",
        "AWS::SNS::Topic",
        "AWS::SSM::Parameter",
        "AWS::S3::Bucket",
        "AWS::KMS::Key",
        "AWS::KMS::Alias",
        "AWS::Logs::LogGroup",
        "AWS::Events::EventBus",
    }
)
# Types we create with API calls after the stack (moto's CloudFormation does not know them).
API_TYPES = frozenset(
    {
        "AWS::SecretsManager::Secret",
        "AWS::SNS::Subscription",
        "AWS::CloudWatch::Alarm",
    }
)
# Everything else (Lambda, IAM, API Gateway, mappings, rules, permissions, policies) is emulated in-process
# or has no local effect.

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
}


class MotoServer:
    """One moto server per process: layer modules create boto3 clients at import, bound to one endpoint."""

    _shared: MotoServer | None = None
    _lock = threading.Lock()

    def __init__(self, port: int) -> None:
        from moto.server import ThreadedMotoServer

        if port:  # ThreadedMotoServer would wait forever if its thread cannot bind: find out first
            import socket

            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port))

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        self.port = self._server.get_host_and_port()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"

    @classmethod
    def shared(cls, port: int = 0) -> MotoServer:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls(port)
            return cls._shared

    def stop(self) -> None:
        self._server.stop()
        with self._lock:
            if MotoServer._shared is self:
                MotoServer._shared = None


def aws_environment(endpoint: str) -> dict[str, str]:
    """Environment that points every boto3 client (Powertools' too) at moto."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        **FAKE_CREDENTIALS,
    }


def use_moto(endpoint: str) -> dict[str, str | None]:
    """Points this process at moto; returns the previous values for `restore_environment`."""
    wanted = aws_environment(endpoint)
    previous = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    return previous


def restore_environment(previous: dict[str, str | None]) -> None:
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def client(service: str, endpoint: str) -> Any:
    import boto3

    make: Any = boto3.client
    return make(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@dataclass
class Deployment:
    """The translated template and where each of its resources lives on moto (or in-process)."""

    root: Path
    stack_name: str
    endpoint: str
    template: dict[str, Any]  # translated (plain CloudFormation)
    parameters: dict[str, str]
    physical: dict[str, str] = field(default_factory=dict)  # logical id → Ref value
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    intrinsics: Intrinsics = field(init=False)

    def __post_init__(self) -> None:
        self.intrinsics = Intrinsics(self.template, self.parameters, self.ref, self.get_att, REGION, self.stack_name)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template["Resources"]
        return resources

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            name: res for name, res in self.resources.items() if res.get("Type") == resource_type and self.exists(name)
        }

    def exists(self, logical_id: str) -> bool:
        condition = self.resources[logical_id].get("Condition")
        return condition is None or self.intrinsics.condition(condition)

    def ref(self, logical_id: str) -> str:
        if logical_id not in self.physical:
            raise TemplateError(f"Ref to unknown resource {logical_id}")
        return self.physical[logical_id]

    def get_att(self, logical_id: str, attribute: str) -> str:
        try:
            return self.attributes[(logical_id, attribute)]
        except KeyError:
            raise TemplateError(f"GetAtt {logical_id}.{attribute} is not emulated locally") from None

    def resolve(self, value: Any) -> Any:
        return self.intrinsics.resolve(value)

    def function_name(self, logical_id: str) -> str:
        return self.ref(logical_id)

    def logical_id_of(self, physical: str) -> str | None:
        """A resource's logical id from its Ref value or any of its attributes (ARNs, URLs)."""
        for logical, ref in self.physical.items():
            if ref == physical:
                return logical
        for (logical, _attr), value in self.attributes.items():
            if value == physical:
                return logical
        return None

    def outputs(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for name, output in self.template.get("Outputs", {}).items():
            try:
                result[name] = str(self.resolve(output["Value"]))
            except TemplateError:
                continue
        return result


class Emulator:
    """Creates the template's resources on a moto server and records their physical ids."""

    def __init__(
        self,
        root: Path,
        endpoint: str,
        template_path: Path | None = None,
        stack_name: str = "reviewpulse-local",
        parameter_overrides: dict[str, str] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.endpoint = endpoint
        self.template_path = template_path or self.root / "template.yaml"
        self.stack_name = stack_name
        self.parameter_overrides = parameter_overrides or {}

    def deploy(self) -> Deployment:
        sam = load_template(self.template_path)
        translated = translate(sam, REGION)
        params = parameter_values(translated, self.parameter_overrides)
        deployment = Deployment(self.root, self.stack_name, self.endpoint, translated, params)
        self._name_in_process_resources(deployment)
        self._create_stack(deployment)
        self._create_with_api_calls(deployment)
        return deployment

    # -- in-process resources: names and ARNs as CloudFormation would give them ------------------------

    def _name_in_process_resources(self, d: Deployment) -> None:
        region, stack = REGION, self.stack_name
        for logical, res in d.resources.items():
            kind = res.get("Type", "")
            if kind in MOTO_CFN_TYPES or kind in API_TYPES:
                continue
            name = f"{stack}-{logical}"
            if kind == "AWS::Lambda::Function":
                name = res.get("Properties", {}).get("FunctionName") or name
                arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{name}"
                d.physical[logical] = name
                d.attributes[(logical, "Arn")] = arn
            elif kind == "AWS::Lambda::LayerVersion":
                d.physical[logical] = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:layer:{logical}:1"
            elif kind == "AWS::IAM::Role":
                d.physical[logical] = name
                d.attributes[(logical, "Arn")] = f"arn:aws:iam::{ACCOUNT_ID}:role/{name}"
            elif kind == "AWS::ApiGateway::RestApi":
                api_id = _short_id(logical)
                d.physical[logical] = api_id
                d.attributes[(logical, "RootResourceId")] = _short_id(logical + "root")
            elif kind == "AWS::Events::Rule":
                d.physical[logical] = name
                d.attributes[(logical, "Arn")] = f"arn:aws:events:{region}:{ACCOUNT_ID}:rule/{name}"
            elif kind not in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
                d.physical[logical] = name
                d.attributes[(logical, "Arn")] = f"arn:aws:local:{region}:{ACCOUNT_ID}:{logical}"
        # AutoPublishAlias: versions and aliases are qualified ARNs of their function
        for logical, res in d.resources.items():
            kind = res.get("Type", "")
            if kind not in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
                continue
            target = res.get("Properties", {}).get("FunctionName")
            function = str(target.get("Ref")) if isinstance(target, dict) else ""
            if (function, "Arn") not in d.attributes:
                continue
            qualifier = "1" if kind == "AWS::Lambda::Version" else str(res["Properties"].get("Name", "live"))
            d.physical[logical] = f"{d.attributes[(function, 'Arn')]}:{qualifier}"
            d.attributes[(logical, "Version")] = "1"

    # -- moto CloudFormation ------------------------------------------------------------------------

    def _create_stack(self, d: Deployment) -> None:
        cfn_resources = {name: res for name, res in d.resources.items() if res.get("Type") in MOTO_CFN_TYPES}
        body: dict[str, Any] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Parameters": d.template.get("Parameters", {}),
            "Conditions": d.template.get("Conditions", {}),
            "Mappings": d.template.get("Mappings", {}),
            "Resources": {name: _literal_refs(res, d, set(cfn_resources)) for name, res in cfn_resources.items()},
        }
        body = {key: value for key, value in body.items() if value}
        if not cfn_resources:
            return
        cfn = client("cloudformation", self.endpoint)
        cfn.create_stack(
            StackName=self.stack_name,
            TemplateBody=json.dumps(body),
            Parameters=[
                {"ParameterKey": k, "ParameterValue": v}
                for k, v in d.parameters.items()
                if k in body.get("Parameters", {})
            ],
        )
        status = cfn.describe_stacks(StackName=self.stack_name)["Stacks"][0]["StackStatus"]
        if status != "CREATE_COMPLETE":
            raise TemplateError(f"moto could not create the stack: {status}")
        for summary in cfn.list_stack_resources(StackName=self.stack_name)["StackResourceSummaries"]:
            d.physical[summary["LogicalResourceId"]] = summary["PhysicalResourceId"]
        self._read_attributes(d, cfn_resources)

    def _read_attributes(self, d: Deployment, created: dict[str, dict[str, Any]]) -> None:
        ddb, sqs = client("dynamodb", self.endpoint), client("sqs", self.endpoint)
        for logical, res in created.items():
            kind, physical = res["Type"], d.physical.get(logical)
            if physical is None:
                continue
            if kind == "AWS::DynamoDB::Table":
                table = ddb.describe_table(TableName=physical)["Table"]
                d.attributes[(logical, "Arn")] = table["TableArn"]
                if "LatestStreamArn" in table:
                    d.attributes[(logical, "StreamArn")] = table["LatestStreamArn"]
                ttl = res.get("Properties", {}).get("TimeToLiveSpecification")
                if ttl and _truthy(d.resolve(ttl.get("Enabled", False))):
                    ddb.update_time_to_live(
                        TableName=physical,
                        TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
                    )
            elif kind == "AWS::SQS::Queue":
                attrs = sqs.get_queue_attributes(QueueUrl=physical, AttributeNames=["QueueArn"])["Attributes"]
                d.attributes[(logical, "Arn")] = attrs["QueueArn"]
                d.attributes[(logical, "QueueName")] = physical.rsplit("/", 1)[-1]
                d.attributes[(logical, "QueueUrl")] = physical
            elif kind == "AWS::SNS::Topic":
                d.attributes[(logical, "TopicArn")] = physical
                d.attributes[(logical, "TopicName")] = physical.rsplit(":", 1)[-1]
            elif kind == "AWS::S3::Bucket":
                d.attributes[(logical, "Arn")] = f"arn:aws:s3:::{physical}"
            elif kind == "AWS::SSM::Parameter":
                value = d.resolve(res.get("Properties", {}).get("Value", ""))
                d.attributes[(logical, "Value")] = str(value)

    # -- what moto's CloudFormation skips -------------------------------------------------------------

    def _create_with_api_calls(self, d: Deployment) -> None:
        # Secrets first: subscriptions and alarms never reference them, functions often do.
        for logical, res in d.of_type("AWS::SecretsManager::Secret").items():
            self._create_secret(d, logical, d.resolve(res.get("Properties", {})))
        for logical, res in d.of_type("AWS::SNS::Subscription").items():
            props = d.resolve(res.get("Properties", {}))
            if not props.get("Endpoint"):
                continue  # e.g. an optional alert phone left empty
            attributes = {
                key: json.dumps(props[key]) if isinstance(props[key], dict) else str(props[key])
                for key in ("FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy")
                if key in props
            }
            arn = client("sns", self.endpoint).subscribe(
                TopicArn=props["TopicArn"],
                Protocol=props["Protocol"],
                Endpoint=props["Endpoint"],
                Attributes=attributes,
                ReturnSubscriptionArn=True,
            )["SubscriptionArn"]
            d.physical[logical] = arn
        for logical, res in d.of_type("AWS::CloudWatch::Alarm").items():
            self._create_alarm(d, logical, res)

    def _create_secret(self, d: Deployment, logical: str, props: dict[str, Any]) -> None:
        name = props.get("Name") or f"{self.stack_name}-{logical}"
        value = props.get("SecretString")
        generate = props.get("GenerateSecretString")
        if value is None and generate is not None:
            generated = _random_password(int(generate.get("PasswordLength", 32)))
            template = generate.get("SecretStringTemplate")
            key = generate.get("GenerateStringKey")
            value = json.dumps({**json.loads(template), key: generated}) if template and key else generated
        response = client("secretsmanager", self.endpoint).create_secret(
            Name=name, SecretString=value if value is not None else ""
        )
        d.physical[logical] = response["ARN"]
        d.attributes[(logical, "Id")] = response["ARN"]

    def _create_alarm(self, d: Deployment, logical: str, res: dict[str, Any]) -> None:
        props = d.resolve(res.get("Properties", {}))
        name = props.get("AlarmName") or f"{self.stack_name}-{logical}"
        keep = {
            "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
            "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
            "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
            "TreatMissingData", "Metrics",
        }  # fmt: skip
        args = {key: value for key, value in props.items() if key in keep}
        for key in ("Period", "EvaluationPeriods", "DatapointsToAlarm"):
            if key in args:
                args[key] = int(args[key])
        if "Threshold" in args:
            args["Threshold"] = float(args["Threshold"])
        client("cloudwatch", self.endpoint).put_metric_alarm(AlarmName=name, **args)
        d.physical[logical] = name
        d.attributes[(logical, "Arn")] = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:{name}"


def _literal_refs(value: Any, d: Deployment, in_stack: set[str]) -> Any:
    """References from stack resources to resources outside the stack become their local values."""
    if isinstance(value, list):
        return [_literal_refs(item, d, in_stack) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and value["Ref"] in d.physical and value["Ref"] not in in_stack:
        return d.physical[value["Ref"]]
    if set(value) == {"Fn::GetAtt"}:
        logical, attribute = (
            value["Fn::GetAtt"] if isinstance(value["Fn::GetAtt"], list) else value["Fn::GetAtt"].split(".", 1)
        )
        if logical not in in_stack and (logical, attribute) in d.attributes:
            return d.attributes[(logical, attribute)]
    if set(value) == {"Fn::Sub"}:
        arg = value["Fn::Sub"]
        text = arg if isinstance(arg, str) else arg[0]

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            logical, _, attribute = name.partition(".")
            if logical in in_stack or logical.startswith("AWS::"):
                return match.group(0)
            if attribute and (logical, attribute) in d.attributes:
                return d.attributes[(logical, attribute)]
            return d.physical.get(name, match.group(0))

        text = re.sub(r"\$\{([^}!][^}]*)\}", replace, text)
        return {"Fn::Sub": text if isinstance(arg, str) else [text, _literal_refs(arg[1], d, in_stack)]}
    result = {key: _literal_refs(item, d, in_stack) for key, item in value.items() if key != "DependsOn"}
    if "DependsOn" in value:
        depends = value["DependsOn"] if isinstance(value["DependsOn"], list) else [value["DependsOn"]]
        kept = [name for name in depends if name in in_stack]
        if kept:
            result["DependsOn"] = kept
    return result


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _short_id(seed: str) -> str:
    import hashlib

    return hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:10]


def _random_password(length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(pysecrets.choice(alphabet) for _ in range(length))
