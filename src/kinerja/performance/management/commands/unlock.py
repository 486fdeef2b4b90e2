"""``kinerja unlock --agency CODE --period 2026-Q3 --unit CODE --user USERNAME --reason TEXT``:
unlock a unit's approved quarter from the command line.

The same service as the case page's "Buka kunci": ``--user`` must be an administrator of
the agency (or a superuser); the reason is required and recorded; the unlock is audited in
that user's name; the unit goes back to the report-entry step of the case (step 4 of the
seed) and is locked again when the review step approves it. Exit status 0: unlocked;
1: refused (one line saying why).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError
from kinerja.core.periods import Period
from kinerja.organization.models import Agency, Unit


class Command(BaseCommand):
    help = "Buka kunci data kinerja satu unit untuk satu triwulan (dengan alasan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="kode instansi")
        parser.add_argument("--period", required=True, help="triwulan, misalnya 2026-Q3")
        parser.add_argument("--unit", required=True, help="kode unit kerja")
        parser.add_argument(
            "--user", required=True, help="nama pengguna pengelola data (tercatat di log)"
        )
        parser.add_argument("--reason", required=True, help="alasan membuka kunci")

    def handle(self, *args, **options) -> None:
        from kinerja.performance.services import unit_period_unlock

        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("Instansi %(code)s tidak ada.") % {"code": options["agency"]})
        try:
            period = Period.parse(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not period.is_quarter:
            raise CommandError(
                _("Periode %(period)s bukan triwulan; gunakan misalnya 2026-Q3.")
                % {"period": period}
            )
        unit = Unit.objects.filter(agency=agency, code=options["unit"]).first()
        if unit is None:
            codes = ", ".join(
                Unit.objects.filter(agency=agency)
                .order_by("order", "code")
                .values_list("code", flat=True)
            )
            raise CommandError(
                _("Unit %(code)s tidak ada di %(agency)s (ada: %(codes)s).")
                % {"code": options["unit"], "agency": agency.code, "codes": codes}
            )
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("Pengguna %(name)s tidak ada.") % {"name": options["user"]})
        try:
            lock = unit_period_unlock(
                actor=user, unit=unit, period=period, reason=options["reason"]
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            _("Kunci data %(unit)s %(period)s dibuka.") % {"unit": unit, "period": period.label}
        )
        if lock.reopened_task is not None:
            self.stdout.write(
                _(
                    "Unit kembali ke langkah %(step)s untuk diperbaiki; setelah disetujui lagi, "
                    "datanya dikunci kembali."
                )
                % {"step": lock.reopened_task.step}
            )
