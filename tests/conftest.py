"""Shared fixtures. Under CI (CI=true) a skipped test is reported as a failure:
CI provisions every model and tool, so a skip there means a missing install step."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "source"
SEED_DIR = ROOT.parent / "shared" / "seed"
BENCH_DIR = ROOT.parent / "shared" / "bench"
TEST_MODELS_DIR = Path(os.environ.get("TRANSKIT_TEST_MODELS", ROOT / ".cache" / "test-models"))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property tests never fail on time: no per-example deadline, no "too slow" health check
# (a loaded machine makes any example slow). Tests that set their own settings keep them.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("transkit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("transkit")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, which must provide everything: {reason}"


def shared_file(folder: Path, name: str) -> Path:
    """A file of the shared data beside the repository (SEED_DIR, BENCH_DIR); skip if absent."""
    path = folder / name
    if not path.is_file():
        pytest.skip(f"shared data not found: {path} (the seed and bench folders beside the repository)")
    return path


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed (scripts/setup.sh installs it)")
    return path


@pytest.fixture
def ffmpeg() -> str:
    return require_tool("ffmpeg")


@pytest.fixture
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    pytest.skip("headless Chromium is not installed (scripts/setup.sh installs it)")


@pytest.fixture
def interview_path() -> Path:
    return SOURCE_DIR / "interview.md"


@pytest.fixture
def test_models_dir() -> Path:
    """Where scripts/fetch_test_models.py put the pinned real models."""
    if not (TEST_MODELS_DIR / "installed").is_dir():
        pytest.skip(f"test models not fetched into {TEST_MODELS_DIR} (run scripts/fetch_test_models.py)")
    return TEST_MODELS_DIR


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's model folder or translation memory from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("TRANSKIT_MODELS_DIR", raising=False)
    monkeypatch.delenv("TRANSKIT_MEMORY", raising=False)
    # no test reaches a real model catalogue: the Firefox registry is a closed port on
    # 127.0.0.1 unless a test serves one (the Argos index is always given explicitly)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    monkeypatch.setenv("TRANSKIT_FIREFOX_REGISTRY_URL",
                       f"http://127.0.0.1:{closed}/v1/buckets/main/collections/translations-models-v2/records")


# ------------------------------------------------------------------ --cpu-burn: the suite under load

_BURNER = """
import os, sys, time
parent, end = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while os.getppid() == parent and time.monotonic() < end:  # stops with pytest, or at the time limit
    for _ in range(200_000):
        pass
"""


def pytest_addoption(parser):
    parser.addoption(
        "--cpu-burn",
        action="store_true",
        help="saturate the CPU for the whole session with busy processes (2 x cores unless "
        "--cpu-burn-procs says), stopped at the end of the session and never outliving it (README, Development)",
    )
    parser.addoption("--cpu-burn-procs", action="store", type=int, default=0, metavar="N",
                     help="how many busy processes --cpu-burn starts (default 2 x cores)")
    parser.addoption(
        "--cpu-burn-limit",
        action="store",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="the busy processes stop by themselves after this long (default 3600)",
    )


_burners: list = []


def pytest_configure(config):
    if not config.getoption("--cpu-burn", default=False):
        return
    import subprocess
    import sys

    count = config.getoption("--cpu-burn-procs") or 2 * (os.cpu_count() or 1)
    limit = config.getoption("--cpu-burn-limit")
    for _ in range(count):
        _burners.append(
            subprocess.Popen([sys.executable, "-c", _BURNER, str(os.getpid()), str(limit)], stdin=subprocess.DEVNULL)
        )


def pytest_report_header(config):
    if _burners:
        return f"cpu-burn: {len(_burners)} busy processes for the session (pids {', '.join(str(p.pid) for p in _burners)})"
    return None


def pytest_unconfigure(config):
    while _burners:
        proc = _burners.pop()
        proc.kill()
        proc.wait()
