"""Timings of the SBI client against the simulator over loopback HTTP.

Run: .venv/bin/python bench/sbi_capture.py
"""

from __future__ import annotations

import statistics
import time

from devices.fingerprint.sbi_client import SbiScanner, discover
from devtools.sbi_simulator import synthetic
from devtools.sbi_simulator.server import SbiSimulator
from issuance.ports.fingerprint_images import png_bytes
from issuance.ports.fingerprint_model import CaptureRequest, Slap


def report(label: str, fn, repeat: int = 5) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label}: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms")


def main() -> None:
    started = time.perf_counter()
    image = synthetic.render_finger(99, "Left IndexFinger")
    first = (time.perf_counter() - started) * 1000
    print(f"synthetic finger, first render (ridge growth): {first:.0f} ms")
    report(
        "synthetic finger, cached render",
        lambda: synthetic.render_finger(99, "Left IndexFinger", 1),
    )
    report("quality estimate", lambda: synthetic.estimate_quality(image))
    report("PNG 500 ppi encode", lambda: png_bytes(image))
    with SbiSimulator(port_range=(4501, 4600), capture_delay_s=0.0) as sim:
        report("discovery over 100 ports", lambda: discover(ports=range(4501, 4601)), repeat=3)
        with SbiScanner(sim.url) as scanner:
            report("device info", scanner.device_info)
            for slap in Slap:
                request = CaptureRequest.for_slap(slap)
                scanner.capture(request).result()  # grow this slap's ridges once
                label = f"capture {slap.name} slap ({len(slap.fingers)} fingers, cached ridges)"
                report(label, lambda r=request: scanner.capture(r).result())


if __name__ == "__main__":
    main()
