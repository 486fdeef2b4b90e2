"""Writing notifications and sending their e-mail.

* :func:`notification_create` makes one notice once (a unique constraint decides between two
  processes) and, if the user wants e-mail, enqueues the mail after the commit.
* :func:`notification_send_email` is what the background task runs: it claims the notice
  with a compare-and-set update (no lock is held while the mail server is talking), sends
  through Django's mail backend and records ``sent`` or ``failed`` with the reason.
  A failure is retried by :func:`kinerja.notifications.scheduler.tick` with backoff, at most
  :data:`MAX_EMAIL_ATTEMPTS` times.
* Marking read and the e-mail preference are the only writes a user makes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from kinerja.core.errors import ApplicationError
from kinerja.workflow.models import Case, Task

from .messages import Message
from .models import Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
#: Delay before the first retry; doubled after every further failure (5, 10, 20, 40 min).
RETRY_BASE = dt.timedelta(minutes=5)
#: A pending mail whose background task never ran (a lost worker) is enqueued again after this.
PENDING_GRACE = dt.timedelta(minutes=30)


def wants_email(user) -> bool:
    return bool(user.is_active and user.email_notifications and user.email)


def _reverse_first(names: Iterable[str], pk: int) -> str | None:
    for name in names:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def task_link(task: Task) -> str:
    """The path of the task's page (the web app's, when it has one), else the home page."""
    return _reverse_first(["web:task", "web:task_detail", "workflow:task_detail"], task.pk) or "/"


def case_link(case: Case) -> str:
    return _reverse_first(["web:case", "web:case_detail", "workflow:case_detail"], case.pk) or "/"


def notification_create(
    *,
    recipient,
    kind: str,
    dedupe_key: str,
    render,
    task: Task | None = None,
    case: Case | None = None,
    link: str = "",
    now: dt.datetime | None = None,
) -> Notification | None:
    """Record a notice for ``recipient`` unless this event was already told to them.

    Who: the signal receivers and the scheduler (never a view). ``render`` is called with no
    arguments inside ``translation.override(recipient.language)`` and returns a
    :class:`~.messages.Message`. Runs in a savepoint: a duplicate (the unique constraint
    ``recipient, kind, dedupe_key``) returns None and changes nothing. Side effect: after the
    commit, the e-mail task is enqueued when the recipient wants e-mail.
    """
    now = now or timezone.now()
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        message: Message = render()
    email = wants_email(recipient)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                dedupe_key=dedupe_key,
                task=task,
                case=case or (task.case if task is not None else None),
                subject=message.subject[:250],
                body=message.body,
                link=link,
                created_at=now,
                email_status=(
                    Notification.EmailStatus.PENDING
                    if email
                    else Notification.EmailStatus.NOT_WANTED
                ),
                next_attempt_at=now + PENDING_GRACE if email else None,
            )
    except IntegrityError:
        if Notification.objects.filter(
            recipient=recipient, kind=kind, dedupe_key=dedupe_key
        ).exists():
            return None
        raise
    if email:
        pk = notification.pk
        transaction.on_commit(lambda: enqueue_email(pk))
    return notification


def enqueue_email(notification_id: int) -> None:
    """Hand the mail to the background worker. Never raises: a notice whose task could not be
    enqueued stays ``pending`` and the next tick after ``next_attempt_at`` enqueues it again."""
    from .tasks import send_notification_email

    try:
        send_notification_email.enqueue(notification_id=notification_id)
    except Exception:
        logger.exception("Could not enqueue the e-mail of notification %s", notification_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failed attempt: 5, 10, 20, 40 minutes..."""
    return RETRY_BASE * (2 ** max(attempts - 1, 0))


def notification_send_email(*, notification_id: int, now: dt.datetime | None = None) -> str:
    """Send the notice's e-mail once and record the result; returns the new e-mail status.

    Who: the background task (and tests). Locks nothing while the mail server is talking:
    the notice is claimed by bumping ``email_attempts`` with a compare-and-set update, so two
    workers never send the same mail. Never raises for a mail error: it is recorded as
    ``failed`` with the reason and retried by the scheduler.
    """
    now = now or timezone.now()
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None:
        return "missing"
    if notification.email_status not in (
        Notification.EmailStatus.PENDING,
        Notification.EmailStatus.FAILED,
    ):
        return notification.email_status
    user = notification.recipient
    if not wants_email(user):
        Notification.objects.filter(pk=notification.pk).update(
            email_status=Notification.EmailStatus.NOT_WANTED, next_attempt_at=None
        )
        return Notification.EmailStatus.NOT_WANTED
    attempts = notification.email_attempts
    if attempts >= MAX_EMAIL_ATTEMPTS:
        return notification.email_status
    claimed = Notification.objects.filter(
        pk=notification.pk,
        email_attempts=attempts,
        email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.FAILED],
    ).update(email_attempts=F("email_attempts") + 1, next_attempt_at=now + PENDING_GRACE)
    if not claimed:
        return "claimed_elsewhere"
    attempts += 1
    body = notification.body
    if notification.link:
        body += f"\n\n{settings.SITE_URL}{notification.link}"
    try:
        send_mail(
            subject=f"[Kinerja] {notification.subject}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
            fail_silently=False,
        )
    except Exception as exc:  # any backend error: SMTP, DNS, TLS, timeouts
        logger.warning("E-mail of notification %s failed: %s", notification.pk, exc)
        Notification.objects.filter(pk=notification.pk).update(
            email_status=Notification.EmailStatus.FAILED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=(now + retry_delay(attempts))
            if attempts < MAX_EMAIL_ATTEMPTS
            else None,
        )
        return Notification.EmailStatus.FAILED
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Notification.EmailStatus.SENT, sent_at=now, next_attempt_at=None
    )
    return Notification.EmailStatus.SENT


def notification_mark_read(
    *, user, notification: Notification, now: dt.datetime | None = None
) -> None:
    """The recipient has read one notice. Who: the recipient only (checked by the caller
    through :func:`.permissions.access_notification_for_user`); reading again changes nothing."""
    if notification.recipient_id != user.pk:
        raise ApplicationError("not yours", code="permission_denied")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def notification_mark_all_read(*, user, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of ``user`` read; returns how many. One UPDATE, no lock."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def notification_preferences_update(*, user, email_notifications: bool) -> None:
    """The user turns e-mail notices on or off for themselves. Pending mails of a user who
    turns e-mail off are not sent (the sender re-checks the preference)."""
    user.email_notifications = email_notifications
    user.save(update_fields=["email_notifications"])
