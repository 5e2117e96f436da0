"""``issuance card verify``: read a card through BAC and check everything it holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from asn1crypto import x509

from issuance.chip.bac import BacKey
from issuance.chip.errors import ChipContentMalformed
from issuance.chip.lds import HolderDetails, read_dg1_mrz, read_dg2_face, read_dg11
from issuance.chip.signing import load_certificate
from issuance.chip.station import open_card_station
from issuance.chip.verification import Check, passive_authentication
from issuance.ports.devices import DEFAULT_CARD_TIMEOUT, DeviceFactory


@dataclass(frozen=True)
class VerificationReport:
    """What the chip holds and how each check went, ready to print."""

    reader: str
    mrz: str
    holder: HolderDetails | None
    face_width: int
    face_height: int
    face_bytes: int
    checks: tuple[Check, ...]
    apdu_count: int

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    def lines(self) -> list[str]:
        mrz = [self.mrz[i : i + 30] for i in range(0, len(self.mrz), 30)]
        out = [f"Reader: {self.reader}", "DG1 MRZ:"] + [f"  {line}" for line in mrz]
        if self.holder:
            out += [
                f"DG11 full name: {self.holder.full_name}",
                f"DG11 personal number: {self.holder.personal_number}",
                f"DG11 place of birth: {self.holder.place_of_birth}",
                f"DG11 address: {self.holder.address}",
            ]
        out.append(f"DG2 face: {self.face_width}x{self.face_height} JPEG, {self.face_bytes} bytes")
        out += [f"[{'PASS' if c.passed else 'FAIL'}] {c.name}: {c.detail}" for c in self.checks]
        out.append(f"Result: {'VALID' if self.passed else 'INVALID'} ({self.apdu_count} APDUs)")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def verify_card(
    devices: DeviceFactory,
    reader_spec: str,
    document_number: str,
    birth_date: date | str,
    expiry_date: date | str,
    csca_cert: Path | bytes | x509.Certificate,
    card_timeout: float = DEFAULT_CARD_TIMEOUT,
) -> VerificationReport:
    """Read the card in ``reader_spec`` through BAC and verify it against ``csca_cert``.

    Raises BacAuthenticationFailed when the MRZ data does not open the chip.
    """
    anchor = load_certificate(csca_cert)
    key = BacKey.of(document_number, birth_date, expiry_date)
    with open_card_station(devices, reader_spec, card_timeout) as station:
        contents = station.read_chip(key)
    checks = passive_authentication(contents.data_groups, contents.sod, anchor)
    mrz, holder, face = "", None, None
    try:
        mrz = read_dg1_mrz(contents.data_groups[1])
        holder = read_dg11(contents.data_groups[11]) if 11 in contents.data_groups else None
        face = read_dg2_face(contents.data_groups[2])
        checks.append(Check("LDS structure", True, "DG1, DG2 and DG11 parse"))
    except (ChipContentMalformed, KeyError) as exc:
        checks.append(Check("LDS structure", False, f"cannot parse the data groups ({exc})"))
    mrz_key_ok = mrz[5:14] == key.document_number
    checks.append(
        Check(
            "DG1 document number",
            mrz_key_ok,
            "matches the access key" if mrz_key_ok else "differs from the access key",
        )
    )
    return VerificationReport(
        reader=reader_spec,
        mrz=mrz,
        holder=holder,
        face_width=face.width if face else 0,
        face_height=face.height if face else 0,
        face_bytes=len(face.jpeg) if face else 0,
        checks=tuple(checks),
        apdu_count=contents.apdu_count,
    )
