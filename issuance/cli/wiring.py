"""The command line's composition root: the one place its commands obtain the service context
(settings, database, keys, clock) and devices."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.ports.devices import DeviceFactory


def command_devices() -> DeviceFactory:
    from devices.factory import product_devices  # loaded by the commands that use a device

    return product_devices()


class command_context:  # noqa: N801 - used as ``with command_context(args) as ctx``
    """The context of one command, closed when it ends; it carries the product's devices."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def __enter__(self) -> Context:
        from issuance.bootstrap import bootstrap
        from issuance.config import command_settings

        self.ctx = bootstrap(command_settings(self.args), devices=command_devices())
        return self.ctx

    def __exit__(self, *exc: object) -> None:
        self.ctx.close()
