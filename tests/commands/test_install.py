"""Installing newsstream: the wheel and the editable install carry the package's data files,
build without warnings, and `make` says how to reach the `newsstream` it installed."""

from __future__ import annotations

import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _package_files() -> set[str]:
    """Every file of the package a wheel must carry: the code and every data file."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "streams").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_install_wheel_carries_every_package_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = pytest.importorskip("hatchling.build")
    monkeypatch.chdir(ROOT)  # the backend builds the project of the working directory
    name = build.build_wheel(str(tmp_path))
    with zipfile.ZipFile(tmp_path / name) as wheel:
        names = set(wheel.namelist())
    data = {f for f in _package_files() if not f.endswith(".py")}
    assert {"streams/samples/feed.jsonl", "streams/schemas/alert.json"} <= data
    assert any(f.startswith("streams/core/entities/data/") for f in data)
    assert _package_files() <= names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_install_editable_build_is_quiet_and_points_at_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = pytest.importorskip("hatchling.build")
    monkeypatch.chdir(ROOT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        name = build.build_editable(str(tmp_path))
    assert [str(w.message) for w in caught] == []
    with zipfile.ZipFile(tmp_path / name) as wheel:
        paths = [wheel.read(n).decode() for n in wheel.namelist() if n.endswith(".pth")]
    assert [p.strip() for p in paths] == [str(ROOT)]  # data files are read in place


@pytest.mark.parametrize("target", ["install", "demo"])
def test_install_make_says_how_to_reach_newsstream(target: str) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    proc = subprocess.run(
        [make, "-n", "-C", str(ROOT), target],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "/bin/activate' to have it on PATH" in proc.stdout
    assert "/bin/newsstream)" in proc.stdout
