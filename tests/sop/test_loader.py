"""Bad SOP files: every problem reported at once, each with its line and path."""

from __future__ import annotations

import pytest

from kinerja.sop.loader import LoadProblem, SopLoadError, load_sop_file, parse_sop
from kinerja.sop.schema import SopDefinition

from .conftest import DATA

NAME = "permohonan-cuti.yaml"


def problems_of(text: str) -> list[LoadProblem]:
    with pytest.raises(SopLoadError) as info:
        parse_sop(text, NAME)
    return info.value.errors


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# (id, old, new, [(line, path, message fragment), ...]); lines of data/permohonan-cuti.yaml
BAD = [
    (
        "yaml-syntax",
        "    executor: atasan\n",
        "    executor: atasan: x\n",
        [(23, "", "mapping values are not allowed")],
    ),
    (
        "unknown-key",
        "    output: Surat Izin Cuti\n",
        "    ouput: Surat Izin Cuti\n",
        [(34, "steps[2].ouput", "'output'")],
    ),
    (
        "unknown-top-level-key",
        "title: Permohonan Cuti\n",
        "title: Permohonan Cuti\nwarning: Awas\n",
        [(4, "warning", "'warnings'")],
    ),
    (
        "missing-field",
        "    executor: kepegawaian\n",
        "",
        [(30, "steps[2].executor", "wajib")],
    ),
    (
        "missing-nested-field",
        "      question: Cuti disetujui?\n",
        "",
        [(26, "steps[1].decision.question", "wajib")],
    ),
    (
        "bad-executor-reference",
        "    executor: atasan\n",
        "    executor: boss\n",
        [(23, "steps[1].executor", "unknown executor 'boss'")],
    ),
    (
        "step-pointing-nowhere",
        "      yes: 3\n",
        "      yes: 9\n",
        [(28, "steps[1].decision.yes", "no step 9")],
    ),
    (
        "next-pointing-nowhere",
        "    next: 2\n",
        "    next: 7\n",
        [(20, "steps[0].next", "no step 7")],
    ),
    (
        "duplicate-step-numbers",
        "  - number: 3\n",
        "  - number: 2\n",
        [
            (30, "steps[2].number", "duplicate step number 2"),
            (28, "steps[1].decision.yes", "no step 3"),
        ],
    ),
    (
        "duplicate-executor-codes",
        "  - code: kepegawaian\n",
        "  - code: atasan\n",
        [
            (11, "executors[2].code", "duplicate executor code 'atasan'"),
            (32, "steps[2].executor", "unknown executor 'kepegawaian'"),
        ],
    ),
    (
        "duplicate-key",
        "    output: Permohonan Cuti\n",
        "    output: Permohonan Cuti\n    output: Lagi\n",
        [(20, "steps[0].output", "kunci ganda")],
    ),
    (
        "wrong-type-int",
        "      no: 1\n",
        "      no: satu\n",
        [(29, "steps[1].decision.no", "integer")],
    ),
    (
        "wrong-type-list",
        "    inputs: [Formulir Cuti]\n",
        "    inputs: {a: 1}\n",
        [(17, "steps[0].inputs", "list")],
    ),
    (
        "bad-time",
        "    time: 1 hari\n",
        "    time: sehari\n",
        [(24, "steps[1].time", "not a duration")],
    ),
    (
        "bad-enum",
        "    time: [{amount: 2, unit: hour}]\n",
        "    time: [{amount: 2, unit: week}]\n",
        [(33, "steps[2].time[0].unit", "'minute', 'hour' or 'day'")],
    ),
    (
        "nip-not-18-digits",
        "  agency: Kantor Contoh\n",
        "  agency: Kantor Contoh\n  approved_by:\n    nip: 1969112 202101 1 001\n",
        [(7, "identity.approved_by.nip", "harus 18 angka (tertulis 17 angka)")],
    ),
    (
        "nip-with-letters",
        "  agency: Kantor Contoh\n",
        "  agency: Kantor Contoh\n  approved_by:\n    nip: 19691120 2021O1 1 001\n",
        [(7, "identity.approved_by.nip", "harus 18 angka")],
    ),
    (
        "decision-goes-forward",
        "      no: 1\n",
        "      no: 3\n",
        [(29, "steps[1].decision.no", "earlier step")],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_file_reports_line_and_path(
    leave_text: str, old: str, new: str, expected: list[tuple[int, str, str]]
) -> None:
    problems = problems_of(edit(leave_text, old, new))
    for line, path, fragment in expected:
        matching = [p for p in problems if p.path == path and fragment in p.message]
        assert matching, f"no {path}: …{fragment}… in {[str(p) for p in problems]}"
        assert matching[0].line == line, str(matching[0])
        assert matching[0].file == NAME


def test_problem_renders_like_a_compiler(leave_text: str) -> None:
    (problem,) = problems_of(edit(leave_text, "      yes: 3\n", "      yes: 9\n"))
    assert str(problem) == "permohonan-cuti.yaml:28: steps[1].decision.yes: no step 9"


def test_every_error_reported_at_once(leave_text: str) -> None:
    text = edit(leave_text, "    executor: atasan\n", "    executor: boss\n")
    text = edit(text, "      no: 1\n", "      no: satu\n")
    text = edit(text, "    output: Surat Izin Cuti\n", "    ouput: Surat Izin Cuti\n")
    text = edit(text, "    next: 2\n", "    next: 7\n")
    problems = problems_of(text)
    found = {(p.line, p.path) for p in problems}
    assert found == {
        (20, "steps[0].next"),
        (23, "steps[1].executor"),
        (29, "steps[1].decision.no"),
        (34, "steps[2].ouput"),
    }
    # In line order, so the list reads like the file.
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_error_message_lists_details(leave_text: str) -> None:
    with pytest.raises(SopLoadError) as info:
        parse_sop(edit(leave_text, "    executor: atasan\n", "    executor: boss\n"), NAME)
    assert str(info.value).startswith("Berkas SOP tidak valid\n- permohonan-cuti.yaml:23: ")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "pemetaan"), ("- a\n- b\n", "pemetaan"), ("just text\n", "pemetaan")],
)
def test_not_a_mapping(text: str, fragment: str) -> None:
    (problem,) = problems_of(text)
    assert problem.line == 1
    assert fragment in problem.message


def test_missing_top_level_fields() -> None:
    problems = problems_of("code: x\n")
    assert {p.path for p in problems} == {"title", "executors", "steps"}
    assert {p.line for p in problems} == {1}


def test_model_validate_still_rejects_bad_references(leave_text: str) -> None:
    """Code that validates definitions directly (not via the loader) gets the checks too."""
    sop = parse_sop(leave_text, NAME)
    data = sop.model_dump(mode="json")
    data["steps"][1]["decision"]["yes"] = 9
    with pytest.raises(ValueError, match=r"steps\[1\]\.decision\.yes: no step 9"):
        SopDefinition.model_validate(data)


def test_load_sop_file_uses_the_file_name(tmp_path) -> None:
    path = tmp_path / "rusak.yaml"
    path.write_text("code: x\ntitle: [\n", encoding="utf-8")
    with pytest.raises(SopLoadError) as info:
        load_sop_file(path)
    assert info.value.errors[0].file == "rusak.yaml"
    assert info.value.errors[0].line >= 2


def test_load_sop_file_not_utf8(tmp_path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: Pengumpulan Data Kinerja \xe9\n".encode("latin-1"))
    with pytest.raises(SopLoadError):
        load_sop_file(path)


def test_example_file_is_valid() -> None:
    assert load_sop_file(DATA / "permohonan-cuti.yaml").code == "permohonan-cuti"
