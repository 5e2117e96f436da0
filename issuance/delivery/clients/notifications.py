"""Client of the SMS / e-mail gateway, with Albanian mobile number validation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from issuance.delivery.clients.errors import (
    InvalidEmailAddress,
    InvalidMobileNumber,
    MalformedResponse,
    MessageKeyReused,
)
from issuance.delivery.clients.http import Answer, ServiceClient

# Albanian mobiles: 10 digits, 06 then the operator digit 6-9 (066, 067, 068, 069).
_DOMESTIC = re.compile(r"^06[6-9]\d{7}$")
# The contract's pattern; explicit characters, as `\s` differs between regex dialects.
_EMAIL = re.compile(r"^[^@ \t\r\n]{1,64}@[^@ \t\r\n]+\.[^@ \t\r\n]{2,}$")


def normalise_mobile(number: str) -> str:
    """The number in international form `+3556XXXXXXXX`; raises InvalidMobileNumber.

    Accepts `06X XXX XXXX`, `+355 6X XXX XXXX` and `00355 6X…`, with spaces, dots or dashes.
    """
    digits = re.sub(r"[\s.\-()]", "", number)
    if digits.startswith("+355"):
        digits = "0" + digits[4:]
    elif digits.startswith("00355"):
        digits = "0" + digits[5:]
    if not _DOMESTIC.match(digits):
        raise InvalidMobileNumber()
    return "+355" + digits[1:]


@dataclass(frozen=True)
class SentNotice:
    message_id: str
    channel: str
    status: str
    repeated: bool  # true when the key was already used for this message


class NotificationClient(ServiceClient):
    service = ("Njoftimet (SMS/e-mail)", "SMS/e-mail notification")
    contract_name = "notification"

    def send_sms(self, mobile: str, text: str, idempotency_key: str) -> SentNotice:
        to = normalise_mobile(mobile)
        answer = self.call("sendSms", "/sms", json={"to": to, "text": text},
                           headers={"Idempotency-Key": idempotency_key})
        return self._notice(answer)

    def send_email(self, address: str, subject: str, text: str,
                   idempotency_key: str) -> SentNotice:
        address = address.strip()
        if len(address) > 254 or not _EMAIL.match(address):
            raise InvalidEmailAddress()
        answer = self.call("sendEmail", "/email",
                           json={"to": address, "subject": subject, "text": text},
                           headers={"Idempotency-Key": idempotency_key})
        return self._notice(answer)

    def _notice(self, answer: Answer) -> SentNotice:
        if answer.status in (200, 202):
            body, repeated = answer.body, answer.status == 200
            return self.parsed(lambda: SentNotice(
                body["messageId"], body["channel"], body["status"], repeated=repeated))
        if answer.status == 409:
            raise MessageKeyReused()
        raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
