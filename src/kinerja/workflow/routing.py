"""Where the flow goes after a task: a pure function of the SOP definition, the step, the
task and its outcome. No database: the engine (:mod:`kinerja.workflow.services`) reads the
answer and does the writes.

The rules (all from the definition):

* a step with several time standards (step 6 of the seed: quarterly, then annual after Q4)
  runs one task per applicable standard, one after the other: the next standard comes first;
* a decision goes on to ``decision.yes`` when approved and back to ``decision.no`` when
  returned (a back-edge: the step returned to is told, :attr:`Route.reopens`);
* otherwise the step's ``next``; ``None`` ends the procedure;
* the target's ``scope`` decides fan-out and join: from an office step (or the start) into a
  unit step activates one task per unit taking part; from a unit step into a unit step, the
  same unit's task; from a unit step into an office step, the unit waits there until every
  unit taking part has arrived (the join);
* when the target's doer is chosen by this step (``assignee_chosen_by``) the actor must name
  them (:attr:`Route.chooses_doer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kinerja.core.periods import Period
from kinerja.sop.schema import Applies, Scope, SopDefinition, Step, TimeStandard

from .models import Task


class Move(StrEnum):
    """What the engine does with the route's step."""

    NEXT_VARIANT = "next_variant"  # the same step again, next time standard, same unit
    SAME_UNIT = "same_unit"  # a unit step for the unit of the task just completed
    FAN_OUT = "fan_out"  # a unit step, one task per unit taking part
    JOIN = "join"  # the unit waits at an office step; it opens when every unit has arrived
    OFFICE = "office"  # an office step
    END = "end"  # the procedure ends; the case closes once no task is open


@dataclass(frozen=True)
class Route:
    """The answer of :func:`route`: what to activate (``move`` into ``step``, with
    ``standard`` for the next variant) and what to tell (``reopens``: the earlier step a
    return goes back to). ``chooses_doer``: the step entered has its doer chosen by the
    actor (an assignee is required, and allowed only then)."""

    move: Move
    step: Step | None = None
    standard: TimeStandard | None = None
    reopens: Step | None = None
    chooses_doer: bool = False

    @property
    def target(self) -> int | None:
        """The number of the step entered (None when the procedure ends or the same step
        runs again for its next variant)."""
        return None if self.move == Move.NEXT_VARIANT or self.step is None else self.step.number


class TaskLike(Protocol):
    variant: str
    unit_id: int | None


def applicable_standards(step: Step, period: Period) -> list[TimeStandard]:
    """The time standards of ``step`` that apply to ``period``, in order (one task each)."""
    result = []
    for standard in step.time:
        if standard.applies == Applies.ALWAYS:
            result.append(standard)
        elif standard.applies == Applies.QUARTERLY and period.is_quarter:
            result.append(standard)
        elif standard.applies == Applies.ANNUAL and (
            period.is_last_quarter or not period.is_quarter
        ):
            result.append(standard)
    return result or list(step.time[:1])


def next_standard(step: Step, variant: str, period: Period) -> TimeStandard | None:
    """The time standard after ``variant`` among those that apply to ``period``; None when
    ``variant`` was the last (or is not one of them)."""
    codes = [s.code for s in applicable_standards(step, period)]
    if variant in codes and codes.index(variant) + 1 < len(codes):
        return applicable_standards(step, period)[codes.index(variant) + 1]
    return None


def entry(spec: SopDefinition, target: int | None, *, from_unit: bool) -> Route:
    """How the flow enters step ``target`` (None: the end) coming from a unit task
    (``from_unit``) or from an office task or the start."""
    if target is None:
        return Route(Move.END)
    step = spec.step(target)
    if step.scope == Scope.UNIT:
        return Route(Move.SAME_UNIT if from_unit else Move.FAN_OUT, step)
    return Route(Move.JOIN if from_unit else Move.OFFICE, step)


def start(spec: SopDefinition) -> Route:
    """How a new case enters its first step."""
    return entry(spec, spec.first_step.number, from_unit=False)


def route(
    spec: SopDefinition, step: Step, task: TaskLike, outcome: str, *, period: Period
) -> Route:
    """Where the flow goes when ``task`` (of ``step``, in a case of ``period``) is completed
    with ``outcome``. The outcome is assumed valid for the step (checked by the engine)."""
    standard = next_standard(step, task.variant, period)
    if standard is not None:
        return Route(Move.NEXT_VARIANT, step, standard=standard)
    if step.decision is not None:
        target = step.decision.yes if outcome == Task.Outcome.APPROVED else step.decision.no
    else:
        target = step.next
    found = entry(spec, target, from_unit=task.unit_id is not None)
    if found.step is None:
        return found
    chosen = spec.chosen_by(step)
    return Route(
        found.move,
        found.step,
        reopens=found.step if found.step.number < step.number else None,
        chooses_doer=chosen is not None and chosen.number == found.step.number,
    )
