"""`run --scheduler` without a cluster: the missing extra, the address checks."""

from __future__ import annotations

import sys

import pytest

def test_scheduler_without_dask_installed_names_the_extra(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from transkit.cli.app import app

    source = tmp_path / "a.md"
    source.write_text("---\ntitle: t\nlanguage: en\n---\n\nKM: Hello there.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    result = CliRunner().invoke(app, ["run", str(source), "--to", "pt", "--scheduler", "tcp://127.0.0.1:8786",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "transkit[cluster]" in result.output and "--scheduler" in result.output
    assert not (tmp_path / "out").exists()


def test_scheduler_address_is_checked(tmp_path):
    from transkit.config import load_config, scheduler_address
    from transkit.errors import UsageError

    assert scheduler_address("10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert scheduler_address("tls://dask.example:8786") == "tls://dask.example:8786"
    for bad in ("nonsense", "tcp://host", "http://host:8786", "tcp://host:0"):
        with pytest.raises(UsageError):
            scheduler_address(bad)
    config = tmp_path / "transkit.toml"
    config.write_text('[run]\nscheduler = "127.0.0.1:8786"\n', encoding="utf-8")
    assert load_config(config).get("scheduler") == "tcp://127.0.0.1:8786"
    config.write_text('[run]\nscheduler = "127.0.0.1"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[run\] scheduler"):
        load_config(config)


@pytest.mark.parametrize("extra", [["--jobs", "2"], ["--audio", "interview.wav"]])
def test_scheduler_refuses_local_only_options(tmp_path, extra):
    """--jobs and --audio are for runs on this machine: a usage error, before any connection."""
    from typer.testing import CliRunner

    from transkit.cli.app import app

    if "--audio" in extra:
        pytest.importorskip("distributed", reason="needs transkit[cluster]")
        (tmp_path / "interview.wav").write_bytes(b"RIFF")
        extra = ["--audio", str(tmp_path / "interview.wav")]
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: t\nlanguage: en\n---\n\nKM: Hello there.\n", encoding="utf-8")
    # port 9 (discard): nothing listens there; a connection attempt would time out instead
    result = CliRunner().invoke(app, ["run", str(source), "--to", "pt", "--scheduler", "tcp://127.0.0.1:9",
                                      "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code == 2, result.output
    assert extra[0] in result.output
    assert not (tmp_path / "out").exists()


def test_worker_events_become_progress_events():
    from transkit.cluster import progress_event
    from transkit.runs import ProgressEvent

    sent = ProgressEvent("src/a.md", "translate", "pt", 3, 10)
    from dataclasses import asdict

    assert progress_event({**asdict(sent), "worker": "tcp://127.0.0.1:4000"}) == sent
