"""External tools the suite drives (a browser, node packages): find them, else skip, or fail when CI is set."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
NPM_HINT = "run `npm ci --ignore-scripts` in the repository (make test does this when npm is installed)"

# Headless Chromium as every browser test runs it; each run also gets a fresh --user-data-dir.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def in_ci() -> bool:
    """True when the environment variable CI is set (to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(what: str, hint: str) -> NoReturn:
    """Skip the test for a tool this machine lacks; under CI, fail it, because CI must run every test."""
    message = f"{what} is not available: {hint}"
    if in_ci():
        pytest.fail(f"CI is set, so this test must run, but {message}", pytrace=False)
    pytest.skip(message)


def find_executable(what: str, names: tuple[str, ...], env_var: str | None = None, hint: str = "") -> Path:
    """The first of `names` on PATH (or the file named by `env_var`), else skip or fail."""
    if env_var and os.environ.get(env_var):
        path = Path(os.environ[env_var])
        if path.is_file() and os.access(path, os.X_OK):
            return path
        missing(what, f"{env_var}={path} is not an executable file")
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    missing(what, hint or f"none of {', '.join(names)} is on PATH")


def find_chromium() -> Path:
    """Debian's Chromium (or the browser named by CHROME_PATH), else skip or fail."""
    return find_executable("Chromium", ("chromium", "chromium-browser"), "CHROME_PATH",
                           "install Debian's chromium (apt-get install chromium), or set CHROME_PATH")


def find_node() -> Path:
    """Node.js, else skip or fail."""
    return find_executable("Node.js", ("node", "nodejs"), hint="install Node.js 18.16 or newer (apt-get install npm)")


def find_node_file(package: str, rel: str) -> Path:
    """A file of an npm package installed from package-lock.json into ./node_modules, else skip or fail."""
    path = NODE_MODULES / package / rel
    if not path.is_file():
        missing(f"the npm package {package} ({path.relative_to(REPO)})", NPM_HINT)
    return path


def import_module(name: str, hint: str = "install the test tools: pip install -e '.[test]'") -> ModuleType:
    """Import a Python module the test needs, else skip or fail."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(f"the Python module {name} ({exc})", hint)
