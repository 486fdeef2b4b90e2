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
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class TimeUnit(StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"


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

    amount: int = Field(gt=0, le=10_000)
    unit: TimeUnit

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}"

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``"15 minutes"``, ``"1 day"``, ``"2 jam"``, ``"15 menit"``, ``"3 hari"``."""
        parts = str(text).strip().lower().split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise ValueError(f"not a duration: {text!r} (use e.g. '15 minutes', '1 day')")
        units = {
            "minute": TimeUnit.MINUTE, "minutes": TimeUnit.MINUTE, "min": TimeUnit.MINUTE,
            "menit": TimeUnit.MINUTE, "hour": TimeUnit.HOUR, "hours": TimeUnit.HOUR,
            "jam": TimeUnit.HOUR, "day": TimeUnit.DAY, "days": TimeUnit.DAY,
            "hari": TimeUnit.DAY,
        }
        if parts[1] not in units:
            raise ValueError(f"unknown time unit {parts[1]!r} (minute, hour or day)")
        return cls(amount=int(parts[0]), unit=units[parts[1]])


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

    @property
    def is_decision(self) -> bool:
        return self.decision is not None


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
        default="previous_quarter", pattern=r"^(previous_quarter|current_quarter)$"
    )
    time: dt.time = dt.time(7, 30)

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[int]) -> list[int]:
        bad = [m for m in value if not 1 <= m <= 12]
        if bad:
            raise ValueError(f"months must be 1-12, got {bad}")
        return sorted(set(value))


class SopDefinition(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: Text
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
    def _references(self) -> SopDefinition:
        problems: list[str] = []
        codes = [e.code for e in self.executors]
        if len(set(codes)) != len(codes):
            problems.append("executors: codes must be unique")
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"steps: must be numbered 1, 2, 3... in order, got {numbers}")
        known = set(numbers)
        for i, step in enumerate(self.steps):
            where = f"steps[{i}] (step {step.number})"
            if step.executor not in codes:
                problems.append(f"{where}.executor: unknown executor {step.executor!r}")
            targets = [("next", step.next)]
            if step.decision:
                if step.next is not None:
                    problems.append(f"{where}: a decision step takes 'decision', not 'next'")
                targets += [("decision.yes", step.decision.yes), ("decision.no", step.decision.no)]
            for name, target in targets:
                if target is not None and target not in known:
                    problems.append(f"{where}.{name}: no step {target}")
            if step.next is not None and step.next <= step.number:
                problems.append(f"{where}.next: must point forward (use a decision to go back)")
            if step.decision and step.decision.no >= step.number:
                problems.append(f"{where}.decision.no: must point back to an earlier step")
            if step.assignee_chosen_by is not None and step.assignee_chosen_by >= step.number:
                problems.append(f"{where}.assignee_chosen_by: must be an earlier step")
            variant_codes = [t.code for t in step.time]
            if len(set(variant_codes)) != len(variant_codes):
                problems.append(f"{where}.time: each time standard needs its own code")
        if self.schedule and self.schedule.step not in known:
            problems.append(f"schedule.step: no step {self.schedule.step}")
        if problems:
            raise ValueError("; ".join(problems))
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
