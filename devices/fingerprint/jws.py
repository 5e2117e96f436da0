"""The compact JSON Web Signature (RFC 7515) framing that SBI uses for device data.

The desk only reads the payload: checking the device's certificate chain is the MOSIP
back end's job when the packet is processed, not the enrolment desk's.
"""

from __future__ import annotations

import base64
import json
from typing import Any


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def payload(token: str | dict[str, Any]) -> dict[str, Any]:
    """The JSON payload of a JWS (``header.payload.signature``) or an unsigned base64url blob.

    Some devices put the object inline instead of a token; that is accepted as is.
    """
    if isinstance(token, dict):
        return token
    parts = token.split(".")
    if len(parts) == 3:
        body = parts[1]
    elif len(parts) == 1:
        body = parts[0]
    else:
        raise ValueError("not a compact JWS")
    decoded = json.loads(b64url_decode(body))
    if not isinstance(decoded, dict):
        raise ValueError("JWS payload is not an object")
    return decoded


def header(token: str) -> dict[str, Any]:
    return json.loads(b64url_decode(token.split(".")[0]))
