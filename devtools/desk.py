"""The desk with the development backends as well (``python -m devtools.desk``): what
``make demo`` runs."""

from __future__ import annotations

import sys

from devtools.backends import development_devices
from ui.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], devices=development_devices()))
