"""The engine: every change to a case or task goes through one of these services.

Each service runs in one transaction, locks what it changes (the case row first, then the
task row, always in that order so two users never deadlock), checks that the actor may make
the move, writes the change and an audit event, and publishes its events in the same
transaction (:mod:`kinerja.core.outbox`: delivered after the commit, and by the worker if the
process dies first). A wrong move raises :class:`ApplicationError` and,
because the transaction rolls back, changes nothing.

The package, by subject: :mod:`.tasks` (completing a task), :mod:`.cases` (opening a case,
sending a unit back, going on without a late unit), :mod:`.dispositions`, and :mod:`.flow`
(activating tasks, fan-out, join, the end of a case). Where the flow goes is decided by the
pure :func:`kinerja.workflow.routing.route`. The rules of the flow are data (the SOP
definition); the engine only interprets them:

* a step's ``scope`` decides fan-out: an office step followed by a unit step activates one
  task per unit taking part; a unit step followed by an office step is a join that waits
  until every unit taking part has arrived (or was released as late);
* a decision step goes on to ``decision.yes`` on approval and back to ``decision.no`` on a
  return (comment required), for that unit only; rounds are counted per step and unit;
* a step with several time standards (step 6: quarterly, then annual after Q4) runs one task
  per applicable standard, one after the other;
* ``assignee_chosen_by`` lets the actor of an earlier step pick the user who does this one.
"""

from __future__ import annotations

from ..permissions import user_may_act_on_task
from ..routing import applicable_standards
from .cases import case_open, case_release_unit, case_unit_reopen
from .dispositions import disposition_create, disposition_mark_read, dispositions_mark_read
from .tasks import task_complete

__all__ = [
    "applicable_standards",
    "case_open",
    "case_release_unit",
    "case_unit_reopen",
    "disposition_create",
    "disposition_mark_read",
    "dispositions_mark_read",
    "task_complete",
    "user_may_act_on_task",
]
