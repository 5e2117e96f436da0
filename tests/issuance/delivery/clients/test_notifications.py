from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(("raw", "e164"), [
    ("+39 347 1234567", "+393471234567"),  # Italy
    ("0039 347 123 4567", "+393471234567"),
    ("+1 (212) 555-0123", "+12125550123"),  # United States
    ("+44 7700 900123", "+447700900123"),  # United Kingdom
    ("+86 138 0013 8000", "+8613800138000"),  # China
    ("+383 44 123 456", "+38344123456"),  # Kosovo
    ("00 90 532 123 45 67", "+905321234567"),  # Türkiye
    ("+880.1712.345678", "+8801712345678"),  # Bangladesh
    ("+355 69 123 4567", "+355691234567"),
])  # fmt: skip
def test_numbers_of_any_country_become_e164(raw, e164):
    assert normalise_mobile(raw) == e164


@pytest.mark.parametrize("raw", [
    "0651234567", "069123456", "06912345678", "0421234567", "+355421234567", "", "069abc4567",
    "3471234567",  # no country code
    "+0391234567", "000391234567",  # a country code never starts with 0
    "+1234567",  # 7 digits: too short
    "+1234567890123456",  # 16 digits: too long
    "++39 347 1234567", "+39 347 1234567 ext 2", "+39+3471234567", "+٣٩٣٤٧١٢٣٤٥٦٧",
    "+39 347 1234567" + " " * 40,
])  # fmt: skip
def test_junk_is_refused_with_a_sentence(raw):
    with pytest.raises(InvalidMobileNumber) as refused:
        normalise_mobile(raw)
    assert "06X XXX XXXX" in refused.value.message("sq")
    assert "country code" in refused.value.message("en")


_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_number_or_the_refusal(raw):
    try:
        number = normalise_mobile(raw)
    except InvalidMobileNumber:
        return
    assert _E164.fullmatch(number)
    assert normalise_mobile(number) == number  # normalised once is normalised


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["+", "00"]),
    st.from_regex(r"[1-9][0-9]{7,14}", fullmatch=True),
    st.lists(st.sampled_from([" ", "-", "."]), max_size=3),
)
def test_any_country_code_and_number_is_accepted(prefix, digits, separators):
    raw = prefix + "".join(separators) + digits
    if digits.startswith("355") and not re.fullmatch(r"6[6-9][0-9]{7}", digits[3:]):
        with pytest.raises(InvalidMobileNumber):
            normalise_mobile(raw)
    else:
        assert normalise_mobile(raw) == "+" + digits


def test_sms_is_sent_once_per_key(notifier, sandbox):
    before = len(sandbox.notifications.sent())
    first = notifier.send_sms("067 765 4321", "Karta juaj e qëndrimit është gati.", "sms-key-0001")
    again = notifier.send_sms("0677654321", "Karta juaj e qëndrimit është gati.", "sms-key-0001")
    assert (first.repeated, again.repeated) == (False, True)
    assert first.message_id == again.message_id and first.channel == "SMS"
    sent = sandbox.notifications.sent()[before:]
    assert [(m.to, m.text) for m in sent] == \
        [("+355677654321", "Karta juaj e qëndrimit është gati.")]


def test_a_foreign_mobile_gets_its_sms(notifier, sandbox):
    notice = notifier.send_sms("0044 7700 900 123", "Karta juaj e qëndrimit është gati.",
                               "sms-key-0100")  # fmt: skip
    assert notice.channel == "SMS" and not notice.repeated
    assert sandbox.notifications.sent()[-1].to == "+447700900123"


def test_key_reused_for_another_message(notifier):
    notifier.send_sms("0691112233", "Teksti i parë", "sms-key-0002")
    with pytest.raises(MessageKeyReused):
        notifier.send_sms("0691112233", "Tjetër tekst", "sms-key-0002")


def test_invalid_mobile_is_refused_before_sending(notifier, sandbox):
    before = len(sandbox.notifications.sent())
    with pytest.raises(InvalidMobileNumber) as err:
        notifier.send_sms("0441234567", "x", "sms-key-0003")
    with pytest.raises(InvalidMobileNumber):
        notifier.send_sms("+0044 1234 5678", "x", "sms-key-0003")
    assert "06X" in err.value.message("sq")
    assert len(sandbox.notifications.sent()) == before


def test_email(notifier, sandbox):
    notice = notifier.send_email("maria.garcia@example.com", "Karta është gati",
                                 "Mund ta tërhiqni kartën.", "mail-key-0001")
    assert notice.channel == "EMAIL" and not notice.repeated
    assert sandbox.notifications.sent()[-1].subject == "Karta është gati"
    with pytest.raises(InvalidEmailAddress):
        notifier.send_email("not-an-address", "s", "t", "mail-key-0002")
