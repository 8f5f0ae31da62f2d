"""Broken and hostile fixture projects: each case overlays files on `base/`.

A case is a folder under `cases/` holding the files it replaces or adds (any bytes:
a CP-1252 CSV is stored as CP-1252) and a `case.toml`:

```toml
about = "what the case is about"
command = "validate"            # or "build" (HTML only) or "build-pdf"
remove = ["data/training.yaml"] # base files to delete (optional)
[symlinks]                      # links made when the case runs (optional)
"data/budget.yaml" = "/etc/passwd"
fifos = ["data/tables/mode-of-death.csv"]  # named pipes made when it runs (optional)
[[expect]]                      # every diagnostic, exactly: code, path, line
code = "yaml.duplicate-key"
path = "data/budget.yaml"
line = 9
message = "first on line 3"     # optional: text the message must contain
```
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CASES = HERE / "cases"


@dataclass
class Case:
    """One fixture project and the diagnostics it must produce."""

    name: str
    about: str
    command: str
    expect: list[dict[str, Any]]
    folder: Path
    remove: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)
    fifos: list[str] = field(default_factory=list)

    def materialise(self, target: Path) -> Path:
        """Copy base + overlay into `target` and return the project folder."""
        root = target / self.name
        shutil.copytree(BASE, root, ignore=shutil.ignore_patterns("build"))
        for removed in self.remove:
            (root / removed).unlink()
        for path in sorted(self.folder.rglob("*")):
            overlay = path.relative_to(self.folder)
            if overlay.as_posix() == "case.toml" or path.is_dir():
                continue
            dest = root / overlay
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
        for rel, link_target in self.symlinks.items():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            os.symlink(link_target, dest)
        for rel in self.fifos:
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            os.mkfifo(dest)
        return root


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        spec = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        cases.append(
            Case(
                name=folder.name,
                about=spec["about"],
                command=spec.get("command", "validate"),
                expect=spec.get("expect", []),
                folder=folder,
                remove=spec.get("remove", []),
                symlinks=spec.get("symlinks", {}),
                fifos=spec.get("fifos", []),
            )
        )
    return cases
