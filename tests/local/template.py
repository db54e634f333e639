"""template.yaml → plain CloudFormation (offline samtranslator) and a resolver for its intrinsic functions."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

LOCAL_CODE_BUCKET = "local-code"
ACCOUNT_ID = "123456789012"


class TemplateError(Exception):
    """The template uses something the local stack cannot emulate."""


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation short forms (!Ref, !GetAtt, !Sub …) turned into their long forms."""


def _short_form(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _short_form)


def load_template(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
    if not isinstance(loaded, dict) or "Resources" not in loaded:
        raise TemplateError(f"{path} is not a CloudFormation/SAM template")
    return loaded


_LOCAL_URI_KEYS = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


def _point_code_at_local_bucket(template: dict[str, Any]) -> None:
    """samtranslator only accepts S3 code locations: `functions/x/` becomes `s3://local-code/functions/x`."""
    for resource in template["Resources"].values():
        key = _LOCAL_URI_KEYS.get(resource.get("Type", ""))
        if key is None:
            continue
        props = resource.setdefault("Properties", {})
        uri = props.get(key)
        if uri is None:  # CodeUri may come from Globals
            continue
        if isinstance(uri, str) and not uri.startswith("s3://"):
            props[key] = f"s3://{LOCAL_CODE_BUCKET}/{uri.strip('/') or '.'}"
    globals_fn = template.get("Globals", {}).get("Function", {})
    uri = globals_fn.get("CodeUri")
    if isinstance(uri, str) and not uri.startswith("s3://"):
        globals_fn["CodeUri"] = f"s3://{LOCAL_CODE_BUCKET}/{uri.strip('/') or '.'}"


class _OfflinePolicyLoader:
    """samtranslator asks IAM for managed-policy ARNs; offline we build them from their names."""

    def load(self) -> dict[str, str]:
        return {}


def translate(sam_template: dict[str, Any], region: str) -> dict[str, Any]:
    """The SAM template as the plain CloudFormation `sam deploy` would submit (code URIs point at S3)."""
    from samtranslator.translator.transform import transform

    template = copy.deepcopy(sam_template)
    _point_code_at_local_bucket(template)
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region  # samtranslator reads the region from a boto session
    try:
        translated: dict[str, Any] = transform(template, {}, _OfflinePolicyLoader())
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
    return translated


def local_path(code: Mapping[str, Any], root: Path) -> Path:
    """`{"S3Bucket": "local-code", "S3Key": "functions/x"}` → `<root>/functions/x`."""
    if code.get("S3Bucket") != LOCAL_CODE_BUCKET:
        raise TemplateError(f"code location {code} is not a local path")
    return (root / str(code["S3Key"])).resolve()


_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")


class Intrinsics:
    """Resolves Ref, GetAtt, Sub, Join, Select, Split, If, FindInMap, conditions; for env vars and wiring."""

    def __init__(
        self,
        template: Mapping[str, Any],
        parameters: Mapping[str, str],
        ref: Callable[[str], str],
        get_att: Callable[[str, str], str],
        region: str,
        stack_name: str,
    ) -> None:
        self.template = template
        self.parameters = dict(parameters)
        self._ref = ref
        self._get_att = get_att
        self.pseudo = {
            "AWS::Region": region,
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{region}:{ACCOUNT_ID}:stack/{stack_name}/local",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": "",
        }
        self._conditions: dict[str, bool] = {}

    def ref(self, name: str) -> Any:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self._ref(name)

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            self._conditions[name] = bool(self.resolve(self.template.get("Conditions", {})[name]))
        return self._conditions[name]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value if not _is_no_value(item)]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                logical, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
                return self._get_att(logical, attribute)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                delimiter, items = arg
                return str(delimiter).join(str(item) for item in self.resolve(items))
            if key == "Fn::Select":
                index, items = arg
                return self.resolve(items)[int(self.resolve(index))]
            if key == "Fn::Split":
                delimiter, text = arg
                return str(self.resolve(text)).split(delimiter)
            if key == "Fn::If":
                name, when_true, when_false = arg
                return self.resolve(when_true if self.condition(name) else when_false)
            if key == "Fn::Equals":
                left, right = (self.resolve(item) for item in arg)
                return str(left) == str(right)
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(item) for item in arg)
            if key == "Fn::Or":
                return any(self.resolve(item) for item in arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::FindInMap":
                name, top, second = (self.resolve(item) for item in arg)
                return self.template["Mappings"][name][top][second]
            if key == "Fn::Base64":
                import base64

                return base64.b64encode(str(self.resolve(arg)).encode()).decode()
            if key == "Fn::ImportValue":
                raise TemplateError("Fn::ImportValue needs another stack; the local stack has only this one")
        return {key: self.resolve(item) for key, item in value.items() if not _is_no_value(item)}

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            if name in variables:
                return str(variables[name])
            if "." in name and name.split(".", 1)[0] not in self.pseudo:
                logical, attribute = name.split(".", 1)
                return str(self._get_att(logical, attribute))
            return str(self.ref(name))

        return _SUB_VAR.sub(replace, text).replace("${!", "${")


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and value == {"Ref": "AWS::NoValue"}


def parameter_values(template: Mapping[str, Any], overrides: Mapping[str, str]) -> dict[str, str]:
    """Each parameter's value: the override, else its Default; a parameter with neither is an error."""
    values: dict[str, str] = {}
    for name, spec in template.get("Parameters", {}).items():
        if name in overrides:
            values[name] = str(overrides[name])
        elif "Default" in spec:
            default = spec["Default"]
            values[name] = ",".join(map(str, default)) if isinstance(default, list) else str(default)
        else:
            raise TemplateError(f"parameter {name} has no Default: pass a value for it")
    return values
