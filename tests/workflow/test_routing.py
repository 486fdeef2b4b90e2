"""Routing on its own: where the flow goes is a pure function of the SOP definition, the
step, the task and its outcome (no database), checked on the seed SOP and on small
definitions written for one rule each."""

from __future__ import annotations

import pytest

from kinerja.core.periods import Period
from kinerja.sop.loader import load_sop_file, parse_sop
from kinerja.workflow.models import Task
from kinerja.workflow.routing import Move, applicable_standards, route, start
from tests.sop.conftest import SEED

Q3, Q4, YEAR = Period.parse("2026-Q3"), Period.parse("2026-Q4"), Period.parse("2026")


@pytest.fixture(scope="module")
def seed():
    return load_sop_file(SEED)


def at(step: int, unit_id: int | None = None, variant: str = "") -> Task:
    """An unsaved task (routing reads only its step, unit and variant)."""
    return Task(step=step, unit_id=unit_id, variant=variant)


def go(spec, task: Task, outcome: str = "done", period: Period = Q3):
    return route(spec, spec.step(task.step), task, outcome, period=period)


def sop(steps: str) -> object:
    return parse_sop(
        "code: kecil\ntitle: Kecil\nexecutors:\n"
        "  - {code: sekcam, name: Sekcam}\n  - {code: kasi, name: Kasi}\n"
        "steps:\n" + steps
    )


def test_the_seed_sop_step_by_step(seed):
    assert start(seed).move == Move.OFFICE and start(seed).target == 1
    # 1 (office) fans out into 2 (unit), whose actor chooses the doer of 3.
    one = go(seed, at(1))
    assert (one.move, one.target, one.chooses_doer, one.reopens) == (Move.FAN_OUT, 2, False, None)
    two = go(seed, at(2, unit_id=7))
    assert (two.move, two.target, two.chooses_doer) == (Move.SAME_UNIT, 3, True)
    assert go(seed, at(3, unit_id=7)).target == 4
    assert not go(seed, at(3, unit_id=7)).chooses_doer
    # 5 decides: approval joins the office step 6; a return goes back to 4 (a back-edge).
    approved = go(seed, at(5, unit_id=7), "approved")
    assert (approved.move, approved.target, approved.reopens) == (Move.JOIN, 6, None)
    returned = go(seed, at(5, unit_id=7), "returned")
    assert (returned.move, returned.target) == (Move.SAME_UNIT, 4)
    assert returned.reopens is seed.step(4)
    # 6 in Q1-Q3 has one task (quarterly); the procedure ends after it.
    assert [s.code for s in applicable_standards(seed.step(6), Q3)] == ["triwulan"]
    assert go(seed, at(6, variant="triwulan")).move == Move.END


def test_step_6_runs_its_variants_one_after_the_other(seed):
    step6 = seed.step(6)
    assert [s.code for s in applicable_standards(step6, Q4)] == ["triwulan", "tahunan"]
    assert [s.code for s in applicable_standards(step6, YEAR)] == ["tahunan"]
    first = go(seed, at(6, variant="triwulan"), period=Q4)
    assert first.move == Move.NEXT_VARIANT and first.step is step6
    assert first.standard.code == "tahunan" and first.target is None
    assert go(seed, at(6, variant="tahunan"), period=Q4).move == Move.END
    assert go(seed, at(6, variant="tahunan"), period=YEAR).move == Move.END


def test_the_seed_definition_answers_join_and_chooser(seed):
    assert seed.join_step().number == 6
    assert seed.chooser_of(3).number == 2 and seed.chooser_of(seed.step(2)) is None
    assert seed.chosen_by(2).number == 3 and seed.chosen_by(3) is None


def test_fan_out_join_and_office_to_office():
    spec = sop(
        "  - {number: 1, activity: Tugaskan, executor: sekcam, time: 15 menit, next: 2}\n"
        "  - {number: 2, activity: Tugaskan lagi, executor: sekcam, time: 15 menit, next: 3}\n"
        "  - {number: 3, activity: Kerjakan, executor: kasi, time: 1 hari, scope: unit,"
        " next: 4}\n"
        "  - {number: 4, activity: Rekap, executor: sekcam, time: 1 hari}\n"
    )
    assert go(spec, at(1)).move == Move.OFFICE and go(spec, at(1)).target == 2
    assert go(spec, at(2)).move == Move.FAN_OUT
    assert go(spec, at(3, unit_id=1)).move == Move.JOIN and go(spec, at(3, unit_id=1)).target == 4
    assert go(spec, at(4)).move == Move.END
    assert spec.join_step().number == 4
    assert spec.chooser_of(3) is None and spec.chosen_by(1) is None


def test_a_decision_back_edge_and_an_office_decision_that_ends():
    spec = sop(
        "  - {number: 1, activity: Susun, executor: kasi, time: 1 hari, scope: unit, next: 2}\n"
        "  - number: 2\n    activity: Periksa\n    executor: kasi\n    time: 1 jam\n"
        "    scope: unit\n    decision: {question: Benar?, 'yes': 3, 'no': 1}\n"
        "  - number: 3\n    activity: Setujui\n    executor: sekcam\n    time: 1 jam\n"
        "    decision: {question: Setuju?, 'yes': null, 'no': 2}\n"
    )
    back = go(spec, at(2, unit_id=5), "returned")
    assert (back.move, back.target, back.reopens) == (Move.SAME_UNIT, 1, spec.step(1))
    on = go(spec, at(2, unit_id=5), "approved")
    assert (on.move, on.target, on.reopens) == (Move.JOIN, 3, None)
    assert go(spec, at(3), "approved").move == Move.END
    # A return from the office step goes back to every unit's step 2.
    again = go(spec, at(3), "returned")
    assert (again.move, again.target, again.reopens) == (Move.FAN_OUT, 2, spec.step(2))
    assert start(spec).move == Move.FAN_OUT
    assert spec.join_step().number == 3


def test_a_chosen_doer_is_asked_only_of_the_step_that_chooses():
    spec = sop(
        "  - {number: 1, activity: Pilih, executor: sekcam, time: 15 menit, next: 2}\n"
        "  - {number: 2, activity: Kerjakan, executor: kasi, time: 1 hari, next: 3,"
        " assignee_chosen_by: 1}\n"
        "  - {number: 3, activity: Periksa, executor: sekcam, time: 1 jam}\n"
    )
    assert go(spec, at(1)).chooses_doer and go(spec, at(1)).target == 2
    assert not go(spec, at(2)).chooses_doer
    assert spec.chooser_of(2).number == 1 and spec.chosen_by(1).number == 2
