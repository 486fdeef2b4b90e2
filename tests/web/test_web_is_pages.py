"""``web/`` is pages only (docs/architecture.md, "Pages (web)"): views parse input, call one
access helper and one service or selector, and respond. Every write, lock and transaction
lives in the services of the app that owns the data, so the pages, the command line and the
API share one rule. This test reads every module of ``src/kinerja/web`` with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import kinerja.web

WEB = Path(kinerja.web.__file__).parent

# Calls that write rows: on a model, a form (ModelForm.save), a queryset or a manager.
WRITES = {
    "save",
    "create",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# ``.update(`` is also a dict's; it is a write when called on a queryset or a manager.
QUERYSET_METHODS = {
    "objects",
    "filter",
    "exclude",
    "all",
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "order_by",
    "current",
}


def _chain(node: ast.AST) -> list[str]:
    """The attribute and call names of an expression such as ``A.objects.filter(x=1)``."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names


def problems_in(source: str, name: str = "<string>") -> list[str]:
    """Every transaction, row lock and ORM write in ``source``, as ``name:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom | ast.Import):
            for alias in node.names:
                if "transaction" in alias.name.split(".") or (
                    isinstance(node, ast.ImportFrom) and "transaction" in (node.module or "")
                ):
                    found.append(f"{name}:{line}: imports transaction")
        elif isinstance(node, ast.Name) and node.id == "transaction":
            found.append(f"{name}:{line}: uses transaction")
        elif isinstance(node, ast.Attribute) and node.attr in {"transaction", "atomic"}:
            found.append(f"{name}:{line}: uses {node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "select_for_update":
            found.append(f"{name}:{line}: locks rows (select_for_update)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in WRITES:
                found.append(f"{name}:{line}: writes (.{method}())")
            elif method == "update" and QUERYSET_METHODS & set(_chain(node.func.value)):
                found.append(f"{name}:{line}: writes (queryset .update())")
    return found


def test_web_has_no_transaction_lock_or_orm_write():
    found = []
    for path in sorted(WEB.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found += problems_in(path.read_text(), str(path.relative_to(WEB.parent)))
    assert not found, "domain work in web/ (move it to the owning app's services):\n" + "\n".join(
        found
    )


def test_the_check_sees_each_kind_of_domain_work():
    """The reader above finds each thing it forbids (so an empty answer means something)."""
    source = """
from django.db import transaction
import django.db.transaction
def view(request, form, Unit, qs, data):
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=1)
    form.save()
    Unit.objects.create(code="x")
    Unit.objects.filter(pk=1).update(name="y")
    qs.all().update(name="z")
    Unit.objects.get(pk=1).delete()
    Unit.objects.bulk_create([])
    Unit.objects.get_or_create(code="x")
    data.update({"a": 1})
    """
    found = problems_in(source)
    kinds = [f.split(": ", 1)[1] for f in found]
    assert kinds.count("imports transaction") == 2
    assert "uses transaction" in kinds and "uses atomic" in kinds
    assert "locks rows (select_for_update)" in kinds
    for method in ["save", "create", "delete", "bulk_create", "get_or_create"]:
        assert f"writes (.{method}())" in kinds, method
    assert kinds.count("writes (queryset .update())") == 2
    # a dict's update is not a write: line 15 is not reported
    assert not [f for f in found if f.startswith("<string>:15:")]
