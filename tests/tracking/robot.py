"""A WeCom/DingTalk-like robot receiver: a real HTTP server on 127.0.0.1 recording what it is sent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Robot:
    def __init__(self, fail: int = 0) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail
        robot = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if robot.fail > 0:
                    robot.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                robot.posts.append((self.path, body))
                out = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        return [b["text"]["content"] for _, b in self.posts if "text" in b and isinstance(b["text"], dict)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
