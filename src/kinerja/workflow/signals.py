"""Events the engine publishes after its transaction commits.

Receivers (notifications, later the API's webhooks) load what they need by id; they never
run inside the engine's transaction, so a failing mail server cannot block a workflow step.
"""

from django.dispatch import Signal

#: kwargs: task_ids (list[int]) — tasks that became active (someone has new work).
tasks_activated = Signal()
#: kwargs: task_id (int) — a task was completed (approved, returned or done).
task_completed = Signal()
#: kwargs: case_id (int) — every step of the case is done.
case_completed = Signal()
