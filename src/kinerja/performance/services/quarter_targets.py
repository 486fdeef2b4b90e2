"""Quarter targets (Rencana Aksi) and the warnings when they do not roll up to the
annual PK target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import ApplicationError, PermissionDenied
from kinerja.core.periods import ROMAN
from kinerja.core.services import audit
from kinerja.organization.models import Agency

from .. import achievement as calc
from .. import permissions
from ..models import (
    AgreementTarget,
    Indicator,
    QuarterTarget,
    Rollup,
)
from .common import (
    MONEY_PLACES,
    _clean_value,
    _dec,
    _fmt,
    _scope,
)

ROLLUP_WORDS = {
    Rollup.SUM: _("jumlah"),
    Rollup.LAST: _("nilai triwulan IV"),
    Rollup.AVERAGE: _("rata-rata"),
    Rollup.MAX: _("nilai tertinggi"),
    Rollup.MIN: _("nilai terendah"),
}


def _target_warnings(agency: Agency, year: int, indicator_ids=None) -> list[str]:
    """Warnings for indicators whose quarter targets do not roll up to the annual target."""
    annual = {
        t.indicator_id: t.target
        for t in AgreementTarget.objects.filter(
            agreement__agency=agency, agreement__year=year, agreement__is_current=True
        )
    }
    qs = QuarterTarget.objects.filter(agency=agency, year=year).select_related("indicator")
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=list(indicator_ids))
    quarters: dict[int, dict[int, Decimal]] = {}
    indicators: dict[int, Indicator] = {}
    for qt in qs:
        quarters.setdefault(qt.indicator_id, {})[qt.quarter] = qt.target
        indicators[qt.indicator_id] = qt.indicator
    warnings = []
    for ind_id, by_quarter in sorted(quarters.items(), key=lambda kv: indicators[kv[0]].code):
        ind = indicators[ind_id]
        values = [by_quarter.get(n) for n in range(1, 5)]
        if calc.targets_disagree(annual.get(ind_id), values, ind.rollup):
            rolled = calc.rollup(values, ind.rollup)
            warnings.append(
                _(
                    "%(code)s: target triwulan (%(word)s: %(rolled)s) tidak sama dengan target "
                    "tahunan %(annual)s. Periksa kembali rencana aksi."
                )
                % {
                    "code": ind.code,
                    "word": ROLLUP_WORDS.get(ind.rollup, ind.rollup),
                    "rolled": _fmt(rolled.quantize(MONEY_PLACES)),
                    "annual": _fmt(annual[ind_id]),
                }
            )
    return warnings


def quarter_targets_set(
    *,
    actor,
    indicator: Indicator,
    year: int,
    targets: Mapping[int, Decimal | None],
    now: dt.datetime | None = None,
) -> list[str]:
    """Set the Rencana Aksi targets of ``indicator`` for quarters of ``year`` ({1: x, ...};
    None removes). Who: planners and the head of the indicator's owner unit. Locks the
    indicator row. Each change audited. Returns warnings (never blocks) when the four
    quarter targets do not roll up to the annual PK target under the indicator's rule.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ind = (
            Indicator.objects.select_for_update(of=("self",))
            .select_related("agency", "owner_unit")
            .get(pk=indicator.pk)
        )
        if not permissions.may_set_quarter_targets(_scope(actor, now), ind.owner_unit):
            raise PermissionDenied(
                _("Anda tidak berwenang mengubah rencana aksi indikator %(code)s.")
                % {"code": ind.code}
            )
        bad = [q for q in targets if q not in (1, 2, 3, 4)]
        if bad:
            raise ApplicationError(
                _("Triwulan harus 1 sampai 4."), code="invalid_quarter", details=map(str, bad)
            )
        current = {
            qt.quarter: qt
            for qt in QuarterTarget.objects.select_for_update().filter(indicator=ind, year=year)
        }
        for quarter, raw in sorted(targets.items()):
            value = _clean_value(raw, label=f"{ind.code} TW {ROMAN[quarter]}")
            row = current.get(quarter)
            old = row.target if row else None
            if old == value:
                continue
            if value is None:
                row.delete()
            elif row is None:
                QuarterTarget.objects.create(
                    agency=ind.agency, indicator=ind, year=year, quarter=quarter, target=value
                )
            else:
                row.target = value
                row.save(update_fields=["target"])
            audit(
                actor=actor,
                action="quarter_target.set",
                obj=ind,
                agency=ind.agency,
                before={"period": f"{year}-Q{quarter}", "target": _dec(old)},
                after={"period": f"{year}-Q{quarter}", "target": _dec(value)},
            )
        return _target_warnings(ind.agency, year, [ind.pk])
