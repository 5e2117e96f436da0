from __future__ import annotations

import datetime as dt
import json
import unicodedata

import httpx
import pytest

from devtools.standins import Sandbox, SandboxConfig
from devtools.standins.seed import NFD_PERMIT
from issuance.delivery.clients import BiographicData, CivilRegistryClient, PersonData, ServiceConfig
from issuance.delivery.clients.errors import (
    MalformedResponse,
    PermitExpired,
    PermitHolderHasCard,
    PermitNotFound,
    PermitRevoked,
    PersonConflict,
    PersonNotFound,
)
from issuance.domain.identity.nid import compose as foreigner_nid

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


# --- readPersons: the read-back of a batch ----------------------------------------------------


def test_read_persons_answers_each_person_as_get_person_does(fer, registry):
    record = fer.by_permit("RP20240001", require_eligible=False)
    nids = [foreigner_nid(record.birth_date, record.sex, n) for n in (701, 702)]
    for nid in nids:
        registry.create_person(nid, person_from(record))
    unknown = foreigner_nid(record.birth_date, record.sex, 703)
    found = registry.read_persons([nids[1], unknown, nids[0], nids[1]])
    assert set(found) == {*nids, unknown} and found[unknown] is None
    for nid in nids:
        assert found[nid].raw == registry.get_person(nid).raw
        assert found[nid].biographic.last_name.encode() == record.surname.encode()


def test_read_persons_passes_on_an_nfd_answer_byte_for_byte(sandbox, fer, registry):
    record = fer.by_permit("RP20240001", require_eligible=False)
    nid = foreigner_nid(record.birth_date, record.sex, 704)
    registry.create_person(nid, person_from(record))
    nfd = config(sandbox, "civil-registry", extra_headers=(("X-Sandbox-Fail", "nfd"),))
    with CivilRegistryClient(nfd) as decomposing:
        read = decomposing.read_persons([nid])[nid]
    assert read.biographic.last_name == unicodedata.normalize("NFD", "Çela") == "C\u0327ela"
    assert read.biographic.last_name != record.surname


def _answering(answer):
    """A registry client whose readPersons is answered by ``answer(asked NIDs)``."""
    asked = []

    def respond(request: httpx.Request) -> httpx.Response:
        nids = json.loads(request.content)["personIds"]
        asked.append(nids)
        return httpx.Response(200, json=answer(nids))

    client = CivilRegistryClient(ServiceConfig("http://registry.test"),
                                 transport=httpx.MockTransport(respond))  # fmt: skip
    return client, asked


def _stored(nid: str) -> dict:
    return {**person_from_dict(nid), "status": "ACTIVE", "physicalStatus": "ALIVE",
            "identities": [{**person_from_dict(nid)["identities"][0],
                            "identityId": f"{nid}-1"}]}  # fmt: skip


def test_read_persons_asks_at_most_a_hundred_at_a_time():
    nids = [foreigner_nid(dt.date(1960, 1, 1), "F", n) for n in range(1, 251)]
    client, asked = _answering(lambda wanted: {"persons": [_stored(n) for n in wanted],
                                               "notFound": []})  # fmt: skip
    with client:
        found = client.read_persons(nids)
    assert [len(chunk) for chunk in asked] == [100, 100, 50]
    assert [found[n].nid for n in nids] == nids


@pytest.mark.parametrize("answer", [
    lambda wanted: {"persons": [_stored("J00101999W")], "notFound": wanted[1:]},
    lambda wanted: {"persons": [_stored(wanted[0]), _stored(wanted[0])], "notFound": []},
    lambda wanted: {"persons": [], "notFound": wanted[:1]},
], ids=["another-person", "twice", "one-left-out"])  # fmt: skip
def test_read_persons_refuses_an_answer_about_other_persons(answer):
    nids = [foreigner_nid(dt.date(1960, 1, 1), "F", n) for n in (1, 2)]
    client, _ = _answering(answer)
    with client, pytest.raises(MalformedResponse):
        client.read_persons(nids)


def test_read_persons_falls_back_to_one_read_each_where_the_registry_lacks_it():
    held = foreigner_nid(dt.date(1960, 1, 1), "F", 1)
    missing = foreigner_nid(dt.date(1960, 1, 1), "F", 2)
    seen = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.method == "POST":
            return httpx.Response(404, json={"code": "INVALID_REQUEST", "message": "no"})
        if request.url.path.endswith(held):
            return httpx.Response(200, json=_stored(held))
        return httpx.Response(404, json={"code": "PERSON_NOT_FOUND", "message": "none"})

    with CivilRegistryClient(ServiceConfig("http://registry.test"),
                             transport=httpx.MockTransport(respond)) as client:  # fmt: skip
        first = client.read_persons([held, missing])
        again = client.read_persons([held])
    assert first[held].nid == held and first[missing] is None and again[held].nid == held
    assert seen == [("POST", "/persons:read"), ("GET", f"/persons/{held}"),
                    ("GET", f"/persons/{missing}"), ("GET", f"/persons/{held}")]  # fmt: skip
