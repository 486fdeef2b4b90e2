"""The SOP definition, in the format of PermenPAN-RB 35/2012 ("SOP AP").

This is the normalized form every part of Kinerja reads: the engine (steps, executors,
branches, time standards), the calendar (working-time durations), the SOP document and its
flowchart, and SOP monitoring. YAML files are parsed by :mod:`kinerja.sop.loader` into this
model; ``SopDefinition.model_dump(mode="json")`` is the JSON that ``kinerja sop show --json``
prints and that :class:`kinerja.sop.models.SopVersion` stores.

Time standards are always working time; see :mod:`kinerja.workcalendar.calendar` for how
they become due instants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .durations import MAX_AMOUNT, TimeUnit, parse_duration

Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Applies(StrEnum):
    """When a time standard (and so a task variant) applies to a case's period."""

    ALWAYS = "always"
    QUARTERLY = "quarterly"  # every quarter
    ANNUAL = "annual"  # once a year, after the fourth quarter


class Scope(StrEnum):
    OFFICE = "office"  # one task for the whole office
    UNIT = "unit"  # one task per unit taking part


class Duration(Strict):
    """A working-time duration: ``{"amount": 15, "unit": "minute"}``."""

    amount: int = Field(gt=0, le=MAX_AMOUNT)
    unit: TimeUnit

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"

    @property
    def text(self) -> str:
        """The time as the SOP document prints it: ``15 Menit``, ``1 Jam``, ``1 Hari``."""
        return f"{self.amount} {_UNIT_TEXT[self.unit]}"

    @property
    def in_words(self) -> str:
        """The duration in the user's language, as working time: "15 menit kerja",
        "1 working day" (the SOP document itself always prints :attr:`text`)."""
        from django.utils.translation import ngettext

        n = self.amount
        if self.unit == TimeUnit.MINUTE:
            return ngettext("%(n)d menit kerja", "%(n)d menit kerja", n) % {"n": n}
        if self.unit == TimeUnit.HOUR:
            return ngettext("%(n)d jam kerja", "%(n)d jam kerja", n) % {"n": n}
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", n) % {"n": n}

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``"15 minutes"``, ``"1 day"``, ``"2 jam"``, ``"15 menit"``, ``"3 hari"``
        (:func:`kinerja.sop.durations.parse_duration`)."""
        amount, unit = parse_duration(text)
        return cls(amount=amount, unit=unit)


_UNIT_TEXT = {TimeUnit.MINUTE: "Menit", TimeUnit.HOUR: "Jam", TimeUnit.DAY: "Hari"}


class TimeStandard(Duration):
    """A step's time standard (waktu). A step may have several, e.g. step 6 of the seed:
    1 day for the quarterly report and 15 days for the annual one. Each becomes a task of its
    own (``code`` is the task's variant), run one after the other in the order given."""

    code: str = Field(default="", pattern=r"^[a-z0-9_-]*$", max_length=30)
    label: str = ""
    applies: Applies = Applies.ALWAYS
    output: str = ""


class Decision(Strict):
    """A decision (diamond): ``yes`` goes on to a step, ``no`` goes back to a step."""

    question: Text
    yes: int | None = Field(description="step number on yes; null ends the procedure")
    no: int = Field(description="step number to return to on no")
    yes_label: str = "Ya"
    no_label: str = "Tidak"


class Executor(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    name: Text
    description: str = ""


class Step(Strict):
    number: int = Field(ge=1)
    activity: Text
    executor: str
    scope: Scope = Scope.OFFICE
    inputs: list[Text] = Field(default_factory=list, description="kelengkapan")
    time: list[TimeStandard] = Field(min_length=1)
    output: str = ""
    notes: str = ""
    next: int | None = Field(default=None, description="next step; null ends (unless decision)")
    decision: Decision | None = None
    assignee_chosen_by: int | None = Field(
        default=None, description="the step whose actor picks who does this step"
    )
    handler: str = Field(default="", pattern=r"^([a-z_]+\.[a-z_]+)?$")

    @field_validator("time", mode="before")
    @classmethod
    def _time_shorthand(cls, value: Any) -> Any:
        """Accept ``time: 15 menit`` and ``time: {amount: 15, unit: minute}`` for a list of one;
        a string item becomes ``{amount, unit}``. The normalized form is always a list."""
        if isinstance(value, str | Mapping):
            value = [value]
        if isinstance(value, list):
            value = [
                Duration.parse(item).model_dump() if isinstance(item, str) else item
                for item in value
            ]
        return value

    @property
    def is_decision(self) -> bool:
        return self.decision is not None

    @property
    def time_text(self) -> str:
        """The Waktu cell: ``15 Menit``; with labels ``1 Hari untuk Penyusunan Laporan
        Triwulan dan 15 Hari untuk Laporan Kinerja Tahunan``."""
        parts = [f"{t.text} untuk {t.label}" if t.label else t.text for t in self.time]
        return " dan ".join(parts)


class ApprovedBy(Strict):
    position: str = ""
    name: str = ""
    nip: str = ""


class Identity(Strict):
    government: str = ""
    agency: str = ""
    unit: str = ""
    address: str = ""
    number: str = ""
    date_made: str = ""
    date_revised: str = ""
    date_effective: str = ""
    approved_by: ApprovedBy = ApprovedBy()


class Schedule(Strict):
    """When the first step opens by itself (``kinerja tick``)."""

    step: int = 1
    day: int = Field(default=10, ge=1, le=28)
    months: list[int] = Field(default_factory=lambda: [1, 4, 7, 10], min_length=1)
    period: str = Field(
        default="previous_quarter",
        pattern=r"^(previous_quarter|current_quarter|previous_year|current_year)$",
    )
    time: dt.time = dt.time(7, 30)

    @model_validator(mode="before")
    @classmethod
    def _yearly_by_default(cls, value: Any) -> Any:
        """A schedule that runs once a year reports on a year unless it says otherwise."""
        if isinstance(value, Mapping) and "period" not in value:
            months = value.get("months")
            if isinstance(months, list) and len(set(months)) == 1:
                return {**value, "period": "previous_year"}
        return value

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[int]) -> list[int]:
        bad = [m for m in value if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must be 1-12, got {bad}")
        return sorted(set(value))


class SopDefinition(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: Text = Field(max_length=250)
    identity: Identity = Identity()
    legal_basis: list[Text] = Field(default_factory=list, description="Dasar Hukum")
    executor_qualifications: list[Text] = Field(
        default_factory=list, description="Kualifikasi Pelaksana"
    )
    related_sops: list[Text] = Field(default_factory=list, description="Keterkaitan")
    equipment: list[Text] = Field(default_factory=list, description="Peralatan/Perlengkapan")
    warnings: list[Text] = Field(default_factory=list, description="Peringatan")
    records: list[Text] = Field(default_factory=list, description="Pencatatan dan Pendataan")
    executors: list[Executor] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    schedule: Schedule | None = None

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> SopDefinition:
        # The loader checks references itself, to report each problem on its own line.
        if info.context and info.context.get("skip_references"):
            return self
        problems = reference_problems(self.model_dump())
        if problems:
            raise ValueError("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in problems))
        return self

    # Convenience for the engine and renderers -------------------------------------------
    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise KeyError(number)

    def executor(self, code: str) -> Executor:
        for executor in self.executors:
            if executor.code == code:
                return executor
        raise KeyError(code)

    @property
    def first_step(self) -> Step:
        return self.steps[0]

    def join_step(self) -> Step | None:
        """The step that waits for every unit: the first office step after the first unit
        step (step 6 of the seed SOP); None when no office step follows one. (An SOP without
        unit steps answers its first office step, as the engine always has.)"""
        first_unit = min((s.number for s in self.steps if s.scope == Scope.UNIT), default=0)
        return next(
            (s for s in self.steps if s.scope == Scope.OFFICE and s.number > first_unit), None
        )

    def chooser_of(self, step: Step | int) -> Step | None:
        """The earlier step whose actor chooses who does ``step`` (``assignee_chosen_by``;
        step 2 chooses the analyst of step 3 in the seed); None when the role's holder does
        it."""
        step = self.step(step) if isinstance(step, int) else step
        return None if step.assignee_chosen_by is None else self.step(step.assignee_chosen_by)

    def chosen_by(self, step: Step | int) -> Step | None:
        """The later step whose doer the actor of ``step`` chooses (the inverse of
        :meth:`chooser_of`); None when ``step`` chooses nobody."""
        number = step if isinstance(step, int) else step.number
        return next((s for s in self.steps if s.assignee_chosen_by == number), None)


# Cross-references -------------------------------------------------------------------------

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """``("steps", 4, "decision", "no")`` -> ``steps[4].decision.no``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def reference_problems(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Every cross-reference problem of an SOP, as ``(location, message)`` pairs.

    Works on a validated definition's ``model_dump()`` and, best effort, on raw (possibly
    invalid) data, so the loader can report these next to type errors: values of the wrong
    type are skipped here, pydantic reports them.
    """
    problems: list[tuple[Loc, str]] = []
    executor_index: dict[str, int] = {}
    for i, executor in enumerate(_items(data.get("executors"))):
        code = _map(executor).get("code")
        if not isinstance(code, str):
            continue
        if code in executor_index:
            problems.append(
                (
                    ("executors", i, "code"),
                    f"duplicate executor code {code!r} (also executors[{executor_index[code]}])",
                )
            )
        else:
            executor_index[code] = i

    steps = [_map(step) for step in _items(data.get("steps"))]
    numbers = [_as_int(step.get("number")) for step in steps]
    known = {n for n in numbers if n is not None}
    for i, (step, number) in enumerate(zip(steps, numbers, strict=True)):
        where: Loc = ("steps", i)
        if number is not None and number != i + 1:
            if number in numbers[:i]:
                message = f"duplicate step number {number}"
            else:
                message = f"steps must be numbered 1, 2, 3... in order: expected {i + 1}"
            problems.append(((*where, "number"), f"{message}, got {number}"))
        executor = step.get("executor")
        if isinstance(executor, str) and executor not in executor_index:
            known_codes = ", ".join(executor_index) or "none"
            problems.append(
                ((*where, "executor"), f"unknown executor {executor!r} (known: {known_codes})")
            )
        next_ = _as_int(step.get("next"))
        decision = step.get("decision")
        decision = decision if isinstance(decision, Mapping) else None
        targets: list[tuple[Loc, int | None]] = [((*where, "next"), next_)]
        if decision is not None:
            if next_ is not None:
                problems.append(((*where, "next"), "a decision step takes 'decision', not 'next'"))
            targets += [
                ((*where, "decision", "yes"), _as_int(decision.get("yes"))),
                ((*where, "decision", "no"), _as_int(decision.get("no"))),
            ]
        for loc, target in targets:
            if target is not None and target not in known:
                problems.append((loc, f"no step {target}"))
        if number is not None:
            if next_ is not None and next_ in known and next_ <= number:
                problems.append(
                    ((*where, "next"), "must point forward (use a decision to go back)")
                )
            no = _as_int(decision.get("no")) if decision is not None else None
            if no is not None and no in known and no >= number:
                problems.append(((*where, "decision", "no"), "must point back to an earlier step"))
            chosen = _as_int(step.get("assignee_chosen_by"))
            if chosen is not None:
                if chosen not in known:
                    problems.append(((*where, "assignee_chosen_by"), f"no step {chosen}"))
                elif chosen >= number:
                    problems.append(((*where, "assignee_chosen_by"), "must be an earlier step"))
        seen_variants: set[str] = set()
        for j, time in enumerate(_items(step.get("time"))):
            if not isinstance(time, Mapping):
                continue
            variant = time.get("code", "")
            if not isinstance(variant, str):
                continue
            if variant in seen_variants:
                problems.append(
                    (
                        (*where, "time", j, "code"),
                        "each time standard of a step needs its own code"
                        + (f" ({variant!r} is used twice)" if variant else ""),
                    )
                )
            seen_variants.add(variant)

    schedule = data.get("schedule")
    if isinstance(schedule, Mapping):
        first = _as_int(schedule.get("step", 1))
        if first is not None and first not in known:
            problems.append((("schedule", "step"), f"no step {first}"))
    return problems
