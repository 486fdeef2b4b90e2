"""Template helpers of the web app: form fields with Bootstrap classes, durations in words."""

from __future__ import annotations

import datetime as dt

from django import forms, template
from django.utils.translation import ngettext

from kinerja.sop.schema import Duration

register = template.Library()


@register.filter
def bs(field: forms.BoundField):
    """Render ``field`` with Bootstrap's class, ``is-invalid`` and aria links to its help
    text and errors (so screen readers read them with the field)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    attrs = {"class": css}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def minutes_text(minutes: int | None) -> str:
    """A number of working minutes in words: "2 jam 5 menit"."""
    if minutes is None:
        return ""
    minutes = int(abs(minutes))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", rest) % {"n": rest})
    return " ".join(parts)


@register.filter
def timedelta_minutes(value: dt.timedelta | None) -> int:
    if not value:
        return 0
    return max(1, round(value.total_seconds() / 60))


@register.filter
def standard_text(task) -> str:
    """The time standard of a task in words: "15 menit kerja", "1 hari kerja"."""
    return Duration(amount=task.standard_amount, unit=task.standard_unit).in_words


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}%"


@register.filter
def number(value, places: int | None = None) -> str:
    """A Decimal as people of the page's language read it (1.234.567,5 or 1,234,567.5),
    rounded to ``places`` decimals when given; "–" for None."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils import translation

    from ..forms import _format_number

    if value is None or value == "":
        return "–"
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return _format_number(value, translation.get_language() or "id")


@register.filter
def money(value) -> str:
    """Rupiah in the page's language: 1.234.567 or 1.234.567,50; "–" for None."""
    from django.utils import translation

    from ..planning import format_money

    if value is None or value == "":
        return "–"
    return format_money(value, translation.get_language() or "id")
