"""A package that re-exports names from its submodules without importing them at start.

``issuance.biometrics.photo`` (OpenCV, numpy) and ``issuance.chip`` (cryptography, asn1crypto) are
imported by the command line's light ``command`` submodules; loading what they re-export on
first use keeps ``issuance --help`` fast (PEP 562 module ``__getattr__``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def lazy_exports(
    package: str, exports: dict[str, str], namespace: dict[str, Any], public: Iterable[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``exports`` maps each name to the
    submodule defining it; a name is imported once, then kept in ``namespace``."""

    def __getattr__(name: str) -> object:  # noqa: N807 - the module hook's name
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        namespace[name] = value  # looked up once
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted({*namespace, *public})

    return __getattr__, __dir__
