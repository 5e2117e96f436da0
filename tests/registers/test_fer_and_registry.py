from __future__ import annotations

import datetime as dt
import unicodedata

import httpx
import pytest

from issuance.identity.nid import compose as foreigner_nid
from issuance.integrations import BiographicData, CivilRegistryClient, PersonData
from issuance.integrations.errors import (
    PermitExpired,
    PermitHolderHasCard,
    PermitNotFound,
    PermitRevoked,
    PersonConflict,
    PersonNotFound,
)
from issuance.sandbox import Sandbox, SandboxConfig
from issuance.sandbox.seed import NFD_PERMIT

from .conftest import API_KEY, config


def person_from(record) -> PersonData:
    return PersonData(
        BiographicData(
            first_name=record.given_names, last_name=record.surname,
            date_of_birth=record.birth_date, gender=record.sex,
            nationality=record.nationality, father_name=record.father_name,
            mother_name=record.mother_name, place_of_birth=record.place_of_birth,
            passport_number=record.passport_number, address=record.address_in_albania,
        ),
        permit_number=record.permit_number, document_number="RA1234567", office="TIR",
        enrollment_date=dt.date(2024, 5, 2),
    )


def test_permit_by_number_keeps_every_field(fer):
    record = fer.by_permit("rp20240001")
    assert record.surname == "Çela" and record.given_names == "Ëndrit"
    assert (record.father_name, record.mother_name) == ("Agron", "Drita")
    assert (record.sex, record.birth_date, record.place_of_birth) == \
        ("M", dt.date(1990, 4, 12), "Prishtinë")
    assert (record.nationality, record.passport_number) == ("RKS", "P01234567")
    assert record.address_in_albania == "Rr. Myslym Shyri 12, Tiranë"
    assert record.status == "VALID" and record.valid_until > dt.date.today() >= record.valid_from
    assert record.nid is None and record.holds_valid_card is False


def test_permit_by_passport_and_nationality(fer):
    record = fer.by_passport("PAB123456", "ESP")
    assert (record.given_names, record.surname) == ("María José", "García López")
    german = fer.by_passport("C01X00T47", "D")
    assert (german.nationality, german.surname, german.given_names) == ("D<<", "Müller", "Jürgen")


def test_permit_with_nid(fer):
    record = fer.by_permit("RP20240002")
    assert record.nid == foreigner_nid(dt.date(1988, 11, 2), "F", 2)
    assert record.nid[2:4] == "91"  # November + 80: a female foreigner


def test_unknown_permit_and_passport(fer):
    with pytest.raises(PermitNotFound):
        fer.by_permit("RP99999999")
    with pytest.raises(PermitNotFound):
        fer.by_passport("PAB123456", "ITA")  # right passport, wrong nationality
    with pytest.raises(PermitNotFound):
        fer.by_permit("x")


def test_expired_revoked_and_carded_permits_are_refused(fer):
    with pytest.raises(PermitExpired) as expired:
        fer.by_permit("RP20240028")
    assert "skaduar" in expired.value.message("sq")
    with pytest.raises(PermitRevoked):
        fer.by_permit("RP20240031")
    with pytest.raises(PermitHolderHasCard):
        fer.by_permit("RP20240004")
    # The record itself stays readable, e.g. for the supervisor's duplicate check.
    assert fer.by_permit("RP20240028", require_eligible=False).status == "EXPIRED"
    assert fer.by_permit("RP20240031", require_eligible=False).status == "REVOKED"


def test_names_are_handed_on_in_nfc(fer, sandbox):
    stored = next(p for p in sandbox.fer.permits() if p.permit_number == NFD_PERMIT)
    assert stored.given_names != unicodedata.normalize("NFC", stored.given_names)
    record = fer.by_permit(NFD_PERMIT)
    assert record.given_names == "Ëmira"
    assert record.given_names.encode() == "\u00cbmira".encode()


def test_names_round_trip_byte_exact_from_fer_to_civil_registry(fer, registry):
    for permit in ("RP20240001", "RP20240027", "RP20240003", "RP20240004"):
        record = fer.by_permit(permit, require_eligible=False)
        nid = foreigner_nid(record.birth_date, record.sex, 500)
        created = registry.create_person(nid, person_from(record), f"key-{permit}")
        back = registry.get_person(nid)
        for got in (created.biographic, back.biographic):
            assert got.first_name.encode() == record.given_names.encode()
            assert got.last_name.encode() == record.surname.encode()
            assert got.father_name.encode() == record.father_name.encode()
            assert unicodedata.is_normalized("NFC", got.first_name)
        assert back.raw["identities"][0]["contextualData"]["residencePermitNumber"] == permit


def test_create_is_idempotent(fer, registry, sandbox):
    record = fer.by_permit("RP20240005")
    nid = foreigner_nid(record.birth_date, record.sex, 601)
    before = sandbox.civil_registry.person_count()
    first = registry.create_person(nid, person_from(record), "idem-0000601")
    again = registry.create_person(nid, person_from(record), "idem-0000601")
    other_key = registry.create_person(nid, person_from(record), "idem-0000602")
    no_key = registry.create_person(nid, person_from(record))
    assert first.created and not again.created and not other_key.created and not no_key.created
    assert first.raw == again.raw == other_key.raw == no_key.raw
    assert sandbox.civil_registry.person_count() == before + 1


def test_same_nid_with_other_data_is_a_conflict(fer, registry):
    record = fer.by_permit("RP20240006")
    nid = foreigner_nid(record.birth_date, record.sex, 602)
    registry.create_person(nid, person_from(record))
    changed = person_from(record)
    changed = PersonData(BiographicData(**{**changed.biographic.__dict__,
                                           "first_name": "Nikolaos Jr"}))
    with pytest.raises(PersonConflict) as err:
        registry.create_person(nid, changed, "conflict-0001")
    assert "numër personal" in err.value.message("sq")
    assert registry.get_person(nid).biographic.first_name == "Nikolaos"


def test_unknown_person(registry):
    with pytest.raises(PersonNotFound):
        registry.get_person("J00101999W")


def test_post_with_idempotency_key(sandbox):
    body = person_from_dict("I53314070A")
    url = sandbox.url("civil-registry") + "/persons"
    headers = {"X-API-Key": API_KEY, "Idempotency-Key": "post-key-0001"}
    first = httpx.post(url, json=body, headers=headers)
    again = httpx.post(url, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    reused = httpx.post(url, json={**body, "personId": "I53314071B"}, headers=headers)
    assert reused.status_code == 409 and reused.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    missing_key = httpx.post(url, json=body, headers={"X-API-Key": API_KEY})
    assert missing_key.status_code == 400


def person_from_dict(nid: str) -> dict:
    return {"personId": nid, "identities": [{"status": "VALID", "biographicData": {
        "firstName": "Ëndrit", "lastName": "Çela", "dateOfBirth": "1985-03-14",
        "gender": "M", "nationality": "RKS"}}]}


def test_persons_survive_a_restart_with_a_store(tmp_path, fer):
    store = str(tmp_path / "registry.sqlite")
    record = fer.by_permit("RP20240007")
    nids = [foreigner_nid(record.birth_date, record.sex, n) for n in (1, 2, 3)]
    with Sandbox(SandboxConfig(civil_registry_store=store, seed_demo_data=False)) as sb:
        with CivilRegistryClient(config(sb, "civil-registry", api_key=None)) as client:
            for nid in nids:
                client.create_person(nid, person_from(record), f"store-{nid}")
    with Sandbox(SandboxConfig(civil_registry_store=store, seed_demo_data=False)) as sb:
        assert sb.civil_registry.person_count() == 3
        with CivilRegistryClient(config(sb, "civil-registry", api_key=None)) as client:
            again = client.create_person(nids[0], person_from(record), f"store-{nids[0]}")
            assert not again.created
            assert client.get_person(nids[2]).biographic.first_name == "Ayşe"
        assert sb.civil_registry.person_count() == 3
