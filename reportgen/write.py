"""Write stage: the only code that touches the output directory.

Everything is rendered in memory first. Each output is written to a temporary
file beside its target and moved into place with os.replace, so a failed or
interrupted build leaves the previous outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to `target` so readers see the old file or the new, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates files private to the owner; outputs are for publishing.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_stale_temporaries(out_dir: Path) -> None:
    """Remove temporary files a killed build may have left behind."""
    if out_dir.is_dir():
        for stale in out_dir.glob(".*.tmp"):
            stale.unlink(missing_ok=True)


def write_outputs(out_dir: Path, outputs: dict[str, bytes], inputs: dict[str, bytes]) -> Path:
    """Write every output, then a manifest of input and output hashes."""
    clean_stale_temporaries(out_dir)
    for name, data in outputs.items():
        write_atomic(out_dir / name, data)
    manifest = {
        "inputs": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(inputs.items())},
        "outputs": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(outputs.items())},
    }
    path = out_dir / "manifest.json"
    write_atomic(path, (json.dumps(manifest, indent=2) + "\n").encode())
    return path
