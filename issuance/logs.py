"""Logging set-up for the desk and the servers: no personal data in the logs.

httpx and httpcore log every request line at INFO, and the registers' URLs carry NIDs, coupon
codes and permit numbers (``PUT /persons/J03412001D``); they are kept to warnings.
"""

from __future__ import annotations

import logging

QUIET = ("httpx", "httpcore")


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
