"""EF.SOD: the Document Security Object (ICAO 9303 part 10, 4.6.2).

A CMS SignedData whose encapsulated content is the LDSSecurityObject — the SHA-256 hash of
every data group — signed by the Document Signer, whose certificate travels inside.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import algos, cms, core, x509

from issuance.chip.errors import ChipContentMalformed
from issuance.chip.signing import DocumentSigner
from issuance.chip.tlv import single, tlv

LDS_SECURITY_OBJECT_OID = "2.23.136.1.1.1"
SOD_TAG = 0x77


class DataGroupHash(core.Sequence):
    _fields = [
        ("data_group_number", core.Integer),
        ("data_group_hash_value", core.OctetString),
    ]


class DataGroupHashValues(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [("lds_version", core.PrintableString), ("unicode_version", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("hash_algorithm", algos.DigestAlgorithm),
        ("data_group_hash_values", DataGroupHashValues),
        ("lds_version_info", LdsVersionInfo, {"optional": True}),
    ]


def hash_data_groups(data_groups: dict[int, bytes]) -> dict[int, bytes]:
    return {number: hashlib.sha256(content).digest() for number, content in data_groups.items()}


def _signature_algorithm(certificate: x509.Certificate) -> str:
    # ECDSA for EC keys; RSA keys sign with PKCS#1 v1.5 (see FileDocumentSigner).
    if certificate.public_key.algorithm == "ec":
        return "sha256_ecdsa"
    return "sha256_rsa"


def build_sod(data_groups: dict[int, bytes], signer: DocumentSigner) -> bytes:
    """EF.SOD (tag 77) over the given data groups, signed by ``signer``."""
    security_object = LdsSecurityObject(
        {
            # Version 0: LDS 1.7 (EF.COM says 0107); version 1 is for LDS 1.8.
            "version": 0,
            "hash_algorithm": {"algorithm": "sha256"},
            "data_group_hash_values": [
                {"data_group_number": number, "data_group_hash_value": digest}
                for number, digest in sorted(hash_data_groups(data_groups).items())
            ],
        }
    ).dump()
    signed_attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": [LDS_SECURITY_OBJECT_OID]},
            {"type": "message_digest", "values": [hashlib.sha256(security_object).digest()]},
        ]
    )
    certificate = signer.certificate
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": certificate.issuer, "serial_number": certificate.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": signed_attrs,
            "signature_algorithm": {"algorithm": _signature_algorithm(certificate)},
            "signature": signer.sign(signed_attrs.dump()),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {
                "content_type": LDS_SECURITY_OBJECT_OID,
                "content": core.ParsableOctetString(security_object),
            },
            "certificates": [certificate],
            "signer_infos": [signer_info],
        }
    )
    content_info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return tlv(SOD_TAG, content_info.dump())


@dataclass(frozen=True)
class SecurityObject:
    """What a verifier needs from EF.SOD."""

    hashes: dict[int, bytes]
    hash_algorithm: str
    ds_certificate: x509.Certificate
    encapsulated_content: bytes
    signed_attributes: bytes  # DER of the signed attributes as a SET, the signed bytes
    message_digest: bytes
    signature_algorithm: str
    signature: bytes


def parse_sod(sod: bytes) -> SecurityObject:
    """Parse EF.SOD; raises ChipContentMalformed for anything that is not a valid SOD."""
    try:
        content_info = cms.ContentInfo.load(single(sod, SOD_TAG))
        signed_data = content_info["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT_OID:
            raise ChipContentMalformed("the SOD does not hold an LDS security object")
        encapsulated = encap["content"].contents
        lds = LdsSecurityObject.load(encapsulated)
        signer_info = signed_data["signer_infos"][0]
        certificates = [c.chosen for c in signed_data["certificates"]]
        attrs = signer_info["signed_attrs"]
        digest = next(a["values"][0].native for a in attrs if a["type"].native == "message_digest")
        # The signature covers the attributes encoded as a SET, not with the [0] tag they wear.
        signed_bytes = b"\x31" + attrs.dump()[1:]
        return SecurityObject(
            hashes={
                int(h["data_group_number"].native): h["data_group_hash_value"].native
                for h in lds["data_group_hash_values"]
            },
            hash_algorithm=lds["hash_algorithm"]["algorithm"].native,
            ds_certificate=_signer_certificate(certificates, signer_info),
            encapsulated_content=encapsulated,
            signed_attributes=signed_bytes,
            message_digest=digest,
            signature_algorithm=signer_info["signature_algorithm"].signature_algo,
            signature=signer_info["signature"].native,
        )
    except ChipContentMalformed:
        raise
    except (ValueError, TypeError, KeyError, IndexError, StopIteration) as exc:
        raise ChipContentMalformed(f"the SOD cannot be parsed ({type(exc).__name__})") from exc


def _signer_certificate(
    certificates: list[x509.Certificate], signer_info: cms.SignerInfo
) -> x509.Certificate:
    sid = signer_info["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if certificate.serial_number == wanted["serial_number"].native and (
                # Same DER is the common case and cheap; else compare names the X.500 way.
                certificate.issuer.dump() == wanted["issuer"].dump()
                or certificate.issuer == wanted["issuer"]
            ):
                return certificate
        elif certificate.key_identifier == sid.chosen.native:
            return certificate
    raise ChipContentMalformed("the SOD does not carry its Document Signer certificate")
