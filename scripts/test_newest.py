"""Run the fast tests against the newest releases pyproject.toml allows.

The lock (requirements/*.txt) makes every install the same program; this check is the
other half: a throwaway venv takes the newest versions the ranges in pyproject.toml
admit, as a user's `pip install` would, so the next release that changes behaviour is
found here first. It prints which versions differ from the lock, then runs the tests
not marked `slow`; on a failure it says what to do.

Usage: python scripts/test_newest.py VENV_DIR
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them: boolean.py == boolean-py."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked_versions() -> dict[str, set[str]]:
    """Each locked package's versions (a universal lock may hold one per Python version)."""
    text = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for m in re.finditer(r"^([\w.-]+)==([^\s;\\]+)", text, re.M):
        found.setdefault(_normalise(m.group(1)), set()).add(m.group(2))
    return found


def _installed_versions(python: Path) -> dict[str, str]:
    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pairs = (line.split("==", 1) for line in listing.splitlines() if "==" in line)
    return {_normalise(name): version for name, version in pairs}


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else ".venv-newest").resolve()
    shutil.rmtree(target, ignore_errors=True)
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    # The build backend too (requirements/build.in): the tests build a wheel with it.
    subprocess.run(
        [
            *pip,
            "--upgrade",
            "--upgrade-strategy",
            "eager",
            "-r",
            str(ROOT / "requirements" / "build.in"),
            "-e",
            f"{ROOT}[dev]",
        ],
        check=True,
    )
    locked = _locked_versions()
    bootstrap = {"pip", "safeguarding-reportgen"}  # the venv's own, and ours
    newer = {
        name: (" or ".join(sorted(locked.get(name, {"not in the lock"}))), version)
        for name, version in sorted(_installed_versions(python).items())
        if version not in locked.get(name, set()) and name not in bootstrap
    }
    if newer:
        print("Newest allowed versions that differ from the lock:")
        for name, (was, now) in newer.items():
            print(f"  {name}: {was} -> {now}")
    else:
        print("The newest allowed versions are the locked ones.")
    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider"],
        cwd=ROOT,
    )
    if tests.returncode != 0:
        print(
            "\nThe fast tests FAIL with the newest releases pyproject.toml allows (listed "
            "above), though they pass with the lock. A user installing reportgen today "
            "would get this. Fix reportgen for the new release, or cap the range in "
            "pyproject.toml; then run `make lock` and commit requirements/.",
            file=sys.stderr,
        )
    return tests.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
