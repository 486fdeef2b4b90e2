"""Performance data (SAKIP): plan, agreement, action plan, realisations, evidence, locks.

Renstra (5-year plan) -> Objective (sasaran strategis) -> Indicator (IKU). Every year a
Perjanjian Kinerja (PerformanceAgreement, versioned: a revision is a new row, old versions
are kept) fixes each indicator's annual target and the programme/budget table. The Rencana
Aksi (QuarterTarget) splits targets into quarters; a Realisation is what a unit reports for
an indicator and a quarter, with Evidence files (data dukung). Approval of a unit's report
(step 5 of the SOP) writes a UnitPeriodLock; while it stands, that unit's realisations of
that quarter cannot change.

Only :mod:`kinerja.performance.services` writes these rows. All numbers are ``Decimal``.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import Period

QUARTER_CHECK = Q(quarter__gte=1) & Q(quarter__lte=4)
VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}
MONEY_DIGITS = {"max_digits": 18, "decimal_places": 2}


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("Positif (makin tinggi makin baik)")
    NEGATIVE = "negative", _("Negatif (makin rendah makin baik)")


class NegativeFormula(models.TextChoices):
    TWO_MINUS = "two_minus", _("(2 × target − realisasi) / target × 100")
    RATIO = "ratio", _("target / realisasi × 100")


class Rollup(models.TextChoices):
    SUM = "sum", _("Jumlah (kumulatif)")
    LAST = "last", _("Nilai terakhir")
    AVERAGE = "average", _("Rata-rata")
    MAX = "max", _("Nilai tertinggi")
    MIN = "min", _("Nilai terendah")


class RenstraPlan(models.Model):
    """Rencana Strategis: the agency's 5-year plan."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="renstra_plans",
    )
    title = models.CharField(_("judul"), max_length=250)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))

    class Meta:
        verbose_name = _("Renstra")
        verbose_name_plural = _("Renstra")
        ordering = ["agency", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="performance_renstra_years_ordered",
            ),
            models.UniqueConstraint(
                fields=["agency", "start_year"], name="performance_renstra_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"


class Objective(models.Model):
    """Sasaran strategis of a Renstra."""

    plan = models.ForeignKey(
        RenstraPlan, verbose_name=_("Renstra"), on_delete=models.CASCADE, related_name="objectives"
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("sasaran strategis"), max_length=400)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("sasaran strategis")
        verbose_name_plural = _("sasaran strategis")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="performance_objective_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """Indikator kinerja (IKU) of an objective, owned by one unit."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("sasaran strategis"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama indikator"), max_length=400)
    unit_of_measure = models.CharField(_("satuan"), max_length=40)
    owner_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    polarity = models.CharField(
        _("polaritas"), max_length=10, choices=Polarity.choices, default=Polarity.POSITIVE
    )
    negative_formula = models.CharField(
        _("rumus polaritas negatif"),
        max_length=12,
        choices=NegativeFormula.choices,
        default=NegativeFormula.TWO_MINUS,
    )
    rollup = models.CharField(
        _("cara rekap triwulan"), max_length=10, choices=Rollup.choices, default=Rollup.SUM
    )
    decimals = models.PositiveSmallIntegerField(_("jumlah desimal"), default=2)
    evidence_required = models.BooleanField(_("wajib data dukung"), default=False)
    definition = models.TextField(_("definisi / rumus"), blank=True)
    data_source = models.CharField(_("sumber data"), max_length=250, blank=True)
    baseline = models.DecimalField(_("kondisi awal"), null=True, blank=True, **VALUE_DIGITS)
    final_target = models.DecimalField(
        _("target akhir Renstra"), null=True, blank=True, **VALUE_DIGITS
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        ordering = ["agency", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="performance_indicator_code"),
            models.CheckConstraint(
                condition=Q(decimals__lte=6), name="performance_indicator_decimals"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PerformanceAgreement(models.Model):
    """Perjanjian Kinerja of an agency for a year, one row per version.

    A revision adds a new version and moves ``is_current`` to it; old versions stay for the
    record (reports say which version they used).
    """

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    is_current = models.BooleanField(_("berlaku"), default=True)
    reason = models.TextField(_("alasan perubahan"), blank=True)
    effective_date = models.DateField(_("tanggal berlaku"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"))

    class Meta:
        verbose_name = _("perjanjian kinerja")
        verbose_name_plural = _("perjanjian kinerja")
        ordering = ["agency", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"], name="performance_agreement_version"
            ),
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(is_current=True),
                name="performance_agreement_one_current",
            ),
        ]

    def __str__(self) -> str:
        return _("Perjanjian Kinerja %(year)s versi %(version)s") % {
            "year": self.year,
            "version": self.version,
        }


class AgreementTarget(models.Model):
    agreement = models.ForeignKey(
        PerformanceAgreement,
        verbose_name=_("perjanjian kinerja"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(_("target tahunan"), **VALUE_DIGITS)

    class Meta:
        verbose_name = _("target perjanjian kinerja")
        verbose_name_plural = _("target perjanjian kinerja")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"], name="performance_agreement_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.target}"


class AgreementProgram(models.Model):
    """A row of the PK's programme table: code, name, budget (Rp) and the indicators it serves."""

    agreement = models.ForeignKey(
        PerformanceAgreement,
        verbose_name=_("perjanjian kinerja"),
        on_delete=models.CASCADE,
        related_name="programs",
    )
    code = models.CharField(_("kode program"), max_length=60)
    name = models.CharField(_("nama program"), max_length=300)
    budget = models.DecimalField(_("anggaran (Rp)"), **MONEY_DIGITS)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indikator yang didukung"), blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("program perjanjian kinerja")
        verbose_name_plural = _("program perjanjian kinerja")
        ordering = ["agreement", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "code"], name="performance_agreement_program_unique"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="performance_program_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class QuarterTarget(models.Model):
    """Rencana Aksi: the target of an indicator for one quarter."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="quarter_targets",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    target = models.DecimalField(_("target triwulan"), **VALUE_DIGITS)

    class Meta:
        verbose_name = _("target triwulan (rencana aksi)")
        verbose_name_plural = _("target triwulan (rencana aksi)")
        # No default ordering: ordering by "indicator" follows Indicator's own (agency name,
        # order, code), two joins on every query, most of which build dicts. Readers that
        # need an order say so.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="performance_quarter_target_unique"
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="performance_qtarget_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}-Q{self.quarter}: {self.target}"


class Realisation(models.Model):
    """What a unit reports for one indicator and quarter (one row per indicator and quarter).

    Either ``value`` is set, or ``not_available`` with a reason. Whether the row is locked is
    not stored here: it is the :class:`UnitPeriodLock` of the indicator's owner unit for the
    quarter (one source of truth). ``lock_version`` grows on every save (optimistic
    concurrency: a form sends back the version it loaded).
    """

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indikator"),
        on_delete=models.PROTECT,
        related_name="realisations",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    value = models.DecimalField(_("realisasi"), null=True, blank=True, **VALUE_DIGITS)
    not_available = models.BooleanField(_("data tidak tersedia"), default=False)
    not_available_reason = models.TextField(_("alasan data tidak tersedia"), blank=True)
    problems = models.TextField(_("kendala"), blank=True)
    actions = models.TextField(_("upaya / solusi"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("diisi pada"))
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        # No default ordering (see QuarterTarget): readers that need an order say so.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="performance_realisation_unique"
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="performance_real_quarter"),
            models.CheckConstraint(
                condition=Q(not_available=False) | Q(value__isnull=True),
                name="performance_real_na_has_no_value",
            ),
        ]
        indexes = [models.Index(fields=["agency", "year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}-Q{self.quarter}: {self.value}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)


def _evidence_path(instance: Evidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    real = instance.realisation
    return f"evidence/{real.agency.code}/{real.year}/{uuid.uuid4().hex}{suffix}"


def _material_path(instance: ReportMaterial, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    case = instance.case
    return f"materials/{case.agency.code}/{case.period}/{uuid.uuid4().hex}{suffix}"


class StoredFile(models.Model):
    """What every uploaded file keeps: the checked type, size and hash, who and when."""

    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis berkas"), max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"))
    # Files are never deleted (the audit trail points at them); removal hides them.
    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class Evidence(StoredFile):
    """Data dukung of a realisation."""

    realisation = models.ForeignKey(
        Realisation,
        verbose_name=_("realisasi"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("berkas"), upload_to=_evidence_path, max_length=300)
    description = models.CharField(_("keterangan"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
        ordering = ["realisation", "uploaded_at", "id"]


class ReportMaterial(StoredFile):
    """Bahan laporan: a file the analyst hands over in step 3 for a unit of a case."""

    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("kasus"),
        on_delete=models.CASCADE,
        related_name="report_materials",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("berkas"), upload_to=_material_path, max_length=300)
    description = models.CharField(_("keterangan"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("bahan laporan")
        verbose_name_plural = _("bahan laporan")
        ordering = ["case", "unit", "uploaded_at", "id"]


class BudgetRealisation(models.Model):
    """Realised spending of a programme in a quarter (keyed by programme code so it survives
    PK revisions)."""

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program_code = models.CharField(_("kode program"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    amount = models.DecimalField(_("realisasi anggaran (Rp)"), **MONEY_DIGITS)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("diisi pada"))

    class Meta:
        verbose_name = _("realisasi anggaran")
        verbose_name_plural = _("realisasi anggaran")
        ordering = ["agency", "year", "quarter", "program_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "program_code", "year", "quarter"],
                name="performance_budget_real_unique",
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="performance_budget_quarter"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="performance_budget_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_code} {self.year}-Q{self.quarter}: {self.amount}"


class UnitPeriodLock(models.Model):
    """The realisations of a unit for a quarter are locked (approved in step 5).

    An unlock keeps the row (``unlocked_*`` set, with the reason); at most one lock per unit
    and quarter is in force.
    """

    agency = models.ForeignKey(
        "organization.Agency",
        verbose_name=_("instansi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    case = models.ForeignKey(
        "workflow.Case",
        verbose_name=_("kasus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("dikunci pada"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikunci oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unlock_reason = models.TextField(_("alasan membuka kunci"), blank=True)

    class Meta:
        verbose_name = _("kunci data unit")
        verbose_name_plural = _("kunci data unit")
        ordering = ["agency", "-year", "-quarter", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                condition=Q(unlocked_at__isnull=True),
                name="performance_lock_one_in_force",
            ),
            models.CheckConstraint(condition=QUARTER_CHECK, name="performance_lock_quarter"),
            models.CheckConstraint(
                condition=Q(unlocked_at__isnull=True) | ~Q(unlock_reason=""),
                name="performance_unlock_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}-Q{self.quarter}"

    @property
    def in_force(self) -> bool:
        return self.unlocked_at is None


class RatingScale(models.Model):
    """A rating scale (predikat capaian). An agency's own scale wins over the global one
    (``agency`` empty); without either the built-in default of :mod:`.achievement` applies."""

    agency = models.OneToOneField(
        "organization.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rating_scale",
    )
    name = models.CharField(_("nama skala"), max_length=120)

    class Meta:
        verbose_name = _("skala predikat")
        verbose_name_plural = _("skala predikat")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(agency__isnull=True), name="performance_scale_global"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RatingBand(models.Model):
    """One band: achievement strictly above ``above`` (empty: any value) gets this rating.
    Bands are tried from the highest ``above`` down; the first that fits wins."""

    scale = models.ForeignKey(
        RatingScale, verbose_name=_("skala"), on_delete=models.CASCADE, related_name="bands"
    )
    code = models.SlugField(_("kode"), max_length=30)
    label = models.CharField(_("predikat"), max_length=60)
    above = models.DecimalField(
        _("lebih dari (%)"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    css_class = models.CharField(_("kelas warna"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("rentang predikat")
        verbose_name_plural = _("rentang predikat")
        ordering = ["scale", "-above"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="performance_band_code")
        ]

    def __str__(self) -> str:
        return self.label
