import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_e70bdb88bc6abf4f.txt"
REAL_DOCS = SHARED / "real-docs"
CORPUS = ROOT / "corpus"

# `dccs check` caches results under the user's cache folder; tests (and the CLI runs they start, which
# inherit the environment) use a folder of their own, so a test run leaves the home folder as it was
# and never reads a result cached by an earlier run.
import tempfile  # noqa: E402

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="dccs-test-cache-")


def skip_or_fail(reason: str):
    """Skip locally with the reason; in CI (CI=true), where everything must be installed, fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """Path of a system tool; skip locally when absent, fail in CI (CI=true) where it must exist."""
    path = shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed (required in CI)")
    return path


CHROMIUM = "/usr/bin/chromium"  # Debian's chromium, driven by pip playwright (no `playwright install`)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the HTML report and web page tests (flags: ../shared/PLATFORM-NOTES.md)."""
    if not Path(CHROMIUM).exists():
        skip_or_fail("chromium is not installed (apt-get install chromium; scripts/setup.sh does; required in CI)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]'; required in CI)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()
