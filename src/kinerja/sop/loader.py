"""Reading SOP YAML files into :class:`~kinerja.sop.schema.SopDefinition`.

The loader reports every problem of a file at once, each with its line and its path in the
document, like a compiler::

    seed.yaml:42: steps[4].decision.no: no step 9

YAML is read with ruamel.yaml's round-trip loader, which remembers where every key and item
came from; pydantic's error locations and the cross-reference checks of
:func:`~kinerja.sop.schema.reference_problems` are mapped back to those lines.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from kinerja.core import formatting
from kinerja.core.errors import ApplicationError

from . import schema
from .schema import Loc, SopDefinition, format_loc, reference_problems


@dataclass(frozen=True)
class LoadProblem:
    """One problem of an SOP file. ``line`` is 1-based; 0 when it is not known."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SopLoadError(ApplicationError):
    """An SOP file is not valid; ``errors`` lists every problem found, in line order."""

    def __init__(self, errors: list[LoadProblem]):
        self.errors = sorted(errors, key=lambda p: (p.line, p.path))
        super().__init__(
            _("Berkas SOP tidak valid"), code="sop_invalid", details=map(str, self.errors)
        )


def load_sop_file(path: str | Path) -> SopDefinition:
    """Read and validate one SOP file; raises :class:`SopLoadError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SopLoadError([LoadProblem(path.name, 0, "", str(exc))]) from exc
    return parse_sop(text, path.name)


def parse_sop(text: str, source_name: str = "<sop>") -> SopDefinition:
    """Parse and validate SOP YAML; raises :class:`SopLoadError` listing every problem."""
    problems: list[LoadProblem] = []

    def problem(line: int, loc: Loc | str, message: str) -> None:
        path = loc if isinstance(loc, str) else format_loc(loc)
        problems.append(LoadProblem(source_name, line, path, message))

    yaml = YAML(typ="rt")
    # Duplicate keys are found on the node tree below, so all of them are reported.
    yaml.allow_duplicate_keys = True
    try:
        node = yaml.compose(text)
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or str(exc)
        problem(mark.line + 1 if mark else 0, "", _("YAML tidak valid: %s") % message)
        raise SopLoadError(problems) from exc
    except YAMLError as exc:
        problem(0, "", _("YAML tidak valid: %s") % exc)
        raise SopLoadError(problems) from exc

    if node is not None:
        for line, loc, key in _duplicate_keys(node, ()):
            problem(line, (*loc, key), _("kunci ganda %r (hanya satu yang boleh)") % key)
    if not isinstance(data, CommentedMap):
        problem(1, "", _("berkas SOP harus berupa pemetaan (kunci: nilai), mulai dari 'code:'"))
        raise SopLoadError(problems)

    plain = _plain(data)
    sop: SopDefinition | None = None
    try:
        sop = SopDefinition.model_validate(plain, context={"skip_references": True})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problem(_line_of(data, loc), loc, _message(error))
    nip = sop.identity.approved_by.nip if sop is not None else ""
    if nip and not formatting.is_nip(nip):
        loc = ("identity", "approved_by", "nip")
        problem(
            _line_of(data, loc),
            loc,
            _(
                "NIP %(nip)r harus 18 angka (tertulis %(count)d angka), misalnya "
                "19691120 202101 1 001."
            )
            % {"nip": nip, "count": len(formatting.nip_digits(nip))},
        )
    references = reference_problems(sop.model_dump() if sop is not None else plain)
    for loc, message in references:
        problem(_line_of(data, loc), loc, message)
    if problems or sop is None:
        raise SopLoadError(problems)
    return sop


# Helpers ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """ruamel's round-trip types (CommentedMap, ScalarInt, ...) as plain Python values."""
    if isinstance(value, dict):
        return {(str(k) if isinstance(k, str) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value
    return value


def _duplicate_keys(node: Node, loc: Loc) -> list[tuple[int, Loc, str]]:
    """(line, path of the mapping, key) for every repeated key of every mapping."""
    found: list[tuple[int, Loc, str]] = []
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(getattr(key_node, "value", ""))
            if key in seen:
                found.append((key_node.start_mark.line + 1, loc, key))
            seen.add(key)
            found += _duplicate_keys(value_node, (*loc, key))
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            found += _duplicate_keys(item, (*loc, i))
    return found


def _line_of(root: CommentedMap, loc: Loc) -> int:
    """The 1-based line of the deepest node of ``loc`` that exists in the document.

    A missing key reports the line of the mapping that should hold it; a key reports the
    line of the key (so ``no: 9`` points at that line even in a flow mapping).
    """
    node: Any = root
    line = root.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedMap | CommentedSeq) and isinstance(part, str):
            continue  # a pydantic tag like "function-after[...]" or a missing key
        else:
            break
    return line


def _all_field_names() -> list[str]:
    names: set[str] = set()
    for value in vars(schema).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return sorted(names)


def _message(error: Any) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "missing":
        return _("wajib diisi")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        message = _("kunci tidak dikenal %r") % key
        close = difflib.get_close_matches(key, _all_field_names(), n=1)
        if close:
            message += " " + _("(maksudnya %r?)") % close[0]
        return message
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind not in {"value_error", "assertion_error"} and "input" in error:
        shown = repr(error["input"])
        if len(shown) <= 60 and not isinstance(error["input"], dict | list):
            message += f" (got {shown})"
    return message
