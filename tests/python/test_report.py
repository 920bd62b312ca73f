"""The HTML voice report renders in a real browser (headless Chromium) with every plot decoded."""
from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys

import numpy as np



def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError("headless Chromium is required (tools/ensure_deps.sh installs Debian's chromium)")


def test_report_renders_in_headless_chromium(tmp_path):
    lines = tmp_path / "lines"
    result = subprocess.run([sys.executable, "-m", "vocalsynth", "bake", "-a", "human", "-a", "zombie", "-a", "wraith",
                             "--text", "Stay back.", "--out", str(lines)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    made = subprocess.run([sys.executable, "-m", "vocalsynth", "report", str(lines)], capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    page = lines / "report.html"
    assert page.stat().st_mode & stat.S_IROTH  # readable by the web server / artifact uploader
    text = page.read_text()
    for archetype in ("human", "zombie", "wraith"):
        assert f"<h2 id='{archetype}'>" in text
    images = len(re.findall(r"<img ", text))
    assert images == 3 + 3  # one plot per line, one band chart per archetype
    browser = _chromium()
    common = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000"]
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    loaded = re.search(r'data-images-loaded="(\d+)"', dom)
    assert loaded and int(loaded.group(1)) == images, "the browser did not decode every plot"
    shot = tmp_path / "shot.png"
    subprocess.run(common + ["--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 1000 and np.std(pixels) > 0.05  # a rendered page, not a blank one
