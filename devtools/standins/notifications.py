"""Stand-in of the SMS / e-mail gateway: records messages instead of sending them."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any

from devtools.standins.server import Reply, Request, error
from issuance.delivery.contracts import Operation


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    channel: str  # SMS | EMAIL
    to: str
    subject: str | None
    text: str

    def to_json(self, status: str) -> dict[str, Any]:
        return {
            "messageId": self.message_id,
            "channel": self.channel,
            "to": self.to,
            "status": status,
        }


class NotificationService:
    contract_name = "notification"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: dict[str, SentMessage] = {}
        self._keys: dict[str, tuple[tuple[str, str, str | None, str], str]] = {}

    def sent(self) -> list[SentMessage]:
        """Every message accepted so far, oldest first."""
        with self._lock:
            return list(self._messages.values())

    def summary(self) -> dict[str, Any]:
        return {"messages": len(self.sent())}

    def handle(self, op: Operation, request: Request) -> Reply:
        if op.operation_id == "getMessage":
            with self._lock:
                message = self._messages.get(request.path_params["messageId"])
            if message is None:
                return error(404, "MESSAGE_NOT_FOUND", "no such message")
            return Reply(200, message.to_json("SENT"))
        body = request.body
        channel = "SMS" if op.operation_id == "sendSms" else "EMAIL"
        content = (channel, body["to"], body.get("subject"), body["text"])
        key = request.headers["idempotency-key"]
        with self._lock:
            if key in self._keys:
                if self._keys[key][0] != content:
                    return error(
                        409,
                        "IDEMPOTENCY_KEY_REUSED",
                        "this Idempotency-Key was used for another message",
                    )
                return Reply(200, self._messages[self._keys[key][1]].to_json("ACCEPTED"))
            message = SentMessage(uuid.uuid4().hex, *content)
            self._messages[message.message_id] = message
            self._keys[key] = (content, message.message_id)
        return Reply(202, message.to_json("ACCEPTED"))
