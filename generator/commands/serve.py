"""Serve: output/ over HTTP on 127.0.0.1 with pretty URLs, the site's 404 page and live reload."""

from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import socket
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import NutgrafError

LIVE_PREFIX = "/__nutgraf/"
EVENTS_PATH = LIVE_PREFIX + "events"
SCRIPT_PATH = LIVE_PREFIX + "live.js"
PING_SECONDS = 10.0

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
         ".svg": "image/svg+xml", ".webp": "image/webp", ".avif": "image/avif", ".txt": "text/plain; charset=utf-8",
         ".woff2": "font/woff2", ".ico": "image/x-icon"}

LIVE_SCRIPT = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """What open pages are told after a build: reload, swap stylesheets, or show the build's errors."""

    version: int
    event: str  # "reload", "css" or "build-error"
    data: str = "{}"


class LiveChannel:
    """Hands each new build's message to every waiting page (server-sent events)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._message = LiveMessage(0, "hello")
        self.closed = False

    @property
    def message(self) -> LiveMessage:
        with self._changed:
            return self._message

    def publish(self, event: str, data: dict | None = None) -> None:
        with self._changed:
            self._message = LiveMessage(self._message.version + 1, event, json.dumps(data or {}))
            self._changed.notify_all()

    def wait_after(self, version: int, timeout: float) -> LiveMessage:
        """The first message newer than `version`, or the current one when `timeout` passes."""
        with self._changed:
            self._changed.wait_for(lambda: self._message.version > version or self.closed, timeout)
            return self._message

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


def resolve_request(out: Path, base_path: str, request_path: str) -> tuple[str, Path | None]:
    """Map a URL path to ("file", path), ("redirect", None) for a folder without its slash, or ("missing", None).

    Never a path outside `out`: `..`, encoded or not, absolute paths and links that leave it are missing;
    so is a name the file system refuses (too long for NAME_MAX or PATH_MAX).
    """
    path = unquote(urlsplit(request_path).path)
    if "\x00" in path or not path.startswith(base_path):
        return "missing", None
    try:
        return _resolve_file(out, path, path[len(base_path):])
    except OSError:  # ENAMETOOLONG and the like: no such page, not a dropped connection
        return "missing", None


def _resolve_file(out: Path, path: str, rel: str) -> tuple[str, Path | None]:
    """resolve_request's file-system half, which may raise OSError."""
    target = (out / rel).resolve()
    if not target.is_relative_to(out):
        return "missing", None
    if target.is_dir():
        if not path.endswith("/"):
            return "redirect", None
        target = target / "index.html"
    if not target.is_file() or not target.resolve().is_relative_to(out):
        return "missing", None
    return "file", target


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str:
    """What to tell a user who binds anything but loopback ("" when the site stays on this machine)."""
    if is_loopback(host):
        return ""
    where = "every network interface" if host in WILDCARDS else host
    return (f"warning: serving on {where}: the site, drafts included, is reachable from the network; "
            "use --host 127.0.0.1 to keep it on this machine")


def host_allowed(header: str | None, bound_host: str, port: int) -> bool:
    """True when a request's Host names the address served, so a rebound DNS name cannot reach the server.

    Bound to loopback: that address and localhost, 127.0.0.1, [::1]; bound to a wildcard: also any IP literal
    and this machine's name (a rebinding page's Host is the attacker's domain, never an IP literal).
    """
    if not header:
        return False
    name, _, given_port = header.strip().lower().rpartition(":")
    if not name or "]" in given_port:  # no port given: the default port 80
        name, given_port = header.strip().lower(), "80"
    if given_port != str(port):
        return False
    bound = bound_host.lower()
    names = {f"[{bound}]" if ":" in bound else bound}
    if is_loopback(bound) or bound in WILDCARDS:
        names.update(LOOPBACK_NAMES)
    if bound in WILDCARDS:
        names.add(socket.gethostname().lower())
        try:
            ipaddress.ip_address(name.strip("[]"))
            return True
        except ValueError:
            pass
    return name in names


def inject_live_script(html: bytes) -> bytes:
    """Add the live-reload script to a served page (never to the file on disk)."""
    tag = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def make_handler(out: Path, base_path: str, channel: LiveChannel, host: str = "127.0.0.1"
                 ) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one output folder, one live channel and the address it answers for."""
    # Long as a whole, short in its parts: a class whose methods close over these four values (http.server
    # makes a new handler per request, so they cannot be passed in), read more easily together than apart.
    out = out.resolve()

    class Handler(BaseHTTPRequestHandler):
        server_version = "nutgraf"

        def log_message(self, format, *args) -> None:  # noqa: A002 - the standard library's name
            pass  # a request log would bury the build messages

        def do_HEAD(self) -> None:  # noqa: N802 - the standard library's name
            self.do_GET(head=True)

        def do_GET(self, head: bool = False) -> None:  # noqa: N802 - the standard library's name
            port = self.server.server_address[1]
            if not host_allowed(self.headers.get("Host"), host, port):
                shown = f"[{host}]" if ":" in host else host
                body = f"403 Forbidden: this server answers only for {shown}:{port}\n".encode()
                return self._send(HTTPStatus.FORBIDDEN, TYPES[".txt"], body, head)
            path = urlsplit(self.path).path
            if path == EVENTS_PATH:
                return self._events()
            if path == SCRIPT_PATH:
                return self._send(HTTPStatus.OK, TYPES[".js"], LIVE_SCRIPT.encode(), head)
            if path == "/" and base_path != "/":
                return self._redirect(base_path)
            kind, target = resolve_request(out, base_path, self.path)
            if kind == "redirect":
                return self._redirect(path + "/")
            status = HTTPStatus.OK
            if kind == "missing":
                status, target = HTTPStatus.NOT_FOUND, out / "404.html"
                if not target.is_file():
                    return self._send(status, TYPES[".txt"], b"404 Not Found\n", head)
            try:
                body = target.read_bytes()
            except OSError:  # removed by a rebuild between the look and the read
                return self._send(HTTPStatus.NOT_FOUND, TYPES[".txt"], b"404 Not Found\n", head)
            kind = (TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
                    or "application/octet-stream")
            if kind.startswith("text/html"):
                body = inject_live_script(body)
            self._send(status, kind, body, head)

        def _send(self, status: HTTPStatus, content_type: str, body: bytes, head: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            message = channel.message
            try:
                if message.event == "build-error":  # a page opened while the build is broken
                    self._event(message)
                self.wfile.write(b"event: ready\ndata: {}\n\n")
                self.wfile.flush()
                while not channel.closed:
                    newer = channel.wait_after(message.version, PING_SECONDS)
                    if newer.version > message.version:
                        self._event(newer)
                        message = newer
                    else:
                        self.wfile.write(b": ping\n\n")  # finds closed connections
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _event(self, message: LiveMessage) -> None:
            self.wfile.write(f"event: {message.event}\ndata: {message.data}\n\n".encode())

    return Handler


class DevServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_server(out: Path, base_path: str, host: str, port: int, channel: LiveChannel) -> DevServer:
    """Bind and start serving in a background thread; a port in use is a usage error naming --port."""
    try:
        server = DevServer((host, port), make_handler(out, base_path, channel, host))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise NutgrafError(f"port {port} on {host} is already in use; choose another with --port") from exc
        raise NutgrafError(f"cannot listen on {host}:{port}: {exc.strerror}; check --host and --port") from exc
    threading.Thread(target=server.serve_forever, name="nutgraf-http", daemon=True).start()
    return server
