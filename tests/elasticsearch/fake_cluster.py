"""A recording stand-in for the few Elasticsearch endpoints that indexing uses.

It answers like a cluster at the HTTP level (the client's product check included) and
records every request, so tests can check what indexing sends: the index definition, the
bulk lines, the alias switch. It does not search: search semantics need a real cluster.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeCluster:
    def __init__(self):
        self.requests = []  # (method, path, parsed body or None)
        self.aliases = {}  # alias -> set of indices
        self.indices = set()
        self.bulk_failures = {}  # document id -> error status for index actions
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _body(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                if not raw:
                    return None
                if self.path.split("?")[0].endswith("/_bulk"):
                    return [json.loads(line) for line in raw.splitlines() if line.strip()]
                return json.loads(raw)

            def _answer(self, status, payload=None):
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _handle(self):
                body = self._body()
                path = self.path.split("?")[0]
                cluster.requests.append((self.command, path, body))
                status, payload = cluster.respond(self.command, path, body)
                self._answer(status, payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def respond(self, method, path, body):
        parts = [part for part in path.split("/") if part]
        if method in ("POST", "PUT") and parts[-1] == "_bulk":
            return 200, self._bulk(body)
        if method == "HEAD" and parts[0] == "_alias":
            return (200 if parts[1] in self.aliases else 404), None
        if method == "GET" and parts[0] == "_alias":
            if parts[1] not in self.aliases:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {index: {"aliases": {parts[1]: {}}} for index in self.aliases[parts[1]]}
        if method == "POST" and parts == ["_aliases"]:
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                targets = self.aliases.setdefault(spec["alias"], set())
                (targets.discard if kind == "remove" else targets.add)(spec["index"])
            return 200, {"acknowledged": True}
        if method == "PUT" and len(parts) == 3 and parts[1] == "_alias":
            self.aliases.setdefault(parts[2], set()).add(parts[0])
            return 200, {"acknowledged": True}
        if method == "PUT" and len(parts) == 1:
            if parts[0] in self.indices:
                return 400, {
                    "error": {"type": "resource_already_exists_exception"},
                    "status": 400,
                }
            self.indices.add(parts[0])
            return 200, {"acknowledged": True, "index": parts[0]}
        if method == "DELETE" and len(parts) == 1:
            self.indices.discard(parts[0])
            for targets in self.aliases.values():
                targets.discard(parts[0])
            return 200, {"acknowledged": True}
        if method == "POST" and parts[-1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        return 404, {"error": f"unexpected {method} {path}", "status": 404}

    def _bulk(self, lines):
        items, errors = [], False
        position = 0
        while position < len(lines):
            ((kind, meta),) = lines[position].items()
            position += 1 if kind == "delete" else 2
            status = 404 if kind == "delete" else self.bulk_failures.get(str(meta["_id"]), 201)
            item = {"_index": meta["_index"], "_id": meta["_id"], "status": status}
            if status >= 300:
                item["error"] = {"type": "failure", "reason": f"status {status}"}
                errors = errors or kind != "delete"
            items.append({kind: item})
        return {"took": 1, "errors": errors, "items": items}

    # -- what tests look at ----------------------------------------------------------------

    def bulk_lines(self):
        return [
            line for method, path, body in self.requests if path.endswith("/_bulk") for line in body
        ]

    def bulk_actions(self):
        """(action, index, id, source) for every bulk action sent."""
        lines, actions, position = self.bulk_lines(), [], 0
        while position < len(lines):
            ((kind, meta),) = lines[position].items()
            source = None if kind == "delete" else lines[position + 1]
            actions.append((kind, meta["_index"], str(meta["_id"]), source))
            position += 1 if kind == "delete" else 2
        return actions
