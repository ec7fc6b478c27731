"""The wheel carries the default theme, so an installed nutgraf builds a site from any folder."""

import importlib.util
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO, explainer


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None, reason="hatchling (the build backend) is needed")
def test_wheel_ships_the_default_theme_and_builds_elsewhere(tmp_path, make_site):
    # --no-build-isolation: use the hatchling already installed, so nothing is downloaded
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-w", tmp_path / "dist", REPO], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("nutgraf-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/themes/default/templates/explainer.html" in names
    assert "generator/themes/default/static/css/style.css" in names
    # :::map's Natural Earth data: a map draws from what the package ships, never from the network
    assert {"generator/markup/geodata/countries.json.gz", "generator/markup/geodata/places.json"} <= set(names)
    # the share cards' fonts, with their licence
    assert {f"generator/themes/default/fonts/{name}" for name in ("NotoSansCard-Bold.ttf",
                                                                 "NotoSansCard-Regular.ttf", "OFL.txt")} <= set(names)
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    root = make_site({"content/a.md": explainer("A", '## Where?\n\n:::map description="Syria"\n- Damascus\n:::\n')})
    run = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                          "from generator.cli import main; sys.exit(main(sys.argv[2:]))",
                          installed, "build", "--source", root], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    check = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                            "import generator.outputs.themes as t; print(t.builtin_themes_dir())", installed],
                           capture_output=True, text=True, cwd=tmp_path)
    assert check.stdout.strip() == str(installed / "generator" / "themes")
    assert 'class="map-svg"' in (root / "output/a/index.html").read_text(encoding="utf-8")
    assert (root / "output/a/share.jpg").stat().st_size > 0  # drawn with the installed theme's fonts
