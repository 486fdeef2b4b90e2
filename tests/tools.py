"""External tools some tests drive (Chromium, LibreOffice, poppler, GNU gettext).

In CI (``CI`` set, as ``.ci/run`` does after installing them) a missing tool FAILS the test:
nothing is skipped there. On a developer's fresh machine with only Python and uv,
``uv run pytest`` still runs everything else and reports each such test as skipped, naming
the Debian package that would run it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def require_tool(name: str, *, package: str) -> str:
    """The path of ``name`` (a command or an absolute path), or fail (CI) / skip (elsewhere)."""
    found = name if Path(name).is_absolute() and Path(name).exists() else shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (apt-get install {package}); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
