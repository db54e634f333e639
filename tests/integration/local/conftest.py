"""A tiny SAM app written to a tmp dir: one function per trigger kind, run by the local stack."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.local.runtime import Invocation
from tests.local.stack import LocalStack

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  TickSchedule:
    Type: String
    Default: rate(1 hour)
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        WORK_QUEUE_URL: !Ref WorkQueue
        POWERTOOLS_SERVICE_NAME: wiring
        ALERT_TOPIC_ARN: !Ref AlertTopic
        SECRET_ARN: !Ref ApiKeySecret
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
      TimeToLiveSpecification: {AttributeName: expires_at, Enabled: true}
  WorkDeadLetterQueue:
    Type: AWS::SQS::Queue
  WorkQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 1
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt WorkDeadLetterQueue.Arn
        maxReceiveCount: 2
  StreamFailureQueue:
    Type: AWS::SQS::Queue
  AlertTopic:
    Type: AWS::SNS::Topic
  AlertEmail:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref AlertTopic
      Protocol: email
      Endpoint: oncall@example.com
  ApiKeySecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        SecretStringTemplate: '{"user": "local"}'
        GenerateStringKey: password
  Shared:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared
  TickFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/tick/
      Handler: app.lambda_handler
      Layers: [!Ref Shared]
      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: !Ref TickSchedule
  WorkerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/worker/
      Handler: app.lambda_handler
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt WorkQueue.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
  StreamFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/stream/
      Handler: app.lambda_handler
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 10
            MaximumRetryAttempts: 1
            BisectBatchOnFunctionError: true
            FunctionResponseTypes: [ReportBatchItemFailures]
            FilterCriteria:
              Filters:
                - Pattern: '{"dynamodb": {"Keys": {"sk": {"S": [{"prefix": "REVIEW#"}]}}}}'
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt StreamFailureQueue.Arn
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/api/
      Handler: app.lambda_handler
      Events:
        GetItem:
          Type: Api
          Properties: {Path: '/items/{item_id}', Method: get}
        PostItem:
          Type: Api
          Properties: {Path: /items, Method: post}
  HttpFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/http/
      Handler: app.lambda_handler
      Events:
        GetThing:
          Type: HttpApi
          Properties: {Path: '/v2/things/{thing_id}', Method: get}
"""

FUNCTIONS = {
    "layers/shared/shared.py": """
        GREETING = "hello from the layer"
    """,
    "functions/tick/app.py": """
        import os
        from aws_lambda_powertools import Logger
        from shared import GREETING

        logger = Logger()

        def lambda_handler(event, context):
            logger.info("tick", extra={"table": os.environ["TABLE_NAME"], "greeting": GREETING})
            return {"source": event["source"], "remaining_ms": context.get_remaining_time_in_millis()}
    """,
    "functions/worker/app.py": """
        def lambda_handler(event, context):
            failed = [r["messageId"] for r in event["Records"] if "fail" in r["body"]]
            return {"batchItemFailures": [{"itemIdentifier": m} for m in failed]}
    """,
    "functions/stream/app.py": """
        def lambda_handler(event, context):
            failures = []
            for record in event["Records"]:
                image = record["dynamodb"].get("NewImage", {})
                if image.get("text", {}).get("S") == "boom":
                    raise RuntimeError("cannot digest " + record["dynamodb"]["Keys"]["sk"]["S"])
                if image.get("text", {}).get("S") == "partial":
                    failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
            return {"batchItemFailures": failures}
    """,
    "functions/http/app.py": """
        def lambda_handler(event, context):
            return {"version": event["version"], "route": event["routeKey"],
                    "thing": event["pathParameters"]["thing_id"], "q": event.get("queryStringParameters")}
    """,
    "functions/api/app.py": """
        import base64, json

        def lambda_handler(event, context):
            if event["httpMethod"] == "POST":
                body = event["body"]
                if event["isBase64Encoded"]:
                    body = base64.b64decode(body).hex()
                return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
                        "body": json.dumps({"got": body, "encoded": event["isBase64Encoded"]})}
            item = event["pathParameters"]["item_id"]
            if item == "crash":
                raise ValueError("no such thing")
            return {
                "statusCode": 200,
                "headers": {"Content-Type": "application/json", "X-Item": item},
                "body": json.dumps({
                    "item": item,
                    "q": event["queryStringParameters"],
                    "multi": event["multiValueQueryStringParameters"],
                    "resource": event["resource"],
                    "stage": event["requestContext"]["stage"],
                }),
            }
    """,
}


class Recorder:
    """Every invocation the stack makes, to wait on and assert against."""

    def __init__(self) -> None:
        self.invocations: list[Invocation] = []
        self.logs: list[dict[str, Any]] = []

    def __call__(self, kind: str, payload: Any) -> None:
        if kind == "invoked":
            self.invocations.append(payload)
        elif kind == "log":
            self.logs.append(payload[1])

    def of(self, function_suffix: str) -> list[Invocation]:
        return [i for i in list(self.invocations) if i.function.endswith(function_suffix)]


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout:.1f} s")


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wiring-app")
    (root / "template.yaml").write_text(TEMPLATE)
    for relative, source in FUNCTIONS.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def stack(app_dir: Path, recorder: Recorder) -> Iterator[LocalStack]:
    local = LocalStack(
        app_dir,
        stack_name=f"wiring-{int(time.time() * 1000) % 10**8}",
        schedule_every=0.5,
        first_schedule_delay=0.2,
        stream_poll_interval=0.05,
    )
    local.listen(recorder)
    local.start()
    yield local
    local.stop()
