"""A real HTTP server on loopback standing in for a property system's webhook (or an SMS provider)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Records every request; `answers` is a list of status codes to give in turn (then 200)."""

    def __init__(self, handler: Callable[[Receiver, str, str, dict[str, str], bytes], tuple[int, bytes]] | None = None):
        self.requests: list[dict[str, Any]] = []
        self.answers: list[int] = []
        self.handler = handler
        self.lock = threading.Lock()
        outer = self

        class H(BaseHTTPRequestHandler):
            def _any(self) -> None:
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n) if n else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with outer.lock:
                    outer.requests.append({"method": self.command, "path": self.path, "headers": headers, "body": body})
                    status = outer.answers.pop(0) if outer.answers else 200
                out = b'{"ok":true}'
                if outer.handler is not None:
                    status, out = outer.handler(outer, self.command, self.path, headers, body)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_POST = _any
            do_GET = _any

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> Receiver:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(r["body"]) for r in self.requests if r["body"].startswith(b"{")]
