"""Client of the SMS / e-mail gateway, with mobile numbers of any country in E.164."""

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

# Albanian mobiles: 10 digits, 06 then the operator digit 6-9 (066, 067, 068, 069). ASCII
# digits only: `\d` would take other scripts' digits too.
_DOMESTIC = re.compile(r"06[6-9][0-9]{7}")
# E.164: a country code (never starting with 0) and the subscriber's number, 8 to 15 digits.
_INTERNATIONAL = re.compile(r"[1-9][0-9]{7,14}")
_SEPARATORS = re.compile(r"[ \t.\-()/]")
# Longer input is refused before any work: no formatting makes 15 digits this long.
_MAX_INPUT = 40
# The contract's pattern; explicit characters, as `\s` differs between regex dialects.
_EMAIL = re.compile(r"^[^@ \t\r\n]{1,64}@[^@ \t\r\n]+\.[^@ \t\r\n]{2,}$")


def normalise_mobile(number: str) -> str:
    """The number in E.164 form (`+` and 8-15 digits); raises InvalidMobileNumber.

    Albanian mobiles as `06X XXX XXXX`, `+355 6X XXX XXXX` or `00355 6X…` become
    `+3556XXXXXXXX` (and an Albanian number must be a mobile); a number of any other country
    is given with its country code, as `+CC…` or `00CC…`. Spaces, dots, dashes, slashes and
    brackets between the digits are ignored.
    """
    if not isinstance(number, str) or len(number) > _MAX_INPUT:
        raise InvalidMobileNumber()
    digits = _SEPARATORS.sub("", number.strip())
    if _DOMESTIC.fullmatch(digits):
        return "+355" + digits[1:]
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    else:
        raise InvalidMobileNumber()
    if not _INTERNATIONAL.fullmatch(digits):
        raise InvalidMobileNumber()
    if digits.startswith("355") and not _DOMESTIC.fullmatch("0" + digits[3:]):
        raise InvalidMobileNumber()
    return "+" + digits


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
