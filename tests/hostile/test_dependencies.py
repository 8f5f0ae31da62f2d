"""Minimum safe versions of the parsers and template engine, and the audit script.

The pins in pyproject.toml keep out versions with known vulnerabilities that matter
to reportgen (untrusted templates, YAML, Markdown, fetches while making the PDF). This
test checks them offline, against what is installed, so CI catches a downgrade even
when no vulnerability service can be reached.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]

# package -> (lowest safe version, why)
SAFE = {
    "jinja2": ("3.1.6", "sandbox escapes CVE-2024-56326 (3.1.5) and CVE-2025-27516 (3.1.6)"),
    "pyyaml": ("5.4", "CVE-2020-14343: arbitrary code execution in full_load"),
    "markdown-it-py": ("2.2.0", "CVE-2023-26302 and CVE-2023-26303: denial of service"),
    "weasyprint": (
        "70.0",
        "GHSA-jf6q-chmf-3h3v: stylesheet and metadata fetches bypassed url_fetcher",
    ),
    "pydantic": ("2.4.0", "CVE-2024-3772: regular expression denial of service"),
}


def _pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins: dict[str, str] = {}
    for requirement in project["dependencies"]:
        name, _, low = requirement.partition(">=")
        pins[name.strip().lower()] = low.strip()
    return pins


@pytest.mark.parametrize("package", sorted(SAFE))
def test_pyproject_pins_a_safe_minimum(package: str) -> None:
    pinned = _pins().get(package)
    assert pinned, f"{package} has no minimum version in pyproject.toml"
    assert Version(pinned) >= Version(SAFE[package][0]), SAFE[package][1]


@pytest.mark.parametrize("package", sorted(SAFE))
def test_installed_version_is_safe(package: str) -> None:
    assert Version(version(package)) >= Version(SAFE[package][0]), SAFE[package][1]


def _audit_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", REPO / "scripts" / "audit_deps.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_run(document: dict[str, Any] | None) -> Any:
    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        stdout = json.dumps(document) if document is not None else ""
        return subprocess.CompletedProcess(command, 1, stdout, "ConnectionError: offline")

    return run


def test_audit_fails_on_a_known_vulnerability(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _audit_script()
    vulnerable = {
        "dependencies": [
            {"name": "jinja2", "version": "3.1.5", "vulns": [{"id": "GHSA-cpwx-vrp4-4pq7"}]},
            {"name": "pyyaml", "version": "6.0.3", "vulns": []},
        ]
    }
    monkeypatch.setattr(script.subprocess, "run", _fake_run(vulnerable))
    assert script.main() == 1
    assert "jinja2 3.1.5: GHSA-cpwx-vrp4-4pq7" in capsys.readouterr().out


def test_audit_unreachable_is_said_plainly_not_passed_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _audit_script()
    skipped = {"dependencies": [{"name": "jinja2", "skip_reason": "not found on PyPI"}]}
    monkeypatch.setattr(script.subprocess, "run", _fake_run(skipped))
    assert script.main() == 0
    assert "NOT performed" in capsys.readouterr().out
    monkeypatch.setenv("REPORTGEN_AUDIT_REQUIRED", "1")
    monkeypatch.setattr(script.subprocess, "run", _fake_run(None))
    assert script.main() == 1
