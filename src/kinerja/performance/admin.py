"""Admin: master data (Renstra, objectives, indicators, rating scales) is edited here by
administrators; targets, realisations, files and locks are read-only (they change only
through :mod:`kinerja.performance.services`, which audits every change)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AgreementProgram,
    AgreementTarget,
    BudgetRealisation,
    Evidence,
    Indicator,
    Objective,
    PerformanceAgreement,
    QuarterTarget,
    RatingBand,
    RatingScale,
    Realisation,
    RenstraPlan,
    ReportMaterial,
    UnitPeriodLock,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StoredFileAdmin(ReadOnlyAdmin):
    """Files are never served by URL (MEDIA_URL is None): show the stored name instead of a
    link, which Django's admin cannot draw (it raised a server error)."""

    exclude = ["file"]
    readonly_fields = ["stored_file"]

    @admin.display(description=_("berkas"))
    def stored_file(self, obj):
        return obj.file.name


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(RenstraPlan)
class RenstraPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "start_year", "end_year"]
    inlines = [ObjectiveInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "owner_unit", "polarity", "rollup", "evidence_required"]
    list_filter = ["agency", "owner_unit", "polarity", "rollup"]
    search_fields = ["code", "name"]


class RatingBandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    inlines = [RatingBandInline]


class AgreementTargetInline(admin.TabularInline):
    model = AgreementTarget
    extra = 0


class AgreementProgramInline(admin.TabularInline):
    model = AgreementProgram
    extra = 0


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "version", "is_current", "effective_date", "created_by"]
    list_filter = ["agency", "year", "is_current"]
    inlines = [AgreementTargetInline, AgreementProgramInline]


@admin.register(QuarterTarget)
class QuarterTargetAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "year", "quarter", "target"]
    ordering = ["indicator", "year", "quarter"]
    list_filter = ["agency", "year", "quarter"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "year", "quarter", "value", "not_available", "entered_by"]
    ordering = ["indicator", "year", "quarter"]
    list_filter = ["agency", "year", "quarter"]


@admin.register(Evidence)
class EvidenceAdmin(StoredFileAdmin):
    list_display = ["original_name", "realisation", "content_type", "size", "uploaded_by"]


@admin.register(ReportMaterial)
class ReportMaterialAdmin(StoredFileAdmin):
    list_display = ["original_name", "case", "unit", "content_type", "size", "uploaded_by"]


@admin.register(BudgetRealisation)
class BudgetRealisationAdmin(ReadOnlyAdmin):
    list_display = ["program_code", "year", "quarter", "amount"]
    list_filter = ["agency", "year"]


@admin.register(UnitPeriodLock)
class UnitPeriodLockAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "quarter", "locked_at", "locked_by", "unlocked_at"]
    list_filter = ["agency", "year", "quarter"]
