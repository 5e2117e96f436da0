from __future__ import annotations

import pytest

from issuance.delivery.clients import normalise_mobile
from issuance.delivery.clients.errors import (
    InvalidEmailAddress,
    InvalidMobileNumber,
    MessageKeyReused,
)


@pytest.mark.parametrize("raw", ["0691234567", "069 123 4567", "+355 69 123 4567",
                                 "00355691234567", "068-123-4567"])
def test_albanian_mobile_forms_are_accepted(raw):
    assert normalise_mobile(raw) in ("+355691234567", "+355681234567")


@pytest.mark.parametrize("raw", ["0651234567", "069123456", "06912345678", "0421234567",
                                 "+355421234567", "+39 347 1234567", "", "069abc4567"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(InvalidMobileNumber):
        normalise_mobile(raw)


def test_sms_is_sent_once_per_key(notifier, sandbox):
    before = len(sandbox.notifications.sent())
    first = notifier.send_sms("067 765 4321", "Karta juaj e qëndrimit është gati.", "sms-key-0001")
    again = notifier.send_sms("0677654321", "Karta juaj e qëndrimit është gati.", "sms-key-0001")
    assert (first.repeated, again.repeated) == (False, True)
    assert first.message_id == again.message_id and first.channel == "SMS"
    sent = sandbox.notifications.sent()[before:]
    assert [(m.to, m.text) for m in sent] == \
        [("+355677654321", "Karta juaj e qëndrimit është gati.")]


def test_key_reused_for_another_message(notifier):
    notifier.send_sms("0691112233", "Teksti i parë", "sms-key-0002")
    with pytest.raises(MessageKeyReused):
        notifier.send_sms("0691112233", "Tjetër tekst", "sms-key-0002")


def test_invalid_mobile_is_refused_before_sending(notifier, sandbox):
    before = len(sandbox.notifications.sent())
    with pytest.raises(InvalidMobileNumber) as err:
        notifier.send_sms("0441234567", "x", "sms-key-0003")
    assert "06X" in err.value.message("sq")
    assert len(sandbox.notifications.sent()) == before


def test_email(notifier, sandbox):
    notice = notifier.send_email("maria.garcia@example.com", "Karta është gati",
                                 "Mund ta tërhiqni kartën.", "mail-key-0001")
    assert notice.channel == "EMAIL" and not notice.repeated
    assert sandbox.notifications.sent()[-1].subject == "Karta është gati"
    with pytest.raises(InvalidEmailAddress):
        notifier.send_email("not-an-address", "s", "t", "mail-key-0002")
