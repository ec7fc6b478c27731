"""The dev server over real HTTP on 127.0.0.1: pretty URLs, types, 404s, traversal attempts, live events."""

import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import explainer, run_build

from generator.commands.serve import (
    EVENTS_PATH,
    SCRIPT_PATH,
    LiveChannel,
    exposure_warning,
    host_allowed,
    inject_live_script,
    resolve_request,
    start_server,
)


@pytest.fixture
def served(make_site, tmp_path):
    root = make_site({"content/a.md": explainer("A", "## Why?\n\nBecause.\n\n![A dot](images/i.svg)\n",
                                                topics="[Syria]"),  # an image no explainer uses is withheld
                      "content/images/i.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>'})
    assert run_build(root).ok
    (tmp_path / "secret.txt").write_text("outside")
    os.symlink(tmp_path / "secret.txt", root / "output" / "link.txt")
    channel = LiveChannel()
    server = start_server(root / "output", "/", "127.0.0.1", 0, channel)
    yield root, server.server_address[1], channel
    channel.close()
    server.shutdown()
    server.server_close()


def get(port: int, path: str, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)  # a raw path: no client-side clean-up
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_pretty_urls_and_content_types(served):
    _, port, _ = served
    status, headers, body = get(port, "/a/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.count(f'src="{SCRIPT_PATH}"'.encode()) == 1  # live reload, in served pages only
    status, headers, _ = get(port, "/a")
    assert status == 301 and headers["Location"] == "/a/"
    for path, kind in (("/static/css/style.css", "text/css; charset=utf-8"), ("/images/i.svg", "image/svg+xml"),
                       ("/feed.xml", "application/xml"), (SCRIPT_PATH, "text/javascript; charset=utf-8")):
        status, headers, _ = get(port, path)
        assert (status, headers["Content-Type"]) == (200, kind), path


def test_live_script_is_never_written_to_disk(served):
    root, port, _ = served
    assert b"live.js" not in (root / "output/a/index.html").read_bytes()


def test_missing_pages_get_the_site_404_with_status_404(served):
    root, port, _ = served
    status, _, body = get(port, "/no/such/page/")
    assert status == 404
    assert b"<h1" in body and (root / "output/404.html").read_bytes()[:50] == body[:50]


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                                  "/a/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/link.txt", "/%00",
                                  "/a/..%5c..%5csecret.txt"])
def test_nothing_outside_the_output_folder_is_served(served, path):
    _, port, _ = served
    status, _, body = get(port, path)
    assert status in (404, 400) and b"outside" not in body and b"root:" not in body


def test_head_requests(served):
    _, port, _ = served
    status, headers, body = get(port, "/a/", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_resolve_request_under_a_sub_path(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x/index.html").write_text("x")
    assert resolve_request(tmp_path, "/explainers/", "/explainers/x/") == ("file", tmp_path / "x/index.html")
    assert resolve_request(tmp_path, "/explainers/", "/x/") == ("missing", None)
    assert resolve_request(tmp_path, "/explainers/", "/explainers/x") == ("redirect", None)


def test_inject_live_script_before_body_end():
    assert inject_live_script(b"<p>x</p></body></html>").endswith(b"</script></body></html>")


def test_events_stream_reloads_and_errors(served):
    _, port, channel = served
    lines: queue.Queue[str] = queue.Queue()

    def listen():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", EVENTS_PATH)
        response = connection.getresponse()
        lines.put(response.getheader("Content-Type"))
        while True:
            line = response.fp.readline().decode().strip()
            if line:
                lines.put(line)
            if line.startswith("data:") and "a.md" in line:
                break
        connection.close()

    def next_line() -> str:
        return lines.get(timeout=10)

    threading.Thread(target=listen, daemon=True).start()
    assert next_line() == "text/event-stream"
    assert (next_line(), next_line()) == ("event: ready", "data: {}")
    channel.publish("reload")
    assert (next_line(), next_line()) == ("event: reload", "data: {}")
    channel.publish("build-error", {"errors": ["content/a.md:2:8: error: x"]})
    assert next_line() == "event: build-error"
    assert "content/a.md:2:8: error: x" in next_line()


def test_port_in_use_is_a_clear_usage_error(make_site):
    root = make_site({"content/a.md": explainer("A")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "generator", "serve", "--source", str(root), "--port", str(port)],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in run.stderr and "--port" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_serve_command_prints_url_and_watched_folders_first_and_stops_on_interrupt(make_site, stop):
    root = make_site({"content/a.md": explainer("A")})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A shell without job control starts background jobs with Ctrl-C ignored; the server must get it as a user would.
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--source", str(root), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first = process.stdout.readline()
        second = process.stdout.readline()
        assert first.startswith("Serving ") and f"http://127.0.0.1:{port}/" in first
        assert second.startswith("Watching ") and str(Path(root).resolve()) in second
        process.stdout.readline()  # the first build's summary
        status, _, _ = get(port, "/a/")
        assert status == 200
        process.send_signal(stop)
        assert process.wait(timeout=15) == 0
        assert "Stopped." in process.stdout.read()
    finally:
        process.kill()
        process.wait()


def get_as(port: int, path: str, host: str | None):
    """A GET with a chosen Host header (None: no Host at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    streaming = response.getheader("Content-Type") == "text/event-stream"  # never ends: status only
    body = b"" if streaming else response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.nip.io:{port}",
                                  "localhost:1", "10.0.0.1:{port}", None])
@pytest.mark.parametrize("path", ["/a/", EVENTS_PATH, SCRIPT_PATH])
def test_a_foreign_host_is_refused_dns_rebinding(served, host, path):
    _, port, _ = served
    status, body = get_as(port, path, host and host.format(port=port))
    assert status == 403 and b"answers only for 127.0.0.1:" in body and b"<h1" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_the_served_address_and_loopback_names_are_answered(served, host):
    _, port, _ = served
    status, body = get_as(port, "/a/", host.format(port=port))
    assert status == 200 and b"<h1" in body


@pytest.mark.parametrize("bound, header, allowed", [
    ("192.168.1.5", "192.168.1.5:8000", True), ("192.168.1.5", "localhost:8000", False),
    ("0.0.0.0", "192.168.1.5:8000", True), ("0.0.0.0", "localhost:8000", True),
    ("0.0.0.0", "attacker.example:8000", False), ("0.0.0.0", "192.168.1.5:9000", False),
    ("127.0.0.1", "127.0.0.1", False), ("localhost", "127.0.0.1:8000", True)])
def test_host_allowed_by_bound_address(bound, header, allowed):
    assert host_allowed(header, bound, 8000) is allowed


def test_port_80_may_be_left_out_of_host():
    assert host_allowed("localhost", "127.0.0.1", 80) and not host_allowed("evil.example", "127.0.0.1", 80)


@pytest.mark.parametrize("path", ["/" + "a" * 300, "/" + "a" * 300 + "/", "/a/" + "%61" * 400 + "/x",
                                  "/" + "a/" * 2500, "/" + "x" * 100_000])
def test_an_over_long_path_is_404_or_414_and_the_server_still_answers(served, path):
    _, port, _ = served
    status, _, _ = get(port, path)
    assert status in (404, 414)
    assert get(port, "/a/")[0] == 200


def test_resolve_request_with_a_name_over_name_max_is_missing(tmp_path):
    assert resolve_request(tmp_path, "/", "/" + "b" * 256 + "/") == ("missing", None)


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("localhost", False), ("127.0.0.2", False),
                                          ("::1", False), ("0.0.0.0", True), ("192.168.1.5", True), ("::", True)])
def test_exposure_warning_for_anything_but_loopback(host, warned):
    text = exposure_warning(host)
    assert bool(text) is warned
    if warned:
        assert "reachable from the network" in text and "--host 127.0.0.1" in text


def test_serve_on_all_interfaces_warns_once_at_start(make_site):
    root = make_site({"content/a.md": explainer("A")})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--source", str(root), "--host", "0.0.0.0",
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("Serving ")
        process.stdout.readline()  # Watching ...
        process.stdout.readline()  # the first build's summary
        assert get_as(port, "/a/", f"127.0.0.1:{port}")[0] == 200
        process.terminate()
        process.wait(timeout=15)
        errors = process.stderr.read()
        assert errors.count("reachable from the network") == 1
    finally:
        process.kill()
        process.wait()
