"""An agency's office hours per weekday and admins' holiday overrides.

These rows are the configurable part of working time; :mod:`.selectors` turns them into a
pure :class:`~kinerja.workcalendar.calendar.WorkCalendar`. An agency without OfficeHours rows
works the default hours (Perpres 21/2023: Mon-Thu 07:30-16:00, Fri 07:30-16:30).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .calendar import DayKind


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


class OfficeHours(models.Model):
    """One weekday's office hours of an agency; a weekday without a row is closed."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="office_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start = models.TimeField(_("jam masuk"))
    end = models.TimeField(_("jam pulang"))
    break_start = models.TimeField(_("mulai istirahat"), null=True, blank=True)
    break_end = models.TimeField(_("selesai istirahat"), null=True, blank=True)

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        ordering = ["agency", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "weekday"], name="workcalendar_officehours_weekday_unique"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="workcalendar_officehours_weekday_range",
                violation_error_message=_("Hari harus antara Senin (0) dan Minggu (6)."),
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="workcalendar_officehours_start_before_end",
                violation_error_message=_("Jam masuk harus sebelum jam pulang."),
            ),
            models.CheckConstraint(
                condition=Q(break_start__isnull=True, break_end__isnull=True)
                | Q(
                    # Both set: a NULL would make the comparisons unknown, which passes.
                    break_start__isnull=False,
                    break_end__isnull=False,
                    break_start__gt=F("start"),
                    break_end__gt=F("break_start"),
                    end__gt=F("break_end"),
                ),
                name="workcalendar_officehours_break_inside",
                violation_error_message=_(
                    "Waktu istirahat harus diisi lengkap dan berada di dalam jam kerja."
                ),
            ),
        ]

    def __str__(self) -> str:
        hours = f"{self.start:%H:%M}-{self.end:%H:%M}"
        if self.break_start and self.break_end:
            hours += f" ({self.break_start:%H:%M}-{self.break_end:%H:%M})"
        return f"{self.agency} {self.get_weekday_display()} {hours}"


class CalendarOverride(models.Model):
    """An admin's decision for one date: a holiday added (e.g. a new cuti bersama decree)
    or a holiday removed (a working day). No agency means every agency; an agency's own
    override wins over the all-agency one for the same date."""

    class Kind(models.TextChoices):
        HOLIDAY = DayKind.HOLIDAY.value, _("Hari libur")
        WORKDAY = DayKind.WORKDAY.value, _("Hari kerja")

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
        help_text=_("Kosongkan untuk semua instansi."),
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("keterangan"),
        max_length=200,
        help_text=_("Misalnya: Cuti Bersama Hari Raya Idul Fitri (SKB 3 Menteri)"),
    )

    class Meta:
        verbose_name = _("pengecualian kalender")
        verbose_name_plural = _("pengecualian kalender")
        ordering = ["-date"]
        constraints = [
            # Two partial constraints because NULL agencies never collide in a plain one.
            models.UniqueConstraint(
                fields=["agency", "date"],
                condition=Q(agency__isnull=False),
                name="workcalendar_override_agency_date_unique",
                violation_error_message=_("Tanggal ini sudah punya pengecualian."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(agency__isnull=True),
                name="workcalendar_override_global_date_unique",
                violation_error_message=_(
                    "Tanggal ini sudah punya pengecualian untuk semua instansi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]),
                name="workcalendar_override_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.name}"
