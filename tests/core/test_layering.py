"""No app imports an app above it (docs/architecture.md, "Layering"), read with ``ast`` over
every module of ``src/kinerja`` (imports inside functions too), migrations aside."""

from __future__ import annotations

import ast
from pathlib import Path

import kinerja

ROOT = Path(kinerja.__file__).parent

# Lower number: lower layer. An app imports only apps of a LOWER layer (never one beside it).
LAYERS = {
    "core": 0,
    "organization": 1,
    "sop": 1,
    "accounts": 2,
    "workcalendar": 2,
    "workflow": 3,
    "performance": 4,
    "notifications": 4,
    "reports": 5,
    "web": 6,
    "api": 6,  # beside web: imports every domain app; nothing imports it
    "config": 7,
    "cli": 7,
    "demo": 8,
    "__main__": 9,
}

# Known exceptions, each with its reason. Add none without one; remove them as they go.
ALLOWED = {
    # the serve command starts the project's WSGI application (an entry point)
    ("core/management/commands/serve.py", "config"),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "kinerja" and len(parts) > 1:
                yield node.lineno, parts[1]


def _app(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def test_every_app_has_a_layer():
    apps = {_app(p) for p in ROOT.rglob("*.py")} - {"__init__"}
    assert apps - set(LAYERS) == set()


def test_no_app_imports_upward():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        app = _app(path)
        if app == "__init__":
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line, target in _imports(path):
            if target == app or (rel, target) in ALLOWED:
                continue
            if LAYERS[target] >= LAYERS[app]:
                upward.append(f"{rel}:{line} ({app}) imports {target}")
    assert upward == []


def test_every_exception_is_still_needed():
    found = {
        (path.relative_to(ROOT).as_posix(), target)
        for path in ROOT.rglob("*.py")
        for _line, target in _imports(path)
    }
    assert ALLOWED - found == set()
