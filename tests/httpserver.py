"""A real HTTP server on loopback that replays recorded API responses to the fetchers."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Replay:
    """Route (method, path) to a function(query, body) → (status, bytes, content type)."""

    def __init__(self):
        self.routes = {}
        self.log = []

    def add(self, method, path, func):
        self.routes[(method, path)] = func

    def __enter__(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                replay.log.append((method, parts.path, parse_qs(parts.query), body))
                func = replay.routes.get((method, parts.path))
                status, payload, ctype = func(parse_qs(parts.query), body) if func else (404, b"not found", "text/plain")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
