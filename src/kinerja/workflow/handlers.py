"""Step handlers: how a domain attaches validation and output to a step of an SOP.

A step in the YAML may name a handler (``handler: performance.report_entry``). The engine
calls it while completing a task of that step, inside the same transaction:

1. ``validate(...)`` before anything changes: raise :class:`ApplicationError` with one detail
   line per problem (kelengkapan, e.g. every missing realisation) to refuse the move;
2. ``on_complete(...)`` after the task is closed and the next tasks are activated: write the
   step's output (dispositions, locks, documents).

``form_class`` / ``template_name`` let the web app render the step's own screen. Steps without
a handler (or with a handler no app registered) use :class:`StepHandler` itself: a note and
nothing else, which is enough to run any other SOP.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Task

logger = logging.getLogger(__name__)


class StepHandler:
    code = ""
    #: Template the web app includes on the task page for this step (optional).
    template_name: str | None = None

    def validate(self, *, task: Task, actor, outcome: str, data: dict[str, Any]) -> None:
        """Raise ApplicationError to refuse completing ``task``. Must not write."""

    def on_complete(
        self, *, task: Task, actor, outcome: str, data: dict[str, Any], activated: list[Task]
    ) -> None:
        """Write the step's output. Runs inside the engine's transaction."""

    def default_instruction(self, task: Task) -> str:
        """The instruction the step's form starts with (and the step's output uses when the
        actor leaves it empty); none for a plain step."""
        return ""

    def on_reopen(self, *, task: Task, actor) -> None:
        """Called when a later decision sends the flow back to this step (a return)."""


_registry: dict[str, StepHandler] = {}
_default = StepHandler()


def register(code: str):
    """Class decorator: ``@register("performance.report_entry")``."""

    def decorate(cls: type[StepHandler]) -> type[StepHandler]:
        instance = cls()
        instance.code = code
        _registry[code] = instance
        return cls

    return decorate


def get_handler(code: str) -> StepHandler:
    if not code:
        return _default
    handler = _registry.get(code)
    if handler is None:
        logger.warning("No step handler registered for %r; using the plain handler", code)
        return _default
    return handler


def registered() -> dict[str, StepHandler]:
    return dict(_registry)
