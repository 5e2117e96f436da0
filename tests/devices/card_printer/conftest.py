"""The printing tests run against the real cupsd with a cups-pdf queue (tests/support/cups.py).
Needs: apt-get install -y cups cups-bsd printer-driver-cups-pdf libcups2-dev poppler-utils
and pip install pycups.
"""

from __future__ import annotations

from tests.support.cups import CupsServer, cups_server, queue_state

__all__ = ["CupsServer", "cups_server", "queue_state"]
