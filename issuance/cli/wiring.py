"""The command line's composition root: the one place its commands obtain devices."""

from __future__ import annotations

from issuance.ports.devices import DeviceFactory


def command_devices() -> DeviceFactory:
    from devices.factory import product_devices  # loaded by the commands that use a device

    return product_devices()
