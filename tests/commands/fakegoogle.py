"""A stand-in for Google's token, Drive, Docs and picture servers on 127.0.0.1, for `nutgraf pull`'s tests: it
answers the requests google-api-python-client makes (a batch of Drive files.get, Docs documents.get) as the
published APIs do, and a service account's key file whose token_uri points at it, so no test reaches a network."""

from __future__ import annotations

import email.parser
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TOKEN = "fake-access-token"
ACCOUNT = "nutgraf-pull@newsroom.iam.gserviceaccount.com"
DOC_TYPE = "application/vnd.google-apps.document"


@dataclass
class FakeGoogle:
    """Documents (by id, as Docs JSON), their Drive versions and types, refusals by id, pictures by name, and
    every request seen (method and path)."""

    url: str = ""
    documents: dict[str, dict] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # id: HTTP status for both APIs
    pictures: dict[str, bytes] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def put(self, document: dict) -> None:
        """Add or edit a document: its Drive version grows, as it does at Google."""
        doc_id = document["documentId"]
        self.documents[doc_id] = document
        self.versions[doc_id] = self.versions.get(doc_id, 0) + 1

    def fetched(self) -> list[str]:
        """The documents fetched with documents.get, in order."""
        return [path.rsplit("/", 1)[1] for path in self.seen if path.startswith("GET /v1/documents/")]

    def file(self, doc_id: str) -> tuple[int, dict]:
        if doc_id in self.refused:
            return self.refused[doc_id], _error(self.refused[doc_id])
        if doc_id not in self.documents:
            return 404, _error(404)
        return 200, {"id": doc_id, "name": self.documents[doc_id].get("title", ""),
                     "mimeType": self.types.get(doc_id, DOC_TYPE), "version": str(self.versions[doc_id])}


def _error(status: int) -> dict:
    reason = {403: "PERMISSION_DENIED", 404: "NOT_FOUND"}.get(status, "INTERNAL")
    return {"error": {"code": status, "message": f"fake {reason}", "status": reason}}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGoogle

    def log_message(self, format, *args) -> None:  # noqa: A002 - the quiet tests want no log on stderr
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {TOKEN}":
            return True
        self._send(401, json.dumps(_error(401)).encode())
        return False

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = urlsplit(self.path).path
        self.fake.seen.append(f"POST {path}")
        if path == "/token":  # the service account's signed JWT, exchanged for an access token
            self._send(200, json.dumps({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}).encode())
        elif path == "/batch/drive/v3" and self._authorized():
            self._batch(body)

    def _batch(self, body: bytes) -> None:
        """A multipart/mixed batch of files.get calls, answered part by part."""
        message = email.parser.BytesParser().parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        boundary = "fake-batch-boundary"
        parts = []
        for part in message.get_payload():
            request_line = part.get_payload().splitlines()[0]
            doc_id = unquote(urlsplit(request_line.split()[1]).path.rsplit("/", 1)[1])
            self.fake.seen.append(f"BATCH files.get {doc_id}")
            status, answer = self.fake.file(doc_id)
            content_id = part["Content-ID"].replace("\r", "").replace("\n", "").strip("<>")  # unfolded
            parts.append(f"--{boundary}\r\nContent-Type: application/http\r\n"
                         f"Content-ID: <response-{content_id}>\r\n\r\n"
                         f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\r\n{json.dumps(answer)}\r\n")
        self._send(200, ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/mixed; boundary={boundary}")

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        self.fake.seen.append(f"GET {path}")
        if not self._authorized():
            return
        if path.startswith("/v1/documents/"):
            doc_id = unquote(path.rsplit("/", 1)[1])
            status, _ = self.fake.file(doc_id)
            answer = self.fake.documents[doc_id] if status == 200 else _error(status)
            self._send(status, json.dumps(answer).encode())
        elif path.startswith("/images/") and path[8:] in self.fake.pictures:
            self._send(200, self.fake.pictures[path[8:]], "image/png")
        else:
            self._send(404, b"not found", "text/plain")


def serve(fake: FakeGoogle):
    """Serve `fake` on a free port in a thread; returns the server (shut it down after the test)."""
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def key_file(folder: Path, fake: FakeGoogle) -> Path:
    """A service account's JSON key (a fresh RSA key) whose token_uri is the fake's, as Google's console gives it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path = folder / "service-account.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "newsroom", "private_key_id": "k1", "private_key": pem,
        "client_email": ACCOUNT, "client_id": "1", "token_uri": f"{fake.url}/token"}), encoding="utf-8")
    return path
