"""What the stack sent to people: SNS publishes, direct SMS and SES emails, read from moto's in-process backends.

moto records every notification instead of delivering it; this poller turns new records into events for
the console, so each alert shows up the moment a function publishes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.local.emulator import REGION
from tests.local.template import ACCOUNT_ID


@dataclass(frozen=True)
class Sent:
    channel: str  # "sns" | "sms" | "email"
    to: str  # topic ARN, phone number or recipients
    subject: str | None
    message: str
    attributes: dict[str, Any] | None = None


class Outbox(threading.Thread):
    def __init__(self, on_sent: Callable[[Sent], None], interval: float = 0.5) -> None:
        super().__init__(name="outbox", daemon=True)
        self.on_sent = on_sent
        self.interval = interval
        self.halt = threading.Event()
        self._seen_topics: dict[str, int] = {}
        self._seen_sms: set[str] = set()
        self._seen_email = 0
        self.poll(report=False)  # what happened before we started is not news

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            try:
                self.poll()
            except Exception:  # noqa: S112 - moto stopping; the next poll will tell
                continue

    def stop(self) -> None:
        self.halt.set()

    def poll(self, report: bool = True) -> list[Sent]:
        from moto.ses.models import ses_backends
        from moto.sns.models import sns_backends

        found: list[Sent] = []
        sns = sns_backends[ACCOUNT_ID][REGION]
        for arn, topic in list(sns.topics.items()):
            seen = self._seen_topics.get(arn, 0)
            for _id, message, subject, attributes, _group in topic.sent_notifications[seen:]:
                found.append(Sent("sns", arn, subject, message, attributes))
            self._seen_topics[arn] = len(topic.sent_notifications)
        for message_id, (phone, message) in list(sns.sms_messages.items()):
            if message_id not in self._seen_sms:
                self._seen_sms.add(message_id)
                found.append(Sent("sms", phone, None, message))
        ses = ses_backends[ACCOUNT_ID][REGION]
        for sent in ses.sent_messages[self._seen_email :]:
            recipients = getattr(sent, "destinations", None) or {}
            to = ", ".join(address for group in recipients.values() for address in group)
            body = getattr(sent, "body", None) or getattr(sent, "raw_data", "") or ""
            found.append(Sent("email", to, getattr(sent, "subject", None), str(body)))
        self._seen_email = len(ses.sent_messages)
        if report:
            for item in found:
                self.on_sent(item)
        return found
