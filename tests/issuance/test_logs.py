"""The desk's logging never writes the registers' URLs, which carry NIDs and coupon codes."""

from __future__ import annotations

import http.server
import logging
import threading

import httpx

from issuance import logs


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_request_urls_with_a_nid_stay_out_of_the_log():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *logs.QUIET)}
    root.addHandler(handler)
    try:
        logs.configure()
        root.setLevel(logging.INFO)
        logging.getLogger("issuance.test").info("desk started")
        httpx.get(f"http://127.0.0.1:{server.server_port}/persons/J03412001D")
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        server.shutdown()
    messages = [r.getMessage() for r in records]
    assert "desk started" in messages  # the desk's own INFO lines still arrive
    assert not any("J03412001D" in m for m in messages)
